"""What store/ says as a Phrase: English as a string, in the reader's language through tui."""

from __future__ import annotations

import errno

import pytest

from rules.phrase import N_, Phrase, joined
from store.errors import StoreError, os_problem
from tui.i18n import language, said, set_language


@pytest.fixture
def dutch():
    before = language()
    set_language("nl")
    yield
    set_language(before)


def test_a_phrase_is_its_english_text_and_keeps_its_values():
    entries = Phrase(N_("audit entries {first}–{last}"), first=1, last=7)
    note = Phrase(N_("MACs checked with the audit key: {entries}"), entries=entries)
    assert note == "MACs checked with the audit key: audit entries 1–7"
    assert note.values["entries"] is entries


def test_said_translates_a_phrase_and_the_phrases_inside_it(dutch):
    entries = Phrase(N_("audit entries {first}–{last}"), first=1, last=7)
    note = Phrase(N_("MACs checked with the audit key: {entries}"), entries=entries)
    assert said(note) == "MAC’s gecontroleerd met de auditsleutel: auditregels 1–7"


def test_a_store_error_names_its_file_and_the_system_s_reason_in_the_language(dutch):
    denied = PermissionError(errno.EACCES, "Permission denied", "/data/manifest.json")
    error = os_problem("/data", denied, "read")
    assert str(error) == "/data/manifest.json: cannot be read (Permission denied)"
    assert said(error) == "/data/manifest.json: kan niet gelezen worden (Toegang geweigerd)"


def test_what_is_not_ours_is_said_as_it_is(dutch):
    # A server's answer, or an error the table does not know, is data: never guessed at.
    assert said("550 mailbox unavailable") == "550 mailbox unavailable"
    odd = OSError(errno.EXDEV, "Invalid cross-device link")
    assert said(odd) == "Invalid cross-device link"
    assert said(StoreError("x.json", "plain words")) == "x.json: plain words"


def test_a_list_is_joined_as_the_language_separates(dutch):
    parts = [Phrase(N_("is missing")), Phrase(N_("is not a directory"))]
    assert joined(parts) == "is missing; is not a directory"
    set_language("fr")
    assert said(joined(parts)) == "manque\u00a0; n'est pas un répertoire"
