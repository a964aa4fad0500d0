"""The administrators' Audit section: the trail, newest first, and its verification."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual import on, work
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static

from rules import format_niss
from rules.text import fold
from store import AuditEntry
from tui.console import deliver
from tui.i18n import N_, _, fmt_datetime
from tui.literal import literal
from tui.screens.admin_base import AdminListScreen, Listed
from tui.widgets.record_table import Column


class AuditScreen(AdminListScreen):
    SECTION = "audit"
    TITLE_TEXT = N_("Audit trail")

    @dataclass
    class Verified(Message, bubble=False):
        """What ``check`` found; empty when the chain and the store are intact."""

        problems: list[str]

    BINDINGS = [
        Binding(
            "v",
            "verify",
            N_("Verify"),
            id="verify",
            tooltip=N_("Check the hash chain and say where it breaks"),
        ),
    ]

    def fetch(self) -> list[AuditEntry]:
        return self.store.audit_entries(newest_first=True)

    def columns(self) -> list[Column]:
        return [
            Column("seq", "#", 5),
            Column("at", _("When"), 16),
            Column("actor", _("Who"), 11),
            Column("action", _("What"), 16),
            Column("entity", _("Entity"), 13),
            Column("request", _("Request"), 7),
        ]

    def all_rows(self) -> list[Listed]:
        rows: list[Listed] = []
        for e in self.data or []:
            cells = (
                str(e.seq),
                fmt_datetime(datetime.fromisoformat(e.at)),
                e.actor,
                e.action,
                e.entity_id or "",
                e.request_id or "",
            )
            hay = fold(
                " ".join(
                    (
                        e.actor,
                        e.action,
                        e.entity_id or "",
                        e.niss or "",
                        e.request_id or "",
                        str(e.detail),
                    )
                )
            )
            rows.append(((str(e.seq), cells), hay))
        return rows

    def refresh_summary(self) -> None:
        self.query_one("#summary", Static).update(
            literal(
                _(
                    "{count} entries, the newest first. Filter by entity, person (NISS) or "
                    "administrator; v verifies the chain."
                ).format(count=len(self.data or []))
            )
        )

    def show_detail(self, key: str | None) -> None:
        e = next((e for e in self.data or [] if str(e.seq) == key), None)
        text = (
            ""
            if e is None
            else "\n".join(
                [
                    f"#{e.seq} {e.action} · {e.actor} · {e.entity_id or '–'} · "
                    f"{format_niss(e.niss) if e.niss else '–'} · {e.request_id or '–'}",
                    ", ".join(f"{k}: {v}" for k, v in e.detail.items()),
                    _("hash {hash}… follows {prev}…").format(hash=e.hash[:16], prev=e.prev[:16]),
                ]
            )
        )
        self.query_one("#detail", Static).update(literal(text))

    def action_verify(self) -> None:
        self.verify()

    @work(thread=True, exclusive=True, group="verify", exit_on_error=False)
    def verify(self) -> None:
        deliver(self, self.Verified(self.store.verify()))

    @on(Verified)
    def _verified(self, message: Verified) -> None:
        if message.problems:
            self.notify(
                "\n".join(message.problems[:6]),
                title=_("The store has problems"),
                severity="error",
                timeout=20,
            )
        else:
            self.notify(_("The audit chain and the store are intact."), title=_("Verified"))
