"""The admin console's smaller promises at 80×24: what is rejected, whole reasons, help, charts."""

from __future__ import annotations

from textual.widgets import Button, Sparkline, Static

from tests.conftest import DOCTOR, PHARMACIST
from tests.functional.tui.conftest import SIZE, settle, until
from tests.functional.tui.test_admin_console import ANNA, make_admin, queue_of, text_of
from tui.screens.admin_dialogs import ConfirmScreen, ReasonScreen
from tui.screens.admin_history import HistoryScreen
from tui.screens.help import HelpScreen

LONG_REASON = (
    "Cette personne n'a jamais travaillé au cabinet selon nos registres ; merci de vérifier "
    "le numéro de registre national et de réintroduire la demande si nécessaire."
)


async def test_a_bulk_rejection_lists_each_request_by_person_and_kind(practice):
    practice.file_connect(DOCTOR, "cab", ANNA, "Roux", "Anna", "administratif")
    practice.file_connect(PHARMACIST, "ph", "60010100172", "Durand", "Paul", "assistant_pharma")
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_of(pilot)
        await pilot.press("down", "space", "space")  # the second and third; the cursor moves on
        await pilot.press("home")  # the review beneath is now a request that is NOT rejected
        await pilot.press("r")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ReasonScreen)
        listed = text_of(dialog, "#rejected")
        assert "ROUX Anna" in listed and "DURAND Paul" in listed
        assert "Connexion" in listed
        assert "PEETERS Lotte" not in listed  # the cursor's request stays out
        assert "2 demandes" in str(dialog.query_one(".dialog-title", Static).render())
        first = screen.table.keys[0]
    assert practice.request(first).status == "pending"


async def test_the_history_shows_a_whole_reason_at_80_columns(practice):
    target = practice.requests("cab")[0]
    practice.reject("adm", target.id, LONG_REASON)
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        history = app.screen
        assert isinstance(history, HistoryScreen)
        await until(pilot, lambda: target.id in history.table.keys)
        history.table.move_to(target.id)
        await until(pilot, lambda: "réintroduire" in text_of(history, "#detail"))
        await settle(pilot)
        # Every word of the reason is on the screen, wrapped, not cut with an ellipsis.
        detail = history.query_one("#detail", Static)
        assert detail.region.bottom <= SIZE[1] and detail.region.height >= 3
        rendered = " ".join(
            "".join(segment.text for segment in line).strip()
            for line in detail.render_lines(detail.region.reset_offset)
        )
        assert "si nécessaire." in " ".join(rendered.split())


async def test_help_lists_the_section_keys(practice):
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        await queue_of(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        keys = text_of(app.screen, "#help-keys")
        for key, label in [("1", "File d'attente"), ("2", "Historique"), ("5", "E-mails")]:
            assert any(line.split()[:1] == [key] and label in line for line in keys.splitlines())


async def test_the_charts_show_thirty_days_in_french_too(practice):
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        await queue_of(pilot)
        for chart in app.screen.query(Sparkline):
            assert len(chart.data) == 30
            assert chart.region.width >= 30  # one cell per day, whatever the label's length


async def test_deleting_asks_with_the_safe_choice_focused(practice):
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_of(pilot)
        target = screen.table.cursor_key
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert isinstance(app.focused, Button) and app.focused.id == "cancel"
        await pilot.press("enter")  # the focused choice: back, nothing deleted
        await settle(pilot)
    assert practice.request(target).status == "pending"


async def test_approving_several_requests_without_warnings_asks_once(practice):
    second = practice.file_connect(DOCTOR, "cab", ANNA, "Roux", "Anna", "administratif")
    first = practice.requests("cab")[0]
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_of(pilot)
        assert not screen.data.notices  # neither request has a warning
        await pilot.press("space", "space", "a")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "ces 2 demandes" in text_of(app.screen, ".info")
        await pilot.press("enter")  # Retour has the focus: nothing happens
        await settle(pilot)
        assert practice.request(first.id).status == "pending"
        await pilot.press("a")
        await settle(pilot)
        await pilot.click("#yes")
        await until(pilot, lambda: practice.request(second.id).status == "approved")
    assert practice.request(first.id).status == "approved"
