"""Deadlines on their boundaries: expiry, working days, the digest's hour and the settings."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from rules import (
    HOUSEKEEPING,
    Admin,
    Request,
    RuleViolation,
    Settings,
    decision_reason,
    digest_due,
    has_expired,
    is_late,
    is_working_day,
    last_pending_day,
    plan_expire,
    plan_settings,
    settings_from,
    working_days_between,
)
from tests.conftest import DOCTOR, NURSE

BRUSSELS = ZoneInfo("Europe/Brussels")
SIXTY = Settings()
ADMIN = Admin("adm", "Anne Admin")


def _request(filed_at: datetime, status: str = "pending") -> Request:
    return Request(
        "R000001",
        "connect",
        "cab",
        NURSE,
        "Martin",
        "Claire",
        "infirmier",
        DOCTOR,
        filed_at,
        status,
    )


def test_the_defaults_are_sixty_calendar_days_and_five_working_days():
    assert (SIXTY.expire_after_days, SIXTY.remind_after_working_days) == (60, 5)
    assert settings_from(None) == SIXTY
    assert (
        settings_from({"expire_after_days": 0, "from_a_newer_version": "x"}).expire_after_days == 0
    )


@pytest.mark.parametrize(
    ("today", "expired"),
    [
        (date(2026, 11, 29), False),  # the day before the last day
        (date(2026, 11, 30), False),  # the last day: still pending, may be decided
        (date(2026, 12, 1), True),  # the day after
    ],
)
def test_expiry_counts_calendar_days(today, expired):
    filed_on = date(2026, 10, 1)
    assert last_pending_day(filed_on, SIXTY) == date(2026, 11, 30)
    assert has_expired(filed_on, today, SIXTY) is expired


def test_expiry_ignores_weekends_and_holidays_and_can_be_turned_off():
    # Filed the Friday before All Saints' and Armistice: calendar days all the same.
    thirty = Settings(expire_after_days=30)
    assert last_pending_day(date(2026, 10, 30), thirty) == date(2026, 11, 29)  # a Sunday
    assert has_expired(date(2026, 10, 30), date(2026, 11, 30), thirty)
    off = Settings(expire_after_days=0)
    assert last_pending_day(date(2020, 1, 1), off) is None
    assert not has_expired(date(2020, 1, 1), date(2026, 11, 30), off)


def test_the_brussels_day_decides_at_the_midnight_edge():
    """23:30 and 00:30 Brussels are one UTC day apart from what a UTC date would say."""
    late = datetime(2026, 10, 1, 21, 30, tzinfo=UTC).astimezone(BRUSSELS)  # 23:30, 1 Oct
    early = datetime(2026, 10, 1, 22, 30, tzinfo=UTC).astimezone(BRUSSELS)  # 00:30, 2 Oct
    assert (late.date(), early.date()) == (date(2026, 10, 1), date(2026, 10, 2))
    assert last_pending_day(late.date(), SIXTY) == date(2026, 11, 30)
    assert last_pending_day(early.date(), SIXTY) == date(2026, 12, 1)
    # On 1 December at 00:30 Brussels (23:30 UTC on 30 November), the first has expired.
    now = datetime(2026, 11, 30, 23, 30, tzinfo=UTC).astimezone(BRUSSELS)
    assert has_expired(late.date(), now.date(), SIXTY)
    assert not has_expired(early.date(), now.date(), SIXTY)


def test_an_expired_request_names_the_job_and_its_deadline():
    filed = datetime(2026, 10, 1, 8, tzinfo=UTC)
    now = datetime(2026, 11, 30, 23, 1, tzinfo=UTC)
    expired = plan_expire(_request(filed), now, SIXTY)
    assert (expired.status, expired.decided_by, expired.decided_at) == (
        "expired",
        HOUSEKEEPING,
        now,
    )
    assert expired.deadline_days == 60
    assert decision_reason(expired, "fr") == "aucune décision dans les 60\u00a0jours"
    assert decision_reason(expired, "nl") == "geen beslissing binnen 60 dagen"
    assert decision_reason(expired, "en") == "no decision within 60 days"
    with pytest.raises(RuleViolation) as refused:
        plan_expire(_request(filed, status="approved"), now, SIXTY)
    assert refused.value.code == "not_pending"


def test_belgian_public_holidays_are_not_working_days():
    assert not is_working_day(date(2026, 11, 11))  # Armistice, a Wednesday
    assert not is_working_day(date(2026, 7, 21))  # National Day, a Tuesday
    assert not is_working_day(date(2026, 4, 6))  # Easter Monday
    assert not is_working_day(date(2026, 5, 14))  # Ascension
    assert not is_working_day(date(2026, 11, 28))  # a Saturday
    assert is_working_day(date(2026, 11, 12))
    # Monday 9 to Monday 16 November: 5 weekdays after the 9th, less the 11th.
    assert working_days_between(date(2026, 11, 9), date(2026, 11, 16)) == 4
    # Across a year end: 25 December and 1 January fall out.
    assert working_days_between(date(2026, 12, 24), date(2027, 1, 4)) == 5


@pytest.mark.parametrize(
    ("today", "late"),
    [
        (date(2026, 11, 16), False),  # 4 working days: Armistice does not count
        (date(2026, 11, 17), False),  # 5: on the threshold, not over it
        (date(2026, 11, 18), True),  # 6
    ],
)
def test_overdue_counts_working_days_around_a_public_holiday(today, late):
    assert is_late(date(2026, 11, 9), today, SIXTY) is late


def test_overdue_around_a_weekend():
    friday = date(2026, 11, 20)
    assert not is_late(friday, date(2026, 11, 27), SIXTY)  # 5 working days
    assert not is_late(friday, date(2026, 11, 29), SIXTY)  # the weekend adds none
    assert is_late(friday, date(2026, 11, 30), SIXTY)
    assert is_late(friday, date(2026, 11, 24), Settings(remind_after_working_days=1))


def _brussels(*args: int) -> datetime:
    return datetime(*args, tzinfo=BRUSSELS)


def test_the_digest_leaves_once_per_working_day_from_seven():
    assert not digest_due(_brussels(2026, 11, 30, 6, 59), None)  # a Monday, before 7:00
    assert digest_due(_brussels(2026, 11, 30, 7, 0), None)
    assert digest_due(_brussels(2026, 11, 30, 23, 59), date(2026, 11, 27))
    assert not digest_due(_brussels(2026, 11, 30, 9, 0), date(2026, 11, 30))  # sent today
    assert not digest_due(_brussels(2026, 11, 28, 9, 0), date(2026, 11, 27))  # Saturday
    assert not digest_due(_brussels(2026, 11, 11, 9, 0), date(2026, 11, 10))  # Armistice
    assert digest_due(_brussels(2026, 11, 12, 0, 30), date(2026, 11, 10)) is False  # too early
    assert digest_due(_brussels(2026, 11, 12, 7, 30), date(2026, 11, 10))


def test_settings_are_whole_numbers_in_range_changed_by_an_admin():
    changed = plan_settings(ADMIN, SIXTY, {"expire_after_days": " 30 "})
    assert changed == Settings(expire_after_days=30, remind_after_working_days=5)
    assert plan_settings(ADMIN, SIXTY, {"expire_after_days": "0"}).expire_after_days == 0
    for value in ("-1", "731", "1.5", "x", "", "٣", "9" * 5000):
        with pytest.raises(RuleViolation) as refused:
            plan_settings(ADMIN, SIXTY, {"expire_after_days": value})
        assert refused.value.code == "invalid_setting"
        assert "0" in refused.value.message("en") and "730" in refused.value.message("en")
    with pytest.raises(RuleViolation) as refused:
        plan_settings(ADMIN, SIXTY, {"remind_after_working_days": "0"})
    assert "de 1 à 60" in refused.value.message("fr")
    with pytest.raises(RuleViolation) as refused:
        plan_settings(ADMIN, SIXTY, {"expiry": "3"})
    assert refused.value.code == "unknown_setting"
    assert "‘expiry’" in refused.value.message("nl")
    with pytest.raises(RuleViolation) as refused:
        plan_settings(None, SIXTY, {"expire_after_days": "3"})
    assert refused.value.code == "not_authorized"
    with pytest.raises(RuleViolation) as refused:
        plan_settings(ADMIN, SIXTY, {})
    assert refused.value.code == "no_setting_given"


def test_a_damaged_setting_is_not_taken_for_a_default():
    for damaged in ({"expire_after_days": -3}, {"expire_after_days": True}, ["60"]):
        with pytest.raises(ValueError):
            settings_from(damaged)
