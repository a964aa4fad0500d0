"""Bulk import against filing the same rows one by one, side by side in one run.

    python -m benchmarks.import_bench [--scale regional|flanders] [--rows 1000]

Builds a store, then for one entity: the preview of ``--rows`` rows (parse + every row
judged, nothing written), filing them in one transaction, and filing as many rows one by one
through ``file_connect`` at another entity of the same size (what a careful script would do
without import). Targets (issue 11): preview ≤ 1 s and filing ≤ 3 s for 1,000 rows at
regional scale, filing ≥ 20× faster than one by one. Medians of ``--repeat`` runs, each on a
fresh copy of the store; not a test.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.store_bench import SCALES, _niss, build_ours, generate
from rules import format_niss
from rules.bulk import parse_rows
from store import open_store


def _paste(first: int, rows: int) -> str:
    lines = ["NISS;Nom;Prénom;Type"]
    lines += [f"{format_niss(_niss(first + i))};Import;Ligne;infirmière" for i in range(rows)]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=SCALES, default="regional")
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="import-bench-"))
    try:
        tables, managers = generate(*SCALES[args.scale])
        base = root / "base"
        build_ours(base, tables)
        open_store(base).requests()  # reviews built once, as the first program does
        entities = sorted(managers)
        preview, filing, single = [], [], []
        for run in range(args.repeat):
            data = root / f"run{run}"
            shutil.copytree(base, data)
            store = open_store(data)
            text = _paste(500_000 + run * 10_000, args.rows)
            entity, other = entities[run], entities[-1 - run]
            t0 = time.perf_counter()
            verdicts = store.preview_import(managers[entity], entity, parse_rows(text))
            preview.append(time.perf_counter() - t0)
            assert all(v.status == "ready" for v in verdicts), verdicts[0]
            t0 = time.perf_counter()
            store.file_import(managers[entity], entity, parse_rows(text))
            filing.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            for i in range(args.rows):
                niss = _niss(700_000 + run * 10_000 + i)
                store.file_connect(managers[other], other, niss, "Import", "Ligne", "infirmier")
            single.append(time.perf_counter() - t0)
            shutil.rmtree(data)
        print(f"scale {args.scale}: {SCALES[args.scale]}; {args.rows} rows, {args.repeat} runs")
        print(f"preview (parse + judge)     median {statistics.median(preview):7.2f} s")
        print(f"file in one transaction     median {statistics.median(filing):7.2f} s")
        print(f"file_connect one by one     median {statistics.median(single):7.2f} s")
        ratio = statistics.median(single) / statistics.median(filing)
        print(f"ratio                       {ratio:.1f}x faster in one transaction")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
