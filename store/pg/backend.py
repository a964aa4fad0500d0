"""PostgreSQL as the store's backend: pooled connections, snapshots and serialised commits."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
import psycopg
from psycopg import errors
from psycopg.types.json import set_json_dumps, set_json_loads
from psycopg_pool import ConnectionPool, PoolTimeout

from rules.notices import NOTICES_VERSION
from rules.phrase import N_, Phrase
from store.backend import Hooks
from store.changes import ChangeSource
from store.errors import (
    StoreBusy,
    StoreConflict,
    StoreError,
    StoreInterrupted,
    StoreUnreachable,
)
from store.layout import REVIEWED
from store.lock import TELL_AFTER
from store.pg import redacted
from store.pg.changes import NotifiedChanges
from store.pg.documents import PgDocuments
from store.pg.schema import SCHEMA_VERSION, WRITERS_LOCK, migrate, schema_version
from store.segments import Layout, ScopeFn

# The pool logs each failed attempt to connect; a console's terminal is no place for that
# (the store's own errors say it), and a service's log gets the store's one message instead.
logging.getLogger("psycopg.pool").addHandler(logging.NullHandler())
logging.getLogger("psycopg.pool").propagate = False

# How long to wait for a connection (the pool's, then one of our own) before saying why not.
_CONNECT_WAIT = 5
# A wait for the writers' lock is cut in slices, to ask between them whether the console
# is closing; the database grants the lock the moment it is free.
_LOCK_SLICE_MS = 200


# Connection exceptions, and the server shutting down or not accepting connections yet.
_LOST = ("08", "57P01", "57P02", "57P03")
# A wrong password or role, a database that does not exist; libpq gives no code for a
# connection the server refused, only its words (a failing-over server says other ones).
_REFUSED = ("28", "3D")
_SAID_NO = re.compile(
    r"FATAL:\s+(database \S+ does not exist|role \S+ does not exist|password authentication "
    r"failed|no pg_hba\.conf entry|permission denied)|fe_sendauth: no password supplied"
)
# Serialization failure and deadlock: the transaction may simply be run again.
_CONFLICT = ("40001", "40P01")


def translated(location: str, exc: psycopg.Error) -> StoreError | None:
    """A database error the store knows how to say: the server lost, a conflict; else None."""
    state = exc.sqlstate or ""
    if state.startswith(_REFUSED) or (not state and _SAID_NO.search(str(exc))):
        # The server answered, and said no: no retry will change that.
        return StoreError(
            location, Phrase(N_("the database refused the connection ({problem})"), problem=exc)
        )
    if isinstance(exc, psycopg.OperationalError) and (not state or state.startswith(_LOST)):
        problem = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return StoreUnreachable(
            location, Phrase(N_("the database cannot be reached ({problem})"), problem=problem)
        )
    if state in _CONFLICT:
        return StoreConflict(
            location,
            Phrase(N_("another session changed the same data at the same moment; try again")),
        )
    return None


@contextmanager
def _said(location: str) -> Iterator[None]:
    try:
        yield
    except psycopg.Error as exc:
        known = translated(location, exc)
        if known is None:
            raise
        raise known from exc


def _configure(conn: psycopg.Connection[Any]) -> None:
    """Documents in and out of jsonb with orjson, as the file store reads and writes them."""
    set_json_loads(orjson.loads, conn)
    set_json_dumps(orjson.dumps, conn)


class PgBackend:
    """A PostgreSQL database shared by every host: each process keeps a small pool.

    A read block is one REPEATABLE READ READ ONLY transaction (one snapshot); a write block
    takes the writers' advisory lock, then runs SERIALIZABLE, so that our commits follow
    one another as the file store's do and the database still refuses any interleaving a
    writer without the lock could cause.
    """

    kind = "postgresql"

    def __init__(
        self,
        url: str,
        scope: ScopeFn,
        layout: Layout,
        lock_timeout: float = 30.0,
        pool_size: int = 4,
        take_lock: bool = True,
        create: bool = True,
    ) -> None:
        self.url = url
        self.location = redacted(url)
        self._lock_timeout = lock_timeout
        self._take_lock = take_lock
        self._create = create
        self._pool = ConnectionPool(
            url,
            min_size=0,
            max_size=pool_size,
            # An idle console gives its connection back: hundreds of sessions, few backends.
            max_idle=60.0,
            kwargs={"autocommit": True},
            configure=_configure,
            # After a failover every pooled connection is dead: an empty query on lending one
            # finds that out, so the first save once the database is back does not fail.
            check=ConnectionPool.check_connection,
            open=False,
            name="vaccinnet",
        )
        self.documents = PgDocuments(self, scope, layout)
        self._mutex = threading.RLock()
        self._conn: psycopg.Connection[Any] | None = None
        self._owner: int | None = None  # the thread whose block holds ``_conn``
        self._depth = 0
        self._changes: NotifiedChanges | None = None
        self._own: set[int] = set()  # connections made outside the pool (``_take``)

    # ----- what the store asks of any backend ----------------------------------------------

    @property
    def writable(self) -> bool:
        return True

    @property
    def incident_dir(self) -> Path | None:
        return None

    def change_source(self) -> ChangeSource:
        if self._changes is None:
            self._changes = NotifiedChanges(self.url)
        return self._changes

    def close(self) -> None:
        if self._changes is not None:
            self._changes.close()
        self._pool.close()

    def reindex(self, hooks: Hooks) -> None:
        """The database keeps its own indexes: nothing to write again."""

    # ----- connections ----------------------------------------------------------------------

    def connection(self) -> psycopg.Connection[Any]:
        if self._conn is None:
            raise RuntimeError("no block is open on the database")
        return self._conn

    def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of one query in the open block, or in a snapshot of its own outside one
        (another thread's block is not this thread's: it waits for it to end)."""
        if self._conn is None or self._owner != threading.get_ident():
            with self.reading(None):
                return self.fetch(sql, params)
        with _said(self.location):
            rows: list[tuple[Any, ...]] = self._conn.execute(sql, params).fetchall()
            return rows

    def _take(self) -> psycopg.Connection[Any]:
        if self._changes is not None and not self._changes.listening:
            # The listening connection is down: the database is away or failing over. One
            # connection of our own says so at once rather than after the pool's wait.
            return self._own_connection()
        try:
            self._pool.open(wait=False)
            return self._pool.getconn(timeout=min(self._lock_timeout, _CONNECT_WAIT))
        except PoolTimeout:
            pass
        except psycopg.Error as exc:
            raise translated(self.location, exc) or exc from exc
        # The pool says only that it timed out, and after a failover it may still be backing
        # off between its attempts: a connection of our own either says why the database
        # cannot be reached, or serves this block (closed after it, not pooled).
        return self._own_connection()

    def _own_connection(self) -> psycopg.Connection[Any]:
        conn = self._direct()
        self._own.add(id(conn))
        return conn

    def _direct(self) -> psycopg.Connection[Any]:
        """A connection of its own, failing at once with the server's reason."""
        try:
            conn = psycopg.connect(self.url, autocommit=True, connect_timeout=_CONNECT_WAIT)
        except psycopg.Error as exc:
            raise translated(self.location, exc) or exc from exc
        _configure(conn)
        return conn

    def _give_back(self, conn: psycopg.Connection[Any]) -> None:
        if id(conn) in self._own:
            self._own.discard(id(conn))
            conn.close()
            return
        try:
            if (
                not conn.closed
                and conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE
            ):
                conn.execute("ROLLBACK")
        except psycopg.Error:
            conn.close()
        self._pool.putconn(conn)

    # ----- blocks ---------------------------------------------------------------------------

    def open_or_create(self, hooks: Hooks, meta: dict[str, Any]) -> None:
        """Check the schema's version (a newer one: exit 2), creating it in an empty database."""
        conn = self._direct()
        try:
            with _said(self.location):
                version = schema_version(conn)
                if not version and not self._create:
                    raise StoreError(
                        self.location,
                        Phrase(N_("holds no store (no vaccinnet schema); run ‘vaccinnet init’")),
                    )
                if not version:
                    migrate(conn, meta)
                else:
                    check_version(self.location, version)
        finally:
            conn.close()

    @contextmanager
    def reading(self, hooks: Hooks | None) -> Iterator[None]:
        with self._mutex:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            conn = self._take()
            self._conn, self._depth, self._owner = conn, 1, threading.get_ident()
            try:
                with _said(self.location):
                    conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    if self.documents.refresh() and hooks is not None:
                        hooks.forget()
                yield
            finally:
                self._conn, self._depth = None, 0
                self._give_back(conn)

    @contextmanager
    def writing(self, hooks: Hooks, before_commit: Callable[[], None]) -> Iterator[None]:
        files = self.documents
        with self._mutex:
            if self._depth:
                raise RuntimeError("nested write transactions are not supported")
            conn = self._take()
            locked = False
            self._conn, self._depth, self._owner = conn, 1, threading.get_ident()
            try:
                if self._take_lock:
                    self._lock_writers(conn, hooks)
                    locked = True
                with _said(self.location):
                    conn.execute("BEGIN ISOLATION LEVEL SERIALIZABLE")
                    if files.refresh():
                        hooks.forget()
                files.begin()
                try:
                    with _said(self.location):
                        yield
                        before_commit()
                        files.commit()
                        conn.execute("COMMIT")
                except BaseException:
                    files.abort()
                    files.forget()
                    hooks.forget()
                    raise
                files.adopt()
            finally:
                self._conn, self._depth = None, 0
                if locked:
                    try:
                        conn.execute("SELECT pg_advisory_unlock(%s)", (WRITERS_LOCK,))
                    except psycopg.Error:
                        conn.close()  # the server drops a dead session's locks itself
                self._give_back(conn)

    def _lock_writers(self, conn: psycopg.Connection[Any], hooks: Hooks) -> None:
        """The writers' advisory lock, waited for in slices: a closing console stops
        waiting, a long wait is told, and past the timeout the store is busy."""
        with _said(self.location):
            self._wait_for_writers_lock(conn, hooks)

    def _wait_for_writers_lock(self, conn: psycopg.Connection[Any], hooks: Hooks) -> None:
        started = time.monotonic()
        told = False
        conn.execute(f"SET lock_timeout = {_LOCK_SLICE_MS}")
        try:
            while True:
                try:
                    conn.execute("SELECT pg_advisory_lock(%s)", (WRITERS_LOCK,))
                    return
                except errors.LockNotAvailable:
                    pass
                except psycopg.Error as exc:
                    raise translated(self.location, exc) or exc from exc
                if hooks.interrupted is not None and hooks.interrupted():
                    raise StoreInterrupted(
                        self.location, Phrase(N_("the wait for the store's lock was abandoned"))
                    )
                waited = time.monotonic() - started
                if not told and waited >= TELL_AFTER and hooks.waiting is not None:
                    told = True
                    hooks.waiting(Phrase(N_("another session writing to the database")))
                if waited >= self._lock_timeout:
                    raise StoreBusy(
                        self.location,
                        Phrase(
                            N_("another session kept the database busy for {seconds} s"),
                            seconds=round(waited),
                        ),
                    )
        finally:
            conn.execute("SET lock_timeout = 0")


