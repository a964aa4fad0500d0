"""Delivering the outbox: SMTP when configured, else a Maildir in the data directory."""

from __future__ import annotations

import contextlib
import email.policy
import itertools
import os
import smtplib
import socket
import ssl
import time
import tomllib
from dataclasses import dataclass, field, replace
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from rules import Mail, RuleViolation, printable
from rules.fields import clean_email
from rules.phrase import N_, Phrase
from store.errors import StoreError
from store.store import Store

CONFIG_FILE = "mail.toml"
MAILDIR = "maildir"
DEFAULT_SENDER = "Vaccinnet <no-reply@vaccinnet.invalid>"


class Deferred(Exception):
    """Try again later: the server is unreachable or answered 4xx."""


class Unreachable(Deferred):
    """A fault of the server, the connection or the disk: the other mails of this round would
    fail the same way, so the round stops and every mail waits."""


class Rejected(Exception):
    """This mail fails for good: the server refused it (5xx) or it cannot be built or encoded.
    It is kept as failed, with the reason, until an admin retries it."""


# Longer server answers are cut: the reason is shown in one line of the admin console.
REASON_LENGTH = 500


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
    """mail.toml cannot be used; its one argument is a Phrase naming the file."""


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
        # The TOML parser's own words (where the syntax is wrong) are shown as it wrote them.
        raise ConfigError(Phrase(N_("{file}: {problem}"), file=path, problem=exc)) from None
    if not isinstance(smtp, dict) or not smtp.get("host"):
        raise ConfigError(
            Phrase(N_("{file}: an [smtp] table with at least host is needed"), file=path)
        )
    security = smtp.get("security", "starttls")
    if security not in ("starttls", "ssl", "none"):
        raise ConfigError(Phrase(N_("{file}: security must be starttls, ssl or none"), file=path))
    password = os.environ.get("VACCINNET_SMTP_PASSWORD")
    if smtp.get("password_file"):
        try:
            password = Path(smtp["password_file"]).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(
                Phrase(N_("{file}: {problem}"), file=smtp["password_file"], problem=exc)
            ) from None
    sender = str(smtp.get("sender", DEFAULT_SENDER))
    if not _is_one_mailbox(sender):
        raise ConfigError(
            Phrase(
                N_("{file}: sender {sender} is not one address"),
                file=path,
                sender=repr(printable(sender)),
            )
        )
    return SmtpConfig(
        host=str(smtp["host"]),
        port=int(smtp.get("port", 465 if security == "ssl" else 587)),
        security=security,
        user=smtp.get("user"),
        password=password,
        sender=sender,
        timeout=float(smtp.get("timeout", 30)),
    )


def _is_one_mailbox(sender: str) -> bool:
    """The sender goes into every mail: a bad one would fail them all, so it fails the start."""
    try:
        header = email.policy.SMTP.header_factory("From", sender)
        header.fold(policy=email.policy.SMTP)
    except Exception:  # the e-mail package raises more than ValueError on odd input
        return False
    return not header.defects and len(header.addresses) == 1 and bool(header.addresses[0].domain)


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
    if mail.attachment:
        # With a BOM: a Belgian Excel then opens the accents right.
        message.add_attachment(
            mail.attachment.encode("utf-8-sig"),
            maintype="text",
            subtype="csv",
            filename=mail.attachment_name or "staff.csv",
        )
    return message


def prepared(mail: Mail, sender: str) -> EmailMessage:
    """The message, already rendered once as it will be sent, or Rejected with the reason:
    whatever fails here is tied to this mail alone (an address from an old store, a header)."""
    # An older version's store may hold addresses today's rule refuses, or non-ASCII domains
    # it now sends in their IDNA form: the mailer sends only what the rule accepts.
    try:
        to = clean_email(mail.to)
    except RuleViolation as refusal:
        raise Rejected(Phrase(N_("invalid address: {refusal}"), refusal=refusal)) from None
    try:
        message = build_message(replace(mail, to=to), sender)
        message.as_bytes(policy=email.policy.SMTP)
    except Exception as exc:  # the e-mail package raises AttributeError, IndexError… too
        raise Rejected(Phrase(N_("cannot be built: {error}"), error=_error(exc))) from None
    return message


class SmtpTransport:
    def __init__(self, config: SmtpConfig) -> None:
        self.config = config

    def send(self, message: EmailMessage) -> None:
        c = self.config
        try:
            client = self._connect()
        # Any refusal before MAIL FROM (greeting, STARTTLS, login) is the server's, not the mail's.
        except (smtplib.SMTPException, OSError) as exc:
            raise Unreachable(f"{c.host}:{c.port}: {exc}") from None
        try:
            try:
                client.send_message(message)
            except BaseException:
                client.close()
                raise
        except smtplib.SMTPRecipientsRefused as exc:
            code, answer = next(iter(exc.recipients.values()))
            raise _classify(code, answer) from None
        except smtplib.SMTPSenderRefused as exc:
            # The sender is the same for every mail: a configuration fault, not this mail's.
            raise Unreachable(
                Phrase(
                    N_("{server}: sender refused: {answer}"),
                    server=f"{c.host}:{c.port}",
                    answer=f"{exc.smtp_code} {_text(exc.smtp_error)}",
                )
            ) from None
        except smtplib.SMTPDataError as exc:
            raise _classify(exc.smtp_code, exc.smtp_error) from None
        except smtplib.SMTPNotSupportedError as exc:
            raise Rejected(
                Phrase(N_("the server cannot take this mail: {answer}"), answer=str(exc))
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise Unreachable(f"{c.host}:{c.port}: {exc}") from None
        except (UnicodeError, ValueError, LookupError) as exc:
            raise Rejected(Phrase(N_("cannot be encoded: {error}"), error=_error(exc))) from None
        # Accepted: a bad answer to QUIT must not make the mail look unsent and go out twice.
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            client.close()

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        if c.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                c.host, c.port, timeout=c.timeout, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(c.host, c.port, timeout=c.timeout)
        try:
            if c.security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if c.user:
                client.login(c.user, c.password or "")
        except BaseException:
            client.close()
            raise
        return client


def _error(exc: BaseException) -> str:
    """Python's words for a fault, named by its class: data for whoever reads the reason."""
    return f"{type(exc).__name__}: {exc}"


def _text(answer: bytes | str) -> str:
    return answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)


