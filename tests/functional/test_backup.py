"""backup: a complete copy or none at all, in private directories."""

from __future__ import annotations

import errno
import os
import stat

import pytest

from store import open_store
from store.segments import MANIFEST
from tests.functional.test_damaged_manifest import cli, fingerprint
from tests.functional.test_machine_faults import _one_line, _path_of


def _nothing_left_beside(dest) -> None:
    assert not dest.exists()
    if dest.parent.exists():
        assert not [p.name for p in dest.parent.iterdir() if dest.name in p.name]


@pytest.mark.files_only("its files or directory")
def test_a_backup_is_complete_and_checks_ok(store, data, tmp_path, capsys):
    dest = tmp_path / "backups" / "today"
    code, _out, err = cli(capsys, "backup", dest, "--data", data)
    assert code == 0, err
    assert sorted(p.name for p in dest.iterdir()) == sorted(
        p.name for p in data.iterdir() if p.name.endswith(".json")
    )
    assert cli(capsys, "check", "--data", dest)[0] == 0
    assert open_store(dest).staff("cab") == store.staff("cab")


@pytest.mark.files_only("its files or directory")
def test_a_missing_segment_leaves_no_backup(store, data, tmp_path, capsys):
    (segment,) = data.glob("links.*.json")
    segment.unlink()
    before = fingerprint(data)
    dest = tmp_path / "backups" / "today"
    code, _out, err = cli(capsys, "backup", dest, "--data", data)
    assert code == 2 and str(segment) in _one_line(err)
    _nothing_left_beside(dest)
    assert not dest.parent.exists()  # the parent it had to create is gone too
    assert fingerprint(data) == before


@pytest.mark.files_only("its files or directory")
def test_a_full_disk_leaves_no_backup(store, data, tmp_path, capsys, monkeypatch):
    dest = tmp_path / "today"
    real_write = os.write

    def full(fd, payload):
        if _path_of(fd).startswith(str(tmp_path / ".today")):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, payload)

    monkeypatch.setattr(os, "write", full)
    before = fingerprint(data)
    code, _out, err = cli(capsys, "backup", dest, "--data", data)
    assert code == 2 and "No space left on device" in _one_line(err)
    _nothing_left_beside(dest)
    assert fingerprint(data) == before


@pytest.mark.files_only("its files or directory")
def test_a_file_as_destination_is_refused_and_kept(store, data, tmp_path, capsys):
    dest = tmp_path / "a-file"
    dest.write_text("keep me")
    code, _out, err = cli(capsys, "backup", dest, "--data", data)
    assert code == 2 and f"{dest}: is not a directory" in _one_line(err)
    assert dest.read_text() == "keep me"
    assert [p.name for p in tmp_path.iterdir() if "a-file" in p.name] == ["a-file"]


@pytest.mark.files_only("its files or directory")
def test_a_destination_inside_the_store_is_refused(store, data, capsys):
    before = fingerprint(data)
    code, _out, err = cli(capsys, "backup", data / "copy", "--data", data)
    assert code == 2 and "inside the data directory" in _one_line(err)
    assert fingerprint(data) == before


@pytest.mark.files_only("its files or directory")
@pytest.mark.parametrize("umask", [0o000, 0o022, 0o277])
def test_created_directories_are_private_whatever_the_umask(store, data, tmp_path, capsys, umask):
    dest = tmp_path / "new" / "deeper" / "today"
    old = os.umask(umask)
    try:
        code, _out, err = cli(capsys, "backup", dest, "--data", data)
    finally:
        os.umask(old)
    assert code == 0, err
    for made in (tmp_path / "new", tmp_path / "new" / "deeper", dest):
        assert stat.S_IMODE(os.stat(made).st_mode) == 0o700, made
    assert stat.S_IMODE(os.stat(dest / MANIFEST).st_mode) == 0o600
