"""Keys that arrive together, as over a slow SSH link: each lands where it was typed for."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input

from tests.conftest import DOCTOR
from tests.functional.tui.conftest import SIZE, make_app, settle, until
from tui.screens.new_request import NewRequestScreen
from tui.screens.staff import StaffScreen
from tui.screens.too_small import TooSmallScreen


def burst(app, keys: list[str]) -> None:
    """Queue every key at once, as a terminal hands over one read of many bytes."""
    for key in keys:
        char = key if len(key) == 1 else None
        if key == "space":
            char = " "
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)


async def test_a_burst_fills_each_field_of_nouvelle_demande(practice):
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StaffScreen)
        burst(app, ["n", *"60010100172", "tab", *"Alpha", "tab", *"Beta"])
        await until(pilot, lambda: isinstance(app.screen, NewRequestScreen))
        await settle(pilot)
        form = app.screen
        assert form.query_one("#niss-input", Input).value == "60.01.01-001.72"
        assert form.query_one("#last-name", Input).value == "Alpha"
        assert form.query_one("#first-name", Input).value == "Beta"


async def test_a_burst_with_enter_between_fields_keeps_each_part(practice):
    # Enter moves on through Input.Submitted, a message handled after the key: the next
    # letters must wait for it.
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        burst(app, ["n", *"60010100172", "enter", *"Alpha", "enter", *"Beta"])
        await until(pilot, lambda: isinstance(app.screen, NewRequestScreen))
        await settle(pilot)
        form = app.screen
        assert form.query_one("#last-name", Input).value == "Alpha"
        assert form.query_one("#first-name", Input).value == "Beta"


# ctrl+q is Textual's own priority binding; Pilot's headless driver does not exit on it,
# so it is proven in a real terminal (tests/e2e/test_terminals.py) with q and ctrl+c.
@pytest.mark.parametrize("key", ["q", "ctrl+c"])
async def test_the_too_small_message_quits_with_q_and_ctrl_c(practice, key):
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=(60, 20)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, TooSmallScreen))
        # The message on screen, as a person reads it before pressing: the screen pushed a
        # moment ago may not have taken the keys yet (its own binding), and q would then go
        # to the field that had the focus.
        await until(pilot, lambda: _says_too_small(app.screen))
        await settle(pilot)
        await pilot.press(key)
        await until(pilot, lambda: not app.is_running)


def _says_too_small(screen) -> bool:
    # The screen is current before it has composed its message: no match yet is "not yet".
    found = screen.query("#too-small")
    if not found:
        return False
    text = str(found.first().render())
    return "too small" in text.lower() or "trop petite" in text
