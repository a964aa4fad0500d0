"""« Mes employés »: the entity's people, its pending requests and latest decisions."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Header, Input, Static

from rules import (
    EntityState,
    Link,
    Request,
    RuleViolation,
    last_pending_day,
    managers,
    mask_niss,
    may_withdraw,
    plan_withdraw,
    request_kind_label,
    type_label,
)
from rules.dates import belgian_date
from rules.recertification import answered, progress
from rules.text import fold
from store import Store
from tui.console import StoreFollower, deliver, follow_language
from tui.i18n import N_, _, fmt_date, fmt_datetime, language, local, ngettext
from tui.literal import literal
from tui.screens.base import CLEAR_BINDING, ConsoleScreen
from tui.view import EntityView, load_entity_view
from tui.widgets.footer import TranslatedFooter
from tui.widgets.record_table import Column, RecordTable
from tui.wording import KIND_SHORT, REGISTERED, REGISTERED_MANY, REGISTERED_MORE, decision_text

# How long a status line stays once its news is no longer news (toasts stay 5 s at most).
STATUS_SECONDS = 20.0
TOAST_SECONDS = 5.0


def haystack(person: Link | Request, lang: str, *more: str) -> str:
    """What the filter searches: what the row shows (name, birth date, type), and ``more``
    (a request's kind, who filed it, its state)."""
    return fold(
        " ".join(
            (
                person.first_name,
                person.last_name,
                mask_niss(person.niss),
                type_label(person.employee_type, lang),
                person.employee_type,
                *more,
            )
        )
    )


class StaffScreen(ConsoleScreen[None]):
    class EntityLost(Message):
        """The person is no longer linked to the entity on screen (seen on a reload)."""

        def __init__(self, entity_id: str) -> None:
            super().__init__()
            self.entity_id = entity_id

    @dataclass
    class Loaded(Message, bubble=False):
        """A read of the entity: ``view`` is None when nothing changed since the last one
        (``version``: the store's version the unchanged view now stands for)."""

        view: EntityView | None
        final: bool = True
        version: int | None = None

    AUTO_FOCUS = "#staff"
    # Only a doctor or pharmacist of the entity files requests: the footer follows.
    can_file = reactive(False, bindings=True)
    # Keys act on the list that has the focus: the footer offers that list's keys only.
    focused_list = reactive("staff", bindings=True)
    # The request under the cursor is pending and was filed by the person at the keyboard.
    can_withdraw = reactive(False, bindings=True)
    # The person under the cursor has an end date and the person at the keyboard manages.
    can_extend = reactive(False, bindings=True)
    # A yearly review covers the entity and the person at the keyboard manages it.
    can_review = reactive(False, bindings=True)
    BINDINGS = [
        Binding(
            "n",
            "new_request",
            N_("New request"),
            id="new-request",
            tooltip=N_("Connect a person to this entity"),
        ),
        Binding(
            "i",
            "import_rows",
            N_("Import"),
            id="import",
            tooltip=N_("Paste the rows of a spreadsheet: many connect requests at once"),
        ),
        Binding(
            "d",
            "disconnect",
            N_("Disconnection request"),
            id="disconnect",
            tooltip=N_("Request the disconnection of the selected people"),
        ),
        Binding(
            "p",
            "extend",
            N_("Extend"),
            id="extend",
            # Off the footer, which 80 columns cannot hold whole: the detail line names it.
            show=False,
            tooltip=N_("Ask for a later end date of the person under the cursor"),
        ),
        Binding(
            "c",
            "confirm_person",
            N_("Still here"),
            id="confirm-person",
            tooltip=N_("Yearly review: the person under the cursor still works here"),
        ),
        Binding(
            "C",
            "confirm_all",
            N_("All still here"),
            id="confirm-all",
            # Off the footer (full at 80 columns during a review): the banner names it.
            show=False,
            tooltip=N_("Yearly review: everyone not yet confirmed still works here"),
        ),
        Binding(
            "space",
            "toggle_select",
            N_("Select"),
            id="select",
            key_display="␣",
            tooltip=N_("Select or unselect the person under the cursor"),
        ),
        Binding(
            "r",
            "withdraw",
            N_("Withdraw"),
            id="withdraw",
            tooltip=N_("Withdraw your own pending request under the cursor"),
        ),
        Binding(
            "slash", "filter", N_("Filter"), id="filter", tooltip=N_("Type to filter the list")
        ),
        Binding(
            "m",
            "mail_list",
            N_("Send the list by e-mail"),
            id="mail-list",
            show=False,
            tooltip=N_("Send this list as a CSV to the entity's own address (once an hour)"),
        ),
        Binding(
            "a",
            "my_access",
            N_("My access"),
            id="my-access",
            tooltip=N_("Your links at every entity and the requests about you; leave an entity"),
        ),
        CLEAR_BINDING,
        # Tried after the keys above: for someone who cannot file, the same keys say why
        # instead of doing nothing.
        Binding("n,d,i,space", "read_only", show=False, id="read-only"),
        # r on a request that is not one's own to withdraw says why, rather than nothing.
        Binding("r", "why_not_withdraw", show=False, id="why-not-withdraw"),
    ]

    def __init__(self, store: Store, niss: str, entity_id: str) -> None:
        super().__init__()
        self.store = store
        self.niss = niss
        self.entity_id = entity_id
        self.view: EntityView | None = None
        self.filter_text = ""
        self.message = ""
        # Requests just filed: the cursor goes to them once they are read back, and the
        # status line about them goes once none of them is pending any more.
        self._reveal: list[str] = []
        self._news: set[str] = set()
        self._status_timer: Timer | None = None
        self._values: dict[str, str] = {}
        # Rows are formatted once per load or language; a filter keystroke only picks.
        self._rows: list[tuple[str, tuple[str, ...], str]] = []
        self.follower = StoreFollower(self, self.load)

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        with Vertical(id="staff-body"):
            yield Static(id="whoami", classes="info")
            yield Static(id="review-banner", classes="warning")
            yield Input(id="filter", classes="hidden")
            yield Static(id="staff-title", classes="section")
            yield RecordTable(id="staff", selectable=True)
            yield Static(id="requests-title", classes="section")
            yield RecordTable(id="requests")
            yield Static(id="detail", classes="info")
            yield Static(id="status", classes="status")
        yield TranslatedFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        follow_language(self)
        self.follower.read(force=True)
        self.follower.start()

    def on_screen_resume(self) -> None:
        self.follower.resumed()

    # ----- loading --------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self, force: bool = False) -> None:
        """Read the entity again if a session changed it since the last read.

        A commit elsewhere (another entity, a mail sent) costs a look at the manifest only:
        at 300 sessions, each reading its entity at every commit anywhere is what costs.
        """
        view = self.view
        if view is not None and view.complete and not force:
            version, changed = self.store.entity_changed(self.entity_id, view.version)
            if not changed:
                deliver(self, self.Loaded(None, version=version))
                return
        if view is None:
            # First paint: the people first; the requests follow a moment later.
            first = load_entity_view(self.store, self.entity_id, self.niss, with_requests=False)
            if first is not None:
                deliver(self, self.Loaded(first, final=False))
        deliver(self, self.Loaded(load_entity_view(self.store, self.entity_id, self.niss)))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.view is not None:
            self.show(message.view)
        elif message.version is not None and self.view is not None:
            self.view = replace(self.view, version=message.version)
        if message.final:
            self.load_ended()

    def work_failed(self, group: str, error: BaseException | None) -> None:
        if group == "load":
            self.follower.failed()
            self.load_ended()

    def load_ended(self) -> None:
        self.follower.read_ended()

    def show(self, view: EntityView) -> None:
        lost_access = self.view is not None and view.me is None
        self.view = view
        self.build_rows()
        self.refresh_texts()
        self.fill_staff()
        self.fill_requests()
        self.can_file = view.can_file
        self.can_review = view.can_file and view.under_review is not None
        if view.complete:
            self.reveal_filed()
            pending = {r.id for r in view.pending}
            if self._news and not self._news & pending:
                self.clear_status()  # decided (or withdrawn) meanwhile: no longer news
        self.show_detail_of_focus()
        if lost_access:
            self.post_message(self.EntityLost(self.entity_id))

    # ----- drawing ----------------------------------------------------------------------------

    def apply_language(self) -> None:
        self.title = _("My staff")
        self.query_one("#staff", RecordTable).set_columns(
            [
                Column("name", _("Name"), 24, flex=1, min_width=20),  # a usual name whole
                Column("niss", _("NISS"), 15),
                Column("type", _("Type"), 32, fit=True),
                Column("since", _("Since"), 10),
                Column("until", _("Until"), 11, fit=True),
            ]
        )
        self.query_one("#requests", RecordTable).set_columns(
            [
                Column("kind", _("Request"), 14, fit=True),
                Column("person", _("Person"), 20, flex=2, min_width=16),
                Column("filed", _("Filed by · on"), 24, fit=True),
                Column("status", _("Status"), 17, flex=3),
            ]
        )
        self.query_one("#filter", Input).placeholder = _("Filter: name, birth date, type…")
        if self.view is not None:
            self.show(self.view)

    def refresh_texts(self) -> None:
        view = self.view
        if view is None:
            return
        lang = language()
        self.sub_title = f"{view.entity.name} ({view.entity.id})"
        who = self.query_one("#whoami", Static)
        if view.me is None:
            who.update(literal(_("You are no longer linked to this entity.")))
        elif view.can_file:
            who.update(
                literal(
                    _("Logged in as {name} ({type}).").format(
                        name=view.me.full_name, type=type_label(view.me.employee_type, lang)
                    )
                )
            )
        else:
            who.update(literal(self.read_only_text()))
        self.draw_review_banner(view)
        shown = len(self.shown_rows()) if self.filter_text else len(view.staff)
        count = len(view.staff)
        title = ngettext("My staff: {count} person", "My staff: {count} people", count).format(
            count=count
        )
        if shown != count:
            title += " · " + ngettext("{shown} person shown", "{shown} people shown", shown).format(
                shown=shown
            )
        selected = len(self.query_one("#staff", RecordTable).selected)
        if selected:
            title += " · " + ngettext(
                "{count} person selected", "{count} people selected", selected
            ).format(count=selected)
        self.query_one("#staff-title", Static).update(literal(title))
        if not view.complete:
            heading = _("Loading the requests…")
        elif view.pending or view.recent:
            heading = _("Pending requests: {count} · latest decisions").format(
                count=len(view.pending)
            )
        else:
            heading = _("No pending request and no decision yet.")
        if self.filter_text and view.complete and (view.pending or view.recent):
            heading += " · " + _("{shown} shown").format(shown=len(self.shown_requests()))
        self.query_one("#requests-title", Static).update(literal(heading))
        # A msgid, translated when drawn: the line follows a language switch.
        self.query_one("#status", Static).update(
            literal(_(self.message).format(**self._values) if self.message else "")
        )

    def draw_review_banner(self, view: EntityView) -> None:
        """The yearly review, for the managers while it is open: how far, and the keys."""
        banner = self.query_one("#review-banner", Static)
        campaign = view.under_review
        banner.display = bool(view.can_file and campaign is not None)
        if campaign is None or not view.can_file:
            return
        leaving = {r.niss for r in view.pending if r.kind == "disconnect"}
        done = progress(view.staff, campaign, leaving)
        due = belgian_date(campaign.due)
        if done.state == "done":
            text = _("Yearly review: all {total} people confirmed (due {due}).").format(
                total=done.total, due=due
            )
        else:
            text = _(
                "Yearly review, due {due}: {done} of {total} confirmed (✓). c:\u00a0still works "
                "here · C:\u00a0all the others · d:\u00a0no longer works here."
            ).format(due=due, done=done.done, total=done.total)
        banner.update(literal(text))
        banner.set_classes("ok" if done.state == "done" else "warning")

    def build_rows(self) -> None:
        view, lang = self.view, language()
        if view is None:
            return
        leaving = {r.niss for r in view.pending if r.kind == "disconnect"}
        self._rows = [
            (
                link.niss,
                self._staff_row(view, link, lang, link.niss in leaving),
                haystack(link, lang),
            )
            for link in view.staff
        ]

    def shown_rows(self) -> list[tuple[str, tuple[str, ...]]]:
        words = fold(self.filter_text).split()
        return [(key, cells) for key, cells, hay in self._rows if all(w in hay for w in words)]

    def fill_staff(self) -> None:
        # People the filter hides stay selected; those no longer linked do not.
        present = {key for key, _cells, _hay in self._rows}
        self.query_one("#staff", RecordTable).set_rows(self.shown_rows(), present=present)

    def _staff_row(self, view: EntityView, link: Link, lang: str, leaving: bool) -> tuple[str, ...]:
        kind = type_label(link.employee_type, lang)
        if link.supervisor:
            # The first name too: two doctors of the entity may share a last name.
            kind += " · " + view.name_of(link.supervisor)
        campaign = view.under_review if view.can_file else None
        confirmed = campaign is not None and link.reviewed == campaign.id
        return (
            ("↓ " if leaving else "✓ " if confirmed else "") + link.full_name,
            mask_niss(link.niss),
            kind,
            fmt_date(link.since),
            # « ⚠ » once the end date has passed and the link is kept (the entity needs it).
            (("⚠" if link.held else "") + belgian_date(link.until)) if link.until else "",
        )

    def fill_requests(self) -> None:
        view = self.view
        if view is None:
            return
        self.query_one("#requests", RecordTable).set_rows(self.shown_requests())

    def shown_requests(self) -> list[tuple[str, tuple[str, ...]]]:
        """The requests' rows that the filter keeps (all of them without one)."""
        view, lang = self.view, language()
        if view is None:
            return []
        words = fold(self.filter_text).split()
        rows: list[tuple[str, tuple[str, ...]]] = []
        for request in (*view.pending, *view.recent):
            filer = view.short_name_of(request.filed_by)
            if words:
                hay = haystack(
                    request, lang, _(KIND_SHORT[request.kind]), filer, decision_text(request, lang)
                )
                if not all(w in hay for w in words):
                    continue
            cells = (
                _(KIND_SHORT[request.kind]),
                request.full_name,
                f"{filer} · {fmt_date(request.filed_at)}",
                decision_text(request, lang),
            )
            rows.append((request.id, cells))
        return rows

    # ----- the detail line follows the cursor -----------------------------------------------

    def show_detail_of_focus(self) -> None:
        """The detail of the row under the cursor of the list that has the focus."""
        table = self.query_one(f"#{self.focused_list}", RecordTable)
        self.show_detail(table, table.cursor_key)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # Tab to the other list: its row under the cursor is the one to detail. The filter
        # box filters both lists, and gives the focus back to the one it came from.
        if event.widget.id == "filter":
            return
        self.focused_list = "requests" if event.widget.id == "requests" else "staff"
        if isinstance(event.widget, RecordTable):
            self.show_detail(event.widget, event.widget.cursor_key)

    @on(RecordTable.Highlighted)
    def _highlighted(self, event: RecordTable.Highlighted) -> None:
        # The other list's cursor moves too (a reload): only the focused list is detailed.
        if event.table.id == self.focused_list:
            self.show_detail(event.table, event.key)

    def show_detail(self, table: RecordTable, key: str | None) -> None:
        """The whole text of the row under the cursor, wrapped over as many lines as needed."""
        view, lang = self.view, language()
        detail = self.query_one("#detail", Static)
        self.can_withdraw = bool(
            view is not None
            and table.id == "requests"
            and any(r.id == key and may_withdraw(self.niss, r) for r in view.pending)
        )
        self.can_extend = bool(
            view is not None
            and self.can_file
            and table.id == "staff"
            and any(k.niss == key and k.until is not None for k in view.staff)
        )
        if view is None or key is None:
            detail.update("")
            return
        if table.id == "staff":
            link = next((k for k in view.staff if k.niss == key), None)
            if link is None:
                return
            text = _("{name}, {niss}, {type}, linked since {date}.").format(
                name=link.full_name,
                niss=mask_niss(link.niss),
                type=type_label(link.employee_type, lang),
                date=fmt_date(link.since),
            )
            if link.until and link.held:
                text += " " + _(
                    "The link was to end on {date}; it is kept because the entity needs it: "
                    "link someone else, or ask to extend it (p)."
                ).format(date=belgian_date(link.until))
            elif link.until:
                text += " " + _("Linked until {date}; p asks to extend it.").format(
                    date=belgian_date(link.until)
                )
            if link.supervisor:
                text += " " + _("Supervising doctor: {name}.").format(
                    name=view.name_of(link.supervisor)
                )
            leaving = [r for r in view.pending if r.kind == "disconnect" and r.niss == link.niss]
            if leaving:
                text += " " + _("↓ Disconnection requested ({id}).").format(id=leaving[0].id)
            campaign = view.under_review
            if campaign is not None and view.can_file and link.reviewed == campaign.id:
                text += " " + _("✓ Confirmed in the yearly review.")
        else:
            request = next((r for r in (*view.pending, *view.recent) if r.id == key), None)
            if request is None:
                return
            text = _("{id} · {kind} · {person} ({type}) · filed by {by} on {on} · {status}").format(
                id=request.id,
                kind=request_kind_label(request.kind, lang),
                person=request.full_name,
                type=type_label(request.employee_type, lang),
                by=view.name_of(request.filed_by),
                on=fmt_datetime(request.filed_at),
                status=decision_text(request, lang),
            )
            if request.decided_at:
                text += " (" + fmt_datetime(request.decided_at) + ")"
            if request.until is not None:
                text += " · " + _("until {date}").format(date=belgian_date(request.until))
            if request.note:
                text += " · " + _("note: {note}").format(note=request.note)
            last_day = last_pending_day(local(request.filed_at).date(), view.settings)
            if request.status == "pending" and last_day is not None:
                # Short: the detail keeps to two lines, so the lists above never jump.
                text += " · " + _("expires on {date}").format(
                    date=belgian_date(last_day + timedelta(days=1))
                )
        detail.update(literal(text))

    # ----- actions ------------------------------------------------------------------------------

    def read_only_text(self) -> str:
        if self.view is None:
            return ""
        state = EntityState(self.view.entity, self.view.staff, self.view.pending)
        names = ", ".join(link.full_name for link in managers(state))
        return _(
            "Read only: only the doctors and pharmacists linked to the "
            "entity can file requests ({names})."
        ).format(names=names)

    def action_read_only(self) -> None:
        self.notify(self.read_only_text(), severity="warning", timeout=5)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "read_only":
            return self.view is not None and self.view.me is not None and not self.can_file
        if action in ("new_request", "import_rows", "mail_list"):
            return self.can_file
        if action in ("disconnect", "toggle_select"):
            return self.can_file and self.focused_list == "staff"
        if action == "extend":
            return self.can_extend and self.focused_list == "staff"
        if action in ("confirm_person", "confirm_all"):
            return self.can_review and self.focused_list == "staff"
        if action == "withdraw":
            return self.can_withdraw and self.focused_list == "requests"
        if action == "why_not_withdraw":
            return not self.can_withdraw and self.request_under_cursor() is not None
        return True

    def link_under_cursor(self) -> Link | None:
        view = self.view
        if view is None or self.focused_list != "staff":
            return None
        key = self.query_one("#staff", RecordTable).cursor_key
        return next((link for link in view.staff if link.niss == key), None)

    def action_extend(self) -> None:
        from tui.screens.extend import ExtendScreen

        link = self.link_under_cursor()
        if self.view is None or self.view.me is None or link is None or link.until is None:
            return
        self.app.push_screen(
            ExtendScreen(self.store, self.view.me, self.view.entity, link), self._filed
        )

    def request_under_cursor(self) -> Request | None:
        view = self.view
        if view is None or self.focused_list != "requests":
            return None
        key = self.query_one("#requests", RecordTable).cursor_key
        return next((r for r in (*view.pending, *view.recent) if r.id == key), None)

    def action_why_not_withdraw(self) -> None:
        request = self.request_under_cursor()
        if request is None:
            return
        try:
            plan_withdraw(self.niss, request, self.store.now())
        except RuleViolation as refusal:
            self.notify(refusal.message(language()), severity="warning", timeout=5)

    def action_toggle_select(self) -> None:
        self.query_one("#staff", RecordTable).toggle()

    @on(RecordTable.SelectionChanged, "#staff")
    def _selection_changed(self) -> None:
        self.refresh_texts()

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.remove_class("hidden")
        box.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value.strip()
        self.fill_staff()
        self.fill_requests()
        self.refresh_texts()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(f"#{self.focused_list}", RecordTable).focus()

    def action_clear(self) -> None:
        box = self.query_one("#filter", Input)
        if box.value or box.has_focus:
            box.value = ""
            box.add_class("hidden")
            self.query_one(f"#{self.focused_list}", RecordTable).focus()
        else:
            self.query_one("#staff", RecordTable).clear_selection()

    def action_confirm_person(self) -> None:
        table = self.query_one("#staff", RecordTable)
        key, view = table.cursor_key, self.view
        if view is None or view.me is None or key is None:
            return
        self.confirm([key])
        # One key per person, down the list, as « space » selects.
        table.action_cursor(1)

    def action_confirm_all(self) -> None:
        from tui.screens.confirm import ConfirmScreen

        view = self.view
        campaign = view.under_review if view is not None else None
        if view is None or view.me is None or campaign is None:
            return
        leaving = {r.niss for r in view.pending if r.kind == "disconnect"}
        left = [link.niss for link in view.staff if not answered(link, campaign, leaving)]
        if not left:
            return
        question = ngettext(
            "Confirm that the {count} person not yet confirmed still works at {entity}?",
            "Confirm that the {count} people not yet confirmed still work at {entity}?",
            len(left),
        ).format(count=len(left), entity=view.entity.name)

        def replied(yes: bool | None) -> None:
            if yes:
                self.confirm(left)

        self.app.push_screen(ConfirmScreen(question, agree=_("Confirm")), replied)

    @work(thread=True, group="confirm", exit_on_error=False)
    def confirm(self, nisses: list[str]) -> None:
        view = self.view
        if view is None or view.me is None:
            return
        confirmed = self.store.confirm_staff(view.me.niss, view.entity.id, nisses)
        deliver(self, self.Confirmed(len(confirmed)))

    @dataclass
    class Confirmed(Message, bubble=False):
        """People confirmed in the yearly review."""

        count: int

    @on(Confirmed)
    def _confirmed(self, message: Confirmed) -> None:
        if message.count:
            self.say(N_("Confirmed in the yearly review: {count}."), count=str(message.count))
        else:
            self.say(N_("Already answered in the yearly review."))
        self.reload()

    @work(thread=True, exclusive=True, group="mail-list", exit_on_error=False)
    def action_mail_list(self) -> None:
        view = self.view
        if view is None or view.me is None:
            return
        try:
            mail = self.store.mail_staff_list(view.me.niss, view.entity.id)
        except RuleViolation as refusal:
            deliver(self, self.ListMailed(None, refusal))
            return
        deliver(self, self.ListMailed(mail.to, None))

    @dataclass
    class ListMailed(Message, bubble=False):
        """The list went to ``to`` (the entity's address), or ``refusal`` says why not."""

        to: str | None
        refusal: RuleViolation | None

    @on(ListMailed)
    def _list_mailed(self, message: ListMailed) -> None:
        if message.refusal is not None:
            self.notify(message.refusal.message(language()), severity="warning", timeout=6)
        else:
            self.say(N_("The list goes to {email} as a CSV file."), email=message.to or "")

    def action_import_rows(self) -> None:
        from tui.screens.import_rows import ImportScreen

        if self.view is None or self.view.me is None:
            return
        self.app.push_screen(ImportScreen(self.store, self.view.me, self.view.entity), self._filed)

    def action_my_access(self) -> None:
        from tui.screens.my_access import MyAccessScreen

        self.app.push_screen(MyAccessScreen(self.store, self.niss))

    def action_new_request(self) -> None:
        from tui.screens.new_request import NewRequestScreen

        if self.view is None or self.view.me is None:
            return
        self.app.push_screen(
            NewRequestScreen(self.store, self.view.me, self.view.entity), self._filed
        )

    def action_disconnect(self) -> None:
        from tui.screens.disconnect import DisconnectScreen

        if self.view is None or self.view.me is None:
            return
        table = self.query_one("#staff", RecordTable)
        chosen = [link for link in self.view.staff if link.niss in table.selected]
        if not chosen:
            key = table.cursor_key
            chosen = [link for link in self.view.staff if link.niss == key]
        if not chosen:
            return
        self.app.push_screen(
            DisconnectScreen(self.store, self.view.me, self.view.entity, chosen), self._filed
        )

    def action_withdraw(self) -> None:
        from tui.screens.withdraw import WithdrawScreen

        table = self.query_one("#requests", RecordTable)
        view = self.view
        if view is None or not self.can_withdraw:
            return
        request = next((r for r in view.pending if r.id == table.cursor_key), None)
        if request is not None:
            self.app.push_screen(WithdrawScreen(self.store, self.niss, request), self._withdrawn)

    def _withdrawn(self, request: Request | None) -> None:
        if request is None:
            return
        self.say(N_("Request {id} withdrawn: {person}."), id=request.id, person=request.full_name)
        self._news = set()
        self.reload()

    def _filed(self, filed: Request | list[Request] | None) -> None:
        if not filed:
            return
        requests = filed if isinstance(filed, list) else [filed]
        self.query_one("#staff", RecordTable).clear_selection()
        if len(requests) > 1:
            self.say(REGISTERED_MANY, count=str(len(requests)))
        else:
            self.say(REGISTERED)
        self._news = {r.id for r in requests}
        self._reveal = [r.id for r in requests]
        self.notify(_(REGISTERED_MORE), title=_(REGISTERED), timeout=TOAST_SECONDS)
        self.reload()

    def reload(self) -> None:
        self.follower.read(force=True)

    def reveal_filed(self) -> None:
        """Put the cursor, and the focus, on the request just filed: what was just done shows."""
        table = self.query_one("#requests", RecordTable)
        shown = [key for key in self._reveal if key in table.keys]
        if not shown:
            return
        self._reveal = []
        table.move_to(shown[0])
        table.focus()

    # ----- the status line ----------------------------------------------------------------------

    def say(self, msgid: str, **values: str) -> None:
        """A status line (a msgid, drawn in the language of the moment) that goes after a while."""
        self.message = msgid
        self._values = values
        if self._status_timer is not None:
            self._status_timer.stop()
        self._status_timer = self.set_timer(STATUS_SECONDS, self.clear_status)
        self.refresh_texts()

    def clear_status(self) -> None:
        self.message = ""
        self._news = set()
        self.refresh_texts()
