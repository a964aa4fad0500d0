"""`vaccinnet copy`: a whole store, audit chain included, from files to PostgreSQL and back."""

from __future__ import annotations

import pytest

from store import StoreError, open_store
from store.copying import COPIED, copy_store
from tests.conftest import DOCTOR, NURSE, NURSE_2, TRAINEE, link
from tui.cli import run


def _lived_in(store):
    """A store with some history: links, decisions of every kind, mails, settings."""
    link(store, "cab", NURSE, "Martin", "Claire", "infirmier")
    link(store, "cab", TRAINEE, "Claes", "Wout", "macg")
    rejected = store.file_connect(DOCTOR, "cab", NURSE_2, "Peeters", "Lotte", "infirmier")
    store.reject("adm", rejected.id, "Inconnue")
    (leaving,) = store.file_disconnect(DOCTOR, "cab", [NURSE])
    store.approve("adm", leaving.id)
    store.file_connect(DOCTOR, "cab", NURSE_2, "Peeters", "Lotte", "infirmier")
    store.change_settings("adm", {"expire_after_days": 30})
    return store


def _everything(store):
    with store.reading():
        return {t: list(store._files.items(t)) for t in COPIED}, store._files.meta


def test_a_store_goes_to_the_other_backend_and_comes_back_the_same(
    store, database, tmp_path, capsys
):
    # Once per backend as the source: files → database → files, database → files.
    source = _lived_in(store)
    before = _everything(source)
    on_files = source.root is not None
    there = database if on_files else tmp_path / "copy"
    status = run(["copy", "--from", str(source.location), "--to", str(there)])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert "audit entries, the chain verified" in out and "requests" in out
    copied = open_store(there)
    assert _everything(copied) == before
    assert copied.verify() == []
    assert copied.requests(status=None) == source.requests(status=None)
    if on_files:
        assert run(["copy", "--from", database, "--to", str(tmp_path / "back")]) == 0
        assert _everything(open_store(tmp_path / "back")) == before


def test_a_copy_refuses_a_target_that_holds_a_store(store, tmp_path):
    other = open_store(tmp_path / "other")
    other.add_admin("x", "Someone Else")
    with pytest.raises(StoreError, match="already holds a store"):
        copy_store(store, other)
    assert [a.id for a in other.admins()] == ["x"]
