"""A housekeeping process at a given moment, for tests: python -m tests.functional.housekeeper
DATA ISO_MOMENT ROUNDS; prints what its rounds did as JSON."""

from __future__ import annotations

import json
import sys
from datetime import datetime

from store import open_store


def main(data: str, moment: str, rounds: int) -> None:
    now = datetime.fromisoformat(moment)
    store = open_store(data, clock=lambda: now)
    expired, digests = [], []
    for _ in range(rounds):
        report = store.housekeeping()
        expired += [r.id for r in report.expired]
        digests += [m.to for m in report.digests]
    print(json.dumps({"expired": expired, "digests": digests}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
