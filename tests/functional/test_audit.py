"""The audit trail is a hash chain: an edited, removed or reordered entry is found and located."""

from __future__ import annotations

import subprocess
import sys

import orjson
import pytest

from store import open_store
from tests.conftest import DOCTOR, NURSE, NURSE_2, add_pharmacy, add_practice, link
from tests.functional.test_machine_faults import CONNECT


@pytest.fixture
def trail(store, data):
    link(store, "cab", NURSE, "Martin", "Claire", "infirmier")
    request = store.file_connect(DOCTOR, "cab", NURSE_2, "Peeters", "Lotte", "infirmier")
    store.reject("adm", request.id, "inconnue")
    assert len(store.audit_entries()) == 7
    assert store.verify() == []
    (segment,) = data.glob("audit.*.json")
    return segment


def _rewrite(segment, change):
    raw = orjson.loads(segment.read_bytes())
    change(raw["audit"])
    segment.write_bytes(orjson.dumps(raw))


def _check(data):
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", "check", "--data", str(data)],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.files_only("edits the trail's segment file")
def test_edited_entry_is_found(trail, data):
    _rewrite(trail, lambda docs: docs["5"]["detail"].update(kind="disconnect"))
    problems = open_store(data).verify()
    assert problems == ["audit entry 5 does not match its hash (edited)"]
    result = _check(data)
    assert result.returncode == 1 and "audit entry 5" in result.stdout


@pytest.mark.files_only("edits the trail's segment file")
def test_edited_entry_with_recomputed_hash_breaks_the_next_link(trail, data):
    from store.audit import seal

    def forge(docs):
        docs["4"]["actor"] = "someone-else"
        docs["4"]["hash"] = seal(docs["4"])

    _rewrite(trail, forge)
    problems = open_store(data).verify()
    assert any("audit entry 5 does not follow entry 4" in p for p in problems)


@pytest.mark.files_only("edits the trail's segment file")
def test_removed_entry_is_found(trail, data):
    _rewrite(trail, lambda docs: docs.pop("3"))
    problems = open_store(data).verify()
    assert "audit entry 3 is missing (removed)" in problems


@pytest.mark.files_only("edits the trail's segment file")
def test_removed_last_entry_is_found(trail, data):
    _rewrite(trail, lambda docs: docs.pop("7"))
    problems = open_store(data).verify()
    assert any("the trail ends at entry 6 but its head says 7" in p for p in problems)


@pytest.mark.files_only("edits the trail's segment file")
def test_reordered_entries_are_found(trail, data):
    def swap(docs):
        docs["4"], docs["5"] = docs["5"], docs["4"]

    _rewrite(trail, swap)
    problems = open_store(data).verify()
    assert any("audit entry 4" in p for p in problems)
    assert _check(data).returncode == 1


@pytest.mark.files_only("edits the trail's segment file")
def test_intact_trail_checks_ok(trail, data):
    result = _check(data)
    assert result.returncode == 0 and "OK" in result.stdout and "7 entries" in result.stdout


def _audit(data, *args):
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", "audit", "--data", str(data), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.files_only("edits the trail's segment file")
def test_audit_command_filters_and_json(trail, data, store):
    import json

    from rules import format_niss

    add_pharmacy(store, name="Pharmacie", manager="82.09.25-244.15")
    everything = _audit(data)
    assert everything.returncode == 0 and len(everything.stdout.splitlines()) == 8
    cab = _audit(data, "--entity", "cab", "--json")
    entries = [json.loads(line) for line in cab.stdout.splitlines()]
    assert {e["entity_id"] for e in entries} == {"cab"} and len(entries) == 5
    assert all(len(e["hash"]) == 64 for e in entries)
    nurse = _audit(data, "--niss", format_niss(NURSE), "--json")
    assert {json.loads(line)["request_id"] for line in nurse.stdout.splitlines()} == {"R000001"}
    assert _audit(data, "--since", "2030-01-01").stdout == ""
    assert len(_audit(data, "--since", "01/03/2026").stdout.splitlines()) == 8
    wrong = _audit(data, "--since", "yesterday")
    assert wrong.returncode == 1 and "YYYY-MM-DD" in wrong.stderr


