"""Admin Entities section refresh: one staff read per entity against one pass, in one run.

    python -m benchmarks.entities_bench [--scale regional|flanders] [--runs 30]

"per entity" is what the section's fetch did before (the entity list, then ``staff()`` of
each entity: one lock and one index read per entity); "one pass" is ``entity_summaries()``,
what it does now. Both run interleaved on the same warm store.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.store_bench import SCALES, build_ours, generate, pct
from store import open_store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="regional")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="vaccinnet-entities-bench-"))
    try:
        tables, _managers = generate(*SCALES[args.scale])
        build_ours(work / "data", tables)
        store = open_store(work / "data")
        ways = {
            "per entity (before)": lambda: [(e, len(store.staff(e.id))) for e in store.entities()],
            "one pass (entity_summaries)": store.entity_summaries,
        }
        times: dict[str, list[float]] = {name: [] for name in ways}
        for way in ways.values():
            way()  # warm the segment caches and indexes
        for _ in range(args.runs):
            for name, way in ways.items():
                t0 = time.perf_counter()
                way()
                times[name].append(time.perf_counter() - t0)
        count = len(store.entities())
        print(f"| Entities section refresh, {count:,} entities ({args.scale}) | p50 | p95 |")
        print("|---|---:|---:|")
        for name, runs in times.items():
            print(
                f"| {name} | {statistics.median(runs) * 1e3:.1f} ms | "
                f"{pct(runs, 0.95) * 1e3:.1f} ms |"
            )
        print(f"\n{args.runs} runs each, interleaved.")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
