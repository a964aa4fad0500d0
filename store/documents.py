"""Documents as committed plus one open transaction's writes: what every backend shares."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

Doc = dict[str, Any]
_DELETED = None


class Transactional:
    """The open transaction of a backend's documents: its writes are kept here, by table and
    id (None: removed), until the backend commits them; reads see them over what is
    committed. A backend provides the committed side (``_committed``, ``_committed_items``,
    ``_committed_next_id``, ``_committed_meta``)."""

    def __init__(self) -> None:
        self._tx: dict[str, dict[int, Doc | None]] | None = None
        self._meta: dict[str, Any] = {}
        # Whether a commit appends what it closed to the logs (the History); a copy of a
        # whole store writes the logs it copies instead.
        self.keep_logs = True

    def _committed(self, table: str, doc_id: int) -> Doc | None:
        raise NotImplementedError

    def _committed_items(self, table: str) -> Iterator[tuple[int, Doc]]:
        raise NotImplementedError

    def _committed_next_id(self, table: str) -> int:
        raise NotImplementedError

    def _committed_meta(self) -> dict[str, Any]:
        raise NotImplementedError

    @property
    def meta(self) -> dict[str, Any]:
        return {**self._committed_meta(), **self._meta}

    def get(self, table: str, doc_id: int) -> Doc | None:
        if self._tx is not None and doc_id in self._tx.get(table, {}):
            return self._tx[table][doc_id]
        return self._committed(table, doc_id)

    def committed(self, table: str, doc_id: int) -> Doc | None:
        """A document as committed, whatever this transaction wrote."""
        return self._committed(table, doc_id)

    def items(self, table: str) -> Iterator[tuple[int, Doc]]:
        """Every document in id order, this transaction's changes included."""
        changes = self._tx.get(table, {}) if self._tx is not None else {}
        seen: set[int] = set()
        for doc_id, committed in self._committed_items(table):
            if doc_id not in changes:
                yield doc_id, committed
                continue
            seen.add(doc_id)
            changed = changes[doc_id]
            if changed is not None:  # None: removed in this transaction
                yield doc_id, changed
        for doc_id in sorted(set(changes) - seen):
            added = changes[doc_id]
            if added is not None:
                yield doc_id, added

    def next_id(self, table: str) -> int:
        pending = self._tx.get(table, {}) if self._tx is not None else {}
        return max([self._committed_next_id(table), *(doc_id + 1 for doc_id in pending)])

    def begin(self) -> None:
        if self._tx is not None:
            raise RuntimeError("a transaction is already open")
        self._tx = {}
        self._meta = {}

    def in_transaction(self) -> bool:
        return self._tx is not None

    def written(self, table: str) -> bool:
        """Whether this transaction changed ``table``."""
        return bool(self._tx and self._tx.get(table))

    def changes(self, table: str) -> Mapping[int, Doc | None]:
        """What this transaction wrote to ``table``, by id (None: removed)."""
        return MappingProxyType(self._tx.get(table, {}) if self._tx is not None else {})

    def put(self, table: str, doc_id: int, doc: Doc | None) -> None:
        if self._tx is None:
            raise RuntimeError("write outside a transaction")
        self._tx.setdefault(table, {})[doc_id] = doc

    def delete(self, table: str, doc_id: int) -> None:
        self.put(table, doc_id, _DELETED)

    def set_meta(self, key: str, value: Any) -> None:
        if self._tx is None:
            raise RuntimeError("write outside a transaction")
        self._meta[key] = value

    def abort(self) -> None:
        self._tx = None
        self._meta = {}

    def _take(self) -> tuple[dict[str, dict[int, Doc | None]], dict[str, Any]]:
        """The transaction's writes, which the commit now owns; the transaction is closed."""
        tx, meta = self._tx, self._meta
        self._tx, self._meta = None, {}
        return tx or {}, meta
