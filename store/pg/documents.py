"""The store's documents in PostgreSQL tables: read in the block's snapshot, written at commit."""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from psycopg.types.json import Jsonb

from store.documents import Doc, Transactional
from store.pg.schema import CHANNEL, DOCUMENT_TABLES, LOG_TABLES
from store.segments import ALL_SCOPES, CHANGES_KEPT, SCOPES_LISTED, KeyFn, Layout, ScopeFn

if TYPE_CHECKING:
    from store.pg.backend import PgBackend

TABLES = DOCUMENT_TABLES + LOG_TABLES
# Rows per query when a table is read newest first (the audit trail, the History).
PAGE = 500
Where = tuple[str, list[Any]] | None


def _equal(column: str) -> Callable[[Hashable], Where]:
    def where(value: Hashable) -> Where:
        return (f"{column} = %s", [value]) if isinstance(value, str) else None

    return where


def _entity_first(value: Hashable) -> Where:
    """(entity, …) keys: the entity's rows, each then judged by the index's own key."""
    if isinstance(value, tuple) and value and isinstance(value[0], str):
        return "entity_id = %s", [value[0]]
    return None


def _status_entity(value: Hashable) -> Where:
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, str) for v in value):
        return "status = %s AND entity_id = %s", [value[0], value[1]]
    return None


def _with_end(value: Hashable) -> Where:
    return ("until IS NOT NULL", []) if value is True else None


# The store's indexes (store/indexes.py) as the columns that answer them; the rows found
# are still judged by the index's key, as a segment's index would.
FINDERS: dict[tuple[str, str], Callable[[Hashable], Where]] = {
    ("admins", "id"): _equal("admin_id"),
    ("entities", "id"): _equal("entity_id"),
    ("links", "entity"): _equal("entity_id"),
    ("links", "niss"): _equal("niss"),
    ("links", "entity_role"): _entity_first,
    ("links", "entity_reviewed"): _entity_first,
    ("links", "with_end"): _with_end,
    ("requests", "status"): _equal("status"),
    ("requests", "status_entity"): _status_entity,
    ("requests", "entity"): _equal("entity_id"),
    ("requests", "niss"): _equal("niss"),
    ("requests", "filed_by"): _equal("filed_by"),
    ("outbox", "status"): _equal("status"),
}


