"""A damaged manifest: reads and check delete nothing, and check names what is wrong."""

from __future__ import annotations

import contextlib
import hashlib
from datetime import UTC, datetime

import orjson
import pytest

from store import StoreError, open_store
from store.demo import build_demo
from store.segments import MANIFEST
from tui.cli import main


def fingerprint(data):
    """Every file's bytes, so a test can prove that nothing was deleted, renamed or rewritten."""
    return {
        str(p.relative_to(data)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(data.rglob("*"))
        if p.is_file()
    }


def cli(capsys, *args):
    with pytest.raises(SystemExit) as ended:
        main([*map(str, args)])
    out, err = capsys.readouterr()
    return ended.value.code, out, err


@pytest.fixture(scope="module")
def demo_bytes(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo") / "data"
    build_demo(root, datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    return {p.name: p.read_bytes() for p in root.iterdir() if p.is_file()}


@pytest.fixture
def demo(data, demo_bytes):
    data.mkdir(mode=0o700)
    for name, raw in demo_bytes.items():
        (data / name).write_bytes(raw)
    return data


def _edit_manifest(data, change):
    manifest = orjson.loads((data / MANIFEST).read_bytes())
    victim = change(manifest)
    (data / MANIFEST).write_bytes(orjson.dumps(manifest, option=orjson.OPT_INDENT_2))
    return victim


def _first_links(manifest):
    segments = manifest["tables"]["links"]["segments"]
    return min(segments, key=int)


def _point_links_elsewhere(manifest):
    key = _first_links(manifest)
    victim = manifest["tables"]["links"]["segments"][key]
    manifest["tables"]["links"]["segments"][key] = f"links.{int(key):05d}.1.json"
    return victim, f"links.{int(key):05d}.1.json"


def _drop_links(manifest):
    victim = manifest["tables"]["links"]["segments"][_first_links(manifest)]
    del manifest["tables"]["links"]
    return victim, victim


def _drop_audit_0(manifest):
    victim = manifest["tables"]["audit"]["segments"].pop("0")
    return victim, victim


DAMAGES = {
    "links segment points to a missing file": _point_links_elsewhere,
    "links table dropped": _drop_links,
    "audit segment 0 dropped": _drop_audit_0,
}


@pytest.mark.parametrize("damage", DAMAGES.values(), ids=DAMAGES.keys())
def test_check_reports_the_damage_and_deletes_nothing(demo, capsys, damage):
    victim, named = _edit_manifest(demo, damage)
    before = fingerprint(demo)
    code, out, err = cli(capsys, "check", "--data", demo)
    assert code == 2, (out, err)
    assert named in out + err
    assert fingerprint(demo) == before  # the real segment is still there, byte for byte
    assert (demo / victim).exists()


@pytest.mark.parametrize("damage", DAMAGES.values(), ids=DAMAGES.keys())
@pytest.mark.parametrize("command", [["audit"], ["audit", "--json"], ["backup", "{dest}"]])
def test_reading_commands_delete_nothing(demo, capsys, tmp_path, damage, command):
    _edit_manifest(demo, damage)
    before = fingerprint(demo)
    cli(capsys, *[a.format(dest=tmp_path / "copy") for a in command], "--data", demo)
    assert fingerprint(demo) == before


@pytest.mark.parametrize("damage", DAMAGES.values(), ids=DAMAGES.keys())
def test_opening_and_reading_delete_nothing(demo, damage):
    _edit_manifest(demo, damage)
    before = fingerprint(demo)
    store = open_store(demo)
    for read in (store.entities, store.admins, store.counts, store.verify, store.requests):
        with contextlib.suppress(StoreError):  # what matters here is the files
            read()
    assert fingerprint(demo) == before


@pytest.mark.parametrize("damage", DAMAGES.values(), ids=DAMAGES.keys())
def test_a_writer_on_a_damaged_store_removes_nothing_it_cannot_prove_is_garbage(demo, damage):
    victim, _named = _edit_manifest(demo, damage)
    store = open_store(demo)
    with contextlib.suppress(StoreError):  # a refusal is fine; a deletion is not
        store.add_admin("late", "Late Admin")
    assert (demo / victim).exists()
