"""« Demande de déconnexion »: check the selected people, read the warnings, then « Accord »."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static
from textual.worker import Worker, WorkerState

from rules import (
    Entity,
    Link,
    Notice,
    Request,
    RuleViolation,
    disconnect_notices,
    mask_niss,
    type_label,
)
from store import Store
from tui.console import console
from tui.i18n import N_, _, fmt_date, language
from tui.literal import literal
from tui.widgets.footer import TranslatedFooter


class DisconnectScreen(ModalScreen[list[Request] | None]):
    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            N_("Back"),
            id="cancel",
            tooltip=N_("Back to the list without filing"),
        ),
    ]

    def __init__(self, store: Store, me: Link, entity: Entity, people: list[Link]) -> None:
        super().__init__()
        self.store, self.me, self.entity, self.people = store, me, entity, people

    def compose(self) -> ComposeResult:
        lang = language()
        with Vertical(id="dialog", classes="dialog"):
            yield Static(
                literal(_("Disconnection request"), " · ", self.entity.name), classes="dialog-title"
            )
            yield Static(literal(_("Check the people you want to disconnect:")), classes="info")
            with VerticalScroll(id="people"):
                for link in self.people:
                    yield Static(
                        literal(
                            f"• {link.first_name} {link.last_name.upper()} · {mask_niss(link.niss)}"
                            f" · {type_label(link.employee_type, lang)} · ",
                            _("since {date}").format(date=fmt_date(link.since)),
                        ),
                        classes="person",
                    )
            yield Static(literal(_("Checking the rules…")), id="preview", classes="info")
            with Horizontal(classes="buttons"):
                yield Button(_("Agree"), id="agree", variant="primary", disabled=True)
                yield Button(_("Back"), id="cancel")
        yield TranslatedFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.preview()

    @work(thread=True, exclusive=True, group="preview", exit_on_error=False)
    def preview(self) -> tuple[RuleViolation | None, list[Notice]]:
        nisses = [link.niss for link in self.people]
        with self.store.reading():  # the preview and the warnings see the same moment
            refusal = self.store.preview_disconnect(self.me.niss, self.entity.id, nisses)
            state = self.store.entity_state(self.entity.id)
        return refusal, disconnect_notices(state, nisses) if state else []

    # Never exclusive: a newer call would cancel this one and drop its result, yet it commits.
    @work(thread=True, group="save", exit_on_error=False)
    def file(self) -> list[Request]:
        nisses = [link.niss for link in self.people]
        return self.store.file_disconnect(self.me.niss, self.entity.id, nisses)

    @on(Worker.StateChanged)
    def _done(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if not worker.is_finished:
            return
        box = self.query_one("#preview", Static)
        agree = self.query_one("#agree", Button)
        if event.state == WorkerState.ERROR:
            agree.disabled = False
            if isinstance(worker.error, RuleViolation):
                box.update(literal(worker.error.message(language())))
                box.set_classes("error")
            else:
                console(self).show_error(worker.error)
            return
        if event.state != WorkerState.SUCCESS:
            return
        if worker.group == "save":
            self.dismiss(worker.result)
            return
        refusal, notices = worker.result
        if refusal is not None:
            box.update(literal(refusal.message(language())))
            box.set_classes("error")
            agree.disabled = True
            self.query_one("#cancel", Button).focus()
            return
        lines = [_("The rules allow this request.")]
        lines += ["⚠ " + notice.message(language()) for notice in notices]
        box.update(literal("\n".join(lines)))
        box.set_classes("warning" if notices else "ok")
        agree.disabled = False
        agree.focus()

    @on(Button.Pressed, "#agree")
    def _agree(self) -> None:
        self.query_one("#agree", Button).disabled = True
        self.file()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
