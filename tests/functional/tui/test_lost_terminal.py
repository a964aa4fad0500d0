"""A session whose terminal disappears without a hangup ends instead of spinning."""

from __future__ import annotations

import os
import select
import time

from tests.conftest import DOCTOR
from tests.functional.tui.pty_console import console_in_pty
from tui.console import TERMINAL_GONE


def test_a_console_whose_terminal_is_gone_ends(practice, data):
    with console_in_pty(data, DOCTOR) as (leader, console):
        seen, deadline = b"", time.monotonic() + 60
        while b"Cabinet Dupont" not in seen:  # the entity chooser is up
            assert console.poll() is None and time.monotonic() < deadline, seen[-2000:]
            if select.select([leader], [], [], 0.5)[0]:
                seen += os.read(leader, 65536)
        os.close(leader)  # the SSH link dies: reads now say "end of file" at once
        # Before: the console stayed, its input thread spinning on half a core.
        assert console.wait(timeout=30) == TERMINAL_GONE
