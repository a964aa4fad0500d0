"""The yearly staff review: opened by an admin, answered per person by the managers, reminded
a week before and on the due date, and never removing anyone by itself."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from rules import HOUSEKEEPING
from tests.conftest import (
    DOCTOR,
    NURSE,
    NURSE_2,
    PHARMACIST,
    TRAINEE,
    add_pharmacy,
    at_brussels,
    link,
    refused,
)


@pytest.fixture
def staffed(store, clock):
    at_brussels(clock, 2026, 9, 1, 9, 0)
    link(store, "cab", NURSE, "Martin", "Claire", "infirmier")
    link(store, "cab", NURSE_2, "Lambert", "Zoé", "infirmier")
    add_pharmacy(store)
    return store


def test_an_admin_opens_one_review_at_a_time_and_closes_it(staffed, clock):
    store = staffed
    refused("not_authorized", store.open_review, "nobody", "30/11/2026")
    refused("review_due_out_of_range", store.open_review, "adm", "01/09/2026")  # today
    refused("review_due_out_of_range", store.open_review, "adm", "03/09/2027")  # > a year
    refused("unknown_kind", store.open_review, "adm", "30/11/2026", ["garage"])
    campaign = store.open_review("adm", "30/11/2026", ["cabinet_medical"])
    assert (campaign.due, campaign.kinds, campaign.is_open) == (
        date(2026, 11, 30),
        ("cabinet_medical",),
        True,
    )
    refusal = refused("review_already_open", store.open_review, "adm", "15/12/2026")
    assert "30/11/2026" in refusal.message("fr")
    assert store.review_of("ph") is None  # a pharmacy is not covered
    closed = store.close_review("adm2")
    assert closed.closed_by == "adm2" and not store.campaign().is_open
    refused("no_review_open", store.close_review, "adm")
    actions = [e.action for e in store.audit_entries()]
    assert actions[-2:] == ["review_opened", "review_closed"]


def test_managers_confirm_one_by_one_or_all_and_leaving_counts(staffed, clock):
    store = staffed
    store.open_review("adm", "30/11/2026")
    review = store.review_of("cab")
    assert (review.progress.total, review.progress.done, review.progress.state) == (
        3,
        0,
        "not_started",
    )
    refused("not_authorized", store.confirm_staff, NURSE, "cab", [NURSE_2])
    store.confirm_staff(DOCTOR, "cab", [NURSE])
    review = store.review_of("cab")
    assert (review.progress.done, review.progress.state) == (1, "partial")
    assert {k.niss for k in review.remaining} == {DOCTOR, NURSE_2}
    # « No longer works here » is a disconnection request: reviewed, still linked.
    store.file_disconnect(DOCTOR, "cab", [NURSE_2])
    assert {k.niss for k in store.review_of("cab").remaining} == {DOCTOR}
    assert NURSE_2 in {k.niss for k in store.staff("cab")}
    store.confirm_staff(DOCTOR, "cab", [k.niss for k in store.review_of("cab").remaining])
    assert store.review_of("cab").progress.state == "done"
    confirmed = [e for e in store.audit_entries() if e.action == "staff_confirmed"]
    assert [(e.actor, e.niss) for e in confirmed] == [(DOCTOR, NURSE), (DOCTOR, DOCTOR)]
    overview = store.review_overview()
    assert [(r.entity.id, r.progress.state) for r in overview] == [
        ("ph", "not_started"),
        ("cab", "done"),
    ]
    assert store.verify() == []


def test_reminders_a_week_before_and_on_the_day_to_unfinished_entities_only(staffed, clock):
    store = staffed
    store.open_review("adm", "30/11/2026")
    store.confirm_staff(PHARMACIST, "ph", [k.niss for k in store.staff("ph")])
    at_brussels(clock, 2026, 11, 22, 9, 0)  # 8 days before
    assert store.housekeeping().reminded == ()
    at_brussels(clock, 2026, 11, 23, 0, 10)  # 7 days before
    ((entity, days),) = store.housekeeping().reminded
    assert (entity.id, days) == ("cab", 7)  # the pharmacy has finished
    mail = store.outbox()[-1]
    assert mail.to == "cab@example.be" and "pour le 30/11/2026" in mail.subject
    assert "0 personne(s) sur 3" in mail.body
    at_brussels(clock, 2026, 11, 23, 15, 0)
    assert store.housekeeping().reminded == ()  # once
    at_brussels(clock, 2026, 11, 30, 6, 0)
    ((entity, days),) = store.housekeeping().reminded
    assert days == 0 and "aujourd'hui" in store.outbox()[-1].subject
    at_brussels(clock, 2026, 12, 1, 6, 0)
    report = store.housekeeping()
    assert report.reminded == () and report.ended == ()
    assert len(store.staff("cab")) == 3  # past the due date nothing is removed
    reminded = [e for e in store.audit_entries() if e.action == "review_reminded"]
    assert [(e.actor, e.detail["days"]) for e in reminded] == [(HOUSEKEEPING, 7), (HOUSEKEEPING, 0)]
    assert [r.entity.id for r in store.review_overview() if r.progress.state != "done"] == ["cab"]


def test_the_command_line_opens_follows_and_closes_a_review(staffed, location):
    from tests.functional.test_cli import vaccinnet

    done = vaccinnet("--data", location, "review", "status")
    assert done.returncode == 0 and "No review is open." in done.stdout
    due = (datetime.now(UTC) + timedelta(days=30)).strftime("%d/%m/%Y")
    done = vaccinnet("--data", location, "review", "open", "--admin", "adm", "--due", due)
    assert done.returncode == 0, done.stderr
    assert f"due {due}: every entity" in done.stdout
    again = vaccinnet(
        "--data", location, "--lang", "nl", "review", "open", "--admin", "adm", "--due", due
    )
    assert again.returncode == 1 and "Er loopt al een jaarlijkse controle" in again.stderr
    staffed.confirm_staff(DOCTOR, "cab", [DOCTOR])
    status = vaccinnet("--data", location, "review", "status").stdout.splitlines()
    assert status[1].split()[:3] == ["ph", "0/1", "not"]  # the least done first
    assert status[2].split()[:3] == ["cab", "1/3", "partly"]
    done = vaccinnet("--data", location, "review", "close", "--admin", "adm")
    assert done.returncode == 0 and "closed" in done.stdout
    assert not staffed.campaign().is_open


def test_the_demo_has_an_open_review_a_link_ending_soon_and_overdue_requests(tmp_path):
    from store.demo import build_demo

    now = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    demo = build_demo(tmp_path / "demo", now)
    campaign = demo.campaign()
    assert campaign.is_open and campaign.due == date(2026, 3, 23)
    assert demo.review_of("pharma-lelievre").progress.state == "partial"
    soon = [k for e in demo.entities() for k in demo.staff(e.id) if k.until]
    assert any((k.until - now.date()).days <= 14 for k in soon)
    assert {r.status for r in demo.requests(status=None)} >= {"pending", "expired"}
    assert demo.last_housekeeping() == date(2026, 3, 2)


def test_a_review_opened_again_the_same_day_starts_afresh(staffed):
    store = staffed
    first = store.open_review("adm", "30/11/2026")
    store.confirm_staff(DOCTOR, "cab", [DOCTOR, NURSE, NURSE_2])
    assert store.review_of("cab").progress.state == "done"
    store.close_review("adm")
    second = store.open_review("adm", "31/01/2027")
    store.close_review("adm")
    third = store.open_review("adm", "28/02/2027")
    assert (first.id, second.id, third.id) == (
        "review-2026-09-01",
        "review-2026-09-01-2",
        "review-2026-09-01-3",
    )
    assert store.review_of("cab").progress.state == "not_started"


def test_someone_leaving_counts_as_answered_and_is_not_confirmed(staffed):
    store = staffed
    link(store, "cab", TRAINEE, "Claes", "Wout", "macg", until="31/12/2026")
    leaving = store.file_disconnect(DOCTOR, "cab", [TRAINEE])[0]  # before the review opens
    store.open_review("adm", "30/11/2026")
    review = store.review_of("cab")
    assert review.progress.done == 1 and TRAINEE not in {k.niss for k in review.remaining}
    assert store.confirm_staff(DOCTOR, "cab", [TRAINEE]) == []  # not « still here »
    refusal = refused(
        "extend_while_leaving", store.file_extend, DOCTOR, "cab", TRAINEE, "30/06/2027"
    )
    assert "retirez-la d'abord" in refusal.message("fr")
    assert store.request(leaving.id).status == "pending"
