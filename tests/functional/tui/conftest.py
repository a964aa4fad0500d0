"""Fixtures for the consoles: a fixed terminal, no blinking cursor, a store in tmp_path."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from rules import make_niss
from tests.conftest import DOCTOR, DOCTOR_2, NURSE, NURSE_2, PHARMACIST, TRAINEE, link
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
    store.create_entity("adm", "wzc", "WZC Zonneweide", "maison_de_repos", "wzc@example.be", "nl",
                        DOCTOR_2, "Jacobs", "Emma", "medecin")  # fmt: skip
    link(store, "wzc", DOCTOR, "Dupont", "Jean", "medecin", actor=DOCTOR_2)
    store.create_entity("adm", "ph", "Pharmacie Lelièvre", "pharmacie", "ph@example.be", "fr",
                        PHARMACIST, "Lelièvre", "Sophie", "pharmacien")  # fmt: skip
    store.file_connect(DOCTOR, "cab", NURSE_2, "Peeters", "Lotte", "infirmier")
    rejected = store.file_connect(DOCTOR, "cab", MIDWIFE, "Lambert", "Zoë", "sage_femme")
    store.reject("adm", rejected.id, "Inconnue au cabinet")
    return store


def make_app(store, niss, lang=None, poll=0.2) -> StaffApp:
    return StaffApp(store, niss, lang, poll_interval=poll)


async def settle(pilot, rounds: int = 3) -> None:
    """Let workers finish and their results reach the screen."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def type_text(pilot, text: str) -> None:
    await pilot.press(*("space" if ch == " " else ch for ch in text))
