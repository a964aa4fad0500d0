"""The store's engine: the lock, transactions, index reads, inserts and the audit append."""

from __future__ import annotations

import functools
import itertools
import random
import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo

from tinydb.table import Document

from rules.notices import NOTICES_VERSION
from rules.phrase import N_, Phrase
from store.audit import GENESIS, KEY_FILE_ENV, mac, seal
from store.backend import Backend
from store.changes import ChangeSource
from store.errors import StoreConflict, StoreError
from store.file_backend import FileBackend
from store.indexes import Index
from store.layout import PEOPLE, REVIEWED, STORE_LAYOUT
from store.segments import Doc
from store.tables import SegmentDB, SegmentTable

BRUSSELS = ZoneInfo("Europe/Brussels")
TABLES = ("admins", "entities", "links", "requests", "outbox", "audit")

Clock = Callable[[], datetime]
# (entity, whether managers, how many): what one links file counts (store/queries.py).
Counted = tuple[str, bool, int]


# Attempts at a write the database refused to serialise with another (store/pg/backend.py).
ATTEMPTS = 8

F = TypeVar("F", bound=Callable[..., Any])


def retried(method: F) -> F:
    """Run a write again when the database refused to serialise it with another writer's
    (StoreConflict): it is planned afresh from what is committed then. Only while none of
    the call's own transactions committed: a call is never half done twice."""

    @functools.wraps(method)
    def run(self: Engine, *args: Any, **kwargs: Any) -> Any:
        for attempt in range(ATTEMPTS):
            commits = self.commits
            try:
                return method(self, *args, **kwargs)
            except StoreConflict:
                if self.commits != commits or attempt == ATTEMPTS - 1:
                    raise
                time.sleep(random.uniform(0, 0.01 * 2**attempt))
        raise AssertionError("unreachable")

    return cast(F, run)


def _utc_now() -> datetime:
    return datetime.now(UTC)


PERSON = "@"


def scopes_of(table: str, doc: Doc) -> list[str]:
    """What a document is about, for what a console shows: the entity of a link, a request
    or an entity record (a staff screen), and the person of a link or a request (« @NISS »,
    the admins' warnings about them). Mails, admins and the trail are on no such screen."""
    if table in ("links", "requests"):
        scopes = [doc.get("entity_id"), PERSON + str(doc.get("niss"))]
    elif table == "entities":
        scopes = [doc.get("id")]
    else:
        return []
    return [scope for scope in scopes if isinstance(scope, str)]


