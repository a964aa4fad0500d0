"""TinyDB-format JSON files split into segments, committed atomically through one manifest."""

from __future__ import annotations

import contextlib
import heapq
import os
import re
import zlib
from collections.abc import Callable, Collection, Hashable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from rules.phrase import N_, Phrase, joined
from store.documents import Doc, Transactional
from store.errors import StoreError, os_problem

# 2: links, requests and entities sit in their entity's bucket, found through locators and
# the index of people (store/layout.py); a store of schema 1 is converted on opening.
SCHEMA_VERSION = 2
MANIFEST = "manifest.json"
# Small enough that a write rewrites a few hundred kilobytes, large enough to keep
# the number of files low (50,000 requests are 49 files).
SEGMENT_SIZE = 1024
_SEGMENT_FILE = re.compile(r"(?P<table>[a-z_]+)\.(?P<seg>\d{5})\.(?P<gen>\d+)\.json", re.ASCII)
_TABLE_NAME = re.compile(r"[a-z_]+", re.ASCII)
_DELETED = None

KeyFn = Callable[[Doc], Hashable | None]
ScopeFn = Callable[[str, Doc], Collection[str]]
# How many commits the manifest remembers the scopes of (entities, for the store): a console
# that fell further behind reads again whatever changed.
CHANGES_KEPT = 256
SCOPES_LISTED = 64
ALL_SCOPES = "*"
# How many buckets a placed table has: an entity's documents share one file, which at
# 70,000 links and 150,000 requests holds a few hundred documents.
BUCKETS = 256
WHERE = "_where"


@dataclass(frozen=True)
class Derived:
    """A table the commit keeps itself: one document per value of ``field`` in ``sources``,
    listing the ids of the source documents that carry it (the index of people: a person's
    links, the requests about them and the requests they filed)."""

    table: str
    field: str
    # (source table, source field, the list of ids in the derived document)
    sources: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class Mirror:
    """A table the commit keeps itself: a copy, under the same id, of each document of
    ``source`` whose ``field`` is one of ``values`` (the queue of pending requests, read
    without the 150,000 decided ones)."""

    table: str
    source: str
    field: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Log:
    """A table the commit appends to: a copy of each document of ``source`` as it leaves
    ``field == open_value`` (a request decided), under the next id, so that the newest are
    the last (the admins' History reads its newest page without the other requests)."""

    table: str
    source: str
    field: str
    open_value: str


@dataclass(frozen=True)
class Layout:
    """Which tables are placed by a field (``homes``: table -> field) rather than by id.

    A placed table's document sits in segment ``bucket(doc[field])``, so that whatever
    belongs to one entity is in one file; its locator table (``<table>_where``, by id) says
    where each id is. ``derived`` tables are written by the commit itself.
    """

    homes: dict[str, str] = field(default_factory=dict)
    derived: tuple[Derived, ...] = ()
    mirrors: tuple[Mirror, ...] = ()
    logs: tuple[Log, ...] = ()
    buckets: int = BUCKETS


def field_key(name: str) -> KeyFn:
    # doc.get, not doc[...]: a damaged document (a field missing) is left out of an index
    # rather than hiding every other one; see Segment.index.
    def key(doc: Doc) -> Hashable | None:
        return doc.get(name)

    return key


def bucket(value: object, buckets: int) -> int:
    """The bucket of a placing value; a damaged document (no such text) goes to bucket 0."""
    if not isinstance(value, str):
        return 0
    return zlib.crc32(value.encode("utf-8", "surrogatepass")) % buckets


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_file(path: Path, data: bytes, mode: int) -> None:
    """Write a new file completely and durably before anybody can rely on it.

    A failure of the machine (full disk, no permission) is a StoreError naming the file, and
    leaves no part of it behind.
    """
    try:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except OSError as exc:
        raise os_problem(path, exc, "written") from None
    try:
        os.fchmod(fd, mode)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    except OSError as exc:
        os.close(fd)
        with contextlib.suppress(OSError):
            path.unlink()
        raise os_problem(path, exc, "written") from None
    os.close(fd)


def segment_file(name: object) -> tuple[str, int, int] | None:
    """(table, segment, generation) of a segment file's name; None for any other name."""
    found = _SEGMENT_FILE.fullmatch(name) if isinstance(name, str) else None
    return (found["table"], int(found["seg"]), int(found["gen"])) if found else None


