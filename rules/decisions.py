"""Admins' decisions (approve, reject, delete), a filer's withdrawal, and what each changes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from rules.fields import check_no_control_chars
from rules.niss import niss_or_none
from rules.records import Admin, Link, Request, colleague_label, person_label
from rules.requests import EntityState, check_keeps_someone
from rules.violation import RuleViolation


@dataclass(frozen=True, slots=True)
class Approval:
    request: Request
    add_link: Link | None = None
    remove_link: Link | None = None
    extend_link: Link | None = None  # the link with its new end date


def _params(
    request: Request, state: EntityState | None = None, masked: bool = False
) -> dict[str, object]:
    """``masked``: for a refusal a staff member reads (the staff console never shows a whole
    NISS), the number as their list shows it."""
    label = colleague_label if masked else person_label
    return {
        "request": request.id,
        "person": label(request.first_name, request.last_name, request.niss),
        "entity": state.entity.name if state else request.entity_id,
        "status": request.status,
    }


def check_decider(admin: Admin | None, request: Request) -> None:
    """not_authorized.admin, not_authorized.own, not_pending: only an admin, never on their own
    request, only while it is pending."""
    if admin is None:
        raise RuleViolation("not_authorized", message_key="not_authorized.admin")
    if admin.niss and admin.niss in (request.filed_by, request.niss):
        raise RuleViolation("not_authorized", _params(request), message_key="not_authorized.own")
    if request.status != "pending":
        raise RuleViolation("not_pending", _params(request))


def plan_approve(
    state: EntityState,
    admin: Admin | None,
    request: Request,
    now: datetime,
    note: object = None,
) -> Approval:
    """Re-check rules 4 to 6 against the state of this moment, then say what changes.
    ``note``: the admin's, sent to the entity with the approval (kept as its reason)."""
    check_decider(admin, request)
    assert admin is not None
    check_approvable(state, request)
    decided = replace(
        request, status="approved", decided_by=admin.id, decided_at=now, reason=clean_note(note)
    )
    current = state.link_of(request.niss)
    if request.kind == "connect":
        link = Link(
            entity_id=request.entity_id,
            niss=request.niss,
            last_name=request.last_name,
            first_name=request.first_name,
            employee_type=request.employee_type,
            since=now,
            supervisor=request.filed_by if request.employee_type == "macg" else None,
            until=request.until,
        )
        return Approval(decided, add_link=link)
    assert current is not None
    if request.kind == "extend":
        # A new end date: its warnings are to come again.
        return Approval(
            decided, extend_link=replace(current, until=request.until, warned=None, held=False)
        )
    return Approval(decided, remove_link=current)


def check_approvable(state: EntityState, request: Request) -> None:
    """Rules 4 to 6 against the entity's state, whoever decides: what an approval would
    refuse now (the queue warns of it before anyone tries)."""
    params = _params(request, state)
    current = state.link_of(request.niss)
    if request.kind == "connect":
        others = [r for r in state.pending if r.kind == "connect" and r.niss == request.niss]
        if any(r.id != request.id for r in others):
            raise RuleViolation("pending_connect_exists", params)
        if current is not None:
            raise RuleViolation("already_linked", params)
        return
    if current is None:
        raise RuleViolation("not_linked", params)
    if request.kind == "extend":
        return
    # Only the real state counts now: other pending disconnections may still be rejected.
    remaining = [link for link in state.links if link.niss != request.niss]
    check_keeps_someone(state, [current], remaining)


REASON_LIMIT = 500


def clean_reason(reason: str | None, request_id: str = "") -> str:
    """A rejection carries a reason, sent to the entity: whitespace alone is no reason.

    Bounded, because it is copied into the request, its mail and the audit trail.
    """
    check_no_control_chars(reason or "", "reason")
    text = " ".join(str(reason or "").split())
    if not text:
        raise RuleViolation("reason_required", {"request": request_id})
    if len(text) > REASON_LIMIT:
        raise RuleViolation(
            "reason_too_long", {"request": request_id, "length": len(text), "limit": REASON_LIMIT}
        )
    return text


def clean_note(note: object) -> str | None:
    """A note on a request (its requester's) or on an approval (the admin's): optional, at
    most 500 characters, no control characters; whitespace alone is no note."""
    raw = "" if note is None else str(note)
    check_no_control_chars(raw, "note")
    text = " ".join(raw.split())
    if len(text) > REASON_LIMIT:
        raise RuleViolation("note_too_long", {"length": len(text), "limit": REASON_LIMIT})
    return text or None


def plan_reject(admin: Admin | None, request: Request, reason: str, now: datetime) -> Request:
    check_decider(admin, request)
    assert admin is not None
    reason = clean_reason(reason, request.id)
    return replace(request, status="rejected", decided_by=admin.id, decided_at=now, reason=reason)


def plan_delete(admin: Admin | None, request: Request, now: datetime) -> Request:
    check_decider(admin, request)
    assert admin is not None
    return replace(request, status="deleted", decided_by=admin.id, decided_at=now)


def may_withdraw(actor_niss: str, request: Request) -> bool:
    """Whether ``plan_withdraw`` would let this person withdraw this request (to offer the key)."""
    return niss_or_none(actor_niss) == request.filed_by and request.status == "pending"


def plan_withdraw(actor_niss: str, request: Request, now: datetime) -> Request:
    """The filer takes back their own pending request (« withdrawn », not an admin's « deleted »).

    Only the person who filed it: a colleague's request is theirs to keep, and the admins
    decide the rest. The filer is named as who closed it, so the entity's list says so.
    """
    if niss_or_none(actor_niss) != request.filed_by:
        raise RuleViolation(
            "not_authorized", _params(request, masked=True), message_key="withdraw_not_own"
        )
    if request.status != "pending":
        raise RuleViolation("not_pending", _params(request, masked=True))
    return replace(request, status="withdrawn", decided_by=request.filed_by, decided_at=now)
