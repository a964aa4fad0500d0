"""A store of the first layout (schema 1, segments by id) is converted once, and safely."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from store import open_store
from store.demo import DEMO_DOCTOR
from store.segments import MANIFEST, SCHEMA_VERSION

# Written by `vaccinnet demo` at commit a9d719c, the last version of the first layout.
OLD_DEMO = Path(__file__).parent.parent / "fixtures" / "store_schema_1"
TABLES = ("admins", "entities", "links", "requests", "outbox", "audit")


def _old_documents() -> dict[str, dict[int, dict]]:
    manifest = orjson.loads((OLD_DEMO / MANIFEST).read_bytes())
    docs: dict[str, dict[int, dict]] = {}
    for table, info in manifest["tables"].items():
        for name in info["segments"].values():
            raw = orjson.loads((OLD_DEMO / name).read_bytes())[table]
            docs.setdefault(table, {}).update({int(k): v for k, v in raw.items()})
    return docs


def _bytes(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in root.iterdir() if p.suffix == ".json"}


@pytest.fixture
def old_store(tmp_path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(OLD_DEMO, root)
    root.chmod(0o700)
    return root


def _assert_converted(root: Path) -> None:
    old = _old_documents()
    store = open_store(root)
    manifest = orjson.loads((root / MANIFEST).read_bytes())
    assert manifest["schema"] == SCHEMA_VERSION
    for table in ("entities", "links", "requests"):
        assert manifest["tables"][table]["buckets"] > 1
    # Every document is there, unchanged, under its id.
    for table in TABLES:
        assert dict(store._files.items(table)) == old[table], table
    # What the consoles read, through the new layout: an entity's staff and requests, a
    # person's entities and links, a request by its id.
    for doc in old["entities"].values():
        staff = {(link.niss, link.employee_type) for link in store.staff(doc["id"])}
        expected = {
            (link["niss"], link["employee_type"])
            for link in old["links"].values()
            if link["entity_id"] == doc["id"]
        }
        assert staff == expected, doc["id"]
        assert [r.id for r in store.requests(doc["id"], status=None)] == [
            r["id"] for _, r in sorted(old["requests"].items()) if r["entity_id"] == doc["id"]
        ]
    assert {e.id for e in store.entities_of(DEMO_DOCTOR)} == {
        link["entity_id"] for link in old["links"].values() if link["niss"] == DEMO_DOCTOR
    }
    first = old["requests"][1]
    assert store.request("R000001").niss == first["niss"]
    assert [r.id for r in store.filed_by(first["filed_by"])] == [
        r["id"] for _, r in sorted(old["requests"].items()) if r["filed_by"] == first["filed_by"]
    ]
    # Files, indexes, rules and the audit chain: all as check wants them.
    assert store.verify() == []


def test_opening_a_store_of_the_first_layout_converts_it_once(old_store):
    _assert_converted(old_store)
    generation = orjson.loads((old_store / MANIFEST).read_bytes())["generation"]
    # The files of the first layout are gone once no reader holds them; nothing else is.
    assert not (old_store / "links.00000.70.json").exists()
    assert not (old_store / "requests.00000.82.json").exists()
    # Opened again: not converted a second time.
    open_store(old_store).staff("cab-dupont")
    assert orjson.loads((old_store / MANIFEST).read_bytes())["generation"] == generation
    result = subprocess.run(
        [sys.executable, "-m", "tui.cli", "check", "--data", str(old_store)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and result.stdout.startswith("OK"), result


def test_the_converted_store_is_written_and_decided_as_before(old_store):
    store = open_store(old_store)
    entity = store.entities_of(DEMO_DOCTOR)[0]
    before = len(store.staff(entity.id))
    nurse = "90011501277"
    request = store.file_connect(DEMO_DOCTOR, entity.id, nurse, "Martin", "Claire", "infirmier")
    assert int(request.id[1:]) == max(_old_documents()["requests"]) + 1  # ids go on
    store.approve("admin", request.id)
    assert len(store.staff(entity.id)) == before + 1
    assert entity.id in {e.id for e in open_store(old_store).entities_of(nurse)}
    assert store.verify() == []


CRASH = """
import os, sys
import store.segments as segments

written = 0
real = segments.write_file


def write_then_die(path, data, mode):
    global written
    real(path, data, mode)
    written += 1
    if written == int(sys.argv[2]):
        os._exit(9)  # killed in the middle of the conversion, after this file


segments.write_file = write_then_die
from store import open_store

open_store(sys.argv[1])
"""


@pytest.mark.parametrize("after", [1, 7, 40])
def test_a_conversion_killed_half_way_leaves_the_old_store_intact(old_store, after):
    before = _bytes(old_store)
    killed = subprocess.run(
        [sys.executable, "-c", CRASH, str(old_store), str(after)], capture_output=True, check=False
    )
    assert killed.returncode == 9, killed.stderr
    now = _bytes(old_store)
    # Every file of the old store is there, byte for byte, the manifest first.
    assert {name: now[name] for name in before} == before
    assert set(now) - set(before), "the conversion wrote nothing before it died"
    # The next program converts it; the dead one's files are garbage, not data (check
    # would name any file it cannot explain).
    _assert_converted(old_store)
