"""The staff console in a real terminal (tmux, no SSH): every TERM we promise, and resizing."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import DOCTOR, DOCTOR_2, NURSE, add_nursing_home, link
from tests.e2e.conftest import Terminal

pytestmark = pytest.mark.e2e

PROGRAM = str(Path(sys.executable).with_name("vaccinnet"))


@pytest.fixture
def console(store, data, terminals):
    link(store, "cab", NURSE, "Martin", "Claire", "infirmier")

    def open_console(term: str, **env: str) -> Terminal:
        prefix = [f"{k}={v}" for k, v in env.items()]
        command = ["env", *prefix, PROGRAM, "--data", str(data), "--niss", DOCTOR]
        return terminals(f"term-{term}", command, term=term)

    return open_console


@pytest.mark.parametrize("term", ["xterm-256color", "xterm", "screen", "linux", "vt100"])
def test_staff_console_in_each_terminal(console, term):
    screen = console(term)
    for expected in (
        "Mes employés\u00a0: 2 personnes",
        "MARTIN Claire",
        "n Nouvelle demande",
        "q Quitter",
    ):
        screen.wait_for(expected)  # the footer may be drawn a moment after the list
    screen.keys("l")
    screen.wait_for("Mijn medewerkers")
    screen.keys("q")


def test_no_color(console):
    screen = console("xterm-256color", NO_COLOR="1")
    screen.wait_for("Mes employés\u00a0: 2 personnes")
    screen.wait_for("MARTIN Claire")


def test_resize_below_the_minimum_and_back(console):
    screen = console("xterm-256color")
    screen.wait_for("Mes employés\u00a0: 2 personnes")
    screen.resize(60, 20)
    screen.wait_for("trop petite\u00a0: 60×20")
    screen.resize(100, 30)
    screen.wait_for("Mes employés\u00a0: 2 personnes")
    assert "trop petite" not in screen.screen()


@pytest.mark.parametrize("key", ["q", "C-q", "C-c"])
def test_the_too_small_message_quits_with_the_key_it_names(store, data, terminals, tmp_path, key):
    # It says "q quits"; before, no key left it in a real terminal (Pilot did not see that).
    script = tmp_path / "console.sh"
    script.write_text(f'"{PROGRAM}" --data "{data}" --niss {DOCTOR}\necho "EXITED-$?"\n')
    script.chmod(0o700)
    screen = terminals(f"small-{key}", [str(script)], size=(60, 20))
    screen.wait_for("trop petite\u00a0: 60×20")
    time.sleep(0.5)  # a person reads the message first; a key in the very first instant is lost
    screen.keys(key)
    screen.wait_for("EXITED-0", timeout=5)


def test_admin_console_shows_the_warnings_and_asks_before_approving(store, data, terminals):
    # A NISS known under another name and linked at another entity: two warnings to read.
    link(store, "cab", NURSE, "Martin", "Claire", "infirmier")
    add_nursing_home(store)
    store.file_connect(DOCTOR_2, "wzc", NURSE, "Dubois", "Anne", "infirmier")
    command = [PROGRAM, "--data", str(data), "admin", "--admin", "adm"]
    screen = terminals("admin-warnings", command, size=(80, 24))
    screen.wait_for("⚠ Ce numéro de registre national")  # lines start there, unwrapped
    screen.wait_for("⚠ DUBOIS Anne")
    screen.keys("a")
    screen.wait_for("Approuver malgré ces avertissements")
    screen.keys("Enter")  # Retour has the focus: nothing approved
    assert store.requests(status="pending")


def test_the_too_small_message_after_a_resize_quits_with_q(store, data, terminals, tmp_path):
    # Shrinking a working console, the state people really meet the message in.
    script = tmp_path / "console.sh"
    script.write_text(f'"{PROGRAM}" --data "{data}" --niss {DOCTOR}\necho "EXITED-$?"\n')
    script.chmod(0o700)
    screen = terminals("shrunk", [str(script)])
    screen.wait_for("Mes employés")
    screen.resize(60, 20)
    screen.wait_for("trop petite\u00a0: 60×20")
    time.sleep(0.5)  # as above: a person reads the message first
    screen.keys("q")
    screen.wait_for("EXITED-0", timeout=5)


def test_a_burst_of_keys_lands_in_each_field_of_nouvelle_demande(console):
    # One send-keys call: tmux writes it all at once, as a slow SSH link delivers typing.
    screen = console("xterm-256color")
    screen.wait_for("Mes employés")
    burst = ["n", "60010100172", "Tab", "Alpha", "Tab", "Beta"]
    subprocess.run([*Terminal.SOCKET, "send-keys", "-t", "term-xterm-256color", *burst], check=True)
    screen.wait_for("Beta")
    shown = screen.screen()
    assert "60.01.01-001.72" in shown
    assert "Alpha" in shown


def test_a_paste_of_300_lines_is_imported_whole(console, store):
    from rules import format_niss, make_niss

    screen = console("xterm-256color")
    screen.wait_for("Mes employés")
    screen.keys("i")
    screen.wait_for("Collez les lignes")
    rows = [f"{format_niss(make_niss('810101', 1 + i))};Dubois;Léa;infirmière" for i in range(300)]
    screen.paste("NISS;Nom;Prénom;Type\n" + "\n".join(rows) + "\n")
    screen.keys("C-s")
    screen.wait_for("300 ligne(s) prête(s) sur 300", timeout=30)
    screen.keys("C-s")
    screen.wait_for("300 demandes introduites", timeout=30)
    screen.keys("C-s")  # « Fermer »
    screen.wait_for("Les 300 demandes sont maintenant enregistrées", timeout=30)
    filed = [r for r in store.requests("cab") if r.batch]
    assert len(filed) == 300 and len({r.batch for r in filed}) == 1
