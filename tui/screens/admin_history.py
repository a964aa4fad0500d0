"""The administrators' Historique: decided and deleted requests, the latest first."""

from __future__ import annotations

from textual.widgets import Static

from rules import Request, format_niss, niss_or_none, request_kind_label, status_label, type_label
from rules.text import fold
from tui.i18n import N_, _, fmt_datetime, language
from tui.literal import literal
from tui.screens.admin_base import AdminListScreen, Listed
from tui.widgets.record_table import Column
from tui.wording import KIND_SHORT


class HistoryScreen(AdminListScreen):
    SECTION = "history"
    TITLE_TEXT = N_("History")

    def fetch(self) -> list[Request]:
        return self.store.history()

    def columns(self) -> list[Column]:
        return [
            Column("when", _("Decided on"), 16),
            Column("status", _("Status"), 11, fit=True),
            Column("entity", _("Entity"), 14, fit=True),
            Column("kind", _("Request"), 12, fit=True),
            Column("person", _("Person"), 24, flex=2, min_width=10),
            Column("by", _("By"), 16, flex=1),
        ]

    def all_rows(self) -> list[Listed]:
        lang = language()
        rows: list[Listed] = []
        for r in self.data or []:
            cells = (
                fmt_datetime(r.decided_at),
                status_label(r.status, lang),
                r.entity_id,
                _(KIND_SHORT[r.kind]),
                r.full_name,
                r.decided_by or "",
            )
            hay = fold(
                " ".join(
                    (
                        r.id,
                        r.niss,
                        format_niss(r.niss),
                        r.filed_by,
                        format_niss(r.filed_by),
                        r.full_name,
                        r.entity_id,
                        r.status,
                        r.decided_by or "",
                        r.reason or "",
                        status_label(r.status, lang),
                    )
                )
            )
            rows.append(((r.id, cells), hay))
        return rows

    def refresh_summary(self) -> None:
        self.query_one("#summary", Static).update(
            literal(
                _("{count} decided or deleted requests, the latest first.").format(
                    count=len(self.data or [])
                )
            )
        )

    def show_detail(self, key: str | None) -> None:
        r = next((r for r in self.data or [] if r.id == key), None)
        lang = language()
        text = (
            ""
            if r is None
            else "\n".join(
                [
                    f"{r.id} · {request_kind_label(r.kind, lang)} · {r.entity_id} · {r.full_name} "
                    f"({format_niss(r.niss)}, {type_label(r.employee_type, lang)})",
                    _("Filed by {by} on {on}; {status} by {admin} on {when}.").format(
                        by=format_niss(r.filed_by),
                        on=fmt_datetime(r.filed_at),
                        status=status_label(r.status, lang),
                        # An administrator's id, or the filer's NISS for a withdrawal.
                        admin=format_niss(r.decided_by)
                        if niss_or_none(r.decided_by or "")
                        else r.decided_by,
                        when=fmt_datetime(r.decided_at),
                    ),
                    (_("Reason: {reason}").format(reason=r.reason) if r.reason else ""),
                ]
            )
        )
        self.query_one("#detail", Static).update(literal(text))
