"""Faults of the machine and of the files: exit 2, the file named, and not one byte changed."""

from __future__ import annotations

import errno
import fcntl
import os
import subprocess
import sys
import time

import orjson
import pytest

from store import Store, StoreError, open_store
from store.segments import MANIFEST
from tests.conftest import DOCTOR, NURSE, NURSE_2, segment_holding
from tests.functional.test_damaged_manifest import cli, fingerprint

CONNECT = [
    "entity",
    "add",
    "--admin",
    "adm",
    "--id",
    "ph",
    "--name",
    "Pharmacie",
    "--kind",
    "pharmacie",
    "--email",
    "ph@example.be",
    "--entity-lang",
    "fr",
    "--manager-niss",
    NURSE,
    "--manager-last",
    "Martin",
    "--manager-first",
    "Claire",
    "--manager-type",
    "pharmacien",
]


def _path_of(fd: int) -> str:
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return ""


def _one_line(err: str) -> str:
    assert "Traceback" not in err and "unexpected error" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


# ----- documents and manifests that are wrong -----------------------------------------------


def _segment(data, table):
    return segment_holding(data, table)


def _edit_segment(data, table, change):
    path = _segment(data, table)
    raw = orjson.loads(path.read_bytes())
    change(raw[table])
    path.write_bytes(orjson.dumps(raw))
    return path


DOCUMENTS = {
    "a link without entity_id": (
        "links",
        lambda docs: docs["1"].pop("entity_id"),
        "document 1: field entity_id is missing",
    ),
    "a link that is a list": (
        "links",
        lambda docs: docs.update({"1": ["cab", NURSE]}),
        "document 1 is a list, not an object",
    ),
    "a request filed yesterday": (
        "requests",
        lambda docs: docs["1"].update(filed_at="yesterday"),
        "document 1: field filed_at is 'yesterday'",
    ),
    "an audit entry without detail": (
        "audit",
        lambda docs: docs["2"].update(detail=None),
        "document 2: field detail is missing",
    ),
}


@pytest.mark.files_only("its files or directory")
@pytest.mark.parametrize("damage", DOCUMENTS.values(), ids=DOCUMENTS.keys())
def test_check_names_the_file_the_document_and_the_field(store, data, capsys, damage):
    store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    table, change, needle = damage
    path = _edit_segment(data, table, change)
    before = fingerprint(data)
    code, out, err = cli(capsys, "check", "--data", data)
    assert code == 2, (out, err)
    assert f"FAIL {path}: {needle}" in out
    assert "Traceback" not in err
    assert fingerprint(data) == before


@pytest.mark.files_only("its files or directory")
def test_check_reports_every_problem_not_only_the_first(store, data, capsys):
    store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    _edit_segment(data, "links", lambda docs: docs["1"].pop("niss"))
    _edit_segment(data, "requests", lambda docs: docs["1"].update(filed_at="yesterday"))
    entities = _segment(data, "entities")
    entities.write_bytes(b"{not json")
    code, out, _err = cli(capsys, "check", "--data", data)
    assert code == 2
    assert "field niss is missing" in out and "field filed_at" in out
    assert f"{entities}: is not valid store data" in out


@pytest.mark.files_only("its files or directory")
def test_check_names_a_second_pending_request_by_its_kind(store, data, capsys):
    # Two pending connections for one person, as a hand-edited file could hold.
    first = store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    store.file_connect(DOCTOR, "cab", NURSE_2, "Peeters", "Lotte", "infirmier")
    _edit_segment(
        data,
        "requests",
        lambda docs: [doc.update(niss=first.niss) for doc in docs.values()],
    )
    code, out, _err = cli(capsys, "--lang", "fr", "check", "--data", data)
    # The index of people no longer matches the edited documents: damage, and the way out.
    assert code == 2 and "'check --reindex'" in out
    code, out, _err = cli(capsys, "--lang", "fr", "check", "--reindex", "--data", data)
    assert code == 1, out
    assert f"deux demandes de connexion en cours pour {first.niss} chez cab" in out
    assert "reconstruit" not in out.split("\n", 1)[1]


@pytest.mark.files_only("its files or directory")
@pytest.mark.parametrize("damage", DOCUMENTS.values(), ids=DOCUMENTS.keys())
def test_other_commands_on_a_damaged_document_are_exit_2_or_go_on(store, data, capsys, damage):
    # Reading past one damaged document: a message naming the document (exit 2), or the
    # other documents as usual; never an unexpected error, and never a change to a file.
    store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    table, change, _needle = damage
    _edit_segment(data, table, change)
    before = fingerprint(data)
    for command in (["audit"], ["audit", "--json"], ["audit", "--entity", "cab"]):
        code, out, err = cli(capsys, *command, "--data", data)
        if code == 2:
            assert "document" in _one_line(err)
        else:
            assert code == 0 and "entity_created" in out, (code, err)
    reopened = Store(data)
    reopened.open_or_create()
    for read in (
        lambda: reopened.staff("cab"),
        lambda: reopened.requests("cab"),
        lambda: reopened.audit_entries(),
    ):
        try:
            read()
        except StoreError as exc:
            assert "document" in str(exc)
    assert fingerprint(data) == before


