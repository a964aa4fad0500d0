"""The staff console: what a doctor or pharmacist sees when they log in over SSH."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Size
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen
from textual.widgets import Input
from textual.worker import NoActiveWorker, Worker, WorkerState, get_current_worker

from rules import Entity, Link, RuleViolation, printable
from store import Store, StoreError
from tui.i18n import LANGUAGES, N_, _, language, next_language, set_language
from tui.incidents import record_incident
from tui.screens.entity_choice import EntityChoiceScreen
from tui.screens.no_access import NoAccessScreen
from tui.screens.staff import StaffScreen

INCIDENT = N_(
    "Unexpected error (incident {id}). The details are in the service's log; give this number "
    "to an administrator."
)

NAVIGATION_KEYS = [
    ("↑ ↓", N_("Move in the list")),
    ("tab", N_("Go to the next area")),
    ("esc", N_("Clear the filter or the selection, or close a dialog")),
    ("^p", N_("Every command, searchable (command palette)")),
    ("^q", N_("Quit, even while typing in a field")),
]


def _worker_cancelled() -> bool:
    """True in a worker thread whose worker was cancelled: the console is closing, or a newer
    worker replaced it. Its wait for the store's lock then ends instead of holding up exit."""
    try:
        return get_current_worker().is_cancelled
    except NoActiveWorker:
        return False


class ConsoleApp(App[None]):
    """What both consoles share: language, help, command palette, errors shown as messages."""

    CSS_PATH = "app.tcss"
    TITLE = "Vaccinnet"
    BINDINGS = [
        Binding("l", "switch_language", N_("Language"), id="language",
                tooltip=N_("Français → Nederlands → English")),
        Binding("question_mark", "help", N_("Help"), id="help", key_display="?",
                tooltip=N_("Every key of this screen")),
        Binding("q", "quit", N_("Quit"), id="quit", tooltip=N_("Leave Vaccinnet")),
        # While a text field has the focus, letters are typed, so quitting needs ctrl+q.
        Binding("ctrl+q", "quit_anywhere", N_("Quit"), id="quit-anywhere",
                tooltip=N_("Leave Vaccinnet")),
    ]  # fmt: skip

    def __init__(self, store: Store, lang: str, poll_interval: float = 1.0) -> None:
        super().__init__()
        self.store = store
        store.interrupted = _worker_cancelled
        self.poll_interval = poll_interval
        self._last_error: tuple[str, float] = ("", 0.0)
        self._incident_line = ""
        self._terminal_size: Size | None = None
        set_language(lang)

    def on_resize(self, event: events.Resize) -> None:
        self._terminal_size = event.size
        self.check_size()

    def check_size(self) -> None:
        """Below 80×24 a message replaces the layout; it goes away when the window grows."""
        from tui.screens.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen

        # The size of the last Resize event: App.size can lag behind it.
        size = self._terminal_size or self.size
        small = size.width < MIN_WIDTH or size.height < MIN_HEIGHT
        showing = isinstance(self.screen, TooSmallScreen)
        if small and not showing:
            self.push_screen(TooSmallScreen())
        elif showing and not small:
            self.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "switch_language" and isinstance(self.screen, ModalScreen):
            return None  # a dialog keeps its language until it closes
        if action == "quit_anywhere":
            # Shown only where "q" would be typed into a field instead of quitting.
            return isinstance(self.focused, Input)
        return True

    async def action_quit_anywhere(self) -> None:
        await self.action_quit()

    def action_help_quit(self) -> None:
        # ctrl+c out of habit: Textual's own hint is English and written in markup, which
        # every notification here shows literally.
        self.notify(_("Press q to quit (ctrl+q while typing)."), title=_("Do you want to quit?"))

    def action_switch_language(self, lang: str | None = None) -> None:
        lang = lang if lang in LANGUAGES else next_language(language())
        set_language(lang)
        self.language_chosen(lang)
        for screen in self.screen_stack:
            apply = getattr(screen, "apply_language", None)
            if apply is not None:
                apply()
        self.refresh_bindings()
        self.notify(_("Language: English"), timeout=2)

    def language_chosen(self, lang: str) -> None:
        """The person chose a language: it now wins over any entity's."""

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        keys = [
            (self.get_key_display(binding), binding.tooltip or binding.description)
            for _key, (_node, binding, enabled, _tip) in self.screen.active_bindings.items()
            if binding.show and binding.description and enabled
        ]
        self.push_screen(HelpScreen([*keys, *NAVIGATION_KEYS]))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for _key, (node, binding, enabled, tooltip) in screen.active_bindings.items():
            if enabled and binding.description and binding.action != "command_palette":
                yield SystemCommand(
                    f"{_(binding.description)} ({self.get_key_display(binding)})",
                    _(tooltip or binding.tooltip or binding.description),
                    lambda node=node, action=binding.action: self.run_action(action, node),
                )

    def show_error(self, problem: BaseException | None) -> None:
        """The one place where an unexpected failure becomes a message, never a traceback."""
        text: str | None = None
        if isinstance(problem, RuleViolation):
            key = text = problem.message(language())
        elif isinstance(problem, StoreError):
            key = text = _("The store cannot be used: {problem}").format(problem=problem)
        else:
            key = f"{type(problem).__name__}: {problem}"
        # Lists poll every second: one message (and one incident) per problem, not one per second.
        now = time.monotonic()
        if key == self._last_error[0] and now - self._last_error[1] < 60:
            return
        self._last_error = (key, now)
        if text is None:
            # The exception's text may hold data: it goes to the private log, not to the screen.
            incident, _log = record_incident(problem or RuntimeError("no error"), self.store.root)
            text = _(INCIDENT).format(id=incident)
        self.notify(text, severity="error", timeout=10)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification is literal text: messages carry names, reasons and server answers."""
        super().notify(printable(message, multiline=True), title=printable(title),
                       severity=severity, timeout=timeout, markup=False)  # fmt: skip

    def format_title(self, title: str, sub_title: str) -> Content:
        # Sub-titles carry entity names and ids: shown, never obeyed.
        return super().format_title(printable(title), printable(sub_title))

    def _handle_exception(self, error: Exception) -> None:
        """A crash ends the console with one line; Textual's report would print local variables."""
        if os.environ.get("VACCINNET_DEBUG"):  # developers, on their own data
            super()._handle_exception(error)
            return
        incident, _log = record_incident(error, self.store.root)
        self._return_code = 70
        if not self._incident_line:
            self._incident_line = "vaccinnet: " + _(INCIDENT).format(id=incident)
        self._close_messages_no_wait()

    def _print_error_renderables(self) -> None:
        if self._incident_line:
            # soft_wrap: one line however long, which Rich would otherwise cut or break.
            self.error_console.print(self._incident_line, soft_wrap=True)
            self._incident_line = ""
        super()._print_error_renderables()


