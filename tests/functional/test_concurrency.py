"""Many SSH sessions at once: 8 processes filing and deciding on one store, and kill -9."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from rules import is_manager
from store import open_store
from tests.functional.workload import ENTITIES, MANAGERS, PAIRS, pair

pytestmark = pytest.mark.slow


def _worker(*args):
    return subprocess.Popen(
        [sys.executable, "-m", "tests.functional.workload", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _setup(location, command="setup"):
    subprocess.run(
        [sys.executable, "-m", "tests.functional.workload", command, str(location)],
        check=True,
        timeout=120,
    )


def test_eight_processes_filing_and_deciding(location, tmp_path):
    _setup(location)
    before = len(open_store(location).audit_entries())
    outs = [tmp_path / f"acked-{i}.json" for i in range(8)]
    workers = [_worker("concurrency", location, seed, 4.0, out) for seed, out in enumerate(outs)]
    for w in workers:
        _, err = w.communicate(timeout=120)
        assert w.returncode == 0, err
    acked = [entry for out in outs for entry in json.loads(out.read_text())]
    done = [a for a in acked if a[0] != "refused"]
    counts = Counter(a[0] for a in acked)
    assert counts["filed"] > 20 and counts["approved"] > 5 and counts["refused"] > 5, counts

    store = open_store(location)
    assert store.verify() == []
    requests = {r.id: r for r in store.requests(status=None)}
    # No acknowledged write lost, and no write that nobody acknowledged.
    for entry in done:
        if entry[0] == "filed":
            _, rid, kind, entity, niss = entry
            r = requests[rid]
            assert (r.kind, r.entity_id, r.niss) == (kind, entity, niss)
        else:
            verb, rid = entry
            assert requests[rid].status == verb, (rid, verb, requests[rid])
    assert len(store.audit_entries()) == before + len(done)
    assert len({a[1] for a in done if a[0] != "filed"}) == len([a for a in done if a[0] != "filed"])
    # The rules held under contention.
    pending = Counter((r.entity_id, r.niss, r.kind) for r in store.requests())
    assert max(pending.values(), default=1) == 1
    for entity in ENTITIES:
        staff = store.staff(entity)
        assert staff and any(is_manager(lk.employee_type) for lk in staff)
    # Links are exactly what the approvals, in audit order, produced.
    links = {(e, m) for e, ms in MANAGERS.items() for m in ms}
    for entry in store.audit_entries():
        if entry.action == "request_approved":
            key = (entry.entity_id, entry.niss)
            links.add(key) if entry.detail["kind"] == "connect" else links.discard(key)
    assert links == {(e, lk.niss) for e in ENTITIES for lk in store.staff(e)}


def test_writer_killed_at_random_moments(location):
    _setup(location)
    rng = random.Random(7)
    acked_filed: set[str] = set()
    acked_approved: set[str] = set()
    for round_ in range(25):
        writer = _worker("crash", location, round_)
        time.sleep(rng.uniform(0.25, 0.6))  # start-up takes ~0.2 s; then it commits nonstop
        writer.send_signal(signal.SIGKILL)
        out, _ = writer.communicate(timeout=30)
        for line in out.splitlines():
            verb, rid = line.split()
            (acked_filed if verb == "filed" else acked_approved).add(rid)
        store = open_store(location)
        assert store.verify() == [], f"round {round_}"
        requests = {r.id: r for r in store.requests("e1", status=None)}
        lost = acked_filed - requests.keys()
        assert not lost, f"round {round_}: lost {lost}"
        assert all(requests[rid].status == "approved" for rid in acked_approved)
    assert len(acked_filed) > 25 and acked_approved  # the writer really wrote between kills


def test_two_hosts_disconnecting_each_other_keep_a_manager(location, tmp_path):
    # At 40 practices run by two doctors, each doctor asks, at another host and at the same
    # moment, to disconnect the other, and the request is approved at once: one must stay.
    _race(location, "lock", tmp_path)


def test_serializable_isolation_alone_keeps_a_manager(database, tmp_path):
    # The same race with writers that skip the advisory lock: PostgreSQL's SERIALIZABLE
    # isolation, with the store's retry of a refused transaction, must refuse the second.
    _race(database, "no-lock", tmp_path)


def _race(location, lock, tmp_path):
    _setup(location, "setup-pairs")
    start_at = time.time() + 1.5  # both hosts connected by then
    outs = [tmp_path / f"host-{side}.json" for side in (0, 1)]
    hosts = [
        _worker("disconnect-race", location, side, start_at, out, lock)
        for side, out in enumerate(outs)
    ]
    for host in hosts:
        _, err = host.communicate(timeout=180)
        assert host.returncode == 0, err
    results = [json.loads(out.read_text()) for out in outs]
    store = open_store(location)
    assert store.verify() == []
    for k in range(PAIRS):
        staff = {lk.niss for lk in store.staff(f"p{k}")}
        assert len(staff) == 1 and staff < set(pair(k)), (k, staff)
        outcomes = sorted(result["done"][k][1] for result in results)
        assert outcomes.count("approved") == 1, (k, outcomes)
    pending = Counter((r.entity_id, r.niss, r.kind) for r in store.requests())
    assert not pending
