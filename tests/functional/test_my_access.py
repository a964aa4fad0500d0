"""Every linked person helps themselves: « Mes accès », leaving an entity, withdrawing."""

from __future__ import annotations

import pytest

from rules import RuleViolation
from tests.conftest import DOCTOR, DOCTOR_2, NURSE, NURSE_2, add_nursing_home, link


def _refused(code, call, *args):
    with pytest.raises(RuleViolation) as caught:
        call(*args)
    assert caught.value.code == code, caught.value.message("en")
    return caught.value


def test_my_access_lists_links_everywhere_and_requests_about_me(store):
    link(store, "cab", NURSE, "Martin", "Claire", "infirmier", until="31/12/2026")
    add_nursing_home(store)
    link(store, "wzc", NURSE, "Martin", "Claire", "infirmier", actor=DOCTOR_2)
    pending = store.file_disconnect(DOCTOR, "cab", [NURSE])[0]
    access = store.my_access(NURSE)
    assert sorted(k.entity_id for k in access.links) == ["cab", "wzc"]
    assert {k.entity_id: k.until for k in access.links}["cab"].isoformat() == "2026-12-31"
    assert access.requests[0].id == pending.id  # newest first
    assert [r.kind for r in access.requests] == ["disconnect", "connect", "connect"]
    assert access.entities["wzc"].name == "WZC Zonneweide"
    assert store.my_access("not a niss").links == ()


def test_a_read_only_nurse_may_ask_to_leave(store):
    link(store, "cab", NURSE, "Martin", "Claire", "infirmier")
    assert store.preview_leave(NURSE, "cab") is None
    request = store.file_leave(NURSE, "cab")
    assert (request.kind, request.niss, request.filed_by) == ("disconnect", NURSE, NURSE)
    entry = store.audit_entries()[-1]
    assert (entry.action, entry.actor, entry.detail.get("leave")) == ("request_filed", NURSE, True)
    # One pending disconnection per person, whoever filed it.
    _refused("pending_disconnect_exists", store.file_leave, NURSE, "cab")
    _refused("pending_disconnect_exists", store.file_disconnect, DOCTOR, "cab", [NURSE])
    # The filer withdraws it and may ask again; an admin approves it like any other.
    store.withdraw(NURSE, request.id)
    again = store.file_leave(NURSE, "cab")
    store.approve("adm", again.id)
    assert NURSE not in {k.niss for k in store.staff("cab")}
    assert store.outbox()[-1].to == "cab@example.be"


def test_leaving_follows_the_rules_of_the_last_person_and_manager(store):
    refusal = store.preview_leave(DOCTOR, "cab")
    assert refusal is not None and refusal.code == "last_person"
    _refused("last_person", store.file_leave, DOCTOR, "cab")
    link(store, "cab", NURSE, "Martin", "Claire", "infirmier")
    _refused("last_manager", store.file_leave, DOCTOR, "cab")
    link(store, "cab", DOCTOR_2, "Durand", "Luc", "medecin")
    assert store.file_leave(DOCTOR, "cab").filed_by == DOCTOR
    _refused("not_linked_self", store.file_leave, NURSE_2, "cab")
    _refused("not_linked_self", store.file_leave, NURSE, "nowhere")
    assert [r.niss for r in store.requests("cab")] == [DOCTOR]