class PgDocuments(Transactional):
    """The documents as of the snapshot the backend's block reads, plus the open transaction.

    ``manifest`` holds what the last ``refresh`` read of ``store_state``: the generation and
    the generation that last wrote each table. Documents read are cached for as long as the
    generation stays the same (another process's commit makes a new one).
    """

    def __init__(self, backend: PgBackend, scope: ScopeFn, layout: Layout) -> None:
        super().__init__()
        self._backend = backend
        self.scope = scope
        self.layout = layout
        self.manifest_path = backend.location
        self.manifest: dict[str, Any] = {"generation": -1, "tables": {}}
        self._state_meta: dict[str, Any] = {}
        self._next_ids: dict[str, int] = {}
        self._cache: dict[tuple[str, int], Doc | None] = {}
        # Tables read whole in this generation (``preload``), and their indexes built so far.
        self._whole: dict[str, tuple[list[tuple[int, Doc]], dict[str, dict[Hashable, list]]]]
        self._whole = {}
        # What a commit wrote, adopted once the database said COMMIT.
        self._committing: tuple[dict[str, Any], dict[tuple[str, int], Doc | None]] | None = None

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self._backend.fetch(sql, params)

    # ----- the committed state ------------------------------------------------------------

    def refresh(self) -> bool:
        """Read the store's state in the block's snapshot; True when another commit came."""
        rows = self._rows("SELECT generation, meta, next_ids, stamps FROM store_state")
        if not rows:
            raise RuntimeError("store_state has no row")
        generation, meta, next_ids, stamps = rows[0]
        if generation == self.manifest["generation"]:
            return False
        self.manifest = {"generation": int(generation), "tables": dict(stamps)}
        self._state_meta = dict(meta)
        self._next_ids = {str(k): int(v) for k, v in next_ids.items()}
        self._cache.clear()
        self._whole.clear()
        return True

    def forget_cache(self) -> None:
        self._cache.clear()
        self._whole.clear()

    def forget(self) -> None:
        """Whatever was read may be stale (a transaction rolled back, a connection lost)."""
        self.forget_cache()
        self.manifest = {"generation": -1, "tables": {}}

    def _committed_meta(self) -> dict[str, Any]:
        return dict(self._state_meta)

    def _committed_next_id(self, table: str) -> int:
        return self._next_ids.get(table, 1)

    def has_table(self, table: str) -> bool:
        return table in TABLES

    def _committed(self, table: str, doc_id: int) -> Doc | None:
        if table not in TABLES:
            return None
        key = (table, doc_id)
        if key in self._cache:
            return self._cache[key]
        rows = self._rows(f"SELECT doc FROM {table} WHERE id = %s", (doc_id,))
        doc = rows[0][0] if rows else None
        self._cache[key] = doc
        return doc

    def _kept(self, table: str, rows: list[tuple[Any, ...]]) -> list[tuple[int, Doc]]:
        found = []
        for doc_id, doc in rows:
            # One object per document while the generation lasts: listings compare by identity.
            doc = self._cache.setdefault((table, doc_id), doc)
            if doc is not None:
                found.append((int(doc_id), doc))
        return found

    def _committed_items(self, table: str) -> Iterator[tuple[int, Doc]]:
        if table not in TABLES:
            return iter(())
        return iter(self._kept(table, self._rows(f"SELECT id, doc FROM {table} ORDER BY id")))

    def newest_first(self, table: str) -> Iterator[tuple[int, Doc]]:
        """Committed documents, highest id first, a page at a time as far as read."""
        if table not in TABLES:
            return
        below: int | None = None
        while True:
            if below is None:
                sql, params = f"SELECT id, doc FROM {table} ORDER BY id DESC LIMIT %s", [PAGE]
            else:
                sql = f"SELECT id, doc FROM {table} WHERE id < %s ORDER BY id DESC LIMIT %s"
                params = [below, PAGE]
            page = self._kept(table, self._rows(sql, params))
            yield from page
            if len(page) < PAGE:
                return
            below = page[-1][0]

    def find(
        self,
        table: str,
        index: str,
        key: KeyFn,
        value: Hashable,
        home: object = None,
        committed: bool = False,
        limit: int | None = None,
    ) -> list[tuple[int, Doc]]:
        """Committed documents whose ``key(doc) == value``, in id order, at most ``limit``
        (``home`` is for the file store's buckets; the database's indexes need no hint)."""
        if self.written(table) and not committed:
            raise RuntimeError(f"index read on {table} after writing it in this transaction")
        if table not in TABLES:
            return []
        if table in self._whole:
            return self._indexed(table, index, key, value)[:limit]
        finder = FINDERS.get((table, index))
        if finder is None:
            rows = self._kept(table, self._rows(f"SELECT id, doc FROM {table} ORDER BY id"))
        else:
            where = finder(value)
            if where is None:
                return []
            sql = f"SELECT id, doc FROM {table} WHERE {where[0]} ORDER BY id"
            params = list(where[1])
            if limit is not None:
                sql += " LIMIT %s"
                params.append(limit)
            rows = self._kept(table, self._rows(sql, params))
        return [(doc_id, doc) for doc_id, doc in rows if key(doc) == value][:limit]

    def preload(self, tables: Collection[str]) -> None:
        """Read ``tables`` whole, once in this generation, and answer lookups from memory
        (a review of every pending request reads most of them: one query, not thousands)."""
        for table in tables:
            if table in TABLES and table not in self._whole:
                rows = self._kept(table, self._rows(f"SELECT id, doc FROM {table} ORDER BY id"))
                self._whole[table] = (rows, {})

    def _indexed(
        self, table: str, index: str, key: KeyFn, value: Hashable
    ) -> list[tuple[int, Doc]]:
        rows, indexes = self._whole[table]
        found = indexes.get(index)
        if found is None:
            found = indexes[index] = {}
            for doc_id, doc in rows:
                if (k := key(doc)) is not None:
                    found.setdefault(k, []).append((doc_id, doc))
        return list(found.get(value, ()))

    def derived_ids(self, table: str, name: str, value: str) -> list[int] | None:
        return None  # the database's indexes answer a lookup by person directly

    def count_by(self, table: str, fields: tuple[str, ...], key: KeyFn) -> dict[Hashable, int]:
        """How many documents have each ``key``, counted by the database grouped by the
        ``fields`` the key reads (each group judged by the key itself)."""
        columns = ", ".join("doc ->> %s" for _ in fields)
        groups = ", ".join(str(i + 1) for i in range(len(fields)))
        sql = f"SELECT {columns}, count(*) FROM {table} GROUP BY {groups}"
        counted: dict[Hashable, int] = {}
        for row in self._rows(sql, list(fields)):
            value = key(dict(zip(fields, row[:-1], strict=True)))
            if value is not None:
                counted[value] = counted.get(value, 0) + int(row[-1])
        return counted

    def count(self, table: str) -> int:
        if table not in TABLES:
            return 0
        return int(self._rows(f"SELECT count(*) FROM {table}")[0][0])

    # ----- what commits touched -------------------------------------------------------------

    def _changes_after(self, generation: int) -> list[tuple[int, list[str], list[str]]] | None:
        if generation == self.manifest["generation"]:
            return []
        rows = self._rows(
            "SELECT generation, scopes, tables FROM changes WHERE generation > %s "
            "ORDER BY generation",
            (generation,),
        )
        if not rows or int(rows[0][0]) > generation + 1:
            return None
        return [(int(g), list(scopes), list(tables)) for g, scopes, tables in rows]

    def touched_since(self, generation: int, scope: str) -> bool | None:
        changes = self._changes_after(generation)
        if changes is None:
            return None
        return any(scope in scopes or ALL_SCOPES in scopes for _, scopes, _ in changes)

    def scopes_since(self, generation: int) -> set[str] | None:
        changes = self._changes_after(generation)
        if changes is None:
            return None
        touched = {scope for _, scopes, _ in changes for scope in scopes}
        return None if ALL_SCOPES in touched else touched

    def tables_touched_since(self, generation: int, tables: Collection[str]) -> bool | None:
        changes = self._changes_after(generation)
        if changes is None:
            return None
        return any(set(written) & set(tables) for _, _, written in changes)

    # ----- the commit -----------------------------------------------------------------------

    def _before(self, tx: dict[str, dict[int, Doc | None]]) -> dict[tuple[str, int], Doc | None]:
        """Each changed document as committed, read in one query per table."""
        before: dict[tuple[str, int], Doc | None] = {}
        for table, changes in tx.items():
            unknown = [i for i in changes if (table, i) not in self._cache]
            found = {}
            if unknown:
                sql = f"SELECT id, doc FROM {table} WHERE id = ANY(%s)"
                found = {int(i): doc for i, doc in self._rows(sql, (unknown,))}
            for doc_id in changes:
                key = (table, doc_id)
                before[key] = self._cache[key] if key in self._cache else found.get(doc_id)
        return before

    def _log(
        self, tx: dict[str, dict[int, Doc | None]], before: dict[tuple[str, int], Doc | None]
    ) -> None:
        """Append to the logs (History) what this transaction closed, as the file store does."""
        for spec in self.layout.logs:
            changes = tx.get(spec.source)
            if not changes:
                continue
            closed = []
            for doc_id, doc in sorted(changes.items()):
                if doc is None or doc.get(spec.field) == spec.open_value:
                    continue
                old = before.get((spec.source, doc_id))
                if old is None or old.get(spec.field) == spec.open_value:
                    closed.append(doc)
            if closed:
                logged = tx.setdefault(spec.table, {})
                first = max([self._next_ids.get(spec.table, 1), *(i + 1 for i in logged)])
                for offset, doc in enumerate(closed):
                    logged[first + offset] = doc

    def commit(self) -> None:
        """Write the transaction's documents, the state and what it touched, and notify; the
        backend then says COMMIT, and ``adopt`` makes them this process's view."""
        tx, meta = self._take()
        tx = {table: changes for table, changes in tx.items() if changes}
        if not tx and not meta:
            return
        unknown = set(tx) - set(TABLES)
        if unknown:
            raise RuntimeError(f"no such table: {sorted(unknown)}")
        before = self._before(tx)
        if self.keep_logs:
            self._log(tx, before)
        generation = int(self.manifest["generation"]) + 1
        touched: set[str] = set()
        next_ids = dict(self._next_ids)
        conn = self._backend.connection()
        with conn.cursor() as cur:
            # Removals first: a person unlinked and linked again in one commit keeps the
            # unique (entity, NISS) of links satisfied at every statement.
            for table in TABLES:
                removed = [i for i, doc in tx.get(table, {}).items() if doc is None]
                if removed:
                    cur.execute(f"DELETE FROM {table} WHERE id = ANY(%s)", (removed,))
            for table in TABLES:
                changes = tx.get(table)
                if not changes:
                    continue
                rows = [(i, Jsonb(doc)) for i, doc in sorted(changes.items()) if doc is not None]
                if rows:
                    cur.executemany(
                        f"INSERT INTO {table} (id, doc) VALUES (%s, %s) "
                        "ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc",
                        rows,
                    )
                next_ids[table] = max(next_ids.get(table, 1), max(changes) + 1)
                for doc_id, doc in changes.items():
                    for version in (before.get((table, doc_id)), doc):
                        if isinstance(version, dict):
                            touched.update(self.scope(table, version))
            tables = sorted(tx)
            scopes = sorted(touched) if len(touched) <= SCOPES_LISTED else [ALL_SCOPES]
            stamps = {table: generation for table in tables}
            cur.execute(
                "UPDATE store_state SET generation = %s, meta = meta || %s, next_ids = %s, "
                "stamps = stamps || %s",
                (generation, Jsonb(meta), Jsonb(next_ids), Jsonb(stamps)),
            )
            cur.execute(
                "INSERT INTO changes (generation, scopes, tables) VALUES (%s, %s, %s)",
                (generation, scopes, tables),
            )
            cur.execute("DELETE FROM changes WHERE generation <= %s", (generation - CHANGES_KEPT,))
            cur.execute("SELECT pg_notify(%s, %s)", (CHANNEL, str(generation)))
        state = {
            "generation": generation,
            "tables": {**self.manifest["tables"], **stamps},
            "meta": {**self._state_meta, **meta},
            "next_ids": next_ids,
        }
        written = {(t, i): doc for t, changes in tx.items() for i, doc in changes.items()}
        self._committing = (state, written)

    def adopt(self) -> None:
        """The database committed: this process sees its own commit without reading it."""
        if self._committing is None:
            return
        state, written = self._committing
        self._committing = None
        self.manifest = {"generation": state["generation"], "tables": state["tables"]}
        self._state_meta = state["meta"]
        self._next_ids = state["next_ids"]
        self._cache.update(written)
        self._whole.clear()

    def abort(self) -> None:
        super().abort()
        self._committing = None
