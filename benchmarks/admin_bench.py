"""Admin console benchmark: start-up to the queue drawn, filter keystroke, bulk approval of 500.

    python -m benchmarks.admin_bench [--runs 5] [--keys 30] [--bulk 500]

A regional store (1,000 entities, 10,000 links, 50,000 requests) of which 5,000 are pending.
Like the staff console's benchmark, everything is timed in a real terminal (tmux, 80×24)
until the expected text is drawn, side by side with a bare Textual app (the floor). The
bulk approval is driven through the console too: select N requests, press a, and wait for
"N faite(s)". The same number of approvals through the store API alone is timed beside it.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.store_bench import build_ours, generate, pct
from benchmarks.tui_bench import BARE_APP, _wait_for, bare_script, start_in_tmux, type_in_tmux
from store import open_store


def queue_script(root: Path, count: int) -> list[tuple[str, list[str]]]:
    """Filter keys, each with the count of shown requests it must draw."""
    from tui.i18n import set_language
    from tui.screens.admin_queue import queue_haystack

    set_language("fr")
    store = open_store(root)
    entities = {e.id: e for e in store.entities()}
    hay = [queue_haystack(r, entities.get(r.entity_id)) for r in store.requests()]

    def shown(typed: str) -> str:
        return f"{sum(1 for h in hay if typed in h)} affichée(s)" if typed else "en attente"

    typed, script = "", []
    for i in range(count):
        keys = ["BSpace"] if i % 4 == 3 and typed else list("0123456789")
        for key in keys[i % len(keys) :] + keys[: i % len(keys)]:
            after = typed[:-1] if key == "BSpace" else typed + key
            if shown(after) != shown(typed) and (after or typed):
                typed = after
                script.append((key, [f"{typed} ", shown(typed)]))
                break
    return script


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keys", type=int, default=30)
    parser.add_argument("--bulk", type=int, default=500)
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        sys.exit("tmux is needed to measure in a real terminal")
    work = Path(tempfile.mkdtemp(prefix="vaccinnet-admin-bench-"))
    try:
        tables, _managers = generate(1_000, 10_000, 50_000, pending_share=0.1)
        data = work / "data"
        build_ours(data, tables)
        pending = len(open_store(data).requests())
        bare = work / "bare.py"
        bare.write_text(BARE_APP)
        vaccinnet = Path(sys.executable).with_name("vaccinnet")
        command = f"{vaccinnet} --data {data} admin --admin adm"
        script = queue_script(data, args.keys)
        starts, floor, keys, key_floor = [], [], [], []
        for _ in range(args.runs):
            floor.append(start_in_tmux(f"{sys.executable} {bare}", "BARE-READY"))
            key_floor += type_in_tmux(bare_script(args.keys))
            starts.append(start_in_tmux(command, f"{pending} en attente · la plus"))
            _wait_for("bench", ["Personnel\u00a0:"], time.perf_counter())  # the review is drawn
            type_in_tmux([("/", ["Filtrer…"])])
            keys += type_in_tmux(script)
        # Bulk approval through the console: N requests selected, then "a".
        start_in_tmux(command, f"{pending} en attente · la plus")
        _wait_for("bench", ["Personnel\u00a0:"], time.perf_counter())
        subprocess.run(
            ["tmux", "send-keys", "-t", "bench", "-N", str(args.bulk), "Space"], check=True
        )
        _wait_for("bench", [f"{args.bulk} sélectionnée(s)"], time.perf_counter(), timeout=120)
        subprocess.run(["tmux", "send-keys", "-t", "bench", "a"], check=True)
        # Approving many asks once first, « Retour » focused: move to « Approuver », confirm.
        _wait_for("bench", [f"ces {args.bulk} demandes"], time.perf_counter(), timeout=60)
        subprocess.run(["tmux", "send-keys", "-t", "bench", "Right"], check=True)
        t0 = time.perf_counter()
        subprocess.run(["tmux", "send-keys", "-t", "bench", "Enter"], check=True)
        _wait_for("bench", [f"{args.bulk} faite(s), 0 refusée(s), 0 restante(s)"], t0, timeout=600)
        bulk_tui = time.perf_counter() - t0
        subprocess.run(["tmux", "kill-session", "-t", "bench"], capture_output=True)
        # The same number of approvals through the store API alone, for comparison.
        store = open_store(data)
        ids = [r.id for r in store.requests(limit=args.bulk)]
        t0 = time.perf_counter()
        for rid in ids:
            store.approve("adm", rid)
        bulk_api = time.perf_counter() - t0
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"# regional store, {pending:,} pending requests; {args.runs} start-ups, {len(keys)} "
        f"keystrokes; bulk of {args.bulk}; Python {sys.version.split()[0]}"
    )
    print()
    print("| measure (real terminal, tmux 80×24) | p50 | p95 | target |")
    print("|---|---:|---:|---|")
    print(
        f"| bare Textual app: start → drawn (floor) | {statistics.median(floor):.3f} s | "
        f"{pct(floor, 0.95):.3f} s | – |"
    )
    print(
        f"| admin console start → queue drawn | {statistics.median(starts):.3f} s | "
        f"{pct(starts, 0.95):.3f} s | ≤ 1.5 s |"
    )
    print(
        f"| bare Textual app: keystroke → echo drawn (floor) | "
        f"{statistics.median(key_floor) * 1e3:.1f} ms | {pct(key_floor, 0.95) * 1e3:.1f} ms "
        "| – |"
    )
    print(
        f"| queue filter keystroke → redrawn | {statistics.median(keys) * 1e3:.1f} ms | "
        f"{pct(keys, 0.95) * 1e3:.1f} ms | p95 ≤ 50 ms |"
    )
    print(
        f"| bulk approval of {args.bulk} in the console | {bulk_tui:.2f} s total | "
        f"{bulk_tui / args.bulk * 1e3:.1f} ms per request | ≤ 20 ms per request |"
    )
    print(
        f"| the same through the store API alone | {bulk_api:.2f} s total | "
        f"{bulk_api / args.bulk * 1e3:.1f} ms per request | – |"
    )


if __name__ == "__main__":
    main()
