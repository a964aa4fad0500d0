"""The administrators' console: queue, history, entities, audit trail and e-mails."""

from __future__ import annotations

from functools import partial

from textual.binding import Binding

from store import Store
from store.changes import ChangeSource
from tui.console import ConsoleApp
from tui.i18n import N_

SECTION_KEYS = (
    ("queue", "1", N_("Queue")),
    ("history", "2", N_("History")),
    ("entities", "3", N_("Entities")),
    ("audit", "4", N_("Audit")),
    ("outbox", "5", N_("E-mails")),
)


class AdminApp(ConsoleApp):
    BINDINGS = [
        Binding(key, f"section('{mode}')", label, show=False, id=f"section-{mode}")
        for mode, key, label in SECTION_KEYS
    ]

    def __init__(
        self,
        store: Store,
        admin_id: str,
        lang: str | None = None,
        poll_interval: float = 1.0,
        changes: ChangeSource | None = None,
        admin_name: str | None = None,
    ) -> None:
        super().__init__(store, lang or "fr", poll_interval, changes)
        self.admin_id = admin_id
        self.admin_name = admin_name  # for the section titles

    def on_mount(self) -> None:
        from tui.screens.admin_audit import AuditScreen
        from tui.screens.admin_entities import EntitiesScreen
        from tui.screens.admin_history import HistoryScreen
        from tui.screens.admin_outbox import OutboxScreen
        from tui.screens.admin_queue import QueueScreen

        for mode, screen in (
            ("queue", QueueScreen),
            ("history", HistoryScreen),
            ("entities", EntitiesScreen),
            ("audit", AuditScreen),
            ("outbox", OutboxScreen),
        ):
            self.add_mode(mode, partial(screen, self.store, self.admin_id, self.admin_name))
        self.switch_mode("queue")

    def action_section(self, mode: str) -> None:
        self.switch_mode(mode)

    def console_keys(self) -> list[tuple[str, str]]:
        # The section keys stay out of the footer (the nav bar shows them), not out of help.
        return [(key, label) for _mode, key, label in SECTION_KEYS]
