"""plan_approve re-checks rules 4 to 6 against a state that changed since filing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from rules import Admin, Entity, EntityState, Link, Request, RuleViolation, plan_approve
from tests.conftest import DOCTOR, DOCTOR_2, NURSE

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
ENTITY = Entity("cab", "Cabinet Dupont", "cabinet_medical", "cab@example.be", "fr")
ADMIN = Admin("adm", "Anne")


def _link(niss: str, kind: str) -> Link:
    return Link("cab", niss, "Name", "First", kind, NOW)


def _request(niss: str, kind: str, rid: str = "R000009", employee_type="infirmier") -> Request:
    return Request(rid, kind, "cab", niss, "Name", "First", employee_type, DOCTOR, NOW)


def _state(links, pending=()):
    return EntityState(ENTITY, tuple(links), tuple(pending))


@pytest.mark.parametrize(
    ("links", "pending", "filed", "code"),
    [
        (
            [_link(DOCTOR, "medecin"), _link(NURSE, "infirmier")],
            [],
            _request(NURSE, "connect"),
            "already_linked",
        ),
        (
            [_link(DOCTOR, "medecin")],
            [_request(NURSE, "connect", "R000001")],
            _request(NURSE, "connect"),
            "pending_connect_exists",
        ),
        ([_link(DOCTOR, "medecin")], [], _request(NURSE, "disconnect"), "not_linked"),
        ([_link(NURSE, "infirmier")], [], _request(NURSE, "disconnect"), "last_person"),
        (
            [_link(DOCTOR, "medecin"), _link(NURSE, "infirmier")],
            [],
            _request(DOCTOR, "disconnect"),
            "last_manager",
        ),
    ],
)
def test_approval_refuses_when_the_state_changed(links, pending, filed, code):
    with pytest.raises(RuleViolation) as caught:
        plan_approve(_state(links, [*pending, filed]), ADMIN, filed, NOW)
    assert caught.value.code == code


def test_other_pending_disconnections_do_not_block_an_approval():
    links = [_link(DOCTOR, "medecin"), _link(DOCTOR_2, "medecin"), _link(NURSE, "infirmier")]
    out_nurse = _request(NURSE, "disconnect", "R000002")
    out_doctor = _request(DOCTOR_2, "disconnect", "R000003")
    approval = plan_approve(_state(links, [out_nurse, out_doctor]), ADMIN, out_nurse, NOW)
    assert approval.remove_link is not None and approval.remove_link.niss == NURSE
    assert approval.request.status == "approved" and approval.request.decided_at == NOW


def test_approving_a_macg_records_the_filing_doctor_as_supervisor():
    request = _request(NURSE, "connect", employee_type="macg")
    approval = plan_approve(_state([_link(DOCTOR, "medecin")], [request]), ADMIN, request, NOW)
    assert approval.add_link is not None and approval.add_link.supervisor == DOCTOR
