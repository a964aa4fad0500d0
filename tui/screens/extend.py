"""« Prolonger »: a new end date for a linked person's link, filed for an admin to approve."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Input, Label, Static

from rules import Entity, Link, Request, mask_niss, type_label
from rules.dates import belgian_date
from rules.link_ends import clean_until
from rules.violation import RuleViolation
from store import Store
from tui.i18n import _, language, local
from tui.literal import literal
from tui.screens.form import FieldError, FormDialog
from tui.screens.new_request import FILING_BINDINGS
from tui.widgets.button_row import ButtonRow
from tui.widgets.footer import TranslatedFooter


class ExtendScreen(FormDialog[str, Request]):
    """One date, checked as typed against the rules' range; the store files the request."""

    BINDINGS = list(FILING_BINDINGS)

    def __init__(self, store: Store, me: Link, entity: Entity, link: Link) -> None:
        super().__init__()
        self.store, self.me, self.entity, self.link = store, me, entity, link

    def compose(self) -> ComposeResult:
        link, lang = self.link, language()
        assert link.until is not None
        with Vertical(id="dialog", classes="dialog"):
            yield Static(
                literal(_("Extension request"), " · ", self.entity.name), classes="dialog-title"
            )
            yield Static(
                literal(
                    _("{person} · {niss} ({type}) · linked until {date}.").format(
                        person=link.full_name,
                        niss=mask_niss(link.niss),
                        type=type_label(link.employee_type, lang),
                        date=belgian_date(link.until),
                    )
                ),
                classes="info",
            )
            with Vertical(classes="form"):
                yield Label(_("New end date"), classes="field-label")
                with Vertical(classes="field"):
                    yield Input(
                        id="until", max_length=10, compact=True, placeholder=_("DD/MM/YYYY")
                    )
                    yield FieldError("until")
            yield Static("", id="form-error", classes="error")
            with ButtonRow():
                yield Button(_("Save"), id="save", variant="primary", compact=True)
                yield Button(_("Back"), id="cancel", compact=True)
        yield TranslatedFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#until", Input).focus()

    @on(Input.Submitted, "#until")
    def _submitted(self) -> None:
        self.action_save()

    def read_form(self) -> str:
        return self.query_one("#until", Input).value

    def field_problems(self) -> dict[str, str]:
        typed, link = self.read_form(), self.link
        try:
            end = clean_until(typed or " ", local(self.store.now()).date(), link.employee_type)
            if end is not None and link.until is not None and end <= link.until:
                params = {
                    "person": link.full_name,
                    "entity": self.entity.name,
                    "until": belgian_date(link.until),
                }
                raise RuleViolation("extend_not_later", params)
        except RuleViolation as refusal:
            return {"until": refusal.message(language())}
        return {}

    def write(self, form: str) -> Request:
        return self.store.file_extend(self.me.niss, self.entity.id, self.link.niss, form)
