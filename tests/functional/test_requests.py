"""Filing requests through the store API: every rule of the manual, and the state afterwards."""

from __future__ import annotations

import pytest

from rules import RuleViolation, format_niss
from tests.conftest import (
    DOCTOR,
    DOCTOR_2,
    NURSE,
    NURSE_2,
    PHARMACIST,
    STRANGER,
    TRAINEE,
    add_pharmacy,
    link,
)


def _refused(code, call, *args):
    with pytest.raises(RuleViolation) as caught:
        call(*args)
    assert caught.value.code == code, caught.value.message("en")
    return caught.value


def test_connect_files_a_pending_request_and_changes_no_link(store):
    request = store.file_connect(
        DOCTOR, "cab", "90.01.15-012.77", " Martin ", "Claire", "infirmier"
    )
    assert (request.kind, request.status, request.niss) == ("connect", "pending", NURSE)
    assert request.last_name == "Martin" and request.filed_by == DOCTOR
    assert [r.id for r in store.requests("cab")] == [request.id]
    assert [lk.niss for lk in store.staff("cab")] == [DOCTOR]  # only an approval links


def test_second_pending_connect_for_the_same_person_is_refused(store):
    store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    refusal = _refused(
        "pending_connect_exists",
        store.file_connect,
        DOCTOR,
        "cab",
        NURSE,
        "Martin",
        "Claire",
        "infirmier",
    )
    assert "MARTIN Claire" in refusal.message("fr") and "Cabinet Dupont" in refusal.message("fr")
    assert len(store.requests("cab")) == 1


def test_connect_of_a_linked_person_is_refused(store):
    link(store, "cab", NURSE, "Martin", "Claire", "infirmier")
    _refused(
        "already_linked", store.file_connect, DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier"
    )


