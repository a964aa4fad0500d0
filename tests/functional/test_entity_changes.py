"""Each commit says which entities it touched, so a reader of one entity can skip the rest."""

from __future__ import annotations

import pytest

from rules import make_niss
from store.segments import CHANGES_KEPT
from tests.conftest import DOCTOR, NURSE, PHARMACIST, add_pharmacy, link


def test_a_commit_elsewhere_leaves_the_entity_unchanged(store):
    add_pharmacy(store)
    seen = store.version()
    store.file_connect(PHARMACIST, "ph", NURSE, "Martin", "Claire", "infirmier")
    store.add_admin("late", "Late Admin")  # no entity at all
    now, changed = store.entity_changed("cab", seen)
    assert now == store.version() > seen and not changed
    assert store.entity_changed("ph", seen) == (now, True)
    store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    assert store.entity_changed("cab", now)[1]


def test_approving_touches_the_entity_of_the_request(store):
    add_pharmacy(store)
    request = store.file_connect(PHARMACIST, "ph", NURSE, "Martin", "Claire", "infirmier")
    seen = store.version()
    store.approve("adm", request.id)
    assert store.entity_changed("ph", seen)[1] and not store.entity_changed("cab", seen)[1]


def test_a_reader_too_far_behind_reads_again(store):
    add_pharmacy(store)
    seen = store.version()
    for i in range(CHANGES_KEPT // 2 + 1):  # two commits each: more than it remembers
        link(store, "ph", make_niss("800101", 100 + i), "Extra", "Person", "infirmier", PHARMACIST)
    assert store.entity_changed("cab", seen)[1]  # unknown: read again, to be safe


def test_a_commit_says_which_tables_it_wrote(store):
    request = store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    store.approve("adm", request.id)
    seen = store.version()
    (mail,) = store.outbox()
    store.mark_sent(mail.id)  # what the mailer does: the outbox only
    now, changed = store.tables_changed(("requests", "links"), seen)
    assert now == store.version() > seen and not changed
    assert store.tables_changed(("outbox",), seen) == (now, True)


@pytest.mark.files_only("its files or directory")
def test_a_commit_touching_many_entities_says_all_and_keeps_the_manifest_small(store, data):
    import orjson

    from store.segments import MANIFEST, SCOPES_LISTED

    seen = store.version()
    with store._writing():  # an import: many entities in one transaction
        for i in range(SCOPES_LISTED + 1):
            entity = {"id": f"imp-{i}", "name": f"Import {i}", "kind": "cabinet_medical"}
            store._insert("entities", {**entity, "email": "imp@example.be", "language": "fr"})
    changes = orjson.loads((data / MANIFEST).read_bytes())["changes"]
    # The import, then the queue's warnings reviewed once after it (store/reviews.py).
    assert [change[1] for change in changes if change[0] > seen] == [["*"], []]
    assert store.entity_changed("cab", seen)[1]  # "all" includes every entity
