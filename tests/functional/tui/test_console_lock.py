"""Consoles read while a writer holds the store, and quit at once even while they wait."""

from __future__ import annotations

import asyncio
import fcntl
import os
import sys
import time

from store.lock import READERS
from tests.conftest import DOCTOR
from tests.functional.tui.conftest import SIZE, make_app, until
from tests.functional.tui.staff_helpers import open_cab
from tui.admin_app import AdminApp


def _threads_waiting_for_the_lock() -> int:
    return sum(1 for frame in sys._current_frames().values() if _waits(frame))


def _waits(frame) -> bool:
    return any(
        f.f_code.co_name == "wait_for" and f.f_code.co_filename.endswith("lock.py")
        for f in _stack(frame)
    )


def _stack(frame):
    while frame is not None:
        yield frame
        frame = frame.f_back


async def _quit_while_locked(app, data) -> float:
    # A writer removing superseded files holds the readers' lock alone, for milliseconds;
    # one stopped there (a debugger, SIGSTOP) keeps readers waiting: they must still quit.
    held = os.open(data / READERS, os.O_RDONLY | os.O_CREAT, 0o600)
    fcntl.flock(held, fcntl.LOCK_EX)  # another holder: flock locks are per open file
    try:
        async with app.run_test(size=SIZE) as pilot:
            deadline = time.monotonic() + 10
            while not _threads_waiting_for_the_lock() and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            assert _threads_waiting_for_the_lock(), "the console never waited for the lock"
            start = time.monotonic()
            await pilot.press("q")
        while _threads_waiting_for_the_lock() and time.monotonic() - start < 5:
            await asyncio.sleep(0.02)
        return time.monotonic() - start
    finally:
        os.close(held)


async def test_a_console_reads_while_a_writer_holds_the_store(practice, data):
    held = os.open(data, os.O_RDONLY)
    fcntl.flock(held, fcntl.LOCK_EX)  # a long write in another process
    try:
        app = make_app(practice, DOCTOR)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_cab(pilot)
            await until(pilot, lambda: screen.view is not None and screen.view.complete)
            assert len(screen.view.staff) == 3
            assert not _threads_waiting_for_the_lock()
    finally:
        os.close(held)


async def test_staff_console_quits_within_a_second_while_the_store_is_locked(practice, data):
    assert await _quit_while_locked(make_app(practice, DOCTOR), data) < 1.0
    assert practice.staff("cab")  # the store itself is still usable afterwards


async def test_admin_console_quits_within_a_second_while_the_store_is_locked(practice, data):
    assert await _quit_while_locked(AdminApp(practice, "adm", poll_interval=0.2), data) < 1.0
