"""Maintenance: the store verified (files, audit chain, rules) and backed up while it runs."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path

import orjson

from rules.phrase import N_, Phrase
from store.audit import Anchor, ChainReport, Findings, verify_chain
from store.engine import Engine
from store.errors import StoreError, os_problem
from store.inspection import Problem, inspect
from store.layout import REVIEWS
from store.layout_check import out_of_date
from store.segments import MANIFEST, write_file


class Maintenance(Engine):
    def _verify_audit(self, anchors: Sequence[Anchor]) -> ChainReport:
        files = self._files
        # A file changed behind the store's back leaves the manifest alone: re-read it all.
        files.forget_cache()
        self._forget_queries()
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
            findings = inspect(self._files, self._audit_key, audit_anchors)
            # Reviewing decodes every pending request: only in a store without damage.
            damaged = any(getattr(problem, "damage", False) for problem in findings)
            if not damaged and (stale := self._reviews_out_of_step()):
                phrase = out_of_date(REVIEWS, stale)
                findings.append(Problem(phrase.msgid, damage=True, **phrase.values))
            return findings

    def reindex(self) -> None:
        """Write every placed table again, with the indexes the commit keeps (locators, the
        index of people, the mirrors, the log of decisions) made anew from the documents:
        what `check` asks for when they are out of step (a file edited or restored by hand).
        The documents themselves are unchanged."""
        self._backend.reindex(self)
        self._build_reviews(again=True)

    def backup(self, dest: Path) -> list[str]:
        """A consistent copy while sessions run and write: one committed generation, its
        manifest as read and the files it names (the readers' lock keeps them on disk).

        The copy is written to a directory beside ``dest`` and renamed to it only once every
        file is complete and durable: a failed backup leaves no ``dest`` at all.
        """
        dest = Path(dest)
        if self.root is None:
            raise StoreError(
                self.location,
                Phrase(N_("is a database: back it up with pg_dump, or with copy to a directory")),
            )
        if dest.resolve().is_relative_to(self.root.resolve()):
            raise StoreError(
                dest, Phrase(N_("is inside the data directory; back up somewhere else"))
            )
        if dest.is_symlink() or (dest.exists() and not dest.is_dir()):
            raise StoreError(dest, Phrase(N_("is not a directory; back up into a new directory")))
        if dest.exists() and any(dest.iterdir()):
            raise StoreError(dest, Phrase(N_("is not empty; back up into a new directory")))
        created = _private_dirs(dest.parent)
        partial = dest.parent / f".{dest.name}.partial-{os.getpid()}"
        try:
            try:
                partial.mkdir(mode=0o700)
                partial.chmod(0o700)  # whatever the umask
            except OSError as exc:
                raise os_problem(partial, exc, "created") from None
            with self.reading():
                # Writers go on meanwhile: copy one manifest as read, and the files it names
                # (the readers' lock keeps them on disk), never a newer manifest than its files.
                manifest = self._files.manifest_bytes()
                names = [
                    name
                    for info in orjson.loads(manifest)["tables"].values()
                    for name in info["segments"].values()
                ]
                for name in names:
                    try:
                        raw = (self.root / name).read_bytes()
                    except OSError as exc:
                        raise os_problem(self.root / name, exc, "read") from None
                    write_file(partial / name, raw, 0o600)
                write_file(partial / MANIFEST, manifest, 0o600)
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
