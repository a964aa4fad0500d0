"""Shown, and kept, when the store cannot be read at start: the file, what to do, exit 2."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from store import StoreError
from store.errors import StoreBusy, StoreInterrupted
from tui.console import follow_language
from tui.i18n import N_, _, said
from tui.literal import literal
from tui.widgets.footer import TranslatedFooter

EXIT_STATUS = StoreError.exit_status  # as the command line says for an unusable store


class StoreProblemScreen(Screen[None]):
    """Nothing else can be done with a store whose files cannot be read: say which, and stop."""

    # q, ctrl+q and ctrl+c all leave, with the status that tells scripts the store is unusable.
    BINDINGS = [
        Binding("q", "leave", N_("Quit"), id="quit-problem", priority=True),
        Binding("ctrl+q,ctrl+c,escape", "leave", show=False, priority=True),
        # The admin console's sections would read the same store and hide this screen.
        Binding("1,2,3,4,5", "stay", show=False, priority=True),
    ]

    DEFAULT_CSS = """
    StoreProblemScreen {
        align: center middle;
    }
    StoreProblemScreen #store-problem {
        width: 76;
        height: auto;
        padding: 1 2;
        border: heavy $error;
    }
    """

    def __init__(self, error: StoreError, data: str) -> None:
        super().__init__()
        self.error, self.data = error, data

    def compose(self) -> ComposeResult:
        yield Static(id="store-problem")
        yield TranslatedFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        follow_language(self)

    def apply_language(self) -> None:
        self.query_one("#store-problem", Static).update(literal(self.text()))
        self.refresh_bindings()

    def text(self) -> str:
        return "\n\n".join(
            (
                _("Vaccinnet cannot use its data: this file is damaged, missing or unreadable:"),
                f"  {self.error.path}\n  {said(self.error.problem)}",
                _(
                    "Nothing was changed. Tell an administrator, who can find out what is wrong "
                    "with:"
                ),
                f"  vaccinnet --data {self.data} check",
                _("Press q to quit."),
            )
        )

    def action_stay(self) -> None:
        """Nothing to switch to: every section reads the store that cannot be read."""

    def action_leave(self) -> None:
        self.app.exit(return_code=EXIT_STATUS)


def stop_for_store_problem(app: App[None], problem: BaseException | None, data: str) -> bool:
    """Show the problem screen for a store that fails before anything could be shown.

    Later, the failure of one read or write is a message and the work on screen stays; a busy
    lock is waited for again. True when the problem was handled here.
    """
    if any(isinstance(screen, StoreProblemScreen) for screen in app.screen_stack):
        return True  # shown already: later failures of the same store say nothing new
    if not isinstance(problem, StoreError) or isinstance(problem, StoreBusy | StoreInterrupted):
        return False
    if not _nothing_shown(app):
        return False
    app.push_screen(StoreProblemScreen(problem, data))
    return True


def _nothing_shown(app: App[None]) -> bool:
    """True while the console's main screen has not shown any data of the store yet."""
    screens = [s for s in app.screen_stack if not isinstance(s, ModalScreen)]
    main = screens[-1] if screens else app.screen
    # The staff screen holds its first read in ``view``, an admin section in ``data``.
    return getattr(main, "view", None) is None and getattr(main, "data", None) is None
