"""The Audit section's filter at Flanders scale while another session commits once a second.

    python -m benchmarks.audit_filter_bench [--keys 60] [--scale flanders]

Builds a store (12,000 entities, 70,000 links, 150,000 requests and their trail), opens an
admin console headless at 80×24 in this process, goes to Audit (its newest page of 1,000
entries) and opens the filter. A writer process then files a request once a second while
keys are typed: each keystroke is timed from the key sent until the filter's rows are the
ones the typed text selects (the same frame draws them). Target: p95 ≤ 50 ms. A bare
Textual app's keystroke, timed the same way, is the floor. Not a test: compare the figures
of one run.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from textual import events
from textual.widgets import Input

from benchmarks.sessions_bench import SCALES
from benchmarks.store_bench import build_ours, generate, pct

WRITER = """
import sys, json, time
from store import open_store
from rules import make_niss
s = open_store(sys.argv[1])
plan = json.loads(sys.argv[2])
for i, (manager, entity) in enumerate(plan):
    if sys.stdin.readline() == "":
        break
    s.file_connect(manager, entity, make_niss("630303", 100 + i), "Nom", "Prenom", "infirmier")
"""


async def _type(app, keys: list[str], ready, writer: subprocess.Popen[str] | None) -> list[float]:
    times = []
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        last = time.perf_counter()
        for key in keys:
            if writer is not None and time.perf_counter() - last >= 1.0:
                writer.stdin.write("go\n")
                writer.stdin.flush()
                last = time.perf_counter()
            field = screen if isinstance(screen, Input) else screen.query_one("#filter", Input)
            before = field.value
            t0 = time.perf_counter()
            # Posted as the terminal driver posts it: Pilot.press waits tens of ms on its own.
            character = {"backspace": None}.get(key, key)
            pilot.app.post_message(events.Key(key, character))
            # Filtered in the handler of the input's change: once the section's filter is
            # the new text, its rows are too (and the same frame draws both).
            while field.value == before or getattr(screen, "filter_text", "") != (
                field.value.strip() if field is not screen else ""
            ):
                if time.perf_counter() - t0 > 10:
                    raise TimeoutError(f"key {key!r} never handled")
                await asyncio.sleep(0.001)
            times.append(time.perf_counter() - t0)
            await asyncio.sleep(0.15)  # a person's typing pace
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=60)
    parser.add_argument("--scale", choices=SCALES, default="flanders")
    args = parser.parse_args()
    from textual.app import App

    from store import open_store
    from tui.admin_app import AdminApp
    from tui.screens.admin_audit import AuditScreen

    work = Path(tempfile.mkdtemp(prefix="vaccinnet-audit-bench-"))
    try:
        tables, managers = generate(*SCALES[args.scale])
        data = work / "data"
        build_ours(data, tables)
        # Digits and a space: each key changes which of the 1,000 entries are shown.
        pattern = ["1", "2", "backspace", "3", "backspace", "backspace"]
        keys = [pattern[i % len(pattern)] for i in range(args.keys)]

        async def audit(pilot):
            app = pilot.app
            while getattr(app.screen, "data", None) is None:
                await pilot.pause(0.05)
            await pilot.press("4")
            while not (isinstance(app.screen, AuditScreen) and app.screen.data is not None):
                await pilot.pause(0.05)
            await pilot.press("slash")
            await pilot.pause(0.3)
            return app.screen

        plan = [[managers[e], e] for e in sorted(managers)[: args.keys]]
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(data), __import__("json").dumps(plan)],
            stdin=subprocess.PIPE,
            text=True,
        )
        try:
            app = AdminApp(open_store(data), "adm", "fr")
            typed = asyncio.run(_type(app, keys, audit, writer))
        finally:
            writer.stdin.close()
            writer.wait(timeout=60)
        commits = open_store(data).version()

        class Bare(App[None]):
            def compose(self):
                yield Input(id="filter")

        async def bare(pilot):
            await pilot.pause(0.2)
            return pilot.app.query_one(Input)

        floor = asyncio.run(_type(Bare(), [k for k in keys if k != "backspace"], bare, None))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"# {args.scale} store; {len(typed)} keystrokes in Audit, the store at generation {commits}"
    )
    print("| measure (headless, 80×24, in process) | p50 | p95 | target |")
    print("|---|---:|---:|---|")
    print(
        f"| bare Textual app: keystroke handled (floor) | {statistics.median(floor) * 1e3:.1f} ms "
        f"| {pct(floor, 0.95) * 1e3:.1f} ms | – |"
    )
    print(
        f"| Audit filter keystroke → rows filtered, one commit a second elsewhere | "
        f"{statistics.median(typed) * 1e3:.1f} ms | {pct(typed, 0.95) * 1e3:.1f} ms | p95 ≤ 50 ms |"
    )


if __name__ == "__main__":
    main()
