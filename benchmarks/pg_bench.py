"""PostgreSQL against the file store, side by side in one run, on the same regional data.

    python -m benchmarks.pg_bench [--scale regional] [--repeat N] [--sessions 200]

A throwaway PostgreSQL server of its own (tests/pg_cluster.py: initdb, a free port on
127.0.0.1, over TCP as a second host would be, fsync on: a real server's settings). Prints
p50/p95 of reads (a staff list, the 100 oldest pending requests) and writes (file, approve)
on both backends, warm and in a fresh process with its peak RSS; then 50 concurrent filers
at two "hosts" (two processes, each filer with a pool of its own) with throughput, p95 and
the rules checked afterwards; then the server's transactions per second while 200 idle
console sessions are connected, against sessions polling the store every second. Not a
test: the machine is shared and noisy; compare figures measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from benchmarks.store_bench import SCALES, build_ours, generate, measure_core, pct
from store import open_store

FILERS_PER_HOST = 25


def _fresh(location: str, code: str, runs: int) -> tuple[list[float], list[float]]:
    """Seconds and peak RSS (MiB) of a new Python running ``code`` on ``location``."""
    times, rss = [], []
    for _ in range(runs):
        source = (
            f"from store import open_store\nstore = open_store({location!r})\n{code}\n"
            "print('VmHWM', open('/proc/self/status').read().split('VmHWM:')[1].split()[0])"
        )
        t0 = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", source], check=True, stdout=subprocess.PIPE, text=True
        )
        times.append(time.perf_counter() - t0)
        rss.append(int(done.stdout.split("VmHWM")[-1].split()[0]) / 1024)
    return times, rss


def single(location: str, tables, managers, repeat: int, label: str) -> dict[str, list[float]]:
    store = open_store(location)
    entity_ids = [e["id"] for e in tables["entities"]]
    rng = random.Random(5)
    store.staff(entity_ids[0])
    store.requests(limit=100)
    fresh = iter(range(30_000_000 + hash(label) % 1000 * 10_000, 40_000_000))
    out = measure_core(store, entity_ids, managers, rng, fresh, repeat)
    times, rss = _fresh(location, f"store.staff({entity_ids[1]!r})", 5)
    out["fresh process: open + staff list"] = times
    out["fresh process: peak RSS (MiB, as ms)"] = [r / 1e3 for r in rss]
    store.close()
    return out


def concurrent(location: str, managers: dict[str, str], seconds: float) -> str:
    chosen = dict(sorted(managers.items())[:200])
    start_at = time.time() + 3 + FILERS_PER_HOST * 0.05
    hosts = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "benchmarks.pg_workers",
                "filers",
                location,
                str(h),
                str(FILERS_PER_HOST),
                json.dumps(chosen),
                str(seconds),
                str(start_at),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        for h in (0, 1)
    ]
    results = [r for host in hosts for r in json.loads(host.communicate(timeout=600)[0])]
    ok = [t for kind, t in results if kind == "ok"]
    kinds = Counter(kind for kind, _ in results)
    store = open_store(location)
    problems = store.verify()
    pending = Counter((r.entity_id, r.niss, r.kind) for r in store.requests())
    store.close()
    held = not problems and max(pending.values(), default=1) == 1
    return (
        f"{len(ok) / seconds:8.0f} filings/s  p50 {statistics.median(ok) * 1e3:7.1f} ms  "
        f"p95 {pct(ok, 0.95) * 1e3:7.1f} ms  {dict(kinds)}  rules held: {held}"
    )


def idle_cost(
    cluster, location: str, sessions: int, poll: bool, seconds: float
) -> tuple[float, int]:
    """Transactions per second on the server while ``sessions`` idle sessions are connected,
    and how many backends they hold."""
    per = 50
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "benchmarks.pg_workers",
                "sessions",
                location,
                str(min(per, sessions - i)),
                "poll" if poll else "listen",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(0, sessions, per)
    ]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    # Backends report their counts when idle for 10 s: the sessions opening must not count.
    time.sleep(15.0)
    query = "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'bench'"
    before = int(cluster.sql(query))
    time.sleep(seconds)
    after = int(cluster.sql(query))
    backends = int(cluster.sql("SELECT count(*) FROM pg_stat_activity WHERE datname = 'bench'"))
    for p in procs:
        p.kill()
        p.wait()
    # Our own two measuring queries are transactions too.
    return max(0, after - before - 2) / seconds, backends


def main() -> None:
    from tests.pg_cluster import Cluster, unavailable

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="regional")
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    reason = unavailable()
    if reason:
        sys.exit(reason)
    work = Path(tempfile.mkdtemp(prefix="vaccinnet-pgbench-"))
    cluster = Cluster(max_connections=args.sessions * 2 + 120, durable=True)
    try:
        cluster.start()
        cluster.sql("CREATE DATABASE bench")
        url = cluster.url("bench")
        n_ent, n_links, n_req = SCALES[args.scale]
        t0 = time.perf_counter()
        tables, managers = generate(n_ent, n_links, n_req)
        build_ours(work / "files", tables)
        build_ours(url, tables)  # type: ignore[arg-type]
        print(
            f"# {args.scale}: {n_ent:,} entities, {n_links:,} links, {n_req:,} requests "
            f"(both built in {time.perf_counter() - t0:.1f} s); PostgreSQL over TCP on "
            "127.0.0.1, fsync on"
        )
        files = single(str(work / "files"), tables, managers, args.repeat, "files")
        pg = single(url, tables, managers, args.repeat, "pg")
        print(f"\n{'':44} {'files':>30} | {'postgresql':>30}")
        for name in files:
            a, b = files[name], pg[name]
            if "RSS" in name:
                mib = (statistics.median(a) * 1e3, statistics.median(b) * 1e3)
                print(f"{name:<44} {mib[0]:26.0f} MiB | {mib[1]:26.0f} MiB")
                continue
            print(
                f"{name:<44} p50 {statistics.median(a) * 1e3:7.2f} p95 {pct(a, 0.95) * 1e3:7.2f} ms"
                f" | p50 {statistics.median(b) * 1e3:7.2f} p95 {pct(b, 0.95) * 1e3:7.2f} ms"
            )
        print(f"\n50 concurrent filers at two hosts, {args.seconds:g} s:")
        print(f"  files       {concurrent(str(work / 'files'), managers, args.seconds)}")
        print(f"  postgresql  {concurrent(url, managers, args.seconds)}")
        print(f"\n{args.sessions} idle sessions, transactions per second on the server:")
        quiet, held = idle_cost(cluster, url, 0, False, args.seconds)
        print(f"  no session (the server's own)  {quiet:8.2f} /s  ({held} backends)")
        listen, held = idle_cost(cluster, url, args.sessions, False, args.seconds)
        print(f"  consoles (LISTEN/NOTIFY)      {listen:8.2f} /s  ({held} backends)")
        polled, held = idle_cost(cluster, url, args.sessions, True, args.seconds)
        print(f"  polling the version each 1 s  {polled:8.2f} /s  ({held} backends)")
    finally:
        cluster.destroy()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
