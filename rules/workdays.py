"""Working days, for the age of a request (weekends do not count; public holidays do)."""

from __future__ import annotations

from datetime import date, timedelta

OVERDUE_WORKING_DAYS = 5


def working_days_between(start: date, end: date) -> int:
    """Monday-to-Friday days after ``start`` up to and including ``end``."""
    if end <= start:
        return 0
    full_weeks, extra = divmod((end - start).days, 7)
    days = full_weeks * 5
    for offset in range(1, extra + 1):
        if (start + timedelta(days=offset)).weekday() < 5:
            days += 1
    return days


def is_overdue(filed: date, today: date) -> bool:
    return working_days_between(filed, today) > OVERDUE_WORKING_DAYS
