"""Keys typed in a burst, as over a slow SSH link, land where the person meant them."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from tests.functional.tui.conftest import SIZE, settle, until
from tests.functional.tui.test_admin_console import make_admin, queue_of


def burst(app, *keys: str) -> None:
    """Keys that arrive together: queued at once, none waits for the previous one's effects
    (pilot.press waits for the app to be idle between keys, which hides the problem)."""
    for key in keys:
        char = "/" if key == "slash" else key
        app.post_message(events.Key(key, char))


async def test_keys_typed_right_after_slash_go_to_the_filter(practice):
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_of(pilot)
        # No pause between them: q used to reach the list and close the console.
        await pilot.press("slash", "q", "x")
        await settle(pilot)
        assert app.is_running and app.screen is screen
        assert screen.query_one("#filter", Input).value == "qx"
        await pilot.press("escape")
        burst(app, "slash", "q", "x")
        await settle(pilot)
        assert app.is_running and app.screen is screen
        assert screen.query_one("#filter", Input).value == "qx"
        await until(pilot, lambda: screen.filter_text == "qx")
        assert not screen.table.keys  # nobody matches "qx"


async def test_keys_after_slash_reach_the_filter_in_every_section(practice):
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        await queue_of(pilot)
        for section in ("2", "3", "4", "5"):
            await pilot.press(section)
            await settle(pilot)
            screen = app.screen
            burst(app, "slash", "q", "x")
            await settle(pilot)
            assert app.is_running and app.screen is screen
            assert screen.query_one("#filter", Input).value == "qx", section
            await pilot.press("escape")


async def test_a_slash_typed_in_the_filter_stays_in_it(practice):
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_of(pilot)
        burst(app, "slash", "a", "slash", "b")
        await settle(pilot)
        assert screen.query_one("#filter", Input).value == "a/b"
