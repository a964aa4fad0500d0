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


async def test_audit_shows_a_page_of_the_newest_entries_and_more_on_o(practice, monkeypatch):
    # A page of 4 here (1,000 in use): the section reads the trail's newest entries only.
    monkeypatch.setattr(AuditScreen, "PAGE", 4)
    total = practice.audit_length()
    assert total > 8
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        screen = await audit_of(pilot)
        newest = [e.seq for e in practice.audit_entries(newest_first=True)]
        assert [int(k) for k in screen.table.keys] == newest[:4]
        summary = text_of(screen, "#summary")
        assert f"Les 4 entrées les plus récentes sur {total}" in summary
        footer = " ".join(str(key.render()) for key in screen.query("FooterKey"))
        assert "Plus anciennes" in footer
        await pilot.press("o")
        await until(pilot, lambda: len(screen.table.keys) == 8)
        assert [int(k) for k in screen.table.keys] == newest[:8]
        while len(screen.table.keys) < total:
            await pilot.press("o")
            await settle(pilot)
        # All shown: the key goes, and the summary says how many there are.
        await settle(pilot)
        assert f"{total} entrées, les plus récentes en premier" in text_of(screen, "#summary")
        footer = " ".join(str(key.render()) for key in screen.query("FooterKey"))
        assert "Plus anciennes" not in footer
