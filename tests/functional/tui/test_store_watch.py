"""The consoles follow the store through one watcher: no lock while idle, reads only on change."""

from __future__ import annotations

import asyncio
import fcntl
import os

from store import open_store
from tests.conftest import DOCTOR, NURSE, NURSE_2, PHARMACIST
from tests.functional.tui.conftest import MIDWIFE, SIZE, Toasts, make_app, settle, until
from tests.functional.tui.test_admin_console import make_admin, queue_of
from tests.functional.tui.test_console_lock import _threads_waiting_for_the_lock
from tests.functional.tui.test_staff_console import open_cab
from tui.admin_app import AdminApp
from tui.console import StoreFollower
from tui.screens.admin_history import HistoryScreen
from tui.screens.no_access import NoAccessScreen
from tui.screens.staff import StaffScreen
from tui.staff_app import StaffApp
from tui.widgets.record_table import RecordTable


async def _never_waits_for_the_lock(pilot, data, seconds: float) -> None:
    held = os.open(data, os.O_RDONLY)
    fcntl.flock(held, fcntl.LOCK_EX)  # any read by the console would now wait
    try:
        loop = asyncio.get_running_loop()
        end = loop.time() + seconds
        while loop.time() < end:
            assert not _threads_waiting_for_the_lock()
            await pilot.pause(0.02)
    finally:
        os.close(held)


async def test_an_idle_staff_console_takes_no_lock(practice, data):
    app = make_app(practice, DOCTOR, poll=0.02)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cab(pilot)
        await _never_waits_for_the_lock(pilot, data, 1.0)  # some 50 poll intervals
        practice.approve("adm", practice.requests("cab", status="pending")[0].id)
        table = screen.query_one("#staff", RecordTable)
        await until(pilot, lambda: NURSE_2 in table.keys)


async def test_an_idle_admin_console_takes_no_lock(practice, data):
    app = make_admin(practice, poll=0.02)
    async with app.run_test(size=SIZE) as pilot:
        await queue_of(pilot)
        await _never_waits_for_the_lock(pilot, data, 1.0)


async def test_a_hidden_section_reads_nothing_and_catches_up_when_shown(practice, data):
    app = make_admin(practice, poll=0.02)
    async with app.run_test(size=SIZE) as pilot:
        queue = await queue_of(pilot)
        (target,) = queue.query_one("#records", RecordTable).keys
        seen = queue.version
        await pilot.press("2")
        await settle(pilot)
        history = app.screen
        assert isinstance(history, HistoryScreen)
        open_store(data).approve("adm2", target)  # another session
        rows = history.query_one("#records", RecordTable)
        await until(pilot, lambda: target in rows.keys)  # the section shown follows at once
        assert queue.version == seen  # the hidden one read nothing
        await pilot.press("1")
        await until(pilot, lambda: target not in queue.query_one("#records", RecordTable).keys)
        assert queue.version != seen


class Announced:
    """A change source that speaks only when told, as a server's notifications would."""

    def __init__(self) -> None:
        self.count = 0
        self.asked = 0

    def token(self) -> int:
        self.asked += 1
        return self.count

    async def asked_again(self, pilot, times: int = 10) -> None:
        """The console's watcher has looked ``times`` more times (and seen no change)."""
        target = self.asked + times
        await until(pilot, lambda: self.asked >= target)


async def test_the_consoles_read_when_their_change_source_says_so(practice):
    changes = Announced()
    app = StaffApp(practice, DOCTOR, None, poll_interval=0.02, changes=changes)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cab(pilot)
        table = screen.query_one("#staff", RecordTable)
        practice.approve("adm", practice.requests("cab", status="pending")[0].id)
        await changes.asked_again(pilot)
        await settle(pilot)
        assert NURSE_2 not in table.keys  # the manifest changed, but the source said nothing
        changes.count += 1
        await until(pilot, lambda: NURSE_2 in table.keys)


async def test_the_admin_console_takes_the_same_change_source(practice):
    changes = Announced()
    app = AdminApp(practice, "adm", None, poll_interval=0.02, changes=changes)
    async with app.run_test(size=SIZE) as pilot:
        queue = await queue_of(pilot)
        (target,) = queue.query_one("#records", RecordTable).keys
        practice.approve("adm2", target)
        await changes.asked_again(pilot)
        await settle(pilot)
        assert target in queue.query_one("#records", RecordTable).keys
        changes.count += 1
        await until(pilot, lambda: target not in queue.query_one("#records", RecordTable).keys)


async def test_a_person_unlinked_elsewhere_is_told_and_led_out(practice, data):
    toasts = Toasts()
    app = make_app(practice, NURSE, poll=0.02)

    async with app.run_test(size=SIZE, message_hook=toasts) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, StaffScreen) and app.screen.entity_id == "cab"
        other = open_store(data)  # another session disconnects the nurse
        (request,) = other.file_disconnect(DOCTOR, "cab", [NURSE])
        other.approve("adm", request.id)
        await until(pilot, lambda: isinstance(app.screen, NoAccessScreen))
        await settle(pilot)
    assert "Vous n'êtes plus lié(e) à cette entité." in toasts.shown


