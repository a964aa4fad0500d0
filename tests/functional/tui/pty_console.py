"""A console started as a person starts it: the command line, in an 80×24 pseudo-terminal."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rules import format_niss


@contextmanager
def console_in_pty(
    data: Path, niss: str, lang: str = "en"
) -> Iterator[tuple[int, subprocess.Popen]]:
    """(the terminal's side to read and type on, the console); killed if still running."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color"}
    command = [sys.executable, "-m", "tui.cli", "--data", str(data), "--lang", lang]
    with subprocess.Popen(
        [*command, "--niss", format_niss(niss)],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        start_new_session=True,  # no controlling terminal: no hangup is ever sent
    ) as console:
        os.close(follower)
        try:
            yield leader, console
        finally:
            if console.poll() is None:
                console.kill()  # a failed wait must not leave a console behind
            with contextlib.suppress(OSError):  # the test closed it: the terminal went away
                os.close(leader)
