"""Opening the yearly staff review from the admin console: a due date, every entity or a kind."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Input, Label, Select, Static

from rules import ENTITY_KINDS, kind_label
from rules.recertification import Campaign, clean_review_due
from rules.violation import RuleViolation
from store import Store
from tui.i18n import N_, _, language, local
from tui.literal import literal
from tui.screens.form import FieldError, FormDialog
from tui.widgets.button_row import ButtonRow
from tui.widgets.footer import TranslatedFooter

EVERY = "*"


@dataclass(frozen=True, slots=True)
class ReviewForm:
    due: str
    kind: str  # EVERY, or one entity kind


class OpenReviewScreen(FormDialog[ReviewForm, Campaign]):
    """The managers of the entities it covers then see a banner in Mes employés."""

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), id="save", tooltip=N_("Open the review")),
        Binding("escape", "cancel", N_("Back"), id="cancel", tooltip=N_("Do not open it")),
    ]

    def __init__(self, store: Store, admin_id: str) -> None:
        super().__init__()
        self.store, self.admin_id = store, admin_id

    def compose(self) -> ComposeResult:
        lang = language()
        kinds = [(_("every entity"), EVERY)] + [
            (kind_label(code, lang), code) for code in ENTITY_KINDS
        ]
        with Vertical(classes="dialog"):
            yield Static(literal(_("Open the yearly staff review")), classes="dialog-title")
            yield Static(
                literal(
                    _(
                        "Each entity's doctors and pharmacists confirm who still works there; "
                        "they are reminded 7 days before the due date and on it. Nothing is "
                        "removed when it runs late."
                    )
                ),
                classes="info",
            )
            with Vertical(classes="form"):
                yield Label(_("Due date"), classes="field-label")
                with Vertical(classes="field"):
                    yield Input(id="due", max_length=10, compact=True, placeholder=_("DD/MM/YYYY"))
                    yield FieldError("due")
                yield Label(_("Entities"), classes="field-label")
                with Vertical(classes="field"):
                    yield Select(kinds, id="kind", value=EVERY, allow_blank=False, compact=True)
            yield Static("", id="form-error", classes="error")
            with ButtonRow():
                yield Button(_("Open the review"), id="save", variant="primary", compact=True)
                yield Button(_("Back"), id="cancel", compact=True)
        yield TranslatedFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#due", Input).focus()

    @on(Input.Submitted, "#due")
    def _next(self) -> None:
        self.focus_next()

    def read_form(self) -> ReviewForm:
        kind = self.query_one("#kind", Select).value
        return ReviewForm(self.query_one("#due", Input).value, str(kind))

    def field_problems(self) -> dict[str, str]:
        try:
            clean_review_due(self.read_form().due, local(self.store.now()).date())
        except RuleViolation as refusal:
            return {"due": refusal.message(language())}
        return {}

    def write(self, form: ReviewForm) -> Campaign:
        kinds = [] if form.kind == EVERY else [form.kind]
        return self.store.open_review(self.admin_id, form.due, kinds)
