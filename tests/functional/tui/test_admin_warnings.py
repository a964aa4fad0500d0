"""An administrator reads every warning before approving, at 80×24, and confirms them."""

from __future__ import annotations

import re

from textual.widgets import Button, Static

from tests.conftest import DOCTOR, NURSE, PHARMACIST
from tests.functional.tui.conftest import SIZE, settle, until
from tests.functional.tui.test_admin_console import ANNA, make_admin, queue_of
from tui.screens.admin_dialogs import BulkScreen, ReadScreen, WarningsScreen
from tui.screens.admin_queue import QueueScreen


def screen_text(app) -> str:
    """What the terminal shows, the lines joined and the dialogs' borders left out: a
    wrapped sentence reads as one."""
    strips = app.screen._compositor.render_strips()
    lines = ("".join(s.text for s in strip) for strip in strips)
    return flat(" ".join(BORDERS.sub(" ", line) for line in lines))


BORDERS = re.compile("[\u2500-\u259f]")


def flat(text: str) -> str:
    return " ".join(text.split())


def warned_request(store):
    """The issue's case: MARTIN Claire's NISS, filed under another name at another entity."""
    return store.file_connect(DOCTOR, "wzc", NURSE, "Dubois", "Anne", "infirmier")


async def cursor_on(pilot, screen: QueueScreen, request_id: str) -> None:
    while screen.table.cursor_key != request_id:
        await pilot.press("down")
    await until(pilot, lambda: screen.review is not None and screen.review.request.id == request_id)
    await settle(pilot)


async def test_every_warning_of_the_request_is_on_screen_and_its_row_marked(practice):
    request = warned_request(practice)
    notices = [n.message("fr") for n in practice.review("adm", request.id).notices]
    assert len(notices) == 2  # known under another name, linked at the practice
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_of(pilot)
        unwarned = screen.table.keys[0]
        assert "⚠" not in "".join(screen.table.row(unwarned))
        assert "⚠" in screen.table.row(request.id)[0]  # a text marker, not a colour
        await cursor_on(pilot, screen, request.id)
        shown = screen_text(app)
        for notice in notices:
            assert flat(notice) in shown
        assert "avertissements : 1" in shown


async def test_enter_reads_the_whole_review(practice):
    request = warned_request(practice)
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_of(pilot)
        await cursor_on(pilot, screen, request.id)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReadScreen)
        shown = screen_text(app)
        for notice in practice.review("adm", request.id).notices:
            assert flat(notice.message("fr")) in shown
        assert "DUBOIS Anne" in shown and "Personnel" in shown
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)


async def test_approving_a_warned_request_asks_first_listing_its_warnings(practice):
    request = warned_request(practice)
    notices = [n.message("fr") for n in practice.review("adm", request.id).notices]
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_of(pilot)
        await cursor_on(pilot, screen, request.id)
        await pilot.press("a")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, WarningsScreen)
        shown = screen_text(app)
        for notice in notices:
            assert flat(notice) in shown
        assert app.focused is dialog.query_one("#cancel", Button)  # the safe choice
        await pilot.press("enter")  # declined
        await until(pilot, lambda: app.screen is screen)
        await settle(pilot)
        assert practice.request(request.id).status == "pending"
        assert {link.entity_id for link in practice.links_of(NURSE)} == {"cab"}
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, WarningsScreen)
        await pilot.press("tab", "enter")  # to Approve, and confirmed
        await settle(pilot)
        await until(pilot, lambda: request.id not in screen.table.keys)
    assert practice.request(request.id).status == "approved"
    assert {link.entity_id for link in practice.links_of(NURSE)} == {"cab", "wzc"}


async def test_approving_an_unwarned_request_stays_one_key(practice):
    warned_request(practice)
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_of(pilot)
        target = screen.table.cursor_key
        await pilot.press("a")
        await settle(pilot)
        assert app.screen is screen
        await until(pilot, lambda: target not in screen.table.keys)
    assert practice.request(target).status == "approved"


async def test_bulk_approval_confirms_once_listing_each_warned_request(practice):
    first = warned_request(practice)
    second = practice.file_connect(PHARMACIST, "ph", NURSE, "Martin", "Claire", "infirmier")
    plain = practice.file_connect(PHARMACIST, "ph", ANNA, "Roux", "Anna", "assistant_pharma")
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_of(pilot)
        await pilot.press("home", "down", "space", "space", "space")  # space moves down
        assert screen.table.selected == {first.id, second.id, plain.id}
        await pilot.press("a")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, WarningsScreen)
        listed = flat(str(dialog.query_one("#warnings", Static).render()))
        for request in (first, second):
            assert request.id in listed
            for notice in practice.review("adm", request.id).notices:
                assert flat(notice.message("fr")) in listed
        assert plain.id not in listed and "et 1 demande sans avertissement" in listed
        await pilot.click("#yes")
        await settle(pilot)
        bulk = app.screen
        assert isinstance(bulk, BulkScreen)
        await until(pilot, lambda: bulk.finished)
        assert "--:--:--" not in screen_text(app)  # no estimated time left
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
    assert {practice.request(r.id).status for r in (first, second, plain)} == {"approved"}
