"""How dates are written for people: day first, as both Belgian communities read them."""

from __future__ import annotations

from datetime import date, datetime

# The caller converts to Brussels time first: rules/ reads no time zone database.


def belgian_date(moment: date) -> str:
    """27/11/2026."""
    return moment.strftime("%d/%m/%Y")


def belgian_datetime(moment: datetime) -> str:
    """27/11/2026 14:05."""
    return moment.strftime("%d/%m/%Y %H:%M")
