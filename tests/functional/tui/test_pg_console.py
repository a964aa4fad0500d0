"""A console on PostgreSQL: it learns of other hosts' commits by notification, and rides out
the database going away and coming back."""

from __future__ import annotations

import contextlib
import os
import select
import subprocess
import sys
import time

from textual.widgets import Button, Input

from rules import make_niss
from store import open_store
from store.pg.changes import NotifiedChanges
from tests.conftest import DOCTOR, NURSE, NURSE_2, PHARMACIST, add_pharmacy, add_practice, link
from tests.functional.tui.conftest import SIZE, Toasts, make_app, settle, until
from tests.functional.tui.pty_console import console_in_pty
from tests.functional.tui.test_admin_console import make_admin, queue_of, text_of
from tests.functional.tui.test_staff_console import fill_request
from tui.screens.disconnect import DisconnectScreen
from tui.screens.my_access import MyAccessScreen
from tui.screens.new_request import NewRequestScreen
from tui.widgets.record_table import RecordTable

ANNA = make_niss("890303", 77)


def _file_elsewhere(url: str, niss: str, last: str, first: str) -> None:
    """Another host files a request: a process of its own, with its own connections."""
    code = (
        f"from store import open_store; open_store({url!r}).file_connect("
        f"{PHARMACIST!r}, 'ph', {niss!r}, {last!r}, {first!r}, 'administratif')"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


async def test_the_queue_follows_another_host_and_rides_out_a_failover(own_cluster, clock):
    url = own_cluster.url()
    store = open_store(url, clock=clock)
    store.add_admin("adm", "Anne Admin")
    add_practice(store)
    add_pharmacy(store)
    toasts = Toasts()
    app = make_admin(store, "en")
    async with app.run_test(size=SIZE, message_hook=toasts) as pilot:
        await until(pilot, lambda: getattr(app.screen, "data", None) is not None)
        queue = app.screen
        table = queue.query_one("#records", RecordTable)
        assert isinstance(app.changes, NotifiedChanges) and app.changes.listening
        assert table.keys == []
        _file_elsewhere(url, ANNA, "Roux", "Anna")
        await until(pilot, lambda: len(table.keys) == 1, timeout=3)

        own_cluster.stop()
        await until(pilot, lambda: "cannot be reached" in toasts.text, timeout=10)
        assert len(table.keys) == 1  # what was shown stays shown
        assert len(toasts.shown) == 1  # said once, not at every attempt
        assert app.out_of_reach  # and it stays on screen while the store is away
        # Said in the reader's words: neither the database's address nor the server's own.
        assert "the database does not answer" in toasts.text
        assert "127.0.0.1" not in toasts.text and "postgresql" not in toasts.text.lower()
        assert "connection" not in toasts.text.lower()
        own_cluster.start()
        await until(pilot, lambda: "reached again" in toasts.text, timeout=20)
        showing = [note.message for note in app._notifications]
        assert not any("cannot be reached" in text for text in showing), showing
        _file_elsewhere(url, NURSE_2, "Peeters", "Lotte")
        await until(pilot, lambda: len(table.keys) == 2, timeout=5)
    store.close()


async def test_a_request_saved_during_an_outage_stays_on_screen_and_saves_once_back(
    own_cluster, clock
):
    url = own_cluster.url()
    store = open_store(url, clock=clock)
    store.add_admin("adm", "Anne Admin")
    add_practice(store)
    toasts = Toasts()
    app = make_app(store, DOCTOR, "fr")
    async with app.run_test(size=SIZE, message_hook=toasts) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, NewRequestScreen)
        await fill_request(pilot, ANNA, "Roux", "Anna", 3)

        own_cluster.stop()
        await pilot.press("ctrl+s")
        await until(
            pilot, lambda: "vérifiez la liste avant de recommencer" in toasts.text, timeout=20
        )
        assert app.screen is form  # what was typed is still there, to save again
        assert form.query_one("#last-name", Input).value == "Roux"
        # The toast goes after a while; the form keeps saying it.
        assert "n'a peut-être pas été enregistré" in text_of(form, "#form-error")
        assert "ne répond pas" in toasts.text and "127.0.0.1" not in toasts.text

        own_cluster.start()
        await until(pilot, lambda: "à nouveau accessibles" in toasts.text, timeout=20)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await until(pilot, lambda: app.screen is not form)
    assert [(r.niss, r.status) for r in store.requests(entity_id="cab")] == [(ANNA, "pending")]
    store.close()