@pytest.mark.files_only("its files or directory")
def test_a_damaged_link_hides_no_other_person(store, data):
    store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    store.approve("adm", "R000001")
    _edit_segment(data, "links", lambda docs: docs["1"].pop("entity_id"))
    reopened = Store(data)
    reopened.open_or_create()
    assert [link.niss for link in reopened.staff("cab")] == [NURSE]
    assert reopened.entities_of(NURSE)[0].id == "cab"


@pytest.mark.files_only("its files or directory")
@pytest.mark.parametrize(
    "damage",
    [lambda docs: docs["1"].pop("entity_id"), lambda docs: docs["1"].update(entity_id=["cab"])],
    ids=["without entity_id", "entity_id a list"],
)
def test_a_damaged_link_hides_no_entity_from_the_admins_list(store, data, damage):
    store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    store.approve("adm", "R000001")
    _edit_segment(data, "links", damage)
    reopened = Store(data)
    reopened.open_or_create()
    # The doctor's link (document 1) is left out of the counts; the nurse's is counted.
    assert [(s.entity.id, s.staff, s.managers) for s in reopened.entity_summaries()] == [
        ("cab", 1, 0)
    ]


@pytest.mark.files_only("its files or directory")
def test_an_audit_entry_with_a_field_of_a_newer_version_is_listed(store, data, capsys):
    _edit_segment(data, "audit", lambda docs: docs["1"].update(origin="ssh"))
    code, out, err = cli(capsys, "audit", "--data", data)
    assert code == 0, err
    assert "admin_added" in out


MANIFESTS = {
    "segments a list": (
        lambda m: m["tables"]["links"].update(segments=["x"]),
        "tables.links.segments is a list, not a mapping",
    ),
    "table info null": (
        lambda m: m["tables"].update(links=None),
        "tables.links is null, not a mapping",
    ),
    "a non-numeric segment key": (
        lambda m: m["tables"]["links"].update(segments={"zero": "links.00000.1.json"}),
        "tables.links.segments: key 'zero' is not a segment number",
    ),
    "a name outside the directory": (
        lambda m: m["tables"]["links"]["segments"].update({"0": "../links.00000.1.json"}),
        "tables.links.segments.0 is '../links.00000.1.json', not a file of that segment",
    ),
    "another table's file": (
        lambda m: m["tables"]["links"]["segments"].update(
            {"0": m["tables"]["audit"]["segments"]["0"]}
        ),
        "not a file of that segment",
    ),
}


@pytest.mark.files_only("its files or directory")
@pytest.mark.parametrize("damage", MANIFESTS.values(), ids=MANIFESTS.keys())
@pytest.mark.parametrize("command", [["check"], ["audit"], CONNECT])
def test_a_manifest_of_the_wrong_structure_is_exit_2_and_named(
    store, data, capsys, damage, command
):
    change, needle = damage
    manifest = orjson.loads((data / MANIFEST).read_bytes())
    change(manifest)
    (data / MANIFEST).write_bytes(orjson.dumps(manifest))
    before = fingerprint(data)
    code, _out, err = cli(capsys, *command, "--data", data)
    assert code == 2
    line = _one_line(err)
    assert str(data / MANIFEST) in line and needle in line
    assert fingerprint(data) == before


# ----- the machine: full disk, no permission, read-only ---------------------------------------


@pytest.fixture
def fault(monkeypatch, data):
    """Make writes into the data directory fail with an errno, as the kernel would."""

    def inject(code: int, on: str) -> None:
        real_open, real_write = os.open, os.write

        def failing_open(path, flags, *args, **kwargs):
            if on == "create" and flags & os.O_CREAT and str(path).startswith(str(data)):
                raise OSError(code, os.strerror(code), str(path))
            return real_open(path, flags, *args, **kwargs)

        def failing_write(fd, payload):
            if on == "write" and _path_of(fd).startswith(str(data)):
                raise OSError(code, os.strerror(code))
            return real_write(fd, payload)

        monkeypatch.setattr(os, "open", failing_open)
        monkeypatch.setattr(os, "write", failing_write)

    return inject


MACHINE = {
    "disk full": (errno.ENOSPC, "write", "No space left on device"),
    "no permission": (errno.EACCES, "create", "Permission denied"),
    "read-only file system": (errno.EROFS, "create", "Read-only file system"),
}


