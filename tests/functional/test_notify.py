"""E-mail that is never lost: a real SMTP server on 127.0.0.1, down, 4xx, 5xx, Maildir."""

from __future__ import annotations

import email
import email.policy
import mailbox
import socket
import subprocess
import sys
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller

from store.mailer import (
    MaildirTransport,
    SmtpConfig,
    SmtpTransport,
    build_message,
    deliver_due,
    load_config,
)
from tests.conftest import DOCTOR, NURSE, NURSE_2

SENDER = "Vaccinnet <no-reply@example.be>"


class Recorder:
    """An SMTP handler that answers from a script, then accepts."""

    def __init__(self, answers=()):
        self.answers = list(answers)
        self.received = []

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


@pytest.fixture
def smtp():
    """Start a server on demand, on a port chosen now (so it can be "down" first)."""
    port = free_port()
    controllers = []

    def start(handler):
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        return controller

    yield port, start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def decided(store, clock):
    """Two decisions, so two mails in the outbox; then time stands still unless a test moves it."""
    first = store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    second = store.file_connect(DOCTOR, "cab", NURSE_2, "Peeters", "Lotte", "infirmier")
    store.approve("adm", first.id)
    store.reject("adm", second.id, "Inconnue au cabinet")
    assert len(store.outbox()) == 2
    clock.step = timedelta(0)
    return store


def transport(port: int) -> SmtpTransport:
    return SmtpTransport(SmtpConfig(host="127.0.0.1", port=port, security="none", timeout=5))


def test_delivery_over_smtp(decided, smtp):
    port, start = smtp
    handler = Recorder()
    start(handler)
    report = deliver_due(decided, transport(port), SENDER)
    assert len(report.sent) == 2
    assert decided.outbox() == [] and {m.status for m in decided.outbox(None)} == {"sent"}
    first, second = handler.received
    assert first["To"] == "cab@example.be" and first["From"] == SENDER
    assert "approuvée" in first["Subject"] and "Claire Martin" in first["Subject"]
    body = second.get_payload(decode=True).decode("utf-8")
    assert "Raison du rejet : Inconnue au cabinet" in body
    assert first["Message-ID"] == decided.outbox(None)[0].message_id
    assert deliver_due(decided, transport(port), SENDER).sent == []  # nothing sent twice


def test_server_down_then_up_delivers_once(decided, smtp, clock):
    port, start = smtp
    report = deliver_due(decided, transport(port), SENDER)
    # One refused connection is enough to stop this round; the other mail waits its turn.
    assert report.sent == [] and len(report.deferred) == 1
    (deferred,) = [m for m in decided.outbox() if m.attempts]
    assert "127.0.0.1" in deferred.last_error and deferred.next_attempt_at is not None
    assert [m.id for m in decided.due_mails()] != [deferred.id]  # backing off
    handler = Recorder()
    start(handler)
    clock.moment += timedelta(minutes=5)
    assert len(deliver_due(decided, transport(port), SENDER).sent) == 2
    assert deliver_due(decided, transport(port), SENDER).sent == []
    assert len(handler.received) == 2
    assert {m.status for m in decided.outbox(None)} == {"sent"}


def test_temporary_refusal_is_retried_with_backoff(decided, smtp, clock):
    port, start = smtp
    handler = Recorder(["451 4.3.0 Try again later", "451 4.3.0 Try again later"])
    start(handler)
    report = deliver_due(decided, transport(port), SENDER)
    assert len(report.deferred) == 2 and handler.received == []
    assert all(m.last_error.startswith("451") for m in decided.outbox())
    assert decided.due_mails() == []
    clock.moment += timedelta(minutes=2)
    assert len(deliver_due(decided, transport(port), SENDER).sent) == 2
    assert len(handler.received) == 2
    assert [m.attempts for m in decided.outbox(None)] == [2, 2]


def test_permanent_refusal_is_kept_as_failed_until_an_admin_retries(decided, smtp):
    port, start = smtp
    handler = Recorder(["550 5.1.1 No such mailbox"])
    start(handler)
    report = deliver_due(decided, transport(port), SENDER)
    assert len(report.failed) == 1 and len(report.sent) == 1
    (failed,) = decided.outbox("failed")
    assert failed.last_error == "550 5.1.1 No such mailbox"
    assert deliver_due(decided, transport(port), SENDER).sent == []  # not retried by itself
    decided.retry_mail("adm", failed.id)
    assert deliver_due(decided, transport(port), SENDER).sent == [failed.id]
    assert decided.audit_entries()[-1].action == "mail_retried"
    assert len(handler.received) == 2


def test_maildir_is_the_default(decided, data):
    result = subprocess.run([sys.executable, "-m", "tui.cli", "notify", "--once", "--data",
                             str(data)], capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "sent 2" in result.stdout
    box = mailbox.Maildir(data / "maildir", create=False)
    parsed = [email.message_from_bytes(box.get_bytes(key), policy=email.policy.default)
              for key in box.iterkeys()]  # fmt: skip
    subjects = sorted(message["Subject"] for message in parsed)
    assert len(subjects) == 2 and any("rejetée" in s for s in subjects)
    assert {m.status for m in decided.outbox(None)} == {"sent"}


def test_config_file_and_password_from_the_environment(data, monkeypatch):
    data.mkdir(parents=True, exist_ok=True)
    (data / "mail.toml").write_text(
        '[smtp]\nhost = "smtp.example.be"\nport = 2525\nsecurity = "ssl"\nuser = "vaccinnet"\n'
        'sender = "Vaccinnet <vaccinnet@example.be>"\n'
    )
    monkeypatch.setenv("VACCINNET_SMTP_PASSWORD", "s3cret")
    config = load_config(data)
    assert (config.host, config.port, config.security, config.user, config.password) == (
        "smtp.example.be",
        2525,
        "ssl",
        "vaccinnet",
        "s3cret",
    )
    assert "s3cret" not in repr(config)


def test_message_is_a_proper_email(decided):
    (mail,) = decided.outbox()[:1]
    message = build_message(mail, SENDER)
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    assert message["Content-Language"] == "fr" and message["Message-ID"] == mail.message_id
    transport_ = MaildirTransport(decided.root / "box")
    transport_.send(message)
    assert len(mailbox.Maildir(decided.root / "box")) == 1
