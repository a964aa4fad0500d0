"""Fixtures of the functional tests: a real SMTP server."""

from tests.functional.smtp_server import smtp

__all__ = ["smtp"]
