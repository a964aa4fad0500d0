"""A table for thousands of records: only the visible lines are drawn (Textual's line API)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from rules import printable

Row = tuple[str, Sequence[str]]


@dataclass(frozen=True, slots=True)
class Column:
    """A column's width never cuts its header (whatever the language).

    By default ``width`` is fixed. With ``fit``, the column is as wide as its widest cell,
    up to ``width``. With ``flex`` (a weight), it takes its share of the room the others
    leave. Fit and flex columns give way, down to their header, when the table is narrow.
    """

    key: str
    label: str
    width: int
    fit: bool = False
    flex: int = 0
    min_width: int = 0

    @property
    def floor(self) -> int:
        return max(cell_len(self.label), self.min_width)


def layout(columns: Sequence[Column], rows: Sequence[Row], room: int) -> list[int]:
    """Each column's width in cells, for ``room`` cells of cells (separators excluded).

    Every column first asks for what its cells need (a fit column up to its width). Room
    left over goes to the flex columns by weight. When there is too little, the widest flex
    column gives way first, one cell at a time, down to its minimum (a name's minimum keeps
    a usual name whole), then the fit columns, down to their header.
    """
    widest = [
        max((cell_len(cells[i]) for _key, cells in rows if i < len(cells)), default=0)
        for i in range(len(columns))
    ]
    return layout_widest(columns, widest, room)


def layout_widest(columns: Sequence[Column], widest: Sequence[int], room: int) -> list[int]:
    """``layout``, given each column's widest cell."""
    widths, least = [], []
    for i, column in enumerate(columns):
        header = cell_len(column.label)
        if column.fit or column.flex:
            need = min(column.width, widest[i]) if column.fit else widest[i]
            widths.append(max(header, need))
            # A minimum protects what is there: a name shorter than it gives no cell away.
            least.append(max(header, min(column.min_width, need)))
        else:
            widths.append(max(column.floor, column.width))
            least.append(widths[-1])
    spare = room - sum(widths)
    weights = sum(column.flex for column in columns)
    if spare > 0 and weights:
        shares = [spare * column.flex // weights for column in columns]
        # What the division leaves goes to the last flexible column.
        last = max(i for i, column in enumerate(columns) if column.flex)
        shares[last] += spare - sum(shares)
        widths = [w + share for w, share in zip(widths, shares, strict=True)]
    elif spare < 0:
        # Flexible columns hold free text (names, reasons) that the detail line shows whole:
        # they give way first, down to their minimum; short fit values (a date, a type)
        # only after.
        for yielding in (
            [i for i, column in enumerate(columns) if column.flex],
            [i for i, column in enumerate(columns) if column.fit or column.flex],
        ):
            while spare < 0:
                movable = [i for i in yielding if widths[i] > least[i]]
                if not movable:
                    break
                giving = max(movable, key=lambda i: widths[i])
                widths[giving] -= 1
                spare += 1
    return widths


def fit(text: str, width: int) -> str:
    """Exactly ``width`` cells: padded, or cut with an ellipsis."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"


class WidthTally:
    """How many cells of each width each column holds, changed by the rows that came and
    went: after a commit, 7,500 rows are laid out again, and nearly all are the same row
    objects (a screen keeps a row while nothing in it changed)."""

    def __init__(self) -> None:
        self._rows: dict[int, tuple[Sequence[str], tuple[int, ...]]] = {}
        self._counts: list[dict[int, int]] = []

    def update(self, rows: Sequence[Row], columns: int) -> None:
        if len(self._counts) != columns:
            self._rows, self._counts = {}, [{} for _ in range(columns)]
        now: dict[int, tuple[Sequence[str], tuple[int, ...]]] = {}
        for _key, cells in rows:
            known = self._rows.get(id(cells))
            if known is not None and known[0] is cells:
                now[id(cells)] = known
                continue
            lens = tuple(cell_len(cell) for cell in cells[:columns])
            self._count(lens, 1)
            now[id(cells)] = (cells, lens)
        for key, (cells, lens) in self._rows.items():
            if now.get(key, (None,))[0] is not cells:
                self._count(lens, -1)
        self._rows = now

    def _count(self, lens: tuple[int, ...], step: int) -> None:
        for counts, width in zip(self._counts, lens, strict=False):
            counts[width] = counts.get(width, 0) + step

    def widest(self) -> list[int]:
        return [max((w for w, n in counts.items() if n > 0), default=0) for counts in self._counts]


class RecordTable(ScrollView, can_focus=True):
    """Rows keyed by record id, one cursor row, a header that stays on top, and, when
    ``selectable``, a set of selected records shown by a "*" in a leading column.

    DataTable measures every cell of every row it is given; refilling it with 2,000 rows
    on each filter keystroke took over 100 ms. Here a refill is a list swap, and a cursor
    move or a toggle redraws only the lines it changes.
    """

    COMPONENT_CLASSES = {"record-table--header", "record-table--cursor", "record-table--marked"}
    DEFAULT_CSS = """
    RecordTable {
        background: $surface;
        overflow-x: hidden;
        overflow-y: auto;
    }
    RecordTable > .record-table--header {
        text-style: bold;
        background: $panel;
    }
    RecordTable > .record-table--cursor {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
    }
    RecordTable > .record-table--marked {
        color: $warning;
        text-style: bold;
    }
    RecordTable:focus > .record-table--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    """
    BINDINGS = [
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "cursor_to(0)", show=False),
        Binding("end", "cursor_to(-1)", show=False),
    ]

    # Not repainted as a whole on change: watch_cursor redraws the two lines concerned.
    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)

    @dataclass
    class Highlighted(Message):
        """The cursor moved to another record (``key`` is None when the table is empty)."""

        table: RecordTable
        key: str | None

        @property
        def control(self) -> RecordTable:
            return self.table

    @dataclass
    class SelectionChanged(Message):
        """Records were selected or unselected; ``keys`` is the whole selection now."""

        table: RecordTable
        keys: frozenset[str]

        @property
        def control(self) -> RecordTable:
            return self.table

    def __init__(
        self, *, selectable: bool = False, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.selectable = selectable
        self.columns: list[Column] = []
        self.rows: list[Row] = []
        self._position: dict[str, int] = {}
        self._announced: str | None = None
        self._selected: set[str] = set()
        self._widths: list[int] = []
        self._laid_out_for: int | None = None
        self._tally = WidthTally()
        # Rows that must stand out (overdue requests, failed mails); their text says why too.
        self.marked: set[str] = set()

    # ----- content ------------------------------------------------------------------------

    def set_columns(self, columns: Sequence[Column]) -> None:
        self.columns = list(columns)
        self._tally = WidthTally()
        self._resize()
        self.refresh()

    def set_rows(self, rows: Sequence[Row], *, present: Collection[str] | None = None) -> None:
        """Replace every row; the cursor stays on the same record when it is still there.

        The selection keeps only the records in ``present`` (by default the rows given):
        a filter passes every record it could show, since hiding a row does not unselect it.
        """
        current = self.cursor_key
        self.rows = list(rows)
        self._position = {key: i for i, (key, _cells) in enumerate(self.rows)}
        self._resize()
        if current in self._position:
            self.cursor = self._position[current]
        else:
            self.cursor = min(self.cursor, max(len(self.rows) - 1, 0))
        self.refresh()
        kept = self._selected & set(self._position if present is None else present)
        if kept != self._selected:
            self._selected = kept
            self._selection_changed()

    def row(self, key: str) -> Sequence[str]:
        return self.rows[self._position[key]][1]

    @property
    def keys(self) -> list[str]:
        return [key for key, _cells in self.rows]

    @property
    def cursor_key(self) -> str | None:
        if 0 <= self.cursor < len(self.rows):
            return self.rows[self.cursor][0]
        return None

    def move_to(self, key: str) -> None:
        self.cursor = self._position[key]

    def _resize(self) -> None:
        self._laid_out_for = None  # widths follow the content: measured again when drawn
        self.virtual_size = Size(self.size.width, len(self.rows) + 1)

    @property
    def widths(self) -> list[int]:
        """The columns' widths for the rows and the width of this moment."""
        width = self._usable_width()
        if self._laid_out_for != width:
            # A leading space, the selection mark and its space, a space between columns.
            room = width - 1 - (2 if self.selectable else 0) - max(len(self.columns) - 1, 0)
            # Counted when laid out (once a frame at most), not at each set_rows.
            self._tally.update(self.rows, len(self.columns))
            self._widths = layout_widest(self.columns, self._tally.widest(), room)
            self._laid_out_for = width
        return self._widths

    def _usable_width(self) -> int:
        """The width the rows may use: a vertical scrollbar takes its cells from the right."""
        return max(0, self.size.width - self.scrollbar_gutter.width)

    # ----- selection ------------------------------------------------------------------------

    @property
    def selected(self) -> frozenset[str]:
        return frozenset(self._selected)

    def selected_in_order(self) -> list[str]:
        """The selection as the table lists it; records a filter hides follow, sorted."""
        shown = [key for key in self.keys if key in self._selected]
        return shown + sorted(self._selected - set(shown))

    def toggle(self, key: str | None = None) -> None:
        """Select or unselect a record; by default the cursor's, and the cursor moves down."""
        at_cursor = key is None
        key = self.cursor_key if key is None else key
        if key is None or key not in self._position:
            return
        self._selected ^= {key}
        self._refresh_row(self._position[key])
        if at_cursor:
            self.cursor += 1
        self._selection_changed()

    def select_keys(self, keys: Iterable[str]) -> None:
        added = set(keys) - self._selected
        if added:
            self._selected |= added
            self._refresh_keys(added)
            self._selection_changed()

    def clear_selection(self) -> None:
        if self._selected:
            cleared, self._selected = self._selected, set()
            self._refresh_keys(cleared)
            self._selection_changed()

    def _selection_changed(self) -> None:
        self.post_message(self.SelectionChanged(self, frozenset(self._selected)))

    # ----- cursor ---------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.rows) - 1)) if self.rows else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self._refresh_row(old)
        self._refresh_row(new)
        self._follow_cursor()

    def _follow_cursor(self) -> None:
        """Scroll the cursor into view (a scroll redraws everything) and announce its record."""
        value = self.cursor
        visible = max(1, self.size.height - 1)
        top = round(self.scroll_y)
        if value < top:
            self.scroll_to(y=value, animate=False)
        elif value >= top + visible:
            self.scroll_to(y=value - visible + 1, animate=False)
        key = self.cursor_key
        if key != self._announced:
            self._announced = key
            self.post_message(self.Highlighted(self, key))

    def action_cursor(self, step: int) -> None:
        self.cursor += step

    def action_page(self, direction: int) -> None:
        self.cursor += direction * max(1, self.size.height - 2)

    def action_cursor_to(self, index: int) -> None:
        self.cursor = index if index >= 0 else len(self.rows) - 1

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:
            self.cursor = round(self.scroll_y) + event.y - 1
        self.focus()

    # ----- drawing --------------------------------------------------------------------------

    def _refresh_row(self, index: int) -> None:
        """Redraw one row if it is on screen (line 0 is the header)."""
        y = index - round(self.scroll_y) + 1
        if 0 <= index < len(self.rows) and 1 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def _refresh_keys(self, keys: Iterable[str]) -> None:
        for key in keys:
            if key in self._position:
                self._refresh_row(self._position[key])

    def _line(self, cells: Sequence[str], mark: str | None = None) -> str:
        text = " ".join(
            # Segments reach the terminal as they are: a control character would act on it.
            fit(printable(cell), width)
            for cell, width in zip(cells, self.widths, strict=False)
        )
        if self.selectable:
            # A sign, not only a colour: the selection shows on any terminal.
            text = (mark or " ") + " " + text
        return fit(" " + text, self._usable_width()) + " " * self.scrollbar_gutter.width

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            style = self.get_component_rich_style("record-table--header")
            return Strip([Segment(self._line([c.label for c in self.columns]), style)], width)
        index = round(self.scroll_y) + y - 1
        if index >= len(self.rows):
            return Strip([Segment(" " * width, self.rich_style)], width)
        key, cells = self.rows[index]
        style = self.rich_style
        if key in self.marked:
            style += self.get_component_rich_style("record-table--marked")
        if index == self.cursor:
            style += self.get_component_rich_style("record-table--cursor")
        mark = "*" if key in self._selected else None
        return Strip([Segment(self._line(cells, mark), style)], width)

    def on_resize(self) -> None:
        self._resize()
        self.refresh()
        self._follow_cursor()
