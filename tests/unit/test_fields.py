"""Names and entity fields: what a person may type."""

from __future__ import annotations

import pytest

from rules import RuleViolation
from rules.fields import clean_email, clean_entity_id, clean_name


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Dupont ", "Dupont"),
        ("Van  den   Broeck", "Van den Broeck"),
        ("D'Hondt", "D'Hondt"),
        ("D’Hondt", "D’Hondt"),
        ("Jean-Luc", "Jean-Luc"),
        ("Zoë", "Zoë"),
        ("Zoe\u0308", "Zoë"),  # combining diaeresis is normalised to one letter
        ("Ñúñez", "Ñúñez"),
        ("A" * 100, "A" * 100),
    ],
)
def test_valid_names(raw, clean):
    assert clean_name(raw) == clean


@pytest.mark.parametrize("raw", ["", "   ", "A" * 101, "R2D2", "Dupont!", "O_Brien", "--"])
def test_invalid_names(raw):
    with pytest.raises(RuleViolation) as caught:
        clean_name(raw, "last_name")
    assert caught.value.code == "invalid_name"
    assert "Le nom" in caught.value.message("fr")


def test_tab_inside_a_name_is_collapsed_like_a_space():
    assert clean_name("Jean\tLuc") == "Jean Luc"


@pytest.mark.parametrize("raw", ["a@b.be", "secretariat@cabinet-dupont.be"])
def test_valid_emails(raw):
    assert clean_email(raw) == raw


@pytest.mark.parametrize("raw", ["", "ab.be", "a@b", "a b@c.be", "a@@b.be"])
def test_invalid_emails(raw):
    with pytest.raises(RuleViolation) as caught:
        clean_email(raw)
    assert caught.value.code == "invalid_email"


@pytest.mark.parametrize("raw", ["", "a b", "-x", "x" * 65, "é"])
def test_invalid_entity_ids(raw):
    with pytest.raises(RuleViolation) as caught:
        clean_entity_id(raw)
    assert caught.value.code == "invalid_entity_id"
