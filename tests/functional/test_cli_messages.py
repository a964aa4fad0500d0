"""Every message of the command line in the language of --lang, with its exit status."""

from __future__ import annotations

import argparse
import gettext
import re
from datetime import UTC, datetime

import orjson
import pytest

from rules import format_niss
from store import open_store
from store.demo import build_demo
from tests.conftest import DOCTOR, NURSE
from tests.functional.test_damaged_manifest import cli
from tests.functional.test_machine_faults import CONNECT
from tests.functional.test_notify import UNBUILDABLE, held_by_an_old_store
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


def _missing_option(data, tmp_path):
    return ["admin", "--data", data]


def _unknown_option(data, tmp_path):
    return ["check", "--bogus", "--data", data]


def _unknown_command(data, tmp_path):
    return ["frobnicate", "--data", data]


def _bad_interval(data, tmp_path):
    return ["notify", "--interval", "-5", "--data", data]


def _help_of_ssh(data, tmp_path):
    return ["ssh", "-h"]


def _authorize(data, tmp_path, key_file):
    keys = tmp_path / "authorized_keys"
    niss = format_niss(DOCTOR)
    return ["ssh", "authorize", "--niss", niss, "--key-file", key_file, "--authorized-keys", keys]


def _private_key(data, tmp_path):
    key = tmp_path / "id_ed25519.pub"
    key.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk=\n")
    return [*_authorize(data, tmp_path, key), "--data", data]


def _two_keys(data, tmp_path):
    key = tmp_path / "two.pub"
    key.write_text("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA a@x\nssh-ed25519 AAAAC3Nz b@x\n")
    return [*_authorize(data, tmp_path, key), "--data", data]


def _no_key_file(data, tmp_path):
    return [*_authorize(data, tmp_path, tmp_path / "gone.pub"), "--data", data]


def _damaged_keys(tmp_path):
    keys = tmp_path / "authorized_keys"
    keys.write_text("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA vaccinnet:niss:x\n")
    return keys


def _revoke_unknown(data, tmp_path):
    keys = _damaged_keys(tmp_path)
    return [
        "ssh",
        "revoke",
        "--fingerprint",
        "SHA256:nope",
        "--authorized-keys",
        keys,
        "--data",
        data,
    ]


def _list_damaged(data, tmp_path):
    return ["ssh", "list", "--authorized-keys", _damaged_keys(tmp_path), "--data", data]


def _edited_audit_entry(data, tmp_path):
    (segment,) = data.glob("audit.*.json")
    raw = orjson.loads(segment.read_bytes())
    raw["audit"]["2"]["actor"] = "mallory"
    segment.write_bytes(orjson.dumps(raw))
    return ["check", "--data", data]


def _head_beyond_the_trail(data, tmp_path):
    return ["check", "--audit-head", f"9:{'ab' * 32}", "--data", data]


def _damaged_manifest(data, tmp_path):
    (data / "manifest.json").write_text("{")
    return ["check", "--data", data]


def _mail_to_an_old_address(data, tmp_path):
    store = open_store(data)
    store.approve("adm", store.file_connect(DOCTOR, "cab", NURSE, "Martin", "C", "infirmier").id)
    (mail,) = store.outbox()
    held_by_an_old_store(store, mail.id, UNBUILDABLE)
    return ["notify", "--once", "--data", data]


def _bad_mail_config(data, tmp_path):
    (data / "mail.toml").write_text('[smtp]\nhost = "h"\nsecurity = "tls"\n')
    return ["notify", "--once", "--data", data]


