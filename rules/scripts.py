"""Which writing system a name's letters belong to: look-alikes from other scripts, full width."""

from __future__ import annotations

import re
import unicodedata

# Why unicodedata rather than a confusables package: the question asked here (which script
# is this letter, is this a compatibility form) is answered by the Unicode database that comes
# with Python and is updated with it; the PyPI packages for it bundle an older snapshot of the
# same tables and are rarely released.

# Latin, Greek and Cyrillic share look-alike letters (a/а/α, o/о/ο, p/р/ρ): mixed within one
# word they imitate another name.
LOOKALIKE_SCRIPTS = frozenset({"LATIN", "GREEK", "CYRILLIC"})
# Letters whose Unicode name does not start with a script: they belong to whatever surrounds them.
_NO_SCRIPT = frozenset({"MODIFIER", "COMBINING", ""})
_WORD_BREAK = re.compile(r"[\s\-'’]+")


def letter_script(ch: str) -> str:
    """``"LATIN"``, ``"CYRILLIC"``, ``"GREEK"``, ``"ARABIC"``…; ``""`` for a non-letter."""
    if not ch.isalpha():
        return ""
    word = unicodedata.name(ch, "").split(" ", 1)[0]
    return "" if word in _NO_SCRIPT else word


def scripts_of(text: str) -> set[str]:
    # Of the plain form: a full-width Latin letter is Latin ("FULLWIDTH LATIN …" by name).
    return {script for ch in plain_form(text) if (script := letter_script(ch))}


def mixed_script_words(text: str) -> list[str]:
    """Words that mix a Latin, Greek or Cyrillic letter with a letter of another script."""
    words = []
    for word in _WORD_BREAK.split(text):
        scripts = scripts_of(word)
        if len(scripts) > 1 and scripts & LOOKALIKE_SCRIPTS:
            words.append(word)
    return words


def plain_form(text: str) -> str:
    """Full-width letters, ligatures and other compatibility forms as ordinary letters (NFKC)."""
    return unicodedata.normalize("NFKC", text)


def has_compatibility_forms(text: str) -> bool:
    return plain_form(text) != unicodedata.normalize("NFC", text)


def other_scripts(text: str) -> list[str]:
    """The scripts other than Latin that ``text`` is written in, in a stable order."""
    return sorted(scripts_of(text) - {"LATIN"})