def _classify(code: int, answer: bytes | str) -> Exception:
    reply = f"{code} {_text(answer)}".strip()
    return Rejected(reply) if 500 <= code < 600 else Deferred(reply)


class MaildirTransport:
    """The embedded default: mails land in ``DATA/maildir`` (read with mutt -f, or any MUA).

    Written here rather than with ``mailbox.Maildir``, which creates files 0644 under the usual
    umask: these mails hold NISS, so files are 0600 and directories 0700, and each file is
    synced before the mail counts as sent.
    """

    _serial = itertools.count()

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._private = False

    def send(self, message: EmailMessage) -> None:
        data = message.as_bytes()
        try:
            self._make_private()
            self._deliver(data)
        except OSError as exc:
            where = exc.filename or self.path
            raise Unreachable(Phrase(N_("{file}: {problem}"), file=where, problem=exc)) from None

    def _make_private(self) -> None:
        if self._private:
            return
        for sub in ("", "tmp", "new", "cur"):
            folder = self.path / sub
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.chmod(folder, 0o700)
        # Mails written by earlier versions, 0644, are closed too; at best effort, since the
        # 0700 directories already keep others out and one odd file must not stop delivery.
        for sub in ("new", "cur"):
            for entry in os.scandir(self.path / sub):
                with contextlib.suppress(OSError):
                    if entry.is_file(follow_symlinks=False) and entry.stat().st_mode & 0o077:
                        os.chmod(entry.path, 0o600)
        self._private = True

    def _deliver(self, data: bytes) -> None:
        now = time.time()
        name = (
            f"{int(now)}.M{int(now % 1 * 1e6)}P{os.getpid()}Q{next(self._serial)}."
            f"{socket.gethostname().replace('/', '_').replace(':', '_')}"
        )
        tmp, new = self.path / "tmp" / name, self.path / "new" / name
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            try:
                os.link(tmp, new)  # never replaces a file, unlike a rename
            except (AttributeError, PermissionError):  # file systems without hard links
                os.rename(tmp, new)
        finally:
            tmp.unlink(missing_ok=True)
        dir_fd = os.open(self.path / "new", os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


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
    # mail id -> why it failed: a Phrase (English as a string, as stored), or a server's answer
    reasons: dict[str, str] = field(default_factory=dict)


def deliver_due(
    store: Store,
    transport: SmtpTransport | MaildirTransport,
    sender: str,
    unrecorded: list[str] | None = None,
) -> Report:
    """Send every mail that is due. The store is not locked while a server is talked to;
    a mail is marked sent only once the server accepted it.

    ``unrecorded``: kept by a service from one round to the next, the mails a server accepted
    while the store could not record it (a database failing over). They are recorded first,
    before anything else is sent; meanwhile this notifier's claim keeps others from them.

    A mail that fails for a reason of its own is marked failed and the others go on; only a
    fault of the server, the connection or the disk (Unreachable) ends the round.
    """
    report = Report()
    unrecorded = unrecorded if unrecorded is not None else []
    while unrecorded:
        store.mark_sent(unrecorded[0])
        report.sent.append(unrecorded.pop(0))
    notifier = notifier_name()
    claimed = store.claim_due_mails(notifier)
    for done, mail in enumerate(claimed):
        try:
            transport.send(prepared(mail, sender))
        except Deferred as exc:
            store.mark_deferred(mail.id, reason_text(_why(exc)), backoff(mail.attempts + 1))
            report.deferred.append(mail.id)
            if isinstance(exc, Unreachable):
                store.release_mails(notifier, [m.id for m in claimed[done + 1 :]])
                break
        except Rejected as exc:
            _fail(store, report, mail, _why(exc))
        except Exception as exc:  # a fault in this mail's path must not hold up the others
            _fail(store, report, mail, Phrase(N_("unexpected error: {error}"), error=_error(exc)))
        else:
            try:
                store.mark_sent(mail.id)
            except StoreError:
                unrecorded.append(mail.id)  # sent: never again, whatever the store says now
                raise
            report.sent.append(mail.id)
    return report


def notifier_name() -> str:
    """Who holds the mails a round claimed: this host and process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _fail(store: Store, report: Report, mail: Mail, reason: str) -> None:
    """Stored in English (the store has no reader yet); reported as said, for the CLI."""
    store.mark_failed(mail.id, reason_text(reason))
    report.failed.append(mail.id)
    report.reasons[mail.id] = reason


def _why(error: Exception) -> str:
    """What a delivery exception says: its Phrase, or a server's answer as it is."""
    return error.args[0] if error.args and isinstance(error.args[0], str) else str(error)


def reason_text(reason: str) -> str:
    """Server answers are data from outside: one line, no control characters, bounded."""
    text = printable(" ".join(str(reason).split()))
    return text if len(text) <= REASON_LENGTH else text[: REASON_LENGTH - 1] + "…"


def sender_for(data_dir: Path) -> str:
    config = load_config(data_dir)
    return config.sender if config else DEFAULT_SENDER
