"""Deadlines of pending requests: the store's settings, expiry, and the admins' daily digest."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from rules.messages import render
from rules.records import Admin, Request, person_label
from rules.violation import RuleViolation
from rules.workdays import OVERDUE_WORKING_DAYS, is_overdue, is_working_day

# Who the trail names for what the housekeeping job does: no admin and no person.
HOUSEKEEPING = "housekeeping"
# The digest leaves on a working day from this Brussels hour: not at midnight.
DIGEST_FROM = time(7, 0)

# Whole numbers, with the range an admin may choose (0 turns expiry off).
SETTING_RANGES: dict[str, tuple[int, int]] = {
    "expire_after_days": (0, 730),
    "remind_after_working_days": (1, 60),
}


@dataclass(frozen=True, slots=True)
class Settings:
    """What admins may change about deadlines, and what a store holds before they do."""

    expire_after_days: int = 60
    remind_after_working_days: int = OVERDUE_WORKING_DAYS

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in SETTING_RANGES}


def settings_from(values: Any) -> Settings:
    """The settings a store holds; what is absent takes its default. ValueError when a value
    is not one an admin could have chosen (a hand-edited manifest)."""
    if values is None:
        return Settings()
    if not isinstance(values, dict):
        raise ValueError("settings are not a mapping")
    chosen = {}
    for name, value in values.items():
        if name not in SETTING_RANGES:
            continue  # a setting of a newer version is not this one's to judge
        low, high = SETTING_RANGES[name]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"{name} is {value!r}")
        chosen[name] = value
    return Settings(**chosen)


def plan_settings(admin: Admin | None, current: Settings, changes: dict[str, object]) -> Settings:
    """An admin changes settings: each a whole number within its range."""
    if admin is None:
        raise RuleViolation("not_authorized", message_key="not_authorized.admin")
    if not changes:
        raise RuleViolation("no_setting_given")
    chosen: dict[str, int] = {}
    for name, raw in changes.items():
        if name not in SETTING_RANGES:
            raise RuleViolation("unknown_setting", {"value": name})
        low, high = SETTING_RANGES[name]
        text = str(raw).strip()
        if not (text.isascii() and text.isdigit() and len(text) <= 6 and low <= int(text) <= high):
            raise RuleViolation(
                "invalid_setting", {"setting": name, "value": text, "low": low, "high": high}
            )
        chosen[name] = int(text)
    return replace(current, **chosen)


def last_pending_day(filed_on: date, settings: Settings) -> date | None:
    """The last Brussels day a request filed on ``filed_on`` may still be decided; None when
    requests do not expire. « 60 days » counts calendar days: filed on 1 October, it may be
    decided up to 30 November and expires on 1 December."""
    if not settings.expire_after_days:
        return None
    return filed_on + timedelta(days=settings.expire_after_days)


def has_expired(filed_on: date, today: date, settings: Settings) -> bool:
    """Both days are Brussels dates (the caller converts: rules/ reads no zone database)."""
    last = last_pending_day(filed_on, settings)
    return last is not None and today > last


def plan_expire(request: Request, now: datetime, settings: Settings) -> Request:
    """The job closes a request nobody decided in time: the entity may file it again."""
    if request.status != "pending":
        person = person_label(request.first_name, request.last_name, request.niss)
        raise RuleViolation(
            "not_pending", {"request": request.id, "person": person, "status": request.status}
        )
    return replace(
        request,
        status="expired",
        decided_by=HOUSEKEEPING,
        decided_at=now,
        deadline_days=settings.expire_after_days,
    )


def is_late(filed_on: date, today: date, settings: Settings) -> bool:
    """Overdue: more working days waiting than the admins' reminder threshold."""
    return is_overdue(filed_on, today, settings.remind_after_working_days)


def digest_due(local_now: datetime, last_sent_on: date | None) -> bool:
    """Whether the overdue digest leaves now: once per working day, from DIGEST_FROM
    (``local_now`` is Brussels time)."""
    today = local_now.date()
    if last_sent_on is not None and last_sent_on >= today:
        return False
    return is_working_day(today) and local_now.time() >= DIGEST_FROM


def decision_reason(request: Request, lang: str) -> str | None:
    """Why a request was closed, for the lists that show it: the admin's reason for a
    rejection, the deadline for an expiry."""
    if request.status == "expired" and request.deadline_days is not None:
        return render("expired.reason", lang, {"days": request.deadline_days})
    if request.status in ("rejected", "approved"):
        return request.reason  # an approval's is the admin's note, if any
    return None
