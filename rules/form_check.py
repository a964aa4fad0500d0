"""Every problem of a form at once, field by field: a person fixes them all in one go.

The store still refuses with the first broken rule, under its lock; these checks only let a
form show, next to each field, what the store would refuse before anything is sent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from rules.fields import (
    check_employee_type,
    check_entity_kind,
    check_entity_language,
    clean_email,
    clean_entity_id,
    clean_entity_name,
    clean_name,
)
from rules.link_ends import clean_until
from rules.niss import normalize_niss
from rules.violation import RuleViolation
from rules.vocabulary import is_manager

FieldProblems = list[tuple[str, RuleViolation]]


def _collect(checks: Iterable[tuple[str, Callable[[], object]]]) -> FieldProblems:
    problems: FieldProblems = []
    for field, check in checks:
        try:
            check()
        except RuleViolation as violation:
            problems.append((field, violation))
    return problems


def _chosen(code: str, field: str, check: Callable[[str], object]) -> Callable[[], object]:
    """A choice left empty says so, rather than « the type '' does not exist »."""

    def run() -> object:
        if not code:
            raise RuleViolation("choice_required", {"field": f"choice.{field}"})
        return check(code)

    return run


def _required(text: str, field: str, check: Callable[[], object]) -> Callable[[], object]:
    """An empty field says it is required: shorter than the rule's full description."""

    def run() -> object:
        if not str(text).strip():
            raise RuleViolation("field_required", {"field": f"field.{field}"})
        return check()

    return run


def _manager(code: str) -> str:
    check_employee_type(code)
    if not is_manager(code):
        raise RuleViolation("access_type_not_allowed", {"type": code})
    return code


def check_connect_fields(
    niss: str,
    last_name: str,
    first_name: str,
    employee_type: str,
    until: str = "",
    today: date | None = None,
) -> FieldProblems:
    """What « Nouvelle demande » would be refused for, every field at once; the end date
    (« lié jusqu'au ») is judged against ``today``, the Brussels day, when given."""
    checks: list[tuple[str, Callable[[], object]]] = []
    if today is not None:
        checks.append(("until", lambda: clean_until(until, today, employee_type)))
    return _collect(
        [
            ("niss", _required(niss, "niss", lambda: normalize_niss(niss))),
            (
                "last_name",
                _required(last_name, "last_name", lambda: clean_name(last_name, "last_name")),
            ),
            (
                "first_name",
                _required(first_name, "first_name", lambda: clean_name(first_name, "first_name")),
            ),
            ("employee_type", _chosen(employee_type, "employee_type", check_employee_type)),
            *checks,
        ]
    )


def check_access_fields(
    entity_id: str, last_name: str, first_name: str, employee_type: str
) -> FieldProblems:
    """What an access request would be refused for, every field at once."""
    return _collect(
        [
            ("entity", _chosen(entity_id, "entity", clean_entity_id)),
            (
                "last_name",
                _required(last_name, "last_name", lambda: clean_name(last_name, "last_name")),
            ),
            (
                "first_name",
                _required(first_name, "first_name", lambda: clean_name(first_name, "first_name")),
            ),
            ("employee_type", _chosen(employee_type, "employee_type", _manager)),
        ]
    )


def check_entity_fields(
    entity_id: str,
    name: str,
    kind: str,
    email: str,
    language: str,
    manager_niss: str,
    manager_last_name: str,
    manager_first_name: str,
    manager_type: str,
) -> FieldProblems:
    """What a new entity would be refused for, every field at once."""
    return _collect(
        [
            ("entity_id", _required(entity_id, "entity_id", lambda: clean_entity_id(entity_id))),
            ("name", _required(name, "entity_name", lambda: clean_entity_name(name))),
            ("kind", _chosen(kind, "kind", check_entity_kind)),
            ("email", _required(email, "email", lambda: clean_email(email))),
            ("language", _chosen(language, "language", check_entity_language)),
            ("manager_niss", _required(manager_niss, "niss", lambda: normalize_niss(manager_niss))),
            (
                "manager_last_name",
                _required(
                    manager_last_name,
                    "last_name",
                    lambda: clean_name(manager_last_name, "last_name"),
                ),
            ),
            (
                "manager_first_name",
                _required(
                    manager_first_name,
                    "first_name",
                    lambda: clean_name(manager_first_name, "first_name"),
                ),
            ),
            ("manager_type", _chosen(manager_type, "employee_type", _manager)),
        ]
    )


def check_entity_change_fields(email: str, language: str) -> FieldProblems:
    """What a change of an entity's e-mail address or language would be refused for."""
    return _collect(
        [
            ("email", _required(email, "email", lambda: clean_email(email))),
            ("language", _chosen(language, "language", check_entity_language)),
        ]
    )
