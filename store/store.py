"""The Store: every read and write of entities, links, requests, mails and the audit trail."""

from __future__ import annotations

import contextlib
import itertools
import os
import threading
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tinydb.table import Document

import rules
from rules import (
    Admin,
    Entity,
    EntityState,
    Link,
    Mail,
    Request,
    RuleViolation,
    compose_decision_mail,
)
from rules.outbox import check_retry
from store import codec
from store.audit import (
    GENESIS,
    KEY_FILE_ENV,
    Anchor,
    AuditEntry,
    ChainReport,
    Findings,
    key_from_env,
    mac,
    seal,
    verify_chain,
)
from store.errors import StoreError, os_problem
from store.inspection import inspect
from store.lock import DirectoryLock
from store.segments import MANIFEST, SegmentFiles, write_file
from store.tables import SegmentDB, SegmentTable

BRUSSELS = ZoneInfo("Europe/Brussels")
TABLES = ("admins", "entities", "links", "requests", "outbox", "audit")

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _lenient_niss(raw: str) -> str | None:
    try:
        return rules.normalize_niss(raw)
    except RuleViolation:
        return None


# Partial-index keys, one per (table, index name); see Segment.index. A damaged document
# (a field missing) is left out of the index rather than hiding every other one.
def _by_id(doc: dict[str, Any]) -> Any:
    return doc.get("id")


def _by_entity(doc: dict[str, Any]) -> Any:
    return doc.get("entity_id")


def _by_niss(doc: dict[str, Any]) -> Any:
    return doc.get("niss")


def _by_status_entity(doc: dict[str, Any]) -> Any:
    return (doc.get("status"), doc.get("entity_id"))


def _by_status(doc: dict[str, Any]) -> Any:
    return doc.get("status")


def _by_filed_by(doc: dict[str, Any]) -> Any:
    return doc.get("filed_by")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


DAY_COUNTS = {
    "request_filed": "filed",
    "request_approved": "decided",
    "request_rejected": "decided",
    "request_deleted": "decided",
}


@dataclass(frozen=True)
class Review:
    request: Request
    state: EntityState
    notices: tuple[rules.Notice, ...]


@dataclass(frozen=True)
class Activity:
    first_day: date
    filed: tuple[int, ...]
    decided: tuple[int, ...]


