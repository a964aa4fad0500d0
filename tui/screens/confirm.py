"""A question before an action that cannot be undone: the safe choice first, and focused."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.i18n import N_, _
from tui.literal import literal
from tui.widgets.button_row import ButtonRow
from tui.widgets.footer import TranslatedFooter


class ConfirmScreen(ModalScreen[bool]):
    """A destructive action asked first: the safe choice comes first and has the focus."""

    BINDINGS = [Binding("escape", "cancel", N_("Back"), id="cancel", tooltip=N_("Do nothing"))]

    def __init__(self, question: str, agree: str | None = None) -> None:
        super().__init__()
        self.question, self.agree = question, agree

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield from self.compose_question()
            with ButtonRow():
                yield Button(_("Back"), id="cancel")
                yield Button(self.agree_label(), id="yes", variant="error")
        yield TranslatedFooter(compact=True, show_command_palette=False)

    def compose_question(self) -> ComposeResult:
        yield Static(literal(self.question), classes="info")

    def agree_label(self) -> str:
        return self.agree or _("Agree")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
