"""Keys act on the list that has the focus; the list shows what was just done."""

from __future__ import annotations

from textual.notifications import Notify
from textual.widgets import Button, Static

from rules import format_niss, make_niss, mask_niss
from tests.conftest import DOCTOR, DOCTOR_2, NURSE_2, link
from tests.functional.tui.conftest import SIZE, Toasts, make_app, settle, type_text, until
from tests.functional.tui.staff_helpers import (
    open_cab,
    requests_of,
    screen_lines,
    shown_in,
    staff_of,
)
from tui.screens import staff as staff_screen
from tui.screens.disconnect import DisconnectScreen
from tui.screens.help import HelpScreen
from tui.screens.staff import StaffScreen
from tui.screens.withdraw import WithdrawScreen


def footer(app) -> str:
    return " ".join(screen_lines(app)[-2:])


def pending_of(practice, niss):
    (request,) = [r for r in practice.requests("cab") if r.niss == niss]
    return request


async def test_d_and_space_leave_the_people_alone_while_the_requests_have_the_focus(practice):
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cab(pilot)
        await pilot.press("tab")
        assert requests_of(screen).has_focus
        await pilot.press("space", "d")
        await settle(pilot)
        assert app.screen is screen  # no disconnection dialog
        assert staff_of(screen).selected == set()
        assert "Demande de déconnexion" not in footer(app) and "Sélection" not in footer(app)
        await pilot.press("shift+tab", "d")
        await settle(pilot)
        assert isinstance(app.screen, DisconnectScreen)


async def test_the_filer_withdraws_their_pending_request_from_the_list(practice):
    request = pending_of(practice, NURSE_2)
    mails = len(practice.outbox())
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cab(pilot)
        assert "Retirer" not in footer(app)  # a person is under the focused cursor
        await pilot.press("tab")
        requests_of(screen).move_to(request.id)
        await settle(pilot)
        assert "r Retirer la demande" in footer(app)
        await pilot.press("r")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, WithdrawScreen)
        assert dialog.query_one("#cancel", Button).has_focus  # the safe choice first
        await pilot.press("enter")  # « Retour »: nothing happens
        await settle(pilot)
        assert app.screen is screen and practice.request(request.id).status == "pending"
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("right")  # the arrows move between a dialog's buttons
        assert app.screen.query_one("#withdraw", Button).has_focus
        await pilot.press("left")
        assert app.screen.query_one("#cancel", Button).has_focus
        await pilot.press("right", "enter")
        await settle(pilot)
        assert app.screen is screen
        await until(pilot, lambda: request.id not in {r.id for r in screen.view.pending})
        assert f"Demande {request.id} retirée" in shown_in(app, screen.query_one("#status"))
        assert "retirée" in requests_of(screen).row(request.id)[3]
    assert practice.request(request.id).status == "withdrawn"
    assert practice.requests("cab") == []
    assert practice.audit_entries()[-1].action == "request_withdrawn"
    assert len(practice.outbox()) == mails  # no mail for a withdrawal


async def test_a_colleague_s_request_is_not_offered_for_withdrawal(practice):
    link(practice, "cab", DOCTOR_2, "Jacobs", "Emma", "medecin")
    request = pending_of(practice, NURSE_2)  # filed by DOCTOR
    toasts = Toasts()
    app = make_app(practice, DOCTOR_2)
    async with app.run_test(size=SIZE, message_hook=toasts) as pilot:
        screen = await open_cab(pilot)
        await pilot.press("tab")
        requests_of(screen).move_to(request.id)
        await settle(pilot)
        assert "Retirer" not in footer(app)
        await pilot.press("r")
        await settle(pilot)
        assert app.screen is screen
        # Not silence: the rule's own words say why, with the number masked as in the list.
        await until(pilot, lambda: "seule la personne qui l'a introduite" in toasts.text)
        assert mask_niss(NURSE_2) in toasts.text and format_niss(NURSE_2) not in toasts.text
    assert practice.request(request.id).status == "pending"


async def test_at_start_the_detail_is_about_the_first_person(practice):
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cab(pilot)
        detail = shown_in(app, screen.query_one("#detail"))
        assert staff_of(screen).cursor_key == staff_of(screen).keys[0]
        assert detail.startswith("CLAES Wout") and "R0" not in detail


async def test_after_filing_the_cursor_is_on_the_new_request_and_the_news_goes(practice):
    for i in range(8):  # enough requests that the new one is below the fold
        niss = make_niss("700101", 500 + i)
        practice.file_connect(DOCTOR, "cab", niss, "Autre", f"Personne{chr(97 + i)}", "infirmier")
    timeouts: list[float] = []

    def hook(message: object) -> None:
        if isinstance(message, Notify):
            timeouts.append(message.notification.timeout)

    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        screen = await open_cab(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "60010100172")
        await pilot.press("tab")
        await type_text(pilot, "Durand")
        await pilot.press("tab")
        await type_text(pilot, "Paul")
        await pilot.press("tab", "enter", *["down"] * 4, "enter", "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        filed = pending_of(practice, "60010100172")
        table = requests_of(screen)
        await until(pilot, lambda: table.cursor_key == filed.id)
        assert table.has_focus
        top = round(table.scroll_y)
        assert top <= table.cursor < top + table.size.height - 1  # on screen
        assert filed.id in shown_in(app, screen.query_one("#detail"))
        assert timeouts and max(timeouts) <= 5
        status = screen.query_one("#status")
        assert "doit être approuvée" in shown_in(app, status)
        practice.approve("adm", filed.id)  # decided elsewhere: no longer news
        await until(pilot, lambda: shown_in(app, status) == "")


async def test_a_status_line_goes_after_a_while(practice, monkeypatch):
    monkeypatch.setattr(staff_screen, "STATUS_SECONDS", 0.3)
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cab(pilot)
        assert isinstance(screen, StaffScreen)
        screen.say(staff_screen.REGISTERED)
        assert "enregistrée" in shown_in(app, screen.query_one("#status"))
        await until(pilot, lambda: shown_in(app, screen.query_one("#status")) == "")


async def test_help_explains_the_disconnection_sign(practice):
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        await open_cab(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        keys = str(app.screen.query_one("#help-keys", Static).render())
        assert any(
            line.startswith("↓") and "déconnexion demandée" in line for line in keys.splitlines()
        )


async def test_moving_between_the_lists_leaves_their_rows_in_place(practice):
    # A doctor's detail takes one line at 80 columns, a request's two: the staff list keeps
    # its height all the same, so its rows do not jump when the focus moves.
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cab(pilot)
        staff_of(screen).move_to(DOCTOR)
        await settle(pilot)
        heights = (staff_of(screen).size.height, requests_of(screen).size.height)
        await pilot.press("tab")
        await settle(pilot)
        assert requests_of(screen).has_focus
        assert (staff_of(screen).size.height, requests_of(screen).size.height) == heights
        await pilot.press("shift+tab")
        await settle(pilot)
        assert (staff_of(screen).size.height, requests_of(screen).size.height) == heights
