"""TinyDB glue: tables whose documents live in SegmentFiles instead of one JSON file."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from store.segments import Doc, SegmentFiles


class SegmentStorage(Storage):
    """TinyDB's storage interface over SegmentFiles (whole-database reads are for debugging)."""

    def __init__(self, files: SegmentFiles) -> None:
        self.files = files

    def read(self) -> dict[str, dict[str, Any]] | None:
        return {
            table: {str(doc_id): doc for doc_id, doc in self.files.items(table)}
            for table in self.files.manifest["tables"]
        }

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        # Tables write through SegmentTable._update_table; rewriting everything at once
        # is exactly what this storage exists to avoid.
        raise NotImplementedError("whole-database writes are not supported")


class _ReadView(Mapping[str, Doc]):
    """What TinyDB's read paths expect from ``_read_table``: string ids to documents."""

    def __init__(self, files: SegmentFiles, table: str) -> None:
        self._files, self._table = files, table

    def __getitem__(self, key: str) -> Doc:
        doc = self._files.get(self._table, int(key))
        if doc is None:
            raise KeyError(key)
        return doc

    def get(self, key: Any, default: Any = None) -> Any:
        doc = self._files.get(self._table, int(key))
        return default if doc is None else doc

    def __iter__(self) -> Iterator[str]:
        return (str(doc_id) for doc_id, _ in self._files.items(self._table))

    # A generator rather than an ItemsView: TinyDB only iterates it.
    def items(self) -> Iterator[tuple[str, Doc]]:  # type: ignore[override]
        return ((str(doc_id), doc) for doc_id, doc in self._files.items(self._table))

    def __len__(self) -> int:
        return sum(1 for _ in self._files.items(self._table))


class _WriteView(MutableMapping[int, Doc]):
    """What TinyDB's updaters expect: int ids; every change goes into the open transaction."""

    def __init__(self, files: SegmentFiles, table: str) -> None:
        self._files, self._table = files, table

    def __getitem__(self, doc_id: int) -> Doc:
        doc = self._files.get(self._table, doc_id)
        if doc is None:
            raise KeyError(doc_id)
        # Copy on write: TinyDB updates documents in place, and the committed
        # copy must stay untouched if the transaction is abandoned.
        copy = dict(doc)
        self._files.put(self._table, doc_id, copy)
        return copy

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, int) and self._files.get(self._table, doc_id) is not None

    def __setitem__(self, doc_id: int, doc: Doc) -> None:
        self._files.put(self._table, doc_id, dict(doc))

    def __delitem__(self, doc_id: int) -> None:
        if doc_id not in self:
            raise KeyError(doc_id)
        self._files.delete(self._table, doc_id)

    def __iter__(self) -> Iterator[int]:
        return (doc_id for doc_id, _ in list(self._files.items(self._table)))

    def __len__(self) -> int:
        return sum(1 for _ in self._files.items(self._table))


class SegmentTable(Table):
    """A TinyDB table whose updates touch only the documents they change."""

    # TinyDB annotates these two hooks with plain dicts. The views behave as the dicts it
    # reads and updates (tests/functional/test_tinydb_contract.py) without loading every
    # document, hence the two ignores.
    def _read_table(self) -> Mapping[str, Doc]:  # type: ignore[override]
        return _ReadView(self._segment_files(), self.name)

    def _update_table(self, updater: Callable[[dict[int, Mapping[Any, Any]]], None]) -> None:
        updater(_WriteView(self._segment_files(), self.name))  # type: ignore[arg-type]
        self.clear_cache()

    def _segment_files(self) -> SegmentFiles:
        storage = self._storage
        assert isinstance(storage, SegmentStorage)
        return storage.files

    def forget(self) -> None:
        """Another process committed: cached query results and the next id are stale."""
        self.clear_cache()
        self._next_id = None


class SegmentDB(TinyDB):
    table_class = SegmentTable
    # TinyDB's annotation names JSONStorage, yet any Storage is accepted (its own tests use
    # MemoryStorage); the contract test pins what this relies on.
    default_storage_class = SegmentStorage  # type: ignore[assignment]
