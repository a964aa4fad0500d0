"""The housekeeping job and its settings: requests past their deadline expire, and the admins
get a daily digest of overdue requests; each action happens once, however many hosts run it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import rules
from rules import HOUSEKEEPING, Admin, Mail, Request, Settings
from rules.digest import Overdue, compose_digest
from store import codec
from store.engine import BRUSSELS
from store.indexes import REQUESTS_BY_STATUS
from store.outbox import queue_decision_mail
from store.records import SETTINGS
from store.requests import Requests

# The Brussels day of the last round that did its daily work, and of the last digest.
HOUSEKEPT_ON = "housekept_on"
DIGEST_ON = "digest_on"


@dataclass(frozen=True, slots=True)
class HousekeepingReport:
    expired: tuple[Request, ...] = ()
    digests: tuple[Mail, ...] = ()  # one per admin with an address, on a day with overdue
    overdue: int = 0  # how many requests the digest counted (0 on other rounds)


@dataclass(frozen=True, slots=True)
class _Work:
    settings: Settings
    expiring: list[tuple[int, Request]]
    digest: bool
    new_day: bool

    def __bool__(self) -> bool:
        return bool(self.expiring or self.digest or self.new_day)


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


class Housekeeping(Requests):
    # ----- settings -------------------------------------------------------------------------

    def settings(self) -> Settings:
        with self.reading():
            return self._settings()

    def change_settings(self, admin_id: str, changes: dict[str, object]) -> Settings:
        """An admin changes deadlines; audited with each value before and after."""
        with self._writing():
            before = self._settings()
            after = rules.plan_settings(self._admin(admin_id), before, changes)
            diff: dict[str, Any] = {
                name: [old, after.as_dict()[name]]
                for name, old in before.as_dict().items()
                if old != after.as_dict()[name]
            }
            if diff:
                self._files.set_meta(SETTINGS, after.as_dict())
                self._audit(admin_id, "settings_changed", **diff)
        return after

    def expiring(self, settings: Settings | None = None) -> list[Request]:
        """The pending requests the next round would expire (under ``settings``, if given:
        what a change would do)."""
        with self.reading():
            chosen = settings or self._settings()
            today = self._clock().astimezone(BRUSSELS).date()
            return [r for _, r in self._past_deadline(chosen, today)]

    def last_housekeeping(self) -> date | None:
        """The Brussels day housekeeping last did its daily round; None if it never ran."""
        with self.reading():
            return _day(self._files.meta.get(HOUSEKEPT_ON))

    # ----- the job ----------------------------------------------------------------------------

    def housekeeping(self) -> HousekeepingReport:
        """One round: read without the lock, and write only when there is something to do,
        judged again under the lock (another host may have done it meanwhile)."""
        local = self._clock().astimezone(BRUSSELS)
        with self.reading():
            if not self._work(local):
                return HousekeepingReport()
        with self._writing():
            work = self._work(local)
            # Every read before the first write: a transaction reads what is committed.
            overdue = (
                self._overdue(work.settings, local.date(), work.expiring) if work.digest else []
            )
            admins = [a for a in self._admins() if a.email] if overdue else []
            expired = tuple(self._expire(doc_id, r, work.settings) for doc_id, r in work.expiring)
            digests = tuple(
                self._queue_digest(a, overdue, local.date(), work.settings) for a in admins
            )
            if work.digest:
                self._files.set_meta(DIGEST_ON, local.date().isoformat())
            if work.new_day:
                self._files.set_meta(HOUSEKEPT_ON, local.date().isoformat())
        return HousekeepingReport(expired, digests, len(overdue))

    def _work(self, local: datetime) -> _Work:
        settings = self._settings()
        today = local.date()
        meta = self._files.meta
        return _Work(
            settings,
            self._past_deadline(settings, today),
            rules.digest_due(local, _day(meta.get(DIGEST_ON))),
            _day(meta.get(HOUSEKEPT_ON)) != today,
        )

    def _pending_docs(self) -> list[tuple[int, Request]]:
        return [
            (doc_id, codec.request_from_doc(doc))
            for doc_id, doc in self._docs(REQUESTS_BY_STATUS, "pending")
        ]

    def _past_deadline(self, settings: Settings, today: date) -> list[tuple[int, Request]]:
        if not settings.expire_after_days:
            return []
        return [
            (doc_id, request)
            for doc_id, request in self._pending_docs()
            if rules.has_expired(request.filed_at.astimezone(BRUSSELS).date(), today, settings)
        ]

    def _overdue(
        self, settings: Settings, today: date, expiring: list[tuple[int, Request]]
    ) -> list[Overdue]:
        gone = {request.id for _, request in expiring}
        names: dict[str, str] = {}
        found = []
        for _, request in self._pending_docs():
            filed_on = request.filed_at.astimezone(BRUSSELS).date()
            if request.id in gone or not rules.is_late(filed_on, today, settings):
                continue
            if request.entity_id not in names:
                entity = self._entity_doc(request.entity_id)
                names[request.entity_id] = entity[1]["name"] if entity else request.entity_id
            found.append(Overdue(request, names[request.entity_id], filed_on))
        return found

    def _admins(self) -> list[Admin]:
        return [codec.admin_from_doc(doc) for _, doc in self._files.items("admins")]

    def _expire(self, doc_id: int, request: Request, settings: Settings) -> Request:
        expired = rules.plan_expire(request, self._clock(), settings)
        found = self._entity_doc(request.entity_id)
        self._save_decision(doc_id, expired)
        if found is not None:
            queue_decision_mail(self, codec.entity_from_doc(found[1]), expired)
        self._audit(
            HOUSEKEEPING,
            "request_expired",
            expired.entity_id,
            expired.niss,
            expired.id,
            kind=expired.kind,
            deadline_days=expired.deadline_days,
        )
        return expired

    def _queue_digest(
        self, admin: Admin, overdue: list[Overdue], today: date, settings: Settings
    ) -> Mail:
        draft = compose_digest(admin, overdue, today, settings.remind_after_working_days)
        doc_id = self._files.next_id("outbox")
        mail = Mail(
            to=draft.to,
            subject=draft.subject,
            body=draft.body,
            id=codec.mail_id(doc_id),
            message_id=f"<digest.{today.isoformat()}.{admin.id}.{doc_id}@vaccinnet-staff>",
            language=draft.language,
            created_at=self._clock(),
        )
        self._insert("outbox", codec.mail_to_doc(mail), doc_id)
        self._audit(
            HOUSEKEEPING, "digest_queued", mail=mail.id, admin=admin.id, overdue=len(overdue)
        )
        return mail
