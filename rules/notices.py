"""Warnings that do not refuse an action but that a person should read before confirming."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rules.messages import render
from rules.records import Link, Request, colleague_label, person_label
from rules.requests import EntityState
from rules.scripts import has_compatibility_forms, mixed_script_words, other_scripts, plain_form
from rules.vocabulary import EMPLOYEE_TYPES, MANAGER_TYPES, fits_kind, is_manager

# Which warnings are given, and when: the store keeps each pending request's warnings, and
# reviews them all again when this changes (wording alone does not count: it is rendered when
# read).
NOTICES_VERSION = 3


@dataclass(frozen=True, slots=True)
class Notice:
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    # The wording when it differs from the code's (a singular, say); the code stays the same.
    message_key: str | None = None

    def message(self, lang: str = "fr") -> str:
        params = dict(self.params)
        refusal = params.pop("refusal", None)
        if refusal is not None:  # a rule that would refuse: its own words, same language
            params["reason"] = refusal.message(lang)
        return render(self.message_key or self.code, lang, params)


def requestable_types(actor_type: str, entity_kind: str) -> list[str]:
    """Employee types a manager of this type may request for an entity of this kind; a MACG
    needs a doctor (rule 3)."""
    if not is_manager(actor_type):
        return []
    return [
        code
        for code in EMPLOYEE_TYPES
        if (code != "macg" or actor_type == "medecin") and fits_kind(code, entity_kind)
    ]


def access_types(entity_kind: str | None) -> list[str]:
    """What a person asking for access to an entity (of this kind, once chosen) may be."""
    return [
        code
        for code in sorted(MANAGER_TYPES)
        if entity_kind is None or fits_kind(code, entity_kind)
    ]


def managers(state: EntityState) -> list[Link]:
    """Who may file requests for the entity."""
    return [link for link in state.links if is_manager(link.employee_type)]


def disconnect_notices(
    state: EntityState, nisses: Sequence[str], full_niss: bool = False
) -> list[Notice]:
    """A doctor leaving while MACG they supervise stay linked: allowed, but worth a warning.

    The staff see a colleague's NISS masked, as their list shows it; ``full_niss`` is for the
    administrator, whose review names everyone by their whole number.
    """
    label = person_label if full_niss else colleague_label
    # A trainee whose disconnection is already pending is not staying linked.
    leaving = set(nisses) | {r.niss for r in state.pending if r.kind == "disconnect"}
    notices = []
    for link in state.links:
        if link.niss not in nisses or link.employee_type != "medecin":
            continue
        trainees = [
            t
            for t in state.links
            if t.employee_type == "macg" and t.supervisor == link.niss and t.niss not in leaving
        ]
        if trainees:
            notices.append(
                Notice(
                    "supervises_macg",
                    {
                        "person": label(link.first_name, link.last_name, link.niss),
                        "trainees": ", ".join(t.full_name for t in trainees),
                        "entity": state.entity.name,
                    },
                    message_key="supervises_macg.one" if len(trainees) == 1 else None,
                )
            )
    return notices


def name_notices(last_name: str, first_name: str) -> list[Notice]:
    """Names that may imitate another one, or that the national register would not write so.

    New names cannot mix scripts in a word or be full width (rules.fields.clean_name); this
    catches what was stored before, and names written wholly in another script.
    """
    notices = []
    for label, name in (("field.last_name", last_name), ("field.first_name", first_name)):
        params = {"field": label, "value": name}
        if mixed_script_words(name):
            notices.append(Notice("name_mixed_scripts", params))
        elif has_compatibility_forms(name):
            plain = {**params, "plain": plain_form(name)}
            notices.append(Notice("name_compatibility_forms", plain))
        elif scripts := other_scripts(name):
            known = {"CYRILLIC", "GREEK"}
            script = scripts[0].lower() if len(scripts) == 1 and scripts[0] in known else "other"
            notices.append(Notice("name_other_script", {**params, "script": f"script.{script}"}))
    return notices


def review_notices(
    state: EntityState,
    request: Request,
    links_elsewhere: Sequence[Link],
    requests_elsewhere: Sequence[Request],
) -> list[Notice]:
    """What an administrator should know before deciding ``request``."""
    return entity_notices(state, request) + person_notices(
        request, links_elsewhere, requests_elsewhere
    )


def entity_notices(state: EntityState, request: Request) -> list[Notice]:
    """The warnings that the request and its entity's state give: they change only when
    the entity does (the store keeps them per pending request, and reviews them again then)."""
    from rules.decisions import check_approvable
    from rules.violation import RuleViolation

    notices: list[Notice] = []
    person = person_label(request.first_name, request.last_name, request.niss)
    if request.status == "pending":
        try:
            check_approvable(state, request)
        except RuleViolation as refusal:
            notices.append(Notice("approval_would_fail", {"refusal": refusal}))
    notices += name_notices(request.last_name, request.first_name)
    if request.kind == "connect" and request.employee_type == "macg":
        supervisor = state.link_of(request.filed_by)
        notices.append(
            Notice(
                "macg_supervisor",
                {
                    "person": person,
                    "supervisor": supervisor.full_name if supervisor else request.filed_by,
                },
            )
        )
    if request.kind == "disconnect":
        notices += disconnect_notices(state, [request.niss], full_niss=True)
    return notices + state_notices(state)


def state_notices(state: EntityState) -> list[Notice]:
    """What is wrong with the entity itself, whatever the request: GP trainees left without
    their supervising doctor, links kept past their end date."""
    linked = {link.niss for link in state.links}
    notices = []
    unsupervised = [
        t
        for t in state.links
        if t.employee_type == "macg" and t.supervisor and t.supervisor not in linked
    ]
    if unsupervised:
        notices.append(
            Notice(
                "macg_unsupervised",
                {
                    "trainees": ", ".join(
                        person_label(t.first_name, t.last_name, t.niss) for t in unsupervised
                    ),
                    "entity": state.entity.name,
                },
            )
        )
    for link in state.links:
        if link.held and link.until is not None:
            notices.append(
                Notice(
                    "link_end_held",
                    {
                        "person": person_label(link.first_name, link.last_name, link.niss),
                        "until": link.until.strftime("%d/%m/%Y"),
                        "entity": state.entity.name,
                    },
                )
            )
    return notices


def person_notices(
    request: Request, links_elsewhere: Sequence[Link], requests_elsewhere: Sequence[Request]
) -> list[Notice]:
    """The warnings that the person's links and requests at other entities give: they
    change only when those do."""
    notices: list[Notice] = []
    person = person_label(request.first_name, request.last_name, request.niss)
    names = {(k.last_name.casefold(), k.first_name.casefold()) for k in links_elsewhere}
    names |= {(r.last_name.casefold(), r.first_name.casefold()) for r in requests_elsewhere}
    names.discard((request.last_name.casefold(), request.first_name.casefold()))
    if names:
        known = next(
            iter(
                k
                for k in links_elsewhere
                if (k.last_name.casefold(), k.first_name.casefold()) in names
            ),
            None,
        )
        other = (
            known.full_name
            if known
            else next(
                r.full_name
                for r in requests_elsewhere
                if (r.last_name.casefold(), r.first_name.casefold()) in names
            )
        )
        notices.append(
            Notice(
                "niss_other_name",
                {"person": person, "other": other, "requested": request.full_name},
            )
        )
    if links_elsewhere and request.kind == "connect":
        # A person leaving one entity may well stay at others: only news when joining.
        notices.append(
            Notice(
                "linked_elsewhere",
                {
                    "person": person,
                    "entities": ", ".join(sorted({k.entity_id for k in links_elsewhere})),
                },
            )
        )
    pending = [r for r in requests_elsewhere if r.status == "pending"]
    if pending:
        notices.append(
            Notice(
                "pending_elsewhere",
                {
                    "person": person,
                    "entities": ", ".join(sorted({r.entity_id for r in pending})),
                },
            )
        )
    return notices