class Store:
    """One data directory shared by many processes: every write is one locked transaction.

    ``interrupted`` is asked while waiting for the lock; when it says True the wait ends with
    StoreInterrupted (a console that is closing). ``waiting`` is told, once, who holds the
    lock when a wait lasts.
    """

    def __init__(
        self,
        root: Path,
        clock: Clock | None = None,
        lock_timeout: float = 30.0,
        audit_key: bytes | None = None,
    ) -> None:
        self.root = root
        # Held in memory only: the key never goes into the store.
        self._audit_key = audit_key
        self._clock = clock or _utc_now
        self._mutex = threading.RLock()
        self._lock = DirectoryLock(root, lock_timeout)
        self.interrupted: Callable[[], bool] | None = None
        self.waiting: Callable[[str], None] | None = None
        self._swept = False
        self._files = SegmentFiles(root)
        self._db = SegmentDB(self._files)
        self._tables: dict[str, SegmentTable] = {
            name: self._db.table(name)
            for name in TABLES  # type: ignore[misc]
        }

    # ----- locking and transactions --------------------------------------------------------

    @contextmanager
    def _held(self) -> Iterator[None]:
        with self._mutex:
            self._lock.acquire(self.interrupted, self.waiting)
            try:
                yield
            finally:
                self._lock.release()

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with self._held():
            if self._files.refresh():
                for table in self._tables.values():
                    table.forget()
            yield

    @contextmanager
    def reading(self) -> Iterator[None]:
        """A consistent view: no other process commits while the block runs."""
        with self._locked():
            yield

    @contextmanager
    def _writing(self) -> Iterator[None]:
        with self._locked():
            if self._files.in_transaction():
                raise RuntimeError("nested write transactions are not supported")
            if not self._swept:
                # What a killed writer left; once per process is enough, and cheap.
                self._files.sweep()
                self._swept = True
            self._files.begin()
            try:
                yield
                self._files.commit()
            except BaseException:
                self._files.abort()
                for table in self._tables.values():
                    table.forget()
                raise

    def open_or_create(self) -> None:
        """Read the manifest, or write the first one; never removes or rewrites a file."""
        with self._held():
            if not self._files.exists():
                try:
                    stray = [p.name for p in self.root.iterdir() if p.suffix == ".json"]
                except OSError as exc:
                    raise os_problem(self.root, exc, "listed") from None
                if stray:
                    # Never start afresh over data that lost its manifest.
                    raise StoreError(
                        self._files.manifest_path,
                        f"is missing but {len(stray)} data file(s) are present; restore it "
                        "from a backup",
                    )
                self._files.create()
            self._files.refresh()

    def now(self) -> datetime:
        return self._clock()

    # ----- small helpers ---------------------------------------------------------------------

    def _docs(
        self,
        table: str,
        index: str,
        key: Callable[[dict[str, Any]], Any],
        value: Any,
        limit: int | None = None,
    ) -> list[tuple[int, dict[str, Any]]]:
        files = self._files
        ids = files.lookup(table, index, key, value)
        return [(doc_id, files.get(table, doc_id)) for doc_id in ids[:limit]]  # type: ignore[misc]

    def _person_docs(
        self, table: str, index: str, key: Callable[[dict[str, Any]], Any], niss: str
    ) -> list[dict[str, Any]]:
        """A person's documents by NISS; a malformed number simply matches nobody."""
        normalised = _lenient_niss(niss)
        if normalised is None:
            return []
        with self.reading():
            return [doc for _, doc in self._docs(table, index, key, normalised)]

    def _entity_doc(self, entity_id: str) -> tuple[int, dict[str, Any]] | None:
        found = self._docs("entities", "id", _by_id, entity_id)
        return found[0] if found else None  # type: ignore[return-value]

    def _admin(self, admin_id: str) -> Admin | None:
        found = self._docs("admins", "id", _by_id, str(admin_id).strip())
        return codec.admin_from_doc(found[0][1]) if found else None  # type: ignore[arg-type]

    def _state(self, entity_id: str) -> EntityState | None:
        found = self._entity_doc(str(entity_id).strip())
        if found is None:
            return None
        entity = codec.entity_from_doc(found[1])
        return EntityState(entity, tuple(self._staff(entity.id)), tuple(self._pending(entity.id)))

    def _staff(self, entity_id: str) -> list[Link]:
        return [
            codec.link_from_doc(doc)
            for _, doc in self._docs("links", "entity", _by_entity, entity_id)
        ]

    def _pending(self, entity_id: str) -> list[Request]:
        return [
            codec.request_from_doc(doc)
            for _, doc in self._docs(
                "requests", "status_entity", _by_status_entity, ("pending", entity_id)
            )
        ]

    def _request_doc(self, rid: str) -> tuple[int, dict[str, Any]] | None:
        doc_id = codec.request_doc_id(rid)
        doc = self._files.get("requests", doc_id) if doc_id else None
        return (doc_id, doc) if doc_id and doc else None

    def _audit(
        self,
        actor: str,
        action: str,
        entity_id: str | None = None,
        niss: str | None = None,
        request_id: str | None = None,
        **detail: Any,
    ) -> None:
        head = self._files.meta.get("audit_head") or {"count": 0, "hash": GENESIS}
        if head.get("keyed") and self._audit_key is None:
            # Fail closed: an entry without a MAC after keyed ones would read as a forgery.
            raise StoreError(
                KEY_FILE_ENV,
                "is not set, but the audit trail is keyed (its entries carry a MAC): "
                "every program that writes needs the key",
            )
        seq = int(head["count"]) + 1
        entry = {
            "seq": seq,
            "at": self._clock().isoformat(),
            "actor": actor,
            "action": action,
            "entity_id": entity_id,
            "niss": niss,
            "request_id": request_id,
            "detail": detail,
            "prev": head["hash"],
        }
        new_head: dict[str, Any] = {"count": seq}
        if self._audit_key is not None:
            entry["mac"] = mac(entry, self._audit_key)
            new_head["keyed"] = True
        entry["hash"] = new_head["hash"] = seal(entry)
        self._tables["audit"].insert(Document(entry, doc_id=seq))
        self._files.set_meta("audit_head", new_head)

    def _insert(self, table: str, doc: dict[str, Any], doc_id: int | None = None) -> int:
        doc_id = doc_id or self._files.next_id(table)
        self._tables[table].insert(Document(doc, doc_id=doc_id))
        return doc_id

    def _queue_mail(self, entity: Entity, request: Request) -> None:
        assert request.decided_at is not None
        draft = compose_decision_mail(
            entity,
            request,
            request.filed_at.astimezone(BRUSSELS),
            request.decided_at.astimezone(BRUSSELS),
        )
        doc_id = self._files.next_id("outbox")
        mail = Mail(
            to=draft.to,
            subject=draft.subject,
            body=draft.body,
            status="pending",
            id=codec.mail_id(doc_id),
            # Stable across retries so a receiver can recognise a mail sent twice.
            message_id=f"<{request.id}.{request.status}.{doc_id}@vaccinnet-staff>",
            entity_id=entity.id,
            request_id=request.id,
            language=draft.language,
            created_at=request.decided_at,
        )
        self._insert("outbox", codec.mail_to_doc(mail), doc_id)

    # ----- admins and entities ---------------------------------------------------------------

    def add_admin(self, admin_id: str, name: str, niss: str | None = None) -> Admin:
        with self._writing():
            exists = self._admin(admin_id) is not None
            admin = rules.plan_admin(admin_id, name, niss, exists)
            self._insert("admins", codec.admin_to_doc(admin))
            self._audit(admin.id, "admin_added", niss=admin.niss, name=admin.name)
        return admin

    def create_entity(
        self,
        admin_id: str,
        entity_id: str,
        name: str,
        kind: str,
        email: str,
        language: str,
        manager_niss: str,
        manager_last_name: str,
        manager_first_name: str,
        manager_type: str,
    ) -> Entity:
        with self._writing():
            now = self._clock()
            admin = self._admin(admin_id)
            exists = self._entity_doc(str(entity_id).strip()) is not None
            entity, link = rules.plan_entity(
                admin, entity_id, name, kind, email, language, manager_niss,
                manager_last_name, manager_first_name, manager_type, exists, now,
            )  # fmt: skip
            self._insert("entities", codec.entity_to_doc(entity))
            self._insert("links", codec.link_to_doc(link))
            self._audit(
                admin.id,  # type: ignore[union-attr]
                "entity_created",
                entity.id,
                link.niss,
                name=entity.name,
                kind=entity.kind,
                email=entity.email,
                language=entity.language,
                manager_type=link.employee_type,
            )
        return entity

    # ----- filing requests -------------------------------------------------------------------

    def file_connect(
        self,
        actor_niss: str,
        entity_id: str,
        niss: str,
        last_name: str,
        first_name: str,
        employee_type: str,
    ) -> Request:
        with self._writing():
            doc_id = self._files.next_id("requests")
            request = rules.plan_connect(
                self._state(entity_id), actor_niss, niss, last_name, first_name,
                employee_type, self._clock(), codec.request_id(doc_id),
            )  # fmt: skip
            self._insert("requests", codec.request_to_doc(request), doc_id)
            self._audit(
                request.filed_by, "request_filed", request.entity_id, request.niss, request.id,
                kind="connect", employee_type=request.employee_type,
            )  # fmt: skip
        return request

    def file_disconnect(
        self, actor_niss: str, entity_id: str, nisses: Sequence[str]
    ) -> list[Request]:
        with self._writing():
            first = self._files.next_id("requests")
            ids = [codec.request_id(first + i) for i in range(len(nisses))]
            filed = rules.plan_disconnect(
                self._state(entity_id), actor_niss, list(nisses), self._clock(), ids
            )
            for request in filed:
                self._insert(
                    "requests", codec.request_to_doc(request), codec.request_doc_id(request.id)
                )
                self._audit(
                    request.filed_by, "request_filed", request.entity_id, request.niss,
                    request.id, kind="disconnect", employee_type=request.employee_type,
                )  # fmt: skip
        return filed

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
                self._state(entity_id), str(entity_id).strip(), actor_niss, last_name,
                first_name, employee_type, self._clock(), codec.request_id(doc_id),
            )  # fmt: skip
            self._insert("requests", codec.request_to_doc(request), doc_id)
            self._audit(
                request.filed_by, "request_filed", request.entity_id, request.niss, request.id,
                kind="connect", employee_type=request.employee_type, access=True,
            )  # fmt: skip
        return request

    def preview_disconnect(
        self, actor_niss: str, entity_id: str, nisses: Sequence[str]
    ) -> RuleViolation | None:
        """What filing would say, without filing: None when it would be accepted."""
        with self.reading():
            try:
                rules.plan_disconnect(
                    self._state(entity_id), actor_niss, list(nisses), self._clock(),
                    [f"preview-{i}" for i in range(len(nisses))],
                )  # fmt: skip
            except RuleViolation as refusal:
                return refusal
        return None

    # ----- decisions ---------------------------------------------------------------------------

    def _pending_request(self, request_id: str) -> tuple[int, Request]:
        found = self._request_doc(request_id)
        if found is None:
            raise RuleViolation("unknown_request", {"request": str(request_id).strip()})
        return found[0], codec.request_from_doc(found[1])

    def _save_decision(self, doc_id: int, request: Request) -> None:
        self._tables["requests"].update(
            {
                "status": request.status,
                "decided_by": request.decided_by,
                "decided_at": request.decided_at.isoformat() if request.decided_at else None,
                "reason": request.reason,
            },
            doc_ids=[doc_id],
        )

    def approve(self, admin_id: str, request_id: str) -> Request:
        with self._writing():
            doc_id, request = self._pending_request(request_id)
            state = self._state(request.entity_id)
            assert state is not None
            approval = rules.plan_approve(state, self._admin(admin_id), request, self._clock())
            decided = approval.request
            if approval.add_link is not None:
                self._insert("links", codec.link_to_doc(approval.add_link))
            if approval.remove_link is not None:
                gone = [
                    link_id
                    for link_id, doc in self._docs("links", "entity", _by_entity, state.entity.id)
                    if doc["niss"] == decided.niss
                ]
                self._tables["links"].remove(doc_ids=gone)
            self._save_decision(doc_id, decided)
            self._queue_mail(state.entity, decided)
            self._audit(
                decided.decided_by, "request_approved", decided.entity_id, decided.niss,
                decided.id, kind=decided.kind,
            )  # fmt: skip
        return decided

    def reject(self, admin_id: str, request_id: str, reason: str) -> Request:
        with self._writing():
            doc_id, request = self._pending_request(request_id)
            decided = rules.plan_reject(self._admin(admin_id), request, reason, self._clock())
            found = self._entity_doc(decided.entity_id)
            assert found is not None
            self._save_decision(doc_id, decided)
            self._queue_mail(codec.entity_from_doc(found[1]), decided)
            self._audit(
                decided.decided_by, "request_rejected", decided.entity_id, decided.niss,
                decided.id, kind=decided.kind, reason=decided.reason,
            )  # fmt: skip
        return decided

    def delete(self, admin_id: str, request_id: str) -> None:
        with self._writing():
            doc_id, request = self._pending_request(request_id)
            decided = rules.plan_delete(self._admin(admin_id), request, self._clock())
            self._save_decision(doc_id, decided)
            self._audit(
                decided.decided_by, "request_deleted", decided.entity_id, decided.niss,
                decided.id, kind=decided.kind,
            )  # fmt: skip

    # ----- what an administrator needs --------------------------------------------------------

    def review(self, admin_id: str, request_id: str) -> Review | None:
        """A request with its entity and the warnings to read before deciding it."""
        with self.reading():
            found = self._request_doc(request_id)
            admin = self._admin(admin_id)
            if found is None or admin is None:
                return None
            request = codec.request_from_doc(found[1])
            state = self._state(request.entity_id)
            if state is None:
                return None
            elsewhere = [
                codec.link_from_doc(doc)
                for _, doc in self._docs("links", "niss", _by_niss, request.niss)
                if doc["entity_id"] != request.entity_id
            ]
            others = [
                codec.request_from_doc(doc)
                for _, doc in self._docs("requests", "niss", _by_niss, request.niss)
                if doc["entity_id"] != request.entity_id
            ]
            notices = rules.review_notices(state, request, elsewhere, others, admin, self._clock())
            return Review(request, state, tuple(notices))

    def update_entity(
        self, admin_id: str, entity_id: str, email: str | None = None, language: str | None = None
    ) -> Entity:
        with self._writing():
            found = self._entity_doc(str(entity_id).strip())
            before = codec.entity_from_doc(found[1]) if found else None
            entity = rules.plan_entity_update(self._admin(admin_id), before, str(entity_id),
                                              email, language)  # fmt: skip
            assert found is not None and before is not None
            self._tables["entities"].update(codec.entity_to_doc(entity), doc_ids=[found[0]])
            changes = {k: [getattr(before, k), getattr(entity, k)] for k in ("email", "language")
                       if getattr(before, k) != getattr(entity, k)}  # fmt: skip
            self._audit(admin_id, "entity_updated", entity.id, None, None, **changes)
        return entity

    def history(self, limit: int | None = None) -> list[Request]:
        """Decided and deleted requests, the latest decision first."""
        with self.reading():
            decided = [
                codec.request_from_doc(doc)
                for status in ("approved", "rejected", "deleted")
                for _, doc in self._docs("requests", "status", _by_status, status)
            ]
        decided.sort(key=lambda r: r.decided_at or r.filed_at, reverse=True)
        return decided[:limit]

    def activity(self, days: int = 30) -> Activity:
        """Requests filed and decided per day over the last ``days`` days.

        Read from the audit trail, newest first, which is in time order: only the last
        weeks are read, however old the store.
        """
        today = self._clock().astimezone(BRUSSELS).date()
        first = today - timedelta(days=days - 1)
        since = first.isoformat()
        filed = [0] * days
        decided = [0] * days
        with self.reading():
            for _, doc in self._files.newest_first("audit"):
                # The UTC day: an event just after midnight in Brussels may count for the day
                # before, a fair price for not parsing every timestamp.
                day = doc["at"][:10]
                if day < since:
                    break
                counts = DAY_COUNTS.get(doc["action"])
                if counts is not None:
                    index = (date.fromisoformat(day) - first).days
                    if 0 <= index < days:
                        (filed if counts == "filed" else decided)[index] += 1
        return Activity(first, tuple(filed), tuple(decided))

    def note_ssh_key(self, operator: str, action: str, identity: str, fingerprint: str) -> None:
        """Key changes live in authorized_keys; the trail says who changed which, and when."""
        kind, _, value = identity.partition(":")
        with self._writing():
            self._audit(operator, action, niss=value if kind == "niss" else None,
                        identity=identity, fingerprint=fingerprint)  # fmt: skip

    def backup(self, dest: Path) -> list[str]:
        """A consistent copy while sessions run: the lock holds writers back for the copy.

        The copy is written to a directory beside ``dest`` and renamed to it only once every
        file is complete and durable: a failed backup leaves no ``dest`` at all.
        """
        dest = Path(dest)
        if dest.resolve().is_relative_to(self.root.resolve()):
            raise StoreError(dest, "is inside the data directory; back up somewhere else")
        if dest.is_symlink() or (dest.exists() and not dest.is_dir()):
            raise StoreError(dest, "is not a directory; back up into a new directory")
        if dest.exists() and any(dest.iterdir()):
            raise StoreError(dest, "is not empty; back up into a new directory")
        created = _private_dirs(dest.parent)
        partial = dest.parent / f".{dest.name}.partial-{os.getpid()}"
        try:
            try:
                partial.mkdir(mode=0o700)
                partial.chmod(0o700)  # whatever the umask
            except OSError as exc:
                raise os_problem(partial, exc, "created") from None
            with self.reading():
                names = [
                    name
                    for info in self._files.manifest["tables"].values()
                    for name in info["segments"].values()
                ]
                for name in [*names, MANIFEST]:
                    try:
                        raw = (self.root / name).read_bytes()
                    except OSError as exc:
                        raise os_problem(self.root / name, exc, "read") from None
                    write_file(partial / name, raw, 0o600)
            try:
                _fsync_dir(partial)
                # Onto an empty directory, or where there is none: never over a copy.
                os.rename(partial, dest)
                _fsync_dir(dest.parent)
            except OSError as exc:
                raise os_problem(dest, exc, "written") from None
        except BaseException:
            _remove_tree(partial)
            for made in reversed(created):
                with contextlib.suppress(OSError):
                    made.rmdir()
            raise
        return names

    # ----- the outbox's delivery ----------------------------------------------------------------

    def _mail(self, mail_id: str) -> tuple[int, Mail]:
        doc_id = codec.mail_doc_id(mail_id)
        doc = self._files.get("outbox", doc_id) if doc_id else None
        if doc_id is None or doc is None:
            raise RuleViolation("unknown_mail", {"mail": str(mail_id).strip()})
        return doc_id, codec.mail_from_doc(doc)

    def _save_mail(self, doc_id: int, mail: Mail) -> Mail:
        self._tables["outbox"].update(codec.mail_to_doc(mail), doc_ids=[doc_id])
        return mail

    def due_mails(self, limit: int = 100) -> list[Mail]:
        """Pending mails whose next attempt is due now, oldest first."""
        now = self._clock()
        with self.reading():
            due = []
            for _, doc in self._docs("outbox", "status", _by_status, "pending"):
                mail = codec.mail_from_doc(doc)
                if mail.next_attempt_at is None or mail.next_attempt_at <= now:
                    due.append(mail)
                    if len(due) >= limit:
                        break
            return due

    def mark_sent(self, mail_id: str) -> Mail:
        with self._writing():
            doc_id, mail = self._mail(mail_id)
            return self._save_mail(doc_id, replace(
                mail, status="sent", attempts=mail.attempts + 1, sent_at=self._clock(),
                last_error=None, next_attempt_at=None))  # fmt: skip

    def mark_deferred(self, mail_id: str, error: str, retry_in: timedelta) -> Mail:
        """The server is down or answered 4xx: the mail stays in the outbox for later."""
        with self._writing():
            doc_id, mail = self._mail(mail_id)
            return self._save_mail(doc_id, replace(
                mail, attempts=mail.attempts + 1, last_error=error,
                next_attempt_at=self._clock() + retry_in))  # fmt: skip

    def mark_failed(self, mail_id: str, error: str) -> Mail:
        """The server refused for good (5xx): kept, shown to admins, retried only on request."""
        with self._writing():
            doc_id, mail = self._mail(mail_id)
            return self._save_mail(doc_id, replace(
                mail, status="failed", attempts=mail.attempts + 1, last_error=error,
                next_attempt_at=None))  # fmt: skip

    def retry_mail(self, admin_id: str, mail_id: str) -> Mail:
        """A failed mail goes back in the queue, to the entity's address of now: a mail that
        failed on its address is retried after the admin corrected the entity's."""
        with self._writing():
            if self._admin(admin_id) is None:
                raise RuleViolation("not_authorized", message_key="not_authorized.admin")
            doc_id, mail = self._mail(mail_id)
            check_retry(mail)
            found = self._entity_doc(mail.entity_id)
            to = (found[1].get("email") or mail.to) if found else mail.to
            retried = self._save_mail(doc_id, replace(mail, status="pending", to=to,
                                                      next_attempt_at=None))  # fmt: skip
            moved = {"previous_to": mail.to} if to != mail.to else {}
            self._audit(admin_id, "mail_retried", mail.entity_id, None, mail.request_id,
                        mail=mail.id, to=to, previous_error=mail.last_error, **moved)  # fmt: skip
        return retried

    # ----- reading -----------------------------------------------------------------------------

    def staff(self, entity_id: str) -> list[Link]:
        with self.reading():
            return self._staff(str(entity_id).strip())

    def entity(self, entity_id: str) -> Entity | None:
        with self.reading():
            found = self._entity_doc(str(entity_id).strip())
            return codec.entity_from_doc(found[1]) if found else None

    def entities(self) -> list[Entity]:
        with self.reading():
            return [codec.entity_from_doc(doc) for _, doc in self._files.items("entities")]

    def entity_state(self, entity_id: str) -> EntityState | None:
        with self.reading():
            return self._state(entity_id)

    def admin(self, admin_id: str) -> Admin | None:
        with self.reading():
            return self._admin(admin_id)

    def admins(self) -> list[Admin]:
        with self.reading():
            return [codec.admin_from_doc(doc) for _, doc in self._files.items("admins")]

    def request(self, request_id: str) -> Request | None:
        with self.reading():
            found = self._request_doc(request_id)
            return codec.request_from_doc(found[1]) if found else None

    def requests(
        self,
        entity_id: str | None = None,
        status: str | None = "pending",
        limit: int | None = None,
    ) -> list[Request]:
        """Oldest first, at most ``limit``; ``status=None`` gives every status."""
        with self.reading():
            if entity_id is not None and status is not None:
                found = self._docs(
                    "requests", "status_entity", _by_status_entity, (status, entity_id), limit
                )
            elif status is not None:
                found = self._docs("requests", "status", _by_status, status, limit)
            elif entity_id is not None:
                found = self._docs("requests", "entity", _by_entity, entity_id, limit)
            else:
                found = list(itertools.islice(self._files.items("requests"), limit))
            return [codec.request_from_doc(doc) for _, doc in found]

    def recent_decisions(self, entity_id: str, limit: int = 5) -> list[Request]:
        """The entity's latest decided requests, newest decision first."""
        with self.reading():
            decided = [
                codec.request_from_doc(doc)
                for _, doc in self._docs("requests", "entity", _by_entity, str(entity_id))
                if doc["status"] != "pending"
            ]
        decided.sort(key=lambda r: r.decided_at or r.filed_at, reverse=True)
        return decided[:limit]

    def filed_by(self, niss: str) -> list[Request]:
        """Requests a person filed, oldest first (an applicant follows their access request)."""
        return [
            codec.request_from_doc(doc)
            for doc in self._person_docs("requests", "filed_by", _by_filed_by, niss)
        ]

    def find_entities(self, text: str, limit: int = 20) -> list[Entity]:
        """Entities whose id or name contains ``text``, ignoring case and accents."""
        needle = _fold(text)
        if not needle:
            return []
        with self.reading():
            found = []
            for _, doc in self._files.items("entities"):
                if needle in _fold(doc["id"]) or needle in _fold(doc["name"]):
                    found.append(codec.entity_from_doc(doc))
                    if len(found) >= limit:
                        break
            return found

    def version(self) -> int:
        """A number that changes whenever any session commits; cheap enough to poll."""
        with self.reading():
            return int(self._files.manifest["generation"])

    def entities_of(self, niss: str) -> list[Entity]:
        with self.reading():
            ids = [doc["entity_id"] for doc in self._person_docs("links", "niss", _by_niss, niss)]
            entities = [self._entity_doc(entity_id) for entity_id in dict.fromkeys(ids)]
            return [codec.entity_from_doc(found[1]) for found in entities if found]

    def links_of(self, niss: str) -> list[Link]:
        return [
            codec.link_from_doc(doc) for doc in self._person_docs("links", "niss", _by_niss, niss)
        ]

    def outbox(self, status: str | None = "pending") -> list[Mail]:
        with self.reading():
            if status is None:
                found = list(self._files.items("outbox"))
            else:
                found = self._docs("outbox", "status", _by_status, status)
            return [codec.mail_from_doc(doc) for _, doc in found]

    def audit_entries(
        self,
        entity_id: str | None = None,
        niss: str | None = None,
        actor: str | None = None,
        since: date | None = None,
        newest_first: bool = False,
        limit: int | None = None,
    ) -> list[AuditEntry]:
        """The trail, oldest first unless asked; filters combine (all must match)."""
        since_iso = since.isoformat() if since else None
        with self.reading():
            docs = [doc for _, doc in self._files.items("audit")]
        if newest_first:
            docs.reverse()
        found = []
        for doc in docs:
            entry = codec.audit_from_doc(doc)
            if entity_id is not None and entry.entity_id != entity_id:
                continue
            if niss is not None and entry.niss != niss and entry.actor != niss:
                continue
            if actor is not None and entry.actor != actor:
                continue
            # Entries are stored in UTC; a day boundary a few hours off is acceptable here.
            if since_iso is not None and str(entry.at)[:10] < since_iso:
                continue
            found.append(entry)
            if limit is not None and len(found) >= limit:
                break
        return found

    def counts(self) -> dict[str, int]:
        with self.reading():
            return {name: self._files.count(name) for name in TABLES}

    # ----- verification ------------------------------------------------------------------------

    def _verify_audit(self, anchors: Sequence[Anchor]) -> ChainReport:
        files = self._files
        # A file changed behind the store's back leaves the manifest alone: re-read it all.
        files.forget_cache()
        for table in self._tables.values():
            table.forget()
        head = files.meta.get("audit_head")
        return verify_chain(files.items("audit"), head, self._audit_key, anchors)

    def verify_audit(self, anchors: Sequence[Anchor] = ()) -> ChainReport:
        """The audit chain from genesis to its head, its MACs (given the key) and the anchors."""
        with self.reading():
            return self._verify_audit(anchors)

    def verify(self, audit_anchors: Sequence[Anchor] = ()) -> Findings:
        """Everything wrong with the store: damaged files, a broken audit chain, broken rules.

        A list of problems (each a ``Problem``: ``damage`` when a file or document is broken);
        its ``notes`` say what is not a problem but was not (fully) checked. Read-only: every
        file is read from disk again, and nothing is removed or rewritten.
        """
        with self.reading():
            return inspect(self._files, self._audit_key, audit_anchors)


