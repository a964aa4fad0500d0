"""The audit trail is a hash chain: an edited, removed or reordered entry is found and located."""

from __future__ import annotations

import subprocess
import sys

import orjson
import pytest

from store import open_store
from tests.conftest import DOCTOR, NURSE, NURSE_2, link


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
    return subprocess.run([sys.executable, "-m", "tui.cli", "check", "--data", str(data)],
                          capture_output=True, text=True, timeout=60)  # fmt: skip


def test_edited_entry_is_found(trail, data):
    _rewrite(trail, lambda docs: docs["5"]["detail"].update(kind="disconnect"))
    problems = open_store(data).verify()
    assert problems == ["audit entry 5 does not match its hash (edited)"]
    result = _check(data)
    assert result.returncode == 1 and "audit entry 5" in result.stdout


def test_edited_entry_with_recomputed_hash_breaks_the_next_link(trail, data):
    from store.audit import seal

    def forge(docs):
        docs["4"]["actor"] = "someone-else"
        docs["4"]["hash"] = seal(docs["4"])

    _rewrite(trail, forge)
    problems = open_store(data).verify()
    assert any("audit entry 5 does not follow entry 4" in p for p in problems)


def test_removed_entry_is_found(trail, data):
    _rewrite(trail, lambda docs: docs.pop("3"))
    problems = open_store(data).verify()
    assert "audit entry 3 is missing (removed)" in problems


def test_removed_last_entry_is_found(trail, data):
    _rewrite(trail, lambda docs: docs.pop("7"))
    problems = open_store(data).verify()
    assert any("6 entries but 7 were written" in p for p in problems)


def test_reordered_entries_are_found(trail, data):
    def swap(docs):
        docs["4"], docs["5"] = docs["5"], docs["4"]

    _rewrite(trail, swap)
    problems = open_store(data).verify()
    assert any("audit entry 4" in p for p in problems)
    assert _check(data).returncode == 1


def test_intact_trail_checks_ok(trail, data):
    result = _check(data)
    assert result.returncode == 0 and "OK" in result.stdout and "7 entries" in result.stdout


def _audit(data, *args):
    return subprocess.run([sys.executable, "-m", "tui.cli", "audit", "--data", str(data), *args],
                          capture_output=True, text=True, timeout=60)  # fmt: skip


def test_audit_command_filters_and_json(trail, data, store):
    import json

    from rules import format_niss

    store.create_entity("adm", "ph", "Pharmacie", "pharmacie", "ph@example.be", "fr",
                        "82.09.25-244.15", "Lelièvre", "Sophie", "pharmacien")  # fmt: skip
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