async def test_a_disconnection_checked_during_an_outage_is_checked_again_once_back(
    own_cluster, clock
):
    store = open_store(own_cluster.url(), clock=clock)
    store.add_admin("adm", "Anne Admin")
    store.add_admin("adm2", "Koen Peeters")
    add_practice(store)
    link(store, "cab", NURSE, "Martin", "Claire", "infirmier")
    toasts = Toasts()
    app = make_app(store, DOCTOR, "fr")
    async with app.run_test(size=SIZE, message_hook=toasts, notifications=True) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.query_one("#staff", RecordTable).move_to(NURSE)
        own_cluster.stop()
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DisconnectScreen))
        await until(
            pilot, lambda: "ne peuvent pas être vérifiées" in text_of(app.screen, "#preview"), 20
        )
        # Back to the list, which now shows the notice too, and again: the notice is on the
        # list beneath the dialog, which shows through it.
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen and screen.query("Toast"))
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DisconnectScreen))
        dialog = app.screen
        await until(
            pilot, lambda: "ne peuvent pas être vérifiées" in text_of(dialog, "#preview"), 20
        )
        assert dialog.query_one("#agree", Button).disabled  # nothing filed unchecked

        own_cluster.start()
        # Nothing is pressed: the console finds the store back by itself, and the dialog
        # checks again.
        await until(pilot, lambda: "peut être introduite" in text_of(dialog, "#preview"), 20)
        assert "à nouveau accessibles" in toasts.text
        assert not app.out_of_reach
        # The staff list shows through the dialog: the notice must go from it too.
        beneath = " ".join(str(t.render()) for t in screen.query("Toast"))
        assert "inaccessibles" not in beneath, beneath
        await pilot.click("#agree")
        await settle(pilot)
        assert app.screen is screen
    filed = [r for r in store.requests(entity_id="cab") if r.kind == "disconnect"]
    assert [(r.niss, r.status) for r in filed] == [(NURSE, "pending")]
    store.close()


async def test_the_admin_never_sees_the_details_of_another_row_after_an_outage(own_cluster, clock):
    store = open_store(own_cluster.url(), clock=clock)
    store.add_admin("adm", "Anne Admin")
    add_practice(store)
    first = store.file_connect(DOCTOR, "cab", ANNA, "Roux", "Anna", "infirmier")
    second = store.file_connect(DOCTOR, "cab", NURSE_2, "Peeters", "Lotte", "infirmier")
    toasts = Toasts()
    app = make_admin(store, "en")
    async with app.run_test(size=SIZE, message_hook=toasts) as pilot:
        queue = await queue_of(pilot)
        table = queue.query_one("#records", RecordTable)
        table.move_to(first.id)
        await until(pilot, lambda: queue.shown_review(first.id))

        own_cluster.stop()
        await pilot.press("down")  # the cursor on the second; its details cannot be read
        await until(pilot, lambda: "cannot be read for now" in text_of(queue, "#detail"), 20)
        assert table.cursor_key == second.id and "ROUX" not in text_of(queue, "#detail")
        await pilot.press("a")  # not approved on the strength of nothing shown
        await until(pilot, lambda: "are not shown yet" in toasts.text)
        await pilot.press("enter")  # nor another request's details opened
        await until(pilot, lambda: "are not shown yet." in toasts.text)
        assert app.screen is queue
        await pilot.press("r")  # no reason asked for, that the failing decision would lose
        await until(pilot, lambda: "decide once it is back" in toasts.text)
        assert app.screen is queue

        own_cluster.start()
        await until(pilot, lambda: queue.shown_review(second.id), timeout=20)
        assert "PEETERS Lotte" in text_of(queue, "#detail")
        await pilot.press("a")
        await settle(pilot)
    assert [r.id for r in store.requests(status="approved")] == [second.id]
    assert [r.id for r in store.requests()] == [first.id]
    store.close()


def _seen_until(leader: int, console: subprocess.Popen, wanted: bytes, seconds: float) -> bytes:
    """What the terminal was sent, up to ``wanted`` (or the console's end, or the deadline)."""
    seen = b""
    deadline = time.monotonic() + seconds
    while wanted not in seen and time.monotonic() < deadline:
        if console.poll() is not None and not select.select([leader], [], [], 0)[0]:
            break
        if select.select([leader], [], [], 0.2)[0]:
            with contextlib.suppress(OSError):  # the console ended: nothing more to read
                seen += os.read(leader, 65536)
    return seen


def test_a_console_started_during_an_outage_waits_for_the_database(own_cluster, monkeypatch):
    url = own_cluster.url()
    store = open_store(url)
    store.add_admin("adm", "Anne Admin")
    add_practice(store)
    store.close()
    own_cluster.stop()

    # Past the wait: told in the person's words, exit 2, nothing of the database's address.
    monkeypatch.setenv("VACCINNET_LOCK_TIMEOUT", "1")
    with console_in_pty(url, DOCTOR) as (leader, console):
        seen = _seen_until(leader, console, b"help desk", 30)
        assert console.wait(30) == 2
    text = seen.decode(errors="replace")
    assert "the database does not answer. Trying again" in text and "help desk" in text
    assert "127.0.0.1" not in text and "postgresql" not in text and "Connection" not in text

    # Within the wait: the console opens once the database is back (a failover's few seconds).
    monkeypatch.setenv("VACCINNET_LOCK_TIMEOUT", "60")
    with console_in_pty(url, DOCTOR) as (leader, console):
        assert b"Trying again" in _seen_until(leader, console, b"Trying again", 30)
        own_cluster.start()
        assert b"Cabinet Dupont" in _seen_until(leader, console, b"Cabinet Dupont", 60)
        assert console.poll() is None


async def test_my_access_opened_during_an_outage_fills_in_once_back(own_cluster, clock):
    store = open_store(own_cluster.url(), clock=clock)
    store.add_admin("adm", "Anne Admin")
    add_practice(store)
    app = make_app(store, DOCTOR, "fr")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        own_cluster.stop()
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, MyAccessScreen))
        mine = app.screen
        await until(pilot, lambda: "ne peuvent pas être lus" in text_of(mine, "#links-title"), 20)
        own_cluster.start()
        await until(pilot, lambda: mine.access is not None, timeout=20)
        assert "Mes liens\u00a0: 1" in text_of(mine, "#links-title")
    store.close()
