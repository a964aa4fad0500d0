"""The console's gettext catalogs: complete in fr, nl and en, compiled, same placeholders."""

from __future__ import annotations

import gettext
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tui.i18n import DOMAIN, LOCALE_DIR

ROOT = Path(__file__).resolve().parents[2]


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """Extract the messages from the code now, so a new string cannot hide."""
    out = tmp_path_factory.mktemp("pot") / "vaccinnet.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_",
            "-k",
            "N_",
            "--no-location",
            "-o",
            str(out),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with out.open("rb") as fh:
        return [m.id for m in read_po(fh) if m.id]  # a tuple for ngettext


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_every_message_is_translated(template, lang):
    with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as fh:
        catalog = read_po(fh)
    assert len(template) > 50
    for msgid in template:
        message = catalog.get(msgid)
        assert message is not None, f"{lang}: {msgid!r} is not translated"
        if isinstance(msgid, tuple):  # ngettext: every form, each with the plural's names
            forms = message.string
            assert len(forms) == catalog.num_plurals and all(forms), f"{lang}: {msgid!r}"
            for form in forms:
                assert _placeholders(form) <= _placeholders(msgid[1]), f"{lang}: {msgid!r}"
        else:
            assert message.string, f"{lang}: {msgid!r} is not translated"
            assert _placeholders(message.string) == _placeholders(msgid), f"{lang}: {msgid!r}"


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_compiled_catalog_matches_its_source(lang):
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    with (folder / f"{DOMAIN}.po").open("rb") as fh:
        catalog = read_po(fh)
    with (folder / f"{DOMAIN}.mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    for message in catalog:
        if isinstance(message.id, tuple):
            singular, plural = message.id
            for n, form in ((1, message.string[0]), (2, message.string[-1])):
                assert compiled.ngettext(singular, plural, n) == form, "run `make i18n`"
        elif message.id:
            assert compiled.gettext(message.id) == message.string, "run `make i18n`"


def test_the_french_screen_names_of_the_manual():
    fr = gettext.translation(DOMAIN, LOCALE_DIR, languages=["fr"])
    for msgid, name in [
        ("My staff", "Mes employés"),
        ("New request", "Nouvelle demande"),
        ("Disconnection request", "Demande de déconnexion"),
        ("Save", "Sauvegarder"),
        ("Agree", "Accord"),
    ]:
        assert fr.gettext(msgid) == name
    assert (
        fr.gettext("The request is now registered and must be approved by an administrator.")
        == "La demande est maintenant enregistrée et doit être approuvée par un administrateur."
    )


def test_argparse_s_msgids_are_the_ones_this_python_s_argparse_asks_for():
    # Not words of ours: a Python whose argparse words them differently would silently fall
    # back to English, so each is looked for in argparse itself.
    import argparse
    import inspect

    from tui.argparse_i18n import PLURALS, WORDS

    source = inspect.getsource(argparse)
    marked = [*WORDS, *(form for pair in PLURALS for form in pair)]
    assert [msgid for msgid in marked if repr(msgid) not in source] == []
    with (LOCALE_DIR / "vaccinnet.pot").open("rb") as fh:
        copied = {m.id for m in read_po(fh) if any("argparse" in c for c in m.auto_comments)}
    assert copied == {*WORDS, *PLURALS}  # the catalog says where they come from
