"""Forms show every problem at once, each under its field, cleared as it is fixed, inside 80×24."""

from __future__ import annotations

from textual.widgets import Input, Select, Static

from rules import make_niss
from tests.conftest import DOCTOR
from tests.functional.tui.conftest import SIZE, make_app, settle, type_text, until
from tests.functional.tui.staff_helpers import open_new_request
from tests.functional.tui.test_admin_console import make_admin, queue_of
from tui.screens.admin_entities import EntityFormScreen
from tui.screens.form import FieldError
from tui.screens.no_access import NoAccessScreen

NEWCOMER = make_niss("900101", 401)


def shown_problems(screen) -> dict[str, str]:
    return {
        error.field: str(error.render())
        for error in screen.query(FieldError).results(FieldError)
        if error.display
    }


def inside_the_window(screen) -> bool:
    """The dialog leaves the header line and the two footer lines free."""
    dialog = screen.query_one(".dialog")
    return dialog.region.y >= 1 and dialog.region.bottom <= SIZE[1] - 2


async def test_nouvelle_demande_shows_every_problem_and_clears_each_when_fixed(practice):
    before = len(practice.requests("cab"))
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_new_request(pilot)
        await type_text(pilot, "12")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert shown_problems(form) == {
            "last_name": "Le nom est obligatoire.",
            "first_name": "Le prénom est obligatoire.",
            "employee_type": "Choisissez le type dans la liste.",
        }
        assert "11 chiffres" in str(form.query_one("#niss-hint", Static).render())
        assert inside_the_window(form)
        await pilot.press("tab")
        await type_text(pilot, "Durand")
        await settle(pilot)
        assert set(shown_problems(form)) == {"first_name", "employee_type"}
        form.query_one("#type", Select).value = "infirmier"
        await settle(pilot)
        assert set(shown_problems(form)) == {"first_name"}
        assert inside_the_window(form)
    assert len(practice.requests("cab")) == before  # nothing was filed


async def test_the_access_request_chooses_with_down_enter_and_clears_once_filed(practice):
    app = make_app(practice, NEWCOMER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, NoAccessScreen)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert set(shown_problems(screen)) == {
            "entity",
            "last_name",
            "first_name",
            "employee_type",
        }
        await type_text(pilot, "lelie")
        await until(pilot, lambda: screen.found)
        await pilot.press("down", "enter")  # into the matches, choose the highlighted one
        await settle(pilot)
        assert screen.entity is not None and screen.entity.id == "ph"
        assert "entity" not in shown_problems(screen)
        assert app.focused is screen.query_one("#last-name", Input)
        assert not screen.query_one("#matches").display  # chosen: the list is put away
        # A pharmacy is asked for by a pharmacist: the only choice is made already.
        kinds = screen.query_one("#type", Select)
        assert [value for _label, value in kinds._options] == [Select.NULL, "pharmacien"]
        assert kinds.value == "pharmacien"
        await type_text(pilot, "Nouveau")
        await pilot.press("tab")
        await type_text(pilot, "Pierre")
        screen.query_one("#type", Select).value = "pharmacien"
        await settle(pilot)
        assert shown_problems(screen) == {}
        await pilot.press("ctrl+s")
        await settle(pilot)
        await until(
            pilot, lambda: "Pharmacie Lelièvre ·" in str(screen.query_one("#mine").render())
        )
        mine = screen.query_one("#mine", Static)
        body = screen.query_one("#no-access-body")
        # On screen without scrolling: the list scrolled itself to the new request.
        await until(pilot, lambda: body.region.y <= mine.region.y < body.region.bottom)
        assert "· ph ·" not in str(mine.render())
        assert screen.query_one("#last-name", Input).value == ""
        assert screen.query_one("#type", Select).value == Select.NULL
        assert screen.entity is None
    (request,) = practice.filed_by(NEWCOMER)
    assert (request.entity_id, request.last_name) == ("ph", "Nouveau")


async def test_enter_in_the_entity_search_chooses_the_first_match(practice):
    app = make_app(practice, NEWCOMER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await type_text(pilot, "lelie")
        await until(pilot, lambda: screen.found)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.entity is not None and screen.entity.id == "ph"


async def test_the_new_entity_form_shows_every_problem_at_once(practice):
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        await queue_of(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, EntityFormScreen)
        assert inside_the_window(form)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert set(shown_problems(form)) == {
            "entity_id",
            "name",
            "kind",
            "email",
            "language",
            "manager_last_name",
            "manager_first_name",
            "manager_type",
        }
        assert "obligatoire" in str(form.query_one("#niss-hint", Static).render())
        assert inside_the_window(form)
        form.query_one("#email", Input).value = "secretariat@mr.be"
        await settle(pilot)
        assert "email" not in shown_problems(form)
        assert "name" in shown_problems(form)
