"""What store/tables.py relies on in TinyDB: the table's private read and write hooks.

SegmentTable overrides ``Table._read_table`` and ``Table._update_table``, which are not
TinyDB's public API; pyproject.toml pins TinyDB to the minor version these tests passed on.
"""

from __future__ import annotations

import inspect

import pytest
from tinydb import Query
from tinydb.table import Document, Table

from store.segments import SegmentFiles
from store.tables import SegmentDB, SegmentTable

LINK = Query()


@pytest.fixture
def files(tmp_path):
    files = SegmentFiles(tmp_path)
    files.create()
    files.refresh()
    return files


@pytest.fixture
def links(files) -> SegmentTable:
    table = SegmentDB(files).table("links")
    assert isinstance(table, SegmentTable)
    files.begin()
    for doc_id, niss in ((1, "a"), (2, "b"), (3, "c")):
        table.insert(Document({"niss": niss, "entity_id": "cab"}, doc_id=doc_id))
    files.commit()
    return table


def _committed(files: SegmentFiles) -> dict[int, dict]:
    return dict(files.items("links"))


def test_the_overridden_hooks_have_the_shape_segment_table_expects():
    assert list(inspect.signature(Table._read_table).parameters) == ["self"]
    assert list(inspect.signature(Table._update_table).parameters) == ["self", "updater"]


def test_forget_drops_the_query_cache_after_another_process_committed(tmp_path, files, links):
    assert len(links.search(LINK.entity_id == "cab")) == 3
    other = SegmentFiles(tmp_path)
    other.refresh()
    other.begin()
    SegmentDB(other).table("links").update({"entity_id": "wzc"}, doc_ids=[3])
    other.commit()
    assert files.refresh()
    # TinyDB's query cache still answers from before the other commit ...
    assert len(links.search(LINK.entity_id == "cab")) == 3
    links.forget()
    # ... until forget() (called by the store whenever the manifest changed) clears it.
    assert [d.doc_id for d in links.search(LINK.entity_id == "cab")] == [1, 2]
    assert links._next_id is None


def test_insert_with_a_document_id_writes_that_id_into_the_transaction_only(files, links):
    files.begin()
    assert links.insert(Document({"niss": "d", "entity_id": "wzc"}, doc_id=9)) == 9
    assert files.get("links", 9) == {"niss": "d", "entity_id": "wzc"}
    files.abort()
    assert files.get("links", 9) is None and len(links) == 3


def test_insert_over_an_existing_id_is_refused(files, links):
    files.begin()
    with pytest.raises(ValueError, match="already exists"):
        links.insert(Document({"niss": "x"}, doc_id=2))
    files.abort()
    assert _committed(files)[2]["niss"] == "b"


def test_update_by_id_changes_a_copy_that_an_abort_throws_away(files, links):
    before = _committed(files)
    files.begin()
    links.update({"niss": "B"}, doc_ids=[2])
    assert files.get("links", 2) == {"niss": "B", "entity_id": "cab"}
    files.abort()
    # TinyDB updates documents in place: the committed one must not have been that place.
    assert _committed(files) == before
    files.begin()
    links.update({"niss": "B"}, doc_ids=[2])
    files.commit()
    assert _committed(files) == {**before, 2: {"niss": "B", "entity_id": "cab"}}


def test_update_by_condition_changes_only_the_matching_documents(files, links):
    files.begin()
    links.update({"entity_id": "wzc"}, LINK.niss == "c")
    files.commit()
    assert {k: v["entity_id"] for k, v in _committed(files).items()} == {
        1: "cab",
        2: "cab",
        3: "wzc",
    }


def test_remove_by_id_deletes_that_document_only(files, links):
    files.begin()
    assert links.remove(doc_ids=[1]) == [1]
    files.commit()
    assert sorted(_committed(files)) == [2, 3]


def test_reads_go_through_the_segments_and_the_query_cache_follows_writes(files, links):
    assert [d.doc_id for d in links.search(LINK.entity_id == "cab")] == [1, 2, 3]
    assert links.get(doc_id=2)["niss"] == "b" and links.get(doc_id=7) is None
    assert links.contains(doc_id=3) and not links.contains(doc_id=4)
    assert [d["niss"] for d in links.all()] == ["a", "b", "c"] and len(links) == 3
    files.begin()
    links.update({"entity_id": "wzc"}, doc_ids=[1])
    files.commit()
    # The cached result of the same query is dropped by the write.
    assert [d.doc_id for d in links.search(LINK.entity_id == "cab")] == [2, 3]


def test_a_segment_emptied_then_filled_again_holds_only_the_new_documents(tmp_path, files):
    # The writer's cached copy of a segment it emptied must go with the segment: the next
    # commit to that segment would otherwise write the removed documents back.
    for change in ({1: {"niss": "a"}}, {1: None}, {2: {"niss": "b"}}):
        files.begin()
        for doc_id, doc in change.items():
            files.put("links", doc_id, doc)
        files.commit()
    assert dict(files.items("links")) == {2: {"niss": "b"}}
    other = SegmentFiles(tmp_path)
    other.refresh()
    assert dict(other.items("links")) == {2: {"niss": "b"}}
