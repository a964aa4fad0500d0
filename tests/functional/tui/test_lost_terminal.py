"""A session whose terminal disappears without a hangup ends instead of spinning."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time

from rules import format_niss
from tests.conftest import DOCTOR
from tui.console import TERMINAL_GONE


def test_a_console_whose_terminal_is_gone_ends(practice, data):
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color"}
    command = [sys.executable, "-m", "tui.cli", "--data", str(data), "--lang", "en"]
    with subprocess.Popen(
        [*command, "--niss", format_niss(DOCTOR)],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        start_new_session=True,  # no controlling terminal to send a SIGHUP from
    ) as console:
        os.close(follower)
        try:
            seen, deadline = b"", time.monotonic() + 60
            while b"Cabinet Dupont" not in seen:  # the entity chooser is up
                assert console.poll() is None and time.monotonic() < deadline, seen[-2000:]
                if select.select([leader], [], [], 0.5)[0]:
                    seen += os.read(leader, 65536)
            os.close(leader)  # the SSH link dies: reads now say "end of file" at once
            leader = -1
            # Before: the console stayed, its input thread spinning on half a core.
            assert console.wait(timeout=30) == TERMINAL_GONE
        finally:
            if console.poll() is None:
                console.kill()
            if leader >= 0:
                os.close(leader)
