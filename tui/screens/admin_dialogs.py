"""The administrators' dialogs: a rejection reason, a confirmation, a bulk decision."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, ProgressBar, Static

from rules import RuleViolation, clean_reason
from store import Store
from tui.i18n import N_, _, language
from tui.literal import literal
from tui.widgets.footer import TranslatedFooter
from tui.widgets.record_table import Column, RecordTable


class ReasonScreen(ModalScreen[str | None]):
    """The reason a rejection must carry; it is sent to the entity in its e-mail."""

    BINDINGS = [
        Binding("escape", "cancel", N_("Back"), id="cancel", tooltip=N_("Do not reject")),
    ]

    def __init__(self, request_ids: list[str]) -> None:
        super().__init__()
        self.request_ids = request_ids

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                literal(
                    _("Reject {ids}").format(
                        ids=", ".join(self.request_ids[:5])
                        + ("…" if len(self.request_ids) > 5 else "")
                    )
                ),
                classes="dialog-title",
            )
            yield Static(literal(_("Reason (sent to the entity in its e-mail):")), classes="info")
            yield Input(id="reason", max_length=500)
            yield Static("", id="reason-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button(_("Reject"), id="reject", variant="error")
                yield Button(_("Back"), id="cancel")
        yield TranslatedFooter(compact=True, show_command_palette=False)

    @on(Input.Submitted, "#reason")
    @on(Button.Pressed, "#reject")
    def _reject(self) -> None:
        try:
            reason = clean_reason(
                self.query_one("#reason", Input).value, ", ".join(self.request_ids)
            )
        except RuleViolation as refusal:
            self.query_one("#reason-error", Static).update(literal(refusal.message(language())))
            return
        self.dismiss(reason)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [Binding("escape", "cancel", N_("Back"), id="cancel", tooltip=N_("Do nothing"))]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self.question), classes="info")
            with Horizontal(classes="buttons"):
                yield Button(_("Agree"), id="yes", variant="error")
                yield Button(_("Back"), id="cancel")
        yield TranslatedFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)


class BulkScreen(ModalScreen[None]):
    """Decide several requests, each in its own transaction: one refusal stops nothing."""

    BINDINGS = [
        Binding("escape", "close", N_("Close"), id="close", tooltip=N_("Back to the queue"))
    ]

    def __init__(
        self, store: Store, admin_id: str, verb: str, request_ids: list[str], reason: str | None
    ) -> None:
        super().__init__()
        self.store, self.admin_id, self.verb = store, admin_id, verb
        self.request_ids, self.reason = request_ids, reason
        self.results: dict[str, tuple[bool, str]] = {}

    def compose(self) -> ComposeResult:
        title = (
            _("Approving {count} requests")
            if self.verb == "approve"
            else _("Rejecting {count} requests")
        )
        with Vertical(classes="dialog bulk"):
            yield Static(literal(title.format(count=len(self.request_ids))), classes="dialog-title")
            yield ProgressBar(total=len(self.request_ids), id="progress")
            yield Static("", id="bulk-summary", classes="info")
            yield RecordTable(id="results")
            with Horizontal(classes="buttons"):
                yield Button(_("Close"), id="close", disabled=True)
        yield TranslatedFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#results", RecordTable).set_columns(
            [Column("id", _("Request"), 8), Column("result", _("Result"), 62)]
        )
        self.run_all()

    @work(thread=True, group="bulk", exit_on_error=False)
    def run_all(self) -> None:
        lang = language()
        for request_id in self.request_ids:
            try:
                if self.verb == "approve":
                    done = self.store.approve(self.admin_id, request_id)
                else:
                    done = self.store.reject(self.admin_id, request_id, self.reason or "")
            except RuleViolation as refusal:
                outcome = (False, refusal.message(lang))
            else:
                outcome = (True, _("done: {person}").format(person=done.full_name))
            self.app.call_from_thread(self.record, request_id, outcome)

    def record(self, request_id: str, outcome: tuple[bool, str]) -> None:
        self.results[request_id] = outcome
        self.query_one("#progress", ProgressBar).advance(1)
        done = sum(1 for ok, _text in self.results.values() if ok)
        refused = len(self.results) - done
        self.query_one("#bulk-summary", Static).update(
            literal(
                _("{done} done, {refused} refused, {left} to go").format(
                    done=done, refused=refused, left=len(self.request_ids) - len(self.results)
                )
            )
        )
        self.query_one("#results", RecordTable).set_rows(
            [
                (rid, (rid, ("✓ " if ok else "✗ ") + text))
                for rid, (ok, text) in self.results.items()
            ]
        )
        if len(self.results) == len(self.request_ids):
            close = self.query_one("#close", Button)
            close.disabled = False
            close.focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        if len(self.results) == len(self.request_ids):
            self.dismiss(None)
