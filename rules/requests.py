"""Filing requests: who may file, and the rules a connect or disconnect request must pass."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from rules.fields import check_employee_type, clean_name
from rules.niss import niss_or_none, normalize_niss
from rules.records import Admin, Entity, Link, Request, colleague_label, person_label
from rules.violation import RuleViolation
from rules.vocabulary import fits_kind, is_manager


@dataclass(frozen=True, slots=True)
class EntityState:
    """What the rules need to know of one entity at one moment."""

    entity: Entity
    links: tuple[Link, ...]
    pending: tuple[Request, ...]

    def link_of(self, niss: str) -> Link | None:
        return next((link for link in self.links if link.niss == niss), None)

    def pending_for(self, niss: str, kind: str) -> Request | None:
        return next((r for r in self.pending if r.niss == niss and r.kind == kind), None)


def check_manager(state: EntityState | None, actor_niss: str) -> Link:
    """The actor's own link if they manage the entity; the same refusal whatever the reason."""
    niss = niss_or_none(actor_niss)
    link = state.link_of(niss) if state is not None and niss else None
    if link is None or not is_manager(link.employee_type):
        raise RuleViolation("not_authorized")
    return link


def _person(niss: str, last_name: str, first_name: str, employee_type: str) -> tuple[str, ...]:
    """A person as typed, checked field by field as the form checks them."""
    return (
        normalize_niss(niss),
        clean_name(last_name, "last_name"),
        clean_name(first_name, "first_name"),
        check_employee_type(employee_type),
    )


def plan_connect(
    state: EntityState | None,
    actor_niss: str,
    niss: str,
    last_name: str,
    first_name: str,
    employee_type: str,
    now: datetime,
    request_id: str,
    *,
    until: object = None,
    today: date | None = None,
    note: object = None,
) -> Request:
    """The connect request to file, or the first rule that refuses it. ``until``: the end
    date typed (« lié jusqu'au »), judged against ``today``, the Brussels day; ``note``: the
    requester's note to the admins."""
    from rules.decisions import clean_note
    from rules.link_ends import clean_until

    actor = check_manager(state, actor_niss)
    assert state is not None
    niss, last_name, first_name, employee_type = _person(niss, last_name, first_name, employee_type)
    if employee_type == "macg" and actor.employee_type != "medecin":
        params = {"person": person_label(first_name, last_name, niss), "entity": state.entity.name}
        raise RuleViolation("macg_needs_doctor", params)
    end = clean_until(until, today or now.date(), employee_type)
    text = clean_note(note)
    request = _connect(
        state, niss, last_name, first_name, employee_type, actor.niss, now, request_id
    )
    return replace(request, until=end, note=text)


def plan_extend(
    state: EntityState | None,
    actor_niss: str,
    niss: str,
    until: object,
    now: datetime,
    request_id: str,
    today: date,
    note: object = None,
) -> Request:
    """A manager asks to move a linked person's end date later (an admin approves it)."""
    from rules.decisions import clean_note
    from rules.link_ends import clean_until

    actor = check_manager(state, actor_niss)
    assert state is not None
    niss = normalize_niss(niss)
    link = state.link_of(niss)
    if link is None:
        raise _person_refusal("not_linked", state, niss, None)
    params = {
        "person": colleague_label(link.first_name, link.last_name, link.niss),
        "entity": state.entity.name,
    }
    if link.until is None:
        raise RuleViolation("extend_without_end", params)
    if state.pending_for(niss, "extend") is not None:
        raise RuleViolation("pending_extend_exists", params)
    if state.pending_for(niss, "disconnect") is not None:
        raise RuleViolation("extend_while_leaving", params)
    end = clean_until(until, today, link.employee_type)
    if end is None or end <= link.until:
        raise RuleViolation(
            "extend_not_later", {**params, "until": link.until.strftime("%d/%m/%Y")}
        )
    return replace(
        about(link, "extend", actor.niss, now, request_id), until=end, note=clean_note(note)
    )


def plan_admin_link(
    state: EntityState,
    admin: Admin | None,
    niss: str,
    last_name: str,
    first_name: str,
    employee_type: str,
    now: datetime,
    until: object = None,
    today: date | None = None,
) -> Link:
    """An admin links a person directly (a new entity's first staff, imported): the same
    rules as a request, and a MACG still only through their supervising doctor."""
    from rules.link_ends import clean_until

    if admin is None:
        raise RuleViolation("not_authorized", message_key="not_authorized.admin")
    niss, last_name, first_name, employee_type = _person(niss, last_name, first_name, employee_type)
    if employee_type == "macg":
        params = {"person": person_label(first_name, last_name, niss), "entity": state.entity.name}
        raise RuleViolation("macg_needs_doctor", params, message_key="macg_needs_doctor.admin")
    end = clean_until(until, today or now.date(), employee_type)
    _connect(state, niss, last_name, first_name, employee_type, admin.id, now, "-")
    return Link(state.entity.id, niss, last_name, first_name, employee_type, now, until=end)


def _connect(
    state: EntityState,
    niss: str,
    last_name: str,
    first_name: str,
    employee_type: str,
    filed_by: str,
    now: datetime,
    request_id: str,
) -> Request:
    """The connect rules (type_not_for_kind, pending_connect_exists, already_linked), shared by a
    manager's request and a person's own access request."""
    if not fits_kind(employee_type, state.entity.kind):
        raise RuleViolation(
            "type_not_for_kind",
            {"type": employee_type, "entity": state.entity.name, "kind": state.entity.kind},
        )
    # Named as the store knows them, not as typed: « TEST Jean » typed for Dr Dupont's number
    # must read « DUPONT Jean is already linked ».
    known = state.pending_for(niss, "connect") or state.link_of(niss)
    if known is not None:
        params = {
            "person": person_label(known.first_name, known.last_name, niss),
            "entity": state.entity.name,
        }
        code = "already_linked" if isinstance(known, Link) else "pending_connect_exists"
        raise RuleViolation(code, params)
    return Request(
        id=request_id,
        kind="connect",
        entity_id=state.entity.id,
        niss=niss,
        last_name=last_name,
        first_name=first_name,
        employee_type=employee_type,
        filed_by=filed_by,
        filed_at=now,
    )


