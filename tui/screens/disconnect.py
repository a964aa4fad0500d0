"""« Demande de déconnexion »: check the selected people, read the warnings, then « Accord »."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, Static

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
from store import Store, StoreError
from tui.console import deliver
from tui.i18n import N_, _, fmt_date, language
from tui.literal import literal
from tui.screens.form import FormDialog
from tui.widgets.button_row import ButtonRow
from tui.widgets.footer import TranslatedFooter


class DisconnectScreen(FormDialog[list[str], list[Request]]):
    """Shows what the rules say before « Accord »: a refusal, or the warnings to read first.

    The focus policy of the consoles: a dialog whose choice destroys data at once (an admin's
    deletion, withdrawing a request) focuses « Retour ». « Accord » here only files requests
    that an administrator still has to approve, and that the filer can withdraw, so once the
    rules allow it, « Accord » has the focus as in the manual; while they refuse, « Retour ».
    """

    SAVE_BUTTON = "#agree"
    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            N_("Back"),
            id="cancel",
            tooltip=N_("Back to the list without filing"),
        ),
    ]

    # « Accord » waits for the rules' answer, and stays off when they refuse.
    allowed = reactive(False, bindings=True)

    @dataclass
    class Previewed(Message, bubble=False):
        refusal: RuleViolation | None
        notices: list[Notice]

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
                            f"• {link.full_name} · {mask_niss(link.niss)}"
                            f" · {type_label(link.employee_type, lang)} · ",
                            _("since {date}").format(date=fmt_date(link.since)),
                        ),
                        classes="person",
                    )
            yield Static(literal(_("Checking the rules…")), id="preview", classes="info")
            with ButtonRow():
                yield Button(_("Agree (unavailable)"), id="agree", variant="primary", disabled=True)
                yield Button(_("Back"), id="cancel")
        yield TranslatedFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.preview()

    @work(thread=True, exclusive=True, group="preview", exit_on_error=False)
    def preview(self) -> None:
        nisses = [link.niss for link in self.people]
        with self.store.reading():  # the preview and the warnings see the same moment
            refusal = self.store.preview_disconnect(self.me.niss, self.entity.id, nisses)
            state = self.store.entity_state(self.entity.id)
        notices = disconnect_notices(state, nisses) if state else []
        deliver(self, self.Previewed(refusal, notices))

    @on(Previewed)
    def _previewed(self, message: Previewed) -> None:
        if message.refusal is not None:
            self.show_problem(message.refusal.message(language()))
            self.query_one("#cancel", Button).focus()
            return
        lines = [_("The rules allow this request.")]
        lines += ["⚠ " + notice.message(language()) for notice in message.notices]
        box = self.query_one("#preview", Static)
        box.update(literal("\n".join(lines)))
        box.set_classes("warning" if message.notices else "ok")
        self.allowed = True
        self.query_one("#agree", Button).focus()

    def work_failed(self, group: str, error: BaseException | None) -> None:
        super().work_failed(group, error)
        if group == "preview":
            # « Accord » stays off: nothing is filed that the rules were not asked about.
            if isinstance(error, StoreError):
                text = _(
                    "The rules cannot be checked for now; they are checked again as soon as "
                    "the data can be reached."
                )
            else:
                text = _("The rules could not be checked: go back, then try again.")
            self.show_problem(text)
            self.query_one("#cancel", Button).focus()

    def read_again(self, group: str) -> None:
        if group == "preview":
            box = self.query_one("#preview", Static)
            box.update(literal(_("Checking the rules…")))
            box.set_classes("info")
            self.preview()

    def can_save(self) -> bool:
        return self.allowed and not self.saving

    def watch_allowed(self) -> None:
        self.refresh_save()

    def refresh_save(self) -> None:
        super().refresh_save()
        # Not only a dimmer colour: under NO_COLOR the label says it is off.
        button = self.query_one("#agree", Button)
        button.label = _("Agree (unavailable)") if button.disabled else _("Agree")

    def show_problem(self, text: str) -> None:
        if text:
            box = self.query_one("#preview", Static)
            box.update(literal(text))
            box.set_classes("error")

    def read_form(self) -> list[str]:
        return [link.niss for link in self.people]

    def write(self, form: list[str]) -> list[Request]:
        return self.store.file_disconnect(self.me.niss, self.entity.id, form)

    @on(Button.Pressed, "#agree")
    def _agree(self) -> None:
        self.action_save()


class LeaveScreen(DisconnectScreen):
    """A person asks to leave an entity themselves: the same check and « Accord »."""

    def __init__(self, store: Store, me: Link, entity: Entity) -> None:
        super().__init__(store, me, entity, [me])

    def compose(self) -> ComposeResult:
        lang, link = language(), self.me
        with Vertical(id="dialog", classes="dialog"):
            yield Static(
                literal(_("Leave the entity"), " · ", self.entity.name), classes="dialog-title"
            )
            yield Static(
                literal(
                    _(
                        "You ask to be disconnected from {entity} ({type}, since {date}). "
                        "An administrator approves it; until then you stay linked."
                    ).format(
                        entity=self.entity.name,
                        type=type_label(link.employee_type, lang),
                        date=fmt_date(link.since),
                    )
                ),
                classes="info",
            )
            yield Static(literal(_("Checking the rules…")), id="preview", classes="info")
            with ButtonRow():
                yield Button(_("Agree (unavailable)"), id="agree", variant="primary", disabled=True)
                yield Button(_("Back"), id="cancel")
        yield TranslatedFooter(compact=True, show_command_palette=False)

    @work(thread=True, exclusive=True, group="preview", exit_on_error=False)
    def preview(self) -> None:
        refusal = self.store.preview_leave(self.me.niss, self.entity.id)
        deliver(self, self.Previewed(refusal, []))

    def write(self, form: list[str]) -> list[Request]:
        return [self.store.file_leave(self.me.niss, self.entity.id)]
