"""Many SSH sessions on one store: what idle staff consoles cost the writers and the machine.

    python -m benchmarks.sessions_bench [--scale small|regional|flanders] [--consoles 20]
                                        [--writes 60] [--seconds 10]

Builds a store, then, in one run and with the same writer each time:
1. a fresh writer process files and approves ``--writes`` requests with no console open;
2. starts ``--consoles`` staff consoles, each its own process (as SSH sessions are), each on
   its own entity, headless at 80×24, and a bare Textual app for comparison;
3. while they sit on their complete list, writes one commit a second to other entities for
   ``--seconds`` and measures the CPU the consoles used (target: 50 use at most 0.1 core);
4. the same writer again, with the consoles open: p50/p95 of file_connect and approve
   (target: within 2× of step 1). Writes are ``--pace`` seconds apart in steps 1 and 4, so
   that the consoles' reloads fall between them, as they do while people work.
Prints RSS per console beside the bare app's. Not a test: the machine is shared; compare the
figures of one run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCALES = {
    "small": (100, 1_000, 5_000),
    "regional": (1_000, 10_000, 50_000),
    "flanders": (12_000, 70_000, 150_000),
}
TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def _rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


# ----- the processes the benchmark starts ------------------------------------------------------


def _console(data: str, niss: str) -> None:
    """A staff console on its entity until stdin closes; prints READY once the list is whole."""
    import asyncio

    from store import open_store
    from tui.staff_app import StaffApp

    async def run() -> None:
        app = StaffApp(open_store(data), niss, "fr", poll_interval=1.0)
        async with app.run_test(size=(80, 24)) as pilot:
            while not getattr(getattr(app.screen, "view", None), "complete", False):
                await pilot.pause(0.05)
            print("READY", flush=True)
            await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)

    asyncio.run(run())


def _admin(data: str) -> None:
    """An admin console on its queue until stdin closes; prints READY once the queue is read."""
    import asyncio

    from store import open_store
    from tui.admin_app import AdminApp

    async def run() -> None:
        app = AdminApp(open_store(data), "adm", "fr", poll_interval=1.0)
        async with app.run_test(size=(80, 24)) as pilot:
            while getattr(app.screen, "data", None) is None:
                await pilot.pause(0.05)
            print("READY", flush=True)
            await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)

    asyncio.run(run())


def _bare() -> None:
    """A Textual app with one line of text: what any console costs before it reads a store."""
    import asyncio

    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("bare")

    async def run() -> None:
        async with Bare().run_test(size=(80, 24)):
            print("READY", flush=True)
            await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)

    asyncio.run(run())


def _writer(data: str, plan: str, pace: float) -> None:
    """Files, then approves, one request per entry of the plan; prints the times as JSON."""
    from store import open_store

    store = open_store(data)
    filed, approved, ids = [], [], []
    for manager, entity, niss in json.loads(plan):
        t0 = time.perf_counter()
        ids.append(store.file_connect(manager, entity, niss, "Nom", "Prénom", "infirmier").id)
        filed.append(time.perf_counter() - t0)
        time.sleep(pace)
    for request_id in ids:
        t0 = time.perf_counter()
        store.approve("adm", request_id)
        approved.append(time.perf_counter() - t0)
        time.sleep(pace)
    print(json.dumps({"file_connect": filed, "approve": approved}))


# ----- the benchmark ---------------------------------------------------------------------------


def _start(*args: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.sessions_bench", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if line.strip() != "READY":
        raise RuntimeError(f"a console did not start: {line!r}")
    return process


def _write(data: Path, plan: list[tuple[str, str, str]], pace: float) -> dict[str, list[float]]:
    command = [sys.executable, "-m", "benchmarks.sessions_bench", "writer", str(data)]
    out = subprocess.run(
        [*command, json.dumps(plan), "--pace", str(pace)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def _p(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _plan(managers: dict[str, str], entities: list[str], count: int, offset: int):
    from benchmarks.store_bench import _niss

    return [
        (managers[entities[i % len(entities)]], entities[i % len(entities)], _niss(offset + i))
        for i in range(count)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="regional")
    parser.add_argument("--consoles", type=int, default=20)
    parser.add_argument("--admins", type=int, default=0, help="admin consoles open too")
    parser.add_argument("--writes", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=10.0)
    # Writes spaced so that the consoles' reloads (one poll a second) fall between them, as
    # with people working: back-to-back writes finish before any console looks.
    parser.add_argument("--pace", type=float, default=0.2)
    args = parser.parse_args()
    from benchmarks.store_bench import build_ours, generate

    entities, links, requests = SCALES[args.scale]
    tmp = Path(tempfile.mkdtemp())
    data = tmp / "data"
    everyone: list[subprocess.Popen[str]] = []
    try:
        tables, managers = generate(entities, links, requests)
        build_ours(data, tables)
        ids = sorted(managers)
        watched, others = ids[: args.consoles], ids[args.consoles :]
        fresh = 10 * (links + requests)  # NISS no generated document uses
        print(f"{args.scale}: {entities} entities, {links} links, {requests} requests")

        alone = _write(data, _plan(managers, others, args.writes, fresh), args.pace)

        started = time.perf_counter()
        bare = _start("bare")
        consoles = []
        for entity in watched:
            consoles.append(_start("console", str(data), managers[entity]))
            everyone.append(consoles[-1])
        start_s = time.perf_counter() - started
        rss = [_rss_mib(c.pid) for c in consoles]
        admins = []
        for _ in range(args.admins):
            admins.append(_start("admin", str(data)))
            everyone.append(admins[-1])
        print(
            f"{len(consoles)} staff consoles up in {start_s:.1f} s; RSS per console median "
            f"{statistics.median(rss):.0f} MiB (bare Textual app {_rss_mib(bare.pid):.0f} MiB)"
        )
        if admins:
            print(
                f"{len(admins)} admin consoles on the queue; RSS median "
                f"{statistics.median(_rss_mib(a.pid) for a in admins):.0f} MiB"
            )

        cpu0 = sum(_cpu_seconds(c.pid) for c in consoles)
        admin0 = sum(_cpu_seconds(a.pid) for a in admins)
        bare0 = _cpu_seconds(bare.pid)
        t0 = time.perf_counter()
        paced = _plan(managers, others, max(1, int(args.seconds / 2)), fresh + args.writes)
        _write(data, paced, 1.0)  # one commit a second, none to a watched entity
        elapsed = time.perf_counter() - t0
        used = (sum(_cpu_seconds(c.pid) for c in consoles) - cpu0) / elapsed
        idle = (_cpu_seconds(bare.pid) - bare0) / elapsed
        print(
            f"  one commit a second elsewhere for {elapsed:.0f} s: the staff consoles used "
            f"{used:.3f} core together ({1000 * used / len(consoles):.1f} ms/s each; the bare "
            f"Textual app {1000 * idle:.1f} ms/s)"
        )
        if admins:
            spent = (sum(_cpu_seconds(a.pid) for a in admins) - admin0) / elapsed
            print(
                f"  the admin consoles (on the queue, which these commits change): {spent:.3f} core"
            )

        plan = _plan(managers, others, args.writes, fresh + 2 * args.writes)
        crowded = _write(data, plan, args.pace)
        print(f"{'':14}{'alone p50':>10}{'p95':>8}{'with consoles p50':>19}{'p95':>8}{'ratio':>8}")
        for op in ("file_connect", "approve"):
            a, c = alone[op], crowded[op]
            print(
                f"{op:14}{_p(a, 0.5):>9.1f}ms{_p(a, 0.95):>6.1f}ms"
                f"{_p(c, 0.5):>17.1f}ms{_p(c, 0.95):>6.1f}ms{_p(c, 0.95) / _p(a, 0.95):>7.2f}×"
            )
    finally:
        for process in [*everyone, *([bare] if "bare" in locals() else [])]:
            if process.stdin:
                process.stdin.close()
        for process in [*everyone, *([bare] if "bare" in locals() else [])]:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "console":
        _console(sys.argv[2], sys.argv[3])
    elif len(sys.argv) > 1 and sys.argv[1] == "admin":
        _admin(sys.argv[2])
    elif len(sys.argv) > 1 and sys.argv[1] == "bare":
        _bare()
    elif len(sys.argv) > 1 and sys.argv[1] == "writer":
        _writer(sys.argv[2], sys.argv[3], float(sys.argv[5]) if len(sys.argv) > 5 else 0.0)
    else:
        main()
