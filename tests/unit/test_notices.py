"""Offered employee types and warnings before a disconnection."""

from __future__ import annotations

from datetime import UTC, datetime

from rules import Entity, EntityState, Link, disconnect_notices, requestable_types
from tests.conftest import DOCTOR, DOCTOR_2, NURSE, TRAINEE

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
ENTITY = Entity("cab", "Cabinet Dupont", "cabinet_medical", "cab@example.be", "fr")


def test_macg_is_offered_to_doctors_only():
    assert "macg" in requestable_types("medecin")
    assert "macg" not in requestable_types("pharmacien")
    assert requestable_types("infirmier") == []


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
    assert "Wout Claes" in notice.message("fr") and "HAIO" in notice.message("nl")
    assert disconnect_notices(state, [DOCTOR, TRAINEE]) == []  # the trainee leaves too
    assert disconnect_notices(state, [DOCTOR_2]) == []
