"""« Importer »: paste rows from a spreadsheet, read each row's verdict, file the ready ones.

Paste only: a staff console is reached over SSH by people who may not read the server's
files, and a refused row echoes what its cells held, so a path would let them read any file
the service can. Operators import files with `vaccinnet import`.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, Static, TextArea

from rules import Entity, Link, Request, RuleViolation
from rules.bulk import Row, Verdict, parse_rows
from store import Store
from tui.console import deliver
from tui.i18n import N_, _, language, ngettext
from tui.literal import literal
from tui.screens.base import ConsoleModal
from tui.widgets.button_row import ButtonRow
from tui.widgets.footer import TranslatedFooter
from tui.widgets.record_table import Column, RecordTable

VERDICTS = {
    "ready": N_("ready"),
    "refused": N_("refused"),
    "duplicate": N_("duplicate"),
    "linked": N_("already linked"),
    "pending": N_("already pending"),
}


class ImportScreen(ConsoleModal[list[Request] | None]):
    """Two steps on one screen: the paste, then the verdicts and « Introduire »."""

    BINDINGS = [
        Binding(
            "ctrl+s",
            "next",
            N_("Preview / file"),
            id="next",
            tooltip=N_("Check the pasted rows; then file the ready ones"),
        ),
        Binding("escape", "back", N_("Back"), id="back", tooltip=N_("Back, filing nothing")),
    ]

    busy = reactive(False, bindings=True)

    @dataclass
    class Judged(Message, bubble=False):
        rows: list[Row]
        verdicts: list[Verdict]

    @dataclass
    class Filed(Message, bubble=False):
        verdicts: list[Verdict]

    @dataclass
    class Refused(Message, bubble=False):
        refusal: RuleViolation

    def __init__(self, store: Store, me: Link, entity: Entity) -> None:
        super().__init__()
        self.store, self.me, self.entity = store, me, entity
        self.rows: list[Row] = []
        self.verdicts: list[Verdict] = []
        self.filed: list[Request] | None = None  # once filed: the result is on screen

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog import"):
            yield Static(literal(_("Import"), " · ", self.entity.name), classes="dialog-title")
            yield Static(
                literal(
                    _(
                        "Paste the rows of a spreadsheet (1,000 at most), with the columns "
                        "NISS, last name, first name, type and, if needed, linked until; then "
                        "ctrl+s."
                    )
                ),
                id="import-hint",
                classes="info",
            )
            yield TextArea(id="paste", soft_wrap=False, show_line_numbers=True)
            yield RecordTable(id="verdicts", classes="hidden")
            yield Static("", id="import-detail", classes="info")
            yield Static("", id="import-summary", classes="info")
            with ButtonRow():
                yield Button(_("Preview"), id="next", variant="primary", compact=True)
                yield Button(_("Back"), id="back", compact=True)
        yield TranslatedFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#verdicts", RecordTable).set_columns(
            [
                Column("line", _("Line"), 5, fit=True),
                Column("person", _("Person"), 24, flex=1, min_width=14),
                Column("verdict", _("Verdict"), 40, flex=2, min_width=12),
            ]
        )
        self.query_one("#paste", TextArea).focus()

    @property
    def previewing(self) -> bool:
        return not self.query_one("#verdicts", RecordTable).has_class("hidden")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next" and self.busy:
            return None
        return True

    # ----- step 1: the paste, judged --------------------------------------------------------

    @on(Button.Pressed, "#next")
    def action_next(self) -> None:
        if self.busy:
            return
        if self.filed is not None:
            self.dismiss(self.filed)
            return
        if self.previewing:
            self.file_ready()
            return
        self.busy = True
        self.judge(self.query_one("#paste", TextArea).text)

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def judge(self, text: str) -> None:
        try:
            rows = parse_rows(text)
            verdicts = self.store.preview_import(self.me.niss, self.entity.id, rows)
        except RuleViolation as refusal:
            deliver(self, self.Refused(refusal))
            return
        deliver(self, self.Judged(rows, verdicts))

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        self.busy = False
        summary = self.query_one("#import-summary", Static)
        summary.update(literal(message.refusal.message(language())))
        summary.set_classes("error")

    @on(Judged)
    def _judged(self, message: Judged) -> None:
        self.busy = False
        self.rows, self.verdicts = message.rows, message.verdicts
        self.show_verdicts(message.verdicts)

    def show_verdicts(self, verdicts: list[Verdict], filed: bool = False) -> None:
        lang = language()
        words = {**VERDICTS, "ready": N_("filed") if filed else N_("ready")}
        table = self.query_one("#verdicts", RecordTable)
        table.set_rows(
            [
                (
                    str(v.row.line),
                    (
                        str(v.row.line),
                        f"{v.row.last_name.upper()} {v.row.first_name}".strip(),
                        _(words[v.status])
                        + (f" {v.request.id}" if filed and v.request is not None else "")
                        + (f" · {v.message(lang)}" if v.refusal is not None else ""),
                    ),
                )
                # What needs the person's eye first: the rows that will not be filed.
                for v in sorted(verdicts, key=lambda v: v.status == "ready")
            ]
        )
        table.marked = {str(v.row.line) for v in verdicts if v.status != "ready"}
        self.query_one("#paste", TextArea).add_class("hidden")
        table.remove_class("hidden")
        table.focus()
        ready = sum(1 for v in verdicts if v.status == "ready")
        if filed:
            return
        text = _("{ready} of {count} rows ready.").format(ready=ready, count=len(verdicts))
        if not ready:
            text += " " + _("Fix the rows in your source and paste again (escape).")
        elif ready < len(verdicts):
            text += " " + _(
                "Fix the others in your source and paste again (escape), or file these."
            )
        summary = self.query_one("#import-summary", Static)
        summary.update(literal(text))
        summary.set_classes("info" if ready == len(verdicts) else "warning")
        button = self.query_one("#next", Button)
        button.label = ngettext("File {count} request", "File {count} requests", ready).format(
            count=ready
        )
        button.disabled = ready == 0

    @on(RecordTable.Highlighted, "#verdicts")
    def _highlighted(self, event: RecordTable.Highlighted) -> None:
        """The whole verdict of the row under the cursor: the table cuts a long message."""
        verdict = next((v for v in self.verdicts if str(v.row.line) == event.key), None)
        text = ""
        if verdict is not None and verdict.refusal is not None:
            text = _("Line {line}: {message}").format(
                line=verdict.row.line, message=verdict.message(language())
            )
        self.query_one("#import-detail", Static).update(literal(text))

    # ----- step 2: the ready rows filed -------------------------------------------------------

    def file_ready(self) -> None:
        lines = [v.row.line for v in self.verdicts if v.status == "ready"]
        if not lines:
            return
        self.busy = True
        self.file(lines)

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def file(self, lines: list[int]) -> None:
        try:
            verdicts = self.store.file_import(self.me.niss, self.entity.id, self.rows, lines)
        except RuleViolation as refusal:
            deliver(self, self.Refused(refusal))
            return
        deliver(self, self.Filed(verdicts))

    @on(Filed)
    def _filed(self, message: Filed) -> None:
        """The result stays on screen: what was filed, under which ids, and what was not."""
        self.busy = False
        requests = [v.request for v in message.verdicts if v.request is not None]
        self.filed = requests
        self.show_verdicts(message.verdicts, filed=True)
        ids = f"{requests[0].id}–{requests[-1].id}" if len(requests) > 1 else requests[0].id
        text = ngettext(
            "{count} request filed ({ids}); an administrator must approve it.",
            "{count} requests filed ({ids}); an administrator must approve them.",
            len(requests),
        ).format(count=len(requests), ids=ids)
        left = len(message.verdicts) - len(requests)
        if left:
            text += " " + ngettext(
                "{count} row not filed (listed first).",
                "{count} rows not filed (listed first).",
                left,
            ).format(count=left)
        summary = self.query_one("#import-summary", Static)
        summary.update(literal(text))
        summary.set_classes("ok")
        self.query_one("#next", Button).label = _("Close")
        self.query_one("#back", Button).display = False

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        if self.filed is not None:
            self.dismiss(self.filed)
            return
        if self.previewing:
            # Back to the paste, kept as it was, to fix it and look again.
            self.query_one("#verdicts", RecordTable).add_class("hidden")
            paste = self.query_one("#paste", TextArea)
            paste.remove_class("hidden")
            paste.focus()
            self.query_one("#next", Button).label = _("Preview")
            self.query_one("#next", Button).disabled = False
            self.query_one("#import-summary", Static).update("")
            self.query_one("#import-detail", Static).update("")
            return
        self.dismiss(None)

    def work_failed(self, group: str, error: BaseException | None) -> None:
        self.busy = False