@pytest.mark.files_only("its files or directory")
@pytest.mark.parametrize("failure", MACHINE.values(), ids=MACHINE.keys())
def test_a_write_that_the_machine_refuses_is_exit_2_and_named(store, data, capsys, fault, failure):
    code_, on, text = failure
    before = fingerprint(data)
    fault(code_, on)
    code, _out, err = cli(capsys, *CONNECT, "--data", data)
    assert code == 2
    line = _one_line(err)
    assert f"vaccinnet: {data}{os.sep}" in line and text in line
    assert fingerprint(data) == before  # the half-written segment was removed, nothing else
    assert open_store(data).entity("ph") is None


@pytest.mark.files_only("its files or directory")
@pytest.mark.parametrize("failure", MACHINE.values(), ids=MACHINE.keys())
def test_reading_commands_need_no_write(store, data, capsys, fault, failure):
    code_, on, _text = failure
    before = fingerprint(data)
    fault(code_, on)
    for command in (["check"], ["audit"]):
        code, _out, err = cli(capsys, *command, "--data", data)
        assert code == 0, err
    assert fingerprint(data) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_a_read_only_data_directory_for_real(store, data, capsys):
    before = fingerprint(data)
    data.chmod(0o500)
    try:
        assert cli(capsys, "check", "--data", data)[0] == 0
        code, _out, err = cli(capsys, *CONNECT, "--data", data)
    finally:
        data.chmod(0o700)
    assert code == 2 and str(data) in _one_line(err) and "Permission denied" in err
    assert fingerprint(data) == before


@pytest.mark.files_only("its files or directory")
def test_a_lock_that_cannot_be_taken_is_named(store, data, capsys, monkeypatch):
    def no_locks(fd, operation):
        raise OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))

    monkeypatch.setattr(fcntl, "flock", no_locks)
    before = fingerprint(data)
    code, _out, err = cli(capsys, "check", "--data", data)
    assert code == 2
    assert f"vaccinnet: {data}: cannot be locked" in _one_line(err)
    assert fingerprint(data) == before


@pytest.mark.files_only("its files or directory")
def test_an_old_lock_path_that_is_a_directory_is_harmless(store, data, capsys):
    # Earlier versions locked DATA/.lock; the lock is now the directory itself.
    (data / ".lock").mkdir()
    assert cli(capsys, *CONNECT, "--data", data)[0] == 0
    assert cli(capsys, "check", "--data", data)[0] == 0


# ----- the lock ---------------------------------------------------------------------------------

HOLD = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""


def _hold_lock(data, seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(data), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "held"
    return holder


def _vaccinnet(data, *args, timeout="1"):
    env = {**os.environ, "VACCINNET_LOCK_TIMEOUT": timeout}
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args, "--data", str(data)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


@pytest.mark.files_only("its files or directory")
def test_a_stuck_lock_names_the_lock_and_its_holder(store, data):
    before = fingerprint(data)
    holder = _hold_lock(data, 60)
    try:
        start = time.monotonic()
        result = _vaccinnet(data, "check", timeout="1")
        waited = time.monotonic() - start
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 2
    line = _one_line(result.stderr)
    assert f"vaccinnet: {data}: " in line and f"process {holder.pid} (python" in line
    assert "for 1 s" in line and waited < 10
    assert fingerprint(data) == before


@pytest.mark.files_only("its files or directory")
def test_a_wait_for_the_lock_is_told_then_goes_on(store, data):
    holder = _hold_lock(data, 2.0)
    try:
        result = _vaccinnet(data, "check", timeout="30")
    finally:
        holder.wait()
    assert result.returncode == 0, result.stderr
    assert f"waiting for the store's lock on {data}, held by process {holder.pid}" in result.stderr


SLOW_WRITER = """
import sys, time
import store.segments as segments
from store import Store, StoreError, open_store
real = segments.write_file
def slow(path, data, mode):
    if path.name.startswith("requests."):
        print("writing", flush=True)
        time.sleep(1.5)
    real(path, data, mode)
segments.write_file = slow
s = open_store(sys.argv[1])
print(s.file_connect(sys.argv[2], "cab", sys.argv[3], "Martin", "Claire", "infirmier").id)
"""


@pytest.mark.files_only("its files or directory")
def test_removing_a_lock_file_during_a_write_loses_nothing(store, data):
    (data / ".lock").write_text("")  # what earlier versions locked
    writer = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITER, str(data), DOCTOR, NURSE],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout.readline().strip() == "writing"  # it holds the lock now
    for lock in data.glob(".lock*"):
        lock.unlink()
    start = time.monotonic()
    second = store.file_connect(DOCTOR, "cab", NURSE_2, "Peeters", "Lotte", "infirmier")
    waited = time.monotonic() - start
    first_id = writer.communicate(timeout=60)[0].strip()
    assert writer.returncode == 0
    assert waited > 0.5  # the second writer waited for the first
    pending = {r.id: r.niss for r in open_store(data).requests("cab")}
    assert pending == {first_id: NURSE, second.id: NURSE_2}
    assert open_store(data).verify() == []
