"""Every rule message exists in fr, nl and en, with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from rules import RuleViolation
from rules.messages import FRAGMENTS, MESSAGES
from rules.vocabulary import EMPLOYEE_TYPES, ENTITY_KINDS, REQUEST_KINDS, STATUSES

RULES_DIR = Path(__file__).resolve().parents[2] / "rules"


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_each_message_has_three_languages_with_the_same_placeholders(key):
    texts = MESSAGES[key]
    assert set(texts) == {"fr", "nl", "en"}
    assert all(text.strip() for text in texts.values())
    assert _placeholders(texts["fr"]) == _placeholders(texts["nl"]) == _placeholders(texts["en"])


@pytest.mark.parametrize(
    "table", [FRAGMENTS, EMPLOYEE_TYPES, ENTITY_KINDS, REQUEST_KINDS, STATUSES]
)
def test_labels_exist_in_three_languages(table):
    for labels in table.values():
        assert set(labels) == {"fr", "nl", "en"}


def test_every_code_raised_in_rules_has_a_message():
    source = "\n".join(p.read_text() for p in RULES_DIR.glob("*.py"))
    raised = set(re.findall(r'RuleViolation\(\s*"([a-z_]+)"', source))
    raised |= set(re.findall(r'message_key="([a-z_.]+)"', source))
    raised |= set(re.findall(r'_person_refusal\("([a-z_]+)"', source))
    assert raised, "the scan found nothing: it is broken"
    assert raised <= set(MESSAGES), sorted(raised - set(MESSAGES))


def test_the_issue_codes_all_exist():
    codes = {
        "invalid_niss",
        "invalid_name",
        "unknown_type",
        "not_authorized",
        "macg_needs_doctor",
        "pending_connect_exists",
        "already_linked",
        "pending_disconnect_exists",
        "not_linked",
        "last_person",
        "last_manager",
        "reason_required",
        "not_pending",
    }
    assert codes <= set(MESSAGES)


def test_message_names_person_and_entity_in_each_language():
    refusal = RuleViolation("already_linked", {"person": "MARTIN Claire", "entity": "Cabinet X"})
    for lang in ("fr", "nl", "en"):
        assert "MARTIN Claire" in refusal.message(lang)
        assert "Cabinet X" in refusal.message(lang)
    assert refusal.message("fr") != refusal.message("nl") != refusal.message("en")


def test_a_missing_parameter_does_not_crash():
    assert "{person}" in RuleViolation("already_linked").message("fr")