@pytest.mark.files_only("its files or directory")
def test_segments_reserialised_with_sorted_keys_check_clean(store, data, capsys):
    import json

    from tui.cli import run

    for i in range(10):  # past ten entries, sorted string keys put "10" before "2"
        store.add_admin(f"a{i}", "Admin")
    listed = [e.seq for e in store.audit_entries()]
    for segment in data.glob("*.*.*.json"):
        raw = json.loads(segment.read_text())
        segment.write_text(json.dumps(raw, sort_keys=True, indent=2))
    (audit,) = data.glob("audit.*.json")
    text = audit.read_text()
    assert text.index('"10": {') < text.index('"2": {')
    assert run(["--data", str(data), "check"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK") and f"{len(listed)} entries intact" in out
    assert [e.seq for e in open_store(data).audit_entries()] == listed == sorted(listed)
    assert [a.id for a in open_store(data).admins()][:3] == ["adm", "adm2", "a0"]


# ----- anchors and the audit key: what the plain chain cannot see --------------------------


def _cli(capsys, data, *args):
    from tui.cli import run

    status = run(["--data", str(data), *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _set_head(data, seq, hash_, keyed=False):
    manifest_path = data / "manifest.json"
    manifest = orjson.loads(manifest_path.read_bytes())
    head = {"count": seq, "hash": hash_}
    if keyed:
        head["keyed"] = True
    manifest["meta"]["audit_head"] = head
    manifest_path.write_bytes(orjson.dumps(manifest))


def _reseal_from(docs, first):
    """What a forger without the key does: edit, then recompute every hash from there on."""
    from store.audit import seal

    for seq in range(first, len(docs) + 1):
        doc = docs[str(seq)]
        if seq > 1:
            doc["prev"] = docs[str(seq - 1)]["hash"]
        doc["hash"] = seal(doc)


def _reseal_last(segment):
    from store.audit import seal

    raw = orjson.loads(segment.read_bytes())
    last = raw["audit"][max(raw["audit"], key=int)]
    last["hash"] = seal(last)
    segment.write_bytes(orjson.dumps(raw))
    return last["hash"]


@pytest.fixture
def audit_key(tmp_path, monkeypatch):
    from store.audit import KEY_FILE_ENV

    secrets = tmp_path / "secrets"
    secrets.mkdir(mode=0o700)
    key = secrets / "audit.key"
    key.write_text("3f9c1a7e5b2d4c6e8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f\n")
    key.chmod(0o600)
    monkeypatch.setenv(KEY_FILE_ENV, str(key))
    return key


@pytest.fixture
def keyed_trail(audit_key, data, clock):
    s = open_store(data, clock=clock)
    s.add_admin("adm", "Anne Admin")
    s.add_admin("adm2", "Koen Peeters")
    add_practice(s)
    link(s, "cab", NURSE, "Martin", "Claire", "infirmier")
    request = s.file_connect(DOCTOR, "cab", NURSE_2, "Peeters", "Lotte", "infirmier")
    s.reject("adm", request.id, "inconnue")
    entries = s.audit_entries()
    assert len(entries) == 7 and all(e.mac and len(e.mac) == 64 for e in entries)
    (segment,) = data.glob("audit.*.json")
    return segment


@pytest.mark.files_only("edits the trail's segment file")
def test_audit_head_prints_the_head_and_the_listing_still_works(trail, data, capsys, store):
    last = store.audit_entries()[-1]
    status, out, _ = _cli(capsys, data, "audit", "head")
    assert status == 0 and out == f"7:{last.hash}\n"
    status, out, _ = _cli(capsys, data, "audit", "head", "--json")
    head = orjson.loads(out)
    assert head == {"seq": 7, "hash": last.hash, "at": last.at, "keyed": False}
    status, out, _ = _cli(capsys, data, "audit", "--entity", "cab")
    assert status == 0 and len(out.splitlines()) == 5


@pytest.mark.files_only("edits the trail's segment file")
def test_audit_head_refuses_to_vouch_for_a_broken_trail(trail, data, capsys):
    _rewrite(trail, lambda docs: docs["5"]["detail"].update(kind="disconnect"))
    status, out, err = _cli(capsys, data, "audit", "head")
    assert status == 1 and "FAIL audit entry 5 does not match its hash" in out
    assert "no head printed" in err and ":" not in out.split("FAIL")[0]


@pytest.mark.files_only("its files or directory")
@pytest.mark.files_only("edits the trail's segment file")
def test_check_against_kept_heads(trail, data, capsys, store, tmp_path):
    entries = store.audit_entries()
    old, current = f"3:{entries[2].hash}", f"7:{entries[6].hash}"
    status, out, _ = _cli(capsys, data, "check", "--audit-head", old, "--audit-head", current)
    assert status == 0 and "extends 2 anchored heads, the latest 7:" in out
    kept = tmp_path / "heads.log"
    kept.write_text(
        f"Mar  2 09:00:01 host vaccinnet-audit[812]: head {old}\n"
        f"Mar  3 09:00:01 host vaccinnet-audit[977]: head {current.upper()}\n"
        f"Mar  3 09:00:02 host vaccinnet-audit[977]: head {current}\n"
    )
    status, out, _ = _cli(capsys, data, "check", "--audit-heads", str(kept))
    assert status == 0 and "extends 2 anchored heads" in out
    status, _, err = _cli(capsys, data, "check", "--audit-head", "7:not-a-hash")
    assert status == 1 and "give SEQ:HASH" in err
    kept.write_text("nothing here\n")
    status, _, err = _cli(capsys, data, "check", "--audit-heads", str(kept))
    assert status == 1 and "holds no SEQ:HASH head" in err


@pytest.mark.files_only("edits the trail's segment file")
def test_truncation_with_a_rewritten_head_is_caught_by_an_anchor(trail, data, capsys, store):
    entries = store.audit_entries()
    anchor = f"7:{entries[6].hash}"

    def truncate(docs):
        docs.pop("6"), docs.pop("7")

    _rewrite(trail, truncate)
    _set_head(data, 5, entries[4].hash)
    status, out, _ = _cli(capsys, data, "check")
    assert status == 0 and "5 entries intact" in out  # the plain chain cannot tell
    status, out, _ = _cli(capsys, data, "check", "--audit-head", anchor)
    assert status == 1
    assert f"FAIL audit anchor 7:{entries[6].hash[:12]}…: the trail now ends at entry 5" in out


@pytest.mark.files_only("edits the trail's segment file")
def test_an_anchored_entry_that_is_gone_is_named(trail, data, capsys, store):
    entries = store.audit_entries()
    _rewrite(trail, lambda docs: docs.pop("3"))
    status, out, _ = _cli(
        capsys,
        data,
        "check",
        "--audit-head",
        f"3:{entries[2].hash}",
        "--audit-head",
        f"2:{entries[1].hash}",
    )
    assert status == 1 and "FAIL audit entry 3 is missing (removed)" in out
    assert f"FAIL audit anchor 3:{entries[2].hash[:12]}…: entry 3 is missing (removed)" in out
    assert "anchor 2:" not in out  # the entry before the removal still matches


def test_rewritten_history_is_caught_by_an_anchor_and_by_the_mac(
    keyed_trail, data, capsys, monkeypatch
):
    from store.audit import KEY_FILE_ENV

    entries = open_store(data).audit_entries()
    anchor = f"7:{entries[6].hash}"

    def rewrite(docs):
        docs["5"]["detail"]["kind"] = "disconnect"
        _reseal_from(docs, 5)  # the MACs stay as they were: the forger cannot compute them

    _rewrite(keyed_trail, rewrite)
    forged = orjson.loads(keyed_trail.read_bytes())["audit"]["7"]["hash"]
    _set_head(data, 7, forged, keyed=True)
    status, out, _ = _cli(capsys, data, "check", "--audit-head", anchor)
    assert status == 1 and "FAIL audit anchor 7:" in out and "history rewritten" in out
    status, out, _ = _cli(capsys, data, "check")
    assert status == 1 and "FAIL audit entry 5 has a wrong MAC" in out
    assert "audit entry 6 has a wrong MAC" in out and "entry 4 has" not in out
    monkeypatch.delenv(KEY_FILE_ENV)
    status, out, _ = _cli(capsys, data, "check")
    assert status == 0 and f"NOTE MACs not checked (no audit key: set {KEY_FILE_ENV}): " in out
    assert "): audit entries 1–7\n" in out


def test_rewritten_history_without_macs_is_caught_even_without_the_key(
    keyed_trail, data, capsys, monkeypatch
):
    from store.audit import KEY_FILE_ENV

    def rewrite(docs):
        for seq in ("5", "6", "7"):
            docs[seq].pop("mac")
        _reseal_from(docs, 5)

    _rewrite(keyed_trail, rewrite)
    _set_head(data, 7, orjson.loads(keyed_trail.read_bytes())["audit"]["7"]["hash"])
    monkeypatch.delenv(KEY_FILE_ENV)
    status, out, _ = _cli(capsys, data, "check")
    assert status == 1
    assert "FAIL audit entry 5 has no MAC although entries since 1 have one" in out


def test_a_forged_appended_entry_is_caught_by_the_mac(keyed_trail, data, capsys, monkeypatch):
    from store.audit import KEY_FILE_ENV, mac, seal

    def append(docs):
        forged = {
            **docs["7"],
            "seq": 8,
            "actor": "adm",
            "action": "request_deleted",
            "prev": docs["7"]["hash"],
        }
        forged["mac"] = mac(forged, b"a key the forger made up, 32 bytes or more")
        forged["hash"] = seal(forged)
        docs["8"] = forged

    _rewrite(keyed_trail, append)
    _set_head(data, 8, orjson.loads(keyed_trail.read_bytes())["audit"]["8"]["hash"], keyed=True)
    manifest = orjson.loads((data / "manifest.json").read_bytes())
    manifest["tables"]["audit"]["next_id"] = 9
    (data / "manifest.json").write_bytes(orjson.dumps(manifest))
    status, out, _ = _cli(capsys, data, "check")
    assert status == 1 and out.splitlines() == [
        "FAIL audit entry 8 has a wrong MAC (forged, or written with another audit key)"
    ]
    _rewrite(keyed_trail, lambda docs: docs["8"].update(mac="é" * 64))
    _set_head(data, 8, _reseal_last(keyed_trail), keyed=True)
    status, out, _ = _cli(capsys, data, "check")
    assert status == 1 and "FAIL audit entry 8 has a wrong MAC" in out
    monkeypatch.delenv(KEY_FILE_ENV)
    status, out, _ = _cli(capsys, data, "check")
    assert status == 0 and "8 entries intact" in out  # without the key, only a note says so
    assert "): audit entries 1–8\n" in out


@pytest.mark.files_only("edits the trail's segment file")
def test_entries_before_the_key_are_noted_not_failed(trail, data, capsys, audit_key, clock):
    status, out, _ = _cli(capsys, data, "check")
    assert status == 0 and "NOTE no MAC on audit entries 1–7 (none was written" in out
    open_store(data, clock=clock).add_admin("adm3", "Eva Claes")
    status, out, _ = _cli(capsys, data, "check")
    assert status == 0
    assert "NOTE no MAC on audit entries 1–7 (written before the audit key" in out
    assert "NOTE MACs checked with the audit key: audit entry 8\n" in out
    status, out, _ = _cli(capsys, data, "audit", "head", "--json")
    assert orjson.loads(out)["keyed"] is True


def test_a_writer_without_the_key_is_refused_on_a_keyed_trail(
    keyed_trail, data, capsys, monkeypatch
):
    from store.audit import KEY_FILE_ENV

    monkeypatch.delenv(KEY_FILE_ENV)
    before = {p.name: p.read_bytes() for p in data.iterdir() if p.is_file()}
    status, _, err = _cli(capsys, data, *CONNECT)
    assert status == 2 and f"{KEY_FILE_ENV}: is not set, but the audit trail is keyed" in err
    after = {p.name: p.read_bytes() for p in data.iterdir() if p.is_file()}
    assert after == before


def test_the_key_is_never_written_into_the_store(keyed_trail, data, audit_key):
    key = audit_key.read_bytes().strip()
    for path in data.iterdir():
        if path.is_file():
            assert key not in path.read_bytes(), path.name
            assert key.hex().encode() not in path.read_bytes(), path.name


@pytest.mark.files_only("its files or directory")
@pytest.mark.parametrize(
    ("place", "mode", "content", "message"),
    [
        ("inside", 0o600, "k" * 40, "must be outside the data directory"),
        ("symlink", 0o600, "k" * 40, "must be outside the data directory"),
        ("outside", 0o640, "k" * 40, "open to others (mode 0640)"),
        ("outside", 0o604, "k" * 40, "open to others (mode 0604)"),
        ("outside", 0o600, "short", "too short (length 5); use at least 32"),
        ("missing", 0o600, "", "cannot be read (No such file or directory)"),
    ],
)
def test_a_bad_key_file_is_refused_with_its_name(
    trail, data, tmp_path, capsys, monkeypatch, place, mode, content, message
):
    from store.audit import KEY_FILE_ENV

    key = (data if place in ("inside", "symlink") else tmp_path) / "audit.key"
    if place == "symlink":  # the link sits where the data's writers could replace it
        (tmp_path / "real.key").write_text(content)
        (tmp_path / "real.key").chmod(mode)
        key.symlink_to(tmp_path / "real.key")
    elif place != "missing":
        key.write_text(content)
        key.chmod(mode)
    monkeypatch.setenv(KEY_FILE_ENV, str(key))
    status, out, err = _cli(capsys, data, "check")
    assert status == 2 and out == "" and err.startswith(f"vaccinnet: {key}: ") and message in err
    assert key.read_text() == content if place != "missing" else not key.exists()
