"""E-mail that is never lost: a real SMTP server on 127.0.0.1, down, 4xx, 5xx, Maildir."""

from __future__ import annotations

import email
import email.policy
import mailbox
import os
import signal
import stat
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from aiosmtpd.smtp import AuthResult

import store.mailer
from rules import Mail, RuleViolation, make_niss
from store import StoreBusy
from store.mailer import (
    ConfigError,
    MaildirTransport,
    Rejected,
    SmtpConfig,
    SmtpTransport,
    build_message,
    deliver_due,
    load_config,
    prepared,
)
from tests.conftest import DOCTOR, NURSE, NURSE_2
from tests.functional.smtp_server import Recorder, Slow
from tui.cli import run

SENDER = "Vaccinnet <no-reply@example.be>"


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
    assert "approuvée" in first["Subject"] and "MARTIN Claire" in first["Subject"]
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


@pytest.mark.files_only("its files or directory")
def test_maildir_is_the_default(decided, data):
    result = subprocess.run(
        [sys.executable, "-m", "tui.cli", "notify", "--once", "--data", str(data)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "sent 2" in result.stdout
    box = mailbox.Maildir(data / "maildir", create=False)
    parsed = [
        email.message_from_bytes(box.get_bytes(key), policy=email.policy.default)
        for key in box.iterkeys()
    ]
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


@pytest.mark.files_only("its files or directory")
def test_message_is_a_proper_email(decided):
    (mail,) = decided.outbox()[:1]
    message = build_message(mail, SENDER)
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    assert message["Content-Language"] == "fr" and message["Message-ID"] == mail.message_id
    transport_ = MaildirTransport(decided.root / "box")
    transport_.send(message)
    assert len(mailbox.Maildir(decided.root / "box")) == 1


# ----- one bad mail never stops the others ------------------------------------------------------

ANNA = make_niss("890303", 77)
# Accepted by the rule of old versions; the e-mail package cannot build a To header from it.
UNBUILDABLE = "secretariat@[cabinet-dupont.be"


@pytest.fixture
def three(store, clock):
    """Three decisions, so three mails, the middle one to an address no rule accepts today."""
    for niss, last, first in (
        (NURSE, "Martin", "Claire"),
        (NURSE_2, "Peeters", "Lotte"),
        (ANNA, "Roux", "Anna"),
    ):
        store.approve("adm", store.file_connect(DOCTOR, "cab", niss, last, first, "infirmier").id)
    first, middle, last = store.outbox()
    held_by_an_old_store(store, middle.id, UNBUILDABLE)
    clock.step = timedelta(0)
    return store, (first.id, middle.id, last.id)


def held_by_an_old_store(store, mail_id, to):
    """Write the address around the rules, as a store from before them may hold it."""
    with store._writing():
        store._tables["outbox"].update({"to": to}, doc_ids=[int(mail_id[1:])])


def smtp_config(data, port):
    data.mkdir(parents=True, exist_ok=True)
    (data / "mail.toml").write_text(
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\ntimeout = 5\n'
        f'sender = "{SENDER}"\n'
    )


@pytest.mark.files_only("its files or directory")
def test_notify_once_delivers_the_others_when_one_mail_cannot_be_built(three, data, smtp, capsys):
    store_, (first, middle, last) = three
    port, start = smtp
    handler = Recorder()
    start(handler)
    smtp_config(data, port)
    assert run(["notify", "--once", "--data", str(data)]) == 0
    out, err = capsys.readouterr()
    assert "sent 2, deferred 0, failed 1" in out
    assert f"failed {middle}: invalid address: The e-mail address '{UNBUILDABLE}'" in err
    assert sorted(m["X-Vaccinnet-Request"] for m in handler.received) == sorted(
        m.request_id for m in store_.outbox(None) if m.id != middle
    )
    (failed,) = store_.outbox("failed")
    assert failed.id == middle and failed.last_error.startswith("invalid address:")
    assert {m.id for m in store_.outbox(None) if m.status == "sent"} == {first, last}
    assert run(["notify", "--once", "--data", str(data)]) == 0  # nothing left, nothing resent
    assert len(handler.received) == 2


@pytest.mark.parametrize(
    ("to", "subject", "reason"),
    [
        ("", "Vaccinnet", "invalid address"),
        ("zoë@cabinet.be", "Vaccinnet", "invalid address"),
        ("a\udcff@b.be", "Vaccinnet", "invalid address"),
        ("cab@example.be\r\nBcc: all@example.be", "Vaccinnet", "invalid address"),
        ("cab@example.be", "Vaccinnet\r\nBcc: all@example.be", "cannot be built: ValueError"),
    ],
)
def test_what_an_old_store_may_hold_is_refused_before_any_server_is_asked(to, subject, reason):
    mail = Mail(to=to, subject=subject, body="b", id="M000001", request_id="R000001")
    with pytest.raises(Rejected, match=f"^{reason}"):
        prepared(mail, SENDER)


def test_an_old_non_ascii_domain_is_sent_in_its_idna_form(decided, smtp):
    held_by_an_old_store(decided, decided.outbox()[0].id, "info@crèche-été.be")
    port, start = smtp
    handler = Recorder()
    start(handler)
    assert len(deliver_due(decided, transport(port), SENDER).sent) == 2
    assert handler.received[0]["To"] == "info@xn--crche-t-3xanb.be"


def test_a_recipient_refused_by_the_server_fails_alone(three, smtp):
    store_, (first, middle, last) = three
    held_by_an_old_store(store_, middle, "gone@example.be")
    held_by_an_old_store(store_, last, "later@example.be")
    port, start = smtp
    handler = Recorder(
        refuse={
            "gone@example.be": "550 5.1.1 No such user",
            "later@example.be": "450 4.2.1 Mailbox busy",
        }
    )
    start(handler)
    report = deliver_due(store_, transport(port), SENDER)
    assert (report.sent, report.failed, report.deferred) == ([first], [middle], [last])
    assert store_.outbox("failed")[0].last_error == "550 5.1.1 No such user"
    assert store_.outbox()[0].last_error.startswith("450")


@pytest.mark.files_only("its files or directory")
def test_an_unexpected_fault_with_one_mail_fails_that_mail_only(three):
    store_, (first, middle, last) = three
    held_by_an_old_store(store_, middle, "odd@example.be")

    class Flaky(MaildirTransport):
        def send(self, message):
            if message["To"] == "odd@example.be":
                raise KeyError("surprise")
            super().send(message)

    report = deliver_due(store_, Flaky(store_.root / "box"), SENDER)
    assert (report.sent, report.failed) == ([first, last], [middle])
    assert store_.outbox("failed")[0].last_error == "unexpected error: KeyError: 'surprise'"


def test_a_server_answer_is_stored_on_one_line_without_control_characters(decided, smtp):
    port, start = smtp
    start(Recorder(["554 5.7.1 \x1b]0;owned\x07 rejected"]))
    deliver_due(decided, transport(port), SENDER)
    (failed,) = decided.outbox("failed")
    assert "\x1b" not in failed.last_error and "\\x1b]0;owned" in failed.last_error


def test_a_login_refused_stops_the_round_and_fails_no_mail(decided, smtp):
    port, start = smtp
    start(
        Recorder(),
        auth_require_tls=False,
        authenticator=lambda *_: AuthResult(success=False, handled=False),
    )
    config = SmtpConfig(
        host="127.0.0.1", port=port, security="none", user="u", password="p", timeout=5
    )
    # 535 is a permanent answer, but to the login: every mail would fail alike, so none fails.
    report = deliver_due(decided, SmtpTransport(config), SENDER)
    assert report.failed == [] and len(report.deferred) == 1
    assert decided.outbox("failed") == [] and "535" in decided.outbox()[0].last_error


def test_a_sender_that_is_not_one_address_stops_the_start(data):
    data.mkdir(parents=True, exist_ok=True)
    (data / "mail.toml").write_text('[smtp]\nhost = "h"\nsender = "a@b.be, c@d.be"\n')
    with pytest.raises(ConfigError, match="sender"):
        load_config(data)


@pytest.mark.files_only("its files or directory")
def test_a_maildir_that_cannot_be_written_stops_the_round_and_fails_no_mail(decided, data):
    (data / "maildir").write_text("not a directory")
    report = deliver_due(decided, MaildirTransport(data / "maildir"), SENDER)
    assert report.sent == report.failed == [] and len(report.deferred) == 1
    assert "maildir" in decided.outbox()[0].last_error


@pytest.mark.files_only("its files or directory")
def test_the_watcher_survives_a_busy_store_and_an_unexpected_error(
    decided, data, monkeypatch, capsys
):
    real = store.mailer.deliver_due
    rounds = []

    def flaky(store_, transport_, sender, unrecorded=None):
        rounds.append(time.monotonic())
        if len(rounds) == 1:
            raise StoreBusy(data / ".lock", "the store stayed locked by another session for 30 s")
        if len(rounds) == 2:
            raise RuntimeError("boom")
        report = real(store_, transport_, sender)
        os.kill(os.getpid(), signal.SIGTERM)  # what systemd sends to stop the service
        return report

    monkeypatch.setattr(store.mailer, "deliver_due", flaky)
    before = signal.getsignal(signal.SIGTERM)
    assert run(["notify", "--watch", "--interval", "1", "--data", str(data)]) == 0
    assert signal.getsignal(signal.SIGTERM) is before
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert len(lines) == 2 and "stayed locked" in lines[0] and "RuntimeError('boom')" in lines[1]
    assert all("next try in 1 s" in line for line in lines)
    assert "sent 2" in out and {m.status for m in decided.outbox(None)} == {"sent"}
    assert rounds[2] - rounds[0] >= 1.9  # it waited the interval, it did not spin


def test_the_watcher_keeps_going_past_a_mail_that_cannot_be_built(three, location):
    store_, (_, middle, _) = three
    command = [
        sys.executable,
        "-m",
        "tui.cli",
        "notify",
        "--watch",
        "--interval",
        "1",
        "--data",
        str(location),
    ]
    watcher = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and store_.outbox():
            time.sleep(0.2)
        store_.retry_mail("adm", middle)  # the entity's address is a good one by now
        while time.monotonic() < deadline and store_.outbox():
            time.sleep(0.2)
        assert watcher.poll() is None, watcher.stderr.read()
    finally:
        watcher.send_signal(signal.SIGTERM)
        _, err = watcher.communicate(timeout=30)
    assert watcher.returncode == 0, err
    assert {m.status for m in store_.outbox(None)} == {"sent"}
    assert f"failed {middle}: invalid address" in err and "Traceback" not in err


def test_a_mail_failed_on_its_address_is_retried_to_the_entity_s_corrected_one(three, smtp):
    store_, (_, middle, _) = three
    port, start = smtp
    handler = Recorder()
    start(handler)
    deliver_due(store_, transport(port), SENDER)
    store_.update_entity("adm", "cab", email="secretariat@cabinet-dupont.be")
    assert store_.retry_mail("adm", middle).to == "secretariat@cabinet-dupont.be"
    assert deliver_due(store_, transport(port), SENDER).sent == [middle]
    assert handler.received[-1]["To"] == "secretariat@cabinet-dupont.be"
    entry = store_.audit_entries()[-1]
    assert entry.action == "mail_retried" and entry.detail["previous_to"] == UNBUILDABLE


@pytest.mark.parametrize("interval", ["nan", "inf", "-inf", "0", "-1", "0.5", "soon", ""])
def test_the_interval_is_a_finite_number_of_at_least_one_second(interval, capsys):
    with pytest.raises(SystemExit) as exited:
        run(["notify", "--watch", f"--interval={interval}"])
    assert exited.value.code == 1  # a wrong argument, as README's exit-code table says
    assert "at least 1" in capsys.readouterr().err


def test_only_a_failed_mail_can_be_retried(decided):
    sent, pending = decided.outbox()
    decided.mark_sent(sent.id)
    before = decided.outbox(None)
    trail = len(decided.audit_entries())
    for mail, words in ((sent, "déjà été envoyé"), (pending, "attend encore")):
        with pytest.raises(RuleViolation) as refused:
            decided.retry_mail("adm", mail.id)
        assert refused.value.code == "mail_not_failed" and words in refused.value.message("fr")
        assert mail.id in refused.value.message("nl") and "failed" in refused.value.message("en")
    assert decided.outbox(None) == before and len(decided.audit_entries()) == trail


@pytest.mark.files_only("its files or directory")
def test_maildir_files_are_private_whatever_the_umask(decided, data):
    box = data / "maildir"
    old = os.umask(0o022)
    try:
        # A maildir and a mail left by an earlier version, readable by all.
        for sub in ("", "tmp", "new", "cur"):
            (box / sub).mkdir(mode=0o755, exist_ok=True)
        (box / "new" / "1.old.host").write_bytes(b"Subject: old\n\nNISS\n")
        os.chmod(box / "new" / "1.old.host", 0o644)
        result = subprocess.run(
            [sys.executable, "-m", "tui.cli", "notify", "--once", "--data", str(data)],
            capture_output=True,
            text=True,
            timeout=60,
            umask=0o022,
        )
    finally:
        os.umask(old)
    assert result.returncode == 0, result.stderr
    for folder in (box, box / "tmp", box / "new", box / "cur"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    mails = list((box / "new").iterdir())
    assert len(mails) == 3 and list((box / "tmp").iterdir()) == []
    assert {stat.S_IMODE(p.stat().st_mode) for p in mails} == {0o600}


@pytest.mark.slow
def test_several_notifiers_send_each_mail_exactly_once(
    store, location, smtp, tmp_path, monkeypatch
):
    # Three notifiers (three hosts' services) watch one store while 40 decisions queue 40
    # mails: each mail reaches the server once, and is recorded sent with one attempt.
    from store.paths import mail_home

    monkeypatch.setenv("VACCINNET_MAIL_DIR", str(tmp_path / "mail"))
    port, start = smtp
    handler = Slow()
    start(handler)
    smtp_config(mail_home(location), port)
    where = ["--data", str(location)]
    notifiers = [
        subprocess.Popen(
            [sys.executable, "-m", "tui.cli", "notify", "--watch", "--interval", "1", *where],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    try:
        for k in range(40):
            person = make_niss("900101", 300 + k)
            request = store.file_connect(DOCTOR, "cab", person, "Person", "Anne", "infirmier")
            store.approve("adm", request.id)
        deadline = time.monotonic() + 60
        while store.outbox() and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        for notifier in notifiers:
            notifier.send_signal(signal.SIGTERM)
        outputs = [notifier.communicate(timeout=30) for notifier in notifiers]
    assert store.outbox() == [], outputs
    ids = [message["Message-ID"] for message in handler.received]
    assert len(ids) == 40 and len(set(ids)) == 40, outputs
    mails = store.outbox(None)
    assert {m.status for m in mails} == {"sent"} and {m.attempts for m in mails} == {1}
    assert sorted(ids) == sorted(m.message_id for m in mails)