# (what, arguments, exit status, stream, {language: words the message holds, or all of a tuple})
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
            "fr": "« ghost » n'est pas un administrateur",
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
            "fr": "journal d'audit de 3 entrées intact",
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
            "fr": "il n'y a pas d'entité « nope »",
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
    # argparse's own words, through our catalog
    (
        "a missing required option",
        _missing_option,
        1,
        "err",
        {
            "fr": (
                "utilisation : vaccinnet admin",
                "vaccinnet admin : erreur : les arguments suivants sont obligatoires : --admin",
            ),
            "nl": (
                "gebruik: vaccinnet admin",
                "vaccinnet admin: fout: de volgende argumenten zijn verplicht: --admin",
            ),
            "en": (
                "usage: vaccinnet admin",
                "vaccinnet admin: error: the following arguments are required: --admin",
            ),
        },
    ),
    (
        "an unknown option",
        _unknown_option,
        1,
        "err",
        {
            "fr": "erreur : arguments non reconnus : --bogus",
            "nl": "fout: onbekende argumenten: --bogus",
            "en": "error: unrecognized arguments: --bogus",
        },
    ),
    (
        "an unknown command",
        _unknown_command,
        1,
        "err",
        {
            "fr": "argument COMMANDE : choix non valide : 'frobnicate' (choisissez parmi 'init',",
            "nl": "argument COMMANDO: ongeldige keuze: 'frobnicate' (kies uit 'init',",
            "en": "argument COMMAND: invalid choice: 'frobnicate' (choose from 'init',",
        },
    ),
    (
        "an interval that is not one",
        _bad_interval,
        1,
        "err",
        {
            "fr": "argument --interval : '-5' n'est pas un nombre de secondes d'au moins 1",
            "nl": "argument --interval: '-5' is geen aantal seconden van minstens 1",
            "en": "argument --interval: '-5' is not a number of seconds of at least 1",
        },
    ),
    (
        "the headings of -h",
        _help_of_ssh,
        0,
        "out",
        {
            "fr": (
                "utilisation : vaccinnet ssh [-h] [--data RÉP_OU_URL]",
                "\narguments positionnels :\n",
                "\noptions :\n  -h, --help         afficher ce message d'aide et quitter\n",
                "permettre à une clé de se connecter en tant qu'une",
            ),
            "nl": (
                "gebruik: vaccinnet ssh [-h] [--data MAP_OF_URL]",
                "\npositionele argumenten:\n",
                "\nopties:\n  -h, --help         deze hulptekst tonen en afsluiten\n",
                "een sleutel laten inloggen als één persoon of beheerder",
            ),
            "en": (
                "usage: vaccinnet ssh [-h] [--data DIR_OR_URL]",
                "\npositional arguments:\n",
                "\noptions:\n  -h, --help         show this help message and exit\n",
                "let a key log in as one person or administrator",
            ),
        },
    ),
    # ssh keys
    (
        "a private key given for a public one",
        _private_key,
        1,
        "err",
        {
            "fr": "id_ed25519.pub est une clé privée : donnez le fichier .pub",
            "nl": "id_ed25519.pub is een privésleutel: geef het .pub-bestand",
            "en": "id_ed25519.pub is a private key: give the .pub file",
        },
    ),
    (
        "two keys in one key file",
        _two_keys,
        1,
        "err",
        {
            "fr": "two.pub doit contenir exactement une ligne de clé publique",
            "nl": "two.pub moet precies één regel met een publieke sleutel bevatten",
            "en": "two.pub must hold exactly one public key line",
        },
    ),
    (
        "a key file that is not there",
        _no_key_file,
        1,
        "err",
        {
            "fr": "gone.pub : illisible (Aucun fichier ou répertoire de ce nom)",
            "nl": "gone.pub: kan niet gelezen worden (Bestand of map bestaat niet)",
            "en": "gone.pub: cannot be read (No such file or directory)",
        },
    ),
    (
        "revoking a fingerprint no line has",
        _revoke_unknown,
        1,
        "err",
        {
            "fr": "aucune clé autorisée n'a l'empreinte SHA256:nope "
            "(1 ligne endommagée laissée de côté)",
            "nl": "geen enkele toegelaten sleutel heeft de vingerafdruk SHA256:nope "
            "(1 beschadigde regel terzijde gelaten)",
            "en": "no authorized key has the fingerprint SHA256:nope (1 damaged line left aside)",
        },
    ),
    (
        "a damaged line of authorized_keys",
        _list_damaged,
        0,
        "err",
        {
            "fr": "authorized_keys : la ligne 1 ressemble à une ligne vaccinnet mais n'en a pas "
            "la forme ; laissée telle quelle",
            "nl": "authorized_keys: regel 1 lijkt op een vaccinnet-regel maar heeft er de vorm "
            "niet van; ongewijzigd gelaten",
            "en": "authorized_keys: line 1 looks like a vaccinnet line but does not have its form; "
            "left as it is",
        },
    ),
    # what store/ says: the audit chain, a damaged file, a mail that fails
    (
        "an edited audit entry",
        _edited_audit_entry,
        1,
        "out",
        {
            "fr": "FAIL l'entrée d'audit 2 ne correspond pas à son hash (modifiée)",
            "nl": "FAIL auditregel 2 komt niet overeen met haar hash (gewijzigd)",
            "en": "FAIL audit entry 2 does not match its hash (edited)",
        },
    ),
    (
        "a head the trail no longer reaches",
        _head_beyond_the_trail,
        1,
        "out",
        {
            "fr": "FAIL ancre d'audit 9:abababababab… : le journal s'arrête maintenant à "
            "l'entrée 3 (tronqué, tête réécrite)",
            "nl": "FAIL auditanker 9:abababababab…: de trail eindigt nu bij regel 3 "
            "(ingekort, de kop herschreven)",
            "en": "FAIL audit anchor 9:abababababab…: the trail now ends at entry 3 "
            "(truncated, the head rewritten)",
        },
    ),
    (
        "a damaged manifest",
        _damaged_manifest,
        2,
        "err",
        {
            "fr": "manifest.json : n'est pas du JSON valide (tronqué ou endommagé)",
            "nl": "manifest.json: is geen geldige JSON (ingekort of beschadigd)",
            "en": "manifest.json: is not valid JSON (truncated or damaged)",
        },
    ),
    (
        "a mail to an address no rule accepts",
        _mail_to_an_old_address,
        0,
        "err",
        {
            "fr": "échec M000001 : adresse non valide : L'adresse électronique « secretariat@[",
            "nl": "mislukt M000001: ongeldig adres: Het e-mailadres ‘secretariat@[",
            "en": "failed M000001: invalid address: The e-mail address 'secretariat@[",
        },
    ),
    (
        "a mail.toml that cannot be used",
        _bad_mail_config,
        1,
        "err",
        {
            "fr": "mail.toml : security doit valoir starttls, ssl ou none",
            "nl": "mail.toml: security moet starttls, ssl of none zijn",
            "en": "mail.toml: security must be starttls, ssl or none",
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


@pytest.mark.files_only("its files or directory")
@pytest.mark.parametrize(("make", "code", "stream", "lang", "words"), CASES)
def test_each_message_in_each_language(
    store, data, tmp_path, capsys, make, code, stream, lang, words
):
    status, out, err = cli(capsys, "--lang", lang, *make(data, tmp_path))
    assert status == code, (out, err)
    for part in words if isinstance(words, tuple) else (words,):
        assert part in _plain(out if stream == "out" else err), (out, err)
    assert "Traceback" not in err


def test_without_lang_the_messages_are_french(store, location, capsys, monkeypatch):
    monkeypatch.delenv("VACCINNET_LANG")
    status, _out, err = cli(capsys, "admin", "--admin", "ghost", "--data", location)
    assert status == 1 and "n'est pas un administrateur" in err
    monkeypatch.setenv("VACCINNET_LANG", "nl")
    status, _out, err = cli(capsys, "admin", "--admin", "ghost", "--data", location)
    assert status == 1 and "is geen beheerder" in err


def test_the_lang_of_entity_add_is_the_messages_and_entity_lang_the_entitys(
    store, location, capsys
):
    # --lang nl used to set the entity's language silently.
    without = [a for a in CONNECT if a not in ("--entity-lang", "fr")]
    status, _out, err = cli(capsys, "--lang", "nl", *without, "--data", location)
    assert status == 1 and "--entity-lang" in err
    assert open_store(location).entity("ph") is None
    status, out, _err = cli(capsys, *CONNECT[:2], "--lang", "nl", *CONNECT[2:], "--data", location)
    assert status == 0 and "Entiteit ph (Pharmacie) aangemaakt." in out
    entity = open_store(location).entity("ph")
    assert entity is not None and entity.language == "fr"


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_the_demo_lists_its_people_in_one_language(data, capsys, lang):
    status, out, _err = cli(capsys, "--lang", lang, "demo", "--data", data)
    assert status == 0
    lines = out.splitlines()
    words = {
        "fr": ("Ouvrir une console en tant que", "médecin", "console d'administration"),
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


LANG_FORMS = {
    "--lang=nl after the command": (["admin", "--lang=nl"], "fout: de volgende argumenten"),
    "--lang nl after the command": (["admin", "--lang", "nl"], "fout: de volgende argumenten"),
    "an abbreviation, --la fr": (["--la", "fr", "admin"], "erreur : les arguments suivants"),
    "a wrong --lang: the default's words": (["--lang", "de", "check"], "error: argument --lang"),
}


@pytest.mark.parametrize(("args", "words"), LANG_FORMS.values(), ids=LANG_FORMS.keys())
def test_argparse_speaks_the_language_however_lang_is_typed(data, capsys, args, words):
    status, _out, err = cli(capsys, *args, "--data", data)
    assert status == 1 and words in _plain(err), err


def test_argparse_follows_vaccinnet_lang_and_is_put_back_after(data, capsys, monkeypatch):
    monkeypatch.setenv("VACCINNET_LANG", "nl")
    status, _out, err = cli(capsys, "check", "--bogus", "--data", data)
    assert status == 1 and "vaccinnet: fout: onbekende argumenten: --bogus" in err
    # Only our parsers speak our catalog: argparse's own gettext is back for anyone else.
    assert argparse._ is gettext.gettext and argparse.ngettext is gettext.ngettext


@pytest.mark.files_only("its files or directory")
def test_a_failed_mail_is_told_in_the_language_and_stored_in_english(store, data, tmp_path, capsys):
    status, _out, err = cli(capsys, "--lang", "nl", *_mail_to_an_old_address(data, tmp_path))
    assert status == 0 and "mislukt M000001: ongeldig adres: Het e-mailadres" in err
    # The store has no reader yet: the reason an admin console shows later is as it was.
    (failed,) = open_store(data).outbox("failed")
    assert failed.last_error.startswith("invalid address: The e-mail address 'secretariat@[")
