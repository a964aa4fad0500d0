"""« Mes accès »: a person's own links at every entity and the requests about them; leave an
entity, withdraw one's own pending request."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Header, Static

from rules import Link, Request, may_withdraw, type_label
from rules.dates import belgian_date
from store import Store, StoreError
from store.queries import Access
from tui.console import deliver, follow_language
from tui.i18n import N_, _, fmt_date, fmt_datetime, language
from tui.literal import literal
from tui.screens.base import ConsoleScreen
from tui.widgets.footer import TranslatedFooter
from tui.widgets.record_table import Column, RecordTable
from tui.wording import KIND_SHORT, decision_text


class MyAccessScreen(ConsoleScreen[None]):
    """Read-only for everyone's links but their own actions: leave (x), withdraw (r)."""

    focused_list = reactive("links", bindings=True)
    can_withdraw = reactive(False, bindings=True)

    BINDINGS = [
        Binding(
            "x",
            "leave",
            N_("Ask to leave"),
            id="leave",
            tooltip=N_("Ask to be disconnected from the entity under the cursor"),
        ),
        Binding(
            "r",
            "withdraw",
            N_("Withdraw"),
            id="withdraw",
            tooltip=N_("Withdraw your own pending request under the cursor"),
        ),
        Binding("escape", "back", N_("Back"), id="back", tooltip=N_("Back to My staff")),
    ]

    @dataclass
    class Loaded(Message, bubble=False):
        access: Access

    def __init__(self, store: Store, niss: str) -> None:
        super().__init__()
        self.store, self.niss = store, niss
        self.access: Access | None = None

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        with Vertical(id="staff-body"):
            yield Static(id="links-title", classes="section")
            yield RecordTable(id="links")
            yield Static(id="requests-title", classes="section")
            yield RecordTable(id="my-requests")
            yield Static(id="detail", classes="info")
            yield Static(id="status", classes="status")
        yield TranslatedFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        follow_language(self)
        self.load()
        self.query_one("#links", RecordTable).focus()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self) -> None:
        deliver(self, self.Loaded(self.store.my_access(self.niss)))

    def read_again(self, group: str) -> None:
        if group == "load":
            self.load()

    def work_failed(self, group: str, error: BaseException | None) -> None:
        if group == "load" and self.access is None and isinstance(error, StoreError):
            self.query_one("#links-title", Static).update(
                literal(
                    _(
                        "Your links cannot be read for now; they are read again as soon as the "
                        "data can be reached."
                    )
                )
            )

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.access = message.access
        self.fill()

    # ----- drawing ----------------------------------------------------------------------------

    def apply_language(self) -> None:
        self.title = _("My access")
        self.query_one("#links", RecordTable).set_columns(
            [
                Column("entity", _("Entity"), 30, flex=1, min_width=16),
                Column("type", _("Type"), 27, fit=True),
                Column("since", _("Since"), 10),
                Column("until", _("Until"), 11, fit=True),
            ]
        )
        self.query_one("#my-requests", RecordTable).set_columns(
            [
                Column("entity", _("Entity"), 20, flex=1, min_width=12),
                Column("kind", _("Request"), 14, fit=True),
                Column("filed", _("Filed on"), 10),
                Column("status", _("Status"), 30, flex=2),
            ]
        )
        self.fill()

    def _entity(self, entity_id: str) -> str:
        entity = self.access.entities.get(entity_id) if self.access else None
        return f"{entity.name} ({entity_id})" if entity else entity_id

    def fill(self) -> None:
        access, lang = self.access, language()
        if access is None:
            return
        self.query_one("#links-title", Static).update(
            literal(_("My links: {count}").format(count=len(access.links)))
        )
        self.query_one("#requests-title", Static).update(
            literal(_("Requests about me: {count}").format(count=len(access.requests)))
        )
        self.query_one("#links", RecordTable).set_rows(
            [
                (
                    link.entity_id,
                    (
                        self._entity(link.entity_id),
                        type_label(link.employee_type, lang),
                        fmt_date(link.since),
                        belgian_date(link.until) if link.until else "",
                    ),
                )
                for link in access.links
            ]
        )
        self.query_one("#my-requests", RecordTable).set_rows(
            [
                (
                    r.id,
                    (
                        self._entity(r.entity_id),
                        _(KIND_SHORT[r.kind]),
                        fmt_date(r.filed_at),
                        decision_text(r, lang),
                    ),
                )
                for r in access.requests
            ]
        )
        self.show_detail()

    # ----- the detail follows the cursor --------------------------------------------------------

    @on(RecordTable.Highlighted)
    def _highlighted(self, event: RecordTable.Highlighted) -> None:
        if event.table.has_focus:
            self.show_detail()

    def on_descendant_focus(self) -> None:
        focused = self.focused
        self.focused_list = "requests" if focused and focused.id == "my-requests" else "links"
        self.show_detail()

    def link_under_cursor(self) -> Link | None:
        key = self.query_one("#links", RecordTable).cursor_key
        links = self.access.links if self.access else ()
        return next((link for link in links if link.entity_id == key), None)

    def request_under_cursor(self) -> Request | None:
        key = self.query_one("#my-requests", RecordTable).cursor_key
        requests = self.access.requests if self.access else ()
        return next((r for r in requests if r.id == key), None)

    def show_detail(self) -> None:
        lang, text = language(), ""
        if self.focused_list == "links":
            link = self.link_under_cursor()
            self.can_withdraw = False
            if link is not None:
                text = _("{entity}: {type}, linked since {date}.").format(
                    entity=self._entity(link.entity_id),
                    type=type_label(link.employee_type, lang),
                    date=fmt_date(link.since),
                )
                if link.until:
                    text += " " + _("Linked until {date}.").format(date=belgian_date(link.until))
                text += " " + _("x asks to leave this entity.")
        else:
            r = self.request_under_cursor()
            self.can_withdraw = r is not None and may_withdraw(self.niss, r)
            if r is not None:
                text = _("{id} · {entity} · filed on {on} · {status}").format(
                    id=r.id,
                    entity=self._entity(r.entity_id),
                    on=fmt_datetime(r.filed_at),
                    status=decision_text(r, lang),
                )
                if self.can_withdraw:
                    text += " · " + _("r withdraws it.")
        self.query_one("#detail", Static).update(literal(text))

    # ----- actions ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave":
            return self.focused_list == "links" and self.link_under_cursor() is not None
        if action == "withdraw":
            return self.focused_list == "requests" and self.can_withdraw
        return True

    def action_back(self) -> None:
        self.dismiss(None)

    def action_leave(self) -> None:
        from tui.screens.disconnect import LeaveScreen

        link = self.link_under_cursor()
        entity = self.access.entities.get(link.entity_id) if link and self.access else None
        if link is None or entity is None:
            return
        self.app.push_screen(LeaveScreen(self.store, link, entity), self._done)

    def action_withdraw(self) -> None:
        from tui.screens.withdraw import WithdrawScreen

        request = self.request_under_cursor()
        if request is None or not may_withdraw(self.niss, request):
            return
        self.app.push_screen(WithdrawScreen(self.store, self.niss, request), self._done)

    def _done(self, result: object) -> None:
        if not result:
            return
        request = result[0] if isinstance(result, list) else result
        if isinstance(request, Request) and request.status == "withdrawn":
            text = _("Request {id} withdrawn.").format(id=request.id)
        else:
            text = _("Request filed: an administrator must approve it; until then you stay linked.")
        self.query_one("#status", Static).update(literal(text))
        self.load()
