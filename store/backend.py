"""What a backend gives the store: documents, snapshots, transactions and news of changes.

The store's logic (load an entity's state, ask rules/, write, audit, outbox) is written once,
on ``Documents``; a backend keeps them (store/file_backend.py: segment files in a directory;
store/pg/: PostgreSQL) and says how a block reads one committed state and how a block's
writes become one commit.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterator, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol

from store.changes import ChangeSource

Doc = dict[str, Any]
KeyFn = Callable[[Doc], Hashable | None]


class Hooks(Protocol):
    """What the store tells its backend: when a wait should end, whom to tell of a long
    wait, and what to forget when another process committed."""

    interrupted: Callable[[], bool] | None
    waiting: Callable[[str], None] | None

    def forget(self) -> None: ...


class Documents(Protocol):
    """The documents of every table by id, as committed plus the open transaction's writes.

    ``manifest`` says ``generation`` (one more at every commit) and, under ``tables``, a
    value per table that changes whenever a commit writes it (what cached listings compare).
    """

    manifest: dict[str, Any]

    @property
    def meta(self) -> dict[str, Any]: ...

    def get(self, table: str, doc_id: int) -> Doc | None: ...

    def items(self, table: str) -> Iterator[tuple[int, Doc]]: ...

    def newest_first(self, table: str) -> Iterator[tuple[int, Doc]]: ...

    def find(
        self,
        table: str,
        index: str,
        key: KeyFn,
        value: Hashable,
        home: object = None,
        committed: bool = False,
        limit: int | None = None,
    ) -> list[tuple[int, Doc]]: ...

    def preload(self, tables: Collection[str]) -> None:
        """About to read most of ``tables`` (a review of everything): read them whole."""

    def derived_ids(self, table: str, name: str, value: str) -> list[int] | None: ...

    def has_table(self, table: str) -> bool: ...

    def count(self, table: str) -> int: ...

    def next_id(self, table: str) -> int: ...

    def touched_since(self, generation: int, scope: str) -> bool | None: ...

    def scopes_since(self, generation: int) -> set[str] | None: ...

    def tables_touched_since(self, generation: int, tables: Collection[str]) -> bool | None: ...

    def in_transaction(self) -> bool: ...

    def written(self, table: str) -> bool: ...

    def changes(self, table: str) -> Mapping[int, Doc | None]: ...

    def committed(self, table: str, doc_id: int) -> Doc | None: ...

    def put(self, table: str, doc_id: int, doc: Doc | None) -> None: ...

    def delete(self, table: str, doc_id: int) -> None: ...

    def set_meta(self, key: str, value: Any) -> None: ...

    def forget_cache(self) -> None: ...

    def refresh(self) -> bool: ...


class Backend(Protocol):
    """Where the documents live and how blocks of reads and writes are made safe."""

    kind: str  # "files" or "postgresql"
    location: str  # the directory or the URL without its password: for messages
    documents: Any  # a Documents; typed Any so each backend keeps its own extras

    @property
    def writable(self) -> bool: ...

    @property
    def incident_dir(self) -> Path | None: ...

    def change_source(self) -> ChangeSource: ...

    def open_or_create(self, hooks: Hooks, meta: dict[str, Any]) -> None: ...

    def reading(self, hooks: Hooks) -> AbstractContextManager[None]: ...

    def writing(
        self, hooks: Hooks, before_commit: Callable[[], None]
    ) -> AbstractContextManager[None]: ...

    def reindex(self, hooks: Hooks) -> None: ...

    def close(self) -> None: ...
