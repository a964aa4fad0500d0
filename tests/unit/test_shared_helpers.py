"""Helpers every layer shares: one lenient NISS reading, one search folding, one date form."""

from __future__ import annotations

from datetime import datetime

from rules import fold, make_niss, niss_or_none
from rules.dates import belgian_date, belgian_datetime


def test_niss_or_none_reads_any_written_form_and_nothing_else():
    niss = make_niss("850730", 33)
    assert niss_or_none(f"{niss[:2]}.{niss[2:4]}.{niss[4:6]}-{niss[6:9]}.{niss[9:]}") == niss
    assert niss_or_none(niss) == niss
    for junk in ("", "12", "x" * 5000, "85073003399", "R000001"):
        assert niss_or_none(junk) is None


def test_fold_ignores_case_and_accents_as_a_search_does():
    assert fold("Lelièvre") == fold("LELIEVRE") == "lelievre"
    assert fold("  Zoë D'Hondt ") == "zoe d'hondt"
    assert "lelievre" in fold("Pharmacie Lelièvre")


def test_dates_are_written_day_first():
    moment = datetime(2026, 11, 27, 14, 5)
    assert belgian_date(moment) == "27/11/2026"
    assert belgian_datetime(moment) == "27/11/2026 14:05"
