"""Working days in Belgium: weekends and the Belgian public holidays do not count."""

from __future__ import annotations

import functools
from datetime import date, timedelta

OVERDUE_WORKING_DAYS = 5


@functools.lru_cache(maxsize=16)
def belgian_holidays(year: int) -> frozenset[date]:
    """The public holidays of Belgium in ``year`` (New Year, Easter Monday, 1 May, Ascension,
    Whit Monday, 21 July, 15 August, 1 and 11 November, Christmas), from python-holidays.

    Imported on first use: the library costs tens of milliseconds to import, and a staff
    session that never asks for a working day must not pay for it."""
    from holidays.countries.belgium import Belgium

    return frozenset(Belgium(years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in belgian_holidays(day.year)


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end``."""
    if end <= start:
        return 0
    full_weeks, extra = divmod((end - start).days, 7)
    days = full_weeks * 5
    for offset in range(1, extra + 1):
        if (start + timedelta(days=offset)).weekday() < 5:
            days += 1
    for year in range(start.year, end.year + 1):
        days -= sum(1 for h in belgian_holidays(year) if start < h <= end and h.weekday() < 5)
    return days


def is_overdue(filed: date, today: date, after: int = OVERDUE_WORKING_DAYS) -> bool:
    """More than ``after`` working days since the day it was filed (both Brussels dates)."""
    return working_days_between(filed, today) > after
