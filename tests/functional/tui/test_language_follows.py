"""Everything on screen follows the console's language, Textual's own words included."""

from __future__ import annotations

from textual.command import CommandList, CommandPalette
from textual.screen import Screen
from textual.widgets import Input, Select

from rules import NewEntity
from store import open_store
from tests.conftest import DOCTOR, NURSE
from tests.functional.tui.conftest import SIZE, Toasts, make_app, settle, type_text, until
from tests.functional.tui.staff_helpers import open_new_request, screen_lines
from tui.screens.entity_choice import EntityChoiceScreen
from tui.screens.staff import StaffScreen
from tui.widgets.footer import TranslatedFooter


def footer_text(screen) -> str:
    footer = screen.query_one(TranslatedFooter)
    return " ".join(str(key.description) for key in footer.query("FooterKey"))


async def test_the_select_menu_s_footer_key_is_translated(practice):
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_new_request(pilot)
        form.query_one("#type", Select).focus()
        await pilot.press("enter")  # the menu opens
        await settle(pilot)
        assert form.query_one("#type", Select).expanded
        text = footer_text(form)
        assert "Dismiss menu" not in text
        assert "Fermer la liste" in text
        # The open list is framed with lines: it covers the text beneath the dialog, and
        # « collaborateur administratif » read as part of the person's detail line there.
        lines = screen_lines(app)
        assert any("╰" in line and "╯" in line for line in lines)


def palette_text(palette: Screen) -> str:
    options = palette.query_one(CommandList)
    prompts = [options.get_option_at_index(i).prompt for i in range(options.option_count)]
    # The "no match" line is centred: its text sits inside an Align.
    return " ".join(str(getattr(prompt, "renderable", prompt)) for prompt in prompts)


async def test_the_command_palette_speaks_the_console_s_language(practice):
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+p")
        # Current before it has composed: wait for its field, as a person waits to see it.
        await until(
            pilot, lambda: isinstance(app.screen, CommandPalette) and app.screen.query(Input)
        )
        palette = app.screen
        assert palette.query_one(Input).placeholder == "Chercher une commande…"
        await type_text(pilot, "zzz")
        # Textual's own line was "No matches found" in every language.
        await until(pilot, lambda: "Aucune commande ne correspond" in palette_text(palette))
        commands = [command.title for command in app.get_system_commands(app.screen_stack[-2])]
        assert commands and not any(
            word in " ".join(commands) for word in ("Focus", "Copy", "Dismiss")
        )
        assert "Langue (l)" in commands
        assert len([c for c in commands if c.startswith("Quitter")]) == 1


async def test_a_link_removed_elsewhere_keeps_the_console_in_its_language(practice, data):
    # The nurse works for the French practice and a Dutch nursing home.
    practice.create_entity(
        "adm",
        NewEntity(
            entity_id="wzc2",
            name="WZC Twee",
            kind="maison_de_repos",
            email="wzc2@example.be",
            language="nl",
            manager_niss=NURSE,
            manager_last_name="Martin",
            manager_first_name="Claire",
            manager_type="medecin",
        ),
    )
    toasts = Toasts()
    app = make_app(practice, NURSE, poll=0.02)
    async with app.run_test(size=SIZE, message_hook=toasts) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the French practice, first in the list
        await settle(pilot)
        assert isinstance(app.screen, StaffScreen) and app.screen.entity_id == "cab"
        other = open_store(data)
        (request,) = other.file_disconnect(DOCTOR, "cab", [NURSE])
        other.approve("adm", request.id)
        await until(
            pilot, lambda: isinstance(app.screen, StaffScreen) and app.screen.entity_id == "wzc2"
        )
        await settle(pilot)
        assert app.screen.title == "Mes employés"
    assert "Vous n'êtes plus lié(e) à cette entité." in toasts.shown


async def test_english_says_the_role_not_you_are_doctor(practice):
    app = make_app(practice, DOCTOR, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, EntityChoiceScreen)
        text = " ".join(
            str(option.prompt) for option in app.screen.query_one("OptionList")._options
        )
        assert "you are doctor" not in text
        assert "your role: doctor" in text
