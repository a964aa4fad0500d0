"""The administrators' other lists: history, audit trail and e-mails."""

from __future__ import annotations

from datetime import datetime

from textual import work
from textual.binding import Binding
from textual.widgets import Static
from textual.worker import Worker

from rules import Mail, Request, format_niss, request_kind_label, status_label, type_label
from rules.text import fold
from store import AuditEntry
from tui.i18n import N_, _, fmt_datetime, language
from tui.literal import literal
from tui.screens.admin_base import AdminListScreen
from tui.screens.staff import KIND_SHORT
from tui.widgets.record_table import Column, Row


class HistoryScreen(AdminListScreen):
    SECTION = "history"
    TITLE_TEXT = N_("History")

    def fetch(self) -> list[Request]:
        return self.store.history()

    def columns(self) -> list[Column]:
        return [
            Column("when", _("Decided on"), 16),
            Column("status", _("Status"), 11),
            Column("entity", _("Entity"), 14),
            Column("kind", _("Request"), 11),
            Column("person", _("Person"), 18),
            Column("by", _("By"), 10),
        ]

    def all_rows(self) -> list[tuple[Row, str]]:
        lang = language()
        rows = []
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
                        admin=r.decided_by,
                        when=fmt_datetime(r.decided_at),
                    ),
                    (_("Reason: {reason}").format(reason=r.reason) if r.reason else ""),
                ]
            )
        )
        self.query_one("#detail", Static).update(literal(text))


class AuditScreen(AdminListScreen):
    SECTION = "audit"
    TITLE_TEXT = N_("Audit trail")
    BINDINGS = [
        *AdminListScreen.BINDINGS,
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

    def all_rows(self) -> list[tuple[Row, str]]:
        rows = []
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
    def verify(self) -> list[str]:
        return self.store.verify()

    def worker_done(self, worker: Worker) -> None:
        if worker.group != "verify":
            return
        problems = worker.result
        if problems:
            self.notify(
                "\n".join(problems[:6]),
                title=_("The store has problems"),
                severity="error",
                timeout=20,
            )
        else:
            self.notify(_("The audit chain and the store are intact."), title=_("Verified"))


class OutboxScreen(AdminListScreen):
    SECTION = "outbox"
    TITLE_TEXT = N_("E-mails")
    BINDINGS = [
        *AdminListScreen.BINDINGS,
        Binding("R", "retry", N_("Retry"), id="retry", tooltip=N_("Send a failed e-mail again")),
    ]
    WRITES = frozenset({"retry"})

    def fetch(self) -> list[Mail]:
        mails = self.store.outbox(status=None)
        order = {"failed": 0, "pending": 1, "sent": 2}
        return sorted(mails, key=lambda m: (order.get(m.status, 3), m.id), reverse=False)

    def columns(self) -> list[Column]:
        return [
            Column("id", _("E-mail"), 8),
            Column("status", _("Status"), 9),
            Column("to", _("To"), 24),
            Column("tries", _("Tries"), 5),
            Column("error", _("Last answer"), 26),
        ]

    def all_rows(self) -> list[tuple[Row, str]]:
        rows = []
        self.table.marked = {m.id for m in self.data or [] if m.status == "failed"}
        for m in self.data or []:
            cells = (m.id, _(MAIL_STATUS[m.status]), m.to, str(m.attempts), m.last_error or "")
            hay = fold(" ".join((m.id, m.to, m.status, m.subject, m.request_id)))
            rows.append(((m.id, cells), hay))
        return rows

    def refresh_summary(self) -> None:
        mails = self.data or []
        counts = {s: sum(1 for m in mails if m.status == s) for s in MAIL_STATUS}
        self.query_one("#summary", Static).update(
            literal(
                _(
                    "{failed} failed · {pending} waiting · {sent} sent. Failed e-mails are kept "
                    "until you retry them (R)."
                ).format(**counts)
            )
        )

    def show_detail(self, key: str | None) -> None:
        m = next((m for m in self.data or [] if m.id == key), None)
        text = (
            ""
            if m is None
            else "\n".join(
                [
                    f"{m.id} · {m.message_id} · {m.request_id} · {m.to}",
                    m.subject,
                    _("Last answer: {error}").format(error=m.last_error) if m.last_error else "",
                ]
            )
        )
        self.query_one("#detail", Static).update(literal(text))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            if self.writing:
                return None
            key = self.table.cursor_key
            return any(m.id == key and m.status == "failed" for m in self.data or [])
        return True

    def action_retry(self) -> None:
        key = self.table.cursor_key
        if key:
            self.writing = True
            self.retry(key)

    # Never exclusive: a newer call would cancel this one and drop its result, yet it commits.
    @work(thread=True, group="retry", exit_on_error=False)
    def retry(self, mail_id: str) -> Mail:
        return self.store.retry_mail(self.admin_id, mail_id)

    def worker_done(self, worker: Worker) -> None:
        if worker.group == "retry":
            self.notify(_("{id} will be sent again.").format(id=worker.result.id))
            self._loading = True
            self.load(force=True)

    def worker_failed(self, worker: Worker) -> None:
        # Refused because the list was out of date (sent or retried meanwhile): show the truth.
        if worker.group == "retry":
            self._loading = True
            self.load(force=True)


MAIL_STATUS = {"failed": N_("failed"), "pending": N_("waiting"), "sent": N_("sent")}
