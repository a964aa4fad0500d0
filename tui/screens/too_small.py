"""Shown instead of a broken layout when the terminal is smaller than 80×24."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.i18n import _
from tui.literal import literal

MIN_WIDTH, MIN_HEIGHT = 80, 24


class TooSmallScreen(ModalScreen[None]):
    # The message says "q quits": it must, whatever had the focus underneath (a text field
    # would otherwise take the q), and so must the keys people press out of habit.
    BINDINGS = [
        Binding("q,ctrl+q,ctrl+c", "app.quit", show=False, priority=True, id="quit-small"),
    ]

    DEFAULT_CSS = """
    TooSmallScreen {
        align: center middle;
        background: $background;
    }
    TooSmallScreen Static {
        width: 100%;
        content-align: center middle;
        text-align: center;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="too-small")

    def on_mount(self) -> None:
        self.show_size(self.app.size)

    def on_resize(self, event: events.Resize) -> None:
        self.show_size(event.size)

    def show_size(self, size: Size) -> None:
        width, height = size
        self.query_one("#too-small", Static).update(
            literal(
                _(
                    "The window is too small: {width}×{height}. Vaccinnet needs at least "
                    "{min_width}×{min_height}; enlarge the window (q quits)."
                ).format(width=width, height=height, min_width=MIN_WIDTH, min_height=MIN_HEIGHT)
            )
        )
