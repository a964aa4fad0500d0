"""The embedded backend: segment files in one data directory, under flock and a readers' lock."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rules.phrase import N_, Phrase
from store.backend import Hooks
from store.changes import ChangeSource, ManifestChanges
from store.errors import StoreError, os_problem
from store.lock import DirectoryLock, ReadersLock
from store.segments import Layout, ScopeFn, SegmentFiles


class FileBackend:
    """One data directory shared by many processes: writers take the directory's flock,
    readers share a lock file that keeps the files of their snapshot on disk."""

    kind = "files"

    def __init__(self, root: Path, scope: ScopeFn, layout: Layout, lock_timeout: float) -> None:
        self.root = root
        self.location = str(root)
        self.documents = SegmentFiles(root, scope, layout)
        self._mutex = threading.RLock()
        self._lock = DirectoryLock(root, lock_timeout)
        self._readers = ReadersLock(root, lock_timeout)
        self._reads = 0  # depth of the read blocks under way in this process
        self._swept = False

    @property
    def writable(self) -> bool:
        return os.access(self.root, os.W_OK)

    def change_source(self) -> ChangeSource:
        return ManifestChanges(self.root)

    @property
    def incident_dir(self) -> Path | None:
        return self.root

    def close(self) -> None:
        """Nothing is held between calls: the locks are taken per block."""

    # ----- locking and transactions --------------------------------------------------------

    @contextmanager
    def held(self, hooks: Hooks) -> Iterator[None]:
        """The writers' lock, without a transaction (a conversion of the whole store)."""
        with self._mutex:
            self._lock.acquire(hooks.interrupted, hooks.waiting)
            try:
                yield
            finally:
                self._lock.release()

    @contextmanager
    def _locked(self, hooks: Hooks) -> Iterator[None]:
        with self.held(hooks):
            if self.documents.refresh():
                hooks.forget()
            yield

    @contextmanager
    def reading(self, hooks: Hooks) -> Iterator[None]:
        """A consistent view: the block reads one committed generation of the store.

        Without the writers' lock: the manifest is read once, at the start, and the files it
        names stay on disk while the block runs (ReadersLock), however many commits other
        processes make meanwhile. A block inside a write, or inside another read, reads what
        the outer block read.
        """
        files = self.documents
        with self._mutex:
            if self._reads or self._lock.still_held():
                self._reads += 1
                try:
                    yield
                finally:
                    self._reads -= 1
                return
            with self._readers.shared(files.mode, hooks.interrupted, hooks.waiting) as shared:
                if not shared:
                    # No lock file to share (a read-only directory): hold the writers back.
                    with self._locked(hooks):
                        yield
                    return
                self._reads = 1
                try:
                    if files.refresh():
                        hooks.forget()
                    yield
                finally:
                    self._reads = 0

    @contextmanager
    def writing(self, hooks: Hooks, before_commit: Callable[[], None]) -> Iterator[None]:
        """One transaction under the writers' lock; ``before_commit`` runs after the block,
        inside the transaction (what the commit keeps beside the block's writes)."""
        files = self.documents
        with self._locked(hooks):
            if files.in_transaction():
                raise RuntimeError("nested write transactions are not supported")
            if not self._swept:
                # What a killed writer left, judged against the generation it did not commit;
                # once per process is enough (after our own commit a new segment it wrote
                # would share the committed generation and look like data).
                self._swept = self._sweep()
            files.begin()
            try:
                yield
                before_commit()
                files.commit()
            except BaseException:
                files.abort()
                hooks.forget()
                raise
            self._sweep(retired_only=True)

    def _sweep(self, retired_only: bool = False) -> bool:
        """Remove superseded files and what a killed writer left, unless a reader may still
        open them: then a later commit removes them. True when it could.

        ``retired_only``: after this process's own commit, once the directory was swept, only
        the files the manifest lists as retired can be new garbage; listing a directory of
        2,000 files at every commit cost a filing 7 ms at Flanders scale."""
        files = self.documents
        with self._readers.alone(files.mode) as alone:
            if alone:
                if retired_only and self._swept:
                    files.sweep_retired()
                else:
                    files.sweep()
            return alone

    def open_or_create(self, hooks: Hooks, meta: dict[str, Any]) -> None:
        """Read the manifest, or write the first one; never removes or rewrites a file."""
        files = self.documents
        with self.held(hooks):
            if not files.exists():
                try:
                    stray = [p.name for p in self.root.iterdir() if p.suffix == ".json"]
                except OSError as exc:
                    raise os_problem(self.root, exc, "listed") from None
                if stray:
                    # Never start afresh over data that lost its manifest.
                    raise StoreError(
                        files.manifest_path,
                        Phrase(
                            N_(
                                "is missing but data files are present ({count}); restore it "
                                "from a backup"
                            ),
                            count=len(stray),
                        ),
                    )
                files.create(meta=meta)
            files.refresh()
            if files.needs_relayout() and self.writable:
                # A store of the old layout is converted once, by the first program that
                # opens it and may write; one that may not reads it as it is.
                self.relayout(hooks)

    def relayout(self, hooks: Hooks, rebuild: bool = False) -> None:
        """Rewrite the placed tables in one commit (``SegmentFiles.relayout``); the caller
        holds the writers' lock. What a killed writer left goes first, judged against the
        generation it did not commit; the files the conversion replaced go after it."""
        self._swept = self._sweep()
        try:
            self.documents.relayout(rebuild)
        finally:
            hooks.forget()
        self._sweep(retired_only=True)

    def reindex(self, hooks: Hooks) -> None:
        with self.held(hooks):
            self.documents.refresh()
            self.documents.forget_cache()
            self.relayout(hooks, rebuild=True)
