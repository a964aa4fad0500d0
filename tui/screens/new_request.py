"""« Nouvelle demande »: NISS, name, first name and employee type, then « Sauvegarder »."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Input, Label, Select, Static

from rules import (
    Entity,
    Link,
    Request,
    RuleViolation,
    check_connect_fields,
    clean_note,
    requestable_types,
    type_label,
)
from store import Store
from tui.i18n import N_, _, language, local
from tui.literal import literal
from tui.screens.form import FieldError, FormDialog, problem_texts
from tui.widgets.button_row import ButtonRow
from tui.widgets.footer import TranslatedFooter
from tui.widgets.niss_field import NissField


@dataclass(frozen=True, slots=True)
class PersonForm:
    """The person to connect, as typed."""

    niss: str
    last_name: str
    first_name: str
    employee_type: str
    until: str = ""
    note: str = ""


# The keys of a dialog that files a request (« Nouvelle demande », « Prolonger »).
FILING_BINDINGS: list[Binding | tuple[str, str] | tuple[str, str, str]] = [
    Binding("ctrl+s", "save", N_("Save"), id="save", tooltip=N_("File the request")),
    Binding(
        "escape",
        "cancel",
        N_("Back"),
        id="cancel",
        tooltip=N_("Back to the list without filing"),
    ),
]


class NewRequestScreen(FormDialog[PersonForm, Request]):
    """Files the connect request itself, so that a refusal leaves everything typed in place."""

    BINDINGS = list(FILING_BINDINGS)

    def __init__(self, store: Store, me: Link, entity: Entity) -> None:
        super().__init__()
        self.store, self.me, self.entity = store, me, entity

    def compose(self) -> ComposeResult:
        lang = language()
        types = [
            (type_label(code, lang), code)
            for code in requestable_types(self.me.employee_type, self.entity.kind)
        ]
        with Vertical(id="dialog", classes="dialog"):
            yield Static(literal(_("New request"), " · ", self.entity.name), classes="dialog-title")
            with Vertical(classes="form dense"):
                yield Label(_("National register number"), classes="field-label")
                yield NissField(id="niss")
                yield Label(_("Last name"), classes="field-label")
                with Vertical(classes="field"):
                    yield Input(id="last-name", max_length=100, compact=True)
                    yield FieldError("last_name")
                yield Label(_("First name"), classes="field-label")
                with Vertical(classes="field"):
                    yield Input(id="first-name", max_length=100, compact=True)
                    yield FieldError("first_name")
                yield Label(_("Employee type"), classes="field-label")
                with Vertical(classes="field"):
                    yield Select(types, prompt=_("Choose a type"), id="type", compact=True)
                    yield FieldError("employee_type")
                yield Label(_("Linked until"), classes="field-label")
                with Vertical(classes="field"):
                    yield Input(
                        id="until",
                        max_length=10,
                        compact=True,
                        placeholder=_("DD/MM/YYYY · required for a GP trainee"),
                    )
                    yield FieldError("until")
                yield Label(_("Note"), classes="field-label")
                with Vertical(classes="field"):
                    yield Input(
                        id="note",
                        max_length=500,
                        compact=True,
                        placeholder=_("for the administrators (optional)"),
                    )
                    yield FieldError("note")
            yield Static("", id="form-error", classes="error")
            with ButtonRow():
                yield Button(_("Save"), id="save", variant="primary", compact=True)
                yield Button(_("Back"), id="cancel", compact=True)
        yield TranslatedFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(NissField).focus()

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        self.focus_next()

    def read_form(self) -> PersonForm:
        kind = self.query_one("#type", Select).value
        return PersonForm(
            self.query_one(NissField).input.value,
            self.query_one("#last-name", Input).value,
            self.query_one("#first-name", Input).value,
            "" if kind == Select.NULL else str(kind),
            self.query_one("#until", Input).value,
            self.query_one("#note", Input).value,
        )

    def field_problems(self) -> dict[str, str]:
        form = self.read_form()
        problems = check_connect_fields(
            form.niss,
            form.last_name,
            form.first_name,
            form.employee_type,
            form.until,
            local(self.store.now()).date(),
        )
        try:
            clean_note(form.note)
        except RuleViolation as refusal:
            problems.append(("note", refusal))
        return problem_texts(problems)

    def write(self, form: PersonForm) -> Request:
        return self.store.file_connect(
            self.me.niss,
            self.entity.id,
            form.niss,
            form.last_name,
            form.first_name,
            form.employee_type,
            until=form.until,
            note=form.note,
        )
