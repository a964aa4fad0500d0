"""RecordTable on its own: cursor, selection, what each line shows, and which lines it redraws."""

from __future__ import annotations

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.strip import Strip

from tests.functional.tui.conftest import SIZE, until
from tui.widgets.record_table import Column, RecordTable, Row

COLUMNS = [Column("name", "Name", 12), Column("town", "Town", 8)]
VISIBLE = SIZE[1] - 1  # every line but the header


def people(count: int) -> list[Row]:
    return [(f"p{i:03}", (f"Person {i}", "Gent")) for i in range(count)]


class CountingTable(RecordTable):
    """Remembers which lines were drawn, to tell a line redraw from a full one."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.drawn: list[int] = []

    def render_line(self, y: int) -> Strip:
        self.drawn.append(y)
        return super().render_line(y)


class TableApp(App[None]):
    BINDINGS = [Binding("space", "toggle")]

    def __init__(self, rows: list[Row], selectable: bool = True) -> None:
        super().__init__()
        self.rows, self.selectable = rows, selectable
        self.selections: list[frozenset[str]] = []
        self.highlighted: list[str | None] = []

    def compose(self) -> ComposeResult:
        yield CountingTable(id="people", selectable=self.selectable)

    def on_mount(self) -> None:
        self.table.set_columns(COLUMNS)
        self.table.set_rows(self.rows)
        self.table.focus()

    @property
    def table(self) -> CountingTable:
        return self.query_one("#people", CountingTable)

    def action_toggle(self) -> None:
        self.table.toggle()

    @on(RecordTable.SelectionChanged, "#people")
    def _selection(self, event: RecordTable.SelectionChanged) -> None:
        self.selections.append(event.keys)

    @on(RecordTable.Highlighted, "#people")
    def _highlighted(self, event: RecordTable.Highlighted) -> None:
        self.highlighted.append(event.key)


def line(table: RecordTable, y: int) -> str:
    return table.render_line(y).text


def line_of(table: RecordTable, key: str) -> str:
    return line(table, table.keys.index(key) - round(table.scroll_y) + 1)


async def test_cursor_keys_move_and_scroll():
    app = TableApp(people(100))
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        await pilot.press("down", "down", "up")
        assert table.cursor_key == "p001"
        await pilot.press("pagedown")
        assert table.cursor == 1 + SIZE[1] - 2
        assert round(table.scroll_y) == table.cursor - VISIBLE + 1  # the cursor is on screen
        await pilot.press("pageup")
        assert table.cursor == 1
        await pilot.press("end")
        assert table.cursor_key == "p099"
        assert "Person 99" in line(table, VISIBLE)
        await pilot.press("down")
        assert table.cursor_key == "p099"  # no further than the last row
        await pilot.press("home")
        assert table.cursor_key == "p000" and table.scroll_y == 0
        assert "Person 0" in line(table, 1)
        assert app.highlighted[-1] == "p000" and "p099" in app.highlighted


async def test_the_cursor_follows_its_record_when_the_rows_are_reordered():
    app = TableApp(people(5))
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        table.move_to("p003")
        table.set_rows(list(reversed(people(5))))
        await pilot.pause()
        assert table.cursor_key == "p003" and table.cursor == 1
        table.set_rows([row for row in people(5) if row[0] != "p003"])
        assert table.cursor_key is not None  # its row is gone: the cursor stays in the list


async def test_space_toggles_the_cursor_row_moves_down_and_tells_the_screen():
    app = TableApp(people(5))
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        await pilot.press("space", "space")
        assert table.selected == {"p000", "p001"}
        assert table.cursor_key == "p002"
        await until(pilot, lambda: len(app.selections) == 2)
        assert app.selections == [frozenset({"p000"}), frozenset({"p000", "p001"})]
        assert line(table, 0).startswith("   Name")  # the mark column has a blank header
        assert line_of(table, "p000").startswith(" * Person 0 ")
        assert line_of(table, "p002").startswith("   Person 2 ")
        await pilot.press("up", "space")
        assert table.selected == {"p000"}
        assert line_of(table, "p001").startswith("   Person 1 ")
        table.toggle("p004")  # a record named: the cursor stays
        assert table.cursor_key == "p002" and table.selected == {"p000", "p004"}
        table.clear_selection()
        await until(pilot, lambda: app.selections[-1] == frozenset())
        assert "*" not in line_of(table, "p000")


async def test_the_selection_keeps_only_records_still_there():
    app = TableApp(people(5))
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        table.select_keys(["p001", "p003"])
        # A filter hides p003 but it still exists: it stays selected.
        table.set_rows([row for row in people(5) if row[0] != "p003"], present=table.keys)
        assert table.selected == {"p001", "p003"}
        assert table.selected_in_order() == ["p001", "p003"]
        table.set_rows([row for row in people(5) if row[0] != "p001"])
        assert table.selected == {"p003"}
        await until(pilot, lambda: app.selections[-1:] == [{"p003"}])


async def test_selected_in_order_follows_the_table_then_the_hidden_ones():
    app = TableApp(people(5))
    async with app.run_test(size=SIZE):
        table = app.table
        table.select_keys(["p004", "p000", "p002"])
        table.set_rows(list(reversed(people(5)))[:3], present=[key for key, _ in people(5)])
        assert table.keys == ["p004", "p003", "p002"]
        assert table.selected_in_order() == ["p004", "p002", "p000"]


async def test_a_table_without_selection_draws_no_mark_column():
    app = TableApp(people(3), selectable=False)
    async with app.run_test(size=SIZE):
        assert line(app.table, 0).startswith(" Name ")
        assert line(app.table, 1).startswith(" Person 0 ")


async def test_marked_rows_stand_out_in_style():
    app = TableApp(people(3))
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        table.marked = {"p002"}
        table.refresh()
        await pilot.pause()
        marked = table.render_line(3)
        plain = table.render_line(2)
        assert any(seg.style and seg.style.bold for seg in marked)
        assert not any(seg.style and seg.style.bold for seg in plain)


async def test_control_characters_are_shown_not_sent():
    app = TableApp([("evil", ("\x1b[31mred", "Gent"))])
    async with app.run_test(size=SIZE):
        text = line(app.table, 1)
        assert "\\x1b[31" in text and "\x1b" not in text


async def test_a_long_cell_is_cut_with_an_ellipsis():
    app = TableApp([("long", ("Wolfeschlegelsteinhausen", "Sint-Niklaas"))])
    async with app.run_test(size=SIZE):
        text = line(app.table, 1)
        assert "   Wolfeschleg… Sint-Ni… " in text
        assert len(text) == SIZE[0]


async def test_a_cursor_move_redraws_only_the_two_lines_concerned():
    app = TableApp(people(50))
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        await pilot.pause()
        table.drawn.clear()
        await pilot.press("down")
        await pilot.pause()
        assert sorted(set(table.drawn)) == [1, 2]
        table.drawn.clear()
        await pilot.press("space")  # toggles row 1, the cursor goes from row 1 to row 2
        await pilot.pause()
        assert sorted(set(table.drawn)) == [2, 3]
        # A move off the screen scrolls: then every line is drawn again.
        table.drawn.clear()
        await pilot.press("end")
        await pilot.pause()
        assert set(range(SIZE[1])) <= set(table.drawn)


def test_the_width_tally_follows_the_rows_that_came_and_went():
    # Kept by row object across loads: the widths must be those of a fresh count whatever
    # came, went or stayed.
    from tui.widgets.record_table import WidthTally

    long, short, wide = ("a", ("x" * 12, "漢字")), ("b", ("xy", "z")), ("c", ("x", "漢字漢字"))
    tally = WidthTally()
    tally.update([long, short], 2)
    assert tally.widest() == [12, 4]
    tally.update([short, wide], 2)  # the longest went, a wider one came
    assert tally.widest() == [2, 8]
    tally.update([short], 2)
    assert tally.widest() == [2, 1]
    tally.update([], 2)
    assert tally.widest() == [0, 0]
    tally.update([("b", ("xy", "z")), long], 2)  # an equal row, but another object
    assert tally.widest() == [12, 4]
