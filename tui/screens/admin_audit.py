"""The administrators' Audit section: the trail, newest first, and its verification."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from textual import on, work
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static

from rules import HOUSEKEEPING, format_niss, kind_label, request_kind_label, type_label
from rules.niss import niss_or_none
from rules.text import fold
from store import AuditEntry
from tui.console import deliver
from tui.i18n import N_, _, fmt_datetime, language
from tui.literal import literal
from tui.screens.admin_base import Listed, PagedListScreen
from tui.widgets.record_table import Column

ACTIONS = {
    "request_filed": N_("Request filed"),
    "request_approved": N_("Request approved"),
    "request_rejected": N_("Request rejected"),
    "request_deleted": N_("Request deleted"),
    "request_withdrawn": N_("Request withdrawn"),
    "entity_created": N_("Entity created"),
    "entity_updated": N_("Entity changed"),
    "admin_added": N_("Administrator added"),
    "mail_retried": N_("E-mail sent again"),
    "ssh_key_authorized": N_("SSH key authorized"),
    "ssh_key_revoked": N_("SSH key revoked"),
    "admin_updated": N_("Administrator changed"),
    "settings_changed": N_("Settings changed"),
    "request_expired": N_("Request expired"),
    "digest_queued": N_("Overdue digest queued"),
    "link_end_warned": N_("Link's end announced"),
    "link_ended": N_("Link ended"),
    "link_end_held": N_("Link kept past its end"),
    "review_opened": N_("Yearly review opened"),
    "review_closed": N_("Yearly review closed"),
    "staff_confirmed": N_("Confirmed in the yearly review"),
    "review_reminded": N_("Yearly review reminder queued"),
    "import_filed": N_("Import filed"),
    "staff_list_mailed": N_("Staff list sent by e-mail"),
}

DETAILS = {
    "name": N_("Name"),
    "kind": N_("Kind"),
    "email": N_("E-mail"),
    "language": N_("Language"),
    "manager_type": N_("Manager's type"),
    "employee_type": N_("Type"),
    "access": N_("Access request"),
    "reason": N_("Reason"),
    "mail": N_("E-mail"),
    "to": N_("To"),
    "previous_error": N_("Previous error"),
    "identity": N_("Identity"),
    "fingerprint": N_("Fingerprint"),
    "until": N_("Until"),
    "note": N_("Note"),
    "deadline_days": N_("Deadline (days)"),
    "days": N_("Days before"),
    "overdue": N_("Overdue"),
    "admin": N_("Administrator"),
    "review": N_("Review"),
    "due": N_("Due date"),
    "kinds": N_("Kinds"),
    "batch": N_("Import"),
    "rows": N_("Rows"),
    "filed": N_("Filed"),
    "people": N_("People"),
    "rule": N_("Rule"),
    "trainees": N_("GP trainees"),
    "leave": N_("Leaving"),
}


@dataclass(frozen=True)
class AuditData:
    entries: list[AuditEntry]
    admins: dict[str, str]  # id -> name
    people: dict[str, str]  # a person's NISS -> their name, where the store knows it
    total: int  # entries in the whole trail


def action_label(action: str) -> str:
    """An event in the person's language; one this console does not know, as stored."""
    return _(ACTIONS[action]) if action in ACTIONS else action


def detail_value(entry: AuditEntry, key: str, value: Any, lang: str) -> str:
    if key in ("employee_type", "manager_type") and isinstance(value, str):
        return type_label(value, lang)
    if key == "kind" and isinstance(value, str):
        if entry.action.startswith("request_"):
            return request_kind_label(value, lang)
        return kind_label(value, lang)
    if value is True:
        return _("yes")
    if isinstance(value, str) and niss_or_none(value) == value:
        return format_niss(value)
    return str(value)


def detail_label(entry: AuditEntry, key: str) -> str:
    if key == "kind" and entry.action.startswith("request_"):
        return _("Request")
    return _(DETAILS[key]) if key in DETAILS else key


