"""« ? »: every key of the screen underneath, in the console's language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.i18n import N_, _
from tui.literal import literal
from tui.widgets.footer import TranslatedFooter

HELP_TEXT = N_(
    "Every request waits for an administrator: only an approval changes the staff list, and "
    "the entity receives an e-mail when its request is approved or rejected. At least one "
    "person always stays linked to the entity. GP trainees (MACG) are added by their "
    "supervising doctor."
)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "close", N_("Close"), id="close")]

    def __init__(self, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        width = max((len(key) for key, _text in self.keys), default=1)
        with Vertical(id="dialog", classes="dialog help"):
            yield Static(literal(_("Help")), classes="dialog-title")
            with VerticalScroll():
                yield Static(
                    literal("\n".join(f"{key:<{width}}  {_(text)}" for key, text in self.keys)),
                    id="help-keys",
                )
                yield Static(literal(_(HELP_TEXT)), classes="info")
            yield Static(literal(_("Press Escape to close.")), classes="hint")
        yield TranslatedFooter(compact=True, show_command_palette=False)

    def action_close(self) -> None:
        self.dismiss(None)
