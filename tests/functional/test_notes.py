"""A reason on both sides: the requester's note to the admins, the admin's note to the entity."""

from __future__ import annotations

import pytest

from rules import RuleViolation, decision_reason
from tests.conftest import DOCTOR, NURSE, NURSE_2


def test_a_request_carries_its_requesters_note_to_the_admins(store):
    request = store.file_connect(
        DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier", note="  remplace   Mme Durand "
    )
    assert store.request(request.id).note == "remplace Mme Durand"
    filed = store.audit_entries()[-1]
    assert filed.detail["note"] == "remplace Mme Durand"
    assert store.review("adm", request.id).request.note == "remplace Mme Durand"


@pytest.mark.parametrize(
    ("note", "code"),
    [("x" * 501, "note_too_long"), ("voir \x1b[31mici", "control_characters")],
)
def test_a_note_is_bounded_and_inert(store, note, code):
    with pytest.raises(RuleViolation) as refused:
        store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier", note=note)
    assert refused.value.code == code
    assert store.requests("cab") == []
    if code == "note_too_long":
        assert "501 caractères\u00a0; 500 au plus" in refused.value.message("fr")


def test_an_approval_may_carry_the_admins_note_in_the_mail(store):
    request = store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    approved = store.approve("adm", request.id, note="Bienvenue ; accès actif demain.")
    assert approved.reason == "Bienvenue ; accès actif demain."
    assert decision_reason(store.request(request.id), "fr") == approved.reason
    mail = store.outbox()[-1]
    assert "Note de l'administrateur : Bienvenue ; accès actif demain." in mail.body
    entry = store.audit_entries()[-1]
    assert (entry.action, entry.detail["note"]) == ("request_approved", approved.reason)
    plain = store.file_connect(DOCTOR, "cab", NURSE_2, "Lambert", "Zoé", "infirmier")
    store.approve("adm", plain.id, note="   ")  # whitespace alone is no note
    assert store.request(plain.id).reason is None
    assert "Note de l'administrateur" not in store.outbox()[-1].body
    with pytest.raises(RuleViolation) as refused:
        store.approve("adm", store.file_leave(NURSE, "cab").id, note="y" * 600)
    assert refused.value.code == "note_too_long"
