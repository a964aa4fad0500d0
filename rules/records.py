"""The domain's records: immutable dataclasses shared by rules, store and tui."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from rules.niss import format_niss, mask_niss


@dataclass(frozen=True, slots=True)
class Admin:
    id: str
    name: str
    niss: str | None = None
    email: str | None = None  # where the daily digest of overdue requests goes


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    name: str
    kind: str
    email: str
    language: str


@dataclass(frozen=True, slots=True)
class Link:
    entity_id: str
    niss: str
    last_name: str
    first_name: str
    employee_type: str
    since: datetime
    supervisor: str | None = None
    # « lié jusqu'au »: linked on that Brussels day too, removed once it is over.
    until: date | None = None
    warned: int | None = None  # the nearest warning of the end already sent (14 or 1 days)
    held: bool = False  # kept past its end date: the entity would be left without anyone
    reviewed: str | None = None  # the yearly review that last confirmed it (its id)

    @property
    def full_name(self) -> str:
        return person_name(self.first_name, self.last_name)


@dataclass(frozen=True, slots=True)
class Request:
    id: str
    kind: str  # connect | disconnect | extend
    entity_id: str
    niss: str
    last_name: str
    first_name: str
    employee_type: str
    filed_by: str
    filed_at: datetime
    status: str = "pending"  # pending | approved | rejected | deleted | withdrawn | expired
    decided_by: str | None = None
    decided_at: datetime | None = None
    reason: str | None = None
    # expired: the setting that expired it (it may change later), for the reason shown.
    deadline_days: int | None = None
    # connect: the end date of the link asked for; extend: the new end date.
    until: date | None = None
    note: str | None = None  # the requester's note to the admins (an approval's note: reason)
    batch: str | None = None  # filed by an import: the id of its first request

    @property
    def full_name(self) -> str:
        return person_name(self.first_name, self.last_name)


@dataclass(frozen=True, slots=True)
class Mail:
    to: str
    subject: str
    body: str
    status: str = "pending"  # pending | sent | failed
    id: str = ""
    message_id: str = ""
    entity_id: str = ""
    request_id: str = ""
    language: str = "fr"
    created_at: datetime | None = None
    attempts: int = 0
    last_error: str | None = None
    next_attempt_at: datetime | None = None
    sent_at: datetime | None = None
    # A CSV the mail carries (the entity's own staff list), by its file name.
    attachment_name: str = ""
    attachment: str = ""


@dataclass(frozen=True, slots=True)
class MailDraft:
    to: str
    subject: str
    body: str
    language: str


def person_name(first_name: str, last_name: str) -> str:
    """« DUPONT Marie »: how every list, dialog, message and mail names a person.

    One form everywhere, the one the lists sort by: surname first and in capitals, so the
    surname is never mistaken for a first name (« Martin Thomas »).
    """
    return f"{last_name.upper()} {first_name}".strip()


def person_label(first_name: str, last_name: str, niss: str) -> str:
    """How a message names a person: ``DUPONT Marie (85.07.30-033.28)``."""
    return f"{person_name(first_name, last_name)} ({format_niss(niss)})"


def colleague_label(first_name: str, last_name: str, niss: str) -> str:
    """A linked colleague, named for a staff member who never typed their number:
    ``DUPONT Marie (85.07.30-***.**)``, as the staff list shows them."""
    return f"{person_name(first_name, last_name)} ({mask_niss(niss)})"
