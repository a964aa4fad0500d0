"""Imports run tui -> store -> rules, never back; rules stays free of textual and tinydb."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def _modules_after(import_line: str) -> set[str]:
    code = f"import sys, json; {import_line}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in json.loads(out.stdout)}


@pytest.mark.parametrize(
    ("import_line", "forbidden"),
    [
        (
            "import rules, rules.decisions, rules.mail, rules.entities, rules.mail_address, "
            "rules.outbox",
            {"textual", "tinydb", "store", "tui", "filelock", "orjson"},
        ),
        ("import store, store.demo", {"textual", "tui"}),
    ],
)
def test_lower_layers_do_not_import_upper_ones(import_line, forbidden):
    loaded = _modules_after(import_line)
    assert not loaded & forbidden, f"{import_line} pulled in {sorted(loaded & forbidden)}"


def test_the_check_itself_sees_imports():
    # Guard against a check that could never fail: store does load tinydb.
    assert "tinydb" in _modules_after("import store")
