"""What the staff tests read off the terminal: the screen's text, a widget's lines, a list."""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import OptionList

from tests.functional.tui.conftest import settle
from tui.screens.entity_choice import EntityChoiceScreen
from tui.screens.new_request import NewRequestScreen
from tui.screens.staff import StaffScreen
from tui.widgets.record_table import RecordTable


def screen_lines(app) -> list[str]:
    """What the terminal is sent for the current screen, line by line."""
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]


def shown_in(app, widget: Widget) -> str:
    """The text a widget shows on screen (its visible lines, joined by spaces)."""
    region = widget.region
    lines = screen_lines(app)[region.y : region.y + region.height]
    return " ".join(" ".join(row[region.x : region.x + region.width].split()) for row in lines)


async def open_cab(pilot, entity_id: str = "cab") -> StaffScreen:
    """The person is linked to two entities: choose the GP practice (or ``entity_id``)."""
    await settle(pilot)
    chooser = pilot.app.screen
    assert isinstance(chooser, EntityChoiceScreen)
    options = chooser.query_one(OptionList)
    options.highlighted = options.get_option_index(entity_id)
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, StaffScreen)
    return screen


def requests_of(screen: StaffScreen) -> RecordTable:
    return screen.query_one("#requests", RecordTable)


def staff_of(screen: StaffScreen) -> RecordTable:
    return screen.query_one("#staff", RecordTable)


async def open_new_request(pilot) -> NewRequestScreen:
    """« Nouvelle demande » of the GP practice, as the doctor opens it: the entity, then n."""
    await open_cab(pilot)
    await pilot.press("n")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, NewRequestScreen)
    return form
