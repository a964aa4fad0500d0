"""« Nouvelle demande »: NISS, name, first name and employee type, then « Sauvegarder »."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static
from textual.worker import Worker, WorkerState

from rules import Entity, Link, Request, RuleViolation, requestable_types, type_label
from store import Store
from tui.console import console
from tui.i18n import N_, _, language
from tui.literal import literal
from tui.widgets.footer import TranslatedFooter
from tui.widgets.niss_field import NissField


class NewRequestScreen(ModalScreen[Request | None]):
    """Files the connect request itself, so that a refusal leaves everything typed in place."""

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), id="save", tooltip=N_("File the request")),
        Binding(
            "escape",
            "cancel",
            N_("Back"),
            id="cancel",
            tooltip=N_("Back to the list without filing"),
        ),
    ]

    # While the request is being filed, ctrl+s waits as the button does: a second filing
    # would only be refused, and its refusal would hide the first one's success.
    saving = reactive(False, bindings=True)

    def __init__(self, store: Store, me: Link, entity: Entity) -> None:
        super().__init__()
        self.store, self.me, self.entity = store, me, entity

    def compose(self) -> ComposeResult:
        lang = language()
        types = [
            (type_label(code, lang), code) for code in requestable_types(self.me.employee_type)
        ]
        with Vertical(id="dialog", classes="dialog"):
            yield Static(literal(_("New request"), " · ", self.entity.name), classes="dialog-title")
            with Vertical(classes="form"):
                yield Label(_("National register number"), classes="field-label")
                yield NissField(id="niss")
                yield Label(_("Last name"), classes="field-label")
                yield Input(id="last-name", max_length=100)
                yield Label(_("First name"), classes="field-label")
                yield Input(id="first-name", max_length=100)
                yield Label(_("Employee type"), classes="field-label")
                yield Select(types, prompt=_("Choose a type"), id="type")
            yield Static("", id="form-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button(_("Save"), id="save", variant="primary")
                yield Button(_("Back"), id="cancel")
        yield TranslatedFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(NissField).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "save" and self.saving else True

    def watch_saving(self, saving: bool) -> None:
        self.query_one("#save", Button).disabled = saving

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        self.focus_next()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if self.saving:
            return
        niss_field = self.query_one(NissField)
        niss_field.check(final=True)
        kind = self.query_one("#type", Select).value
        error = self.query_one("#form-error", Static)
        if kind == Select.NULL:
            error.update(literal(_("Choose the employee type.")))
            return
        error.update("")
        self.saving = True
        self.file(
            niss_field.input.value,
            self.query_one("#last-name", Input).value,
            self.query_one("#first-name", Input).value,
            str(kind),
        )

    # Never exclusive: a newer call would cancel this one and drop its result, yet it commits.
    @work(thread=True, group="save", exit_on_error=False)
    def file(self, niss: str, last_name: str, first_name: str, kind: str) -> Request:
        return self.store.file_connect(
            self.me.niss, self.entity.id, niss, last_name, first_name, kind
        )

    @on(Worker.StateChanged)
    def _saved(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "save" or not event.worker.is_finished:
            return
        self.saving = False
        if event.state == WorkerState.SUCCESS:
            self.dismiss(event.worker.result)
        elif event.state == WorkerState.ERROR:
            problem = event.worker.error
            if isinstance(problem, RuleViolation):
                self.query_one("#form-error", Static).update(literal(problem.message(language())))
            else:
                console(self).show_error(problem)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
