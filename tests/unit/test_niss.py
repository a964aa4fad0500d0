"""NISS and BIS numbers: separators, both centuries, unknown dates, impossible dates."""

from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules import RuleViolation, format_niss, make_niss, mask_niss, normalize_niss
from rules.niss import check_digits


def _detail(raw: str) -> str:
    with pytest.raises(RuleViolation) as caught:
        normalize_niss(raw)
    assert caught.value.code == "invalid_niss"
    return caught.value.params["detail"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("85.07.30-033.28", "85073003328"),
        ("85 07 30 033 28", "85073003328"),
        (" 85073003328 ", "85073003328"),
        ("17.07.30-033.84", "17073003384"),  # born in 2017: the "2" prefix variant
        ("98.47.28-997.65", "98472899765"),  # BIS, month + 40
        ("01.49.07-001.85", "01490700185"),  # BIS, born 2001
        (make_niss("850700", 1), make_niss("850700", 1)),  # day unknown
        (make_niss("850030", 1), make_niss("850030", 1)),  # month unknown
        (make_niss("120229", 1), make_niss("120229", 1)),  # 29 February of a leap year
        (make_niss("000229", 1, born_after_1999=True), make_niss("000229", 1, True)),  # 2000 leap
    ],
)
def test_valid_numbers_normalise(raw, expected):
    assert normalize_niss(raw) == expected


@pytest.mark.parametrize(
    ("raw", "detail"),
    [
        ("8507300332", "niss.length"),
        ("850730033288", "niss.length"),
        ("", "niss.length"),
        ("85a73003328", "niss.characters"),
        ("85/07/30 033 28", "niss.characters"),
        ("85073003329", "niss.checksum"),
        ("00000000000", "niss.zeros"),
        ("00.00.00-000.00", "niss.zeros"),
        (make_niss("850230", 1), "niss.date"),  # 30 February
        (make_niss("130229", 1), "niss.date"),  # 29 February 1913
        (make_niss("130229", 1, born_after_1999=True), "niss.date"),  # 29 February 2013
        (make_niss("000229", 1), "niss.date"),  # 1900 was not a leap year
        (make_niss("851301", 1), "niss.date"),  # month 13
        (make_niss("850431", 1), "niss.date"),  # 31 April
    ],
)
def test_invalid_numbers_say_which_part_is_wrong(raw, detail):
    assert _detail(raw) == detail


def test_all_zeros_is_said_to_be_nobodys_number_not_a_character_problem():
    with pytest.raises(RuleViolation) as caught:
        normalize_niss("00000000000")
    assert "zéros" in caught.value.message("fr") and "nullen" in caught.value.message("nl")
    assert "zeros only" in caught.value.message("en")
    assert "separators" not in caught.value.message("en")


def test_bis_impossible_date_is_refused():
    assert _detail(make_niss("852230", 1)) == "niss.date"  # BIS month 22 = February, day 30


def test_messages_name_the_wrong_part_in_each_language():
    with pytest.raises(RuleViolation) as caught:
        normalize_niss("85073003329")
    assert "contrôle" in caught.value.message("fr")
    assert "controlecijfers" in caught.value.message("nl")
    assert "check digits" in caught.value.message("en")
    assert "85073003329" in caught.value.message("fr")


def test_format_and_mask():
    assert format_niss("85073003328") == "85.07.30-033.28"
    assert format_niss("8507") == "85.07"
    assert mask_niss("85073003328") == "85.07.30-***.**"


@st.composite
def valid_numbers(draw):
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31)))
    month = born.month + draw(st.sampled_from([0, 0, 20, 40]))  # NISS or BIS
    unknown = draw(st.sampled_from(["none", "none", "day", "month"]))
    mm = 0 if unknown == "month" else month
    dd = 0 if unknown in ("day", "month") else born.day
    serial = draw(st.integers(min_value=1, max_value=997))
    return make_niss(f"{born.year % 100:02d}{mm:02d}{dd:02d}", serial, born.year >= 2000)


@given(valid_numbers(), st.lists(st.sampled_from([" ", ".", "-"]), min_size=10, max_size=10))
def test_any_valid_number_with_separators_normalises(number, separators):
    spaced = "".join(d + s for d, s in zip(number, [*separators, ""], strict=True))
    assert normalize_niss(spaced) == number
    assert normalize_niss(format_niss(number)) == number


def _century(number: str) -> int:
    return 2000 if check_digits(number[:9], True) == number[9:] else 1900


@given(valid_numbers(), st.integers(min_value=0, max_value=10), st.integers(1, 9))
def test_any_single_digit_change_fails(number, position, delta):
    changed = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1 :]
    try:
        normalize_niss(changed)
    except RuleViolation as refusal:
        assert refusal.code == "invalid_niss"
        return
    # mod 97 catches every single-digit change within one century; the only escape is a
    # number that happens to be valid for the *other* century (about 1 in 97).
    assert _century(changed) != _century(number)


# python-stdnum refuses birth years after the current one, so stay in the past.
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31)))
def test_only_real_dates_pass(day):
    number = make_niss(day.strftime("%y%m%d"), 1, day.year >= 2000)
    assert normalize_niss(number) == number
    last = calendar.monthrange(day.year, day.month)[1]
    if last < 31:
        impossible = make_niss(
            f"{day.year % 100:02d}{day.month:02d}{last + 1:02d}", 1, day.year >= 2000
        )
        assert _detail(impossible) == "niss.date"
