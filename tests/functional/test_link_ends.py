"""Links with an end date: filed, warned of 14 and 1 days before, removed once the day is
over (or held when the entity needs them), and extended by an approved request."""

from __future__ import annotations

from datetime import date

from rules import HOUSEKEEPING
from tests.conftest import DOCTOR, DOCTOR_2, NURSE, TRAINEE, at_brussels, link, refused


def _link_of(store, niss, entity="cab"):
    return next((k for k in store.staff(entity) if k.niss == niss), None)


def test_a_new_request_carries_an_end_date_and_a_trainee_needs_one(store, clock):
    at_brussels(clock, 2026, 3, 2, 10, 0)
    refusal = refused(
        "until_required", store.file_connect, DOCTOR, "cab", TRAINEE, "Claes", "Wout", "macg"
    )
    assert "«\u00a0lié jusqu'au\u00a0»" in refusal.message("fr")
    for typed, code in [
        ("31/02/2027", "invalid_until"),
        ("demain", "invalid_until"),
        ("02/03/2026", "until_out_of_range"),  # today: at least tomorrow
        ("03/03/2029", "until_out_of_range"),  # more than three years
    ]:
        refusal = refused(
            code,
            store.file_connect,
            DOCTOR,
            "cab",
            TRAINEE,
            "Claes",
            "Wout",
            "macg",
            until=typed,
        )
    assert "entre le 03/03/2026 et le 02/03/2029" in refusal.message("fr")
    assert store.requests("cab") == []
    request = store.file_connect(
        DOCTOR, "cab", TRAINEE, "Claes", "Wout", "macg", until="2029-03-02"
    )
    assert request.until == date(2029, 3, 2)
    nurse = store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier", until="")
    assert nurse.until is None  # optional for everyone else
    store.approve("adm", request.id)
    assert _link_of(store, TRAINEE).until == date(2029, 3, 2)
    mail = store.outbox()[-1]
    assert "jusqu'au 02/03/2029" in mail.body
    filed = [e for e in store.audit_entries() if e.action == "request_filed"]
    assert filed[0].detail["until"] == "2029-03-02"
    assert store.verify() == []


def test_warnings_at_fourteen_days_and_one_day_each_once(store, clock):
    at_brussels(clock, 2026, 3, 2, 10, 0)
    link(store, "cab", NURSE, "Martin", "Claire", "infirmier", until="31/08/2026")
    at_brussels(clock, 2026, 8, 16, 9, 0)  # 15 days before
    assert store.housekeeping().warned == ()
    at_brussels(clock, 2026, 8, 17, 0, 5)  # 14 days before
    ((warned, days),) = store.housekeeping().warned
    assert (warned.niss, days) == (NURSE, 14)
    mail = store.outbox()[-1]
    assert (mail.to, mail.entity_id) == ("cab@example.be", "cab")
    assert "finit le 31/08/2026" in mail.subject and "dans 14\u00a0jours" in mail.body
    assert NURSE not in mail.body  # the entity's colleague, named with a masked NISS
    at_brussels(clock, 2026, 8, 20, 9, 0)
    assert store.housekeeping().warned == ()  # not twice
    at_brussels(clock, 2026, 8, 30, 9, 0)
    ((_, days),) = store.housekeeping().warned
    assert days == 1 and "finit demain" in store.outbox()[-1].body
    at_brussels(clock, 2026, 8, 31, 23, 59)  # the last day: still linked
    report = store.housekeeping()
    assert report.warned == () and report.ended == ()
    assert _link_of(store, NURSE) is not None
    warned = [e for e in store.audit_entries() if e.action == "link_end_warned"]
    assert [(e.actor, e.detail["days"]) for e in warned] == [(HOUSEKEEPING, 14), (HOUSEKEEPING, 1)]


def test_a_round_that_missed_the_first_warning_sends_only_the_nearer(store, clock):
    at_brussels(clock, 2026, 3, 2, 10, 0)
    link(store, "cab", NURSE, "Martin", "Claire", "infirmier", until="31/08/2026")
    at_brussels(clock, 2026, 8, 30, 12, 0)  # the job was stopped for two weeks
    ((_, days),) = store.housekeeping().warned
    assert days == 1
    assert store.housekeeping().warned == ()


def test_the_link_goes_once_its_last_day_is_over(store, clock):
    at_brussels(clock, 2026, 3, 2, 10, 0)
    link(store, "cab", NURSE, "Martin", "Claire", "infirmier", until="31/08/2026")
    trainee = link(store, "cab", TRAINEE, "Claes", "Wout", "macg", until="31/12/2026")
    link(store, "cab", DOCTOR_2, "Durand", "Luc", "medecin")
    at_brussels(clock, 2026, 9, 1, 0, 0)
    (ended,) = store.housekeeping().ended
    assert ended.niss == NURSE and _link_of(store, NURSE) is None
    entry = [e for e in store.audit_entries() if e.action == "link_ended"][-1]
    assert (entry.actor, entry.niss, entry.detail) == (
        HOUSEKEEPING,
        NURSE,
        {"until": "2026-08-31"},
    )
    assert "n'est plus lié(e) à Cabinet Dupont" in store.outbox()[-1].subject
    assert store.housekeeping().ended == ()
    assert trainee.status == "approved" and _link_of(store, TRAINEE) is not None
    assert store.verify() == []