def detail_text(entry: AuditEntry, lang: str) -> str:
    return " · ".join(
        _("{label}: {value}").format(
            label=detail_label(entry, k), value=detail_value(entry, k, v, lang)
        )
        for k, v in entry.detail.items()
    )


class AuditScreen(PagedListScreen):
    SECTION = "audit"
    TABLES = ("audit", "admins", "links", "requests")  # links, requests: people's names
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

    def more_to_show(self) -> bool:
        data: AuditData = self.data
        return len(data.entries) < data.total

    def fetch(self) -> AuditData:
        admins = {a.id: a.name for a in self.store.admins()}
        entries = self.store.audit_entries(newest_first=True, limit=self.shown)
        staff = [e for e in entries if niss_or_none(e.actor) == e.actor]
        at = {e.actor: e.entity_id for e in staff if e.entity_id}
        people = self.store.names_of((e.actor for e in staff), at=at)
        return AuditData(entries, admins, people, self.store.audit_length())

    @property
    def entries(self) -> list[AuditEntry]:
        data: AuditData | None = self.data
        return data.entries if data else []

    def actor(self, actor: str, with_id: bool = False) -> str:
        if actor == HOUSEKEEPING:
            return _("the housekeeping job")
        """An administrator by name (and id), a person by name (and formatted NISS)."""
        data: AuditData | None = self.data
        if data and actor in data.admins:
            return f"{data.admins[actor]} ({actor})" if with_id else data.admins[actor]
        if niss_or_none(actor) != actor:
            return actor
        name = data.people.get(actor) if data else None
        if name is None:
            return format_niss(actor)
        return f"{name} ({format_niss(actor)})" if with_id else name

    def columns(self) -> list[Column]:
        return [
            Column("seq", "#", 5),
            Column("at", _("When"), 16),
            Column("actor", _("Who"), 18, flex=1),
            Column("action", _("What"), 24, flex=2),
            Column("entity", _("Entity"), 24, fit=True),
        ]

    def all_rows(self) -> list[Listed]:
        lang = language()
        rows: list[Listed] = []
        for e in self.entries:
            cells = (
                str(e.seq),
                fmt_datetime(datetime.fromisoformat(e.at)),
                self.actor(e.actor),
                action_label(e.action),
                e.entity_id or "",
            )
            # A NISS is found as typed in either form: digits, or as the lists show it.
            hay = fold(
                " ".join(
                    (
                        e.actor,
                        self.actor(e.actor, with_id=True),
                        e.action,
                        action_label(e.action),
                        e.entity_id or "",
                        e.niss or "",
                        format_niss(e.niss) if e.niss else "",
                        e.request_id or "",
                        str(e.detail),
                        detail_text(e, lang),
                    )
                )
            )
            rows.append(((str(e.seq), cells), hay))
        return rows

    def refresh_summary(self) -> None:
        data: AuditData | None = self.data
        if data is not None and self.more_to_show():
            text = _(
                "The newest {count} of {total} entries; o shows older ones, the filter searches "
                "those shown. v verifies the chain."
            ).format(count=len(data.entries), total=data.total)
        else:
            text = _(
                "{count} entries, the newest first. Filter by entity, person (NISS) or "
                "administrator; v verifies the chain."
            ).format(count=len(self.entries))
        self.query_one("#summary", Static).update(literal(text))

    def show_detail(self, key: str | None) -> None:
        e = next((e for e in self.entries if str(e.seq) == key), None)
        text = (
            ""
            if e is None
            else "\n".join(
                [
                    f"#{e.seq} {action_label(e.action)} · {self.actor(e.actor, with_id=True)} · "
                    f"{e.entity_id or '–'} · {format_niss(e.niss) if e.niss else '–'} · "
                    f"{e.request_id or '–'}",
                    detail_text(e, language()),
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
