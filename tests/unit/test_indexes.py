"""The store's indexes: each declared once, each key tolerant of a damaged document."""

from __future__ import annotations

import store.indexes
from store.indexes import Index

DECLARED = [value for value in vars(store.indexes).values() if isinstance(value, Index)]


def test_no_two_indexes_of_a_table_share_a_name():
    # Segments cache an index by its name: two keys under one name would answer for each other.
    names = [(index.table, index.name) for index in DECLARED]
    assert len(DECLARED) >= 10 and len(set(names)) == len(names)


def test_a_document_missing_its_fields_gets_an_empty_key_not_an_error():
    for index in DECLARED:
        assert index.key({}) in (None, (None, None)), index


def test_a_key_reads_the_fields_it_is_named_for():
    doc = {"id": "cab", "entity_id": "cab", "status": "pending", "niss": "n", "filed_by": "f"}
    assert store.indexes.REQUESTS_BY_STATUS_ENTITY.key(doc) == ("pending", "cab")
    assert store.indexes.LINKS_BY_ENTITY.key(doc) == "cab"
    assert store.indexes.REQUESTS_BY_FILER.key(doc) == "f"
