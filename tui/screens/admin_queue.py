"""The administrators' queue: every pending request, its warnings, and the decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Label, Sparkline, Static

from rules import (
    Entity,
    Notice,
    Request,
    RuleViolation,
    Settings,
    format_niss,
    is_late,
    managers,
    request_kind_label,
    type_label,
)
from rules.dates import belgian_date
from rules.text import fold
from store import Store, StoreError
from store.store import Activity, Review
from tui.console import console, deliver
from tui.i18n import N_, _, fmt_datetime, language, local, ngettext
from tui.literal import literal
from tui.screens.admin_base import AdminListScreen, Listed
from tui.widgets.record_table import Column, RecordTable
from tui.wording import KIND_SHORT

KINDS = (None, "connect", "disconnect")


@dataclass(frozen=True)
class QueueData:
    pending: tuple[Request, ...]
    entities: dict[str, Entity]
    activity: Activity
    now: datetime
    # The warnings of each warned request, read with the queue: the rows are marked with them.
    notices: dict[str, tuple[Notice, ...]]
    settings: Settings


def queue_haystack(request: Request, entity: Entity | None) -> str:
    """What the queue's filter searches: NISS, name, entity id or name, request id."""
    return fold(
        " ".join(
            (
                request.niss,
                format_niss(request.niss),
                request.first_name,
                request.last_name,
                request.entity_id,
                entity.name if entity else "",
                request.id,
            )
        )
    )


@dataclass(frozen=True, slots=True)
class Formatted:
    """A queue row's fixed cells and the text the filter searches, for one request as read."""

    request: Request
    entity: Entity | None
    lang: str
    filed_on: date  # in Brussels: what « overdue » counts from
    cells: tuple[str, ...]
    hay: str

    @classmethod
    def of(cls, r: Request, entity: Entity | None, lang: str) -> Formatted:
        # The filer is named in the review beneath, not in a column cut at 80 columns.
        cells = (
            r.entity_id,
            _(KIND_SHORT[r.kind]),
            format_niss(r.niss),
            r.full_name,
            type_label(r.employee_type, lang),
        )
        filed_on = local(r.filed_at).date()
        return cls(r, entity, lang, filed_on, cells, queue_haystack(r, entity))

    def again(self, lang: str) -> Formatted:
        return Formatted.of(self.request, self.entity, lang)