class Engine:
    """One data directory shared by many processes: every write is one locked transaction.

    ``interrupted`` is asked while waiting for the lock; when it says True the wait ends with
    StoreInterrupted (a console that is closing). ``waiting`` is told, once, who holds the
    lock when a wait lasts.
    """

    def __init__(
        self,
        backend: Backend | Path,
        clock: Clock | None = None,
        lock_timeout: float = 30.0,
        audit_key: bytes | None = None,
    ) -> None:
        if isinstance(backend, Path):
            backend = FileBackend(backend, scopes_of, STORE_LAYOUT, lock_timeout)
        self._backend: Backend = backend
        # A directory for the file store; None for a server (store/pg/).
        self.root: Path | None = backend.root if isinstance(backend, FileBackend) else None
        self.location = backend.location
        # Held in memory only: the key never goes into the store.
        self._audit_key = audit_key
        self._clock = clock or _utc_now
        self._with_changes = False
        self.commits = 0  # transactions this process committed
        self._review_failed = False  # store/reviews.py: a review of everything failed here
        # Decoded records of the listings consoles read again and again (store/queries.py).
        self._listings: dict[str, tuple[Any, dict[int, tuple[Doc, Any]], list[Any]]] = {}
        # What each links file counted (by file name), and the totals per entity of people
        # and of managers (store/queries.py, entity_summaries).
        self._counts: tuple[dict[str, list[Counted]], dict[str, int], dict[str, int]] = (
            {},
            {},
            {},
        )
        # People's names by NISS (and the entity they were read at) as of a generation
        # (store/queries.py, names_of).
        self._names: tuple[int | None, dict[str, dict[str | None, str | None]]] = (None, {})
        # The last activity counted: ((first day, days), audit head count, its hash, filed,
        # decided per day) (store/trail.py).
        self._activity: tuple[tuple[Any, int], int, str | None, list[int], list[int]] | None = None
        # The same for the people the open yearly review confirmed: (its id, per file, totals).
        self._reviewed_counts: tuple[str | None, dict[str, list[tuple[str, int]]], dict[str, int]]
        self._reviewed_counts = (None, {}, {})
        self.interrupted: Callable[[], bool] | None = None
        self.waiting: Callable[[str], None] | None = None
        self._files = backend.documents
        self._db = SegmentDB(self._files)
        self._tables = {name: self._segment_table(name) for name in TABLES}

    def change_source(self) -> ChangeSource:
        """What a console asks, every poll interval, whether the store changed."""
        return self._backend.change_source()

    @property
    def incident_dir(self) -> Path | None:
        """Where a console's incident log goes first (the data directory of a file store)."""
        return self._backend.incident_dir

    def close(self) -> None:
        """Give back what the backend holds between calls (a server's connections)."""
        self._backend.close()

    # ----- locking and transactions --------------------------------------------------------

    def forget(self) -> None:
        """Another process committed: what this process cached of the store is stale."""
        self._forget_queries()

    def _segment_table(self, name: str) -> SegmentTable:
        table = self._db.table(name)
        assert isinstance(table, SegmentTable)  # SegmentDB.table_class
        return table

    def _forget_queries(self) -> None:
        for table in self._tables.values():
            table.forget()

    @contextmanager
    def reading(self) -> Iterator[None]:
        """A consistent view: the block reads one committed state of the store, however many
        commits other processes make meanwhile. A block inside a write, or inside another
        read, reads what the outer block read."""
        with self._backend.reading(self):
            yield

    @contextmanager
    def _writing(self) -> Iterator[None]:
        with self._backend.writing(self, self._before_commit):
            yield
        self.commits += 1
        self._after_commit()

    def open_or_create(self) -> None:
        """Read the store, or make an empty one; never removes or rewrites data."""
        # Empty, so its queue's warnings are complete: each commit keeps them.
        self._backend.open_or_create(self, {REVIEWED: NOTICES_VERSION})
        if self._backend.writable:
            self._build_reviews()

    def now(self) -> datetime:
        return self._clock()

    # ----- documents ----------------------------------------------------------------------------

    def _docs(
        self,
        index: Index,
        value: Hashable,
        limit: int | None = None,
        read: dict[int, Doc] | None = None,
    ) -> list[tuple[int, Doc]]:
        """Committed documents whose index key is ``value``, in id order, at most ``limit``.

        ``read``: documents of the table this read already holds, by id (the queue): a
        lookup through the index of people takes them from there rather than from their
        entity's file."""
        files, table = self._files, index.table
        if self._with_changes:
            return self._changed_docs(index, value)[:limit]
        # Whichever way in, it reads what is committed (the mirrors and the index of people
        # are brought up to date only by the commit).
        if files.written(table):
            raise RuntimeError(f"index read on {table} after writing it in this transaction")
        return self._committed_docs(index, value, limit, read)

    def _committed_docs(
        self,
        index: Index,
        value: Hashable,
        limit: int | None = None,
        read: dict[int, Doc] | None = None,
    ) -> list[tuple[int, Doc]]:
        files, table = self._files, index.table
        if (
            index.mirror is not None
            and value in index.mirror[1]
            and files.has_table(index.mirror[0])
        ):
            if index.mirror[1] == (value,):
                # The whole mirror: no index to build, but each document still decides.
                docs = files.items(index.mirror[0])
                kept = ((i, doc) for i, doc in docs if index.key(doc) == value)
                return list(itertools.islice(kept, limit))
            return files.find(index.mirror[0], index.name, index.key, value)[:limit]
        listed = None
        if index.person is not None and isinstance(value, str):
            listed = files.derived_ids(PEOPLE, index.person, value)
        if listed is None:
            home = index.home(value) if index.home is not None else None
            return files.find(
                table, index.name, index.key, value, home, committed=True, limit=limit
            )[:limit]
        read = read or {}
        found = ((doc_id, read.get(doc_id) or files.get(table, doc_id)) for doc_id in listed)
        # The document itself decides: an entry the index still lists is not taken on trust.
        matching = [(i, doc) for i, doc in found if doc is not None and index.key(doc) == value]
        return matching[:limit]

    def _changed_docs(self, index: Index, value: Hashable) -> list[tuple[int, Doc]]:
        """As ``_docs``, with what this transaction wrote: the commit reviewing its own
        changes. The committed ones are read without the mirror (which the commit has not
        brought up to date yet), then each document the transaction wrote is judged by its
        new version."""
        found = dict(self._committed_docs(replace(index, mirror=None), value))
        for doc_id, doc in self._files.changes(index.table).items():
            found.pop(doc_id, None)
            if doc is not None and index.key(doc) == value:
                found[doc_id] = doc
        return sorted(found.items(), key=lambda item: item[0])

    @contextmanager
    def _including_changes(self) -> Iterator[None]:
        """Reads in the block see this transaction's writes (``_changed_docs``)."""
        self._with_changes = True
        try:
            yield
        finally:
            self._with_changes = False

    def _before_commit(self) -> None:
        """What the commit keeps beside the documents it was given: the queue's warnings
        (store/reviews.py); the engine alone keeps nothing."""

    def _after_commit(self) -> None:
        """What a commit leaves to do once it is durable (store/reviews.py)."""

    def _build_reviews(self, again: bool = False) -> None:
        """The queue's warnings for a store that has none kept yet (store/reviews.py)."""

    def _reviews_out_of_step(self) -> list[str]:
        """The requests whose kept warnings are not what a review says now (store/reviews.py)."""
        return []

    def _insert(self, table: str, doc: Doc, doc_id: int | None = None) -> int:
        doc_id = doc_id or self._files.next_id(table)
        self._tables[table].insert(Document(doc, doc_id=doc_id))
        return doc_id

    def _audit(
        self,
        actor: str,
        action: str,
        entity_id: str | None = None,
        niss: str | None = None,
        request_id: str | None = None,
        **detail: Any,
    ) -> None:
        """Append an entry to the trail, chained to the head (and keyed, given the key)."""
        head = self._files.meta.get("audit_head") or {"count": 0, "hash": GENESIS}
        if head.get("keyed") and self._audit_key is None:
            # Fail closed: an entry without a MAC after keyed ones would read as a forgery.
            raise StoreError(
                KEY_FILE_ENV,
                Phrase(
                    N_(
                        "is not set, but the audit trail is keyed (its entries carry a MAC): "
                        "every program that writes needs the key"
                    )
                ),
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
