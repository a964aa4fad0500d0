"""No link to any entity: why, and an access request for a doctor or pharmacist."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Header, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from rules import (
    Entity,
    Request,
    access_types,
    check_access_fields,
    format_niss,
    status_label,
    type_label,
)
from store import Store
from tui.console import StoreFollower, deliver, follow_language
from tui.i18n import N_, _, fmt_datetime, language
from tui.literal import literal
from tui.screens.form import FieldError, SavingForm, problem_texts
from tui.widgets.button_row import ButtonRow
from tui.widgets.footer import TranslatedFooter
from tui.wording import REGISTERED, REGISTERED_MORE


@dataclass(frozen=True, slots=True)
class AccessForm:
    """The entity and who the person says they are, as typed."""

    entity_id: str
    last_name: str
    first_name: str
    employee_type: str


class NoAccessScreen(SavingForm[AccessForm, Request]):
    class AccessGranted(Message):
        """An administrator linked the person meanwhile: the console starts over."""

    @dataclass
    class Found(Message, bubble=False):
        entities: list[Entity]

    @dataclass
    class Mine(Message, bubble=False):
        requests: list[Request]
        linked: bool
        names: dict[str, str]  # entity id → name, as the person knows it

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), id="save", tooltip=N_("File the access request")),
        # Down from the search box goes into the matches, as in any search field with a list.
        Binding("down", "into_matches", show=False, priority=True),
    ]

    def __init__(self, store: Store, niss: str) -> None:
        super().__init__()
        self.store, self.niss = store, niss
        self.entity: Entity | None = None
        self.found: list[Entity] = []
        self.just_filed: str | None = None
        # Its requests are always read whole (there is no version to compare): no force.
        self.follower = StoreFollower(self, lambda _force: self.refresh_mine())

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        with VerticalScroll(id="no-access-body"):
            yield Static(id="why", classes="info")
            with Vertical(classes="form"):
                yield Label(id="entity-label", classes="field-label")
                with Vertical(classes="field"):
                    yield Input(id="entity-search", compact=True)
                    yield OptionList(id="matches")
                    yield Static(id="entity-chosen", classes="hint")
                    yield FieldError("entity")
                yield Label(id="last-label", classes="field-label")
                with Vertical(classes="field"):
                    yield Input(id="last-name", max_length=100, compact=True)
                    yield FieldError("last_name")
                yield Label(id="first-label", classes="field-label")
                with Vertical(classes="field"):
                    yield Input(id="first-name", max_length=100, compact=True)
                    yield FieldError("first_name")
                yield Label(id="type-label", classes="field-label")
                with Vertical(classes="field"):
                    yield Select([], id="type", compact=True)
                    yield FieldError("employee_type")
            yield Static("", id="form-error", classes="error")
            with ButtonRow():
                yield Button(id="save", variant="primary", compact=True)
            yield Static(id="mine", classes="info")
        yield TranslatedFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        follow_language(self)
        self.query_one("#entity-search", Input).focus()
        self.query_one("#matches", OptionList).display = False
        self.refresh_mine()
        self.follower.start()

    def on_screen_resume(self) -> None:
        self.follower.resumed()

    def apply_language(self) -> None:
        self.title = _("No access")
        self.sub_title = format_niss(self.niss)
        why = _(
            "You are not linked to any entity in Vaccinnet, so there is no staff list to show "
            "you. To connect or disconnect people you must have access as an accredited doctor "
            "or pharmacist. If you are one, request access to your entity below: an "
            "administrator will approve it."
        )
        self.query_one("#why", Static).update(literal(why))
        self.query_one("#entity-label", Label).update(literal(_("Entity (id or name)")))
        self.query_one("#last-label", Label).update(literal(_("Last name")))
        self.query_one("#first-label", Label).update(literal(_("First name")))
        self.query_one("#type-label", Label).update(literal(_("You are")))
        self.query_one("#save", Button).label = _("Save")
        self._offer_types()
        self._show_chosen()
        self.refresh_mine()

    def _offer_types(self) -> None:
        """Doctor or pharmacist, narrowed to what the chosen entity's kind employs."""
        lang = language()
        kinds = self.query_one("#type", Select)
        value = kinds.value
        offered = access_types(self.entity.kind if self.entity else None)
        kinds.set_options([(type_label(code, lang), code) for code in offered])
        kinds.prompt = _("Choose: doctor or pharmacist")
        if value in offered:
            kinds.value = value
        elif len(offered) == 1:
            kinds.value = offered[0]

    def _show_chosen(self) -> None:
        chosen = self.query_one("#entity-chosen", Static)
        if self.entity is None:
            chosen.update(literal(_("Type at least 2 characters, then choose in the list.")))
        else:
            chosen.update(
                literal(_("Chosen: {name} ({id})").format(name=self.entity.name, id=self.entity.id))
            )

    @on(Input.Changed, "#entity-search")
    def _search(self, event: Input.Changed) -> None:
        self.search(event.value)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def search(self, text: str) -> None:
        found = self.store.find_entities(text, limit=8) if len(text.strip()) >= 2 else []
        deliver(self, self.Found(found))

    @on(Found)
    def _found(self, message: Found) -> None:
        self.found = message.entities
        matches = self.query_one("#matches", OptionList)
        matches.clear_options()
        matches.add_options(
            Option(literal(f"{e.name} ({e.id})", multiline=False), id=e.id) for e in self.found
        )
        matches.display = bool(self.found)
        if self.found:
            matches.highlighted = 0

    @on(OptionList.OptionSelected, "#matches")
    def _pick(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id)

    def _choose(self, entity_id: str | None) -> None:
        self.entity = next((e for e in self.found if e.id == entity_id), None)
        self._offer_types()
        self._show_chosen()
        self._recheck()
        if self.entity is not None:
            self.query_one("#matches", OptionList).display = False  # chosen: the list is done
        self.query_one("#last-name", Input).focus()

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        matches = self.query_one("#matches", OptionList)
        if event.input.id == "entity-search" and self.found:
            # Enter chooses the match the list shows highlighted, as Down then Enter would.
            index = matches.highlighted or 0
            self._choose(self.found[index].id if index < len(self.found) else None)
        else:
            self.focus_next()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "into_matches":
            searching = isinstance(self.focused, Input) and self.focused.id == "entity-search"
            return searching and bool(self.found)
        return super().check_action(action, parameters)

    def action_into_matches(self) -> None:
        matches = self.query_one("#matches", OptionList)
        matches.focus()
        if matches.highlighted is None:
            matches.highlighted = 0

    @work(thread=True, exclusive=True, group="mine", exit_on_error=False)
    def refresh_mine(self) -> None:
        with self.store.reading():
            mine = self.store.filed_by(self.niss)
            linked = bool(self.store.links_of(self.niss))
            names = {}
            for request in mine:
                entity = self.store.entity(request.entity_id)
                names[request.entity_id] = entity.name if entity else request.entity_id
        deliver(self, self.Mine(mine, linked, names))

    @on(Mine)
    def _mine(self, message: Mine) -> None:
        self.follower.read_ended()
        if message.linked:
            self.post_message(self.AccessGranted())
        else:
            self._show_mine(message.requests, message.names)

    def read_form(self) -> AccessForm:
        kind = self.query_one("#type", Select).value
        return AccessForm(
            self.entity.id if self.entity else "",
            self.query_one("#last-name", Input).value,
            self.query_one("#first-name", Input).value,
            "" if kind == Select.NULL else str(kind),
        )

    def field_problems(self) -> dict[str, str]:
        form = self.read_form()
        problems = check_access_fields(
            form.entity_id, form.last_name, form.first_name, form.employee_type
        )
        return problem_texts(problems)

    def write(self, form: AccessForm) -> Request:
        return self.store.file_access_request(
            self.niss, form.entity_id, form.last_name, form.first_name, form.employee_type
        )

    def saved(self, result: Request) -> None:
        self.notify(_(REGISTERED_MORE), title=_(REGISTERED), timeout=8)
        self._clear_form()
        self.just_filed = result.id
        self.refresh_mine()

    def _clear_form(self) -> None:
        """The request is filed: the form is ready for another one, not still showing this one."""
        self.entity = None
        self.found = []
        for selector in ("#entity-search", "#last-name", "#first-name"):
            self.query_one(selector, Input).value = ""
        self.query_one("#type", Select).clear()
        self.query_one("#matches", OptionList).display = False
        self.show_field_problems({}, saving=False)
        self._show_chosen()
        self.query_one("#entity-search", Input).focus()

    def read_again(self, group: str) -> None:
        if group == "search":
            self.search(self.query_one("#entity-search", Input).value)

    def work_failed(self, group: str, error: BaseException | None) -> None:
        super().work_failed(group, error)
        if group == "mine":
            self.follower.failed()
            self.follower.read_ended()

    def _show_mine(self, mine: list[Request], names: dict[str, str]) -> None:
        lang = language()
        shown = self.query_one("#mine", Static)
        if not mine:
            shown.update("")
            return
        lines = [_("Your access requests:")]
        # The newest first: the one just filed is the first line under the title.
        for r in sorted(mine, key=lambda r: r.filed_at, reverse=True):
            name = names.get(r.entity_id, r.entity_id)
            line = f"• {r.id} · {name} · {status_label(r.status, lang)} · "
            line += _("filed on {date}").format(date=fmt_datetime(r.filed_at))
            if r.reason:
                line += f" · {r.reason}"
            lines.append(line)
        shown.update(literal("\n".join(lines)))
        if self.just_filed:
            self.just_filed = None
            # The person sees the request they just filed without having to scroll to it.
            self.call_after_refresh(shown.scroll_visible, animate=False)
