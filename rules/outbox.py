"""What an admin may do with the outbox: send a failed e-mail again, and nothing else."""

from __future__ import annotations

from rules.records import Mail
from rules.violation import RuleViolation


def check_retry(mail: Mail) -> None:
    """Only a failed mail goes back in the queue: a sent one would reach the entity twice."""
    if mail.status == "failed":
        return
    if mail.status == "sent":
        raise RuleViolation(
            "mail_not_failed", {"mail": mail.id}, message_key="mail_not_failed.sent"
        )
    raise RuleViolation("mail_not_failed", {"mail": mail.id})  # still waiting to be sent
