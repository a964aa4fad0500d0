"""Names and entity fields: what a person may type."""

from __future__ import annotations

import pytest

from rules import RuleViolation
from rules.decisions import clean_reason
from rules.fields import (
    clean_admin_id,
    clean_admin_name,
    clean_email,
    clean_entity_id,
    clean_entity_name,
    clean_name,
)


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


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Ｄｕｐｏｎｔ", "Dupont"),  # full width, as some input methods type it
        ("Ｍａｒｔｉｎ-Ｌéｏｎ", "Martin-Léon"),
        ("Leﬂamme", "Leflamme"),  # the "fl" ligature
    ],
)
def test_compatibility_forms_become_the_ordinary_letters(raw, clean):
    assert clean_name(raw) == clean


@pytest.mark.parametrize("raw", ["Дupont", "Dupоnt", "Jeαn", "Dupont Иvanov", "Ｄupоnt"])
def test_a_word_mixing_latin_with_cyrillic_or_greek_is_refused(raw):
    with pytest.raises(RuleViolation) as caught:
        clean_name(raw, "last_name")
    assert caught.value.code == "mixed_script_name"
    assert "alphabet" in caught.value.message("fr") and "schrift" in caught.value.message("nl")
    assert "single script" in caught.value.message("en")


@pytest.mark.parametrize("raw", ["Дюпон", "Παπαδόπουλος", "Иванов-Dupont", "Νίκος Dupont"])
def test_names_written_wholly_in_another_script_are_real_names(raw):
    assert clean_name(raw) == raw


def test_a_refusal_never_echoes_a_huge_value():
    with pytest.raises(RuleViolation) as caught:
        clean_name("A" * 20_000_000, "last_name")
    assert caught.value.code == "invalid_name"
    assert len(caught.value.message("fr")) < 400


@pytest.mark.parametrize(
    "raw", ["adm", "anne", "admin2", "a", "j.dupont", "ops_1", "x-y", "a" * 32]
)
def test_admin_ids_in_the_safe_alphabet(raw):
    assert clean_admin_id(raw) == raw


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "Anne",
        "anne lambert",
        "-anne",
        ".anne",
        "a" * 33,
        "é",
        'a"b',
        "a;b",
        "a/b",
        "adm\x1b",
        "аdm",
    ],
)
def test_admin_ids_outside_the_safe_alphabet_are_refused(raw):
    with pytest.raises(RuleViolation) as caught:
        clean_admin_id(raw)
    assert caught.value.code == "invalid_admin_id"
    assert "minuscules" in caught.value.message("fr") and "1 to 32" in caught.value.message("en")


@pytest.mark.parametrize("raw", ["", "A" * 101, "Anne\x1b]0;x\x07", "Anne\u202e"])
def test_admin_names_are_bounded_and_printable(raw):
    with pytest.raises(RuleViolation) as caught:
        clean_admin_name(raw)
    assert caught.value.code == "invalid_admin_name"


def test_reason_is_bounded_at_500_characters():
    assert clean_reason("x" * 500, "R000001") == "x" * 500
    with pytest.raises(RuleViolation) as caught:
        clean_reason("x" * 501, "R000001")
    assert caught.value.code == "reason_too_long"
    for lang, word in (("fr", "500 au plus"), ("nl", "hoogstens 500"), ("en", "500 at most")):
        assert word in caught.value.message(lang) and "501" in caught.value.message(lang)


def test_entity_name_is_bounded_at_200_characters():
    assert clean_entity_name("C" * 200) == "C" * 200
    with pytest.raises(RuleViolation) as caught:
        clean_entity_name("C" * 201)
    assert caught.value.code == "invalid_entity_name"
