"""Entities: search them, create one with its first manager, change its e-mail or language."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Button, Input, Label, Select, Static

from rules import (
    ENTITY_KINDS,
    MANAGER_TYPES,
    Entity,
    NewEntity,
    check_entity_change_fields,
    check_entity_fields,
    kind_label,
    printable,
    type_label,
)
from rules.dates import belgian_date
from rules.recertification import Campaign, Progress, is_overdue_review, is_past_due
from rules.text import fold
from store import EntitySummary, Store
from tui.console import deliver
from tui.i18n import N_, _, language, local
from tui.literal import literal
from tui.screens.admin_base import AdminListScreen, Listed
from tui.screens.form import FieldError, FormDialog, FormT, problem_texts
from tui.widgets.button_row import ButtonRow
from tui.widgets.footer import TranslatedFooter
from tui.widgets.niss_field import NissField
from tui.widgets.record_table import Column
from tui.wording import REVIEW_STATES


class EntitiesScreen(AdminListScreen):
    SECTION = "entities"
    TABLES = ("entities", "links", "requests")
    TITLE_TEXT = N_("Entities")
    BINDINGS = [
        Binding(
            "n",
            "new_entity",
            N_("New entity"),
            id="new-entity",
            tooltip=N_("Create an entity with its first doctor or pharmacist"),
        ),
        Binding(
            "m",
            "edit_entity",
            N_("Change"),
            id="edit-entity",
            tooltip=N_("Change the entity's e-mail address or language"),
        ),
        Binding(
            "y",
            "yearly_review",
            N_("Yearly review"),
            id="yearly-review",
            tooltip=N_("Open the yearly staff review, or close the open one"),
        ),
    ]

    @dataclass
    class ReviewLeft(Message, bubble=False):
        """Who the open yearly review has not confirmed yet at one entity."""

        entity_id: str
        names: list[str]

    def __init__(self, store: Store, admin_id: str, admin_name: str | None = None) -> None:
        super().__init__(store, admin_id, admin_name)
        self._searched: dict[str, tuple[Entity, str]] = {}
        self.campaign: Campaign | None = None

    def fetch(self) -> list[EntitySummary]:
        # One pass over the store, not one staff read per entity.
        self.campaign = self.store.campaign()
        return self.store.entity_summaries()

    def columns(self) -> list[Column]:
        return [
            Column("id", _("Id"), 16, fit=True),
            Column("name", _("Name"), 40, flex=2, min_width=12),
            Column("lang", _("Lang."), 5, fit=True),
            Column("staff", _("People"), 6, fit=True),
            Column("review", _("Review"), 9, fit=True),
            Column("email", _("E-mail"), 30, flex=1),
        ]

    def all_rows(self) -> list[Listed]:
        rows: list[Listed] = []
        # What the filter searches changes only with the entity: the store hands the same
        # record back while its document is unchanged (12,000 texts folded once, not after
        # every commit).
        searched: dict[str, tuple[Entity, str]] = {}
        for item in self.data or []:
            e = item.entity
            known = self._searched.get(e.id)
            hay = known[1] if known is not None and known[0] is e else None
            if hay is None:
                hay = fold(" ".join((e.id, e.name, e.email, e.kind)))
            searched[e.id] = (e, hay)
            cells = (e.id, e.name, e.language, str(item.staff), self.review_cell(item), e.email)
            rows.append(((e.id, cells), hay))
        self._searched = searched
        return rows

    def review_late(self) -> bool:
        return is_past_due(self.campaign, local(self.store.now()).date())

    def progress(self, item: EntitySummary) -> Progress | None:
        """The entity's answer to the open review; None when none covers it."""
        if item.reviewed is None:
            return None
        return Progress(item.staff, min(item.reviewed, item.staff))

    def review_cell(self, item: EntitySummary) -> str:
        """« 3/8 », « ✓ 8/8 » once done, « ! 3/8 » past the due date; empty when no open
        review covers the entity."""
        done = self.progress(item)
        if done is None:
            return ""
        today = local(self.store.now()).date()
        late = is_overdue_review(self.campaign, today, done)
        mark = "✓ " if done.state == "done" else "! " if late else ""
        return f"{mark}{done.done}/{done.total}"

    def refresh_summary(self) -> None:
        text = _("{count} entities. n creates one, m changes the one under the cursor.").format(
            count=len(self.data or [])
        )
        campaign = self.campaign
        if campaign is not None and campaign.is_open:
            states = [p.state for i in self.data or [] if (p := self.progress(i)) is not None]
            text += " " + _(
                "Yearly review, due {due}{late}: done {done}, partly done {partial}, not "
                "started {none}; y closes it."
            ).format(
                due=belgian_date(campaign.due),
                late=_(" (overdue)") if self.review_late() else "",
                done=states.count("done"),
                partial=states.count("partial"),
                none=states.count("not_started"),
            )
        self.query_one("#summary", Static).update(literal(text))

    def show_detail(self, key: str | None) -> None:
        item = next((i for i in self.data or [] if i.entity.id == key), None)
        text = self.detail_text(item) if item is not None else ""
        done = self.progress(item) if item is not None else None
        if item is not None and done is not None and done.state != "done":
            self.fetch_review_left(item.entity.id)
        self.query_one("#detail", Static).update(literal(text))

    def detail_text(self, item: EntitySummary, not_yet: str = "") -> str:
        """The entity, and its answer to the open review (``not_yet``: who is left)."""
        e = item.entity
        text = f"{e.name} ({e.id}) · {kind_label(e.kind, language())} · {e.email} · {e.language}"
        done, campaign = self.progress(item), self.campaign
        if done is None or campaign is None:
            return text
        text += "\n" + _("Yearly review (due {due}): {state}, {done} of {total} confirmed.").format(
            due=belgian_date(campaign.due),
            state=_(REVIEW_STATES[done.state]),
            done=done.done,
            total=done.total,
        )
        if is_overdue_review(campaign, local(self.store.now()).date(), done):
            text += " " + _("Past the due date: nothing is removed; remind the entity.")
        if not_yet:
            text += " " + _("Not yet confirmed: {names}.").format(names=not_yet)
        return text

    def read_again(self, group: str) -> None:
        if group == "review-left":
            self.show_detail(self.table.cursor_key)

    @work(thread=True, exclusive=True, group="review-left", exit_on_error=False)
    def fetch_review_left(self, entity_id: str) -> None:
        review = self.store.review_of(entity_id)
        names = [link.full_name for link in review.remaining] if review else []
        deliver(self, self.ReviewLeft(entity_id, names))

    @on(ReviewLeft)
    def _review_left(self, message: ReviewLeft) -> None:
        if message.entity_id != self.table.cursor_key or not message.names:
            return
        item = next((i for i in self.data or [] if i.entity.id == message.entity_id), None)
        if item is None:
            return
        text = self.detail_text(item, ", ".join(message.names))
        self.query_one("#detail", Static).update(literal(text))

    def action_yearly_review(self) -> None:
        from tui.screens.admin_review import OpenReviewScreen
        from tui.screens.confirm import ConfirmScreen

        # The review as the section last read it (a worker); the store refuses an open or a
        # close that another admin made moot meanwhile, and the section shows that.
        campaign = self.campaign
        if campaign is None or not campaign.is_open:
            self.app.push_screen(OpenReviewScreen(self.store, self.admin_id), self._reviewed)
            return
        question = _(
            "Close the yearly review due {due}? The entities' doctors and pharmacists no "
            "longer see it; what they confirmed stays in the audit trail."
        ).format(due=belgian_date(campaign.due))

        def answered(yes: bool | None) -> None:
            if yes:
                self.close_review()

        self.app.push_screen(ConfirmScreen(question, agree=_("Close it")), answered)

    @work(thread=True, group="review-close", exit_on_error=False)
    def close_review(self) -> None:
        closed = self.store.close_review(self.admin_id)
        deliver(self, self.ReviewChanged(closed))

    @dataclass
    class ReviewChanged(Message, bubble=False):
        campaign: Campaign

    @on(ReviewChanged)
    def _review_changed(self, message: ReviewChanged) -> None:
        self._reviewed(message.campaign)

    def _reviewed(self, campaign: Campaign | None) -> None:
        if campaign is None:
            return
        if campaign.is_open:
            text = _("Yearly review opened, due {due}.").format(due=belgian_date(campaign.due))
        else:
            text = _("Yearly review closed.")
        self.notify(text)
        self.reload()

    def action_new_entity(self) -> None:
        self.app.push_screen(EntityFormScreen(self.store, self.admin_id), self._saved)

    def action_edit_entity(self) -> None:
        item = next((i for i in self.data or [] if i.entity.id == self.table.cursor_key), None)
        if item is not None:
            self.app.push_screen(
                EntityEditScreen(self.store, self.admin_id, item.entity), self._saved
            )

    def _saved(self, entity: Entity | None) -> None:
        if entity is not None:
            self.notify(_("{name} ({id}) saved.").format(name=entity.name, id=entity.id))
            self.reload()


