"""End dates and the yearly review on their boundaries: the day before, of and after."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from rules import Entity, Link, RuleViolation
from rules.link_ends import clean_until, has_ended, plan_link_ends, warning_due
from rules.recertification import Campaign, Progress, reminder_due
from rules.requests import EntityState
from tests.conftest import DOCTOR, DOCTOR_2, NURSE, TRAINEE

BRUSSELS = ZoneInfo("Europe/Brussels")
NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)
CAB = Entity("cab", "Cabinet Dupont", "cabinet_medical", "cab@example.be", "fr")


def _link(niss, kind="infirmier", until=None, **more):
    return Link("cab", niss, "Martin", "Claire", kind, NOW, until=until, **more)


@pytest.mark.parametrize(
    ("today", "ended"),
    [(date(2026, 8, 30), False), (date(2026, 8, 31), False), (date(2026, 9, 1), True)],
)
def test_a_link_holds_on_its_end_date_and_ends_the_day_after(today, ended):
    assert has_ended(_link(NURSE, until=date(2026, 8, 31)), today) is ended


def test_the_brussels_day_decides_at_the_midnight_edge():
    link = _link(NURSE, until=date(2026, 8, 31))
    before = datetime(2026, 8, 31, 21, 59, tzinfo=UTC).astimezone(BRUSSELS)  # 23:59
    after = datetime(2026, 8, 31, 22, 1, tzinfo=UTC).astimezone(BRUSSELS)  # 00:01, 1 Sept
    assert not has_ended(link, before.date())
    assert has_ended(link, after.date())  # although it is still 31 August in UTC


@pytest.mark.parametrize(
    ("today", "warned", "due"),
    [
        (date(2026, 8, 16), None, None),  # 15 days before
        (date(2026, 8, 17), None, 14),  # 14 days before
        (date(2026, 8, 18), 14, None),  # sent already
        (date(2026, 8, 29), 14, None),  # 2 days before
        (date(2026, 8, 30), 14, 1),  # the day before
        (date(2026, 8, 30), None, 1),  # missed the first: only the nearer
        (date(2026, 8, 31), 1, None),
        (date(2026, 9, 1), None, None),  # over: the end, not a warning
    ],
)
def test_warnings_fourteen_days_and_one_day_before(today, warned, due):
    assert warning_due(_link(NURSE, until=date(2026, 8, 31), warned=warned), today) == due


def test_the_end_date_is_from_tomorrow_to_three_years_and_a_trainee_needs_one():
    today = date(2026, 3, 2)
    assert clean_until("", today, "infirmier") is None
    assert clean_until("03/03/2026", today, "macg") == date(2026, 3, 3)
    assert clean_until("2029-03-02", today, "macg") == date(2029, 3, 2)
    assert clean_until("02.03.2029", today, "macg") == date(2029, 3, 2)
    for typed, code in [
        ("", "until_required"),
        ("02/03/2026", "until_out_of_range"),
        ("03/03/2029", "until_out_of_range"),
        ("29/02/2027", "invalid_until"),
        ("x" * 5000, "invalid_until"),
    ]:
        with pytest.raises(RuleViolation) as refused:
            clean_until(typed, today, "macg")
        assert refused.value.code == code
    # A 29 February today: three years on is the 28th.
    assert clean_until("28/02/2031", date(2028, 2, 29), "macg") == date(2031, 2, 28)


def test_an_end_that_would_leave_nobody_or_no_manager_is_held():
    alone = EntityState(CAB, (_link(DOCTOR, "medecin", date(2026, 5, 31)),), ())
    (end,) = plan_link_ends(alone, date(2026, 6, 1))
    assert not end.removed and end.refusal.code == "last_person"
    with_nurse = EntityState(CAB, (_link(DOCTOR, "medecin", date(2026, 5, 31)), _link(NURSE)), ())
    (end,) = plan_link_ends(with_nurse, date(2026, 6, 1))
    assert not end.removed and end.refusal.code == "last_manager"
    # Two managers end the same day with a nurse: the first goes, the second is held.
    both = EntityState(
        CAB,
        (
            _link(DOCTOR, "medecin", date(2026, 5, 31)),
            _link(DOCTOR_2, "medecin", date(2026, 5, 31)),
            _link(NURSE),
        ),
        (),
    )
    ends = plan_link_ends(both, date(2026, 6, 1))
    assert sorted(e.removed for e in ends) == [False, True]  # one stays, as a manager must
    assert next(e for e in ends if not e.removed).refusal.code == "last_manager"


def test_a_supervisors_end_names_their_trainees():
    state = EntityState(
        CAB,
        (
            _link(DOCTOR, "medecin", date(2026, 5, 31)),
            _link(DOCTOR_2, "medecin"),
            Link("cab", TRAINEE, "Claes", "Wout", "macg", NOW, DOCTOR, date(2026, 12, 31)),
        ),
        (),
    )
    (end,) = plan_link_ends(state, date(2026, 6, 1))
    assert end.removed and [t.niss for t in end.orphans] == [TRAINEE]


@pytest.mark.parametrize(
    ("today", "sent", "due"),
    [
        (date(2026, 11, 22), [], None),  # 8 days before
        (date(2026, 11, 23), [], 7),
        (date(2026, 11, 24), [7], None),
        (date(2026, 11, 30), [7], 0),  # the due date
        (date(2026, 11, 30), [], 0),  # missed the first: only the day's
        (date(2026, 11, 30), [7, 0], None),
        (date(2026, 12, 1), [7], None),  # late: no more reminders, nothing removed
    ],
)
def test_review_reminders_a_week_before_and_on_the_day(today, sent, due):
    campaign = Campaign("review-2026-09-01", "adm", NOW, date(2026, 11, 30))
    assert reminder_due(campaign, today, sent) == due


def test_review_progress_states():
    assert Progress(3, 0).state == "not_started"
    assert Progress(3, 2).state == "partial"
    assert Progress(3, 3).state == "done"
    assert Progress(0, 0).state == "done"
