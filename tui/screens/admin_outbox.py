"""The administrators' E-mails section: the outbox, failed mails first, and retries."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from rules import Mail
from rules.text import fold
from tui.console import deliver
from tui.i18n import N_, _
from tui.literal import literal
from tui.screens.admin_base import Listed, PagedListScreen
from tui.widgets.record_table import Column


@dataclass(frozen=True)
class OutboxData:
    mails: list[Mail]  # failed, then waiting, then the newest sent ones
    sent_total: int  # mails sent in all, listed or not


class OutboxScreen(PagedListScreen):
    SECTION = "outbox"
    TABLES = ("outbox",)
    TITLE_TEXT = N_("E-mails")

    @dataclass
    class Retried(Message, bubble=False):
        mail: Mail

    # R shows only on a mail that failed for good.
    retryable = reactive(False, bindings=True)

    BINDINGS = [
        Binding("R", "retry", N_("Retry"), id="retry", tooltip=N_("Send a failed e-mail again")),
    ]

    def fetch(self) -> OutboxData:
        # Sent mails are the ones paged, newest first: every unsent one is always listed.
        return OutboxData(*self.store.mails_to_review(self.shown))

    @property
    def mails(self) -> list[Mail]:
        data: OutboxData | None = self.data
        return data.mails if data else []

    @property
    def sent_shown(self) -> int:
        return sum(1 for m in self.mails if m.status == "sent")

    def more_to_show(self) -> bool:
        data: OutboxData = self.data
        return self.sent_shown < data.sent_total

    def columns(self) -> list[Column]:
        return [
            Column("id", _("E-mail"), 8),
            Column("status", _("Status"), 14, fit=True),
            Column("to", _("To"), 30, flex=1),
            Column("tries", _("Tries"), 5, fit=True),
            Column("error", _("Last answer"), 40, flex=1),
        ]

    def all_rows(self) -> list[Listed]:
        rows: list[Listed] = []
        self.table.marked = {m.id for m in self.mails if m.status == "failed"}
        for m in self.mails:
            cells = (m.id, _(MAIL_STATUS[m.status]), m.to, str(m.attempts), m.last_error or "")
            hay = fold(" ".join((m.id, m.to, m.status, m.subject, m.request_id)))
            rows.append(((m.id, cells), hay))
        return rows

    def refresh_summary(self) -> None:
        data: OutboxData | None = self.data
        counts = {s: sum(1 for m in self.mails if m.status == s) for s in MAIL_STATUS}
        counts["sent"] = data.sent_total if data else 0
        text = _(
            "{failed} failed · {pending} waiting · {sent} sent. Failed e-mails are kept "
            "until you retry them (R)."
        ).format(**counts)
        if data is not None and self.more_to_show():
            text += " " + _("The newest {count} sent are listed; o shows older ones.").format(
                count=self.sent_shown
            )
        self.query_one("#summary", Static).update(literal(text))

    def show_detail(self, key: str | None) -> None:
        m = next((m for m in self.mails if m.id == key), None)
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
        self.retryable = m is not None and m.status == "failed"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            return None if self.writing else self.retryable
        return super().check_action(action, parameters)

    def action_retry(self) -> None:
        key = self.table.cursor_key
        if key:
            self.writing = True
            self.retry(key)

    # Never exclusive: a newer call would cancel this one and drop its result, yet it commits.
    @work(thread=True, group="retry", exit_on_error=False)
    def retry(self, mail_id: str) -> None:
        deliver(self, self.Retried(self.store.retry_mail(self.admin_id, mail_id)))

    @on(Retried)
    def _retried(self, message: Retried) -> None:
        self.writing = False
        self.notify(_("{id} will be sent again.").format(id=message.mail.id))
        self.reload()

    def work_failed(self, group: str, error: BaseException | None) -> None:
        super().work_failed(group, error)
        if group == "retry":
            self.writing = False
            # Refused because the list was out of date (sent or retried meanwhile): the truth.
            self.reload()


MAIL_STATUS = {"failed": N_("failed"), "pending": N_("waiting"), "sent": N_("sent")}
