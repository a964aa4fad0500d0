"""What every admin screen shares: the navigation bar, a filtered record list that follows
the store."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Header, Input, Static

from rules.text import fold
from store import Store
from tui.console import StoreFollower, deliver, follow_language, freeze_heap_after
from tui.i18n import N_, _, language
from tui.screens.base import CLEAR_BINDING, ConsoleScreen
from tui.widgets.footer import TranslatedFooter
from tui.widgets.record_table import Column, RecordTable, Row

SECTIONS = [
    ("queue", "1", N_("Queue")),
    ("history", "2", N_("History")),
    ("entities", "3", N_("Entities")),
    ("audit", "4", N_("Audit")),
    ("outbox", "5", N_("E-mails")),
]


# A row of a section and the folded text its filter searches.
Listed = tuple[Row, str]


class NavBar(Static):
    """The five sections and their keys; the current one stands out (also without colour)."""

    def __init__(self, current: str) -> None:
        super().__init__(classes="nav")
        self.current = current

    def refresh_labels(self) -> None:
        parts: list[str | tuple[str, str]] = []
        for mode, key, label in SECTIONS:
            text = f" {key} {_(label)} "
            parts.append((text, "reverse") if mode == self.current else text)
        # Styled without markup: a translation may hold brackets.
        self.update(Content.assemble(*parts))


class AdminListScreen(ConsoleScreen[None]):
    """A list of records that follows the store, with a text filter and a detail area."""

    @dataclass
    class Loaded(Message, bubble=False):
        """A read of the section: ``data`` at store ``version``, or None if nothing changed."""

        version: int
        data: Any

    AUTO_FOCUS = "#records"
    SECTION = "queue"
    TITLE_TEXT = ""
    # The tables what the section shows is read from: a commit that wrote none of them (a
    # mail sent, for the queue) does not make it read again.
    TABLES: tuple[str, ...] = ("admins", "entities", "links", "requests", "outbox", "audit")
    SELECTABLE = False
    BINDINGS = [
        # A priority binding runs as the key comes in, before the keys behind it are handed
        # to the focused widget: typed in one burst, they reach the box, not the list.
        Binding(
            "slash",
            "filter",
            N_("Filter"),
            id="filter",
            tooltip=N_("Type to filter"),
            priority=True,
        ),
        CLEAR_BINDING,
    ]
    # While a write runs, the section's check_action turns its write keys off: a second
    # write would only be refused, and its refusal would hide the first one's result.
    writing = reactive(False, bindings=True)

    def __init__(self, store: Store, admin_id: str, admin_name: str | None = None) -> None:
        super().__init__()
        self.store, self.admin_id = store, admin_id
        # How the title names who is working: the name, the login beside it.
        self.admin_name = admin_name
        self.version = -1
        self.data: Any = None
        self.filter_text = ""
        self.follower = StoreFollower(self, self.load)
        self._lang = ""
        self._rows: list[Listed] = []
        self._rows_key: tuple[int, str] | None = None

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        with Vertical(classes="admin-body"):
            yield NavBar(self.SECTION)
            yield from self.compose_top()
            yield Input(id="filter", classes="hidden")
            yield RecordTable(id="records", selectable=self.SELECTABLE)
            yield Static(id="detail", classes="detail")
        yield TranslatedFooter(compact=True, show_command_palette=False)

    def compose_top(self) -> ComposeResult:
        yield Static(id="summary", classes="info")

    def on_mount(self) -> None:
        follow_language(self)
        self.follower.read(force=True)
        self.follower.start()

    # ----- data -----------------------------------------------------------------------------

    def fetch(self) -> Any:
        """Read what the screen shows (in a worker thread, under the store's read lock)."""
        raise NotImplementedError

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self, force: bool = False) -> None:
        # One lock for the version and everything fetch reads: a section shows one moment
        # (its rows, their marks, the names beside them), and the version is that moment's.
        with self.store.reading():
            if force or self.data is None:
                version, changed = self.store.version(), True
            else:
                version, changed = self.store.tables_changed(self.TABLES, self.version)
            data = self.fetch() if changed else None
        deliver(self, self.Loaded(version, data))

    def reload(self) -> None:
        """Read again now, whatever the version: after this console's own write."""
        self.follower.read(force=True)

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.data is not None:
            self.version, self.data = message.version, message.data
            self._rows_key = None  # new data at the same version (a longer page, say)
            self.redraw()
            self.refresh_bindings()  # a key may depend on what was read (« older »)
            self.call_after_refresh(freeze_heap_after, self.SECTION)
        elif self.data is not None:
            self.version = message.version  # nothing it shows changed up to this version
        self.load_ended()

    def load_ended(self) -> None:
        self.follower.read_ended()

    def work_failed(self, group: str, error: BaseException | None) -> None:
        if group == "load":
            self.follower.failed()
            self.load_ended()

    # ----- drawing --------------------------------------------------------------------------

    def columns(self) -> list[Column]:
        raise NotImplementedError

    def all_rows(self) -> list[Listed]:
        """Every row with the text the filter searches."""
        raise NotImplementedError

    def rows(self) -> list[Listed]:
        """all_rows(), formatted once per load and language: a keystroke only filters."""
        key = (self.version, language())
        if self._rows_key != key:
            self._rows = self.all_rows()
            self._rows_key = key
        return self._rows

    def keep(self, key: str) -> bool:
        """Filters other than the text one (subclasses)."""
        return True

    def visible_rows(self) -> list[Row]:
        words = fold(self.filter_text).split()
        return [
            row for row, hay in self.rows() if all(w in hay for w in words) and self.keep(row[0])
        ]

    def redraw(self) -> None:
        if self.data is None:
            return
        # Records the filters hide stay selected; those gone from the store do not.
        present = {row[0] for row, _hay in self.rows()}
        self.table.set_rows(self.visible_rows(), present=present)
        self.refresh_summary()
        self.show_detail(self.table.cursor_key)

    def refresh_summary(self) -> None:
        pass

    def show_detail(self, key: str | None) -> None:
        pass

    @property
    def table(self) -> RecordTable:
        return self.query_one("#records", RecordTable)

    def on_screen_resume(self) -> None:
        # The language may have changed while another section was on screen.
        if self._lang != language():
            self.apply_language()
        self.follower.resumed()

    def apply_language(self) -> None:
        self._lang = language()
        self.title = _(self.TITLE_TEXT)
        self.sub_title = (
            f"{self.admin_name} ({self.admin_id})"
            if self.admin_name
            else _("administrator {id}").format(id=self.admin_id)
        )
        self.query_one(NavBar).refresh_labels()
        self.query_one("#filter", Input).placeholder = _("Filter…")
        self.table.set_columns(self.columns())
        self.redraw()

    @on(RecordTable.Highlighted, "#records")
    def _highlighted(self, event: RecordTable.Highlighted) -> None:
        self.show_detail(event.key)

    # ----- filter ---------------------------------------------------------------------------

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if self.focused is box:
            # The binding comes first, even in the box: a slash typed there goes to it,
            # behind the keys already on their way.
            box.post_message(events.Key("slash", "/"))
            return
        box.remove_class("hidden")
        # Now, not after a refresh as focus() would: the next key may already be on its way.
        self.set_focus(box)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value.strip()
        self.redraw()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.table.focus()

    def action_clear(self) -> None:
        box = self.query_one("#filter", Input)
        box.value = ""
        box.add_class("hidden")
        self.table.focus()


class PagedListScreen(AdminListScreen):
    """A section that reads its newest PAGE records, and PAGE more on « o »: 150,000 audit
    entries, decisions or mails would cost the console hundreds of MiB and every reload
    seconds (the command line reads them all)."""

    PAGE = 1000
    BINDINGS = [
        Binding("o", "older", N_("Older"), id="older", tooltip=N_("Show 1,000 older ones too")),
    ]

    def __init__(self, store: Store, admin_id: str, admin_name: str | None = None) -> None:
        super().__init__(store, admin_id, admin_name)
        self.shown = self.PAGE

    def more_to_show(self) -> bool:
        """Whether older records than those read exist."""
        raise NotImplementedError

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "older":
            return self.data is not None and self.more_to_show()
        return True

    def action_older(self) -> None:
        self.shown += self.PAGE
        self.reload()