def test_a_supervisors_end_flags_their_trainees(store, clock):
    at_brussels(clock, 2026, 3, 2, 10, 0)
    link(store, "cab", DOCTOR_2, "Durand", "Luc", "medecin", until="31/05/2026")
    link(store, "cab", TRAINEE, "Claes", "Wout", "macg", actor=DOCTOR_2, until="31/12/2026")
    at_brussels(clock, 2026, 5, 20, 10, 0)
    pending = store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    at_brussels(clock, 2026, 6, 1, 8, 0)
    (ended,) = store.housekeeping().ended
    assert ended.niss == DOCTOR_2
    assert "Ces MACG n'ont plus de médecin responsable" in store.outbox()[-1].body
    assert "CLAES Wout" in store.outbox()[-1].body
    review = store.review("adm", pending.id)
    assert "macg_unsupervised" in [n.code for n in review.notices]
    assert pending.id in store.pending_notices()  # the queue marks it ⚠
    entry = [e for e in store.audit_entries() if e.action == "link_ended"][-1]
    assert entry.detail["trainees"] == [TRAINEE]


def test_the_last_manager_is_held_past_the_end_and_goes_once_replaced(store, clock):
    at_brussels(clock, 2026, 3, 2, 10, 0)
    link(store, "cab", DOCTOR_2, "Durand", "Luc", "medecin", until="31/05/2026")
    request = store.file_disconnect(DOCTOR, "cab", [DOCTOR])[0]
    store.approve("adm", request.id)  # DOCTOR_2 is now the only manager
    at_brussels(clock, 2026, 6, 1, 8, 0)
    report = store.housekeeping()
    assert report.ended == () and [k.niss for k in report.held] == [DOCTOR_2]
    held = _link_of(store, DOCTOR_2)
    assert held.held and held.until == date(2026, 5, 31)
    mail = store.outbox()[-1]
    assert "est gardé après le 31/05/2026" in mail.subject
    assert "Au moins une personne doit toujours être liée à Cabinet Dupont" in mail.body
    entry = [e for e in store.audit_entries() if e.action == "link_end_held"][-1]
    assert entry.detail == {"until": "2026-05-31", "rule": "last_person"}
    pending = store.file_connect(DOCTOR_2, "cab", DOCTOR, "Dupont", "Jean", "medecin")
    assert "link_end_held" in [n.code for n in store.review("adm", pending.id).notices]
    at_brussels(clock, 2026, 6, 2, 8, 0)
    assert store.housekeeping().held == ()  # told once, not every round
    store.approve("adm", pending.id)  # a doctor again: the held link may go
    at_brussels(clock, 2026, 6, 2, 9, 0)
    (ended,) = store.housekeeping().ended
    assert ended.niss == DOCTOR_2 and _link_of(store, DOCTOR_2) is None
    assert store.verify() == []


def test_an_extension_is_a_request_an_admin_approves(store, clock):
    at_brussels(clock, 2026, 3, 2, 10, 0)
    link(store, "cab", NURSE, "Martin", "Claire", "infirmier", until="31/08/2026")
    link(store, "cab", DOCTOR_2, "Durand", "Luc", "medecin")
    refused("extend_without_end", store.file_extend, DOCTOR, "cab", DOCTOR_2, "31/12/2026")
    refusal = refused("extend_not_later", store.file_extend, DOCTOR, "cab", NURSE, "30/08/2026")
    assert "jusqu'au 31/08/2026" in refusal.message("fr")
    refused("not_authorized", store.file_extend, NURSE, "cab", NURSE, "31/12/2026")
    at_brussels(clock, 2026, 8, 17, 9, 0)
    assert store.housekeeping().warned  # the 14-day warning went
    request = store.file_extend(DOCTOR, "cab", NURSE, "31/12/2026")
    assert (request.kind, request.until, request.status) == (
        "extend",
        date(2026, 12, 31),
        "pending",
    )
    refused("pending_extend_exists", store.file_extend, DOCTOR_2, "cab", NURSE, "30/11/2026")
    assert _link_of(store, NURSE).until == date(2026, 8, 31)  # nothing changes before approval
    store.approve("adm", request.id)
    extended = _link_of(store, NURSE)
    assert (extended.until, extended.warned, extended.held) == (date(2026, 12, 31), None, False)
    assert "prolongé jusqu'au 31/12/2026" in store.outbox()[-1].body
    at_brussels(clock, 2026, 9, 1, 8, 0)
    assert store.housekeeping().ended == ()  # the old end date no longer applies
    at_brussels(clock, 2026, 12, 17, 8, 0)
    ((_, days),) = store.housekeeping().warned  # the new date's warnings come again
    assert days == 14
    assert store.verify() == []
