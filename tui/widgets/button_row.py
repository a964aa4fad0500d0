"""A dialog's row of buttons: ← and → move between them, as people expect of a dialog."""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import Horizontal


class ButtonRow(Horizontal):
    """Tab still works; the arrows are what people try first in a confirmation."""

    BINDINGS = [
        Binding("left", "app.focus_previous", show=False),
        Binding("right", "app.focus_next", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(classes="buttons")
