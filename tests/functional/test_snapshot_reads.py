"""Readers read one generation without the writers' lock; writers never wait for them."""

from __future__ import annotations

import threading

import orjson
import pytest

from store import open_store
from store.segments import MANIFEST
from tests.conftest import DOCTOR, NURSE, NURSE_2, link


def _retired(data) -> list[str]:
    return orjson.loads((data / MANIFEST).read_bytes()).get("retired", [])


def test_a_writer_commits_while_another_session_reads(store, location):
    link(store, "cab", NURSE, "Martin", "Claire", "infirmier")
    reader, writer = open_store(location), open_store(location)
    filed = threading.Event()

    def write() -> None:
        writer.file_disconnect(DOCTOR, "cab", [NURSE])
        filed.set()

    with reader.reading():
        before = reader.requests("cab")
        thread = threading.Thread(target=write)
        thread.start()
        # With the writers' lock held by reads, the write would wait for this block to end.
        assert filed.wait(timeout=20), "the write waited for a reader"
        # The block still reads the generation it started with, files of it included.
        assert reader.requests("cab") == before
        assert {k.niss for k in reader.staff("cab")} == {DOCTOR, NURSE}
    thread.join()
    assert [r.niss for r in reader.requests("cab")] == [NURSE]  # the next read sees it


def test_superseded_files_stay_while_a_reader_may_open_them(store, data):
    reader = open_store(data)
    with reader.reading():
        reader.staff("cab")
        named = {p.name for p in data.glob("links.*.json")}
        link(store, "cab", NURSE, "Martin", "Claire", "infirmier")
        # The commit retired the old links file but left it: this reader's snapshot names it.
        assert named <= {p.name for p in data.glob("links.*.json")}
        assert named <= set(_retired(data))
    # The next commit, with no reader left, removes what was retired.
    link(store, "cab", NURSE_2, "Peeters", "Lotte", "infirmier")
    assert not named & {p.name for p in data.glob("links.*.json")}
    assert not [name for name in _retired(data) if (data / name).exists()]
    assert store.verify() == []


@pytest.mark.files_only("its files or directory")
def test_a_backup_copies_one_generation_while_a_writer_commits(store, data, tmp_path, monkeypatch):
    from store import maintenance

    other = open_store(data)
    real, copied = maintenance.write_file, []

    def copy(path, raw, mode):
        if not copied:  # another session commits in the middle of the copy
            other.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
        copied.append(path.name)
        return real(path, raw, mode)

    monkeypatch.setattr(maintenance, "write_file", copy)
    store.backup(tmp_path / "copy")
    backup = open_store(tmp_path / "copy")
    # The copy is the generation it started from: whole, and without the later request.
    assert backup.verify() == []
    assert backup.requests("cab") == [] and [r.niss for r in store.requests("cab")] == [NURSE]
