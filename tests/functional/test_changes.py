"""The store's change token: read without the lock, different after every commit."""

from __future__ import annotations

import fcntl
import os
import time

import pytest

from store.changes import ChangeSource, ManifestChanges
from tests.conftest import DOCTOR, NURSE


@pytest.mark.files_only("its files or directory")
def test_the_token_changes_with_every_commit_and_only_then(store, data):
    changes: ChangeSource = ManifestChanges(data)
    first = changes.token()
    assert changes.token() == first
    store.staff("cab")  # a read commits nothing
    assert changes.token() == first
    tokens = {first}
    for _ in range(5):  # commits within the same clock tick still differ
        store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
        tokens.add(changes.token())
        store.delete("adm", store.requests("cab", status="pending")[0].id)
        tokens.add(changes.token())
    assert len(tokens) == 11


@pytest.mark.files_only("its files or directory")
def test_the_token_is_read_while_another_process_holds_the_lock(store, data):
    held = os.open(data, os.O_RDONLY)
    fcntl.flock(held, fcntl.LOCK_EX)
    try:
        start = time.monotonic()
        ManifestChanges(data).token()
        assert time.monotonic() - start < 0.5
    finally:
        os.close(held)


@pytest.mark.files_only("its files or directory")
def test_a_missing_manifest_is_a_change_too(store, data):
    changes = ManifestChanges(data)
    before = changes.token()
    manifest = data / "manifest.json"
    kept = manifest.read_bytes()
    manifest.unlink()
    try:
        assert changes.token() != before
    finally:
        manifest.write_bytes(kept)
