"""What both consoles share: language, help, command palette, errors, following the store."""

from __future__ import annotations

import gc
import os
import sys
import termios
import time
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, Protocol, runtime_checkable

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.content import Content
from textual.dom import DOMNode
from textual.geometry import Size
from textual.message import Message
from textual.message_pump import MessagePump
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen
from textual.signal import Signal
from textual.timer import Timer
from textual.widgets import Input
from textual.worker import NoActiveWorker, get_current_worker

from rules import RuleViolation, printable
from store import Store, StoreBusy, StoreError
from store.changes import ChangeSource
from store.errors import StoreUnreachable
from tui.i18n import LANGUAGES, N_, _, language, next_language, said, set_language
from tui.incidents import record_incident
from tui.screens.palette import Palette
from tui.typeahead import Typeahead

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


_frozen_after: set[str] = set()


def freeze_heap_after(first: str) -> None:
    """Once ``first`` (a screen's first complete load) is done, what it built (the store's
    records, the widgets) is kept out of the collector's full passes, which at Flanders
    scale took 70 to 120 ms each, a stutter after a commit now and then. Once per screen:
    later garbage is collected as usual, and what was kept is still freed when dropped."""
    if first not in _frozen_after:
        _frozen_after.add(first)
        gc.collect()
        gc.freeze()


def _worker_cancelled() -> bool:
    """True in a worker thread whose worker was cancelled: the console is closing, or a newer
    worker replaced it. Its wait for the store's lock then ends instead of holding up exit."""
    try:
        return get_current_worker().is_cancelled
    except NoActiveWorker:
        return False


def deliver(node: MessagePump, message: Message) -> None:
    """Hand a worker's result to ``node`` as a typed message, unless the worker was cancelled.

    A cancelled worker was replaced by a newer one (whose result wins) or the console is
    closing; its thread still runs to the end, so its result is dropped here.
    """
    if not _worker_cancelled():
        node.post_message(message)


