"""The housekeeping job and its settings: requests past their deadline expire, and the admins
get a daily digest of overdue requests; each action happens once, however many hosts run it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

import rules
from rules import HOUSEKEEPING, Admin, Entity, Link, Mail, Request, Settings
from rules.digest import Overdue, compose_digest
from rules.link_ends import LinkEnd, has_ended, plan_link_ends, warning_due
from rules.link_mail import compose_link_mail
from rules.recertification import Progress
from store import codec
from store.engine import BRUSSELS, retried
from store.indexes import LINKS_BY_ENTITY, LINKS_WITH_END, REQUESTS_BY_STATUS
from store.outbox import queue_decision_mail, queue_mail
from store.recertification import Recertification
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
    warned: tuple[tuple[Link, int], ...] = ()  # links whose end is near, and in how many days
    ended: tuple[Link, ...] = ()  # links removed on their end date
    held: tuple[Link, ...] = ()  # links kept past it (the entity needs them), newly
    reminded: tuple[tuple[Entity, int], ...] = ()  # the yearly review's reminders sent


@dataclass(frozen=True, slots=True)
class _Work:
    settings: Settings
    expiring: list[tuple[int, Request]]
    digest: bool
    new_day: bool
    warnings: list[tuple[Entity, Link, int, list[int]]]
    ends: list[tuple[Entity, LinkEnd, list[int]]]
    # The yearly review's reminders, judged once a day (the daily round).
    reminders: list[tuple[int, Entity, int, Progress]]

    def __bool__(self) -> bool:
        return bool(
            self.expiring
            or self.digest
            or self.new_day
            or self.warnings
            or self.ends
            or self.reminders
        )


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


class Housekeeping(Requests, Recertification):
    # ----- settings -------------------------------------------------------------------------

    def settings(self) -> Settings:
        with self.reading():
            return self._settings()

    @retried
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

    @retried
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
            for entity, link, days, ids in work.warnings:
                self._warn_end(entity, link, days, ids)
            for entity, end, ids in work.ends:
                self._end_link(entity, end, ids)
            campaign = self._campaign()
            for doc_id, entity, days, done in work.reminders:
                assert campaign is not None
                self._remind(campaign, doc_id, entity, days, done)
            digests = tuple(
                self._queue_digest(a, overdue, local.date(), work.settings) for a in admins
            )
            if work.digest:
                self._files.set_meta(DIGEST_ON, local.date().isoformat())
            if work.new_day:
                self._files.set_meta(HOUSEKEPT_ON, local.date().isoformat())
        return HousekeepingReport(
            expired,
            digests,
            len(overdue),
            tuple((link, days) for _, link, days, _ in work.warnings),
            tuple(end.link for _, end, _ in work.ends if end.removed),
            tuple(end.link for _, end, _ in work.ends if not end.removed),
            tuple((entity, days) for _, entity, days, _ in work.reminders),
        )

    def _work(self, local: datetime) -> _Work:
        settings = self._settings()
        today = local.date()
        meta = self._files.meta
        warnings, ends = self._link_work(today)
        new_day = _day(meta.get(HOUSEKEPT_ON)) != today
        return _Work(
            settings,
            self._past_deadline(settings, today),
            rules.digest_due(local, _day(meta.get(DIGEST_ON))),
            new_day,
            warnings,
            ends,
            self._review_reminders(today) if new_day else [],
        )

    def _link_work(
        self, today: date
    ) -> tuple[list[tuple[Entity, Link, int, list[int]]], list[tuple[Entity, LinkEnd, list[int]]]]:
        """Links whose end is near (a warning not sent yet) or past (removed, or newly held)."""
        warnings: list[tuple[Entity, Link, int, list[int]]] = []
        ending: set[str] = set()
        entities: dict[str, Entity] = {}
        for doc_id, doc in self._docs(LINKS_WITH_END, True):
            link = codec.link_from_doc(doc)
            if has_ended(link, today):
                ending.add(link.entity_id)
                continue
            days = warning_due(link, today)
            if days is None:
                continue
            if link.entity_id not in entities:
                found = self._entity_doc(link.entity_id)
                if found is None:
                    continue
                entities[link.entity_id] = codec.entity_from_doc(found[1])
            warnings.append((entities[link.entity_id], link, days, [doc_id]))
        ends: list[tuple[Entity, LinkEnd, list[int]]] = []
        for entity_id in sorted(ending):
            state = self._state(entity_id)
            if state is None:
                continue
            ids: dict[str, list[int]] = {}
            for doc_id, doc in self._docs(LINKS_BY_ENTITY, entity_id):
                ids.setdefault(doc["niss"], []).append(doc_id)
            for end in plan_link_ends(state, today):
                if end.removed or not end.link.held:
                    ends.append((state.entity, end, ids.get(end.link.niss, [])))
        return warnings, ends

    def _warn_end(self, entity: Entity, link: Link, days: int, ids: list[int]) -> None:
        self._save_link(ids, replace(link, warned=days))
        queue_mail(
            self, compose_link_mail(entity, link, "warning", days), f"link.{entity.id}", entity.id
        )
        self._audit(
            HOUSEKEEPING,
            "link_end_warned",
            entity.id,
            link.niss,
            until=link.until.isoformat() if link.until else None,
            days=days,
        )

    def _end_link(self, entity: Entity, end: LinkEnd, ids: list[int]) -> None:
        link = end.link
        until = link.until.isoformat() if link.until else None
        if end.removed:
            self._tables["links"].remove(doc_ids=ids)
            draft = compose_link_mail(entity, link, "ended", orphans=end.orphans)
            queue_mail(self, draft, f"link.{entity.id}", entity.id)
            orphans: dict[str, Any] = (
                {"trainees": [o.niss for o in end.orphans]} if end.orphans else {}
            )
            self._audit(HOUSEKEEPING, "link_ended", entity.id, link.niss, until=until, **orphans)
            return
        assert end.refusal is not None
        self._save_link(ids, replace(link, held=True))
        draft = compose_link_mail(entity, link, "held", refusal=end.refusal)
        queue_mail(self, draft, f"link.{entity.id}", entity.id)
        self._audit(
            HOUSEKEEPING, "link_end_held", entity.id, link.niss, until=until, rule=end.refusal.code
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
        mail = queue_mail(self, draft, f"digest.{today.isoformat()}.{admin.id}")
        self._audit(
            HOUSEKEEPING, "digest_queued", mail=mail.id, admin=admin.id, overdue=len(overdue)
        )
        return mail
