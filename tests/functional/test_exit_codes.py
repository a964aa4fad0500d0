"""README's exit-code table is what the program does: each row is run here."""

from __future__ import annotations

import errno
import fcntl
import os
import re
from pathlib import Path

import orjson
import pytest

from store import Store
from store.segments import MANIFEST
from tests.conftest import NURSE, add_pharmacy
from tests.functional.test_damaged_manifest import cli
from tests.functional.test_machine_faults import CONNECT, _edit_segment, _path_of

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_codes() -> dict[int, str]:
    section = README.read_text(encoding="utf-8").split("## Command line", 1)[1].split("\n## ")[0]
    return {int(code): text for code, text in re.findall(r"^\| (\d+) \| (.+) \|$", section, re.M)}


def _ok(store, data, capsys, monkeypatch):
    yield cli(capsys, "check", "--data", data)
    yield cli(capsys, *CONNECT, "--data", data)


def _refused(store, data, capsys, monkeypatch):
    add_pharmacy(store, name="Pharmacie", manager=NURSE, last="Martin", first="Claire")
    yield cli(capsys, *CONNECT, "--data", data)  # the entity exists already
    yield cli(capsys, "entity", "add", "--kind", "castle", "--data", data)  # a wrong argument
    _edit_segment(data, "audit", lambda docs: docs["2"].update(actor="someone else"))
    yield cli(capsys, "check", "--data", data)  # the audit chain no longer matches
    yield cli(capsys, "audit", "head", "--data", data)


def _unusable(store, data, capsys, monkeypatch):
    _edit_segment(data, "links", lambda docs: docs["1"].pop("niss"))
    yield cli(capsys, "check", "--data", data)  # a damaged document
    real_write = os.write

    def full(fd, payload):
        if _path_of(fd).startswith(str(data)):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, payload)

    with monkeypatch.context() as m:
        m.setattr(os, "write", full)
        yield cli(capsys, *CONNECT, "--data", data)  # a full disk
    held = os.open(data, os.O_RDONLY)
    fcntl.flock(held, fcntl.LOCK_EX)
    monkeypatch.setenv("VACCINNET_LOCK_TIMEOUT", "0.2")
    try:
        yield cli(capsys, "audit", "--data", data)  # the lock held too long
    finally:
        os.close(held)
    (data / MANIFEST).write_bytes(orjson.dumps({"format": "vaccinnet-store", "schema": 9}))
    yield cli(capsys, "audit", "--data", data)  # a newer version


def _bug(store, data, capsys, monkeypatch):
    monkeypatch.setattr(Store, "counts", lambda self: 1 / 0)
    yield cli(capsys, "check", "--data", data)


def _interrupted(store, data, capsys, monkeypatch):
    def ctrl_c(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(Store, "counts", ctrl_c)
    yield cli(capsys, "check", "--data", data)


def _reader_gone(store, data, capsys, monkeypatch):
    # `vaccinnet audit | head -1`: the reader closes the pipe while the trail is printed.
    import builtins

    real_print = builtins.print

    def closed_pipe(*args, **kwargs):
        if kwargs.get("file") is None:
            raise BrokenPipeError(32, "Broken pipe")
        return real_print(*args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(builtins, "print", closed_pipe)
        yield cli(capsys, "audit", "--data", data)


SCENARIOS = {
    0: _ok,
    1: _refused,
    2: _unusable,
    70: _bug,
    130: _interrupted,
    141: _reader_gone,
}


def test_the_readme_lists_exactly_the_codes_tested_here():
    assert set(readme_codes()) == set(SCENARIOS)


@pytest.mark.files_only("its files or directory")
@pytest.mark.parametrize("code", sorted(SCENARIOS))
def test_each_exit_code_of_the_readme(store, data, capsys, monkeypatch, code):
    runs = list(SCENARIOS[code](store, data, capsys, monkeypatch))
    assert runs
    for status, out, err in runs:
        assert status == code, (readme_codes()[code], out, err)
        assert "Traceback" not in err
