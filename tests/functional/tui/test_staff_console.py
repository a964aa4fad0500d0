"""The staff console driven by its keys, with the store checked after every flow."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

from textual.notifications import Notify
from textual.widgets import Input, Select, Static

from rules import format_niss, make_niss, mask_niss
from tests.conftest import DOCTOR, DOCTOR_2, NURSE, NURSE_2, PHARMACIST, TRAINEE, a_year_on
from tests.functional.tui.conftest import SIZE, Toasts, make_app, settle, type_text, until
from tui.screens.confirm import ConfirmScreen
from tui.screens.disconnect import DisconnectScreen
from tui.screens.entity_choice import EntityChoiceScreen
from tui.screens.new_request import NewRequestScreen
from tui.screens.no_access import NoAccessScreen
from tui.screens.staff import StaffScreen
from tui.widgets.record_table import RecordTable

NEWCOMER = make_niss("900101", 401)


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def open_cab(pilot):
    """The doctor is linked to two entities: choose the GP practice."""
    await settle(pilot)
    assert isinstance(pilot.app.screen, EntityChoiceScreen)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, StaffScreen)
    return pilot.app.screen


async def fill_request(pilot, niss: str, last: str, first: str, type_steps: int) -> None:
    await type_text(pilot, niss)
    await pilot.press("tab")
    await type_text(pilot, last)
    await pilot.press("tab")
    await type_text(pilot, first)
    await pilot.press("tab", "enter", *["down"] * type_steps, "enter")


async def test_connect_a_person(practice):
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cab(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, NewRequestScreen)
        await fill_request(pilot, "60010100172", "Durand", "Paul", 3)  # 3rd type: infirmier
        assert form.query_one("#niss-input", Input).value == "60.01.01-001.72"  # formatted
        assert form.query_one("#type", Select).value == "infirmier"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert "doit être approuvée par un administrateur" in text_of(screen, "#status")
        (filed,) = [r for r in screen.view.pending if r.niss == "60010100172"]
        assert filed.id in screen.query_one("#requests", RecordTable).keys
    (request,) = [r for r in practice.requests("cab") if r.niss == "60010100172"]
    assert (request.last_name, request.first_name, request.employee_type, request.filed_by) == (
        "Durand",
        "Paul",
        "infirmier",
        DOCTOR,
    )
    assert "60010100172" not in {lk.niss for lk in practice.staff("cab")}  # awaits an admin


async def test_a_trainee_is_filed_with_the_end_of_their_placement(practice):
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cab(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        await fill_request(pilot, NEWCOMER, "Peeters", "Lotte", 2)  # 2nd type: MACG
        assert form.query_one("#type", Select).value == "macg"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # refused: the date is required, everything stays typed
        assert "lié jusqu'au" in text_of(form, "#until-error")
        assert form.query_one("#until-error", Static).display
        # The field in error takes the focus: the date typed next lands in it.
        assert app.focused is form.query_one("#until", Input)
        await type_text(pilot, "31/02/2027")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "tapez-la comme 31/08/2027" in text_of(form, "#until-error")
        form.query_one("#until", Input).value = ""
        await type_text(pilot, "31/08/2026")
        await settle(pilot)
        assert not form.query_one("#until-error", Static).display  # fixed: the error goes
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
    (request,) = [r for r in practice.requests("cab") if r.niss == NEWCOMER]
    assert (request.employee_type, request.until.isoformat()) == ("macg", "2026-08-31")


async def test_an_end_date_is_listed_and_p_asks_to_extend_it(practice):
    from tui.screens.extend import ExtendScreen

    trainee = next(k for k in practice.staff("cab") if k.niss == TRAINEE)
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cab(pilot)
        table = screen.query_one("#staff", RecordTable)
        assert table.row(TRAINEE)[-1] == trainee.until.strftime("%d/%m/%Y")
        assert table.row(NURSE)[-1] == ""  # no end date, an empty cell
        table.move_to(NURSE)
        await settle(pilot)
        assert not screen.can_extend
        await pilot.press("p")
        await settle(pilot)
        assert app.screen is screen  # nothing to extend
        table.move_to(TRAINEE)
        await settle(pilot)
        assert screen.can_extend
        assert "p demande de le prolonger" in text_of(screen, "#detail")
        await pilot.press("p")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExtendScreen)
        await type_text(pilot, trainee.until.strftime("%d/%m/%Y"))  # not later: refused
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        # Checked as typed, under the field: the store would refuse the same.
        assert "la nouvelle date doit être plus tardive" in text_of(dialog, "#until-error")
        later = trainee.until + timedelta(days=30)
        dialog.query_one("#until", Input).value = ""
        await type_text(pilot, later.strftime("%d/%m/%Y"))
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert "doit être approuvée par un administrateur" in text_of(screen, "#status")
    (request,) = [r for r in practice.requests("cab") if r.kind == "extend"]
    assert (request.niss, request.until, request.filed_by) == (TRAINEE, later, DOCTOR)
    assert next(k for k in practice.staff("cab") if k.niss == TRAINEE).until == trainee.until


async def test_niss_is_checked_as_typed(practice):
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        await open_cab(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "8502300012")
        assert "10/11" in text_of(app.screen, "#niss-hint")
        await type_text(pilot, "5")
        assert "date de naissance" in text_of(app.screen, "#niss-hint")
        form = app.screen
        # Something was typed: escape asks before throwing it away, « Retour » first.
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")  # « Retour »: the form and what was typed stay
        await settle(pilot)
        assert app.screen is form and form.query_one("#niss Input", Input).value
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("right", "enter")  # « Quitter »
        await settle(pilot)
        assert isinstance(app.screen, StaffScreen)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("escape")  # nothing typed: no question
        await settle(pilot)
        assert isinstance(app.screen, StaffScreen)
    assert len(practice.requests("cab")) == 1  # nothing filed


async def test_duplicate_pending_request_keeps_the_form_filled(practice):
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        await open_cab(pilot)
        await pilot.press("n")
        await settle(pilot)
        await fill_request(pilot, NURSE_2, "Peeters", "Lotte", 3)
        await pilot.press("ctrl+s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, NewRequestScreen)
        assert "a déjà été introduite" in text_of(form, "#form-error")
        assert form.query_one("#niss-input", Input).value == format_niss(NURSE_2)
        assert form.query_one("#last-name", Input).value == "Peeters"
        assert form.query_one("#first-name", Input).value == "Lotte"
        assert form.query_one("#type", Select).value == "infirmier"
    assert len([r for r in practice.requests("cab") if r.niss == NURSE_2]) == 1


async def test_disconnect_two_people_with_accord(practice):
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cab(pilot)
        table = screen.query_one("#staff", RecordTable)
        for niss in (NURSE, TRAINEE):
            table.move_to(niss)
            await pilot.press("space")
        assert table.selected == {NURSE, TRAINEE}
        assert "2 sélectionnées" in text_of(screen, "#staff-title")
        await pilot.press("d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, DisconnectScreen)
        people = " ".join(str(w.render()) for w in dialog.query(".person"))
        assert "MARTIN Claire" in people and "CLAES Wout" in people
        # Colleagues appear as the list shows them: the birth date, never the whole number.
        assert mask_niss(NURSE) in people and format_niss(NURSE) not in people
        assert "peut être introduite" in text_of(dialog, "#preview")
        await pilot.click("#agree")
        await settle(pilot)
        assert app.screen is screen
        assert table.selected == set()
    filed = [r for r in practice.requests("cab") if r.kind == "disconnect"]
    assert {r.niss for r in filed} == {NURSE, TRAINEE}
    assert {lk.niss for lk in practice.staff("cab")} >= {NURSE, TRAINEE}  # until approved


async def test_people_the_filter_hides_stay_selected_until_escape(practice):
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cab(pilot)
        table = screen.query_one("#staff", RecordTable)
        table.move_to(NURSE)
        await pilot.press("space", "slash")
        await type_text(pilot, "claes")
        await pilot.press("enter", "space")
        await settle(pilot)
        assert table.keys == [TRAINEE] and table.selected == {NURSE, TRAINEE}
        assert "2 sélectionnées" in text_of(screen, "#staff-title")
        await pilot.press("d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, DisconnectScreen)
        people = " ".join(str(w.render()) for w in dialog.query(".person"))
        assert "MARTIN Claire" in people and "CLAES Wout" in people
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape")  # the filter goes first
        await settle(pilot)
        assert len(table.keys) == 3 and table.selected == {NURSE, TRAINEE}
        await pilot.press("escape")  # then the selection
        await settle(pilot)
        assert table.selected == set()
        assert "sélectionnée" not in text_of(screen, "#staff-title")
    assert not [r for r in practice.requests("cab") if r.kind == "disconnect"]


async def test_escape_goes_back_without_filing(practice):
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        await open_cab(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DisconnectScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, StaffScreen)
    assert [r for r in practice.requests("cab") if r.kind == "disconnect"] == []


async def test_last_person_is_previewed_and_refused(store):
    app = make_app(store, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StaffScreen)  # one entity: straight to the list
        await pilot.press("space", "d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, DisconnectScreen)
        preview = text_of(dialog, "#preview")
        assert "Au moins une personne" in preview
        assert mask_niss(DOCTOR) in preview and format_niss(DOCTOR) not in preview
        assert dialog.query_one("#agree").disabled
        await pilot.click("#agree")
        await pilot.press("enter")
        await settle(pilot)
    assert store.requests("cab") == []


async def test_doctor_leaving_trainees_is_warned(practice):
    app = make_app(practice, DOCTOR_2)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # DOCTOR_2 manages the nursing home, where DOCTOR is a doctor without trainees…
        assert isinstance(app.screen, StaffScreen)
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cab(pilot)
        table = screen.query_one("#staff", RecordTable)
        link_doctor_2 = practice.file_connect(DOCTOR, "cab", DOCTOR_2, "Jacobs", "Emma", "medecin")
        practice.approve("adm", link_doctor_2.id)
        await settle(pilot)
        table.move_to(DOCTOR)
        await pilot.press("d")
        await settle(pilot)
        assert "⚠" in text_of(app.screen, "#preview") and "CLAES Wout" in text_of(
            app.screen, "#preview"
        )


async def test_the_types_offered_fit_the_filer_and_the_entity(practice):
    app = make_app(practice, PHARMACIST)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        offered = [value for _label, value in app.screen.query_one("#type", Select)._options]
        # A pharmacy: no GP trainee, and no doctor either.
        assert "pharmacien" in offered and "macg" not in offered and "medecin" not in offered
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        await open_cab(pilot)
        await pilot.press("n")
        await settle(pilot)
        offered = [value for _label, value in app.screen.query_one("#type", Select)._options]
        assert "macg" in offered and "pharmacien" not in offered


async def test_switch_entity(practice):
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cab(pilot)
        assert "Cabinet Dupont" in screen.sub_title
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, EntityChoiceScreen)
        await pilot.press("down", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StaffScreen) and screen.entity_id == "wzc"
        assert "WZC Zonneweide" in screen.sub_title
        assert screen.title == "Mijn medewerkers"  # the entity's language
        assert set(screen.query_one("#staff", RecordTable).keys) == {DOCTOR, DOCTOR_2}
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("escape")  # keep the current entity
        await settle(pilot)
        assert app.screen is screen


async def test_switch_language(practice):
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cab(pilot)
        assert screen.title == "Mes employés"
        await pilot.press("l")
        await settle(pilot)
        assert screen.title == "Mijn medewerkers"
        assert "Lopende aanvragen" in text_of(screen, "#requests-title")
        assert "verpleegkundige" in screen.query_one("#staff", RecordTable).row(NURSE)
        await pilot.press("l")
        await settle(pilot)
        assert screen.title == "My staff"
        assert "nurse" in screen.query_one("#staff", RecordTable).row(NURSE)
        await pilot.press("l")
        await settle(pilot)
        assert screen.title == "Mes employés"


async def test_read_only_view(practice):
    app = make_app(practice, NURSE)
    toasts = Toasts()
    async with app.run_test(size=SIZE, message_hook=toasts) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StaffScreen)
        assert "Lecture seule" in text_of(screen, "#whoami")
        assert "DUPONT Jean" in text_of(screen, "#whoami")
        shown = {b.action for _k, (_n, b, enabled, _t) in screen.active_bindings.items() if enabled}
        assert not {"new_request", "disconnect", "toggle_select"} & shown
        await pilot.press("n", "space", "d")
        await settle(pilot)
        assert app.screen is screen
        # Each key says why it does nothing here, rather than nothing at all.
        assert toasts.text.count("Lecture seule") == 3
        footer = " ".join(str(k.render()) for k in screen.query("FooterKey"))
        assert "Nouvelle demande" not in footer
    assert len(practice.requests("cab")) == 1


async def test_access_request(practice):
    app = make_app(practice, NEWCOMER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, NoAccessScreen)
        assert "Martin" not in str(screen.query_one("#why", Static).render())
        await type_text(pilot, "lelie")
        await settle(pilot)
        await pilot.press("enter")  # picks the first match
        await settle(pilot)
        assert "Pharmacie Lelièvre" in text_of(screen, "#entity-chosen")
        await type_text(pilot, "Nouveau")
        await pilot.press("tab")
        await type_text(pilot, "Pierre")
        await pilot.press("tab", "enter", "down", "down", "enter")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "en attente" in text_of(screen, "#mine")
    (request,) = practice.filed_by(NEWCOMER)
    assert (request.entity_id, request.niss, request.employee_type) == (
        "ph",
        NEWCOMER,
        "pharmacien",
    )


async def test_access_approved_meanwhile_opens_the_list(practice):
    request = practice.file_access_request(NEWCOMER, "ph", "Nouveau", "Pierre", "pharmacien")
    app = make_app(practice, NEWCOMER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, NoAccessScreen)
        practice.approve("adm", request.id)
        await until(pilot, lambda: isinstance(app.screen, StaffScreen))
        assert app.screen.entity_id == "ph"


async def test_filter(practice):
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cab(pilot)
        await pilot.press("slash")
        await type_text(pilot, "claes")
        await settle(pilot)
        assert screen.query_one("#staff", RecordTable).keys == [TRAINEE]
        await pilot.press("escape")
        await settle(pilot)
        assert len(screen.query_one("#staff", RecordTable).keys) == 3


async def test_the_filter_finds_a_pending_request_from_the_requests_list(practice):
    filed = practice.file_connect(DOCTOR, "cab", NEWCOMER, "Abel", "Anna", "administratif")
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cab(pilot)
        requests = screen.query_one("#requests", RecordTable)
        assert len(requests.keys) > 1
        await pilot.press("tab", "slash")
        await type_text(pilot, "abel")
        await settle(pilot)
        # Both lists are filtered: nobody linked is called Abel; her request is found.
        assert requests.keys == [filed.id]
        assert screen.query_one("#staff", RecordTable).keys == []
        assert "1 affichée" in text_of(screen, "#requests-title")
        await pilot.press("enter")  # back to the list it came from, to act on the request
        await settle(pilot)
        assert app.focused is requests and screen.focused_list == "requests"
        await pilot.press("escape")
        await settle(pilot)
        assert len(requests.keys) > 1 and app.focused is requests
        assert "affichée" not in text_of(screen, "#requests-title")


async def test_live_refresh_after_another_process_approves(practice, data):
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cab(pilot)
        table = screen.query_one("#staff", RecordTable)
        table.move_to(NURSE)
        await pilot.press("space")
        first = practice.file_connect(DOCTOR, "cab", NEWCOMER, "Abel", "Anna", "administratif")
        ids = [r.id for r in practice.requests("cab") if r.niss in (NURSE_2, NEWCOMER)]
        assert first.id in ids and len(ids) == 2
        code = (
            f"from store import open_store; s = open_store({str(data)!r}); "
            f"[s.approve('adm', rid) for rid in {ids!r}]"
        )
        subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
        await until(pilot, lambda: NURSE_2 in table.keys)
        await settle(pilot)
        assert table.selected == {NURSE}  # the selection survived the refresh
        # A row came in above the cursor: it still sits on the same person.
        assert table.keys[0] == NEWCOMER
        assert table.cursor_key == NURSE
        assert all(r.niss != NURSE_2 for r in screen.view.pending)


async def test_a_damaged_store_is_a_message_not_a_crash(practice, data):
    app = make_app(practice, DOCTOR)
    toasts = []

    def hook(message):
        if isinstance(message, Notify):
            toasts.append(message.notification.message)

    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        screen = await open_cab(pilot)
        manifest = data / "manifest.json"
        original = manifest.read_bytes()
        manifest.write_bytes(original[:40])
        await until(pilot, lambda: any("manifest.json" in toast for toast in toasts))
        assert app.is_running and app.screen is screen
        assert any("ne sont pas utilisables" in toast for toast in toasts)
        assert manifest.read_bytes() == original[:40]  # left as it was


async def test_fast_polling_never_leaves_the_requests_unloaded(practice):
    # Poll ticks that land during the first read must not replace it with a no-op.
    app = make_app(practice, DOCTOR, poll=0.03)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cab(pilot)
        assert screen.view.complete
        assert "Demandes en cours\u00a0: 1" in text_of(screen, "#requests-title")


async def test_a_window_below_80_by_24_gets_a_message_not_a_broken_layout(practice):
    from tui.screens.too_small import TooSmallScreen

    app = make_app(practice, DOCTOR)
    async with app.run_test(size=(70, 20)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, TooSmallScreen))
        assert "70×20" in text_of(app.screen, "#too-small")
        await pilot.resize_terminal(80, 24)
        await until(pilot, lambda: not isinstance(app.screen, TooSmallScreen))
        screen = await open_cab(pilot)
        await pilot.resize_terminal(79, 30)
        await until(pilot, lambda: isinstance(app.screen, TooSmallScreen))
        await pilot.resize_terminal(120, 40)
        await until(pilot, lambda: app.screen is screen)


async def test_ctrl_c_tells_how_to_quit_in_the_person_s_language(practice):
    app = make_app(practice, DOCTOR)
    shown = []

    def hook(message):
        if isinstance(message, Notify):
            shown.append((message.notification.title, message.notification.message))

    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await open_cab(pilot)
        await pilot.press("ctrl+c")
        await until(pilot, lambda: shown)
    hint = "Appuyez sur q pour quitter (ctrl+q pendant la saisie)."
    assert ("Voulez-vous quitter\u00a0?", hint) in shown
    assert not any("[b]" in message for _title, message in shown)


async def test_a_language_switch_redraws_the_detail_and_status_lines(practice):
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cab(pilot)
        screen.message = "The request is now registered and must be approved by an administrator."
        await pilot.press("tab")  # the requests list: its row under the cursor is detailed
        await settle(pilot)
        before = text_of(screen, "#detail")
        assert "demande de connexion" in before
        await pilot.press("l")
        await settle(pilot)
        assert "aanvraag" in text_of(screen, "#detail").casefold()
        assert "demande" not in text_of(screen, "#detail")
        assert "geregistreerd" in text_of(screen, "#status")


async def test_a_read_only_nurse_sees_my_access_and_asks_to_leave(practice):
    from tui.screens.disconnect import LeaveScreen
    from tui.screens.my_access import MyAccessScreen
    from tui.screens.withdraw import WithdrawScreen

    app = make_app(practice, NURSE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        staff = app.screen
        assert isinstance(staff, StaffScreen) and not staff.can_file
        await pilot.press("a")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MyAccessScreen)
        links = screen.query_one("#links", RecordTable)
        assert links.keys == ["cab"] and "Cabinet Dupont (cab)" in links.row("cab")[0]
        assert "x demande à quitter cette entité" in text_of(screen, "#detail")
        await pilot.press("x")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, LeaveScreen)
        await until(pilot, lambda: dialog.allowed)
        assert "Cette demande peut être introduite" in text_of(dialog, "#preview")
        await pilot.press("enter")  # « Accord » has the focus once the rules allow it
        await settle(pilot)
        assert app.screen is screen
        (leaving,) = [r for r in practice.requests("cab") if r.niss == NURSE]
        assert (leaving.kind, leaving.filed_by) == ("disconnect", NURSE)
        requests = screen.query_one("#my-requests", RecordTable)
        await until(pilot, lambda: leaving.id in requests.keys)
        await pilot.press("tab")
        requests.move_to(leaving.id)
        await settle(pilot)
        assert screen.can_withdraw and "r la retire" in text_of(screen, "#detail")
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, WithdrawScreen)
        await pilot.press("tab", "enter")  # « Back » has the focus: move to « Withdraw »
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is staff
    assert practice.request(leaving.id).status == "withdrawn"


async def test_the_yearly_review_banner_and_its_keys(practice):
    from tui.screens.confirm import ConfirmScreen as Question

    practice.open_review("adm", a_year_on(practice) - timedelta(days=300))
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cab(pilot)
        banner = screen.query_one("#review-banner", Static)
        assert banner.display and "0 sur 3 confirmées" in text_of(screen, "#review-banner")
        table = screen.query_one("#staff", RecordTable)
        first = table.cursor_key
        await pilot.press("c")  # still works here, and the cursor goes to the next person
        await until(pilot, lambda: "1 sur 3" in text_of(screen, "#review-banner"))
        assert table.row(first)[0].startswith("✓ ")
        assert table.cursor_key != first
        await pilot.press("C")
        await settle(pilot)
        assert isinstance(app.screen, Question)
        await pilot.press("tab", "enter")  # « Retour » has the focus: move to « Confirmer »
        await until(
            pilot, lambda: "les 3 personnes sont confirmées" in text_of(screen, "#review-banner")
        )
    assert practice.review_of("cab").progress.state == "done"
    # A read-only colleague sees no banner and has no such keys.
    app = make_app(practice, NURSE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not app.screen.query_one("#review-banner", Static).display
        assert not app.screen.can_review


async def test_import_paste_preview_and_file(practice):
    from textual import events

    from tui.screens.import_rows import ImportScreen

    pasted = "\n".join(
        ["NISS;Nom;Prénom;Type"]
        + [f"{format_niss(make_niss('810101', 1 + i))};Dubois;Léa;infirmière" for i in range(40)]
        + ["12345678901;Mauvais;Numéro;infirmier", f"{format_niss(NURSE)};Martin;Claire;nurse"]
    )
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cab(pilot)
        await pilot.press("i")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ImportScreen)
        # As the terminal driver delivers a bracketed paste: one event, to the app.
        app.post_message(events.Paste(pasted))
        await settle(pilot)
        assert dialog.query_one("#paste").text == pasted  # once, whole
        await pilot.press("ctrl+s")
        table = dialog.query_one("#verdicts", RecordTable)
        await until(pilot, lambda: len(table.keys) == 42)
        assert table.keys[:2] == ["42", "43"]  # the rows that will not be filed come first
        assert "refusée" in table.row("42")[2] and "déjà lié(e)" in table.row("43")[2]
        assert "40 ligne(s) prête(s) sur 42" in text_of(dialog, "#import-summary")
        assert "Ligne 42" in text_of(dialog, "#import-detail")
        assert practice.requests("cab") and len(practice.requests("cab")) == 1  # nothing yet
        await pilot.press("ctrl+s")
        # The result stays: the ids filed, and the rows that were not, listed first.
        await until(pilot, lambda: "40 demandes introduites" in text_of(dialog, "#import-summary"))
        assert "2 lignes non introduites" in text_of(dialog, "#import-summary")
        assert table.row("2")[2].startswith("introduite R0000")
        await pilot.press("ctrl+s")  # « Fermer »
        await until(pilot, lambda: app.screen is screen)
        assert "Les 40 demandes sont maintenant enregistrées" in text_of(screen, "#status")
    filed = [r for r in practice.requests("cab") if r.batch]
    assert len(filed) == 40 and len({r.batch for r in filed}) == 1


async def test_m_sends_the_list_to_the_entity_and_says_where(practice):
    app = make_app(practice, DOCTOR)
    toasts = Toasts()
    async with app.run_test(size=SIZE, message_hook=toasts) as pilot:
        screen = await open_cab(pilot)
        await pilot.press("m")
        await until(pilot, lambda: "cab@example.be" in text_of(screen, "#status"))
        await pilot.press("m")  # again within the hour: refused, said plainly
        await until(pilot, lambda: "moins d'une heure" in toasts.text)
    assert len([m for m in practice.outbox() if m.attachment]) == 1
