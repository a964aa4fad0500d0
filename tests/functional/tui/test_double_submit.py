"""A write submitted twice while the first is still running files once and reports that one."""

from __future__ import annotations

import asyncio
import threading

from textual.widgets import Button, Input, Static

from rules import make_niss
from tests.conftest import DOCTOR, NURSE_2
from tests.functional.tui.conftest import SIZE, Toasts, make_app, settle, type_text, until
from tests.functional.tui.test_admin_console import fill_new_entity, make_admin, queue_of
from tests.functional.tui.test_staff_console import NEWCOMER, fill_request, open_cab
from tui.screens.admin_entities import EntitiesScreen, EntityEditScreen, EntityFormScreen
from tui.screens.new_request import NewRequestScreen
from tui.screens.no_access import NoAccessScreen

PERSON = make_niss("600101", 1)


class Held:
    """A store write that commits at once but answers only when the test lets it.

    The person's second key press then lands while the first write is still running.
    """

    def __init__(self, monkeypatch, store, name: str) -> None:
        self.calls = 0
        self.committed = threading.Event()
        self.answer = threading.Event()
        real = getattr(store, name)

        def held(*args, **kwargs):
            self.calls += 1
            first = self.calls == 1
            try:
                return real(*args, **kwargs)
            finally:
                if first:
                    self.committed.set()
                    self.answer.wait(10)

        monkeypatch.setattr(store, name, held)

    async def second_press(self, pilot, key: str, meanwhile=lambda: None) -> None:
        # settle() waits for every worker, so it cannot be used while one is held.
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10
        while not self.committed.is_set():
            assert loop.time() < deadline, "the first write never reached the store"
            await pilot.pause(0.02)
        await pilot.press(key)
        await pilot.pause(0.1)
        try:
            meanwhile()
        finally:
            self.answer.set()
        await settle(pilot)


async def test_ctrl_s_twice_on_a_new_request_files_it_once_and_says_so(practice, monkeypatch):
    held = Held(monkeypatch, practice, "file_connect")
    toasts = Toasts()
    app = make_app(practice, DOCTOR)
    async with app.run_test(size=SIZE, message_hook=toasts) as pilot:
        screen = await open_cab(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, NewRequestScreen)
        await fill_request(pilot, PERSON, "Durand", "Paul", 4)
        await pilot.press("ctrl+s")

        def the_key_and_the_button_wait() -> None:
            assert not form.active_bindings["ctrl+s"].enabled  # the footer shows it dimmed
            assert form.query_one("#save", Button).disabled

        await held.second_press(pilot, "ctrl+s", the_key_and_the_button_wait)
        assert held.calls == 1
        assert app.screen is screen  # the dialog closed on its success
        assert "doit être approuvée" in str(screen.query_one("#status", Static).render())
        assert "doit être approuvée" in toasts.text
    assert len([r for r in practice.requests("cab") if r.niss == PERSON]) == 1


async def test_ctrl_s_twice_on_an_access_request_files_it_once_and_says_so(practice, monkeypatch):
    held = Held(monkeypatch, practice, "file_access_request")
    toasts = Toasts()
    app = make_app(practice, NEWCOMER)
    async with app.run_test(size=SIZE, message_hook=toasts) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, NoAccessScreen)
        await type_text(pilot, "lelie")
        await settle(pilot)
        await pilot.press("enter")  # picks the first match
        await settle(pilot)
        await type_text(pilot, "Nouveau")
        await pilot.press("tab")
        await type_text(pilot, "Pierre")
        await pilot.press("tab", "enter", "down", "down", "enter")
        await pilot.press("ctrl+s")
        await held.second_press(pilot, "ctrl+s")
        assert held.calls == 1
        assert str(screen.query_one("#form-error", Static).render()) == ""
        assert "doit être approuvée" in toasts.text
        await until(pilot, lambda: "en attente" in str(screen.query_one("#mine", Static).render()))
    assert len(practice.filed_by(NEWCOMER)) == 1


