"""Every console worker is known to read or to write: its failure is said accordingly."""

from __future__ import annotations

import re
from pathlib import Path

from tui.screens.base import READING_GROUPS

# The groups whose work writes (or may have written) when it fails: saving, deciding,
# filing, retrying a mail, mailing the staff list (a mail in the outbox). Their failure must
# not say « trying again ».
WRITING_GROUPS = {
    "save", "confirm", "decide", "bulk", "review-close", "retry", "import", "mail-list"
}  # fmt: skip

TUI = Path(__file__).resolve().parents[2] / "tui"


def test_each_worker_group_is_either_a_read_or_a_write():
    found = {
        group
        for source in TUI.rglob("*.py")
        for group in re.findall(r'@work\([^)]*group="([^"]+)"', source.read_text())
    }
    assert found, "no worker found: the pattern no longer matches the code"
    assert not READING_GROUPS & WRITING_GROUPS
    # A new group fails here until someone says which it is.
    assert found == READING_GROUPS | WRITING_GROUPS