@pytest.mark.parametrize(
    ("niss", "last", "first", "kind", "code"),
    [
        ("123", "Martin", "Claire", "infirmier", "invalid_niss"),
        (NURSE, "M4rtin", "Claire", "infirmier", "invalid_name"),
        (NURSE, "Martin", "", "infirmier", "invalid_name"),
        (NURSE, "Martin", "Claire", "plombier", "unknown_type"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_filed(store, niss, last, first, kind, code):
    _refused(code, store.file_connect, DOCTOR, "cab", niss, last, first, kind)
    assert store.requests("cab") == []


@pytest.mark.parametrize("actor", [STRANGER, "garbage", NURSE])
def test_only_a_linked_manager_may_file(store, actor):
    link(store, "cab", NURSE, "Martin", "Claire", "infirmier")
    _refused(
        "not_authorized", store.file_connect, actor, "cab", NURSE_2, "Peeters", "Lotte", "infirmier"
    )
    _refused("not_authorized", store.file_disconnect, actor, "cab", [NURSE])


def test_unknown_entity_and_other_entity_get_the_same_refusal(store):
    add_pharmacy(store, entity_id="pharma", name="Pharmacie")
    other = _refused(
        "not_authorized", store.file_connect, DOCTOR, "pharma", NURSE, "M", "C", "infirmier"
    )
    unknown = _refused(
        "not_authorized", store.file_connect, DOCTOR, "nope", NURSE, "M", "C", "infirmier"
    )
    assert other.message("fr") == unknown.message("fr")  # says nothing about other entities
    assert "Pharmacie" not in other.message("fr")


def test_macg_needs_a_doctor_who_becomes_supervisor(store):
    add_pharmacy(store, entity_id="pharma", name="Pharmacie")
    _refused(
        "macg_needs_doctor",
        store.file_connect,
        PHARMACIST,
        "pharma",
        TRAINEE,
        "Claes",
        "Wout",
        "macg",
    )
    assert store.requests("pharma") == []
    approved = link(store, "cab", TRAINEE, "Claes", "Wout", "macg")
    assert approved.status == "approved"
    (trainee,) = [lk for lk in store.staff("cab") if lk.niss == TRAINEE]
    assert trainee.supervisor == DOCTOR


def test_disconnect_of_several_people_files_one_request_each(store):
    link(store, "cab", NURSE, "Martin", "Claire", "infirmier")
    link(store, "cab", NURSE_2, "Peeters", "Lotte", "infirmier")
    filed = store.file_disconnect(DOCTOR, "cab", [NURSE, format_niss(NURSE_2), NURSE])
    assert [r.niss for r in filed] == [NURSE, NURSE_2]  # duplicates collapse
    assert {r.kind for r in filed} == {"disconnect"}
    assert len(store.staff("cab")) == 3


def test_disconnect_is_all_or_nothing_and_lists_every_failure(store):
    link(store, "cab", NURSE, "Martin", "Claire", "infirmier")
    store.file_disconnect(DOCTOR, "cab", [NURSE])
    refusal = _refused(
        "pending_disconnect_exists", store.file_disconnect, DOCTOR, "cab", [NURSE, STRANGER, "12"]
    )
    assert len(refusal.failures) == 3
    assert [f.code for f in refusal.failures] == [
        "pending_disconnect_exists",
        "not_linked",
        "invalid_niss",
    ]
    text = refusal.message("fr")
    assert "MARTIN Claire" in text and "70.01.01-005" in text
    assert "3 personnes posent" in text and "3 personen geven" in refusal.message("nl")
    assert "3 people cannot" in refusal.message("en")
    assert len(store.requests("cab")) == 1  # only the first, earlier one


def test_not_linked_alone(store):
    _refused("not_linked", store.file_disconnect, DOCTOR, "cab", [NURSE])


def test_last_person_counts_pending_disconnections(store):
    _refused("last_person", store.file_disconnect, DOCTOR, "cab", [DOCTOR])
    link(store, "cab", DOCTOR_2, "Jacobs", "Emma", "medecin")
    store.file_disconnect(DOCTOR, "cab", [DOCTOR_2])
    refusal = _refused("last_person", store.file_disconnect, DOCTOR, "cab", [DOCTOR])
    assert "DUPONT Jean" in refusal.message("nl")
    assert len(store.requests("cab")) == 1


def test_last_manager(store):
    link(store, "cab", NURSE, "Martin", "Claire", "infirmier")
    refusal = _refused("last_manager", store.file_disconnect, DOCTOR, "cab", [DOCTOR])
    assert "Cabinet Dupont" in refusal.message("en")


def test_last_person_wins_over_last_manager(store):
    link(store, "cab", NURSE, "Martin", "Claire", "infirmier")
    _refused("last_person", store.file_disconnect, DOCTOR, "cab", [DOCTOR, NURSE])


def test_empty_selection(store):
    _refused("empty_selection", store.file_disconnect, DOCTOR, "cab", [])


def test_preview_says_what_filing_would_say_without_filing(store):
    assert store.preview_disconnect(DOCTOR, "cab", [DOCTOR]).code == "last_person"
    link(store, "cab", NURSE, "Martin", "Claire", "infirmier")
    assert store.preview_disconnect(DOCTOR, "cab", [NURSE]) is None
    assert store.requests("cab") == []


def test_entities_of_and_normalised_niss(store):
    assert [e.id for e in store.entities_of("85.07.30-033.28")] == ["cab"]
    assert store.entities_of(STRANGER) == []
    assert store.entities_of("not a number") == []


def test_requests_are_oldest_first_and_limited(store):
    from tests.conftest import TRAINEE

    ids = [
        store.file_connect(DOCTOR, "cab", niss, "Martin", "Claire", "infirmier").id
        for niss in (NURSE, NURSE_2, TRAINEE)
    ]
    assert [r.id for r in store.requests()] == ids
    assert [r.id for r in store.requests("cab", limit=2)] == ids[:2]
    store.delete("adm", ids[0])
    assert [r.id for r in store.requests(limit=1)] == ids[1:2]
    assert [r.id for r in store.requests(status=None)] == ids


def test_access_request_for_oneself(store):
    from tests.conftest import DOCTOR_2

    request = store.file_access_request(DOCTOR_2, "cab", "Jacobs", "Emma", "medecin")
    assert (request.niss, request.filed_by, request.kind) == (DOCTOR_2, DOCTOR_2, "connect")
    assert [r.id for r in store.filed_by(DOCTOR_2)] == [request.id]
    _refused(
        "pending_connect_exists",
        store.file_access_request,
        DOCTOR_2,
        "cab",
        "Jacobs",
        "Emma",
        "medecin",
    )
    _refused(
        "access_type_not_allowed",
        store.file_access_request,
        NURSE,
        "cab",
        "Martin",
        "Claire",
        "infirmier",
    )
    refusal = _refused(
        "unknown_entity", store.file_access_request, NURSE, "nope", "Martin", "Claire", "medecin"
    )
    assert "nope" in refusal.message("fr")
    _refused(
        "already_linked", store.file_access_request, DOCTOR, "cab", "Dupont", "Jean", "medecin"
    )
    store.approve("adm", request.id)
    assert [e.id for e in store.entities_of(DOCTOR_2)] == ["cab"]


def test_find_entities_ignores_case_and_accents(store):
    add_pharmacy(store, entity_id="ph-1", email="p@example.be")
    assert [e.id for e in store.find_entities("LELIEVRE")] == ["ph-1"]
    assert [e.id for e in store.find_entities("cab")] == ["cab"]
    assert store.find_entities("  ") == []


def test_recent_decisions_newest_first(store):
    first = store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    second = store.file_connect(DOCTOR, "cab", NURSE_2, "Peeters", "Lotte", "infirmier")
    store.reject("adm", second.id, "non")
    store.approve("adm", first.id)
    assert [r.id for r in store.recent_decisions("cab")] == [first.id, second.id]
    assert store.recent_decisions("cab", limit=1)[0].status == "approved"


def test_version_changes_with_every_commit(store):
    before = store.version()
    store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    assert store.version() == before + 1


def test_an_employee_type_must_fit_the_entity_s_kind(store, clock):
    from tests.conftest import DOCTOR_2, PHARMACIST, add_pharmacy

    refusal = _refused(
        "type_not_for_kind",
        store.file_connect,
        DOCTOR,
        "cab",
        "90.01.15-012.77",
        "Martin",
        "Claire",
        "pharmacien",
    )
    assert "« pharmacien »" in refusal.message("fr") and "cabinet médical" in refusal.message("fr")
    assert "huisartsenpraktijk" in refusal.message("nl")
    add_pharmacy(store)
    _refused(
        "type_not_for_kind",
        store.file_access_request,
        DOCTOR_2,
        "ph",
        "Jacobs",
        "Emma",
        "medecin",
    )
    _refused(
        "type_not_for_kind",
        add_pharmacy,
        store,
        "adm",
        "ph2",
        "Pharmacie Deux",
        "ph2@example.be",
        "fr",
        PHARMACIST,
        "Lelièvre",
        "Sophie",
        "medecin",
    )
    assert store.requests("cab") == [] and store.requests("ph") == []
    assert store.entity("ph2") is None


def test_a_refusal_names_the_person_as_the_store_knows_them(store):
    # Dr Dupont's number typed with another name: the refusal is about Dr Dupont.
    refusal = _refused(
        "already_linked", store.file_connect, DOCTOR, "cab", DOCTOR, "Test", "Jean", "infirmier"
    )
    assert "DUPONT Jean" in refusal.message("fr") and "TEST" not in refusal.message("fr")
    store.file_connect(DOCTOR, "cab", NURSE, "Vandenberghe", "Éloïse", "infirmier")
    refusal = _refused(
        "pending_connect_exists",
        store.file_connect,
        DOCTOR,
        "cab",
        NURSE,
        "Vandenberghe",
        "Eloise",
        "infirmier",
    )
    assert "VANDENBERGHE Éloïse" in refusal.message("nl")
