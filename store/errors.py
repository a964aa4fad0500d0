"""Errors of the store itself (as opposed to rule refusals): unreadable files, busy lock."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """The store cannot be used as it is; the program must stop and leave the files alone."""

    exit_status = 2

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class StoreBusy(StoreError):
    """Another session held the lock for too long."""


class StoreInterrupted(StoreError):
    """The caller gave up waiting for the lock (a console that is closing)."""


def os_problem(path: Path | str, exc: OSError, doing: str) -> StoreError:
    """A failure of the machine (full disk, no permission, read-only) as a StoreError."""
    where = exc.filename if exc.filename is not None else path
    return StoreError(where, f"cannot be {doing} ({exc.strerror or exc})")
