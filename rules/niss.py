"""The Belgian national register number (NISS/INSZ): validation, formatting, masking."""

from __future__ import annotations

import calendar

from rules.violation import RuleViolation

_SEPARATORS = " .-"


def _refuse(raw: str, detail: str) -> RuleViolation:
    return RuleViolation("invalid_niss", {"niss": raw.strip(), "detail": f"niss.{detail}"})


def normalize_niss(raw: str) -> str:
    """Return the 11 digits of a valid NISS or BIS number, or raise ``invalid_niss``.

    python-stdnum checks the mod-97 check digits (both centuries) and the month;
    it accepts impossible days such as 30 February, so the calendar check is ours.
    """
    if not isinstance(raw, str):
        raise _refuse(str(raw), "characters")
    digits = "".join(ch for ch in raw.strip() if ch not in _SEPARATORS)
    if not all(ch.isascii() and ch.isdigit() for ch in digits):
        raise _refuse(raw, "characters")
    if len(digits) != 11:
        raise _refuse(raw, "length")
    # python-stdnum calls it a bad format; the user typed eleven digits, so say what is wrong.
    if digits == "0" * 11:
        raise _refuse(raw, "zeros")
    # Imported when a number is first checked: python-stdnum's util module imports ssl and
    # pydoc (for its online checks), 9 ms of every one-shot command that checks none (an
    # approval, a staff list).
    from stdnum import exceptions as stdnum_errors
    from stdnum.be import bis, nn

    month_field = int(digits[2:4])
    module = bis if month_field >= 20 else nn
    try:
        module.validate(digits)
    except stdnum_errors.InvalidChecksum:
        raise _refuse(raw, "checksum") from None
    except stdnum_errors.InvalidComponent:
        raise _refuse(raw, "date") from None
    except stdnum_errors.ValidationError:
        raise _refuse(raw, "characters") from None
    year = module.get_birth_year(digits)
    month = month_field % 20
    day = int(digits[4:6])
    # Month 00 means "unknown month" (or an exhausted day counter): nothing more to check.
    if year is not None and month and day and day > calendar.monthrange(year, month)[1]:
        raise _refuse(raw, "date")
    if month == 0 and day > 31:
        raise _refuse(raw, "date")
    return digits


def is_valid_niss(raw: str) -> bool:
    try:
        normalize_niss(raw)
    except RuleViolation:
        return False
    return True


def format_niss(niss: str) -> str:
    """``85073003328`` -> ``85.07.30-033.28``; partial input is formatted as far as it goes."""
    digits = "".join(ch for ch in niss if ch.isdigit())
    parts = [digits[0:2], digits[2:4], digits[4:6]]
    head = ".".join(p for p in parts if p)
    tail = ".".join(p for p in (digits[6:9], digits[9:11]) if p)
    return f"{head}-{tail}" if tail else head


def mask_niss(niss: str) -> str:
    """Show the birth date only: ``85.07.30-***.**``."""
    digits = "".join(ch for ch in niss if ch.isdigit())
    return f"{digits[0:2]}.{digits[2:4]}.{digits[4:6]}-***.**"


def check_digits(first_nine: str, born_after_1999: bool) -> str:
    """The two check digits for nine digits, for either century."""
    base = int(("2" if born_after_1999 else "") + first_nine)
    return f"{97 - base % 97:02d}"


def make_niss(yymmdd: str, serial: int, born_after_1999: bool = False) -> str:
    """Build a valid number from a date part and a day counter (demo data and tests)."""
    first_nine = f"{yymmdd}{serial:03d}"
    return first_nine + check_digits(first_nine, born_after_1999)


def niss_or_none(raw: str) -> str | None:
    """The normalised number, or None for anything that is not one (a lookup that finds nobody)."""
    try:
        return normalize_niss(raw)
    except RuleViolation:
        return None
