"""Fixtures for the consoles: a fixed terminal, no blinking cursor, a store in tmp_path."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from textual.css.query import NoMatches
from textual.notifications import Notify
from textual.widgets import Input
from textual.worker import WorkerCancelled, WorkerFailed

from rules import make_niss
from tests.conftest import (
    DOCTOR,
    DOCTOR_2,
    NURSE,
    NURSE_2,
    TRAINEE,
    add_nursing_home,
    add_pharmacy,
    link,
)
from tui.i18n import set_language
from tui.staff_app import StaffApp

SIZE = (80, 24)
MIDWIFE = make_niss("880404", 321)


@pytest.fixture(autouse=True)
def _steady_terminal(monkeypatch):
    # A blinking cursor makes screenshots depend on timing.
    monkeypatch.setattr(Input, "cursor_blink", False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    yield
    set_language("fr")


@pytest.fixture
def practice(store):
    """A GP practice (fr) with a nurse and a trainee, a nursing home (nl), and a pharmacy."""
    link(store, "cab", NURSE, "Martin", "Claire", "infirmier")
    link(store, "cab", TRAINEE, "Claes", "Wout", "macg")
    add_nursing_home(store)
    link(store, "wzc", DOCTOR, "Dupont", "Jean", "medecin", actor=DOCTOR_2)
    add_pharmacy(store)
    store.file_connect(DOCTOR, "cab", NURSE_2, "Peeters", "Lotte", "infirmier")
    rejected = store.file_connect(DOCTOR, "cab", MIDWIFE, "Lambert", "Zoë", "sage_femme")
    store.reject("adm", rejected.id, "Inconnue au cabinet")
    return store


def make_app(store, niss, lang=None, poll=0.2) -> StaffApp:
    return StaffApp(store, niss, lang, poll_interval=poll)


async def settle(pilot, rounds: int = 3) -> None:
    """Let workers finish and their results reach the screen, however loaded the machine."""
    for _ in range(rounds):
        await _workers_done(pilot)
        await pilot.pause()
    await until(pilot, lambda: _screen_ready(pilot.app.screen))


def _screen_ready(screen) -> bool:
    view = getattr(screen, "view", False)
    return view is False or (view is not None and view.complete)


def _holds(condition) -> bool:
    try:
        return bool(condition())
    except NoMatches:
        # A screen is current before it has composed its widgets: not there yet is "not yet"
        # (and a widget that never comes still fails, at the deadline).
        return False


async def until(pilot, condition, timeout: float = 10.0) -> None:
    """Wait for what a person would wait for; fail loudly rather than hang."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not _holds(condition):
        if loop.time() > deadline:
            raise AssertionError(f"still waiting after {timeout} s")
        if pilot.app.return_code is not None:
            # The console is closing: its screens no longer answer, so Pilot's pause (which
            # waits for them to process their messages) would time out after 30 s.
            await asyncio.sleep(0.05)
            continue
        await pilot.pause(0.05)
        await _workers_done(pilot)


async def _workers_done(pilot) -> None:
    # A worker replaced by a newer one (exclusive) is cancelled, and one that failed has been
    # turned into a message by the app: the tests assert on what the person sees.
    with contextlib.suppress(WorkerCancelled, WorkerFailed):
        await pilot.app.workers.wait_for_complete()


async def type_text(pilot, text: str) -> None:
    await pilot.press(*("space" if ch == " " else ch for ch in text))


class Toasts:
    """Every notification a console shows, caught as it is posted: ``run_test(message_hook=…)``."""

    def __init__(self) -> None:
        self.shown: list[str] = []

    def __call__(self, message: object) -> None:
        if isinstance(message, Notify):
            note = message.notification
            self.shown.append(f"{note.title} {note.message}".strip())

    @property
    def text(self) -> str:
        return " ".join(self.shown)
