"""Offered employee types and warnings before a disconnection."""

from __future__ import annotations

from datetime import UTC, datetime

from rules import (
    EMPLOYEE_TYPES,
    Entity,
    EntityState,
    Link,
    Request,
    access_types,
    disconnect_notices,
    requestable_types,
)
from tests.conftest import DOCTOR, DOCTOR_2, NURSE, TRAINEE

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
ENTITY = Entity("cab", "Cabinet Dupont", "cabinet_medical", "cab@example.be", "fr")


def test_macg_is_offered_to_doctors_only():
    assert "macg" in requestable_types("medecin", "hopital")
    assert "macg" not in requestable_types("pharmacien", "hopital")
    assert requestable_types("infirmier", "hopital") == []


def test_the_types_offered_follow_the_entity_s_kind():
    practice = requestable_types("medecin", "cabinet_medical")
    assert "pharmacien" not in practice and "assistant_pharma" not in practice
    assert {"medecin", "macg", "infirmier"} <= set(practice)
    pharmacy = requestable_types("pharmacien", "pharmacie")
    assert set(pharmacy) == {"pharmacien", "assistant_pharma", "infirmier", "administratif"}
    assert set(requestable_types("medecin", "hopital")) == set(EMPLOYEE_TYPES)
    assert access_types("pharmacie") == ["pharmacien"]
    assert access_types(None) == ["medecin", "pharmacien"]


def test_a_doctor_leaving_their_trainees_behind_is_warned():
    links = (
        Link("cab", DOCTOR, "Dupont", "Jean", "medecin", NOW),
        Link("cab", DOCTOR_2, "Jacobs", "Emma", "medecin", NOW),
        Link("cab", TRAINEE, "Claes", "Wout", "macg", NOW, supervisor=DOCTOR),
        Link("cab", NURSE, "Martin", "Claire", "infirmier", NOW),
    )
    state = EntityState(ENTITY, links, ())
    (notice,) = disconnect_notices(state, [DOCTOR])
    assert notice.code == "supervises_macg"
    assert "CLAES Wout" in notice.message("fr") and "HAIO" in notice.message("nl")
    # One trainee is one: « du MACG CLAES Wout, qui reste lié(e) », not « Ils n'auront plus ».
    assert "du MACG CLAES Wout, qui reste" in notice.message("fr")
    assert "85.07.30-***.**" in notice.message("fr")  # masked, as the staff list shows it
    (full,) = disconnect_notices(state, [DOCTOR], full_niss=True)  # the admin's review
    assert "85.07.30-033.28" in full.message("fr")
    assert disconnect_notices(state, [DOCTOR, TRAINEE]) == []  # the trainee leaves too
    assert disconnect_notices(state, [DOCTOR_2]) == []


def test_a_trainee_already_on_the_way_out_is_not_said_to_stay():
    links = (
        Link("cab", DOCTOR, "Dupont", "Jean", "medecin", NOW),
        Link("cab", DOCTOR_2, "Jacobs", "Emma", "medecin", NOW),
        Link("cab", TRAINEE, "Claes", "Wout", "macg", NOW, supervisor=DOCTOR),
    )
    leaving = Request("R1", "disconnect", "cab", TRAINEE, "Claes", "Wout", "macg", DOCTOR, NOW)
    assert disconnect_notices(EntityState(ENTITY, links, (leaving,)), [DOCTOR]) == []


def test_review_says_an_approval_would_now_be_refused():
    from rules import Request, review_notices

    links = (
        Link("cab", DOCTOR, "Dupont", "Jean", "medecin", NOW),
        Link("cab", NURSE, "Martin", "Claire", "infirmier", NOW),
    )
    leaving = Request(
        "R000007", "disconnect", "cab", DOCTOR, "Dupont", "Jean", "medecin", DOCTOR, NOW
    )
    state = EntityState(ENTITY, links, (leaving,))
    (notice,) = review_notices(state, leaving, [], [])
    assert notice.code == "approval_would_fail"
    assert "doit garder au moins un médecin" in notice.message("fr")
    assert "moet minstens één arts" in notice.message("nl")


def test_working_days():
    from datetime import date

    from rules import is_overdue, working_days_between

    friday = date(2026, 11, 20)
    assert working_days_between(friday, date(2026, 11, 23)) == 1  # the weekend does not count
    assert working_days_between(friday, date(2026, 11, 27)) == 5
    assert not is_overdue(friday, date(2026, 11, 27))
    assert is_overdue(friday, date(2026, 11, 30))
    assert working_days_between(friday, friday) == 0


def _review_of(last: str, first: str):
    from rules import Request, review_notices

    links = (Link("cab", DOCTOR, "Dupont", "Jean", "medecin", NOW),)
    request = Request("R000008", "connect", "cab", NURSE, last, first, "infirmier", DOCTOR, NOW)
    state = EntityState(ENTITY, links, (request,))
    return review_notices(state, request, [], [])


def test_review_flags_a_name_that_mixes_look_alike_scripts():
    # Stored before names were checked for it: the admin must still be told.
    (notice,) = _review_of("Дupont", "Claire")
    assert notice.code == "name_mixed_scripts"
    assert "Le nom « Дupont »" in notice.message("fr") and "imiter" in notice.message("fr")
    assert "nabootsen" in notice.message("nl") and "imitate" in notice.message("en")


def test_review_flags_a_full_width_name_with_its_ordinary_form():
    (notice,) = _review_of("Martin", "Ｃｌａｉｒｅ")
    assert notice.code == "name_compatibility_forms"
    assert "Le prénom « Ｃｌａｉｒｅ »" in notice.message("fr")
    assert "« Claire »" in notice.message("fr") and "volle breedte" in notice.message("nl")
    (half,) = _review_of("Ｄupont", "Claire")  # full width and plain mixed: still Latin only
    assert half.code == "name_compatibility_forms" and "« Dupont »" in half.message("fr")
    (mixed,) = _review_of("Ｄupоnt", "Claire")  # with a Cyrillic о as well
    assert mixed.code == "name_mixed_scripts"


def test_review_flags_a_name_in_another_script_without_refusing_it():
    notices = _review_of("Иванова", "Αθηνά")
    assert [n.code for n in notices] == ["name_other_script"] * 2
    assert "cyrillique" in notices[0].message("fr") and "Cyrillic" in notices[0].message("en")
    assert "het Grieks" in notices[1].message("nl")
    (arabic,) = _review_of("Martin", "ليلى")
    assert "autre alphabet que le latin" in arabic.message("fr")


def test_review_of_ordinary_names_says_nothing_about_them():
    assert _review_of("Van den Broeck", "Zoë") == []
    assert _review_of("D'Hondt", "Hélène") == []