class _EntityDialog(FormDialog[FormT, Entity]):
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), id="save", tooltip=N_("Save the entity")),
        Binding("escape", "cancel", N_("Back"), id="cancel", tooltip=N_("Do not save")),
    ]

    def __init__(self, store: Store, admin_id: str) -> None:
        super().__init__()
        self.store, self.admin_id = store, admin_id

    def buttons(self) -> ComposeResult:
        yield Static("", id="form-error", classes="error")
        with ButtonRow():
            yield Button(_("Save"), id="save", variant="primary", compact=True)
            yield Button(_("Back"), id="cancel", compact=True)

    @on(Input.Submitted)
    def _next(self) -> None:
        self.focus_next()

    def text(self, selector: str) -> str:
        """A field's text; a Select's value, empty while none is chosen (the rules say so)."""
        widget = self.query_one(selector)
        if isinstance(widget, Select):
            return "" if widget.value == Select.NULL else str(widget.value)
        if isinstance(widget, NissField):
            return widget.input.value
        assert isinstance(widget, Input)
        return widget.value


class EntityFormScreen(_EntityDialog[NewEntity]):
    """A new entity is born with its first manager (the same rule as `vaccinnet entity add`)."""

    def compose(self) -> ComposeResult:
        lang = language()
        with Vertical(classes="dialog entity-form"):
            yield Static(_("New entity"), classes="dialog-title")
            with Vertical(classes="form"):
                for field_id, field, label in [
                    ("entity-id", "entity_id", _("Id")),
                    ("name", "name", _("Name")),
                    ("email", "email", _("E-mail")),
                ]:
                    yield Label(label, classes="field-label")
                    with Vertical(classes="field"):
                        yield Input(id=field_id, compact=True)
                        yield FieldError(field)
                yield Label(_("Kind"), classes="field-label")
                with Vertical(classes="field"):
                    yield Select(
                        [(kind_label(k, lang), k) for k in ENTITY_KINDS],
                        id="kind",
                        prompt=_("Choose"),
                        compact=True,
                    )
                    yield FieldError("kind")
                yield Label(_("Language"), classes="field-label")
                with Vertical(classes="field"):
                    yield Select(
                        [("Français", "fr"), ("Nederlands", "nl")],
                        id="language",
                        prompt=_("Choose"),
                        compact=True,
                    )
                    yield FieldError("language")
                yield Label(_("Manager's NISS"), classes="field-label")
                yield NissField(id="manager-niss", field="manager_niss")
                yield Label(_("Last name"), classes="field-label")
                with Vertical(classes="field"):
                    yield Input(id="manager-last", compact=True)
                    yield FieldError("manager_last_name")
                yield Label(_("First name"), classes="field-label")
                with Vertical(classes="field"):
                    yield Input(id="manager-first", compact=True)
                    yield FieldError("manager_first_name")
                yield Label(_("Manager is"), classes="field-label")
                with Vertical(classes="field"):
                    yield Select(
                        [(type_label(t, lang), t) for t in sorted(MANAGER_TYPES)],
                        id="manager-type",
                        prompt=_("Choose"),
                        compact=True,
                    )
                    yield FieldError("manager_type")
            yield from self.buttons()
        yield TranslatedFooter(compact=True, show_command_palette=False)

    def read_form(self) -> NewEntity:
        return NewEntity(
            entity_id=self.text("#entity-id"),
            name=self.text("#name"),
            kind=self.text("#kind"),
            email=self.text("#email"),
            language=self.text("#language"),
            manager_niss=self.text("#manager-niss"),
            manager_last_name=self.text("#manager-last"),
            manager_first_name=self.text("#manager-first"),
            manager_type=self.text("#manager-type"),
        )

    def field_problems(self) -> dict[str, str]:
        f = self.read_form()
        problems = check_entity_fields(
            f.entity_id,
            f.name,
            f.kind,
            f.email,
            f.language,
            f.manager_niss,
            f.manager_last_name,
            f.manager_first_name,
            f.manager_type,
        )
        return problem_texts(problems)

    def write(self, form: NewEntity) -> Entity:
        return self.store.create_entity(self.admin_id, form)


