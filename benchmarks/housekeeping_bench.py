"""What a housekeeping round costs on a large store, idle and on a new day.

    python -m benchmarks.housekeeping_bench [--scale regional|flanders] [--rounds 20]

Builds a store (Flanders: 12,000 entities, 70,000 links, 150,000 requests, 5% pending), gives
2% of the links an end date and opens a yearly review, then measures, side by side in one
run:

- an idle round (nothing due: the service's every minute), warm in its process, against the
  fair alternative a job without the store's indexes would do: read every pending request
  and every link to find what is due;
- the same round in a fresh process (`vaccinnet housekeeping --once`: imports, the store
  opened, the round), wall time and peak RSS;
- a new day's round (the daily marker, the digest of overdue requests, the review's
  reminders judged), warm, on successive days.

Medians (and p95) of one run; not a test.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.store_bench import SCALES, _niss, build_ours, generate, pct
from store import open_store
from store.indexes import REQUESTS_BY_STATUS


class Clock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


def _ms(times: list[float]) -> str:
    return (
        f"median {statistics.median(times) * 1000:8.1f} ms   p95 {pct(times, 0.95) * 1000:8.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=SCALES, default="regional")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="hk-bench-"))
    try:
        tables, _managers = generate(*SCALES[args.scale])
        rng = random.Random(7)
        for doc in tables["links"]:
            if rng.random() < 0.02:
                doc["until"] = "2027-06-30"
        data = root / "data"
        build_ours(data, tables)
        # A quiet morning: after the digest, before anyone's end or reminder is due.
        now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
        clock = Clock(now)
        store = open_store(data, clock=clock)
        store.add_admin("bench", "Bench Admin", email="bench@example.be")
        store.change_settings("bench", {"expire_after_days": "0"})  # keep the queue as built
        store.open_review("bench", "2027-03-31")
        store.housekeeping()  # the day's work done once: what follows is the idle round
        print(f"scale {args.scale}: {SCALES[args.scale]} (entities, links, requests)")

        idle = []
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            report = store.housekeeping()
            idle.append(time.perf_counter() - t0)
            assert not report.expired and not report.digests

        # As in service: other sessions commit between two rounds (a request filed each
        # time), so the round reads again what their commits rewrote.
        other = open_store(data, clock=clock)
        managers = {
            d["entity_id"]: d["niss"]
            for d in tables["links"]
            if d["employee_type"] in ("medecin", "pharmacien")
        }
        entity_ids = sorted(managers)
        after_commit = []
        for i in range(args.rounds):
            entity = entity_ids[(i * 7919) % len(entity_ids)]
            other.file_connect(
                managers[entity], entity, _niss(900_000 + i), "Nom", "Prénom", "infirmier"
            )
            t0 = time.perf_counter()
            store.housekeeping()
            after_commit.append(time.perf_counter() - t0)

        def naive() -> None:
            with store.reading():
                pending = store._docs(REQUESTS_BY_STATUS, "pending")
                ends = [d for _, d in store._files.items("links") if d.get("until")]
            assert pending and ends

        baseline = []
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            naive()
            baseline.append(time.perf_counter() - t0)
        print(f"idle round, warm           {_ms(idle)}")
        print(f"idle round after a commit  {_ms(after_commit)}   (another session filed)")
        print(f"read all pending + links   {_ms(baseline)}   (a job without the indexes)")
        ratio = statistics.median(baseline) / statistics.median(idle)
        print(f"ratio                      {ratio:.1f}x")

        fresh, rss = [], []
        command = [sys.executable, "-m", "tui.cli", "--data", str(data), "housekeeping", "--once"]
        for _ in range(5):
            t0 = time.perf_counter()
            done = subprocess.run(
                ["/usr/bin/time", "-f", "%M", *command], capture_output=True, text=True
            )
            fresh.append(time.perf_counter() - t0)
            rss.append(int(done.stderr.strip().splitlines()[-1]) / 1024)
        print(
            f"idle round, fresh process  {_ms(fresh)}   peak RSS {statistics.median(rss):.0f} MiB"
        )

        days = []
        for day in range(1, 6):
            clock.moment = now + timedelta(days=day)
            t0 = time.perf_counter()
            store.housekeeping()
            days.append(time.perf_counter() - t0)
        print(f"a new day's round, warm    {_ms(days)}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
