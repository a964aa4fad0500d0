"""Whether the store changed, asked often and cheaply: without its lock, without reading it."""

from __future__ import annotations

import os
from collections.abc import Hashable
from pathlib import Path
from typing import Protocol

from store.segments import MANIFEST


class ChangeSource(Protocol):
    """Tells that the store may have changed: ``token()`` differs after every commit.

    Consoles ask it every poll interval and reload, under the lock, only when it differs. It
    may also differ when nothing changed (a spurious reload is cheap); it must never stay the
    same across a commit, and it must not raise (a store it cannot see is a token too). A
    server backend can answer from its change notifications, without a round trip.
    """

    def token(self) -> Hashable: ...


class ManifestChanges:
    """Every commit replaces the manifest by a rename, so its stat changes; stat needs no lock."""

    def __init__(self, root: Path) -> None:
        self.path = root / MANIFEST

    def token(self) -> Hashable:
        try:
            st = os.stat(self.path)
        except OSError as exc:
            # Gone or unreadable is news too: the reload then says what is wrong.
            return ("unreadable", exc.errno)
        return (st.st_ino, st.st_size, st.st_mtime_ns)
