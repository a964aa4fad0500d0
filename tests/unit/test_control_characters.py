"""Control characters and direction marks are refused where people type, and inert in messages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from rules import Entity, Request, RuleViolation, clean_reason, compose_decision_mail
from rules.fields import clean_email, clean_entity_name, clean_name
from rules.text import has_unsafe_chars

HOSTILE = [
    "Du\x1b]0;P\x1b\\pont",
    "Du\x00pont",
    "Du\u202epont",
    "Du\x85pont",
    "Du\u2066pont",
    "Du\x7fpont",
    "Du\x0bpont",
]
CLEANERS = [
    (lambda text: clean_name(text, "last_name"), "field.last_name"),
    (clean_entity_name, "field.entity_name"),
    (lambda text: clean_email(text.replace("Du", "a@") + ".be"), "field.email"),
    (clean_reason, "field.reason"),
]


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize(("clean", "field"), CLEANERS)
def test_every_typed_field_refuses_control_characters(clean, field, text):
    with pytest.raises(RuleViolation) as refused:
        clean(text)
    assert refused.value.code == "control_characters"
    assert refused.value.params["field"] == field
    for lang in ("fr", "nl", "en"):
        message = refused.value.message(lang)
        assert not has_unsafe_chars(message), message  # the refusal shows, it does not obey
        assert "\\x" in message or "\\u" in message


def test_the_refusal_speaks_each_language():
    with pytest.raises(RuleViolation) as refused:
        clean_reason("doublon\x1b[2J")
    assert refused.value.message("fr").startswith("La raison contient un caractère de contrôle")
    assert refused.value.message("nl").startswith("De reden bevat een stuurteken")
    assert refused.value.message("en").startswith("The reason contains a control character")
    assert "doublon\\x1b[2J" in refused.value.message("en")


def test_brackets_and_ordinary_text_are_still_accepted():
    assert clean_reason("  doublon [R000041] ") == "doublon [R000041]"
    assert clean_entity_name("Cabinet [/] Dupont") == "Cabinet [/] Dupont"
    assert clean_name("  D'Hondt-Ébrard ") == "D'Hondt-Ébrard"


def test_any_message_parameter_is_shown_inert():
    refusal = RuleViolation("unknown_request", {"request": "R1\x1b]0;P\x07"})
    assert refusal.message("fr") == "La demande « R1\\x1b]0;P\\x07 » n'existe pas."


def test_a_decision_mail_shows_old_control_characters_inert():
    entity = Entity("cab\x1b", "Cabinet\x1b]0;P\x07", "cabinet_medical", "cab@example.be", "fr")
    moment = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    request = Request(
        id="R000001",
        kind="connect",
        entity_id="cab",
        niss="85073000033",
        last_name="Du\u202epont",
        first_name="Jean\r\nBcc: x@y.be",
        employee_type="infirmier",
        filed_by="85073000033",
        filed_at=moment,
        status="rejected",
        decided_by="adm",
        decided_at=moment,
        reason="doublon\x1b[2J [R000041]",
    )
    draft = compose_decision_mail(entity, request, moment, moment)
    assert not has_unsafe_chars(draft.subject)
    assert not has_unsafe_chars(draft.body.replace("\n", ""))
    assert "doublon\\x1b[2J [R000041]" in draft.body
    assert "Cabinet\\x1b]0;P\\x07 (cab\\x1b)" in draft.body
    assert "\r" not in draft.subject and "\n" not in draft.subject
