"""Errors of the store itself (as opposed to rule refusals): unreadable files, busy lock."""

from __future__ import annotations

from pathlib import Path

from rules.phrase import N_, Phrase


class StoreError(Exception):
    """The store cannot be used as it is; the program must stop and leave the files alone.

    ``path`` names the file (or what stands for it), ``problem`` says what is wrong: a Phrase,
    which the console and the command line say in the reader's language.
    """

    exit_status = 2

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = path if isinstance(path, str) else str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class StoreBusy(StoreError):
    """Another session held the lock for too long."""


class StoreInterrupted(StoreError):
    """The caller gave up waiting for the lock (a console that is closing)."""


# What was being done to the file, each a whole sentence for the translators.
_CANNOT_BE = {
    "read": N_("cannot be read ({problem})"),
    "written": N_("cannot be written ({problem})"),
    "created": N_("cannot be created ({problem})"),
    "listed": N_("cannot be listed ({problem})"),
    "replaced": N_("cannot be replaced ({problem})"),
    "synced": N_("cannot be synced ({problem}); the last change may not survive a crash"),
}


def os_problem(path: Path | str, exc: OSError, doing: str) -> StoreError:
    """A failure of the machine (full disk, no permission, read-only) as a StoreError."""
    where = exc.filename if exc.filename is not None else path
    return StoreError(where, Phrase(_CANNOT_BE[doing], problem=exc))


class StoreUnreachable(StoreBusy):
    """The database cannot be reached (stopped, failing over, the network): transient."""


class StoreConflict(StoreBusy):
    """The database refused to serialise a transaction with another one; it may be run again."""