def test_reads_asked_during_a_read_make_one_more_read_after_it():
    # A large store: the read under way finishes (it is not replaced), then exactly one more
    # follows, however many changes came meanwhile (they may postdate its start).
    calls: list[bool] = []
    follower = StoreFollower(screen=None, read=calls.append)
    follower.read(force=True)
    follower.read()
    follower.read(force=True)
    assert calls == [True] and follower.reading
    follower.read_ended()
    assert calls == [True, False] and follower.reading
    follower.read_ended()
    assert calls == [True, False] and not follower.reading


async def test_the_queue_reads_once_after_a_bulk_decision_not_after_each_approval(practice):
    ids = [r.id for r in practice.requests()]
    app = AdminApp(practice, "adm", None, poll_interval=0.02)
    async with app.run_test(size=SIZE) as pilot:
        queue = await queue_of(pilot)
        reads: list[bool] = []
        real = queue.follower._read
        queue.follower._read = lambda force: (reads.append(force), real(force))
        queue.follower.hold()  # as the bulk dialog does while it decides
        for request_id in ids:
            practice.approve("adm", request_id)
            seen = app.store_changes
            await until(pilot, lambda seen=seen: app.store_changes > seen)
        assert reads == []  # the watcher saw each commit; the queue read nothing meanwhile
        queue.follower.release()
        await until(pilot, lambda: not queue.follower.reading)
        assert reads == [True]
        await until(pilot, lambda: queue.table.keys == [])


async def test_a_section_reads_one_moment_under_one_lock(practice, monkeypatch):
    # The queue's rows, their ⚠ marks and the version they belong to: one snapshot, not five.
    lock = practice._backend._readers
    taken: list[int] = []
    acquire = lock.shared

    def counted(*args, **kwargs):
        taken.append(1)
        return acquire(*args, **kwargs)

    app = AdminApp(practice, "adm", None, poll_interval=3600)
    async with app.run_test(size=SIZE) as pilot:
        queue = await queue_of(pilot)
        monkeypatch.setattr(queue, "fetch_review", lambda key: None)  # its own read, apart
        monkeypatch.setattr(lock, "shared", counted)
        queue.reload()
        await until(pilot, lambda: not queue.follower.reading)
        monkeypatch.setattr(lock, "shared", acquire)
    assert len(taken) == 1


async def test_a_staff_console_reads_its_entity_only_when_its_entity_changed(practice, monkeypatch):
    from tui.screens import staff as staff_screen

    reads: list[str] = []
    real = staff_screen.load_entity_view

    def counted(store, entity_id, *args, **kwargs):
        reads.append(entity_id)
        return real(store, entity_id, *args, **kwargs)

    monkeypatch.setattr(staff_screen, "load_entity_view", counted)
    app = make_app(practice, DOCTOR, poll=0.05)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cab(pilot)
        await until(pilot, lambda: screen.view is not None and screen.view.complete)
        seen = app.store_changes
        reads.clear()
        # Another entity changes: the console sees the commit, and reads nothing of cab.
        practice.file_connect(PHARMACIST, "ph", NURSE, "Martin", "Claire", "infirmier")
        await until(pilot, lambda: app.store_changes > seen and not screen.follower.reading)
        await settle(pilot)
        assert reads == []
        assert screen.view.version == practice.version()  # it knows it is up to date
        # Its own entity changes: it reads it, and shows the new request.
        request = practice.file_connect(DOCTOR, "cab", MIDWIFE, "Lambert", "Zoë", "sage_femme")
        await until(pilot, lambda: request.id in {r.id for r in screen.view.pending})
        assert reads and set(reads) == {"cab"}


async def test_an_admin_section_reads_again_only_when_its_tables_changed(practice):
    request = practice.requests("cab")[0]
    app = AdminApp(practice, "adm", None, poll_interval=0.02)
    async with app.run_test(size=SIZE) as pilot:
        queue = await queue_of(pilot)
        practice.approve("adm2", request.id)  # another admin: a mail is queued
        await until(pilot, lambda: request.id not in queue.table.keys)
        await until(pilot, lambda: not queue.follower.reading)
        reads: list[object] = []
        real = queue.fetch
        queue.fetch = lambda: reads.append(1) or real()
        seen = app.store_changes
        (mail,) = [m for m in practice.outbox() if m.request_id == request.id]
        practice.mark_sent(mail.id)  # the mailer, in its own process
        await until(pilot, lambda: app.store_changes > seen and not queue.follower.reading)
        await settle(pilot)
        assert reads == []  # nothing the queue shows changed
        assert queue.version == practice.version()
        other = practice.file_connect(DOCTOR, "cab", MIDWIFE, "Lambert", "Zoë", "sage_femme")
        await until(pilot, lambda: other.id in queue.table.keys)  # a request: it reads
        assert reads