def remaining_after(state: EntityState, leaving: set[str]) -> list[Link]:
    """Links left once the pending disconnections and ``leaving`` have gone."""
    pending_out = {r.niss for r in state.pending if r.kind == "disconnect"}
    return [link for link in state.links if link.niss not in pending_out | leaving]


def check_keeps_someone(state: EntityState, leaving: Sequence[Link], remaining: list[Link]) -> None:
    """last_person and last_manager: somebody, and some manager, must stay linked."""
    names = ", ".join(colleague_label(lk.first_name, lk.last_name, lk.niss) for lk in leaving)
    params = {"person": names, "entity": state.entity.name}
    if not remaining:
        raise RuleViolation("last_person", params)
    if not any(is_manager(link.employee_type) for link in remaining):
        raise RuleViolation("last_manager", params)


def plan_disconnect(
    state: EntityState | None,
    actor_niss: str,
    nisses: Sequence[str],
    now: datetime,
    request_ids: Sequence[str],
) -> list[Request]:
    """All the disconnect requests to file, or every reason why none may be filed."""
    actor = check_manager(state, actor_niss)
    assert state is not None
    failures: list[RuleViolation] = []
    leaving: list[Link] = []
    seen: set[str] = set()
    for raw in nisses:
        try:
            niss = normalize_niss(raw)
        except RuleViolation as refusal:
            failures.append(refusal)
            continue
        if niss in seen:
            continue
        seen.add(niss)
        link = state.link_of(niss)
        pending = state.pending_for(niss, "disconnect")
        if link is None:
            failures.append(_person_refusal("not_linked", state, niss, pending))
        elif pending is not None:
            failures.append(_person_refusal("pending_disconnect_exists", state, niss, pending))
        else:
            leaving.append(link)
    if not failures and not leaving:
        raise RuleViolation("empty_selection")
    if leaving:
        try:
            check_keeps_someone(state, leaving, remaining_after(state, {lk.niss for lk in leaving}))
        except RuleViolation as refusal:
            failures.append(refusal)
    if len(failures) == 1:
        raise failures[0]
    if failures:
        raise RuleViolation(
            failures[0].code,
            {"entity": state.entity.name, "count": len(failures)},
            failures=tuple(failures),
            message_key="disconnect_refused",
        )
    if len(request_ids) < len(leaving):
        raise ValueError("one request id is needed per person")
    return [
        about(link, "disconnect", actor.niss, now, request_id)
        for link, request_id in zip(leaving, request_ids, strict=False)
    ]


def about(link: Link, kind: str, filed_by: str, now: datetime, request_id: str) -> Request:
    """A request about a linked person, named as their link names them."""
    return Request(
        id=request_id,
        kind=kind,
        entity_id=link.entity_id,
        niss=link.niss,
        last_name=link.last_name,
        first_name=link.first_name,
        employee_type=link.employee_type,
        filed_by=filed_by,
        filed_at=now,
    )


def plan_leave(
    state: EntityState | None,
    actor_niss: str,
    now: datetime,
    request_id: str,
    note: object = None,
) -> Request:
    """Anyone linked asks to leave the entity: a disconnection request for themselves, under
    the same rules (one pending, somebody and some manager stay)."""
    from rules.decisions import clean_note

    niss = niss_or_none(actor_niss)
    link = state.link_of(niss) if state is not None and niss else None
    if state is None or link is None:
        raise RuleViolation("not_linked_self")
    if state.pending_for(link.niss, "disconnect") is not None:
        raise _person_refusal("pending_disconnect_exists", state, link.niss, None)
    check_keeps_someone(state, [link], remaining_after(state, {link.niss}))
    return replace(about(link, "disconnect", link.niss, now, request_id), note=clean_note(note))


def _person_refusal(
    code: str, state: EntityState, niss: str, pending: Request | None
) -> RuleViolation:
    link = state.link_of(niss)
    known = link or pending
    # A colleague the filer picked from the list is named as the list shows them; a number
    # the filer typed themselves is repeated in full.
    if link is not None:
        label = colleague_label(link.first_name, link.last_name, niss)
    elif known is not None:
        label = person_label(known.first_name, known.last_name, niss)
    else:
        label = person_label("", "", niss).strip()
    return RuleViolation(code, {"person": label, "entity": state.entity.name})


def plan_access_request(
    state: EntityState | None,
    entity_id: str,
    actor_niss: str,
    last_name: str,
    first_name: str,
    employee_type: str,
    now: datetime,
    request_id: str,
) -> Request:
    """A doctor or pharmacist with no link asks to be connected to an entity themselves."""
    niss = normalize_niss(actor_niss)
    if state is None:
        raise RuleViolation("unknown_entity", {"value": entity_id})
    last_name = clean_name(last_name, "last_name")
    first_name = clean_name(first_name, "first_name")
    employee_type = check_employee_type(employee_type)
    if not is_manager(employee_type):
        raise RuleViolation("access_type_not_allowed", {"type": employee_type})
    return _connect(state, niss, last_name, first_name, employee_type, niss, now, request_id)
