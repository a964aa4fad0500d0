"""The staff console: what a doctor or pharmacist sees when they log in over SSH."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual import on, work
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from rules import Entity, Link
from store import Store
from store.changes import ChangeSource
from tui.console import ConsoleApp, deliver
from tui.i18n import N_, _, language, set_language
from tui.screens.entity_choice import EntityChoiceScreen
from tui.screens.no_access import NoAccessScreen
from tui.screens.staff import StaffScreen

__all__ = ["ConsoleApp", "StaffApp"]


class StaffApp(ConsoleApp):
    BINDINGS = [
        Binding(
            "e",
            "switch_entity",
            N_("Entity"),
            id="entity",
            tooltip=N_("Work for another of your entities"),
        ),
    ]

    def __init__(
        self,
        store: Store,
        niss: str,
        lang: str | None = None,
        poll_interval: float = 1.0,
        changes: ChangeSource | None = None,
    ) -> None:
        super().__init__(store, lang or "fr", poll_interval, changes)
        self.niss = niss
        # --lang wins; otherwise the entity's language decides, until the person switches.
        self.explicit_lang = lang
        self.entity_id: str | None = None
        self.entity_count = 0  # read in start(), so that no binding check reads the store
        self.choices: dict[str, Entity] = {}

    def language_chosen(self, lang: str) -> None:
        self.explicit_lang = lang

    def on_mount(self) -> None:
        self.start()

    # ----- where the person lands -------------------------------------------------------------

    def start(self) -> None:
        self.read_choices(switching=False)

    @dataclass
    class Choices(Message, bubble=False):
        """The entities the person is linked to, each with the person's link to it."""

        switching: bool
        entities: list[tuple[Entity, Link]]

    @work(thread=True, exclusive=True, group="choices", exit_on_error=False)
    def read_choices(self, switching: bool) -> None:
        """The entities this person is linked to, read away from the UI thread."""
        with self.store.reading():
            links = self.store.links_of(self.niss)
            entities = {e.id: e for e in self.store.entities_of(self.niss)}
        choices = [(entities[k.entity_id], k) for k in links if k.entity_id in entities]
        deliver(self, self.Choices(switching, choices))

    @on(Choices)
    def _choices_read(self, message: Choices) -> None:
        choices = message.entities
        self.choices = {entity.id: entity for entity, _link in choices}
        self.entity_count = len(choices)
        if message.switching:
            self.push_screen(EntityChoiceScreen(choices, current=self.entity_id), self._chosen)
        else:
            self._land(choices)

    @on(Worker.StateChanged)
    def _choices_failed(self, event: Worker.StateChanged) -> None:
        # The app's own worker: the screens' failures are handled by ConsoleScreen.
        if event.state == WorkerState.ERROR:
            self.show_error(event.worker.error)

    @on(NoAccessScreen.AccessGranted)
    def _access_granted(self) -> None:
        self.start()

    def _land(self, choices: list[tuple[Entity, Link]]) -> None:
        if not choices:
            self.entity_id = None
            self._show(NoAccessScreen(self.store, self.niss))
        elif len(choices) == 1:
            self.open_entity(choices[0][0].id)
        else:
            languages = {entity.language for entity, _link in choices}
            if not self.explicit_lang and len(languages) == 1:
                self._entity_language(languages.pop())
            self._show(EntityChoiceScreen(choices), self._chosen)

    def _show(self, screen: Screen[Any], callback: Callable[[Any], None] | None = None) -> None:
        from tui.screens.too_small import TooSmallScreen

        # The size warning sits on top of whatever is shown: take it off, show, re-check.
        if isinstance(self.screen, TooSmallScreen):
            self.pop_screen()
        self.call_after_refresh(self.check_size)
        # The first real screen is pushed; later ones replace it, so escape never lands on
        # an empty default screen.
        if len(self.screen_stack) > 1:
            while len(self.screen_stack) > 2:
                self.pop_screen()
            self.switch_screen(screen) if callback is None else self._switch_with(screen, callback)
        else:
            self.push_screen(screen, callback)

    def _switch_with(self, screen: Screen[Any], callback: Callable[[Any], None]) -> None:
        self.pop_screen()
        self.push_screen(screen, callback)

    def _chosen(self, entity_id: str | None) -> None:
        if entity_id is not None:
            self.open_entity(entity_id)

    def open_entity(self, entity_id: str) -> None:
        entity = self.choices.get(entity_id)
        if entity is None:
            self.start()
            return
        if not self.explicit_lang:
            self._entity_language(entity.language)
        self.entity_id = entity_id
        self._show(StaffScreen(self.store, self.niss, entity_id))

    def _entity_language(self, lang: str) -> None:
        """The entity's language, for every screen at once (not only the next one drawn)."""
        if lang != language():
            set_language(lang)
            self.language_changed.publish(lang)

    @on(StaffScreen.EntityLost)
    def entity_lost(self) -> None:
        self.notify(_("You are no longer linked to this entity."), severity="warning")
        # The person was reading in this language: a link removed elsewhere does not switch
        # the console (and its next messages) to another entity's language under them.
        self.explicit_lang = self.explicit_lang or language()
        self.start()

    def legend(self) -> list[tuple[str, str]]:
        return [("↓", N_("Before a name: disconnection requested, waiting for approval"))]

    # ----- app-wide actions -------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "switch_entity":
            return self.entity_id is not None and self.entity_count > 1
        return super().check_action(action, parameters)

    def action_switch_entity(self) -> None:
        self.read_choices(switching=True)
