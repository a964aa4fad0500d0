"""Withdraw one's own pending request: the filer takes it back before an admin decides it."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Static

from rules import Request, mask_niss, request_kind_label, type_label
from store import Store
from tui.i18n import N_, _, fmt_datetime, language
from tui.literal import literal
from tui.screens.form import FormDialog
from tui.widgets.button_row import ButtonRow
from tui.widgets.footer import TranslatedFooter


class WithdrawScreen(FormDialog[str, Request]):
    """Nothing can bring a withdrawn request back, so « Back » has the focus (the safe choice)."""

    SAVE_BUTTON = "#withdraw"
    BINDINGS = [
        Binding("escape", "cancel", N_("Back"), id="cancel", tooltip=N_("Keep the request")),
    ]

    def __init__(self, store: Store, niss: str, request: Request) -> None:
        super().__init__()
        self.store, self.niss, self.request = store, niss, request

    def compose(self) -> ComposeResult:
        lang, request = language(), self.request
        with Vertical(id="dialog", classes="dialog"):
            yield Static(literal(_("Withdraw the request")), classes="dialog-title")
            yield Static(
                literal(
                    _(
                        "{id} · {kind} · {person} · {niss} ({type}) · filed on {on}.\n"
                        "Once withdrawn, no administrator will decide it and no e-mail is sent."
                    ).format(
                        id=request.id,
                        kind=request_kind_label(request.kind, lang),
                        person=request.full_name,
                        niss=mask_niss(request.niss),
                        type=type_label(request.employee_type, lang),
                        on=fmt_datetime(request.filed_at),
                    )
                ),
                classes="info",
            )
            yield Static(id="form-error", classes="error")
            with ButtonRow():
                # The safe choice first, as in every dialog that cannot be undone.
                yield Button(_("Back"), id="cancel")
                yield Button(_("Withdraw the request"), id="withdraw", variant="error")
        yield TranslatedFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def read_form(self) -> str:
        return self.request.id

    def write(self, form: str) -> Request:
        return self.store.withdraw(self.niss, form)

    @on(Button.Pressed, "#withdraw")
    def _withdraw(self) -> None:
        self.action_save()