@dataclass(frozen=True, slots=True)
class EntityChange:
    """Where the entity's mails go and in which language, as typed."""

    email: str
    language: str


class EntityEditScreen(_EntityDialog[EntityChange]):
    def __init__(self, store: Store, admin_id: str, entity: Entity) -> None:
        super().__init__(store, admin_id)
        self.entity = entity

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                literal(_("Change {name}").format(name=self.entity.name)), classes="dialog-title"
            )
            with Vertical(classes="form"):
                yield Label(_("E-mail"), classes="field-label")
                with Vertical(classes="field"):
                    # An address stored before the rules refused control characters shows inert.
                    yield Input(printable(self.entity.email), id="email", compact=True)
                    yield FieldError("email")
                yield Label(_("Language"), classes="field-label")
                with Vertical(classes="field"):
                    yield Select(
                        [("Français", "fr"), ("Nederlands", "nl")],
                        id="language",
                        value=self.entity.language,
                        allow_blank=False,
                        compact=True,
                    )
                    yield FieldError("language")
            yield from self.buttons()
        yield TranslatedFooter(compact=True, show_command_palette=False)

    def read_form(self) -> EntityChange:
        return EntityChange(self.text("#email"), self.text("#language"))

    def field_problems(self) -> dict[str, str]:
        form = self.read_form()
        return problem_texts(check_entity_change_fields(form.email, form.language))

    def write(self, form: EntityChange) -> Entity:
        return self.store.update_entity(
            self.admin_id, self.entity.id, email=form.email, language=form.language
        )
