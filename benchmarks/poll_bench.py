"""What idle consoles cost the store: lock acquisitions and time under the lock, per second.

    python -m benchmarks.poll_bench [--consoles 50] [--seconds 10] [--interval 1.0]

Starts N staff consoles headless in one process, each with its own Store (its own flock, as
separate SSH sessions have), lets them sit idle on their list, and counts every acquisition
of the store's cross-process lock and the time it was held. Nobody writes meanwhile, so all
of it is the cost of following the store. Not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import tempfile
import threading
import time
from pathlib import Path

from store import lock as store_lock
from store import open_store


class LockMeter:
    """Wraps DirectoryLock so that every outermost acquisition is counted and timed."""

    def __init__(self) -> None:
        self.count = 0
        self.held = 0.0
        self._since: dict[int, float] = {}
        self._guard = threading.Lock()
        self.counting = False
        acquire, release = store_lock.DirectoryLock.acquire, store_lock.DirectoryLock.release
        meter = self

        def counted_acquire(lock, *args, **kwargs):  # type: ignore[no-untyped-def]
            outer = not lock._depth
            acquire(lock, *args, **kwargs)
            if outer:
                meter._since[id(lock)] = time.perf_counter()

        def counted_release(lock):  # type: ignore[no-untyped-def]
            outer = lock._depth == 1
            release(lock)
            start = meter._since.pop(id(lock), None)
            if outer and start is not None and meter.counting:
                with meter._guard:
                    meter.count += 1
                    meter.held += time.perf_counter() - start

        store_lock.DirectoryLock.acquire = counted_acquire  # type: ignore[method-assign]
        store_lock.DirectoryLock.release = counted_release  # type: ignore[method-assign]


async def _console(
    root: Path,
    niss: str,
    interval: float,
    ready: asyncio.Event,
    stop: asyncio.Event,
    started: list[int],
) -> None:
    from tui.staff_app import StaffApp

    app = StaffApp(open_store(root), niss, "fr", poll_interval=interval)
    async with app.run_test(size=(80, 24)) as pilot:
        while getattr(app.screen, "view", None) is None:
            await pilot.pause(0.05)
        started.append(1)
        await ready.wait()
        await stop.wait()


async def _run(root: Path, niss: str, consoles: int, seconds: float, interval: float) -> None:
    meter = LockMeter()
    ready, stop, started = asyncio.Event(), asyncio.Event(), []
    tasks = [
        asyncio.create_task(_console(root, niss, interval, ready, stop, started))
        for _ in range(consoles)
    ]
    while len(started) < consoles:
        await asyncio.sleep(0.1)
    await asyncio.sleep(2 * interval)  # the first reads are done
    meter.counting = True
    ready.set()
    t0, cpu0 = time.perf_counter(), time.process_time()
    await asyncio.sleep(seconds)
    meter.counting = False
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    stop.set()
    await asyncio.gather(*tasks)
    per_s = meter.count / elapsed
    print(f"{consoles} idle consoles, poll interval {interval} s, {elapsed:.1f} s measured")
    print(f"  lock acquisitions: {per_s:.1f}/s ({per_s / consoles:.2f}/s per console)")
    print(
        f"  time under the lock: {1000 * meter.held / elapsed:.2f} ms per second"
        f" ({1000 * meter.held / max(meter.count, 1):.3f} ms per acquisition)"
    )
    print(
        f"  CPU of the whole process: {1000 * cpu / elapsed:.1f} ms per second"
        f" ({1000 * cpu / elapsed / consoles:.2f} ms per console)"
    )


def _stat_cost(root: Path, rounds: int = 20000) -> float:
    from store.changes import ManifestChanges

    changes = ManifestChanges(root)
    t0 = time.perf_counter()
    for _ in range(rounds):
        changes.token()
    return (time.perf_counter() - t0) / rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--consoles", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--interval", type=float, default=1.0)
    args = parser.parse_args()
    from tests.conftest import DOCTOR, NURSE, add_practice

    tmp = Path(tempfile.mkdtemp())
    try:
        store = open_store(tmp / "data")
        store.add_admin("adm", "Admin")
        add_practice(store)
        store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
        asyncio.run(_run(tmp / "data", DOCTOR, args.consoles, args.seconds, args.interval))
        tick = _stat_cost(tmp / "data")
        t0 = time.perf_counter()
        for _ in range(2000):
            store.version()
        read = (time.perf_counter() - t0) / 2000
        print(f"  one watcher tick (stat of the manifest): {1e6 * tick:.1f} µs")
        print(f"  one version read (lock, stat, unlock): {1e6 * read:.1f} µs")
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