class StaffApp(ConsoleApp):
    BINDINGS = [
        Binding("e", "switch_entity", N_("Entity"), id="entity",
                tooltip=N_("Work for another of your entities")),
        *ConsoleApp.BINDINGS,
    ]  # fmt: skip

    def __init__(
        self, store: Store, niss: str, lang: str | None = None, poll_interval: float = 1.0
    ) -> None:
        super().__init__(store, lang or "fr", poll_interval)
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

    @work(thread=True, exclusive=True, group="choices", exit_on_error=False)
    def read_choices(self, switching: bool) -> tuple[bool, list[tuple[Entity, Link]]]:
        """The entities this person is linked to, read away from the UI thread."""
        with self.store.reading():
            links = self.store.links_of(self.niss)
            entities = {e.id: e for e in self.store.entities_of(self.niss)}
        return switching, [(entities[k.entity_id], k) for k in links if k.entity_id in entities]

    @on(Worker.StateChanged)
    def _choices_read(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "choices":
            return
        if event.state == WorkerState.ERROR:
            self.show_error(event.worker.error)
        elif event.state == WorkerState.SUCCESS:
            switching, choices = event.worker.result
            self.choices = {entity.id: entity for entity, _link in choices}
            self.entity_count = len(choices)
            if switching:
                self.push_screen(EntityChoiceScreen(choices, current=self.entity_id),
                                 self._chosen)  # fmt: skip
            else:
                self._land(choices)

    def _land(self, choices: list[tuple[Entity, Link]]) -> None:
        if not choices:
            self.entity_id = None
            self._show(NoAccessScreen(self.store, self.niss, self.poll_interval))
        elif len(choices) == 1:
            self.open_entity(choices[0][0].id)
        else:
            languages = {entity.language for entity, _link in choices}
            if not self.explicit_lang and len(languages) == 1:
                set_language(languages.pop())
            self._show(EntityChoiceScreen(choices), self._chosen)

    def _show(self, screen: Screen, callback=None) -> None:  # type: ignore[no-untyped-def]
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

    def _switch_with(self, screen: Screen, callback) -> None:  # type: ignore[no-untyped-def]
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
            set_language(entity.language)
        self.entity_id = entity_id
        self._show(StaffScreen(self.store, self.niss, entity_id, self.poll_interval))

    def entity_lost(self, entity_id: str) -> None:
        self.notify(_("You are no longer linked to this entity."), severity="warning")
        self.start()

    # ----- app-wide actions -------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "switch_entity":
            return self.entity_id is not None and self.entity_count > 1
        return super().check_action(action, parameters)

    def action_switch_entity(self) -> None:
        self.read_choices(switching=True)