class ConsoleApp(App[None]):
    """What both consoles share: language, help, command palette, errors shown as messages.

    It also watches the store for every screen: each poll interval it asks ``changes`` (a
    stat of the manifest, no lock) and publishes ``store_changed`` when the answer differs.
    Only then do the screens read the store again, under its lock.
    """

    CSS_PATH = "app.tcss"
    TITLE = "Vaccinnet"
    BINDINGS = [
        Binding(
            "l",
            "switch_language",
            N_("Language"),
            id="language",
            tooltip=N_("Français → Nederlands → English"),
        ),
        Binding(
            "question_mark",
            "help",
            N_("Help"),
            id="help",
            key_display="?",
            tooltip=N_("Every key of this screen"),
        ),
        Binding("q", "quit", N_("Quit"), id="quit", tooltip=N_("Leave Vaccinnet")),
        # While a text field has the focus, letters are typed, so quitting needs ctrl+q.
        Binding(
            "ctrl+q", "quit_anywhere", N_("Quit"), id="quit-anywhere", tooltip=N_("Leave Vaccinnet")
        ),
    ]

    def __init__(
        self,
        store: Store,
        lang: str,
        poll_interval: float = 1.0,
        changes: ChangeSource | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        store.interrupted = _worker_cancelled
        self.poll_interval = poll_interval
        self.changes = changes or store.change_source()
        # Taken before any screen reads: a commit after it is seen by the watcher, one
        # before it by the screens' first read.
        self._store_token = self.changes.token()
        self.store_changes = 0  # how many changes the watcher saw
        self.store_changed: Signal[int] = Signal(self, "store-changed")
        # The language is app-wide state that screens observe, as Textual's theme is.
        self.language_changed: Signal[str] = Signal(self, "language-changed")
        self._last_error: tuple[str, float] = ("", 0.0)
        # A read failed because the store is busy or out of reach, and none has succeeded:
        # the notice that says so is on screen (out_of_reach), and a probe asks the store
        # each poll interval until it answers (a dialog's failed check has no follower).
        self.out_of_reach = False
        self.read_failing = False
        self._probe: Timer | None = None
        self._probing = False
        self._incident_line = ""
        self._terminal_size: Size | None = None
        self.typeahead = Typeahead(self, super().on_event)
        set_language(lang)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            await self.typeahead.key(event)
        else:
            await super().on_event(event)

    def on_mount(self) -> None:
        self.set_interval(self.poll_interval, self.look_at_store)
        stdin = sys.__stdin__
        if not self.is_headless and stdin is not None and os.isatty(stdin.fileno()):
            self.set_interval(1.0, partial(self.look_at_terminal, stdin.fileno()))

    def look_at_terminal(self, fd: int) -> None:
        """Leave when the terminal is gone. An SSH link that dies without a hangup leaves a
        pseudo-terminal whose every read says "end of file" at once: Textual's input thread
        then spins (half a core per lost session) and nothing else ends the process."""
        try:
            termios.tcgetattr(fd)
        except termios.error:
            self.exit(return_code=TERMINAL_GONE)

    def look_at_store(self) -> None:
        token = self.changes.token()
        if token != self._store_token:
            self._store_token = token
            self.store_changes += 1
            self.store_changed.publish(self.store_changes)

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
        from tui.screens.too_small import TooSmallScreen

        if isinstance(self.screen, TooSmallScreen):
            # Its message says ctrl+c quits; a key that comes before the screen's own
            # binding is in place (just after a resize) lands here, and must quit too.
            self.exit()
            return
        # ctrl+c out of habit: Textual's own hint is English and written in markup, which
        # every notification here shows literally.
        self.notify(_("Press q to quit (ctrl+q while typing)."), title=_("Do you want to quit?"))

    def action_switch_language(self, lang: str | None = None) -> None:
        lang = lang if lang in LANGUAGES else next_language(language())
        set_language(lang)
        self.language_chosen(lang)
        self.language_changed.publish(lang)
        # No state of a screen changed, only the words: the footer is redrawn by hand.
        self.refresh_bindings()
        self.notify(_("Language: English"), timeout=2)

    def language_chosen(self, lang: str) -> None:
        """The person chose a language: it now wins over any entity's."""

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        # Keys a screen keeps off its full footer still belong in the help: its own, with a
        # tooltip (the escape that clears is among the navigation keys below; Textual's
        # own are the app's, not the screen's).
        screen = self.screen
        keys = [
            (self.get_key_display(binding), binding.tooltip or binding.description)
            for _key, (node, binding, enabled, _tip) in screen.active_bindings.items()
            if binding.description
            and enabled
            and (binding.show or (node is screen and binding.tooltip and binding.id != "clear"))
        ]
        self.push_screen(
            HelpScreen([*self.console_keys(), *keys, *NAVIGATION_KEYS, *self.legend()])
        )

    def console_keys(self) -> list[tuple[str, str]]:
        """Keys of the console itself that its footer leaves out, listed first in its help."""
        return []

    def legend(self) -> list[tuple[str, str]]:
        """Signs a console's lists use, explained in its help."""
        return []

    def action_command_palette(self) -> None:
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(Palette())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Only our own bindings (each has an id): Textual's widgets bring English ones ("Focus
        # Next", "Copy selected text") that the help's navigation keys already describe.
        for _key, (node, binding, enabled, tooltip) in screen.active_bindings.items():
            if binding.id is None or binding.action in ("command_palette", "quit_anywhere"):
                continue  # ctrl+q is q for a text field: the palette lists « Quitter » once
            if binding.action == "switch_language":
                # Asked while the palette (a dialog) is on top, which keeps its language.
                enabled = not isinstance(screen, ModalScreen)
            if enabled and binding.description:
                yield SystemCommand(
                    f"{_(binding.description)} ({self.get_key_display(binding)})",
                    _(tooltip or binding.tooltip or binding.description),
                    lambda node=node, action=binding.action: self.run_action(action, node),
                )

    def show_error(self, problem: BaseException | None, reading: bool = True) -> None:
        """The one place where an unexpected failure becomes a message, never a traceback.

        A store that fails before anything of it was shown gets a screen of its own instead
        (it names the file, and the console then exits 2).
        """
        from tui.screens.store_problem import stop_for_store_problem

        if stop_for_store_problem(self, problem, self.store.location):
            return
        text: str | None = None
        if reading and isinstance(problem, StoreError):
            self.read_failing = True
            if isinstance(problem, StoreBusy):
                # Busy or out of reach: it passes. (A damaged file does not: only its
                # screen's own retries find it mended, or the probe would say « back » at
                # every interval while the file stays damaged.)
                self.ask_until_answered()
        if isinstance(problem, RuleViolation):
            key = text = problem.message(language())
        elif isinstance(problem, StoreBusy):
            # Busy, or a database out of reach (failing over): it passes, and the console
            # reads again by itself.
            if isinstance(problem, StoreUnreachable):
                # The database's address and its server's own (English) words are for the
                # operators, who have its log: staff are told what it means for them.
                problem_said = _("the database does not answer")
            else:
                problem_said = said(problem)
            if reading:
                text = _("The store cannot be reached for now: {problem}. Trying again…")
            else:
                # The connection may have dropped after the commit was sent: say to look.
                text = _(
                    "The store cannot be reached for now: {problem}. Once it is back, check "
                    "the list before doing it again."
                )
            text = text.format(problem=problem_said)
            if reading:
                # Shown until the store answers again (store_answered takes it away): what
                # is on screen may be stale meanwhile, whatever each attempt's reason.
                # Said once.
                if not self.out_of_reach:
                    self.out_of_reach = True
                    self.notify(text, severity="error", timeout=_UNTIL_BACK)
                return
            key = text
        elif isinstance(problem, StoreError):
            key = text = _("The store cannot be used: {problem}").format(problem=said(problem))
        else:
            key = f"{type(problem).__name__}: {problem}"
        # A failing read is tried again every interval: one message (and one incident) per
        # problem, not one per interval.
        now = time.monotonic()
        if key == self._last_error[0] and now - self._last_error[1] < 60:
            return
        self._last_error = (key, now)
        if text is None:
            # The exception's text may hold data: it goes to the private log, not to the screen.
            error = problem or RuntimeError("no error")
            incident, _log = record_incident(error, self.store.incident_dir)
            text = _(INCIDENT).format(id=incident)
        self.notify(text, severity="error", timeout=10)

    def ask_until_answered(self) -> None:
        """The store is out of reach: ask it each poll interval until it answers."""
        if self._probe is None:
            self._probe = self.set_interval(self.poll_interval, self._ask_store)

    def _ask_store(self) -> None:
        if not self._probing:
            self._probing = True
            self.probe_store()

    @work(thread=True, exclusive=True, group="probe", exit_on_error=False)
    def probe_store(self) -> None:
        try:
            self.store.version()
        except StoreError:
            return  # still away: said already, asked again at the next interval
        finally:
            self._probing = False  # read on the UI thread only: one bool, set once
        self.call_from_thread(self.store_answered)

    def store_answered(self) -> None:
        """A read succeeded. After reads failed: say once that the store is back, take the
        notice away, and let every screen redo what failed meanwhile (a dialog's check of
        the rules, a request's details)."""
        if not self.read_failing:
            return
        self.read_failing = False
        if self._probe is not None:
            self._probe.stop()
            self._probe = None
        if self.out_of_reach:
            self.out_of_reach = False
            self.clear_notifications()  # the notice that it could not be reached
        self.notify(_("The store can be reached again."), timeout=5)
        for screen in self.screen_stack:
            store_back = getattr(screen, "store_back", None)
            if store_back is not None:
                store_back()

    def clear_notifications(self) -> None:
        super().clear_notifications()
        # Textual takes the toasts off the current screen only, and a dialog lets the screen
        # beneath show through, with the notice it had (« inaccessibles » over « back »).
        for screen in self.screen_stack[:-1]:
            screen.query("ToastHolder").remove()

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
        super().notify(
            printable(message, multiline=True),
            title=printable(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def format_title(self, title: str, sub_title: str) -> Content:
        # Sub-titles carry entity names and ids: shown, never obeyed.
        return super().format_title(printable(title), printable(sub_title))

    def _handle_exception(self, error: Exception) -> None:
        """A crash ends the console with one line; Textual's report would print local variables."""
        if os.environ.get("VACCINNET_DEBUG"):  # developers, on their own data
            super()._handle_exception(error)
            return
        incident, _log = record_incident(error, self.store.incident_dir)
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


@runtime_checkable
class SpeaksLanguage(Protocol):
    def apply_language(self) -> None: ...


def follow_language(screen: Screen[Any]) -> None:
    """Draw ``screen``'s words in the console's language now, and again at every switch."""
    assert isinstance(screen, SpeaksLanguage)
    screen.apply_language()
    console(screen).language_changed.subscribe(screen, lambda _lang: screen.apply_language())


def console(node: DOMNode) -> ConsoleApp:
    """The console a screen or widget runs in, with its type: errors, store watcher."""
    app = node.app
    assert isinstance(app, ConsoleApp)
    return app


# How long the notice that the store cannot be reached stays: until it can be, in practice.
_UNTIL_BACK = 24 * 3600

# The hangup status a shell would report (128 + SIGHUP): the session ended without a goodbye.
TERMINAL_GONE = 129


class StoreFollower:
    """Reloads a screen when the console's watcher saw the store change.

    At once while the screen is shown, also beneath a dialog; a hidden one (another admin
    section, a screen under another) catches up once, when it is shown again. The screen
    reads through ``read`` (its first read too), calls ``read_ended`` when a read is over,
    ``start`` once mounted and ``resumed`` from its ``on_screen_resume``.
    """

    def __init__(self, screen: Screen, read: Callable[[bool], object]) -> None:
        self.screen, self._read = screen, read
        self.seen: int | None = None
        self.reading = False  # a read is under way
        self._again = False
        self._held = False
        # A read failed and none has succeeded since; whether the last read failed.
        self._failing = self._failed = False

    def hold(self) -> None:
        """Stop following while this console writes many times in a row (a bulk decision):
        reading again after each of its own commits would take the writer's turn."""
        self._held = True

    def release(self) -> None:
        """Follow again, reading at once (the held changes, and the console's own writes)."""
        self._held = False
        self.read(force=True)

    def read(self, force: bool = False) -> None:
        """Read now (``force``: whatever the version). A read under way finishes rather than
        being replaced (a very large store), then one more follows: it may have started
        before the change that asked for this one."""
        if self.reading:
            self._again = True
            return
        self.reading = True
        self._read(force)

    def read_ended(self) -> None:
        """The screen's read finished, with data, without, or failed."""
        self.reading = False
        if self._failing and not self._failed:
            self._failing = False
            console(self.screen).store_answered()  # says once that the store is back
        self._failed = False
        if self._again:
            self._again = False
            self.read()

    def start(self) -> None:
        app = console(self.screen)
        self.seen = app.store_changes
        app.store_changed.subscribe(self.screen, self.changed)

    def changed(self, count: int) -> None:
        # is_current also answers while no screen is on top (between two, or at exit).
        if self.screen.is_current and not self._held:
            self.seen = count
            self.read()

    def resumed(self) -> None:
        count = console(self.screen).store_changes
        if self.seen is not None and count != self.seen:
            self.seen = count
            self.read()

    def failed(self) -> None:
        """The reload failed (the store busy, damaged, unreadable): try again one poll interval
        later, and so on while it fails, even though the store did not change meanwhile."""
        self._failing = self._failed = True
        self.seen = -1  # a hidden screen reads again when shown
        app = console(self.screen)
        self.screen.set_timer(app.poll_interval, lambda: self.changed(app.store_changes))