def check_version(location: str, version: int) -> None:
    """A schema this program reads: not newer (upgrade the program), not older (migrate it:
    explicitly, once, while both hosts run the new program)."""
    if version < SCHEMA_VERSION:
        raise StoreError(
            location,
            Phrase(
                N_(
                    "has schema {schema}, older than this program's {supported}; run "
                    "‘vaccinnet migrate-schema’"
                ),
                schema=version,
                supported=SCHEMA_VERSION,
            ),
        )
    if version > SCHEMA_VERSION:
        raise StoreError(
            location,
            Phrase(
                N_(
                    "was written by a newer version (schema {schema}, this program reads up "
                    "to {supported}); upgrade the program"
                ),
                schema=version,
                supported=SCHEMA_VERSION,
            ),
        )


def migrate_database(url: str) -> tuple[int, list[int]]:
    """Apply the migrations the database lacks (none in a newer one: exit 2): the version
    it had, and those applied."""
    location = redacted(url)
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=_CONNECT_WAIT) as conn:
            before = schema_version(conn) or 0
            if before > SCHEMA_VERSION:
                check_version(location, before)
            return before, migrate(conn, {REVIEWED: NOTICES_VERSION} if not before else None)
    except psycopg.Error as exc:
        raise translated(location, exc) or exc from exc
