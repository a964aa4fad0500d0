"""A filer withdraws their own pending request: the queue forgets it, the trail keeps it."""

from __future__ import annotations

import pytest

from rules import RuleViolation, format_niss, may_withdraw
from tests.conftest import DOCTOR, DOCTOR_2, NURSE, link


def _refused(code, call, *args):
    with pytest.raises(RuleViolation) as caught:
        call(*args)
    assert caught.value.code == code, caught.value.message("en")
    return caught.value


def test_the_filer_withdraws_a_pending_request(store):
    request = store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    withdrawn = store.withdraw(format_niss(DOCTOR), request.id)  # any NISS form
    assert (withdrawn.status, withdrawn.decided_by) == ("withdrawn", DOCTOR)
    assert store.request(request.id).status == "withdrawn"
    assert store.requests("cab") == [] and store.requests() == []  # gone from every queue
    assert store.recent_decisions("cab")[0].id == request.id  # the entity still sees it
    assert store.outbox() == []  # no mail: the filer did it
    entry = store.audit_entries()[-1]
    assert (entry.action, entry.actor, entry.request_id) == (
        "request_withdrawn",
        DOCTOR,
        request.id,
    )
    assert store.verify() == []
    # The way is free again for a new request for the same person.
    assert store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier").id


def test_only_the_filer_may_withdraw_and_only_while_pending(store):
    link(store, "cab", DOCTOR_2, "Durand", "Luc", "medecin")
    request = store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    refusal = _refused("not_authorized", store.withdraw, DOCTOR_2, request.id)
    assert "seule la personne qui l'a introduite" in refusal.message("fr")
    assert "only the person who filed it" in refusal.message("en")
    _refused("not_authorized", store.withdraw, "adm", request.id)
    assert store.request(request.id).status == "pending"
    store.reject("adm", request.id, "doublon")
    _refused("not_pending", store.withdraw, DOCTOR, request.id)
    _refused("unknown_request", store.withdraw, DOCTOR, "R999999")
    assert [e.action for e in store.audit_entries()].count("request_withdrawn") == 0


def test_the_key_is_offered_exactly_when_the_rule_allows(store):
    link(store, "cab", DOCTOR_2, "Durand", "Luc", "medecin")
    request = store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    assert may_withdraw(format_niss(DOCTOR), request)  # the filer, any NISS form
    assert not may_withdraw(DOCTOR_2, request) and not may_withdraw("adm", request)
    rejected = store.reject("adm", request.id, "doublon")
    assert not may_withdraw(DOCTOR, rejected)
