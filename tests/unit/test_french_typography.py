"""French puts a non-breaking space before « : ; ? ! » and writes one apostrophe, in the catalog
and the rules' messages."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po

from rules.messages import FRAGMENTS, MESSAGES
from tui.i18n import LOCALE_DIR

# An ordinary space, or none after a letter, before the high punctuation. (« 10:30 » and
# « R000001: » never occur in French text here; an ordinary space could break the line before
# the colon, leaving it alone at the start of the next one.)
# Punctuation inside a token (« SEQ:HASH », « smtp:// ») is not prose: it is followed by a
# letter or a slash, never by a space or the end.
WRONG = re.compile(r"(?: |(?<=[^\W\d_]))[:;?!](?=[\s»]|$)")


def _french_catalog() -> list[str]:
    with open(LOCALE_DIR / "fr" / "LC_MESSAGES" / "vaccinnet.po", "rb") as po:
        catalog = read_po(po)
    texts: list[str] = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        texts.extend(s for s in strings if s)
    return texts


def test_the_french_catalog_puts_a_non_breaking_space_before_high_punctuation():
    wrong = [text for text in _french_catalog() if WRONG.search(text)]
    assert wrong == []


def test_the_rules_french_messages_put_a_non_breaking_space_before_high_punctuation():
    texts = [t["fr"] for t in (*MESSAGES.values(), *FRAGMENTS.values()) if "fr" in t]
    assert [text for text in texts if WRONG.search(text)] == []


def test_french_writes_its_apostrophe_one_way():
    # The typewriter apostrophe, as the rules' messages and the names people type use it: a
    # screen showed « d’approbation » beside « l'entité ».
    texts = [*_french_catalog()]
    texts += [t["fr"] for t in (*MESSAGES.values(), *FRAGMENTS.values()) if "fr" in t]
    assert [text for text in texts if "’" in text] == []


def test_the_test_leaves_tokens_alone():
    assert not WRONG.search("donnez SEQ:HASH tel qu'affiché")


def test_the_test_sees_an_ordinary_space():
    assert WRONG.search("rejetée : la raison")
    assert WRONG.search("rejetée: la raison")
    assert not WRONG.search("rejetée\u00a0: la raison")
