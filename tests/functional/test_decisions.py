"""Administrators' decisions: approval re-checks, rejection, deletion, mails and the trail."""

from __future__ import annotations

import pytest

from rules import RuleViolation
from tests.conftest import ADMIN_NISS, DOCTOR, DOCTOR_2, NURSE, add_nursing_home, link


def _refused(code, call, *args):
    with pytest.raises(RuleViolation) as caught:
        call(*args)
    assert caught.value.code == code, caught.value.message("en")
    return caught.value


def test_approving_a_connect_links_the_person_and_mails_the_entity(store):
    request = store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    decided = store.approve("adm", request.id)
    assert (decided.status, decided.decided_by) == ("approved", "adm")
    assert decided.decided_at is not None
    (nurse,) = [lk for lk in store.staff("cab") if lk.niss == NURSE]
    assert (nurse.employee_type, nurse.supervisor) == ("infirmier", None)
    assert store.requests("cab") == []
    assert store.requests("cab", "approved")[0].id == request.id
    (mail,) = store.outbox()
    assert mail.to == "cab@example.be" and mail.status == "pending"
    for needle in (
        "MARTIN Claire",
        "approuvée",
        "demande de connexion",
        "Cabinet Dupont",
        "02/03/2026",
    ):
        assert needle in mail.subject + mail.body


def test_approving_a_disconnect_removes_the_link(store):
    link(store, "cab", NURSE, "Martin", "Claire", "infirmier")
    (request,) = store.file_disconnect(DOCTOR, "cab", [NURSE])
    store.approve("adm", request.id)
    assert [lk.niss for lk in store.staff("cab")] == [DOCTOR]
    assert store.entities_of(NURSE) == []


def test_rejection_needs_a_reason_and_changes_no_link(store):
    request = store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    _refused("reason_required", store.reject, "adm", request.id, "   ")
    assert store.request(request.id).status == "pending"
    decided = store.reject("adm", request.id, "Inconnue  au cabinet")
    assert (decided.status, decided.reason) == ("rejected", "Inconnue au cabinet")
    assert [lk.niss for lk in store.staff("cab")] == [DOCTOR]
    (mail,) = store.outbox()
    assert "rejetée" in mail.subject and "Inconnue au cabinet" in mail.body


def test_rejected_or_deleted_request_frees_the_way(store):
    first = store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    store.reject("adm", first.id, "typo")
    second = store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    store.delete("adm", second.id)
    assert store.request(second.id).status == "deleted"
    third = store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    assert third.status == "pending"
    assert len(store.outbox()) == 1  # deletion sends nothing


def test_mail_is_in_the_entitys_language(store):
    add_nursing_home(store)
    request = store.file_connect(DOCTOR_2, "wzc", NURSE, "Martin", "Claire", "infirmier")
    store.reject("adm", request.id, "Onbekend")
    (mail,) = store.outbox()
    assert mail.to == "wzc@example.be" and mail.language == "nl"
    assert "afgewezen" in mail.subject and "Reden van afwijzing: Onbekend" in mail.body


@pytest.mark.parametrize("decide", ["approve", "reject", "delete"])
def test_only_pending_requests_can_be_decided(store, decide):
    request = store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    store.delete("adm", request.id)
    args = (request.id, "reason") if decide == "reject" else (request.id,)
    _refused("not_pending", getattr(store, decide), "adm", *args)


def test_unknown_admin_and_unknown_request(store):
    request = store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    _refused("not_authorized", store.approve, "nobody", request.id)
    _refused("not_authorized", store.approve, DOCTOR, request.id)  # staff are not admins
    _refused("unknown_request", store.approve, "adm", "R999999")
    _refused("unknown_request", store.approve, "adm", "garbage")
    assert store.request(request.id).status == "pending"


def test_admin_may_not_decide_about_themselves(store):
    request = store.file_connect(DOCTOR, "cab", ADMIN_NISS, "Admin", "Anne", "administratif")
    refusal = _refused("not_authorized", store.approve, "adm", request.id)
    assert request.id in refusal.message("fr")
    _refused("not_authorized", store.reject, "adm", request.id, "no")
    store.approve("adm2", request.id)  # another admin may
    assert ADMIN_NISS in [lk.niss for lk in store.staff("cab")]


def test_concurrent_decisions_see_each_other(store, location, clock):
    # A second session (another admin) decides first; this one must see it at once.
    from store import open_store

    request = store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    other = open_store(location, clock=clock)
    other.reject("adm2", request.id, "doublon")
    _refused("not_pending", store.approve, "adm", request.id)
    assert store.request(request.id).status == "rejected"


def test_every_change_is_in_the_audit_trail(store):
    request = store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    store.approve("adm", request.id)
    actions = [(e.action, e.actor) for e in store.audit_entries()]
    assert actions == [
        ("admin_added", "adm"),
        ("admin_added", "adm2"),
        ("entity_created", "adm"),
        ("request_filed", DOCTOR),
        ("request_approved", "adm"),
    ]
    assert store.verify() == []
