"""The files on disk: atomic commits, kept modes, and damaged files that are never reset."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import orjson
import pytest

from store import StoreError, open_store
from store.segments import MANIFEST, SEGMENT_SIZE
from tests.conftest import DOCTOR, NURSE


def _snapshot(data):
    return {p.name: p.read_bytes() for p in sorted(data.iterdir()) if p.is_file()}


def _cli(*args, data=None):
    cmd = [sys.executable, "-m", "tui.cli", *args]
    if data is not None:
        cmd += ["--data", str(data)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60)


def test_a_new_store_is_private(data):
    open_store(data)
    assert stat.S_IMODE(os.stat(data).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(data / MANIFEST).st_mode) == 0o600


@pytest.mark.files_only("its files or directory")
def test_a_commit_keeps_the_files_mode(store, data):
    os.chmod(data / MANIFEST, 0o640)
    before = {p.name for p in data.glob("*.json")}
    store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    written = {p.name for p in data.glob("*.json")} - before
    # The entity's requests, where request 1 is, the queue, the people it names, the trail.
    assert {name.split(".")[0] for name in written} == {
        "requests",
        "requests_where",
        "pending",
        "people",
        "people_where",
        "audit",
    }
    for name in [*written, MANIFEST]:
        assert stat.S_IMODE(os.stat(data / name).st_mode) == 0o640, name


@pytest.mark.files_only("its files or directory")
def test_superseded_segments_are_removed_and_files_are_tinydb_json(store, data):
    before = {p.name for p in data.glob("requests.*.json")}
    store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    after = {p.name for p in data.glob("requests.*.json")}
    assert len(after) == 1 and after != before
    (segment,) = after
    raw = orjson.loads((data / segment).read_bytes())
    assert list(raw) == ["requests"] and raw["requests"]["1"]["niss"] == NURSE


@pytest.mark.files_only("its files or directory")
def test_many_documents_spread_over_segments(store, data):
    admin_docs = store.counts()["admins"]
    for i in range(SEGMENT_SIZE + 5 - admin_docs):
        store.add_admin(f"a{i}", f"Admin {i}")
    assert len(list(data.glob("admins.*.json"))) == 2
    assert store.admin(f"a{SEGMENT_SIZE}") is not None
    assert store.verify() == []


def _killed_writer_leftovers(data):
    generation = orjson.loads((data / MANIFEST).read_bytes())["generation"]
    (current,) = data.glob("admins.00000.*.json")
    older = data / "admins.00000.1.json"  # the admins' first version, superseded since
    assert current != older
    older.write_bytes(current.read_bytes())  # a writer killed just after its commit point,
    manifest = orjson.loads((data / MANIFEST).read_bytes())  # which listed it as retired
    manifest["retired"] = [*manifest.get("retired", []), older.name]
    (data / MANIFEST).write_bytes(orjson.dumps(manifest))
    leftovers = [
        older.name,
        f"entities.00000.{generation + 1}.json",
        f"{MANIFEST}.tmp.4242",
        f"requests.00007.{generation + 1}.json",
    ]
    (data / leftovers[1]).write_bytes(b'{"entities": {')  # torn, before the commit point
    (data / leftovers[2]).write_bytes(b"{")
    (data / leftovers[3]).write_bytes(b"{")  # a new segment, never committed
    return leftovers


@pytest.mark.files_only("its files or directory")
def test_leftovers_of_a_killed_writer_are_left_to_the_next_writer(store, data):
    leftovers = _killed_writer_leftovers(data)
    before = _snapshot(data)
    reopened = open_store(data)
    assert reopened.verify() == []  # leftovers are no problem
    assert _cli("check", data=data).returncode == 0
    assert _snapshot(data) == before  # opening, reading and check remove nothing
    reopened.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    assert not [name for name in leftovers if (data / name).exists()]
    assert reopened.verify() == []


@pytest.mark.files_only("its files or directory")
@pytest.mark.parametrize(
    ("damage", "needle"),
    [
        (lambda raw: raw[: len(raw) // 2], "not valid JSON"),
        (lambda raw: b"\x00\xff garbage \x13", "not valid JSON"),
        (lambda raw: raw.replace(b'"schema": 2', b'"schema": 7'), "newer version"),
        (lambda raw: b"[]", "not a vaccinnet store manifest"),
    ],
)
def test_damaged_manifest_stops_with_exit_2_and_is_left_alone(store, data, damage, needle):
    path = data / MANIFEST
    path.write_bytes(damage(path.read_bytes()))
    before = _snapshot(data)
    with pytest.raises(StoreError) as caught:
        open_store(data)
    assert needle in str(caught.value) and str(path) in str(caught.value)
    for command in (
        ["check"],
        [
            "entity",
            "add",
            "--admin",
            "adm",
            "--id",
            "x",
            "--name",
            "X",
            "--kind",
            "pharmacie",
            "--email",
            "x@y.be",
            "--entity-lang",
            "fr",
            "--manager-niss",
            DOCTOR,
            "--manager-last",
            "A",
            "--manager-first",
            "B",
            "--manager-type",
            "pharmacien",
        ],
    ):
        result = _cli(*command, data=data)
        assert result.returncode == 2, result.stderr
        assert needle in result.stderr and MANIFEST in result.stderr
        assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
    assert _snapshot(data) == before  # byte for byte


@pytest.mark.files_only("its files or directory")
def test_damaged_segment_is_named(store, data):
    (segment,) = data.glob("links.*.json")
    segment.write_bytes(segment.read_bytes()[:10])
    before = _snapshot(data)
    with pytest.raises(StoreError) as caught:
        open_store(data).staff("cab")
    assert segment.name in str(caught.value)
    result = _cli("check", data=data)
    assert result.returncode == 2 and segment.name in result.stdout
    assert _snapshot(data) == before


@pytest.mark.files_only("its files or directory")
def test_missing_manifest_with_data_is_not_reset(store, data):
    (data / MANIFEST).unlink()
    before = _snapshot(data)
    with pytest.raises(StoreError) as caught:
        open_store(data)
    assert "missing" in str(caught.value)
    assert _snapshot(data) == before


@pytest.mark.files_only("its files or directory")
def test_unreadable_manifest(store, data):
    # A directory in the manifest's place cannot be read, even by root (CI runs as root).
    (data / MANIFEST).unlink()
    (data / MANIFEST).mkdir()
    with pytest.raises(StoreError) as caught:
        open_store(data)
    assert "cannot be read" in str(caught.value)


def test_a_second_process_sees_a_commit(store, location):
    store.staff("cab")  # warm this process's cache
    code = (
        "import sys; from store import open_store; "
        f"s = open_store({str(location)!r}); "
        f"s.file_connect({DOCTOR!r}, 'cab', {NURSE!r}, 'Martin', 'Claire', 'infirmier')"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    assert [r.niss for r in store.requests("cab")] == [NURSE]


@pytest.mark.files_only("its files or directory")
def test_backup_is_consistent_while_another_process_writes(store, data, tmp_path):
    script = (
        "from store import open_store; from rules import make_niss\n"
        f"s = open_store({str(data)!r})\n"
        "for i in range(1, 990):\n"
        f"    s.file_connect({DOCTOR!r}, 'cab', make_niss('900101', i), 'B', 'C', 'infirmier')\n"
    )
    writer = subprocess.Popen([sys.executable, "-c", script])
    try:
        copies = []
        for i in range(5):
            dest = tmp_path / f"backup-{i}"
            result = subprocess.run(
                [sys.executable, "-m", "tui.cli", "backup", str(dest), "--data", str(data)],
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert result.returncode == 0, result.stderr
            copies.append(dest)
    finally:
        writer.kill()
        writer.wait()
    for dest in copies:
        assert open_store(dest).verify() == [], dest
    sizes = {len(open_store(dest).requests()) for dest in copies}
    assert len(sizes) > 1 or max(sizes) > 0  # the writer was really writing meanwhile


@pytest.mark.files_only("its files or directory")
def test_backup_refuses_a_non_empty_destination(store, data, tmp_path):
    dest = tmp_path / "full"
    dest.mkdir()
    (dest / "something").write_text("x")
    result = _cli("backup", str(dest), data=data)
    assert result.returncode == 2 and "not empty" in result.stderr
    assert (dest / "something").read_text() == "x"


@pytest.mark.files_only("its files or directory")
def test_a_leftover_outlives_other_commits_and_is_still_recognised(store, data):
    store.add_admin("early", "Early Admin")
    manifest = orjson.loads((data / MANIFEST).read_bytes())
    (bucket,) = manifest["tables"]["entities"]["segments"]
    leftover = data / f"entities.{int(bucket):05d}.{manifest['generation'] + 1}.json"  # killed
    leftover.write_bytes(b"{")
    with open_store(data).reading():  # a reader in another session keeps every file
        store.add_admin("later", "Later Admin")  # commits generation + 1 without touching it
        assert leftover.exists()
    assert store.verify() == []
    # Newer than the file its segment names: garbage still, after other commits.
    open_store(data).add_admin("next", "Next Admin")
    assert not leftover.exists()