def _private_dirs(path: Path) -> list[Path]:
    """Create ``path`` and its missing parents, each 0700 whatever the umask; the created."""
    missing = []
    while not path.exists():
        missing.append(path)
        path = path.parent
    for made in reversed(missing):
        try:
            made.mkdir(mode=0o700)
            made.chmod(0o700)
        except FileExistsError:
            continue
        except OSError as exc:
            raise os_problem(made, exc, "created") from None
    return list(reversed(missing))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_tree(path: Path) -> None:
    """Remove a directory this process made and filled itself (a failed backup)."""
    if not path.is_dir():
        return
    for child in path.iterdir():
        with contextlib.suppress(OSError):
            child.unlink()
    with contextlib.suppress(OSError):
        path.rmdir()


def open_store(
    data_dir: str | os.PathLike[str],
    clock: Clock | None = None,
    lock_timeout: float = 30.0,
    waiting: Callable[[str], None] | None = None,
) -> Store:
    """Open the store in ``data_dir``, creating an empty one there if there is none."""
    root = Path(data_dir)
    try:
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise StoreError(root, f"cannot create the data directory ({exc.strerror})") from None
    if not root.is_dir():
        raise StoreError(root, "is not a directory")
    store = Store(root, clock=clock, lock_timeout=lock_timeout, audit_key=key_from_env(root))
    store.waiting = waiting
    store.open_or_create()
    return store
