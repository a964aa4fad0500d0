"""The housekeeping job on a fake clock: requests expire, the digest leaves once a working day,
settings change under audit, and two hosts running it at once do each action once."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from rules import HOUSEKEEPING, RuleViolation, Settings, decision_reason, format_niss
from store import open_store
from tests.conftest import (
    DOCTOR,
    NURSE,
    NURSE_2,
    PHARMACIST,
    TRAINEE,
    a_year_on,
    add_pharmacy,
    at_brussels,
    link,
)
from tests.functional.test_cli import vaccinnet

BRUSSELS = ZoneInfo("Europe/Brussels")


def _file(store, niss=NURSE, last="Martin"):
    return store.file_connect(DOCTOR, "cab", niss, last, "Claire", "infirmier")


@pytest.mark.files_only("its files or directory")
def test_a_request_expires_the_day_after_its_last_day(store, clock):
    at_brussels(clock, 2026, 10, 1, 23, 30)  # 21:30 UTC: the Brussels day is 1 October
    request = _file(store)
    at_brussels(clock, 2026, 11, 30, 23, 59)  # the last day it may be decided
    assert store.housekeeping().expired == ()
    assert store.request(request.id).status == "pending"
    at_brussels(clock, 2026, 12, 1, 0, 0)  # 23:00 UTC on 30 November, already 1 December here
    (expired,) = store.housekeeping().expired
    assert (expired.id, expired.status, expired.decided_by) == (request.id, "expired", HOUSEKEEPING)
    assert store.request(request.id).status == "expired"
    assert store.requests() == [] and store.pending_notices() == {}
    # The entity hears of it, in its language, with the deadline; the trail names the job.
    mail = store.outbox()[-1]
    assert (mail.to, mail.request_id) == ("cab@example.be", request.id)
    assert "expirée" in mail.subject and "dans les 60\u00a0jours" in mail.body
    entry = store.audit_entries()[-1]
    assert (entry.actor, entry.action, entry.request_id) == (
        HOUSEKEEPING,
        "request_expired",
        request.id,
    )
    assert entry.detail == {"kind": "connect", "deadline_days": 60}
    # The latest decisions show it with the reason; the way is free to file again.
    (recent,) = store.recent_decisions("cab")
    assert decision_reason(recent, "en") == "no decision within 60 days"
    assert store.history(limit=1)[0].id == request.id
    assert _file(store).status == "pending"
    # A second round has nothing left to do and writes nothing.
    manifest = (store.root / "manifest.json").read_bytes()
    assert store.housekeeping().expired == ()
    assert (store.root / "manifest.json").read_bytes() == manifest
    assert store.verify() == []


def test_an_entity_in_dutch_is_told_in_dutch(store, clock):
    add_pharmacy(store, language="nl", email="apotheek@example.be")
    at_brussels(clock, 2026, 3, 2, 10, 0)
    request = store.file_connect(PHARMACIST, "ph", NURSE, "Peeters", "An", "assistant_pharma")
    at_brussels(clock, 2026, 5, 2, 8, 0)
    assert [r.id for r in store.housekeeping().expired] == [request.id]
    mail = store.outbox()[-1]
    assert mail.to == "apotheek@example.be" and "vervallen" in mail.subject
    assert "binnen 60 dagen" in mail.body


def test_the_setting_moves_the_deadline_and_zero_turns_it_off(store, clock):
    at_brussels(clock, 2026, 1, 5, 9, 0)
    request = _file(store)
    store.change_settings("adm", {"expire_after_days": "0"})
    at_brussels(clock, 2027, 1, 5, 9, 0)  # a year later
    assert store.housekeeping().expired == ()
    assert store.expiring(Settings(expire_after_days=30)) == [store.request(request.id)]
    after = store.change_settings("adm", {"expire_after_days": "30"})
    assert after == Settings(expire_after_days=30, remind_after_working_days=5)
    assert store.settings() == after
    changes = [e for e in store.audit_entries() if e.action == "settings_changed"]
    assert [(e.actor, e.detail) for e in changes] == [
        ("adm", {"expire_after_days": [60, 0]}),
        ("adm", {"expire_after_days": [0, 30]}),
    ]
    (expired,) = store.housekeeping().expired
    assert expired.deadline_days == 30
    assert (
        decision_reason(store.request(request.id), "fr") == "aucune décision dans les 30\u00a0jours"
    )


def test_settings_are_refused_in_the_readers_language_and_left_as_they_were(store):
    with pytest.raises(RuleViolation) as refused:
        store.change_settings("adm", {"expire_after_days": "-1"})
    assert "n'est pas un nombre entier de 0 à 730" in refused.value.message("fr")
    with pytest.raises(RuleViolation) as refused:
        store.change_settings(DOCTOR, {"expire_after_days": "10"})
    assert refused.value.code == "not_authorized"
    assert store.settings() == Settings()
    assert not [e for e in store.audit_entries() if e.action == "settings_changed"]


def _with_addresses(store):
    store.set_admin_email("adm", "adm", "anne@example.be")
    store.set_admin_email("adm", "adm2", "koen@example.be")


def test_the_digest_goes_once_per_working_day_to_admins_with_an_address(store, clock):
    _with_addresses(store)
    at_brussels(clock, 2026, 11, 6, 10, 0)  # a Friday
    overdue = _file(store)
    at_brussels(clock, 2026, 11, 9, 9, 0)  # Monday, nothing overdue yet: nothing is sent
    assert store.housekeeping().digests == ()
    at_brussels(clock, 2026, 11, 16, 9, 0)  # 5 working days (Armistice does not count): not yet
    assert store.housekeeping().digests == ()
    at_brussels(clock, 2026, 11, 17, 6, 59)  # the 6th working day, before seven
    assert store.housekeeping().digests == ()
    at_brussels(clock, 2026, 11, 17, 7, 0)
    report = store.housekeeping()
    assert sorted(m.to for m in report.digests) == ["anne@example.be", "koen@example.be"]
    assert report.overdue == 1
    mail = report.digests[0]
    assert overdue.id in mail.body and "Cabinet Dupont (cab)" in mail.body
    assert "Per entiteit" in mail.body  # French, then Dutch
    # The digest names requests and entities, never a person or a NISS.
    assert NURSE not in mail.body and format_niss(NURSE) not in mail.body
    assert "Martin" not in mail.body and "MARTIN" not in mail.body
    at_brussels(clock, 2026, 11, 17, 15, 0)  # the same day again
    assert store.housekeeping().digests == ()
    at_brussels(clock, 2026, 11, 21, 9, 0)  # Saturday
    assert store.housekeeping().digests == ()
    at_brussels(clock, 2026, 11, 23, 7, 5)  # Monday
    assert len(store.housekeeping().digests) == 2
    digests = [e for e in store.audit_entries() if e.action == "digest_queued"]
    assert len(digests) == 4 and {e.actor for e in digests} == {HOUSEKEEPING}
    assert {e.detail["overdue"] for e in digests} == {1}


def test_no_digest_for_an_admin_without_an_address(store, clock):
    store.set_admin_email("adm", "adm2", "koen@example.be")
    store.set_admin_email("adm", "adm2", "")
    assert store.admin("adm2").email is None
    at_brussels(clock, 2026, 11, 6, 10, 0)
    _file(store)
    at_brussels(clock, 2026, 11, 30, 8, 0)
    report = store.housekeeping()
    assert report.digests == () and report.overdue == 1
    assert store.last_housekeeping() == datetime(2026, 11, 30).date()
    updates = [e.detail for e in store.audit_entries() if e.action == "admin_updated"]
    assert updates == [
        {"admin": "adm2", "email": [None, "koen@example.be"]},
        {"admin": "adm2", "email": ["koen@example.be", None]},
    ]


def test_an_admin_address_is_checked(store):
    with pytest.raises(RuleViolation) as refused:
        store.set_admin_email("adm", "adm2", "not an address")
    assert refused.value.code == "invalid_email"
    with pytest.raises(RuleViolation) as refused:
        store.set_admin_email("adm", "nobody", "x@example.be")
    assert refused.value.code == "unknown_admin" and "nobody" in refused.value.message("en")
    with pytest.raises(RuleViolation) as refused:
        store.add_admin("housekeeping", "Hal Keeper", added_by="adm")
    assert refused.value.code == "admin_id_reserved"
    with pytest.raises(RuleViolation) as refused:
        store.add_admin("eve", "Eve Intruder", added_by="nobody")
    assert refused.value.code == "not_authorized"
    assert [a.id for a in store.admins()] == ["adm", "adm2"]


def _hosts_at_once(data, moment: datetime, count: int) -> list[dict]:
    """``count`` housekeeping processes, started together at ``moment``, five rounds each:
    what each did."""
    hosts = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.functional.housekeeper",
                str(data),
                moment.isoformat(),
                "5",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]
    done = []
    for host in hosts:
        out, err = host.communicate(timeout=120)
        assert host.returncode == 0, err
        done.append(json.loads(out))
    return done


@pytest.mark.slow
def test_two_hosts_at_once_expire_and_digest_once(store, clock, location):
    _with_addresses(store)
    at_brussels(clock, 2026, 9, 1, 10, 0)
    requests = [
        _file(store, NURSE, "Martin"),
        _file(store, NURSE_2, "Lambert"),
        store.file_connect(
            DOCTOR, "cab", TRAINEE, "Wouters", "Lise", "macg", until=a_year_on(store)
        ),
    ]
    done = _hosts_at_once(location, datetime(2026, 11, 3, 8, 0, tzinfo=BRUSSELS), 2)  # a Tuesday
    expired = sorted(i for d in done for i in d["expired"])
    assert expired == sorted(r.id for r in requests)
    # Expired requests are overdue no more: that day's digest had nothing left to count...
    assert [m for d in done for m in d["digests"]] == []
    reread = open_store(location)
    assert len(reread.outbox()) == 3  # one mail per expired request, not two
    assert [e.action for e in reread.audit_entries()].count("request_expired") == 3
    assert reread.verify() == []


@pytest.mark.slow
def test_two_hosts_at_once_send_one_digest(store, clock, location):
    _with_addresses(store)
    at_brussels(clock, 2026, 10, 1, 10, 0)
    _file(store)
    done = _hosts_at_once(location, datetime(2026, 10, 20, 7, 30, tzinfo=BRUSSELS), 3)
    sent = [to for d in done for to in d["digests"]]
    assert sorted(sent) == ["anne@example.be", "koen@example.be"]
    assert len(open_store(location).outbox()) == 2


def test_a_whole_year_of_rounds(store, clock):
    """Requests filed through a year, housekeeping every six hours: each expires once, on the
    day after its last day, and the digest goes once on each working day with overdue ones;
    a trainee's link is warned of and ends; a yearly review opens, reminds and closes."""
    from rules import is_late, is_working_day

    at_brussels(clock, 2025, 12, 31, 10, 0)
    link(store, "cab", TRAINEE, "Claes", "Wout", "macg", until="30/06/2026")
    _with_addresses(store)
    settings = Settings(expire_after_days=20, remind_after_working_days=3)
    store.change_settings("adm", {"expire_after_days": "20", "remind_after_working_days": "3"})
    start = datetime(2026, 1, 1, tzinfo=BRUSSELS)
    filed: dict[str, datetime] = {}
    people = [NURSE, NURSE_2]
    expired_on: dict[str, datetime] = {}
    digest_days = []
    warned, ended, reminded = [], [], []
    for hour in range(0, 366 * 24, 6):
        moment = start + timedelta(hours=hour)
        at_brussels(clock, *moment.timetuple()[:5])
        if (moment.month, moment.day, moment.hour) == (9, 1, 12):
            store.open_review("adm", "15/10/2026")
        if (moment.month, moment.day, moment.hour) == (11, 2, 12):
            store.close_review("adm2")
        if moment.hour == 12 and moment.timetuple().tm_yday % 9 == 0:
            niss = people[len(filed) % 2]
            if not any(r.niss == niss for r in store.requests()):
                filed[_file(store, niss).id] = moment
        pending_before = store.requests()
        report = store.housekeeping()
        warned += [(moment.date(), days) for _, days in report.warned]
        ended += [(moment.date(), moment.hour, k.niss) for k in report.ended]
        reminded += [(moment.date(), days) for _, days in report.reminded]
        for request in report.expired:
            assert request.id not in expired_on
            expired_on[request.id] = moment
        if report.digests:
            digest_days.append(moment.date())
            late = [
                r
                for r in pending_before
                if r.id not in expired_on
                and is_late(r.filed_at.astimezone(BRUSSELS).date(), moment.date(), settings)
            ]
            assert report.overdue == len(late) > 0
    assert len(filed) > 15
    for rid, when in filed.items():
        if rid in expired_on:
            # The first round of the day after the last day, at 00:00 Brussels.
            assert expired_on[rid].date() == when.date() + timedelta(days=21)
            assert expired_on[rid].hour == 0
        else:
            assert when.date() + timedelta(days=21) > datetime(2027, 1, 1).date()
    assert len(digest_days) == len(set(digest_days)) > 20
    assert all(is_working_day(day) for day in digest_days)
    assert warned == [(date(2026, 6, 16), 14), (date(2026, 6, 29), 1)]
    assert ended == [(date(2026, 7, 1), 0, TRAINEE)]
    assert reminded == [(date(2026, 10, 8), 7), (date(2026, 10, 15), 0)]  # cab never answered
    assert not store.campaign().is_open
    assert store.verify() == []


