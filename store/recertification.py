"""The yearly staff review: opened and closed by an admin, answered by each entity's managers
(a confirmation marks the link), its progress per entity, the reminders housekeeping sends."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from rules import HOUSEKEEPING, Entity, Link
from rules.recertification import (
    Campaign,
    Progress,
    answered,
    plan_close_review,
    plan_confirm,
    plan_open_review,
    progress,
    reminder_due,
)
from rules.review_mail import compose_review_reminder
from store import codec
from store.engine import BRUSSELS, retried
from store.indexes import LINKS_BY_ENTITY, REQUESTS_BY_STATUS
from store.outbox import queue_mail
from store.records import RECERTIFICATION, Records

# On an entity's document: the reminders of the current review it was sent.
REMINDED = "review_reminded"


@dataclass(frozen=True, slots=True)
class EntityReview:
    """One entity's answer to the review: how far, and who is left to confirm."""

    entity: Entity
    progress: Progress
    remaining: tuple[Link, ...]


class Recertification(Records):
    def campaign(self) -> Campaign | None:
        with self.reading():
            return self._campaign()

    @retried
    def open_review(self, admin_id: str, due: object, kinds: Sequence[str] = ()) -> Campaign:
        with self._writing():
            now = self._clock()
            campaign = plan_open_review(
                self._admin(admin_id),
                self._campaign(),
                due,
                kinds,
                now,
                now.astimezone(BRUSSELS).date(),
            )
            # Someone whose disconnection is already pending counts as answered from the
            # start, as one filed during the review does (store/requests.py).
            marks = []
            for _, doc in self._docs(REQUESTS_BY_STATUS, "pending"):
                if doc.get("kind") != "disconnect":
                    continue
                state = self._state(doc["entity_id"])
                link = state.link_of(doc["niss"]) if state is not None else None
                if state is not None and link is not None and campaign.covers(state.entity.kind):
                    ids = self._link_ids(state.entity.id, link.niss)
                    marks.append((ids, replace(link, reviewed=campaign.id)))
            for ids, link in marks:
                self._save_link(ids, link)
            self._files.set_meta(RECERTIFICATION, campaign.as_dict())
            self._audit(
                admin_id,
                "review_opened",
                review=campaign.id,
                due=campaign.due.isoformat(),
                kinds=list(campaign.kinds),
            )
        return campaign

    @retried
    def close_review(self, admin_id: str) -> Campaign:
        with self._writing():
            campaign = plan_close_review(self._admin(admin_id), self._campaign(), self._clock())
            self._files.set_meta(RECERTIFICATION, campaign.as_dict())
            self._audit(admin_id, "review_closed", review=campaign.id)
        return campaign

    @retried
    def confirm_staff(self, actor_niss: str, entity_id: str, nisses: Sequence[str]) -> list[Link]:
        """A manager confirms that these people still work at the entity (one key each, or
        every one left at once)."""
        with self._writing():
            state = self._state(str(entity_id).strip())
            confirmed = plan_confirm(state, actor_niss, list(nisses), self._campaign())
            assert state is not None
            ids = {link.niss: self._link_ids(state.entity.id, link.niss) for link in confirmed}
            for link in confirmed:
                self._save_link(ids[link.niss], link)
                self._audit(
                    actor_niss, "staff_confirmed", state.entity.id, link.niss, review=link.reviewed
                )
        return confirmed

    def review_of(self, entity_id: str) -> EntityReview | None:
        """The entity's answer to the open review; None when none covers it."""
        with self.reading():
            campaign = self._campaign()
            found = self._entity_doc(entity_id)
            if campaign is None or found is None:
                return None
            entity = codec.entity_from_doc(found[1])
            if not campaign.covers(entity.kind):
                return None
            return self._entity_review(entity, campaign)

    def _entity_review(self, entity: Entity, campaign: Campaign) -> EntityReview:
        links = [codec.link_from_doc(d) for _, d in self._docs(LINKS_BY_ENTITY, entity.id)]
        leaving = {r.niss for r in self._pending(entity.id) if r.kind == "disconnect"}
        left = tuple(k for k in links if not answered(k, campaign, leaving))
        return EntityReview(entity, progress(links, campaign, leaving), left)

    def review_overview(self) -> list[EntityReview]:
        """Every entity the open review covers, the least done first (admins, `review
        status`). Reads every covered entity's people: a report, not a screen's poll."""
        with self.reading():
            campaign = self._campaign()
            if campaign is None or not campaign.is_open:
                return []
            entities = [codec.entity_from_doc(d) for _, d in self._files.items("entities")]
            found = [self._entity_review(e, campaign) for e in entities if campaign.covers(e.kind)]
        order = {"not_started": 0, "partial": 1, "done": 2}
        found.sort(key=lambda r: (order[r.progress.state], r.entity.id))
        return found

    # ----- reminders, from housekeeping's daily round -------------------------------------------

    def _review_reminders(self, today: date) -> list[tuple[int, Entity, int, Progress]]:
        """Unfinished entities whose reminder (7 days before, on the day) is due today."""
        campaign = self._campaign()
        if campaign is None or not campaign.is_open or today > campaign.due:
            return []
        if reminder_due(campaign, today, []) is None:
            return []  # too early for anyone: no entity is read
        due = []
        for doc_id, doc in self._files.items("entities"):
            entity = codec.entity_from_doc(doc)
            if not campaign.covers(entity.kind):
                continue
            marker: Any = doc.get(REMINDED) or {}
            sent = marker.get("sent", []) if marker.get("review") == campaign.id else []
            days = reminder_due(campaign, today, sent)
            if days is None:
                continue
            done = self._entity_review(entity, campaign).progress
            if done.state != "done":
                due.append((doc_id, entity, days, done))
        return due

    def _remind(
        self, campaign: Campaign, doc_id: int, entity: Entity, days: int, done: Progress
    ) -> None:
        found = self._files.get("entities", doc_id) or {}
        marker: Any = found.get(REMINDED) or {}
        sent = marker.get("sent", []) if marker.get("review") == campaign.id else []
        marked = {"review": campaign.id, "sent": [*sent, days]}
        self._tables["entities"].update({REMINDED: marked}, doc_ids=[doc_id])
        draft = compose_review_reminder(entity, campaign, days, done)
        queue_mail(self, draft, f"review.{campaign.id}.{entity.id}.{days}", entity.id)
        self._audit(HOUSEKEEPING, "review_reminded", entity.id, review=campaign.id, days=days)
