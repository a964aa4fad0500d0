"""Unexpected errors: the full trace goes to a private log, the person gets one line and an id."""

from __future__ import annotations

import os
import secrets
import traceback
from datetime import UTC, datetime
from pathlib import Path

from platformdirs import user_log_dir

LOG_DIR = "log"
LOG_FILE = "incidents.log"


def log_candidates(root: Path | None) -> list[Path]:
    """DATA/log/incidents.log, else the platform's log directory when the data dir is unusable."""
    places = []
    # Never create a data directory just to hold a log: an error may come from a wrong --data.
    if root is not None and root.is_dir():
        places.append(root / LOG_DIR / LOG_FILE)
    places.append(Path(user_log_dir("vaccinnet-staff", appauthor=False)) / LOG_FILE)
    return places


def record_incident(error: BaseException, root: Path | None) -> tuple[str, Path | None]:
    """Append the trace under a new incident id; returns the id and the file it went to.

    The trace holds no local variables (Textual's crash report would show them, and with them
    the NISS of every colleague on screen); the exception's own message may still hold data,
    which is why the file is readable by the service account only.
    """
    incident = secrets.token_hex(4)
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    trace = "".join(traceback.format_exception(error))
    entry = f"--- incident {incident} at {stamp}, pid {os.getpid()}\n{trace}\n".encode(
        "utf-8", "backslashreplace"
    )
    for path in log_candidates(root):
        try:
            _append_private(path, entry)
        except OSError:
            continue
        return incident, path
    return incident, None


def _append_private(path: Path, entry: bytes) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        os.fchmod(fd, 0o600)  # an older file, or one made under a loose umask, is closed too
        view = memoryview(entry)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)
