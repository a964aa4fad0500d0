"""Records to TinyDB documents and back: datetimes as ISO 8601 strings in UTC."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from rules import Admin, Entity, Link, Mail, Notice, Request, RuleViolation
from rules.phrase import N_, Phrase, joined
from store.audit import AuditEntry
from store.errors import StoreError
from store.inspection import document_problems

Doc = dict[str, Any]
R = TypeVar("R")


def _decoding(table: str) -> Callable[[Callable[[Doc], R]], Callable[[Doc], R]]:
    """A damaged document is a StoreError (exit 2, `check` names its file), never a crash."""

    def wrap(decode: Callable[[Doc], R]) -> Callable[[Doc], R]:
        @functools.wraps(decode)
        def decoded(d: Doc) -> R:
            try:
                return decode(d)
            except (KeyError, TypeError, ValueError, AttributeError):
                if isinstance(d, dict):
                    wrong = document_problems(table, d)
                    what = joined(wrong) if wrong else Phrase(N_("a field of the wrong kind"))
                    where = Phrase(N_("document {id}"), id=str(d.get("id", d.get("seq", "?")))[:40])
                else:
                    what = Phrase(N_("a {type}, not an object"), type=type(d).__name__)
                    where = Phrase(N_("a document"))
                raise StoreError(
                    Phrase(N_("table {table}"), table=table),
                    Phrase(
                        N_("{document} is damaged ({problem}); 'vaccinnet check' names its file"),
                        document=where,
                        problem=what,
                    ),
                ) from None

        return decoded

    return wrap


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _required_when(value: str) -> datetime:
    if not value:
        raise TypeError("a date is missing")  # the decoder names the table and document
    return datetime.fromisoformat(value)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def request_id(doc_id: int) -> str:
    return f"R{doc_id:06d}"


# ASCII digits only: str.isdigit() also takes "١٢" and "²", and int() of 5,000 digits raises.
# Eighteen digits are more ids than a store will ever hold.
_DOC_ID = re.compile(r"[0-9]{1,18}")


def _doc_id(prefix: str, text: object) -> int | None:
    text = str(text).strip().upper()
    if text[:1] != prefix or not _DOC_ID.fullmatch(text[1:]):
        return None
    return int(text[1:]) or None


def request_doc_id(rid: str) -> int | None:
    return _doc_id("R", rid)


def mail_id(doc_id: int) -> str:
    return f"M{doc_id:06d}"


def mail_doc_id(mid: str) -> int | None:
    return _doc_id("M", mid)


def entity_to_doc(e: Entity) -> Doc:
    return {"id": e.id, "name": e.name, "kind": e.kind, "email": e.email, "language": e.language}


@_decoding("entities")
def entity_from_doc(d: Doc) -> Entity:
    return Entity(d["id"], d["name"], d["kind"], d["email"], d["language"])


def admin_to_doc(a: Admin) -> Doc:
    doc = {"id": a.id, "name": a.name, "niss": a.niss}
    return {**doc, "email": a.email} if a.email else doc


@_decoding("admins")
def admin_from_doc(d: Doc) -> Admin:
    return Admin(d["id"], d["name"], d.get("niss"), d.get("email"))


def link_to_doc(k: Link) -> Doc:
    return {
        "entity_id": k.entity_id,
        "niss": k.niss,
        "last_name": k.last_name,
        "first_name": k.first_name,
        "employee_type": k.employee_type,
        "since": _iso(k.since),
        "supervisor": k.supervisor,
        **({"until": k.until.isoformat()} if k.until else {}),
        **({"warned": k.warned} if k.warned is not None else {}),
        **({"held": True} if k.held else {}),
        **({"reviewed": k.reviewed} if k.reviewed else {}),
    }


@_decoding("links")
def link_from_doc(d: Doc) -> Link:
    return Link(
        d["entity_id"],
        d["niss"],
        d["last_name"],
        d["first_name"],
        d["employee_type"],
        _required_when(d["since"]),
        d.get("supervisor"),
        _day(d.get("until")),
        d.get("warned"),
        bool(d.get("held", False)),
        d.get("reviewed"),
    )


def request_to_doc(r: Request) -> Doc:
    return {
        "id": r.id,
        "kind": r.kind,
        "entity_id": r.entity_id,
        "niss": r.niss,
        "last_name": r.last_name,
        "first_name": r.first_name,
        "employee_type": r.employee_type,
        "filed_by": r.filed_by,
        "filed_at": _iso(r.filed_at),
        "status": r.status,
        "decided_by": r.decided_by,
        "decided_at": _iso(r.decided_at),
        "reason": r.reason,
        **({"deadline_days": r.deadline_days} if r.deadline_days is not None else {}),
        **({"until": r.until.isoformat()} if r.until else {}),
        **({"note": r.note} if r.note else {}),
        **({"batch": r.batch} if r.batch else {}),
    }


@_decoding("requests")
def request_from_doc(d: Doc) -> Request:
    return Request(
        id=d["id"],
        kind=d["kind"],
        entity_id=d["entity_id"],
        niss=d["niss"],
        last_name=d["last_name"],
        first_name=d["first_name"],
        employee_type=d["employee_type"],
        filed_by=d["filed_by"],
        filed_at=_required_when(d["filed_at"]),
        status=d["status"],
        decided_by=d.get("decided_by"),
        decided_at=_when(d.get("decided_at")),
        reason=d.get("reason"),
        deadline_days=d.get("deadline_days"),
        until=_day(d.get("until")),
        note=d.get("note"),
        batch=d.get("batch"),
    )


def mail_to_doc(m: Mail) -> Doc:
    return {
        "id": m.id,
        "to": m.to,
        "subject": m.subject,
        "body": m.body,
        "status": m.status,
        "message_id": m.message_id,
        "entity_id": m.entity_id,
        "request_id": m.request_id,
        "language": m.language,
        "created_at": _iso(m.created_at),
        "attempts": m.attempts,
        "last_error": m.last_error,
        "next_attempt_at": _iso(m.next_attempt_at),
        "sent_at": _iso(m.sent_at),
        **(
            {"attachment_name": m.attachment_name, "attachment": m.attachment}
            if m.attachment
            else {}
        ),
    }


@_decoding("outbox")
def mail_from_doc(d: Doc) -> Mail:
    return Mail(
        to=d["to"],
        subject=d["subject"],
        body=d["body"],
        status=d["status"],
        id=d["id"],
        message_id=d["message_id"],
        entity_id=d["entity_id"],
        request_id=d["request_id"],
        language=d.get("language", "fr"),
        created_at=_when(d.get("created_at")),
        attempts=d.get("attempts", 0),
        last_error=d.get("last_error"),
        next_attempt_at=_when(d.get("next_attempt_at")),
        sent_at=_when(d.get("sent_at")),
        attachment_name=d.get("attachment_name", ""),
        attachment=d.get("attachment", ""),
    )


_AUDIT_FIELDS = (
    "seq",
    "at",
    "actor",
    "action",
    "entity_id",
    "niss",
    "request_id",
    "detail",
    "prev",
    "hash",
)


@_decoding("audit")
def audit_from_doc(d: Doc) -> AuditEntry:
    # Named fields only: a field an older or newer version added is not a reason to fail.
    if not isinstance(d["detail"], dict) or not isinstance(d["seq"], int):
        raise TypeError("detail or seq")
    return AuditEntry(**{name: d[name] for name in _AUDIT_FIELDS}, mac=d.get("mac"))


def _notice_to_doc(n: Notice) -> Doc:
    params = dict(n.params)
    refusal = params.pop("refusal", None)
    doc: Doc = {"code": n.code, "params": params, "key": n.message_key}
    if isinstance(refusal, RuleViolation):
        doc["refusal"] = {
            "code": refusal.code,
            "params": refusal.params,
            "key": refusal.message_key,
        }
    return doc


def _notice_from_doc(d: Doc) -> Notice:
    params = dict(d["params"])
    refusal = d.get("refusal")
    if refusal is not None:
        params["refusal"] = RuleViolation(
            refusal["code"], dict(refusal["params"]), message_key=refusal["key"]
        )
    return Notice(d["code"], params, d.get("key"))


def notices_to_docs(notices: Sequence[Notice]) -> list[Doc]:
    return [_notice_to_doc(n) for n in notices]


@_decoding("reviews")
def review_from_doc(d: Doc) -> tuple[Notice, ...]:
    return tuple(_notice_from_doc(n) for n in [*d["entity"], *d["person"]])
