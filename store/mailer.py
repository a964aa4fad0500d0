"""Delivering the outbox: SMTP when configured, else a Maildir in the data directory."""

from __future__ import annotations

import mailbox
import os
import smtplib
import ssl
import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from rules import Mail
from store.store import Store

CONFIG_FILE = "mail.toml"
MAILDIR = "maildir"
DEFAULT_SENDER = "Vaccinnet <no-reply@vaccinnet.invalid>"


class Deferred(Exception):
    """Try again later: the server is unreachable or answered 4xx."""


class Unreachable(Deferred):
    """No answer at all: the other mails of this round would fail the same way."""


class Rejected(Exception):
    """The server refused for good (5xx); its answer is the message."""


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int = 587
    security: str = "starttls"  # starttls | ssl | none
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    sender: str = DEFAULT_SENDER
    timeout: float = 30.0


class ConfigError(Exception):
    pass


def load_config(data_dir: Path) -> SmtpConfig | None:
    """``DATA/mail.toml`` with an ``[smtp]`` table, or None for the Maildir default.

    The password comes from ``password_file`` or ``$VACCINNET_SMTP_PASSWORD``, never the file.
    """
    path = Path(data_dir) / CONFIG_FILE
    if not path.exists():
        return None
    try:
        smtp = tomllib.loads(path.read_text(encoding="utf-8")).get("smtp")
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from None
    if not isinstance(smtp, dict) or not smtp.get("host"):
        raise ConfigError(f"{path}: an [smtp] table with at least host is needed")
    security = smtp.get("security", "starttls")
    if security not in ("starttls", "ssl", "none"):
        raise ConfigError(f"{path}: security must be starttls, ssl or none")
    password = os.environ.get("VACCINNET_SMTP_PASSWORD")
    if smtp.get("password_file"):
        try:
            password = Path(smtp["password_file"]).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"{smtp['password_file']}: {exc.strerror}") from None
    return SmtpConfig(
        host=str(smtp["host"]),
        port=int(smtp.get("port", 465 if security == "ssl" else 587)),
        security=security,
        user=smtp.get("user"),
        password=password,
        sender=str(smtp.get("sender", DEFAULT_SENDER)),
        timeout=float(smtp.get("timeout", 30)),
    )


def build_message(mail: Mail, sender: str) -> EmailMessage:
    """A plain-text e-mail; the Message-ID is the mail's own, so a resend is recognisable."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Message-ID"] = mail.message_id or make_msgid(domain="vaccinnet-staff")
    if mail.created_at is not None:
        message["Date"] = format_datetime(mail.created_at)
    message["X-Vaccinnet-Request"] = mail.request_id
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(mail.body, charset="utf-8")
    # After set_content, which replaces every Content-* header.
    message["Content-Language"] = mail.language
    return message


class SmtpTransport:
    def __init__(self, config: SmtpConfig) -> None:
        self.config = config

    def send(self, message: EmailMessage) -> None:
        c = self.config
        try:
            if c.security == "ssl":
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    c.host, c.port, timeout=c.timeout, context=ssl.create_default_context()
                )
            else:
                client = smtplib.SMTP(c.host, c.port, timeout=c.timeout)
            with client:
                if c.security == "starttls":
                    client.starttls(context=ssl.create_default_context())
                if c.user:
                    client.login(c.user, c.password or "")
                client.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            code, answer = next(iter(exc.recipients.values()))
            raise _classify(code, answer) from None
        except smtplib.SMTPResponseException as exc:
            raise _classify(exc.smtp_code, exc.smtp_error) from None
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            raise Unreachable(f"{c.host}:{c.port}: {exc}") from None


def _classify(code: int, answer: bytes | str) -> Exception:
    text = answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)
    reply = f"{code} {text}".strip()
    return Rejected(reply) if 500 <= code < 600 else Deferred(reply)


class MaildirTransport:
    """The embedded default: mails land in ``DATA/maildir`` (read with mutt -f, or any MUA)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def send(self, message: EmailMessage) -> None:
        box = mailbox.Maildir(self.path, create=True)
        box.add(message)


def transport_for(data_dir: Path) -> SmtpTransport | MaildirTransport:
    config = load_config(data_dir)
    if config is None:
        return MaildirTransport(Path(data_dir) / MAILDIR)
    return SmtpTransport(config)


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, … at most one hour between tries."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


@dataclass
class Report:
    sent: list[str] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def deliver_due(store: Store, transport: SmtpTransport | MaildirTransport, sender: str) -> Report:
    """Send every mail that is due. The store is not locked while a server is talked to;
    a mail is marked sent only once the server accepted it."""
    report = Report()
    for mail in store.due_mails():
        try:
            transport.send(build_message(mail, sender))
        except Deferred as exc:
            store.mark_deferred(mail.id, str(exc), backoff(mail.attempts + 1))
            report.deferred.append(mail.id)
            if isinstance(exc, Unreachable):
                break
        except Rejected as exc:
            store.mark_failed(mail.id, str(exc))
            report.failed.append(mail.id)
        else:
            store.mark_sent(mail.id)
            report.sent.append(mail.id)
    return report


def sender_for(data_dir: Path) -> str:
    config = load_config(data_dir)
    return config.sender if config else DEFAULT_SENDER
