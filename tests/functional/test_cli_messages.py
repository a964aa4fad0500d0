"""Every message of the command line in the language of --lang, with its exit status."""

from __future__ import annotations

import argparse
import re
from datetime import UTC, datetime

import pytest

from store import open_store
from store.demo import build_demo
from tests.functional.test_damaged_manifest import cli
from tests.functional.test_machine_faults import CONNECT
from tui.cli import _parser


def _no_store(data, tmp_path):
    return ["check", "--data", tmp_path / "nothing"]


def _not_admin(data, tmp_path):
    return ["admin", "--admin", "ghost", "--data", data]


def _entity_created(data, tmp_path):
    return [*CONNECT, "--data", data]


def _notify(data, tmp_path):
    return ["notify", "--once", "--data", data]


def _check_ok(data, tmp_path):
    return ["check", "--data", data]


def _backup(data, tmp_path):
    return ["backup", tmp_path / "copy", "--data", data]


def _audit_no_entity(data, tmp_path):
    return ["audit", "--entity", "nope", "--data", data]


def _init_twice(data, tmp_path):
    return ["init", "--admin", "b", "--admin-name", "B", "--data", data]


def _bad_since(data, tmp_path):
    return ["audit", "--since", "yesterday", "--data", data]


# (what, arguments, exit status, stream, {language: words the message holds})
TABLE = [
    (
        "no store",
        _no_store,
        1,
        "err",
        {
            "fr": "ne contient pas de données",
            "nl": "bevat geen gegevens",
            "en": "holds no store",
        },
    ),
    (
        "not an administrator",
        _not_admin,
        1,
        "err",
        {
            "fr": "« ghost » n’est pas un administrateur",
            "nl": "‘ghost’ is geen beheerder",
            "en": "‘ghost’ is not an administrator",
        },
    ),
    (
        "entity created",
        _entity_created,
        0,
        "out",
        {
            "fr": "Entité ph (Pharmacie) créée.",
            "nl": "Entiteit ph (Pharmacie) aangemaakt.",
            "en": "Entity ph (Pharmacie) created.",
        },
    ),
    (
        "notify",
        _notify,
        0,
        "out",
        {
            "fr": "envoyés 0, reportés 0, en échec 0",
            "nl": "verzonden 0, uitgesteld 0, mislukt 0",
            "en": "sent 0, deferred 0, failed 0",
        },
    ),
    (
        "check ok",
        _check_ok,
        0,
        "out",
        {
            "fr": "journal d’audit de 3 entrées intact",
            "nl": "audittrail van 3 regels intact",
            "en": "audit trail of 3 entries intact",
        },
    ),
    (
        "backup",
        _backup,
        0,
        "out",
        {
            "fr": "fichiers copiés dans",
            "nl": "bestanden gekopieerd naar",
            "en": "files copied to",
        },
    ),
    (
        "audit of an unknown entity",
        _audit_no_entity,
        1,
        "err",
        {
            "fr": "il n’y a pas d’entité « nope »",
            "nl": "er is geen entiteit ‘nope’",
            "en": "there is no entity ‘nope’",
        },
    ),
    (
        "init twice",
        _init_twice,
        1,
        "err",
        {
            "fr": "contient déjà des données avec des administrateurs",
            "nl": "bevat al gegevens met beheerders",
            "en": "already holds a store with administrators",
        },
    ),
    (
        "a date that is not one",
        _bad_since,
        1,
        "err",
        {
            "fr": "utilisez AAAA-MM-JJ ou JJ/MM/AAAA",
            "nl": "gebruik JJJJ-MM-DD of DD/MM/JJJJ",
            "en": "use YYYY-MM-DD or DD/MM/YYYY",
        },
    ),
]

CASES = [
    pytest.param(make, code, stream, lang, words, id=f"{what}-{lang}")
    for what, make, code, stream, texts in TABLE
    for lang, words in texts.items()
]


def _plain(text: str) -> str:
    # French puts a non-breaking space inside « » and before : ; the table is typed plainly.
    return text.replace("\u00a0", " ")


@pytest.mark.parametrize(("make", "code", "stream", "lang", "words"), CASES)
def test_each_message_in_each_language(
    store, data, tmp_path, capsys, make, code, stream, lang, words
):
    status, out, err = cli(capsys, "--lang", lang, *make(data, tmp_path))
    assert status == code, (out, err)
    assert words in _plain(out if stream == "out" else err), (out, err)
    assert "Traceback" not in err


def test_without_lang_the_messages_are_french(store, data, capsys, monkeypatch):
    monkeypatch.delenv("VACCINNET_LANG")
    status, _out, err = cli(capsys, "admin", "--admin", "ghost", "--data", data)
    assert status == 1 and "n’est pas un administrateur" in err
    monkeypatch.setenv("VACCINNET_LANG", "nl")
    status, _out, err = cli(capsys, "admin", "--admin", "ghost", "--data", data)
    assert status == 1 and "is geen beheerder" in err


