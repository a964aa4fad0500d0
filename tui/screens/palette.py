"""Textual's command palette, in the console's language."""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

from tui.i18n import _


class Palette(CommandPalette):
    """The stock palette with our placeholder and our "no match" line.

    Textual writes "No matches found" inside a private method with no hook, so this one
    method is restated with the words translated; tests/functional/tui/test_language_follows.py
    types a query that matches nothing and fails if Textual stops calling it.
    """

    def __init__(self) -> None:
        super().__init__(placeholder=_("Search for commands…"), id="--command-palette")

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            # An empty query is Textual's "discover" mode: nothing to report there.
            if not search_value:
                self._list_visible = False
                return
            self.query_one(CommandList).add_option(
                Option(
                    Align.center(Text(_("No matches found"), style="not bold")),
                    disabled=True,
                    id=self._NO_MATCHES,
                )
            )
            self._list_visible = True

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
