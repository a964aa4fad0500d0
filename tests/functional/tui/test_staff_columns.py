"""« Mes employés » at 80 columns: nothing cut that cannot be read whole somewhere."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from rules import make_niss
from tests.conftest import DOCTOR, DOCTOR_2, NURSE_2, TRAINEE, link
from tests.functional.tui.conftest import MIDWIFE, SIZE, make_app, settle
from tests.functional.tui.staff_helpers import (
    open_cab,
    requests_of,
    screen_lines,
    shown_in,
    staff_of,
)
from tui.widgets.record_table import Column, RecordTable, layout

REASON = (
    "Cette personne ne travaille pas au cabinet : son contrat commence le mois prochain, "
    "introduisez une nouvelle demande à ce moment-là avec le bon type d'employé."
)


class OneTable(App[None]):
    def __init__(self, columns: list[Column], rows) -> None:
        super().__init__()
        self.columns, self.rows = columns, rows

    def compose(self) -> ComposeResult:
        yield RecordTable(id="t")

    def on_mount(self) -> None:
        table = self.query_one(RecordTable)
        table.set_columns(self.columns)
        table.set_rows(self.rows)


async def test_a_header_is_never_cut_even_when_its_column_is_narrower():
    app = OneTable([Column("age", "Leeftijd", 6), Column("who", "Ontkoppeling", 11)], [])
    async with app.run_test(size=SIZE):
        header = app.query_one(RecordTable).render_line(0).text
        assert "Leeftijd" in header and "Ontkoppeling" in header and "…" not in header


async def test_fit_columns_follow_their_content_and_flex_ones_take_the_rest():
    columns = [
        Column("kind", "Kind", 20, fit=True),
        Column("name", "Name", 10, flex=1),
        Column("when", "When", 10),
    ]
    app = OneTable(columns, [("a", ("Short", "Ann", "01/01/2026"))])
    async with app.run_test(size=SIZE):
        table = app.query_one(RecordTable)
        kind, name, when = table.widths
        assert kind == len("Short") and when == 10
        assert 1 + kind + 1 + name + 1 + when == table.size.width  # the row spans the table
        table.set_rows([("a", ("A much longer kind of thing", "Ann", "01/01/2026"))])
        assert table.widths[0] == 20  # up to its width, then cut (the detail shows it whole)


async def test_the_whole_reject_reason_is_on_screen_under_the_requests(practice):
    request = practice.file_connect(DOCTOR, "cab", MIDWIFE, "Lambert", "Zoë", "sage_femme")
    practice.reject("adm", request.id, REASON)
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cab(pilot)
        await pilot.press("tab")
        requests_of(screen).move_to(request.id)
        await settle(pilot)
        shown = shown_in(app, screen.query_one("#detail"))
        assert " ".join(REASON.split()) in shown
        assert requests_of(screen).row(request.id)[3].startswith("rejetée\u00a0: Cette")
        assert screen.query_one("#detail").region.bottom <= SIZE[1] - 2  # above the footer


async def test_the_supervisor_of_a_macg_is_told_apart_from_a_namesake(practice):
    link(practice, "cab", DOCTOR_2, "Dupont", "Marc", "medecin")  # a second Dr Dupont
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cab(pilot)
        row = staff_of(screen).row(TRAINEE)
        assert "MACG · DUPONT Jean" in row
        assert "MACG · DUPONT Jean" in shown_in(app, staff_of(screen))


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
async def test_headers_are_whole_in_every_language(practice, lang):
    app = make_app(practice, DOCTOR, lang)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cab(pilot)
        for table in (staff_of(screen), requests_of(screen)):
            header = table.render_line(0).text
            for column in table.columns:
                assert column.label in header, (lang, column.label)
            assert "…" not in header


async def test_a_long_request_row_reads_whole_in_the_detail(practice):
    app = make_app(practice, DOCTOR, "nl")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cab(pilot)
        await pilot.press("tab")
        (pending,) = [r for r in screen.view.pending if r.niss == NURSE_2]
        requests_of(screen).move_to(pending.id)
        await settle(pilot)
        shown = shown_in(app, screen.query_one("#detail"))
        assert pending.id in shown and "PEETERS Lotte" in shown and "DUPONT Jean" in shown


async def test_a_scrollbar_takes_its_cells_from_the_flexible_column():
    columns = [Column("name", "Name", 10, flex=1), Column("when", "When", 10)]
    rows = [(f"p{i}", (f"Person {i}", "01/01/2026")) for i in range(100)]
    app = OneTable(columns, rows)
    async with app.run_test(size=SIZE):
        table = app.query_one(RecordTable)
        assert table.scrollbar_size_vertical > 0
        lines = screen_lines(app)
        assert lines[1].rstrip(" ▁▂▃▄▅▆▇█").endswith("01/01/2026")
        assert "When" in lines[0]


async def test_the_columns_keep_their_width_when_the_detail_grows(practice):
    # Seven people: they fit at 80×24 until the detail beneath wraps a long reason.
    for i in range(4):
        link(practice, "cab", make_niss("800101", 200 + i), "Extra", "ABCDEFGHI"[i], "infirmier")
    target = practice.requests("cab")[0]
    practice.reject("adm", target.id, "Inconnue au cabinet, " * 8)
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cab(pilot)
        staff = staff_of(screen)
        before = list(staff._widths)
        assert staff.max_scroll_y == 0  # every person fits…
        await pilot.press("tab")  # into « Demandes en cours »: the detail wraps the reason
        requests_of(screen).move_to(target.id)
        await settle(pilot)
        assert staff.max_scroll_y > 0  # …until the detail takes a line more: now it scrolls…
        assert staff._widths == before  # …and its columns did not move


def test_a_short_name_is_not_cut_while_a_longer_column_can_give_way():
    columns = [
        Column("name", "Name", 24, flex=1, min_width=20),
        Column("niss", "NISS", 15),
        Column("type", "Type", 32, fit=True),
        Column("since", "Since", 10),
    ]
    rows = [("a", ("VANDENBERGHE Éloïse", "x", "collaborateur administratif", "01/01/2026"))]
    # 19 + 15 + 27 + 10 = 71 cells wanted, 68 to share: the type gives the three cells.
    assert layout(columns, rows, 68) == [19, 15, 24, 10]
    # Room to spare goes to the flexible column, after everyone has what they need.
    assert layout(columns, rows, 80) == [28, 15, 27, 10]
    flexible = [Column("person", "Person", 20, flex=2), Column("status", "Status", 17, flex=3)]
    wide = [("a", ("VANDENBERGHE Éloïse", "en attente"))]
    person, status = layout(flexible, wide, 40)
    assert person >= len("VANDENBERGHE Éloïse") and person + status == 40


def test_free_text_gives_way_before_a_date():
    # « Demandes en cours »: a long name and a long reason are read whole in the detail line;
    # the filer and date beside them stay whole.
    columns = [
        Column("kind", "Request", 14, fit=True),
        Column("person", "Person", 20, flex=2, min_width=16),
        Column("filed", "Filed by · on", 24, fit=True),
        Column("status", "Status", 17, flex=3),
    ]
    rows = [
        ("a", ("Connexion", "VANDENBROUCKE-D'URSEL Marie", "DUPONT J. · 30/11/2026", "en attente")),
        ("b", ("Connexion", "MAES Noah", "DUPONT J. · 18/11/2026", "rejetée : " + "x" * 60)),
    ]
    kind, person, filed, status = layout(columns, rows, 72)
    assert filed == len("DUPONT J. · 30/11/2026") and kind == len("Connexion")
    assert person >= 16 and kind + person + filed + status == 72