def test_the_lang_of_entity_add_is_the_messages_and_entity_lang_the_entitys(store, data, capsys):
    # --lang nl used to set the entity's language silently.
    without = [a for a in CONNECT if a not in ("--entity-lang", "fr")]
    status, _out, err = cli(capsys, "--lang", "nl", *without, "--data", data)
    assert status == 1 and "--entity-lang" in err
    assert open_store(data).entity("ph") is None
    status, out, _err = cli(capsys, *CONNECT[:2], "--lang", "nl", *CONNECT[2:], "--data", data)
    assert status == 0 and "Entiteit ph (Pharmacie) aangemaakt." in out
    entity = open_store(data).entity("ph")
    assert entity is not None and entity.language == "fr"


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_the_demo_lists_its_people_in_one_language(data, capsys, lang):
    status, out, _err = cli(capsys, "--lang", lang, "demo", "--data", data)
    assert status == 0
    lines = out.splitlines()
    words = {
        "fr": ("Ouvrir une console en tant que", "médecin", "console d’administration"),
        "nl": ("Een console openen als:", "arts", "beheerconsole"),
        "en": ("Open a console as:", "doctor", "administrator"),
    }[lang]
    assert all(word in out for word in words), out
    others = {"fr": ("doctor", "arts,"), "nl": ("médecin", "doctor"), "en": ("médecin", "arts,")}
    assert not any(word in out for word in others[lang]), out
    # Run in-process as python -m, the program is shown by name; each line is a command.
    commands = [line.split("#")[0].split() for line in lines if line.startswith("  ")]
    assert len(commands) == 6
    assert all(c[:3] == ["vaccinnet", "--data", str(data)] for c in commands)


def test_the_demo_shows_the_program_as_it_was_run(data, capsys, monkeypatch, tmp_path):
    # A fresh virtualenv is not on PATH: print the path that was typed, so it can be pasted.
    venv_bin = tmp_path / "venv" / "bin"
    venv_bin.mkdir(parents=True)
    program = venv_bin / "vaccinnet"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    monkeypatch.setattr("sys.argv", ["venv/bin/vaccinnet"])
    status, out, _err = cli(capsys, "demo", "--data", data)
    assert status == 0
    assert f"  venv/bin/vaccinnet --data {data} --niss " in out
    assert f"  venv/bin/vaccinnet --data {data} admin --admin admin " in out


EXIT_CASES = {
    "no arguments: the help": ([], 0),
    "--help": (["--help"], 0),
    "an unknown option": (["--bogus"], 1),
    "an unknown command": (["frobnicate"], 1),
    "a missing required option": (["admin"], 1),
    "a wrong choice": (["--lang", "de", "check"], 1),
    "notify --interval -5": (["notify", "--interval", "-5"], 1),
    "notify --interval nan": (["notify", "--watch", "--interval", "nan"], 1),
}


@pytest.mark.parametrize(("args", "code"), EXIT_CASES.values(), ids=EXIT_CASES.keys())
def test_argument_exit_codes_are_the_readmes(data, capsys, args, code):
    status, out, err = cli(capsys, *args, "--data", data) if args else cli(capsys)
    assert status == code, (out, err)
    if not args:
        assert out.startswith("usage: vaccinnet")  # the help, on stdout
    assert "Traceback" not in err


def test_the_interval_is_refused_before_anything_is_delivered(store, data, capsys):
    build_demo(data / "demo", datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    status, out, err = cli(capsys, "notify", "--interval", "-5", "--data", data / "demo")
    assert status == 1 and "at least 1" in err and out == ""
    assert not (data / "demo" / "maildir").exists()


def _subcommands(parser, path=()):
    """Every parser of the command line, with the words that reach it."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _subcommands(sub, (*path, name))


OPTION = re.compile(r"^ {2,4}(\S.*?)(?:\s{2,}(\S.*))?$")


@pytest.mark.parametrize(
    "path", [p for p, _ in _subcommands(_parser())], ids=lambda p: " ".join(p) or "vaccinnet"
)
def test_every_option_and_command_has_a_help_line(capsys, path):
    status, out, _err = cli(capsys, *path, "--help")
    assert status == 0
    body = out.split("\n\n", 1)[1]
    lines = body.splitlines()
    entries = 0
    for number, line in enumerate(lines):
        found = OPTION.match(line)
        if not found or line.endswith(":"):
            continue
        entries += 1
        follows = lines[number + 1] if number + 1 < len(lines) else ""
        # The help is on the same line, or on the next one when the option is long.
        described = found.group(2) or re.match(r"^ {6,}\S", follows)
        assert described, f"{' '.join(path)}: no help for {line.strip()!r}\n{out}"
    assert entries