async def test_ctrl_s_twice_on_a_new_entity_creates_it_once_and_says_so(practice, monkeypatch):
    held = Held(monkeypatch, practice, "create_entity")
    toasts = Toasts()
    created = [e.action for e in practice.audit_entries()].count("entity_created")
    app = make_admin(practice)
    async with app.run_test(size=(100, 40), message_hook=toasts) as pilot:
        await queue_of(pilot)
        await pilot.press("3")
        await settle(pilot)
        entities = app.screen
        assert isinstance(entities, EntitiesScreen)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, EntityFormScreen)
        fill_new_entity(form)
        await pilot.press("ctrl+s")
        await held.second_press(pilot, "ctrl+s")
        assert held.calls == 1
        assert app.screen is entities  # the dialog closed on its success
        assert "MR De Zonnebloem (mr-zonnebloem) enregistrée" in toasts.text
        assert "incident" not in toasts.text  # no "error: None"
    assert practice.entity("mr-zonnebloem") is not None
    assert [e.action for e in practice.audit_entries()].count("entity_created") == created + 1


async def test_ctrl_s_twice_on_an_entity_change_saves_it_once(practice, monkeypatch):
    held = Held(monkeypatch, practice, "update_entity")
    toasts = Toasts()
    app = make_admin(practice)
    async with app.run_test(size=(100, 40), message_hook=toasts) as pilot:
        await queue_of(pilot)
        await pilot.press("3")
        await settle(pilot)
        entities = app.screen
        table = entities.query_one("#records")
        await until(pilot, lambda: "cab" in table.keys)
        table.move_to("cab")
        await pilot.press("m")
        await settle(pilot)
        edit = app.screen
        assert isinstance(edit, EntityEditScreen)
        edit.query_one("#email", Input).value = "accueil@cabinet.be"
        await pilot.press("ctrl+s")
        await held.second_press(pilot, "ctrl+s")
        assert held.calls == 1
        assert app.screen is entities
        assert "(cab) enregistrée" in toasts.text
        assert "incident" not in toasts.text
    assert practice.entity("cab").email == "accueil@cabinet.be"
    assert [e.action for e in practice.audit_entries()].count("entity_updated") == 1


async def test_a_pressed_twice_approves_once_and_says_approved(practice, monkeypatch):
    held = Held(monkeypatch, practice, "approve")
    toasts = Toasts()
    app = make_admin(practice)
    async with app.run_test(size=SIZE, message_hook=toasts) as pilot:
        screen = await queue_of(pilot)
        (target,) = screen.query_one("#records").keys
        await pilot.press("a")
        await held.second_press(pilot, "a")
        assert held.calls == 1
        assert f"Demande {target} approuvée" in toasts.text
        assert "n'est plus en attente" not in toasts.text
    assert practice.request(target).status == "approved"
    assert NURSE_2 in {link.niss for link in practice.staff("cab")}
    decisions = [e.action for e in practice.audit_entries() if e.request_id == target]
    assert decisions.count("request_approved") == 1


async def test_r_pressed_twice_retries_a_mail_once_and_says_so(practice, monkeypatch):
    mail = practice.outbox()[0]
    practice.mark_failed(mail.id, "550 5.1.1 No such mailbox")
    held = Held(monkeypatch, practice, "retry_mail")
    toasts = Toasts()
    app = make_admin(practice)
    async with app.run_test(size=SIZE, message_hook=toasts) as pilot:
        await queue_of(pilot)
        await pilot.press("5")
        await settle(pilot)
        table = app.screen.query_one("#records")
        await until(pilot, lambda: mail.id in table.marked)
        await pilot.press("R")
        await held.second_press(pilot, "R")
        assert held.calls == 1
        assert f"{mail.id} sera renvoyé" in toasts.text
        assert "attend encore" not in toasts.text
    assert [e.action for e in practice.audit_entries()].count("mail_retried") == 1
