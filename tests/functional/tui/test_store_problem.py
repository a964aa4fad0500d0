"""A store that cannot be read at start: a screen that stays, names the file, and exit 2."""

from __future__ import annotations

import contextlib
import os
import select
import subprocess
import time

import pytest

from store import open_store
from tests.conftest import DOCTOR, segment_holding
from tests.functional.tui.conftest import SIZE, Toasts, settle, until
from tests.functional.tui.pty_console import console_in_pty
from tui.admin_app import AdminApp
from tui.screens.store_problem import StoreProblemScreen
from tui.staff_app import StaffApp

WORDS = {
    "fr": ("endommagé", "Appuyez sur q pour quitter"),
    "nl": ("beschadigd", "Druk op q om af te sluiten"),
    "en": ("damaged", "Press q to quit"),
}
# What is wrong with the file, in the console's language.
PROBLEM = {
    "fr": "ne contient pas de données valides (tronqué ou endommagé)",
    "nl": "bevat geen geldige gegevens (ingekort of beschadigd)",
    "en": "is not valid store data (truncated or damaged)",
}


def damage(data, table: str):
    """Cut the segment of ``table`` that holds the doctor's documents in half, as a full
    disk or a bad copy would."""
    segment = segment_holding(data, table, lambda doc: DOCTOR in (doc["niss"], doc.get("filed_by")))
    segment.write_bytes(segment.read_bytes()[:40])
    return segment


def shown(app) -> str:
    return str(app.screen.query_one("#store-problem").render())


async def _problem_then_quit(app, segment, data, lang, key="q"):
    toasts = Toasts()
    async with app.run_test(size=SIZE, message_hook=toasts) as pilot:
        await until(pilot, lambda: isinstance(app.screen, StoreProblemScreen))
        await settle(pilot)
        text = " ".join(shown(app).split())
        assert str(segment) in text
        assert f"vaccinnet --data {data} check" in text
        damaged, quit_hint = WORDS[lang]
        assert damaged in text and quit_hint in text
        assert PROBLEM[lang] in text
        footer = " ".join(str(key.render()) for key in app.screen.query("FooterKey"))
        assert {"fr": "Quitter", "nl": "Stoppen", "en": "Quit"}[lang] in footer
        # It stays: the store watcher and the screens' retries do not take it away.
        await pilot.pause(0.5)
        assert isinstance(app.screen, StoreProblemScreen)
        assert "Traceback" not in toasts.text
        await pilot.press(key)
    assert app.return_code == 2


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
async def test_the_staff_console_on_a_damaged_store_says_which_file_and_exits_2(
    practice, data, lang
):
    segment = damage(data, "links")
    app = StaffApp(open_store(data), DOCTOR, lang, poll_interval=0.1)
    await _problem_then_quit(app, segment, data, lang)


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_the_admin_console_on_a_damaged_store_says_which_file_and_exits_2(
    practice, data, lang
):
    segment = damage(data, "pending")  # the queue, which the console reads first
    app = AdminApp(open_store(data), "adm", lang, poll_interval=0.1)
    await _problem_then_quit(app, segment, data, lang)


async def test_the_sections_do_not_hide_the_problem(practice, data):
    damage(data, "pending")
    app = AdminApp(open_store(data), "adm", "fr", poll_interval=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, StoreProblemScreen))
        await pilot.press("3", "2")
        await settle(pilot)
        assert isinstance(app.screen, StoreProblemScreen)
        await pilot.press("ctrl+q")
    assert app.return_code == 2


def test_through_the_command_line_the_damaged_store_is_exit_2(practice, data):
    # The console needs a terminal: give it a pseudo-terminal of 80×24, wait for the screen,
    # press q.
    damage(data, "links")
    with console_in_pty(data, DOCTOR) as (leader, console):
        _press_q_once_shown(leader, console)
    assert console.returncode == 2


def _press_q_once_shown(leader: int, console: subprocess.Popen) -> None:
    seen = b""
    deadline = time.monotonic() + 60
    while b"Press q to quit" not in seen:
        assert console.poll() is None, seen[-2000:]  # it ended without showing the screen
        assert time.monotonic() < deadline, seen[-2000:]
        if select.select([leader], [], [], 0.5)[0]:
            seen += os.read(leader, 65536)
    os.write(leader, b"q")
    while console.poll() is None:
        with contextlib.suppress(OSError):
            if select.select([leader], [], [], 0.2)[0]:
                os.read(leader, 65536)  # drain, or the console blocks on a full terminal
        assert time.monotonic() < deadline
