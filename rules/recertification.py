"""The yearly staff review (recertification): an admin opens it with a due date, each entity's
managers confirm who still works there, and nothing is removed when it runs late."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from rules.link_ends import check_between, parse_day
from rules.records import Admin, Link
from rules.requests import EntityState, check_manager
from rules.violation import RuleViolation
from rules.vocabulary import ENTITY_KINDS

REMINDERS = (7, 0)  # days before the due date: a week before, and on the day
LONGEST = 366  # days a review may last


@dataclass(frozen=True, slots=True)
class Campaign:
    id: str  # « review-2026-11-30 »: the day it was opened (one open at a time)
    opened_by: str
    opened_at: datetime
    due: date
    kinds: tuple[str, ...] = ()  # the entity kinds it covers; none: every entity
    closed_by: str | None = None
    closed_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def covers(self, entity_kind: str) -> bool:
        return self.is_open and (not self.kinds or entity_kind in self.kinds)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "opened_by": self.opened_by,
            "opened_at": self.opened_at.isoformat(),
            "due": self.due.isoformat(),
            "kinds": list(self.kinds),
            "closed_by": self.closed_by,
            "closed_at": self.closed_at.isoformat() if self.closed_at else None,
        }


def campaign_from(values: Any) -> Campaign | None:
    """The review a store holds; ValueError when it is not one the store wrote."""
    if values is None:
        return None
    if not isinstance(values, dict):
        raise ValueError("the review is not a mapping")
    try:
        closed = values.get("closed_at")
        return Campaign(
            id=str(values["id"]),
            opened_by=str(values["opened_by"]),
            opened_at=datetime.fromisoformat(values["opened_at"]),
            due=date.fromisoformat(values["due"]),
            kinds=tuple(str(k) for k in values.get("kinds") or ()),
            closed_by=values.get("closed_by"),
            closed_at=datetime.fromisoformat(closed) if closed else None,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"the review is damaged ({exc})") from None


def plan_open_review(
    admin: Admin | None,
    current: Campaign | None,
    due: object,
    kinds: Sequence[str],
    now: datetime,
    today: date,
) -> Campaign:
    """An admin opens a review of every entity, or of the chosen kinds, due on a day from
    tomorrow to a year ahead; one at a time."""
    if admin is None:
        raise RuleViolation("not_authorized", message_key="not_authorized.admin")
    if current is not None and current.is_open:
        raise RuleViolation("review_already_open", {"due": current.due.strftime("%d/%m/%Y")})
    day = clean_review_due(due, today)
    for kind in kinds:
        if kind not in ENTITY_KINDS:
            raise RuleViolation("unknown_kind", {"value": kind})
    review_id = f"review-{today.isoformat()}"
    if current is not None and current.id.startswith(review_id):
        # Closed and opened again the same day: a new review, not the old confirmations.
        rest = current.id.removeprefix(review_id).lstrip("-")
        review_id += f"-{int(rest) + 1 if rest.isdigit() else 2}"
    return Campaign(review_id, admin.id, now, day, tuple(dict.fromkeys(kinds)))


def clean_review_due(due: object, today: date) -> date:
    """The due date typed for a review: a day from tomorrow to a year ahead."""
    day = due if isinstance(due, date) else parse_day(due)
    if day is None:
        raise RuleViolation("invalid_until", {"value": str(due)[:80]})
    latest = today + timedelta(days=LONGEST)
    return check_between(day, today + timedelta(days=1), latest, "review_due_out_of_range")


def plan_close_review(admin: Admin | None, current: Campaign | None, now: datetime) -> Campaign:
    if admin is None:
        raise RuleViolation("not_authorized", message_key="not_authorized.admin")
    if current is None or not current.is_open:
        raise RuleViolation("no_review_open")
    return replace(current, closed_by=admin.id, closed_at=now)


def plan_confirm(
    state: EntityState | None, actor_niss: str, nisses: Sequence[str], campaign: Campaign | None
) -> list[Link]:
    """A manager confirms that these people still work at the entity: their links, marked."""
    check_manager(state, actor_niss)
    assert state is not None
    if campaign is None or not campaign.covers(state.entity.kind):
        raise RuleViolation("no_review_open")
    leaving = {r.niss for r in state.pending if r.kind == "disconnect"}
    confirmed = []
    for niss in dict.fromkeys(nisses):
        link = state.link_of(niss)
        if link is None:
            raise RuleViolation("not_linked", {"person": niss, "entity": state.entity.name})
        # Someone whose disconnection is pending was answered for: not « still here ».
        if not answered(link, campaign, leaving):
            confirmed.append(replace(link, reviewed=campaign.id))
    return confirmed


@dataclass(frozen=True, slots=True)
class Progress:
    total: int
    done: int

    @property
    def state(self) -> str:
        """done, partly done or not started (what the admins' list says)."""
        if self.done >= self.total:
            return "done"
        return "partial" if self.done else "not_started"


def answered(link: Link, campaign: Campaign, leaving: Collection[str] = ()) -> bool:
    """Confirmed in this review, or reported as leaving (a pending disconnection)."""
    return link.reviewed == campaign.id or link.niss in leaving


def progress(links: Sequence[Link], campaign: Campaign, leaving: Collection[str] = ()) -> Progress:
    """Who was reviewed (confirmed, or reported as no longer working there)."""
    return Progress(len(links), sum(1 for link in links if answered(link, campaign, leaving)))


def reminder_due(campaign: Campaign, today: date, sent: Sequence[int]) -> int | None:
    """The reminder (7 days before the due date, or on it) an unfinished entity gets today,
    if not sent; a round that missed the first sends only the second. None after the day."""
    if not campaign.is_open or today > campaign.due:
        return None
    left = (campaign.due - today).days
    due = [days for days in REMINDERS if left <= days]
    if not due:
        return None
    nearest = min(due)
    return None if any(s <= nearest for s in sent) else nearest


def is_past_due(campaign: Campaign | None, today: date) -> bool:
    """The review is open and its due date is over (``today``: the Brussels day)."""
    return campaign is not None and campaign.is_open and today > campaign.due


def is_overdue_review(campaign: Campaign | None, today: date, done: Progress) -> bool:
    """An entity late with its answer: past the due date and not done."""
    return is_past_due(campaign, today) and done.state != "done"
