"""The other processes of benchmarks/pg_bench.py: a host of filers, a host of idle sessions."""

from __future__ import annotations

import json
import sys
import threading
import time

import psycopg

from benchmarks.store_bench import _niss
from rules import RuleViolation
from store import StoreBusy, open_store


def filers(
    location: str, host: int, count: int, managers: dict[str, str], seconds: float, start_at: float
) -> None:
    """``count`` sessions filing as fast as they can; each (outcome, seconds) is printed."""
    entities = sorted(managers)
    results: list[tuple[str, float]] = []

    def filer(k: int) -> None:
        store = open_store(location)  # one session: connections of its own
        store.staff(entities[0])
        n = 0
        time.sleep(max(0.0, start_at - time.time()))
        end = time.time() + seconds
        while time.time() < end:
            entity = entities[(host * 7919 + k * 104729 + n) % len(entities)]
            niss = _niss(50_000_000 + host * 1_000_000 + k * 10_000 + n)
            t0 = time.perf_counter()
            try:
                store.file_connect(managers[entity], entity, niss, "Nom", "Prénom", "infirmier")
                results.append(("ok", time.perf_counter() - t0))
            except (RuleViolation, StoreBusy) as exc:
                results.append((type(exc).__name__, time.perf_counter() - t0))
            n += 1
        store.close()

    threads = [threading.Thread(target=filer, args=(k,)) for k in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps(results))


def sessions(location: str, count: int, poll: bool) -> None:
    """``count`` idle console sessions: each read its entity, then waits for news."""
    stores = []
    polls = []
    for _ in range(count):
        store = open_store(location)
        store.staff("ent-00000")
        if poll:
            # The careful alternative: one connection kept per session, and one statement a
            # second for the generation (what a console needs to know whether to read again).
            polls.append(psycopg.connect(location, autocommit=True))
        else:
            store.change_source()  # a console's: LISTEN on a connection of its own
        stores.append(store)
    print("ready", flush=True)
    while True:
        for conn in polls:
            conn.execute("SELECT generation FROM store_state").fetchone()
        time.sleep(1.0)


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "filers":
        filers(
            args[0], int(args[1]), int(args[2]), json.loads(args[3]), float(args[4]), float(args[5])
        )
    else:
        sessions(args[0], int(args[1]), args[2] == "poll")
