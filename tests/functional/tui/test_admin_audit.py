"""The Audit section in the person's words: labels, names, formatted NISS; any NISS form."""

from __future__ import annotations

from textual.widgets import Input

from rules import format_niss
from tests.conftest import DOCTOR, NURSE_2
from tests.functional.tui.conftest import SIZE, settle, until
from tests.functional.tui.test_admin_console import make_admin, queue_of, text_of
from tui.screens.admin_audit import AuditScreen


async def audit_of(pilot) -> AuditScreen:
    await queue_of(pilot)
    await pilot.press("4")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, AuditScreen)
    await until(pilot, lambda: screen.data is not None)
    return screen


async def test_audit_shows_labels_names_and_formatted_niss(practice):
    admin = practice.admin("adm")
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        screen = await audit_of(pilot)
        rows = ["  ".join(screen.table.row(key)) for key in screen.table.keys]
        shown = "\n".join(rows)
        assert "request_" not in shown and "entity_created" not in shown
        assert "Demande rejetée" in shown and "Entité créée" in shown
        assert admin.name in shown
        # The doctor who filed requests is named, not shown as a number cut at 80 columns.
        assert "DUPONT Jean" in shown and format_niss(DOCTOR) not in shown
        created = next(k for k in screen.table.keys if "Entité créée" in screen.table.row(k))
        while screen.table.cursor_key != created:
            await pilot.press("down")
        await settle(pilot)
        detail = text_of(screen, "#detail")
        assert "manager_type" not in detail and "Type du responsable" in detail
        assert f"{admin.name} (adm)" in detail


async def test_audit_filter_finds_a_niss_in_either_form(practice):
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        screen = await audit_of(pilot)
        box = screen.query_one("#filter", Input)
        found = {}
        for typed in (NURSE_2, format_niss(NURSE_2)):
            await pilot.press("slash")
            box.value = typed
            await settle(pilot)
            found[typed] = list(screen.table.keys)
            await pilot.press("escape")
        assert found[NURSE_2] and found[NURSE_2] == found[format_niss(NURSE_2)]
