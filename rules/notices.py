"""Warnings that do not refuse an action but that a person should read before confirming."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rules.messages import render
from rules.records import Link, person_label
from rules.requests import EntityState
from rules.vocabulary import EMPLOYEE_TYPES, is_manager


@dataclass(frozen=True, slots=True)
class Notice:
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "fr") -> str:
        return render(self.code, lang, self.params)


def requestable_types(actor_type: str) -> list[str]:
    """Employee types a manager of this type may request; a MACG needs a doctor (rule 3)."""
    if not is_manager(actor_type):
        return []
    return [code for code in EMPLOYEE_TYPES if code != "macg" or actor_type == "medecin"]


def managers(state: EntityState) -> list[Link]:
    """Who may file requests for the entity."""
    return [link for link in state.links if is_manager(link.employee_type)]


def disconnect_notices(state: EntityState, nisses: Sequence[str]) -> list[Notice]:
    """A doctor leaving while MACG they supervise stay linked: allowed, but worth a warning."""
    leaving = set(nisses)
    notices = []
    for link in state.links:
        if link.niss not in leaving or link.employee_type != "medecin":
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
                        "person": person_label(link.first_name, link.last_name, link.niss),
                        "trainees": ", ".join(t.full_name for t in trainees),
                        "entity": state.entity.name,
                    },
                )
            )
    return notices