def manifest_problems(manifest: dict[str, Any], known: dict[str, Any] | None = None) -> list[str]:
    """What is wrong with a manifest's structure, each naming the place in the document.

    A name must be a plain segment file name of its own table and segment: the store opens,
    replaces and removes the files the manifest names, never anything else. ``known``: a
    manifest checked before; a table equal to its own there is not checked again (a commit
    changes a few tables, and every session reads the manifest after every commit).
    """
    problems: list[str] = []
    generation = manifest.get("generation")
    if not isinstance(generation, int) or isinstance(generation, bool) or generation < 0:
        problems.append(
            Phrase(N_("generation is {value}, not a whole number"), value=repr(generation))
        )
        generation = None
    tables = manifest.get("tables")
    if not isinstance(tables, dict):
        return [*problems, Phrase(N_("tables is {kind}, not a mapping"), kind=_kind(tables))]
    known_tables: dict[str, Any] = {}
    if known is not None and generation is not None and generation >= known["generation"]:
        known_tables = known["tables"]
    for table, info in tables.items():
        if table in known_tables and known_tables[table] == info:
            continue
        # Within a changed table, only the entries that changed (a commit rewrites a few).
        seen = known_tables.get(table, {}).get("segments", {})
        where = f"tables.{table}"
        if not _TABLE_NAME.fullmatch(table):
            problems.append(Phrase(N_("{where}: not a table name"), where=where))
            continue
        if not isinstance(info, dict):
            problems.append(
                Phrase(N_("{where} is {kind}, not a mapping"), where=where, kind=_kind(info))
            )
            continue
        next_id = info.get("next_id", 1)
        if not isinstance(next_id, int) or isinstance(next_id, bool) or next_id < 1:
            problems.append(
                Phrase(
                    N_("{where}.next_id is {value}, not a positive whole number"),
                    where=where,
                    value=repr(next_id),
                )
            )
        buckets = info.get("buckets")
        if buckets is not None and (
            not isinstance(buckets, int) or isinstance(buckets, bool) or not 0 < buckets <= 65536
        ):
            problems.append(
                Phrase(
                    N_("{where}.buckets is {value}, not a number of buckets"),
                    where=where,
                    value=repr(buckets),
                )
            )
            buckets = None
        if buckets is not None and not isinstance(info.get("by"), str):
            problems.append(Phrase(N_("{where}.by is not the name of a field"), where=where))
        segments = info.get("segments", {})
        if not isinstance(segments, dict):
            problems.append(
                Phrase(
                    N_("{where}.segments is {kind}, not a mapping"),
                    where=where,
                    kind=_kind(segments),
                )
            )
            continue
        for key, name in segments.items():
            if seen.get(key) == name and buckets == known_tables[table].get("buckets"):
                continue
            if not (key.isascii() and key.isdigit()):
                problems.append(
                    Phrase(
                        N_("{where}.segments: key {key} is not a segment number"),
                        where=where,
                        key=repr(key),
                    )
                )
                continue
            parsed = segment_file(name)
            if buckets is not None and int(key) >= buckets:
                problems.append(
                    Phrase(
                        N_("{where}.segments: key {key} is beyond its {buckets} buckets"),
                        where=where,
                        key=key,
                        buckets=buckets,
                    )
                )
            elif parsed is None or parsed[:2] != (table, int(key)):
                problems.append(
                    Phrase(
                        N_("{where}.segments.{key} is {name}, not a file of that segment"),
                        where=where,
                        key=key,
                        name=repr(name),
                    )
                )
            elif generation is not None and parsed[2] > generation:
                problems.append(
                    Phrase(
                        N_(
                            "{where}.segments.{key} names {name}, written after generation "
                            "{generation}"
                        ),
                        where=where,
                        key=key,
                        name=name,
                        generation=generation,
                    )
                )
    retired = manifest.get("retired", [])
    seen_retired = set(known.get("retired", [])) if known is not None and known_tables else set()
    if not isinstance(retired, list) or not all(
        (isinstance(name, str) and name in seen_retired) or segment_file(name) for name in retired
    ):
        problems.append(Phrase(N_("retired is not a list of segment file names")))
    meta = manifest.get("meta", {})
    head = meta.get("audit_head") if isinstance(meta, dict) else None
    if not isinstance(meta, dict):
        problems.append(Phrase(N_("meta is {kind}, not a mapping"), kind=_kind(meta)))
    elif head is not None and not (
        isinstance(head, dict)
        and isinstance(head.get("count"), int)
        and isinstance(head.get("hash"), str)
    ):
        problems.append(Phrase(N_("meta.audit_head is not a count and a hash")))
    return problems


def _kind(value: object) -> str:
    return "null" if value is None else Phrase(N_("a {type}"), type=type(value).__name__)


def _damaged(problems: list[str]) -> Phrase:
    """The manifest's first three problems, and how many more there are."""
    shown = joined(problems[:3])
    if len(problems) > 3:
        return Phrase(
            N_("is damaged: {problems} (and {count} more)"), problems=shown, count=len(problems) - 3
        )
    return Phrase(N_("is damaged: {problems}"), problems=shown)


def _in_id_order(docs: dict[int, Doc]) -> dict[int, Doc]:
    """Readers rely on id order; a file re-serialised by other tools may hold another order."""
    # JSON keys are strings: a tool that sorts them puts "10" before "2". Files this program
    # writes are in order already; sorting a sorted list is one linear pass (6 µs per segment).
    ids = list(docs)
    if ids == sorted(ids):
        return docs
    return dict(sorted(docs.items()))


