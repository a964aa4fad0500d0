"""The staff console's words: the manual's, counted right, nothing left ambiguous."""

from __future__ import annotations

from textual.widgets import Button, OptionList

from tests.conftest import DOCTOR, DOCTOR_2, TRAINEE, link
from tests.functional.tui.conftest import SIZE, make_app, settle
from tests.functional.tui.staff_helpers import open_cab, screen_lines, shown_in, staff_of
from tui.screens.disconnect import DisconnectScreen
from tui.screens.entity_choice import EntityChoiceScreen


async def test_the_footer_uses_the_manual_s_words(practice):
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        await open_cab(pilot)
        assert "d Demande de déconnexion" in " ".join(screen_lines(app)[-2:])


async def test_one_person_is_counted_in_the_singular(practice):
    from tests.conftest import PHARMACIST

    app = make_app(practice, PHARMACIST)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        title = shown_in(app, app.screen.query_one("#staff-title"))
        assert title.endswith("Mes employés : 1 personne"), title


async def test_the_entity_chooser_marks_the_current_entity(practice):
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        await open_cab(pilot)
        await pilot.press("e")
        await settle(pilot)
        chooser = app.screen
        assert isinstance(chooser, EntityChoiceScreen)
        options = chooser.query_one(OptionList)
        marked = {
            options.get_option_at_index(i).id: "entité actuelle"
            in str(options.get_option_at_index(i).prompt)
            for i in range(options.option_count)
        }
        assert marked == {"cab": True, "wzc": False}
        assert "votre fonction\u00a0: médecin" in str(options.get_option_at_index(0).prompt)


async def test_a_refused_disconnection_says_accord_is_off_in_words(store):
    app = make_app(store, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, DisconnectScreen)
        agree = dialog.query_one("#agree", Button)
        assert agree.disabled and str(agree.label) == "Accord (indisponible)"
        assert dialog.query_one("#cancel", Button).has_focus


async def test_a_trainee_already_leaving_is_not_said_to_stay(practice):
    link(practice, "cab", DOCTOR_2, "Jacobs", "Emma", "medecin")
    practice.file_disconnect(DOCTOR, "cab", [TRAINEE])
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cab(pilot)
        staff_of(screen).move_to(DOCTOR)
        await pilot.press("d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, DisconnectScreen)
        preview = shown_in(app, dialog.query_one("#preview"))
        assert "peut être introduite" in preview and "⚠" not in preview and "Wout" not in preview
        agree = dialog.query_one("#agree", Button)
        assert str(agree.label) == "Accord" and agree.has_focus  # filing: see the policy
