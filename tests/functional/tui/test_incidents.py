"""A console never prints a traceback: one line with an incident id, the trace in a private log."""

from __future__ import annotations

import stat

import pytest

import tui.incidents
from tests.conftest import DOCTOR, NURSE, TRAINEE
from tests.functional.tui.conftest import SIZE, Toasts, make_app, settle, until
from tui.screens.staff import StaffScreen


@pytest.fixture(autouse=True)
def _production(tmp_path, monkeypatch):
    monkeypatch.delenv("VACCINNET_DEBUG", raising=False)
    monkeypatch.setattr(tui.incidents, "user_log_dir", lambda *a, **k: str(tmp_path / "fallback"))


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_a_crash_in_a_screen_handler_ends_with_one_line(practice, data, monkeypatch, capfd):
    def broken(self):
        # Textual's crash report prints locals: the view holds every colleague's NISS.
        view = self.view
        raise RuntimeError(f"cannot draw {len(view.staff)} people")

    monkeypatch.setattr(StaffScreen, "fill_requests", broken)
    app = make_app(practice, NURSE)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: not app.is_running)
    assert app.return_code == 70
    out, err = capfd.readouterr()
    (line,) = [text for text in (out + err).splitlines() if text.strip()]
    assert line.startswith("vaccinnet: Erreur inattendue (incident ")
    assert "donnez ce numéro à un administrateur" in line
    incident = line.split("incident ")[1][:8]
    for niss in (NURSE, DOCTOR, TRAINEE):
        assert niss not in out + err
    assert "Traceback" not in out + err
    log = data / "log" / "incidents.log"
    trace = log.read_text()
    assert f"--- incident {incident} " in trace and "Traceback" in trace
    assert "RuntimeError: cannot draw 3 people" in trace and "in broken" in trace
    assert NURSE not in trace  # no locals in the log either
    assert _mode(log) == 0o600 and _mode(log.parent) == 0o700


async def test_an_unexpected_error_in_a_worker_is_a_message_with_an_incident_id(
    practice, data, monkeypatch
):
    def broken(entity_id):
        raise OSError(f"staff of {entity_id} unreadable, first {NURSE}")

    app = make_app(practice, NURSE, lang="en")
    toasts = Toasts()
    async with app.run_test(size=SIZE, message_hook=toasts) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, StaffScreen)
        monkeypatch.setattr(practice, "staff", broken)
        practice.file_connect(DOCTOR, "cab", "60010100172", "Durand", "Paul", "infirmier")
        await until(pilot, lambda: "incident" in toasts.text)
        messages = list(toasts.shown)
        assert app.is_running  # the console goes on; the next poll may work again
    (message,) = [m for m in messages if "incident" in m]
    assert message.startswith("Unexpected error (incident ")
    assert NURSE not in message and "OSError" not in message
    incident = message.split("incident ")[1][:8]
    trace = (data / "log" / "incidents.log").read_text()
    assert trace.count("--- incident ") == 1  # polling does not log the same failure each second
    assert f"--- incident {incident} " in trace and "unreadable" in trace
