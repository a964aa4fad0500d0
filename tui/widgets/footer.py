"""A Footer in the console's language that wraps onto a second line when 80 columns are tight."""

from __future__ import annotations

import math

from textual.app import ComposeResult
from textual.events import Resize
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from tui.i18n import N_, _

# Textual's own key descriptions this footer draws; the catalogs translate them like ours.
TEXTUAL_DESCRIPTIONS = [N_("Dismiss menu")]  # the Select's open menu: escape


class TranslatedFooter(Footer):
    DEFAULT_CSS = """
    TranslatedFooter.-two-rows {
        layout: grid;
        grid-columns: auto;
        grid-gutter: 0 1;
        height: 2;
        FooterKey {
            margin: 0;
        }
    }
    """

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        keys = [w for w in widgets if isinstance(w, FooterKey)]
        needed = 0
        for key in keys:
            # Binding descriptions are English msgids; translate them as they are drawn.
            if key.description:
                key.description = _(key.description)
            needed += len(key.key_display) + len(key.description) + 2
        # Every action must stay visible: rather two rows than keys cut off at the edge.
        two_rows = needed > self.app.size.width and len(keys) > 1
        self.set_class(two_rows, "-two-rows")
        if two_rows:
            self.styles.grid_size_columns = math.ceil(len(keys) / 2)
        yield from widgets

    def on_resize(self, event: Resize) -> None:
        self.refresh(recompose=True)