def test_the_command_line(location, store, clock):
    done = vaccinnet("--data", location, "settings", "show")
    assert done.returncode == 0, done.stderr
    assert "expire_after_days = 60" in done.stdout
    assert "last housekeeping round: never" in done.stdout
    done = vaccinnet(
        "--data", location, "settings", "set", "--admin", "adm", "remind_after_working_days=3"
    )
    assert done.returncode == 0 and "remind_after_working_days = 3" in done.stdout
    done = vaccinnet("--data", location, "--lang", "nl", "settings", "set", "--admin", "adm", "x=3")
    assert done.returncode == 1 and "De instelling ‘x’ bestaat niet." in done.stderr
    done = vaccinnet("--data", location, "settings", "set", "--admin", "adm", "expire_after_days")
    assert done.returncode == 1 and "give NAME=VALUE" in done.stderr
    at_brussels(clock, 2026, 1, 5, 10, 0)
    _file(store)  # filed "in January": the command's own clock is today's
    done = vaccinnet(
        "--data", location, "settings", "set", "--admin", "adm", "expire_after_days=30"
    )
    assert done.returncode == 0
    assert "1 pending request is past this deadline" in done.stderr
    done = vaccinnet("--data", location, "check")
    assert done.returncode == 0 and done.stdout.startswith("OK")
    assert "NOTE housekeeping has never run on this store" in done.stdout
    done = vaccinnet("--data", location, "housekeeping", "--once")
    assert done.returncode == 0, done.stderr
    assert (
        "expired R000001 (cab)" in done.stdout
        and "expired 1, digests 0, end warnings 0" in done.stdout
    )
    _file(store)  # pending again: still no note, housekeeping ran today
    assert "NOTE" not in vaccinnet("--data", location, "check").stdout
    done = vaccinnet(
        "--data",
        location,
        "admins",
        "add",
        "--admin",
        "adm",
        "--id",
        "lea",
        "--name",
        "Léa Lenoir",
        "--email",
        "lea@example.be",
    )
    assert done.returncode == 0, done.stderr
    listed = vaccinnet("--data", location, "admins", "list").stdout
    assert "lea@example.be" in listed and "Léa Lenoir" in listed
    done = vaccinnet("--data", location, "admins", "email", "--admin", "adm", "--id", "lea", "")
    assert done.returncode == 0 and "lea gets no digest." in done.stdout
    assert open_store(location).admin("lea").email is None