@dataclass
class Segment:
    filename: str
    docs: dict[int, Doc]
    # Partial indexes of this segment's documents, built on first use.
    indexes: dict[str, dict[Hashable, list[int]]] = field(default_factory=dict)

    def index(self, name: str, key: KeyFn) -> dict[Hashable, list[int]]:
        built = self.indexes.get(name)
        if built is None:
            built = {}
            for doc_id, doc in self.docs.items():
                # A damaged document (not an object, an unhashable value) is in no index:
                # `vaccinnet check` names it, and the others stay readable meanwhile.
                k = key(doc) if isinstance(doc, dict) else None
                if k is not None and isinstance(k, Hashable):
                    try:
                        built.setdefault(k, []).append(doc_id)
                    except TypeError:  # a tuple holding a list
                        continue
            self.indexes[name] = built
        return built


def empty_manifest() -> dict[str, Any]:
    return {"format": "vaccinnet-store", "schema": SCHEMA_VERSION, "generation": 0, "tables": {}}


class SegmentFiles(Transactional):
    """The committed files of one data directory, cached per process, plus one open transaction.

    The caller holds the cross-process lock around ``refresh``, reads and ``commit``.
    """

    def __init__(
        self, root: Path, scope: ScopeFn | None = None, layout: Layout | None = None
    ) -> None:
        self.root = root
        # The layout a new store gets, and an old one is converted to (``relayout``); reads
        # follow what the manifest says of each table.
        self.layout = layout or Layout()
        # The last manifest read and found sound, to check only what changed in the next.
        self._checked: dict[str, Any] | None = None
        # Which scope (an entity) a document belongs to: each commit lists the scopes it
        # touched in the manifest, so that a reader of one scope can tell it need not read.
        self.scope = scope
        self.manifest_path = root / MANIFEST
        self.manifest: dict[str, Any] = empty_manifest()
        self._stamp: tuple[int, int, int] | None = None
        self._segments: dict[tuple[str, int], Segment] = {}
        super().__init__()
        self.mode = 0o600

    # ----- reading the committed state -------------------------------------------------

    def exists(self) -> bool:
        return self.manifest_path.exists()

    def refresh(self) -> bool:
        """Re-read the manifest if another process committed; True when something changed."""
        try:
            st = os.stat(self.manifest_path)
        except FileNotFoundError:
            raise StoreError(
                self.manifest_path, Phrase(N_("the store's manifest is missing"))
            ) from None
        except OSError as exc:
            raise os_problem(self.manifest_path, exc, "read") from None
        stamp = (st.st_ino, st.st_size, st.st_mtime_ns)
        if stamp == self._stamp:
            return False
        manifest = self._load_manifest()
        self.mode = st.st_mode & 0o7777
        self._adopt(manifest)
        self._stamp = stamp
        return True

    def manifest_bytes(self) -> bytes:
        """The committed manifest as it is on disk now, checked like any manifest read."""
        raw = self._read_manifest()
        self._parse_manifest(raw)
        return raw

    def _read_manifest(self) -> bytes:
        try:
            return self.manifest_path.read_bytes()
        except OSError as exc:
            raise os_problem(self.manifest_path, exc, "read") from None

    def _load_manifest(self) -> dict[str, Any]:
        return self._parse_manifest(self._read_manifest())

    def _parse_manifest(self, raw: bytes) -> dict[str, Any]:
        try:
            manifest = orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise StoreError(
                self.manifest_path, Phrase(N_("is not valid JSON (truncated or damaged)"))
            ) from None
        if not isinstance(manifest, dict) or manifest.get("format") != "vaccinnet-store":
            raise StoreError(self.manifest_path, Phrase(N_("is not a vaccinnet store manifest")))
        schema = manifest.get("schema")
        if not isinstance(schema, int) or schema > SCHEMA_VERSION:
            raise StoreError(
                self.manifest_path,
                Phrase(
                    N_(
                        "was written by a newer version (schema {schema}, this program reads up "
                        "to {supported}); upgrade the program"
                    ),
                    schema=schema,
                    supported=SCHEMA_VERSION,
                ),
            )
        problems = manifest_problems(manifest, self._checked)
        if problems:
            raise StoreError(self.manifest_path, _damaged(problems))
        return manifest

    def _adopt(self, manifest: dict[str, Any]) -> None:
        self._checked = manifest
        # Keep every cached segment whose file is still the current one; a table the commit
        # did not write is kept whole without looking at its entries.
        before, after = self.manifest["tables"], manifest["tables"]
        changed = {t for t in before.keys() | after.keys() if before.get(t) != after.get(t)}
        if changed:
            self._segments = {
                key: segment
                for key, segment in self._segments.items()
                if key[0] not in changed
                or after.get(key[0], {}).get("segments", {}).get(str(key[1])) == segment.filename
            }
        self.manifest = manifest

    def forget_cache(self) -> None:
        """Read every segment from disk again (a verification must see what is on disk)."""
        self._segments.clear()

    def preload(self, tables: Collection[str]) -> None:
        """Segments are read whole and indexed as they are: nothing to do ahead."""

    def _segment_names(self, table: str) -> dict[int, str]:
        info = self.manifest["tables"].get(table)
        if not info:
            return {}
        return {int(seg): name for seg, name in info.get("segments", {}).items()}

    def segment(self, table: str, seg: int) -> Segment | None:
        cached = self._segments.get((table, seg))
        if cached is not None:
            return cached
        name = self._segment_names(table).get(seg)
        if name is None:
            return None
        path = self.root / name
        docs = read_segment(path, table)
        segment = Segment(name, docs)
        self._segments[(table, seg)] = segment
        return segment

    def segments(self, table: str) -> Iterator[Segment]:
        for seg in sorted(self._segment_names(table)):
            segment = self.segment(table, seg)
            if segment is not None:
                yield segment

    # ----- where a document is ------------------------------------------------------------

    def placement(self, table: str) -> tuple[int, str] | None:
        """(buckets, field) of a table placed by a field; None for a table placed by id."""
        info = self.manifest["tables"].get(table)
        if not info or info.get("buckets") is None:
            return None
        return int(info["buckets"]), str(info["by"])

    def _where(self, table: str, doc_id: int) -> int | None:
        """The segment that holds a committed document: by id, or as the locator says."""
        placed = self.placement(table)
        if placed is None:
            return (doc_id - 1) // SEGMENT_SIZE
        located = self._committed(table + WHERE, doc_id)
        seg = located.get("segment") if located is not None else None
        if isinstance(seg, int) and not isinstance(seg, bool) and 0 <= seg < placed[0]:
            return seg
        return None

    def _committed(self, table: str, doc_id: int) -> Doc | None:
        seg = self._where(table, doc_id)
        segment = self.segment(table, seg) if seg is not None else None
        return segment.docs.get(doc_id) if segment else None

    def _committed_items(self, table: str) -> Iterator[tuple[int, Doc]]:
        if self.placement(table) is None:
            for segment in self.segments(table):
                yield from segment.docs.items()
            return
        # Each bucket is in id order; merged, the table is too.
        buckets = [iter(segment.docs.items()) for segment in self.segments(table)]
        yield from heapq.merge(*buckets, key=lambda item: item[0])

    def newest_first(self, table: str) -> Iterator[tuple[int, Doc]]:
        """Committed documents, highest id first, loading segments only as far as read."""
        if self.placement(table) is not None:
            yield from sorted(self._committed_items(table), reverse=True, key=lambda i: i[0])
            return
        for seg in sorted(self._segment_names(table), reverse=True):
            segment = self.segment(table, seg)
            if segment is not None:
                yield from sorted(segment.docs.items(), reverse=True)

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
        """Committed documents whose ``key(doc) == value``, in id order (``limit``: the
        caller keeps that many; a segment's index gives them all at no cost).

        ``home``: the value of the placing field every such document has (the entity of
        an index by entity): in a placed table, only that bucket is read. ``committed``:
        the caller knows it reads the committed state even though this transaction wrote
        the table (and adds the changes itself).
        """
        if self.written(table) and not committed:
            raise RuntimeError(f"index read on {table} after writing it in this transaction")
        return self._find(table, index, key, value, home)

    def _find(
        self, table: str, index: str, key: KeyFn, value: Hashable, home: object
    ) -> list[tuple[int, Doc]]:
        placed = self.placement(table)
        if placed is not None and home is not None:
            segment = self.segment(table, bucket(home, placed[0]))
            if segment is None:
                return []
            return [
                (doc_id, segment.docs[doc_id])
                for doc_id in segment.index(index, key).get(value, ())
            ]
        found: list[tuple[int, Doc]] = []
        for segment in self.segments(table):
            found.extend((i, segment.docs[i]) for i in segment.index(index, key).get(value, ()))
        return sorted(found, key=lambda item: item[0]) if placed is not None else found

    def derived_ids(self, table: str, name: str, value: str) -> list[int] | None:
        """The ids listed under ``name`` in ``table``'s document for ``value`` (a person's
        links, say); None when the store has no such table yet (read the sources)."""
        spec = next((d for d in self.layout.derived if d.table == table), None)
        if spec is None or self.placement(table) is None:
            return None
        found = self._find(table, spec.field, field_key(spec.field), value, value)
        listed = found[0][1].get(name) if found else []
        if not isinstance(listed, list):
            return []
        return [i for i in listed if isinstance(i, int) and not isinstance(i, bool)]

    def count(self, table: str) -> int:
        return sum(len(segment.docs) for segment in self.segments(table))

    def _committed_next_id(self, table: str) -> int:
        return int(self.manifest["tables"].get(table, {}).get("next_id", 1))

    def touched_since(self, generation: int, scope: str) -> bool | None:
        """Whether a commit after ``generation`` touched ``scope``; None when the manifest
        no longer remembers every commit since (or never did): the caller reads again."""
        changes = self._changes_after(generation)
        if changes is None:
            return None
        return any(scope in change[1] or ALL_SCOPES in change[1] for change in changes)

    def scopes_since(self, generation: int) -> set[str] | None:
        """Every scope a commit after ``generation`` touched; None when unknown or "all"."""
        changes = self._changes_after(generation)
        if changes is None:
            return None
        touched = {str(scope) for change in changes for scope in change[1]}
        return None if ALL_SCOPES in touched else touched

    def tables_touched_since(self, generation: int, tables: Collection[str]) -> bool | None:
        """Whether a commit after ``generation`` wrote one of ``tables``; None when unknown."""
        changes = self._changes_after(generation)
        if changes is None:
            return None
        return any(set(change[2]) & set(tables) for change in changes)

    def _changes_after(self, generation: int) -> list[list[Any]] | None:
        """The manifest's entries for the commits after ``generation``, each [generation,
        scopes, tables]; None when it does not remember all of them."""
        if generation == self.manifest["generation"]:
            return []
        changes = self.manifest.get("changes")
        if not isinstance(changes, list) or not changes:
            return None
        try:
            if int(changes[0][0]) > generation + 1:
                return None
            after = [change for change in changes if int(change[0]) > generation]
            if not all(
                isinstance(change[1], list) and isinstance(change[2], list) for change in after
            ):
                return None
        except (TypeError, ValueError, IndexError):
            return None  # a hand-edited list, or one from before the tables were listed
        return after

    def _committed_meta(self) -> dict[str, Any]:
        return dict(self.manifest.get("meta", {}))

    # ----- one transaction -----------------------------------------------------------------

    def commit(self, replaced: list[str] | None = None) -> None:
        """Write changed segments, then switch to them with one atomic manifest replace.

        The superseded files stay: a reader of the previous generation may still open them.
        ``sweep`` removes them once no reader can (the engine decides when).

        ``replaced``: a conversion (``relayout``) that rewrote whole tables, whose old files
        these are: it is committed even when the store is empty, and it keeps no log of what
        it rewrites (it writes the logs itself, in the order things were closed).
        """
        tx, meta = self._take()
        if not tx and not meta and replaced is None:
            return
        # The mode is read now, not cached: an operator's chmod changes no stamp field.
        try:
            self.mode = os.stat(self.manifest_path).st_mode & 0o7777
        except OSError as exc:
            raise os_problem(self.manifest_path, exc, "read") from None
        generation = int(self.manifest["generation"]) + 1
        manifest = {**self.manifest, "generation": generation}
        manifest["tables"] = {name: dict(info) for name, info in self.manifest["tables"].items()}
        manifest["meta"] = {**self.manifest.get("meta", {}), **meta}
        new_segments: dict[tuple[str, int], Segment | None] = {}
        superseded: list[str] = []
        touched: set[str] = set()
        try:
            self._derive(tx)
            self._mirror(tx)
            if replaced is None and self.keep_logs:
                self._log(tx)
            moves = self._place(tx)
            self._write_segments(tx, moves, manifest, generation, new_segments, superseded, touched)
            kept = self.manifest.get("changes")
            kept = kept[-(CHANGES_KEPT - 1) :] if isinstance(kept, list) else []
            tables = sorted(table for table, changes in tx.items() if changes)
            # A commit that touches many scopes (an import) says "all": the manifest, read
            # by every session at every commit, stays small.
            scopes = sorted(touched) if len(touched) <= SCOPES_LISTED else [ALL_SCOPES]
            manifest["changes"] = [*kept, [generation, scopes, tables]]
            # Named until removed, so that a segment that emptied is known to be garbage too.
            retired = [n for n in self.manifest.get("retired", []) if (self.root / n).exists()]
            manifest["retired"] = sorted({*retired, *superseded, *(replaced or [])})
            self._write_manifest(manifest)
        except BaseException:
            # Nothing is committed: what this commit wrote is its own garbage.
            for segment in new_segments.values():
                if segment is None:
                    continue
                with contextlib.suppress(OSError):
                    (self.root / segment.filename).unlink()
            raise
        # Only now is the new state committed; the old files are garbage.
        for key, segment in new_segments.items():
            if segment is None:
                self._segments.pop(key, None)
            else:
                self._segments[key] = segment
        self._settle()

    def _derive(self, tx: dict[str, dict[int, Doc | None]]) -> None:
        """Bring the derived tables (the index of people) up to date with this transaction."""
        for spec in self.layout.derived:
            if self.placement(spec.table) is None:
                continue  # a store of the old layout, read as it is until converted
            moves: dict[str, dict[str, tuple[set[int], set[int]]]] = {}
            for source, field_name, name in spec.sources:
                for doc_id, doc in tx.get(source, {}).items():
                    old = self._committed(source, doc_id)
                    before = old.get(field_name) if old is not None else None
                    after = doc.get(field_name) if doc is not None else None
                    if before == after:
                        continue
                    if isinstance(before, str):
                        moves.setdefault(before, {}).setdefault(name, (set(), set()))[1].add(doc_id)
                    if isinstance(after, str):
                        moves.setdefault(after, {}).setdefault(name, (set(), set()))[0].add(doc_id)
            if not moves:
                continue
            changes = tx.setdefault(spec.table, {})
            next_id = self._free_id(spec.table, changes)
            key = field_key(spec.field)
            names = [name for _, _, name in spec.sources]
            for value, lists in moves.items():
                found = self._find(spec.table, spec.field, key, value, value)
                entry: int | None = found[0][0] if found else None
                updated: Doc = dict(found[0][1]) if found else {spec.field: value}
                for name, (added, removed) in lists.items():
                    listed = updated.get(name)
                    current = set(listed) if isinstance(listed, list) else set()
                    updated[name] = sorted((current | added) - removed)
                empty = not any(updated.get(name) for name in names)
                if entry is None:
                    if empty:
                        continue
                    entry, next_id = next_id, next_id + 1
                changes[entry] = None if empty else updated

    def _mirror(self, tx: dict[str, dict[int, Doc | None]]) -> None:
        """Bring the mirrors (the queue of pending requests) up to date with this transaction."""
        for spec in self.layout.mirrors:
            changes = tx.get(spec.source)
            if not changes or spec.table not in self.manifest["tables"]:
                continue
            mirrored = tx.setdefault(spec.table, {})
            for doc_id, doc in changes.items():
                if doc is not None and doc.get(spec.field) in spec.values:
                    mirrored[doc_id] = doc
                elif self._committed(spec.table, doc_id) is not None:
                    mirrored[doc_id] = None

    def _log(self, tx: dict[str, dict[int, Doc | None]]) -> None:
        """Append to the logs (History) what this transaction closed."""
        for spec in self.layout.logs:
            changes = tx.get(spec.source)
            if not changes or spec.table not in self.manifest["tables"]:
                continue
            closed = []
            for doc_id, doc in sorted(changes.items()):
                if doc is None or doc.get(spec.field) == spec.open_value:
                    continue
                old = self._committed(spec.source, doc_id)
                if old is None or old.get(spec.field) == spec.open_value:
                    closed.append(doc)
            if closed:
                logged = tx.setdefault(spec.table, {})
                next_id = self._free_id(spec.table, logged)
                for offset, doc in enumerate(closed):
                    logged[next_id + offset] = doc

    def _free_id(self, table: str, changes: dict[int, Doc | None]) -> int:
        """The first id free in ``table`` while committing (``next_id`` reads the open
        transaction, closed by then), past the ids this commit already handed out."""
        info = self.manifest["tables"].get(table, {})
        return max([int(info.get("next_id", 1)), *(i + 1 for i in changes)])

    def has_table(self, table: str) -> bool:
        return table in self.manifest["tables"]

    def _place(
        self, tx: dict[str, dict[int, Doc | None]]
    ) -> dict[str, dict[int, tuple[int | None, int | None]]]:
        """(segment before, segment after) of each document a placed table changes, and
        the locator entries that follow from it."""
        moves: dict[str, dict[int, tuple[int | None, int | None]]] = {}
        for table in list(tx):
            placed = self.placement(table)
            if placed is None or not tx[table]:
                continue
            moved = moves[table] = {}
            where = tx.setdefault(table + WHERE, {})
            for doc_id, doc in tx[table].items():
                before = self._where(table, doc_id)
                if before is not None and self._committed(table, doc_id) is None:
                    before = None  # the locator names a bucket that does not hold it
                after = bucket(doc.get(placed[1]), placed[0]) if doc is not None else None
                moved[doc_id] = (before, after)
                if before != after:
                    where[doc_id] = None if after is None else {"segment": after}
        return moves

    def _write_segments(
        self,
        tx: dict[str, dict[int, Doc | None]],
        moves: dict[str, dict[int, tuple[int | None, int | None]]],
        manifest: dict[str, Any],
        generation: int,
        new_segments: dict[tuple[str, int], Segment | None],
        superseded: list[str],
        touched: set[str],
    ) -> None:
        for table, changes in tx.items():
            if not changes:
                continue
            info = manifest["tables"].setdefault(table, {"next_id": 1, "segments": {}})
            info["segments"] = dict(info.get("segments", {}))
            by_segment: dict[int, dict[int, Doc | None]] = {}
            moved = moves.get(table)
            for doc_id, doc in changes.items():
                if moved is None:
                    by_segment.setdefault((doc_id - 1) // SEGMENT_SIZE, {})[doc_id] = doc
                    continue
                before, after = moved[doc_id]
                if before is not None and before != after:
                    by_segment.setdefault(before, {})[doc_id] = _DELETED
                if after is not None:
                    by_segment.setdefault(after, {})[doc_id] = doc
            for seg, ops in by_segment.items():
                old = self.segment(table, seg)
                docs = dict(old.docs) if old else {}
                for doc_id, doc in ops.items():
                    if self.scope is not None:
                        # Before and after: a document that moves touches both scopes.
                        for version in (docs.get(doc_id), doc):
                            if isinstance(version, dict):
                                touched.update(self.scope(table, version))
                    if doc is None:
                        docs.pop(doc_id, None)
                    else:
                        docs[doc_id] = doc
                if old:
                    superseded.append(old.filename)
                if not docs:
                    info["segments"].pop(str(seg), None)
                    new_segments[(table, seg)] = None  # emptied: forget the cached copy
                    continue
                name = f"{table}.{seg:05d}.{generation}.json"
                ordered = dict(sorted(docs.items()))
                payload = orjson.dumps({table: ordered}, option=orjson.OPT_NON_STR_KEYS)
                new_segments[(table, seg)] = Segment(name, ordered)
                write_file(self.root / name, payload, self.mode)
                info["segments"][str(seg)] = name
            info["next_id"] = max(int(info.get("next_id", 1)), max(changes) + 1)

    def _write_manifest(self, manifest: dict[str, Any]) -> None:
        tmp = self.root / f"{MANIFEST}.tmp.{os.getpid()}"
        write_file(tmp, orjson.dumps(manifest, option=orjson.OPT_INDENT_2), self.mode)
        try:
            os.replace(tmp, self.manifest_path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise os_problem(self.manifest_path, exc, "replaced") from None
        # Committed: whatever happens next, this process must see its own commit.
        self.manifest = manifest
        self._stamp = None

    def _settle(self) -> None:
        """Make the committed manifest durable, and remember which file this process wrote."""
        try:
            _fsync_dir(self.root)
            st = os.stat(self.manifest_path)
        except OSError as exc:
            raise os_problem(self.root, exc, "synced") from None
        self._stamp = (st.st_ino, st.st_size, st.st_mtime_ns)

    def create(self, mode: int = 0o600, meta: dict[str, Any] | None = None) -> None:
        """Write the first, empty manifest of a new store, its placed tables declared."""
        self.mode = mode
        manifest = empty_manifest()
        manifest["meta"] = {**manifest.get("meta", {}), **(meta or {})}
        manifest["tables"] = {
            table: {"next_id": 1, "segments": {}, "buckets": self.layout.buckets, "by": by}
            for table, by in self.layout.homes.items()
        }
        for kept in [m.table for m in self.layout.mirrors] + [g.table for g in self.layout.logs]:
            manifest["tables"][kept] = {"next_id": 1, "segments": {}}
        self._write_manifest(manifest)
        self._settle()

    def needs_relayout(self) -> bool:
        """Whether the store predates the layout (schema 1): ``relayout`` converts it."""
        # Only the schema says so: a newer manifest without a placed table is damaged, and
        # converting it would build the indexes without the documents it lost.
        return int(self.manifest["schema"]) < SCHEMA_VERSION and bool(self.layout.homes)

    def relayout(self, rebuild: bool = False) -> None:
        """Convert the store to the layout in one commit: every document of the placed
        tables is written to its bucket, with the locators and the derived tables.
        ``rebuild``: every placed table, even in the layout already (the indexes are out
        of step with the documents, as `check` says).

        The caller holds the lock. Until the manifest is replaced, the store is the old one
        as it was: a crash leaves only files of an uncommitted generation (garbage).
        """
        before = self.manifest
        todo = [t for t in self.layout.homes if rebuild or self.placement(t) is None]
        for spec in self.layout.derived:
            if spec.table in todo:
                # Built from scratch: every source document is written again, as new.
                todo += [source for source, _, _ in spec.sources if source not in todo]
        mirrors = [m for m in self.layout.mirrors if rebuild or m.table not in before["tables"]]
        logs = [g for g in self.layout.logs if rebuild or g.table not in before["tables"]]
        docs = {table: list(self.items(table)) for table in todo}
        # A log is made from what its source closed, in the order it was closed as far as
        # the documents tell (their ``decided_at``), then by id.
        closed = {
            g.table: sorted(
                (
                    doc
                    for _, doc in (docs[g.source] if g.source in docs else self.items(g.source))
                    if doc.get(g.field) != g.open_value
                ),
                key=lambda doc: (str(doc.get("decided_at") or ""), str(doc.get("id") or "")),
            )
            for g in logs
        }
        # A mirror is made from its source as it is (the mails stay where they are).
        mirrored = {
            m.table: [
                (doc_id, doc)
                for doc_id, doc in (docs[m.source] if m.source in docs else self.items(m.source))
                if doc.get(m.field) in m.values
            ]
            for m in mirrors
        }
        derived = {spec.table for spec in self.layout.derived}
        dropped = [
            *todo,
            *(table + WHERE for table in todo),
            *(m.table for m in mirrors),
            *(g.table for g in logs),
        ]
        retired = [
            name
            for table in dropped
            for name in before["tables"].get(table, {}).get("segments", {}).values()
        ]
        tables = {name: info for name, info in before["tables"].items() if name not in dropped}
        if rebuild:
            # Derived documents are made again from their sources, under new ids.
            docs = {t: [] if t in derived else found for t, found in docs.items()}
        for table in todo:
            next_id = before["tables"].get(table, {}).get("next_id", 1)
            by = self.layout.homes[table]
            tables[table] = {
                "next_id": next_id,
                "segments": {},
                "buckets": self.layout.buckets,
                "by": by,
            }
        for kept in [m.table for m in mirrors] + [g.table for g in logs]:
            tables[kept] = {"next_id": 1, "segments": {}}
        self.manifest = {**before, "schema": SCHEMA_VERSION, "tables": tables}
        self._segments = {key: seg for key, seg in self._segments.items() if key[0] not in dropped}
        try:
            self.begin()
            for table in todo:
                for doc_id, doc in docs[table]:
                    self.put(table, doc_id, doc)
            for table, copies in mirrored.items():
                for doc_id, doc in copies:
                    self.put(table, doc_id, doc)
            for table, entries in closed.items():
                for doc_id, doc in enumerate(entries, start=1):
                    self.put(table, doc_id, doc)
            self.commit(replaced=retired)
        except BaseException:
            self.abort()
            self.manifest = before
            self._segments.clear()
            raise

    def leftovers(self) -> tuple[list[str], list[str]]:
        """The files of this directory that the manifest does not name: (garbage, unexplained).

        Garbage is only what can be proved to be: a temporary manifest, a segment newer than
        the committed generation or than the file the manifest names for it (a writer killed
        before its commit point), and a file the manifest lists as retired (superseded by a
        commit, kept while readers may still open it). Anything else may be real data: an
        older generation of a named segment is garbage only once a commit retired it, because
        a writer working from a damaged manifest can name a new file for a segment whose real
        file the manifest had lost.
        """
        named: dict[tuple[str, int], int] = {}
        for info in self.manifest["tables"].values():
            for name in info.get("segments", {}).values():
                parsed = segment_file(name)
                if parsed is not None:
                    named[parsed[:2]] = parsed[2]
        committed = int(self.manifest["generation"])
        retired = set(self.manifest.get("retired", []))
        garbage, unexplained = [], []
        for name in sorted(os.listdir(self.root)):
            parsed = segment_file(name)
            if name.startswith(f"{MANIFEST}.tmp."):
                garbage.append(name)
            elif parsed is None or named.get(parsed[:2]) == parsed[2]:
                continue
            elif name in retired or parsed[2] > named.get(parsed[:2], committed):
                garbage.append(name)
            elif parsed[:2] in named and "retired" not in self.manifest:
                garbage.append(name)  # a store older than the list: superseded, as it was then
            else:
                unexplained.append(name)
        return garbage, unexplained

    def sweep_retired(self) -> list[str]:
        """Remove the files the manifest lists as retired, never one it names as current;
        only a writer calls this, holding the lock, once ``sweep`` went over the directory."""
        named = {
            name for info in self.manifest["tables"].values() for name in info["segments"].values()
        }
        removed = []
        for name in self.manifest.get("retired", []):
            if name in named:
                continue
            with contextlib.suppress(OSError):
                (self.root / name).unlink()
                removed.append(name)
        return removed

    def sweep(self) -> list[str]:
        """Remove provable garbage; only a writer calls this, holding the lock.

        Nothing is removed unless every file the manifest names is there: a damaged manifest
        makes real data look like garbage.
        """
        try:
            present = set(os.listdir(self.root))
        except OSError:
            return []
        for info in self.manifest["tables"].values():
            if not set(info.get("segments", {}).values()) <= present:
                return []
        removed = []
        for name in self.leftovers()[0]:
            with contextlib.suppress(OSError):
                (self.root / name).unlink()
                removed.append(name)
        return removed


def read_segment(path: Path, table: str) -> dict[int, Doc]:
    """The documents of one segment file, each an object; a StoreError names what is wrong."""
    try:
        raw = orjson.loads(path.read_bytes())
    except FileNotFoundError:
        raise StoreError(path, Phrase(N_("is listed in the manifest but missing"))) from None
    except OSError as exc:
        raise os_problem(path, exc, "read") from None
    except orjson.JSONDecodeError:
        raise StoreError(
            path, Phrase(N_("is not valid store data (truncated or damaged)"))
        ) from None
    docs = raw.get(table) if isinstance(raw, dict) else None
    if not isinstance(docs, dict):
        raise StoreError(
            path, Phrase(N_("is not valid store data (no table {table} in it)"), table=repr(table))
        )
    parsed: dict[int, Doc] = {}
    for key, doc in docs.items():
        if not (key.isascii() and key.isdigit()):
            raise StoreError(
                path, Phrase(N_("is not valid store data (document id {key})"), key=repr(key))
            )
        if not isinstance(doc, dict):
            raise StoreError(
                path,
                Phrase(N_("document {key} is {kind}, not an object"), key=key, kind=_kind(doc)),
            )
        parsed[int(key)] = doc
    return _in_id_order(parsed)
