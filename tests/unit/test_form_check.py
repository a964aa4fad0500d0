"""Every problem of a form at once, each with its field, in the order of the form."""

from __future__ import annotations

from rules import (
    check_access_fields,
    check_connect_fields,
    check_entity_change_fields,
    check_entity_fields,
    make_niss,
)

NISS = make_niss("600101", 1)


def fields(problems):
    return [field for field, _violation in problems]


def test_a_correct_connect_form_has_no_problem():
    assert check_connect_fields(NISS, "Durand", "Paul", "infirmier") == []


def test_every_broken_field_of_a_connect_form_is_named_at_once():
    problems = check_connect_fields("12", "", "P4ul", "")
    assert fields(problems) == ["niss", "last_name", "first_name", "employee_type"]
    by_field = dict(problems)
    assert by_field["niss"].code == "invalid_niss"
    assert by_field["first_name"].code == "invalid_name"
    assert by_field["employee_type"].message("fr") == "Choisissez le type dans la liste."
    assert by_field["employee_type"].message("nl") == "Kies het type in de lijst."


def test_only_the_broken_fields_are_named():
    assert fields(check_connect_fields(NISS, "Durand", "", "infirmier")) == ["first_name"]


def test_an_access_request_is_for_a_doctor_or_pharmacist():
    assert check_access_fields("cab", "Durand", "Paul", "medecin") == []
    problems = check_access_fields("", "Durand", "Paul", "infirmier")
    assert fields(problems) == ["entity", "employee_type"]
    assert dict(problems)["employee_type"].code == "access_type_not_allowed"


def test_a_new_entity_names_each_broken_field():
    ok = ("cab2", "Cabinet", "cabinet_medical", "a@b.be", "fr", NISS, "Dupont", "Jean", "medecin")
    assert check_entity_fields(*ok) == []
    broken = ("bad id", "", "", "not-an-address", "", "1", "", "", "infirmier")
    assert fields(check_entity_fields(*broken)) == [
        "entity_id",
        "name",
        "kind",
        "email",
        "language",
        "manager_niss",
        "manager_last_name",
        "manager_first_name",
        "manager_type",
    ]


def test_an_entity_change_checks_the_address_and_the_language():
    assert check_entity_change_fields("a@b.be", "nl") == []
    assert fields(check_entity_change_fields("x", "")) == ["email", "language"]
