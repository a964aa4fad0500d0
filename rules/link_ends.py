"""Links with an end date (« lié jusqu'au »): the date's rules, the warnings before it, and
what the end does to the entity.

« Lié jusqu'au 31/08/2027 » means linked on 31 August too: the link ends when that day is
over, and the housekeeping round that first sees 1 September removes it. The warnings go
14 days and 1 day before the end date (17 and 30 August)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from rules.records import Link, colleague_label
from rules.requests import EntityState
from rules.violation import RuleViolation
from rules.vocabulary import is_manager

UNTIL_YEARS = 3
WARNINGS = (14, 1)  # days before the end date, the furthest first


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def parse_day(raw: object) -> date | None:
    """31/08/2027, 31-08-2027, 31.08.2027 or 2027-08-31; None if it is none of those."""
    text = str(raw).strip()
    for form in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    return None


def clean_until(raw: object, today: date, employee_type: str) -> date | None:
    """The end date typed on a Nouvelle demande (``today`` is the Brussels day): none, or a
    day from tomorrow to three years ahead. A GP trainee's (MACG) is required: a placement
    ends."""
    if isinstance(raw, date):
        until: date | None = raw
        shown = raw.strftime("%d/%m/%Y")
    else:
        shown = str(raw or "").strip()
        if not shown:
            if employee_type == "macg":
                raise RuleViolation("until_required")
            return None
        until = parse_day(shown)
    if until is None:
        raise RuleViolation("invalid_until", {"value": shown[:80]})
    latest = _years_later(today, UNTIL_YEARS)
    return check_between(until, today + timedelta(days=1), latest, "until_out_of_range")


def check_between(day: date, earliest: date, latest: date, code: str) -> date:
    """``day`` itself, or the refusal ``code`` naming the range, dates as people write them."""
    if not earliest <= day <= latest:
        raise RuleViolation(
            code,
            {
                "value": day.strftime("%d/%m/%Y"),
                "earliest": earliest.strftime("%d/%m/%Y"),
                "latest": latest.strftime("%d/%m/%Y"),
            },
        )
    return day


def warning_due(link: Link, today: date) -> int | None:
    """The warning (14 or 1 days before) a round sends today, if one is due and not sent.

    A round that missed the 14-day warning (the job was stopped) sends only the nearer one."""
    if link.until is None or today > link.until:
        return None
    left = (link.until - today).days
    due = [days for days in WARNINGS if left <= days]
    if not due:
        return None
    nearest = min(due)
    if link.warned is not None and link.warned <= nearest:
        return None
    return nearest


def has_ended(link: Link, today: date) -> bool:
    return link.until is not None and today > link.until


@dataclass(frozen=True, slots=True)
class LinkEnd:
    """What the end of a link does: removed, or held because the entity needs it."""

    link: Link
    removed: bool
    refusal: RuleViolation | None = None  # why it is held (last_person, last_manager)
    orphans: tuple[Link, ...] = ()  # GP trainees whose supervising doctor leaves


def plan_link_ends(state: EntityState, today: date) -> list[LinkEnd]:
    """The entity's links whose end date has passed, each removed unless the entity would be
    left with nobody or no manager: then held (and told), until it has someone else."""
    ending = [link for link in state.links if has_ended(link, today)]
    remaining = [link for link in state.links if not has_ended(link, today)]
    ends = []
    for link in sorted(ending, key=lambda k: (not is_manager(k.employee_type), k.niss)):
        # Managers first: a non-manager's end never makes a manager's impossible, the
        # reverse may; each judged against what stays.
        others = [k for k in remaining if k.niss != link.niss]
        label = colleague_label(link.first_name, link.last_name, link.niss)
        params = {"person": label, "entity": state.entity.name}
        if not others:
            ends.append(LinkEnd(link, False, RuleViolation("last_person", params)))
            remaining.append(link)
        elif is_manager(link.employee_type) and not any(
            is_manager(k.employee_type) for k in others
        ):
            ends.append(LinkEnd(link, False, RuleViolation("last_manager", params)))
            remaining.append(link)
        else:
            orphans = tuple(
                k for k in state.links if k.supervisor == link.niss and k.niss != link.niss
            )
            ends.append(LinkEnd(link, True, orphans=orphans))
    return ends
