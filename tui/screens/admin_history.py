"""The administrators' Historique: decided and deleted requests, the latest first."""

from __future__ import annotations

from dataclasses import dataclass

from textual.widgets import Static

from rules import (
    HOUSEKEEPING,
    Request,
    decision_reason,
    format_niss,
    niss_or_none,
    request_kind_label,
    status_label,
    type_label,
)
from rules.text import fold
from tui.i18n import N_, _, fmt_datetime, language
from tui.literal import literal
from tui.screens.admin_base import Listed, PagedListScreen
from tui.widgets.record_table import Column
from tui.wording import KIND_SHORT


@dataclass(frozen=True)
class HistoryData:
    requests: list[Request]
    admins: dict[str, str]  # id -> name
    people: dict[str, str]  # a filer's NISS -> their name, where the store still knows it
    total: int  # decided requests in the whole store


class HistoryScreen(PagedListScreen):
    SECTION = "history"
    TABLES = ("requests", "admins", "links")  # links: the names of the filers
    TITLE_TEXT = N_("History")

    def fetch(self) -> HistoryData:
        admins = {admin.id: admin.name for admin in self.store.admins()}
        history = self.store.history(limit=self.shown)
        names = self.store.names_of(
            (r.filed_by for r in history), at={r.filed_by: r.entity_id for r in history}
        )
        return HistoryData(history, admins, names, self.store.decided_count())

    def more_to_show(self) -> bool:
        data: HistoryData = self.data
        return len(data.requests) < data.total

    def filer(self, niss: str) -> str:
        """« DUPONT Jean (85.07.30-033.28) »: the name when the store knows it, always the NISS."""
        name = self.data.people.get(niss) if self.data else None
        return f"{name} ({format_niss(niss)})" if name else format_niss(niss)

    @property
    def requests(self) -> list[Request]:
        return self.data.requests if self.data else []

    def decider(self, r: Request, detail: bool = False) -> str:
        """Who closed the request: an administrator, or the filer (a withdrawal), by name.

        The column names a filer only; the detail adds their NISS, as it does for « filed by ».
        """
        by = r.decided_by or ""
        if by == HOUSEKEEPING and r.status == "expired":
            return _("the housekeeping job")
        if niss_or_none(by):
            name = self.data.people.get(by) if self.data else None
            return self.filer(by) if detail or not name else name
        return self.data.admins.get(by, by) if self.data else by

    def columns(self) -> list[Column]:
        return [
            Column("when", _("Decided on"), 16),
            Column("status", _("Status"), 11, fit=True),
            Column("entity", _("Entity"), 14, fit=True),
            Column("kind", _("Request"), 12, fit=True),
            Column("person", _("Person"), 24, flex=2, min_width=16),
            Column("by", _("By"), 24, fit=True),
        ]

    def all_rows(self) -> list[Listed]:
        lang = language()
        rows: list[Listed] = []
        for r in self.requests:
            cells = (
                fmt_datetime(r.decided_at),
                status_label(r.status, lang),
                r.entity_id,
                _(KIND_SHORT[r.kind]),
                r.full_name,
                self.decider(r),
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
                        self.decider(r),
                        decision_reason(r, lang) or "",
                        status_label(r.status, lang),
                    )
                )
            )
            rows.append(((r.id, cells), hay))
        return rows

    def refresh_summary(self) -> None:
        data: HistoryData | None = self.data
        if data is not None and self.more_to_show():
            text = _(
                "The latest {count} of {total} decided or deleted requests; o shows older ones, "
                "the filter searches those shown."
            ).format(count=len(data.requests), total=data.total)
        else:
            text = _("{count} decided or deleted requests, the latest first.").format(
                count=len(self.requests)
            )
        self.query_one("#summary", Static).update(literal(text))

    def show_detail(self, key: str | None) -> None:
        r = next((r for r in self.requests if r.id == key), None)
        lang = language()
        reason = decision_reason(r, lang) if r is not None else None
        text = (
            ""
            if r is None
            else "\n".join(
                line
                for line in [
                    f"{r.id} · {request_kind_label(r.kind, lang)} · {r.entity_id} · {r.full_name} "
                    f"({format_niss(r.niss)}, {type_label(r.employee_type, lang)})",
                    _("Filed by {by} on {on}; {status} by {admin} on {when}.").format(
                        by=self.filer(r.filed_by),
                        on=fmt_datetime(r.filed_at),
                        status=status_label(r.status, lang),
                        admin=self.decider(r, detail=True),
                        when=fmt_datetime(r.decided_at),
                    ),
                    (
                        (
                            _("Administrator's note: {note}")
                            if r.status == "approved"
                            else _("Reason: {reason}")
                        ).format(reason=reason, note=reason)
                        if reason
                        else ""
                    ),
                    (_("Note from the requester: {note}").format(note=r.note) if r.note else ""),
                ]
                if line
            )
        )
        self.query_one("#detail", Static).update(literal(text))
