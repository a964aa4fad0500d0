"""The cross-process locks: writers flock the data directory itself, which no one can swap or
delete; readers share a lock file that keeps the files of their snapshot from being removed."""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from rules.phrase import N_, Phrase
from store.errors import StoreBusy, StoreError, StoreInterrupted

# Waiting polls, so that a console leaving or a deadline can end the wait; the first polls
# are short because a commit holds the lock for a few milliseconds.
_FIRST_POLL = 0.001
_LONGEST_POLL = 0.05
# A command that waits longer than this says whom it waits for.
TELL_AFTER = 1.0
READERS = "readers.lock"


def holder(path: Path) -> str:
    """Who holds a flock on ``path``, from /proc/locks: "process 123 (vaccinnet)" or a guess."""
    try:
        st = os.stat(path)
        key = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
        with open("/proc/locks", encoding="ascii", errors="replace") as locks:
            for line in locks:
                fields = line.split()
                # "1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF"; waiters carry "->".
                if "->" not in fields and len(fields) >= 6 and fields[5] == key:
                    return _process(fields[4])
    except OSError:
        pass
    return Phrase(N_("another process (its pid cannot be known here)"))


def _process(pid: str) -> str:
    if not pid.isdigit() or pid == "0":
        return Phrase(N_("a process of another pid namespace"))
    try:
        with open(f"/proc/{pid}/comm", encoding="utf-8", errors="replace") as comm:
            return Phrase(N_("process {pid} ({name})"), pid=pid, name=comm.read().strip())
    except OSError:
        return Phrase(N_("process {pid}"), pid=pid)


def wait_for(
    fd: int,
    operation: int,
    root: Path,
    timeout: float,
    interrupted: Callable[[], bool] | None,
    waiting: Callable[[str], None] | None,
    locked: Path | None = None,
) -> None:
    """Take the flock ``operation`` on ``fd`` (the file ``locked``, else the directory
    ``root``), polling so that a deadline or a closing console can end the wait."""
    start = time.monotonic()
    deadline = start + timeout
    poll, told = _FIRST_POLL, False
    while True:
        try:
            fcntl.flock(fd, operation | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        except OSError as exc:
            raise StoreError(
                root,
                Phrase(
                    N_(
                        "cannot be locked ({problem}); the data directory must be on a local "
                        "file system"
                    ),
                    problem=exc,
                ),
            ) from None
        if interrupted is not None and interrupted():
            raise StoreInterrupted(root, Phrase(N_("the wait for the store's lock was abandoned")))
        now = time.monotonic()
        if now >= deadline:
            raise StoreBusy(
                root,
                Phrase(
                    N_(
                        "the store (this directory is its lock) stayed locked by {holder} "
                        "for {seconds} s"
                    ),
                    holder=holder(locked or root),
                    seconds=f"{timeout:g}",
                ),
            )
        if waiting is not None and not told and now - start >= TELL_AFTER:
            told = True
            waiting(holder(locked or root))
        time.sleep(min(poll, deadline - now))
        poll = min(poll * 2, _LONGEST_POLL)


class DirectoryLock:
    """An exclusive lock on a directory, re-entrant within one holder (the Store's mutex).

    The directory is opened anew for each acquisition, so a forked child never shares it.
    """

    def __init__(self, root: Path, timeout: float) -> None:
        self.root = root
        self.timeout = timeout
        self._fd: int | None = None
        self._depth = 0

    def acquire(
        self,
        interrupted: Callable[[], bool] | None = None,
        waiting: Callable[[str], None] | None = None,
    ) -> None:
        if self._depth:
            self._depth += 1
            return
        try:
            fd = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY)
        except OSError as exc:
            raise StoreError(
                self.root, Phrase(N_("cannot be opened ({problem})"), problem=exc)
            ) from None
        try:
            self._wait(fd, interrupted, waiting)
        except BaseException:
            os.close(fd)
            raise
        self._fd, self._depth = fd, 1

    def _wait(
        self,
        fd: int,
        interrupted: Callable[[], bool] | None,
        waiting: Callable[[str], None] | None,
    ) -> None:
        wait_for(fd, fcntl.LOCK_EX, self.root, self.timeout, interrupted, waiting)

    def release(self) -> None:
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)  # closing the only descriptor releases the flock

    def still_held(self) -> bool:
        return self._depth > 0


class ReadersLock:
    """Shared by every reader while it reads one snapshot of the store; never by writers.

    A committed segment file is never changed, only superseded by a file of a newer
    generation. A reader may still be opening the files its manifest names, so a writer
    removes superseded files only when it can hold this lock alone, and otherwise leaves them
    to a later commit. Readers and writers thus never wait for each other; a reader waits only
    for the few milliseconds in which a writer removes files.
    """

    def __init__(self, root: Path, timeout: float) -> None:
        self.root = root
        self.path = root / READERS
        self.timeout = timeout

    def _open(self, mode: int) -> int | None:
        try:
            return os.open(self.path, os.O_RDONLY | os.O_CREAT, mode)
        except OSError:
            return None  # a read-only directory or another owner's file

    @contextlib.contextmanager
    def _held(self, mode: int, take: Callable[[int], bool]) -> Iterator[bool]:
        fd = self._open(mode)
        if fd is None:
            yield False
            return
        try:
            yield take(fd)
        finally:
            os.close(fd)  # closing the only descriptor releases the flock

    def shared(
        self,
        mode: int,
        interrupted: Callable[[], bool] | None = None,
        waiting: Callable[[str], None] | None = None,
    ) -> contextlib.AbstractContextManager[bool]:
        """Hold the lock shared; False when it cannot be had (the caller locks the store)."""

        def take(fd: int) -> bool:
            try:
                wait_for(
                    fd, fcntl.LOCK_SH, self.root, self.timeout, interrupted, waiting, self.path
                )
            except StoreError as exc:
                if isinstance(exc, StoreBusy | StoreInterrupted):
                    raise
                return False  # a file system without flock: the store's lock still works
            return True

        return self._held(mode, take)

    def alone(self, mode: int) -> contextlib.AbstractContextManager[bool]:
        """Hold the lock exclusively if no reader holds it now; never waits."""

        def take(fd: int) -> bool:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return False
            return True

        return self._held(mode, take)