def age_shown(filed: datetime, now: datetime) -> tuple[str, int]:
    """(msgid, n) of an age as the queue says it: ages that read alike give the same."""
    hours = int((now - filed).total_seconds() // 3600)
    if hours < 1:
        return N_("<1 h"), 0
    if hours < 24:
        return N_("{n} h"), hours
    return N_("{n} d"), hours // 24


def age_text(filed: datetime, now: datetime) -> str:
    msgid, n = age_shown(filed, now)
    return _(msgid).format(n=n)


def review_lines(review: Review | None, lang: str) -> list[str]:
    """What an administrator reads before deciding, the warnings first: when the pane is
    short, they are what must not be cut off."""
    if review is None:
        return []
    r, state = review.request, review.state
    filer = state.link_of(r.filed_by)
    names = [link.full_name for link in managers(state)]
    lines = [f"⚠ {notice.message(lang)}" for notice in review.notices]
    lines += [
        f"{r.id} · {request_kind_label(r.kind, lang)} · {state.entity.name} "
        f"({state.entity.id}, {state.entity.email})",
        _("Person: {name} · {niss} · {type}").format(
            name=r.full_name, niss=format_niss(r.niss), type=type_label(r.employee_type, lang)
        ),
        _("Filed by {name} ({niss}) on {date}").format(
            name=filer.full_name
            if filer
            else (
                _("{name}, access request").format(name=r.full_name)
                if r.filed_by == r.niss
                else "?"
            ),
            niss=format_niss(r.filed_by),
            date=fmt_datetime(r.filed_at),
        ),
        _("Staff: {count} people; doctors and pharmacists: {names}").format(
            count=len(state.links), names=", ".join(names) or "–"
        ),
    ]
    if r.note:
        lines.append(_("Note from the requester: {note}").format(note=r.note))
    if r.batch:
        lines.append(
            _("Filed by the import {batch}; b shows only its requests.").format(batch=r.batch)
        )
    current = state.link_of(r.niss)
    if r.kind == "extend" and r.until is not None:
        lines.append(
            _("Extension of the end date: from {old} to {new}.").format(
                old=belgian_date(current.until) if current and current.until else "–",
                new=belgian_date(r.until),
            )
        )
    elif r.until is not None:
        lines.append(_("Linked until {date} once approved.").format(date=belgian_date(r.until)))
    elif current is not None and current.until is not None:
        lines.append(_("Linked until {date}.").format(date=belgian_date(current.until)))
    if review.last_day is not None and r.status == "pending":
        # The day it expires, as the staff console says it.
        lines.append(
            _("Expires on {date} if not decided.").format(
                date=belgian_date(review.last_day + timedelta(days=1))
            )
        )
    return lines


class QueueScreen(AdminListScreen):
    SECTION = "queue"
    # Pending requests, their warnings (links, entities, the admin) and the activity charts.
    TABLES = ("requests", "links", "entities", "admins", "audit")
    TITLE_TEXT = N_("Queue")
    SELECTABLE = True

    @dataclass
    class Reviewed(Message, bubble=False):
        """What an administrator reads before deciding (None: the request is gone)."""

        review: Review | None

    @dataclass
    class Decided(Message, bubble=False):
        """A decision committed; ``said`` is the untranslated message that tells it."""

        said: str
        request: Request

    BINDINGS = [
        Binding(
            "enter",
            "read_review",
            N_("Details"),
            id="read",
            key_display="⏎",
            tooltip=N_("The whole review of the request under the cursor, warnings first"),
        ),
        Binding(
            "a",
            "approve",
            N_("Approve"),
            id="approve",
            tooltip=N_("Approve the request, or the selected ones"),
        ),
        Binding(
            "A",
            "approve_with_note",
            N_("Approve with a note"),
            id="approve-with-note",
            # Off the footer, full at 80 columns in French and Dutch; the help lists it.
            show=False,
            tooltip=N_("Approve with a note to the entity, sent in its e-mail"),
        ),
        Binding(
            "r",
            "reject",
            N_("Reject"),
            id="reject",
            tooltip=N_("Reject with a reason, the request or the selected ones"),
        ),
        Binding(
            "x",
            "delete",
            N_("Delete"),
            id="delete",
            tooltip=N_("Delete the request so that a new one can be filed"),
        ),
        Binding(
            "space",
            "toggle_select",
            N_("Select"),
            id="select",
            key_display="␣",
            tooltip=N_("Select or unselect the request under the cursor"),
        ),
        Binding(
            "k",
            "cycle_kind",
            N_("Kind"),
            id="kind",
            tooltip=N_("Show every kind, only connections, only disconnections"),
        ),
        Binding(
            "b",
            "batch_filter",
            N_("Import"),
            id="batch-filter",
            show=False,
            tooltip=N_("Only the requests of the import under the cursor, or all again"),
        ),
        Binding(
            "f",
            "entity_filter",
            N_("Entity"),
            id="entity-filter",
            tooltip=N_("Only this entity's requests, or all entities again"),
        ),
    ]

    def __init__(self, store: Store, admin_id: str, admin_name: str | None = None) -> None:
        super().__init__(store, admin_id, admin_name)
        self.kind: str | None = None
        self.entity_filter: str | None = None
        self.batch_filter: str | None = None  # the import (its first request's id) shown
        self.review: Review | None = None
        self._requests: dict[str, Request] = {}
        self._formatted: dict[str, Formatted] = {}
        self._listed: dict[str, Listed] = {}

    def compose_top(self) -> ComposeResult:
        yield Static(id="summary", classes="info")
        # One cell per day: a narrower chart would merge days (French labels left 21 cells
        # for 30 days), so each chart has its own line.
        with Horizontal(classes="stats"):
            yield Label(id="filed-label", classes="stat-label")
            yield Sparkline([0], id="filed-chart", classes="chart")
        with Horizontal(classes="stats"):
            yield Label(id="decided-label", classes="stat-label")
            yield Sparkline([0], id="decided-chart", classes="chart")
        yield Static(id="ages", classes="info")

    def fetch(self) -> QueueData:
        pending = tuple(self.store.requests(status="pending"))
        entities = {e.id: e for e in self.store.entities()}
        notices = self.store.pending_notices()
        return QueueData(
            pending,
            entities,
            self.store.activity(30),
            self.store.now(),
            notices,
            self.store.settings(),
        )

    # ----- drawing --------------------------------------------------------------------------

    def columns(self) -> list[Column]:
        return [
            Column("mark", "", 2),  # ⚠ warned, ! overdue: text, for NO_COLOR and a vt100
            Column("age", _("Age"), 8, fit=True),
            Column("entity", _("Entity"), 14, fit=True),
            Column("kind", _("Request"), 12, fit=True),
            Column("niss", _("NISS"), 15),
            Column("person", _("Person"), 24, flex=2, min_width=16),
            Column("type", _("Type"), 30, fit=True),
        ]

    def all_rows(self) -> list[Listed]:
        data: QueueData | None = self.data
        if data is None:
            return []
        lang = language()
        rows: list[Listed] = []
        today = local(data.now).date()
        marked: set[str] = set()
        self._requests = {r.id: r for r in data.pending}
        # A row's text and what the filter searches change only with its request, its entity
        # or the language: after a commit, 7,500 rows are not formatted again for one. The
        # store hands the same record objects back while their documents are unchanged.
        formatted: dict[str, Formatted] = {}
        overdue_since: dict[date, bool] = {}
        ages: dict[tuple[str, int], str] = {}
        for r in data.pending:
            entity = data.entities.get(r.entity_id)
            known = self._formatted.get(r.id)
            if known is not None and known.request is r and known.entity is entity:
                row = known if known.lang == lang else known.again(lang)
            else:
                row = Formatted.of(r, entity, lang)
            formatted[r.id] = row
            overdue = overdue_since.get(row.filed_on)
            if overdue is None:
                overdue = overdue_since[row.filed_on] = is_late(row.filed_on, today, data.settings)
            if overdue:
                marked.add(r.id)
            shown_as = age_shown(r.filed_at, data.now)
            age = ages.get(shown_as)
            if age is None:
                age = ages[shown_as] = _(shown_as[0]).format(n=shown_as[1])
            mark = ("⚠" if r.id in data.notices else " ") + ("!" if overdue else " ")
            listed = self._listed.get(r.id) if row is known else None
            if listed is None or listed[0][1][:2] != (mark, age):
                listed = ((r.id, (mark, age, *row.cells)), row.hay)
            rows.append(listed)
        self._formatted = formatted
        # The same row objects while nothing in them changed: the table measures them once.
        self._listed = {listed[0][0]: listed for listed in rows}
        self.table.marked = marked
        return rows

    def keep(self, key: str) -> bool:
        request = self._requests.get(key)
        if request is None:
            return False
        if self.kind and request.kind != self.kind:
            return False
        if self.batch_filter and request.batch != self.batch_filter:
            return False
        return not self.entity_filter or request.entity_id == self.entity_filter

    def refresh_summary(self) -> None:
        data: QueueData | None = self.data
        if data is None:
            return
        ages = [(data.now - r.filed_at).total_seconds() / 86400 for r in data.pending]
        overdue = len(self.table.marked)  # the rows were marked when formatted, once per load
        oldest = age_text(min(r.filed_at for r in data.pending), data.now) if ages else "–"
        text = _("{count} pending · oldest: {oldest} · {overdue} over {days} working days").format(
            count=len(data.pending),
            oldest=oldest,
            overdue=overdue,
            days=data.settings.remind_after_working_days,
        )
        filters = []
        if self.batch_filter:
            batch = [r for r in data.pending if r.batch == self.batch_filter]
            entity = data.entities.get(batch[0].entity_id) if batch else None
            if not batch:
                filters.append(
                    _("import {batch}: nothing left pending; b shows every request").format(
                        batch=self.batch_filter
                    )
                )
            else:
                ids = batch[0].id if len(batch) == 1 else f"{batch[0].id}–{batch[-1].id}"
                filters.append(
                    _(
                        "import {ids}, {count} pending, {entity}: a approves or r rejects all of it"
                    ).format(ids=ids, count=len(batch), entity=entity.name if entity else "–")
                )
        if self.kind or self.entity_filter or self.filter_text or self.batch_filter:
            filters.append(_("{shown} shown").format(shown=len(self.table.keys)))
        if self.kind:
            filters.append(request_kind_label(self.kind, language()))
        if self.entity_filter:
            filters.append(self.entity_filter)
        warned = len(data.notices)
        if warned:
            filters.append(_("⚠ with warnings: {count}").format(count=warned))
        if self.table.selected:
            filters.append(_("{count} selected").format(count=len(self.table.selected)))
        self.sub_title = _("{count} pending · oldest: {oldest}").format(
            count=len(data.pending), oldest=oldest
        )
        self.query_one("#summary", Static).update(literal(" · ".join([text, *filters])))
        self.query_one("#filed-label", Label).update(literal(_("Filed/day")))
        self.query_one("#decided-label", Label).update(literal(_("Decided/day")))
        self.query_one("#filed-chart", Sparkline).data = list(data.activity.filed)
        self.query_one("#decided-chart", Sparkline).data = list(data.activity.decided)
        buckets = [
            sum(1 for a in ages if a < 1),
            sum(1 for a in ages if 1 <= a < 7),
            sum(1 for a in ages if a >= 7),
        ]
        ages_text = _(
            "Ages: <1 d {a} · 1-7 d {b} · >7 d {c} · 30 days: {filed} filed, {decided} decided"
        ).format(
            a=buckets[0],
            b=buckets[1],
            c=buckets[2],
            filed=sum(data.activity.filed),
            decided=sum(data.activity.decided),
        )
        self.query_one("#ages", Static).update(literal(ages_text))

    def apply_language(self) -> None:
        super().apply_language()
        self.sub_title = ""
        self.refresh_summary()

    # ----- detail: the review, read in a worker as the cursor moves ------------------------------

    def show_detail(self, key: str | None) -> None:
        if key is None:
            self.review = None
            filtered = self.data is not None and bool(self.data.pending)
            text = (
                _("No pending request matches the filters.")
                if filtered
                else _("No pending request.")
            )
            self.query_one("#detail", Static).update(literal(text))
            return
        self.fetch_review(key)

    @work(thread=True, exclusive=True, group="review", exit_on_error=False)
    def fetch_review(self, key: str) -> None:
        deliver(self, self.Reviewed(self.store.review(self.admin_id, key)))

    @on(Reviewed)
    def _reviewed(self, message: Reviewed) -> None:
        review = message.review
        if review is not None and review.request.id != self.table.cursor_key:
            return  # the cursor moved on meanwhile: its own review follows
        self.review = message.review
        self.draw_review()

    def shown_review(self, key: str | None) -> bool:
        """Whether the detail shows the review of ``key`` (not another's, nor none yet)."""
        return self.review is not None and key is not None and self.review.request.id == key

    def draw_review(self) -> None:
        detail = self.query_one("#detail", Static)
        detail.update(literal("\n".join(review_lines(self.review, language()))))

    def action_read_review(self) -> None:
        from tui.screens.admin_dialogs import ReadScreen

        key = self.table.cursor_key
        if self.review is not None and self.shown_review(key):
            lines = review_lines(self.review, language())
            self.app.push_screen(ReadScreen(self.review.request.id, "\n".join(lines)))
        elif key is not None:
            self.notify(
                _("The details of {id} are not shown yet.").format(id=key),
                severity="warning",
                timeout=4,
            )

    # ----- actions ----------------------------------------------------------------------------

    def targets(self) -> list[str]:
        if self.table.selected:
            return self.table.selected_in_order()
        if self.batch_filter:
            # The whole import on screen: one decision for all of it, confirmed first.
            return list(self.table.keys)
        key = self.table.cursor_key
        return [key] if key else []

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("approve", "approve_with_note", "reject", "delete") and self.writing:
            return None
        return True

    def action_toggle_select(self) -> None:
        self.table.toggle()

    @on(RecordTable.SelectionChanged, "#records")
    def _selection_changed(self) -> None:
        self.refresh_summary()

    def action_clear(self) -> None:
        if self.filter_text or self.query_one("#filter").has_focus:
            super().action_clear()
        else:
            self.table.clear_selection()

    def action_cycle_kind(self) -> None:
        self.kind = KINDS[(KINDS.index(self.kind) + 1) % len(KINDS)]
        self.redraw()

    def action_batch_filter(self) -> None:
        if self.batch_filter:
            self.batch_filter = None
        elif self.review is not None and self.review.request.batch:
            self.batch_filter = self.review.request.batch
        elif self.review is not None:
            self.notify(_("This request was not filed by an import."), timeout=4)
            return
        self.redraw()

    def action_entity_filter(self) -> None:
        if self.entity_filter:
            self.entity_filter = None
        elif self.review is not None:
            self.entity_filter = self.review.request.entity_id
        self.redraw()

    def action_approve_with_note(self) -> None:
        from tui.screens.admin_dialogs import NoteScreen

        targets = self.targets()
        if not targets or self.store_away():
            return

        def noted(note: str | None) -> None:
            if note is not None:
                self.action_approve(note or None)

        self.app.push_screen(NoteScreen([self.describe(key) for key in targets]), noted)

    def action_approve(self, note: str | None = None) -> None:
        from tui.screens.admin_dialogs import ConfirmScreen, WarningsScreen

        data: QueueData | None = self.data
        targets = self.targets()
        if not targets or data is None:
            return
        if not self.table.selected and not self.shown_review(targets[0]):
            # One key approves the request under the cursor: only once the admin has its
            # details and warnings in front of them (not those of the row before it).
            self.notify(
                _("The details of {id} are not shown yet: approve it once they are.").format(
                    id=targets[0]
                ),
                severity="warning",
                timeout=6,
            )
            return
        warned = [(self.describe(key), data.notices[key]) for key in targets if key in data.notices]

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.approve(targets, note)

        if warned:
            lang = language()
            listed = [(head, [n.message(lang) for n in notices]) for head, notices in warned]
            self.app.push_screen(WarningsScreen(listed, len(targets)), confirmed)
        elif len(targets) > 1:
            # Many links change with one key: one question first, even without warnings.
            question = ngettext(
                "Approve {count} request? It has no warning.",
                "Approve these {count} requests? None has a warning.",
                len(targets),
            ).format(count=len(targets))
            self.app.push_screen(ConfirmScreen(question, agree=_("Approve")), confirmed)
        else:
            self.approve(targets, note)

    def approve(self, targets: list[str], note: str | None = None) -> None:
        if len(targets) > 1:
            self.bulk("approve", targets, note)
        else:
            self.decide("approve", targets[0], note)

    def describe(self, key: str) -> str:
        """A request as the dialogs name it: id, kind, person, entity."""
        request = self._requests.get(key)
        if request is None:
            return key
        kind = _(KIND_SHORT[request.kind])
        return f"{request.id} · {kind} · {request.full_name} · {request.entity_id}"

    def store_away(self) -> bool:
        """The store cannot be reached: say so rather than ask for a reason or a note that
        the decision's failure would then throw away."""
        if not console(self).out_of_reach:
            return False
        self.notify(
            _("The data cannot be reached for now: decide once it is back."),
            severity="warning",
            timeout=6,
        )
        return True

    def action_reject(self) -> None:
        from tui.screens.admin_dialogs import ReasonScreen

        targets = self.targets()
        if not targets or self.store_away():
            return

        def rejected(reason: str | None) -> None:
            if reason is None:
                return
            if len(targets) > 1:
                self.bulk("reject", targets, reason)
            else:
                self.decide("reject", targets[0], reason)

        self.app.push_screen(
            ReasonScreen(targets, [self.describe(key) for key in targets]), rejected
        )

    def action_delete(self) -> None:
        from tui.screens.admin_dialogs import ConfirmScreen

        key = self.table.cursor_key
        if key is None or self.store_away():
            return
        question = _(
            "Delete request {id}? Nothing changes and no e-mail is sent; the entity "
            "can then file a new request."
        ).format(id=self.describe(key))

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.decide("delete", key, None)

        self.app.push_screen(ConfirmScreen(question, agree=_("Delete")), confirmed)

    def decide(self, verb: str, request_id: str, reason: str | None) -> None:
        self.writing = True
        self.take_decision(verb, request_id, reason)

    # Never exclusive: a newer call would cancel this one and drop its result, yet it commits.
    @work(thread=True, group="decide", exit_on_error=False)
    def take_decision(self, verb: str, request_id: str, reason: str | None) -> None:
        if verb == "approve":
            said, request = (
                N_("Request {id} approved: {person}."),
                self.store.approve(self.admin_id, request_id, reason),
            )
        elif verb == "reject":
            said, request = (
                N_("Request {id} rejected: {person}."),
                self.store.reject(self.admin_id, request_id, reason or ""),
            )
        else:
            found = self.store.request(request_id)
            self.store.delete(self.admin_id, request_id)
            assert found is not None
            said, request = N_("Request {id} deleted: {person}."), found
        deliver(self, self.Decided(said, request))

    @on(Decided)
    def _decided(self, message: Decided) -> None:
        self.writing = False
        request = message.request
        self.notify(_(message.said).format(id=request.id, person=request.full_name), timeout=4)
        self.reload()

    def bulk(self, verb: str, targets: list[str], reason: str | None) -> None:
        from tui.screens.admin_dialogs import BulkScreen

        def finished(_result: None) -> None:
            self.table.clear_selection()
            self.follower.release()

        # The queue beneath the dialog reads again once, when it is over: 500 reloads of 5,000
        # pending requests competed with the approvals themselves (37 ms each, not 7).
        self.follower.hold()
        self.app.push_screen(BulkScreen(self.store, self.admin_id, verb, targets, reason), finished)

    def read_again(self, group: str) -> None:
        if group == "review":
            self.show_detail(self.table.cursor_key)

    def work_failed(self, group: str, error: BaseException | None) -> None:
        super().work_failed(group, error)
        if group == "review":
            # Never the details of the row before: none, and why, until they can be read.
            self.review = None
            if isinstance(error, StoreError):
                text = _(
                    "The details of {id} cannot be read for now; they are read again as soon "
                    "as the data can be reached."
                )
            else:
                text = _("The details of {id} could not be read.")
            key = self.table.cursor_key
            self.query_one("#detail", Static).update(literal(text.format(id=key or "–")))
        if group == "decide":
            self.writing = False
            # Another admin may have decided first: show the queue as it is now.
            if isinstance(error, RuleViolation):
                self.reload()
