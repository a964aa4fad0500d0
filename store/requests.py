"""Requests filed by managers and applicants, and the decisions admins take on them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import rules
from rules import Link, Request, RuleViolation
from rules.bulk import Row, Verdict, plan_import
from store import codec
from store.engine import BRUSSELS, retried
from store.indexes import LINKS_BY_ENTITY
from store.outbox import queue_decision_mail
from store.records import Records


class Requests(Records):
    # ----- filing --------------------------------------------------------------------------

    @retried
    def file_connect(
        self,
        actor_niss: str,
        entity_id: str,
        niss: str,
        last_name: str,
        first_name: str,
        employee_type: str,
        until: object = None,
        note: object = None,
    ) -> Request:
        """``until``: « lié jusqu'au », a date or its text (31/08/2027); a MACG needs one.
        ``note``: the requester's note to the admins (optional, 500 characters)."""
        with self._writing():
            doc_id = self._files.next_id("requests")
            now = self._clock()
            request = rules.plan_connect(
                self._state(entity_id),
                actor_niss,
                niss,
                last_name,
                first_name,
                employee_type,
                now,
                codec.request_id(doc_id),
                until=until,
                today=now.astimezone(BRUSSELS).date(),
                note=note,
            )
            self._insert("requests", codec.request_to_doc(request), doc_id)
            self._audit_filed(request)
        return request

    @retried
    def file_extend(
        self, actor_niss: str, entity_id: str, niss: str, until: object, note: object = None
    ) -> Request:
        """A manager asks for a later end date of a linked person's link."""
        with self._writing():
            doc_id = self._files.next_id("requests")
            now = self._clock()
            request = rules.plan_extend(
                self._state(entity_id),
                actor_niss,
                niss,
                until,
                now,
                codec.request_id(doc_id),
                now.astimezone(BRUSSELS).date(),
                note,
            )
            self._insert("requests", codec.request_to_doc(request), doc_id)
            self._audit_filed(request)
        return request

    @retried
    def file_disconnect(
        self, actor_niss: str, entity_id: str, nisses: Sequence[str]
    ) -> list[Request]:
        with self._writing():
            first = self._files.next_id("requests")
            ids = [codec.request_id(first + i) for i in range(len(nisses))]
            state = self._state(entity_id)
            filed = rules.plan_disconnect(state, actor_niss, list(nisses), self._clock(), ids)
            assert state is not None
            reviewed = self._reviewed_by(state, [r.niss for r in filed])
            for request in filed:
                self._insert(
                    "requests", codec.request_to_doc(request), codec.request_doc_id(request.id)
                )
                self._audit_filed(request)
            for link_ids, link in reviewed:
                self._save_link(link_ids, link)
        return filed

    def preview_import(
        self, actor: str, entity_id: str, rows: Sequence[Row], as_admin: bool = False
    ) -> list[Verdict]:
        """Each row's verdict, as filing would judge it now; nothing is written. ``actor``:
        a manager's NISS, or with ``as_admin`` an admin's id (links made directly)."""
        with self.reading():
            return self._judge_import(actor, entity_id, rows, as_admin)

    def _judge_import(
        self, actor: str, entity_id: str, rows: Sequence[Row], as_admin: bool
    ) -> list[Verdict]:
        now = self._clock()
        first = self._files.next_id("requests")
        state = self._state(str(entity_id).strip())
        if state is None and as_admin:
            # Staff get not_authorized for an unknown entity, as for one not theirs.
            raise RuleViolation("unknown_entity", {"value": str(entity_id).strip()})
        return plan_import(
            state,
            actor,
            rows,
            now,
            now.astimezone(BRUSSELS).date(),
            [codec.request_id(first + i) for i in range(len(rows))],
            admin=self._admin(actor) if as_admin else None,
            as_admin=as_admin,
        )

    @retried
    def file_import(
        self,
        actor_niss: str,
        entity_id: str,
        rows: Sequence[Row],
        expected: Sequence[int] | None = None,
        as_admin: bool = False,
    ) -> list[Verdict]:
        """The ready rows filed in one transaction: all of them or none. ``expected``: the
        lines the preview showed as ready; if another session changed that meanwhile, nothing
        is filed (import_changed) and the person looks at the preview again. ``as_admin``:
        ``actor_niss`` is an admin's id and the rows become links at once (a new entity's
        first staff), audited as that admin's."""
        with self._writing():
            first = self._files.next_id("requests")
            verdicts = self._judge_import(actor_niss, entity_id, rows, as_admin)
            state = self._state(str(entity_id).strip())
            if as_admin:
                return self._link_import(actor_niss, state, rows, verdicts, expected)
            ready = [v for v in verdicts if v.request is not None]
            if expected is not None:
                lines = {v.row.line for v in ready}
                if lines != set(expected):
                    changed = len(set(expected) ^ lines)
                    raise RuleViolation("import_changed", {"count": changed})
            if not ready:
                return verdicts
            # Ids follow each other, so the queue can name the import « R000120–R000419 ».
            filed = []
            for offset, verdict in enumerate(ready):
                assert verdict.request is not None
                request = replace(
                    verdict.request,
                    id=codec.request_id(first + offset),
                    batch=codec.request_id(first),
                )
                self._insert("requests", codec.request_to_doc(request), first + offset)
                self._audit_filed(request, batch=request.batch)
                filed.append(replace(verdict, request=request))
            assert state is not None
            self._audit(
                actor_niss,
                "import_filed",
                state.entity.id,
                batch=codec.request_id(first),
                rows=len(rows),
                filed=len(filed),
            )
            by_line = {v.row.line: v for v in filed}
        return [by_line.get(v.row.line, v) for v in verdicts]

    def _link_import(
        self,
        admin_id: str,
        state: rules.EntityState | None,
        rows: Sequence[Row],
        verdicts: list[Verdict],
        expected: Sequence[int] | None,
    ) -> list[Verdict]:
        ready = [v for v in verdicts if v.link is not None]
        if expected is not None and {v.row.line for v in ready} != set(expected):
            changed = len(set(expected) ^ {v.row.line for v in ready})
            raise RuleViolation("import_changed", {"count": changed})
        assert state is not None
        for verdict in ready:
            link = verdict.link
            assert link is not None
            self._insert("links", codec.link_to_doc(link))
            more = {"until": link.until.isoformat()} if link.until else {}
            self._audit(
                admin_id,
                "link_created",
                state.entity.id,
                link.niss,
                employee_type=link.employee_type,
                **more,
            )
        if ready:
            self._audit(admin_id, "import_filed", state.entity.id, rows=len(rows), filed=len(ready))
        return verdicts

    @retried
    def file_leave(self, actor_niss: str, entity_id: str, note: object = None) -> Request:
        """A linked person asks to leave the entity (a disconnection request for themselves)."""
        with self._writing():
            doc_id = self._files.next_id("requests")
            state = self._state(entity_id)
            request = rules.plan_leave(
                state, actor_niss, self._clock(), codec.request_id(doc_id), note
            )
            assert state is not None
            reviewed = self._reviewed_by(state, [request.niss])
            self._insert("requests", codec.request_to_doc(request), doc_id)
            for link_ids, link in reviewed:
                self._save_link(link_ids, link)
            self._audit_filed(request, leave=True)
        return request

    def preview_leave(self, actor_niss: str, entity_id: str) -> RuleViolation | None:
        """What asking to leave would say, without filing: None when it would be accepted."""
        with self.reading():
            try:
                rules.plan_leave(self._state(entity_id), actor_niss, self._clock(), "preview")
            except RuleViolation as refusal:
                return refusal
        return None

    @retried
    def file_access_request(
        self,
        actor_niss: str,
        entity_id: str,
        last_name: str,
        first_name: str,
        employee_type: str,
    ) -> Request:
        """A doctor or pharmacist without access asks to be connected to an entity."""
        with self._writing():
            doc_id = self._files.next_id("requests")
            request = rules.plan_access_request(
                self._state(entity_id),
                str(entity_id).strip(),
                actor_niss,
                last_name,
                first_name,
                employee_type,
                self._clock(),
                codec.request_id(doc_id),
            )
            self._insert("requests", codec.request_to_doc(request), doc_id)
            self._audit_filed(request, access=True)
        return request

    def _reviewed_by(
        self, state: rules.EntityState, nisses: Sequence[str]
    ) -> list[tuple[list[int], Link]]:
        """During a yearly review, someone reported as leaving counts as reviewed: their
        links marked (ids read now, before the transaction writes)."""
        campaign = self._campaign()
        if campaign is None or not campaign.covers(state.entity.kind):
            return []
        marked = []
        for niss in nisses:
            link = state.link_of(niss)
            if link is not None and link.reviewed != campaign.id:
                marked.append(
                    (self._link_ids(state.entity.id, niss), replace(link, reviewed=campaign.id))
                )
        return marked

    def _audit_filed(self, request: Request, **detail: Any) -> None:
        if request.until is not None:
            detail["until"] = request.until.isoformat()
        if request.note:
            detail["note"] = request.note
        self._audit(
            request.filed_by,
            "request_filed",
            request.entity_id,
            request.niss,
            request.id,
            kind=request.kind,
            employee_type=request.employee_type,
            **detail,
        )

    def preview_disconnect(
        self, actor_niss: str, entity_id: str, nisses: Sequence[str]
    ) -> RuleViolation | None:
        """What filing would say, without filing: None when it would be accepted."""
        with self.reading():
            try:
                rules.plan_disconnect(
                    self._state(entity_id),
                    actor_niss,
                    list(nisses),
                    self._clock(),
                    [f"preview-{i}" for i in range(len(nisses))],
                )
            except RuleViolation as refusal:
                return refusal
        return None

    # ----- decisions -------------------------------------------------------------------------

    def _pending_request(self, request_id: str) -> tuple[int, Request]:
        found = self._request_doc(request_id)
        if found is None:
            raise RuleViolation("unknown_request", {"request": str(request_id).strip()})
        return found[0], codec.request_from_doc(found[1])

    def _audit_decision(self, decided: Request, action: str, **detail: Any) -> None:
        assert decided.decided_by is not None  # the rules name who decided
        self._audit(
            decided.decided_by, action, decided.entity_id, decided.niss, decided.id, **detail
        )

    def _save_decision(self, doc_id: int, request: Request) -> None:
        self._tables["requests"].update(
            {
                "status": request.status,
                "decided_by": request.decided_by,
                "decided_at": request.decided_at.isoformat() if request.decided_at else None,
                "reason": request.reason,
                **(
                    {"deadline_days": request.deadline_days}
                    if request.deadline_days is not None
                    else {}
                ),
            },
            doc_ids=[doc_id],
        )

    @retried
    def approve(self, admin_id: str, request_id: str, note: object = None) -> Request:
        """``note``: the admin's, sent with the approval mail (optional, 500 characters)."""
        with self._writing():
            doc_id, request = self._pending_request(request_id)
            state = self._state(request.entity_id)
            assert state is not None
            approval = rules.plan_approve(
                state, self._admin(admin_id), request, self._clock(), note
            )
            decided = approval.request
            if approval.add_link is not None:
                self._insert("links", codec.link_to_doc(approval.add_link))
            if approval.remove_link is not None:
                gone = [
                    link_id
                    for link_id, doc in self._docs(LINKS_BY_ENTITY, state.entity.id)
                    if doc["niss"] == decided.niss
                ]
                self._tables["links"].remove(doc_ids=gone)
            if approval.extend_link is not None:
                link = approval.extend_link
                self._save_link(self._link_ids(state.entity.id, link.niss), link)
            self._save_decision(doc_id, decided)
            queue_decision_mail(self, state.entity, decided)
            noted = {"note": decided.reason} if decided.reason else {}
            self._audit_decision(decided, "request_approved", kind=decided.kind, **noted)
        return decided

    @retried
    def reject(self, admin_id: str, request_id: str, reason: str) -> Request:
        with self._writing():
            doc_id, request = self._pending_request(request_id)
            decided = rules.plan_reject(self._admin(admin_id), request, reason, self._clock())
            found = self._entity_doc(decided.entity_id)
            assert found is not None
            self._save_decision(doc_id, decided)
            queue_decision_mail(self, codec.entity_from_doc(found[1]), decided)
            self._audit_decision(
                decided, "request_rejected", kind=decided.kind, reason=decided.reason
            )
        return decided

    @retried
    def delete(self, admin_id: str, request_id: str) -> None:
        with self._writing():
            doc_id, request = self._pending_request(request_id)
            decided = rules.plan_delete(self._admin(admin_id), request, self._clock())
            self._save_decision(doc_id, decided)
            self._audit_decision(decided, "request_deleted", kind=decided.kind)

    @retried
    def withdraw(self, actor_niss: str, request_id: str) -> Request:
        """The filer takes back a pending request: no admin decides it, and no mail is sent
        (the filer is the one who would read it)."""
        with self._writing():
            doc_id, request = self._pending_request(request_id)
            withdrawn = rules.plan_withdraw(actor_niss, request, self._clock())
            self._save_decision(doc_id, withdrawn)
            self._audit(
                withdrawn.filed_by,
                "request_withdrawn",
                withdrawn.entity_id,
                withdrawn.niss,
                withdrawn.id,
                kind=withdrawn.kind,
            )
        return withdrawn
