"""A real SMTP server on 127.0.0.1 for the tests (aiosmtpd), started by the test itself."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller


class Recorder:
    """An SMTP handler that answers from a script, then accepts; ``refuse`` maps a recipient
    to the answer its RCPT gets."""

    def __init__(self, answers=(), refuse=None):
        self.answers = list(answers)
        self.refuse = dict(refuse or {})
        self.received = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.answers:
            return self.answers.pop(0)
        self.received.append(
            email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        )
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Slow(Recorder):
    """Accepts every mail after a pause, so that several notifiers' rounds overlap."""

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.02)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def smtp():
    """Start a server on demand, on a port chosen now (so it can be "down" first)."""
    port = free_port()
    controllers = []

    def start(handler, **options):
        controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
        controller.start()
        controllers.append(controller)
        return controller

    yield port, start
    for controller in controllers:
        controller.stop()
