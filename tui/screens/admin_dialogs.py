"""The administrators' dialogs: a rejection reason, warnings to confirm, a bulk run, a reader."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, ProgressBar, Static

from rules import RuleViolation, clean_note, clean_reason
from store import Store
from tui.console import deliver
from tui.i18n import N_, _, language, ngettext
from tui.literal import literal
from tui.screens.base import ConsoleModal
from tui.screens.confirm import ConfirmScreen
from tui.widgets.button_row import ButtonRow
from tui.widgets.footer import TranslatedFooter
from tui.widgets.record_table import Column, RecordTable


class ReasonScreen(ModalScreen[str | None]):
    """The reason a rejection must carry; it is sent to the entity in its e-mail.

    The requests are listed by name and kind: the review beneath the dialog is the cursor's
    row, which in a bulk rejection may not even be one of them.
    """

    BINDINGS = [
        Binding("escape", "cancel", N_("Back"), id="cancel", tooltip=N_("Do not reject")),
    ]

    def __init__(self, request_ids: list[str], described: list[str]) -> None:
        super().__init__()
        self.request_ids, self.described = request_ids, described

    def compose(self) -> ComposeResult:
        count = len(self.request_ids)
        with Vertical(classes="dialog"):
            yield Static(
                literal(
                    ngettext(
                        "Reject this request:", "Reject these {count} requests:", count
                    ).format(count=count)
                ),
                classes="dialog-title",
            )
            with VerticalScroll(classes="listed", can_focus=False):
                yield Static(literal("\n".join(self.described)), id="rejected")
            yield Static(literal(_("Reason (sent to the entity in its e-mail):")), classes="info")
            yield Input(id="reason", max_length=500)
            yield Static("", id="reason-error", classes="error")
            with ButtonRow():
                yield Button(_("Back"), id="cancel")
                yield Button(_("Reject"), id="reject", variant="error")
        yield TranslatedFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

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

    @on(Input.Changed, "#reason")
    def _reason_changed(self, event: Input.Changed) -> None:
        # The error goes as soon as the reason would pass, as a staff form's field does.
        try:
            clean_reason(event.value, ", ".join(self.request_ids))
        except RuleViolation:
            return
        self.query_one("#reason-error", Static).update("")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class NoteScreen(ModalScreen[str | None]):
    """The note an approval may carry to the entity (optional): "" for none, None to go back.

    The warnings, if any, are confirmed after it, as for « a »."""

    BINDINGS = [
        Binding("escape", "cancel", N_("Back"), id="cancel", tooltip=N_("Do not approve")),
    ]

    def __init__(self, described: list[str]) -> None:
        super().__init__()
        self.described = described

    def compose(self) -> ComposeResult:
        count = len(self.described)
        with Vertical(classes="dialog"):
            yield Static(
                literal(
                    ngettext(
                        "Approve this request with a note:",
                        "Approve these {count} requests with a note:",
                        count,
                    ).format(count=count)
                ),
                classes="dialog-title",
            )
            with VerticalScroll(classes="listed", can_focus=False):
                yield Static(literal("\n".join(self.described)), id="approved")
            yield Static(
                literal(_("Note (sent to the entity in its e-mail, optional):")), classes="info"
            )
            yield Input(id="note", max_length=500)
            yield Static("", id="note-error", classes="error")
            with ButtonRow():
                yield Button(_("Back"), id="cancel")
                yield Button(_("Approve"), id="approve", variant="primary")
        yield TranslatedFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#note", Input).focus()

    @on(Input.Submitted, "#note")
    @on(Button.Pressed, "#approve")
    def _approve(self) -> None:
        try:
            note = clean_note(self.query_one("#note", Input).value)
        except RuleViolation as refusal:
            self.query_one("#note-error", Static).update(literal(refusal.message(language())))
            return
        self.dismiss(note or "")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class WarningsScreen(ConfirmScreen):
    """Approval of warned requests: each one with its warnings, all in one confirmation."""

    def __init__(self, warned: list[tuple[str, list[str]]], total: int) -> None:
        super().__init__("")
        self.warned, self.total = warned, total

    def compose_question(self) -> ComposeResult:
        count = len(self.warned)
        yield Static(
            literal(
                ngettext(
                    "Approve despite this warning?",
                    "Approve despite these warnings?",
                    sum(len(notices) for _head, notices in self.warned),
                )
            ),
            classes="dialog-title",
        )
        lines: list[str] = []
        for head, notices in self.warned:
            lines.append(head)
            lines += [f"  ⚠ {text}" for text in notices]
        if self.total > count:
            lines.append(
                ngettext(
                    "and {count} request without warnings.",
                    "and {count} requests without warnings.",
                    self.total - count,
                ).format(count=self.total - count)
            )
        with VerticalScroll(classes="listed warnings"):
            yield Static(literal("\n".join(lines)), id="warnings")

    def agree_label(self) -> str:
        return ngettext("Approve it", "Approve all {count}", self.total).format(count=self.total)


class ReadScreen(ModalScreen[None]):
    """A text too long for its pane, whole and wrapped; it scrolls when it is longer still."""

    BINDINGS = [
        Binding("escape", "close", N_("Close"), id="close", tooltip=N_("Back to the list")),
        Binding("enter", "close", show=False),
    ]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text, self.text = title, text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self.title_text), classes="dialog-title")
            with VerticalScroll(classes="reading"):
                yield Static(literal(self.text), id="reading")
        yield TranslatedFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(".reading", VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)


class BulkScreen(ConsoleModal[None]):
    """Decide several requests, each in its own transaction: one refusal stops nothing."""

    BINDINGS = [
        Binding("escape", "close", N_("Close"), id="close", tooltip=N_("Back to the queue"))
    ]

    @dataclass
    class Outcome(Message, bubble=False):
        """One request decided (``ok``) or refused; ``text`` says which, for the person."""

        request_id: str
        ok: bool
        text: str

    def __init__(
        self, store: Store, admin_id: str, verb: str, request_ids: list[str], reason: str | None
    ) -> None:
        super().__init__()
        self.store, self.admin_id, self.verb = store, admin_id, verb
        self.request_ids, self.reason = request_ids, reason
        self.results: dict[str, tuple[bool, str]] = {}
        # The run stopped on an unexpected failure (the store unusable): the rest is not tried.
        self.stopped = False

    def compose(self) -> ComposeResult:
        title = (
            _("Approving {count} requests")
            if self.verb == "approve"
            else _("Rejecting {count} requests")
        )
        with Vertical(classes="dialog bulk"):
            yield Static(literal(title.format(count=len(self.request_ids))), classes="dialog-title")
            yield ProgressBar(total=len(self.request_ids), show_eta=False, id="progress")
            yield Static("", id="bulk-summary", classes="info")
            yield RecordTable(id="results")
            with ButtonRow():
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
                    done = self.store.approve(self.admin_id, request_id, self.reason)
                else:
                    done = self.store.reject(self.admin_id, request_id, self.reason or "")
            except RuleViolation as refusal:
                deliver(self, self.Outcome(request_id, False, refusal.message(lang)))
            else:
                text = _("done: {person}").format(person=done.full_name)
                deliver(self, self.Outcome(request_id, True, text))

    @on(Outcome)
    def _outcome(self, message: Outcome) -> None:
        self.results[message.request_id] = (message.ok, message.text)
        self.query_one("#progress", ProgressBar).advance(1)
        self.query_one("#results", RecordTable).set_rows(
            [
                (rid, (rid, ("✓ " if ok else "✗ ") + text))
                for rid, (ok, text) in self.results.items()
            ]
        )
        self.show_progress()

    def work_failed(self, group: str, error: BaseException | None) -> None:
        self.stopped = True  # the error itself was shown; what was done stays listed
        self.show_progress()

    @property
    def finished(self) -> bool:
        return self.stopped or len(self.results) == len(self.request_ids)

    def show_progress(self) -> None:
        done = sum(1 for ok, _text in self.results.values() if ok)
        refused = len(self.results) - done
        left = len(self.request_ids) - len(self.results)
        summary = (
            _("Stopped: {done} done, {refused} refused, {left} not tried")
            if self.stopped
            else _("{done} done, {refused} refused, {left} to go")
        )
        self.query_one("#bulk-summary", Static).update(
            literal(summary.format(done=done, refused=refused, left=left))
        )
        if self.finished:
            close = self.query_one("#close", Button)
            close.disabled = False
            close.focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        if self.finished:
            self.dismiss(None)
