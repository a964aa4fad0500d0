"""Over SSH for real: forced commands, two sessions at once, keys that cannot escape."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from rules import format_niss, make_niss
from tests.e2e.conftest import NURSE_E2E

pytestmark = pytest.mark.e2e


def _run_as_service(service, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            "runuser",
            "-u",
            service.user,
            "--",
            str(service.program),
            "--data",
            str(service.data),
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _consoles_gone(service, timeout: float) -> bool:
    """True once no console of the service account runs (a hang-up ends one within 5 s)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = subprocess.run(
            ["pgrep", "-u", service.user, "-f", "bin/vaccinnet"], capture_output=True, text=True
        ).stdout.split()
        if not found:
            return True
        time.sleep(0.2)
    return False


def test_doctor_files_admin_approves_doctor_sees_it(service, terminals):
    doctor = terminals("doctor", service.ssh_command("doctor"))
    doctor.wait_for("Mes employés\u00a0: 1 personne")
    doctor.keys("n")
    doctor.wait_for("Nouvelle demande")
    doctor.type(format_niss(NURSE_E2E))
    doctor.keys("Tab")
    doctor.type("Martin")
    doctor.keys("Tab")
    doctor.type("Claire")
    doctor.keys("Tab", "Enter", "Down", "Down", "Down", "Enter", "C-s")
    doctor.wait_for("Demandes en cours\u00a0: 1")
    (request,) = service.store().requests("cab")
    assert (request.niss, request.employee_type) == (NURSE_E2E, "infirmier")

    admin = terminals("admin", service.ssh_command("admin"))
    admin.wait_for("1 en attente")
    admin.wait_for("MARTIN Claire")  # the review under the queue
    admin.keys("a")
    admin.wait_for("approuvée")
    seen = doctor.wait_for("MARTIN Claire", timeout=5)
    print(f"the doctor saw the approval {seen:.2f} s after the admin did")
    assert seen <= 2.0  # the manifest is looked at every second; the list is read on a change
    assert service.store().request(request.id).status == "approved"
    (mail,) = service.store().outbox()
    assert mail.to == "cab@example.be" and "MARTIN Claire" in mail.subject

    delivered = _run_as_service(service, "--lang", "en", "notify", "--once")
    assert delivered.returncode == 0 and "sent 1" in delivered.stdout, delivered.stderr
    assert len(list((service.data / "maildir" / "new").iterdir())) == 1
    assert service.store().outbox() == []


def test_a_second_doctor_sees_only_their_entity(service, terminals):
    other = terminals("doctor2", service.ssh_command("doctor2"))
    other.wait_for("Mijn medewerkers: 1")  # their entity speaks Dutch
    other.wait_for("WZC Zonneweide")
    screen = other.screen()
    assert "Cabinet Dupont" not in screen and "DUPONT" not in screen
    other.keys("e")  # no other entity to switch to
    time.sleep(0.5)
    assert "Cabinet Dupont" not in other.screen()


@pytest.mark.parametrize(
    "command",
    [["bash"], ["cat", "data/manifest.json"], ["sh", "-c", "echo ESCAPED"]],
)
def test_a_key_runs_the_console_and_nothing_else(service, command):
    result = subprocess.run(
        service.ssh_command("doctor", *command, tty=False),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    # The forced command has no --lang: a session speaks French until the person chooses.
    assert "a besoin d'un terminal" in result.stderr
    assert "ESCAPED" not in result.stdout and "vaccinnet-store" not in result.stdout


def test_forwarding_is_refused(service):
    result = subprocess.run(
        service.ssh_command("doctor", "-W", f"127.0.0.1:{service.port}", tty=False),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "forwarding failed" in result.stderr
    assert "refused local port forward" in service.log()  # the key's "restrict" said no


def _fill_new_request(doctor, niss: str) -> None:
    doctor.keys("n")
    doctor.wait_for("Nouvelle demande")
    doctor.type(format_niss(niss))
    doctor.keys("Tab")
    doctor.type("Kill")
    doctor.keys("Tab")
    doctor.type("Test")
    doctor.keys("Tab", "Enter", "Down", "Down", "Down", "Enter")  # infirmier·ère


def _generation(service) -> int:
    # Read without the lock, which the test itself holds: the manifest is replaced atomically.
    return json.loads((Path(service.data) / "manifest.json").read_bytes())["generation"]


def _filed_for(service, niss: str) -> list:
    return [r for r in service.store().requests(status=None) if r.niss == niss]


def test_a_connection_killed_mid_request_leaves_a_valid_store(service, terminals):
    assert _consoles_gone(service, timeout=8)  # sessions of earlier tests have ended
    # The test holds the store's lock (an flock on the data directory) while the doctor
    # saves, so the write is really in flight, waiting for it, when the client dies.
    control = make_niss("900101", 200)
    doctor = terminals("saved", service.ssh_command("doctor"))
    doctor.wait_for("Mes employés\u00a0:")
    _fill_new_request(doctor, control)
    generation = _generation(service)
    held = os.open(service.data, os.O_RDONLY)
    fcntl.flock(held, fcntl.LOCK_EX)
    doctor.keys("C-s", pause=1.0)
    assert _generation(service) == generation  # the save is waiting for the lock…
    os.close(held)
    doctor.wait_for("Demandes en cours")
    assert len(_filed_for(service, control)) == 1  # …and completes once it is free
    doctor.keys("q")
    assert _consoles_gone(service, timeout=8)

    for attempt in range(1, 4):
        niss = make_niss("900101", 200 + attempt)
        doctor = terminals(f"killed{attempt}", service.ssh_command("doctor"))
        doctor.wait_for("Mes employés\u00a0:")
        _fill_new_request(doctor, niss)
        held = os.open(service.data, os.O_RDONLY)
        fcntl.flock(held, fcntl.LOCK_EX)
        try:
            doctor.keys("C-s", pause=0.5)
            # The client dies at once: sshd hangs up on the session's process, whose save
            # is waiting for the lock; the console must end even so.
            subprocess.run(["pkill", "-KILL", "-f", f"id_doctor.*{service.user}@127.0.0.1"])
            assert _consoles_gone(service, timeout=8), "a console outlived its connection"
        finally:
            os.close(held)
        time.sleep(0.5)
        # Complete or absent, never half: the session ended before it could write.
        assert _filed_for(service, niss) == []
    check = _run_as_service(service, "check")
    assert check.returncode == 0, check.stdout + check.stderr


def test_ssh_original_command_is_ignored_with_a_note(service, terminals):
    shell = terminals("asked", service.ssh_command("doctor", "bash"))
    shell.wait_for("Mes employés\u00a0:")  # the console, not bash


def test_sighup_is_a_clean_exit(service, terminals):
    doctor = terminals("hup", service.ssh_command("doctor"))
    doctor.wait_for("Mes employés\u00a0:")
    found = subprocess.run(
        ["pgrep", "-u", service.user, "-f", "vaccinnet.*--niss"], capture_output=True, text=True
    ).stdout.split()
    assert found
    started = time.monotonic()
    for pid in found:
        subprocess.run(["kill", f"-{signal.SIGHUP.value}", pid])
    assert _consoles_gone(service, timeout=8)
    print(f"exited {time.monotonic() - started:.2f} s after SIGHUP")
