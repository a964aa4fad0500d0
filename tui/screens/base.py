"""What every screen shares: workers hand back typed messages; a failure is shown in one place."""

from __future__ import annotations

from typing import TypeVar

from textual import on
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from store import StoreError
from tui.console import console
from tui.i18n import N_

# Escape in a list screen: the filter first, then the selection (staff list, admin sections).
CLEAR_BINDING = Binding(
    "escape",
    "clear",
    N_("Clear"),
    show=False,
    id="clear",
    tooltip=N_("Clear the filter and the selection"),
)

ResultT = TypeVar("ResultT")

# The worker groups that only read: their failure passes, and the screen reads again by
# itself. Any other group wrote, or may have: its failure says to check before saving again
# (the connection may have dropped after the commit was sent), never « trying again ».
READING_GROUPS = frozenset(
    {"load", "review", "search", "mine", "preview", "choices", "verify", "review-left", "probe"}
)


class ConsoleScreen(Screen[ResultT]):
    """A screen whose workers post their results as typed messages (``tui.console.deliver``).

    Worker.StateChanged does not bubble, so each screen needs a handler; this is the only
    one. A failure becomes a message in the person's language (never a traceback), then the
    screen's ``work_failed`` puts its own state right (a flag, a retry).
    """

    # The reads that failed on the store: redone once it answers again (a screen with a
    # StoreFollower lets it read again by itself). A frozenset, replaced rather than
    # changed: no instance shares it.
    failed_reads: frozenset[str] = frozenset()

    @on(Worker.StateChanged)
    def _worker_ended(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            group, error = event.worker.group, event.worker.error
            reading = group in READING_GROUPS
            if reading and isinstance(error, StoreError):
                self.failed_reads = self.failed_reads | {group}
            console(self).show_error(error, reading=reading)
            self.work_failed(group, error)

    def work_failed(self, group: str, error: BaseException | None) -> None:
        """A worker of ``group`` failed and the person was told: the screen recovers."""

    def store_back(self) -> None:
        """The store answers again after reads failed: redo those of this screen."""
        failed, self.failed_reads = self.failed_reads, frozenset()
        for group in sorted(failed):
            self.read_again(group)

    def read_again(self, group: str) -> None:
        """Redo the read of ``group`` that failed on the store (screens that have one)."""


# ModalScreen comes first so that its style (the screen beneath shows through) wins over
# Screen's, which ConsoleScreen would otherwise bring in ahead of it.
class ConsoleModal(ModalScreen[ResultT], ConsoleScreen[ResultT]):
    """A dialog over another screen, with the same worker handling."""
