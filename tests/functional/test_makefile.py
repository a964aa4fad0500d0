"""`make admin` opens the administrators' console on the demo store, as `make run` the staff's."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from store.demo import DEMO_ADMINS

ROOT = Path(__file__).resolve().parents[2]


def dry_run(target: str) -> list[str]:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    # -n prints what would run, the setup first when the venv is missing, and runs nothing.
    done = subprocess.run(
        ["make", "--no-print-directory", "-n", target, "DEMO=demo-data"],
        cwd=ROOT,
        # Under `make test` the outer make's flags would reach this one (and its w flag
        # prints "Entering directory" lines).
        env={k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_make_admin_opens_the_admin_console_on_the_demo_store():
    lines = dry_run("admin")
    assert lines[-1] == f".venv/bin/vaccinnet --data demo-data admin --admin {DEMO_ADMINS[0][0]}"
    # Like make run, it writes the demo store first when it is missing.
    assert ".venv/bin/vaccinnet --data demo-data demo" in lines or (ROOT / "demo-data").exists()


def test_make_run_and_make_admin_use_the_same_store():
    run, admin = dry_run("run")[-1].split(), dry_run("admin")[-1].split()
    assert run[:3] == admin[:3] == [".venv/bin/vaccinnet", "--data", "demo-data"]
