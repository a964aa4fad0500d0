"""vaccinnet ssh authorize / revoke / list: forced-command lines, managed safely."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys

import pytest

from rules import format_niss
from store import open_store
from tests.conftest import DOCTOR, NURSE

pytestmark = pytest.mark.skipif(
    shutil.which("ssh-keygen") is None, reason="ssh-keygen (openssh-client) is not installed"
)


def _key(tmp_path, name: str):
    path = tmp_path / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"{name}@laptop", "-f", str(path)],
        check=True,
    )
    return path


def _fingerprint(pub) -> str:
    out = subprocess.run(
        ["ssh-keygen", "-l", "-E", "sha256", "-f", str(pub)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.split()[1]


def ssh(data, keys, *args, env=None):
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "tui.cli",
            "ssh",
            *args,
            "--data",
            str(data),
            "--authorized-keys",
            str(keys),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


@pytest.fixture
def keys(tmp_path):
    path = tmp_path / "home" / ".ssh" / "authorized_keys"
    path.parent.mkdir(parents=True)
    path.write_text(
        "# kept as it is\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherKeyOfTheOperator ops\n"
    )
    return path


@pytest.mark.files_only("its files or directory")
def test_authorize_writes_a_forced_command_line_and_keeps_the_rest(store, data, keys, tmp_path):
    pub = _key(tmp_path, "doctor").with_suffix(".pub")
    result = ssh(data, keys, "authorize", "--niss", format_niss(DOCTOR), "--key-file", str(pub))
    assert result.returncode == 0, result.stderr
    lines = keys.read_text().splitlines()
    assert lines[:2] == [
        "# kept as it is",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherKeyOfTheOperator ops",
    ]
    assert lines[2].startswith('restrict,pty,command="')
    assert f"--data {data.resolve()} --niss {DOCTOR}" in lines[2]
    assert lines[2].endswith(f"vaccinnet:niss:{DOCTOR} doctor@laptop")
    assert stat.S_IMODE(os.stat(keys).st_mode) == 0o600
    listed = ssh(data, keys, "list")
    assert f"niss:{DOCTOR}" in listed.stdout and _fingerprint(pub) in listed.stdout
    entry = open_store(data).audit_entries()[-1]
    assert entry.action == "ssh_key_authorized" and entry.detail["fingerprint"] == _fingerprint(pub)
    again = ssh(data, keys, "authorize", "--niss", DOCTOR, "--key-file", str(pub))
    assert again.returncode == 0 and "already" in again.stdout
    assert len(keys.read_text().splitlines()) == 3


@pytest.mark.files_only("its files or directory")
def test_one_key_is_one_identity(store, data, keys, tmp_path):
    pub = _key(tmp_path, "shared").with_suffix(".pub")
    assert ssh(data, keys, "authorize", "--niss", DOCTOR, "--key-file", str(pub)).returncode == 0
    other = ssh(data, keys, "authorize", "--admin", "adm", "--key-file", str(pub))
    assert other.returncode == 1 and "already bound to niss:" in other.stderr
    assert "admin:adm" not in keys.read_text()


@pytest.mark.parametrize("bad", ["private", "two-keys", "garbage"])
def test_only_one_valid_public_key_is_accepted(store, data, keys, tmp_path, bad):
    private = _key(tmp_path, "k")
    path = {"private": private, "two-keys": tmp_path / "two.pub", "garbage": tmp_path / "g.pub"}[
        bad
    ]
    if bad == "two-keys":
        pub = private.with_suffix(".pub").read_text()
        path.write_text(pub + pub)
    if bad == "garbage":
        path.write_text("ssh-ed25519 AAAAnotbase64!!! x\n")
    before = keys.read_text()
    result = ssh(data, keys, "authorize", "--niss", DOCTOR, "--key-file", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert keys.read_text() == before


@pytest.mark.files_only("its files or directory")
def test_unknown_people_need_applicant(store, data, keys, tmp_path):
    pub = _key(tmp_path, "nurse").with_suffix(".pub")
    refused = ssh(data, keys, "authorize", "--niss", NURSE, "--key-file", str(pub))
    assert refused.returncode == 1 and "--applicant" in refused.stderr
    assert (
        ssh(
            data, keys, "authorize", "--niss", NURSE, "--key-file", str(pub), "--applicant"
        ).returncode
        == 0
    )
    nobody = ssh(
        data,
        keys,
        "authorize",
        "--admin",
        "ghost",
        "--key-file",
        str(_key(tmp_path, "ghost").with_suffix(".pub")),
    )
    assert nobody.returncode == 1 and "not an administrator" in nobody.stderr


@pytest.mark.files_only("its files or directory")
def test_revoke_by_fingerprint_or_key_file(store, data, keys, tmp_path):
    first = _key(tmp_path, "a").with_suffix(".pub")
    second = _key(tmp_path, "b").with_suffix(".pub")
    ssh(data, keys, "authorize", "--niss", DOCTOR, "--key-file", str(first))
    ssh(data, keys, "authorize", "--admin", "adm", "--key-file", str(second))
    assert ssh(data, keys, "revoke", "--fingerprint", _fingerprint(first)).returncode == 0
    assert ssh(data, keys, "revoke", "--key-file", str(second)).returncode == 0
    assert keys.read_text().splitlines()[:2][0] == "# kept as it is"
    assert "vaccinnet:" not in keys.read_text()
    missing = ssh(data, keys, "revoke", "--fingerprint", "SHA256:nothing")
    assert missing.returncode == 1 and "no authorized key" in missing.stderr
    assert [e.action for e in open_store(data).audit_entries()][-2:] == ["ssh_key_revoked"] * 2


def _authorized(data, keys, tmp_path, name, *who):
    pub = _key(tmp_path, name).with_suffix(".pub")
    result = ssh(data, keys, "authorize", *who, "--key-file", str(pub))
    assert result.returncode == 0, result.stderr
    return pub


@pytest.mark.files_only("its files or directory")
@pytest.mark.parametrize("admin_id", ["Anne", 'a"b', "a;id", "../x", "adm in"])
def test_admin_keys_need_an_id_in_the_safe_alphabet(store, data, keys, tmp_path, admin_id):
    before = keys.read_bytes()
    result = ssh(
        data,
        keys,
        "authorize",
        "--admin",
        admin_id,
        "--key-file",
        str(_key(tmp_path, "x").with_suffix(".pub")),
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "1 to 32 characters" in result.stderr or "1 à 32 caractères" in result.stderr
    assert keys.read_bytes() == before


def _damaged_lines(good: str) -> list[tuple[str, str]]:
    """Lines that look like ours but cannot be used, each for another reason, with the reason."""
    head, rest = good.split('" ', 1)
    head += '"'
    kind, blob = rest.split()[:2]
    doctor = f"vaccinnet:niss:{DOCTOR}"
    return [
        (f"{head} {kind} AAAA!!notbase64 {doctor}", "is not valid base64"),
        (f"{head} ssh-rsa {blob} {doctor}", "is not of its type ssh-rsa"),
        (f"{head} {kind} {blob} vaccinnet:root:me", "names no identity"),
        (f"{head} {kind} {blob} vaccinnet:niss:{NURSE}", "not the one for niss:"),
        ('restrict,pty,command="/opt/vaccinnet --niss', "does not have its form"),
    ]


@pytest.mark.files_only("its files or directory")
def test_list_and_revoke_report_damaged_lines_by_number_and_go_on(store, data, keys, tmp_path):
    first = _authorized(data, keys, tmp_path, "first", "--niss", DOCTOR)
    second = _authorized(data, keys, tmp_path, "second", "--admin", "adm")
    lines = keys.read_text().splitlines()  # two lines of the operator's, then the two grants
    damaged = _damaged_lines(lines[2])
    keys.write_text("\n".join([*lines[:3], *(line for line, _ in damaged), lines[3]]) + "\n")
    listed = ssh(data, keys, "list")
    assert listed.returncode == 0, listed.stderr
    assert f"niss:{DOCTOR}" in listed.stdout and _fingerprint(second) in listed.stdout
    assert len(listed.stdout.splitlines()) == 2
    warnings = listed.stderr.splitlines()
    assert len(warnings) == 5 and "Traceback" not in listed.stderr
    for number, (warning, (_line, reason)) in enumerate(zip(warnings, damaged, strict=True), 4):
        assert f"line {number} " in warning and reason in warning, warning
        assert warning.endswith("left as it is") and "AAAA!!" not in warning
    revoked = ssh(data, keys, "revoke", "--fingerprint", _fingerprint(second))
    assert revoked.returncode == 0 and "revoked admin:adm" in revoked.stdout
    assert revoked.stderr.count("left as it is") == 5
    kept = [*lines[:3], *(line for line, _ in damaged)]
    assert keys.read_text().splitlines() == kept
    # Three damaged lines hold the first key: revoking it cannot be the end of the story.
    revoked = ssh(data, keys, "revoke", "--key-file", str(first))
    assert revoked.returncode == 1 and f"revoked niss:{DOCTOR}" in revoked.stdout
    assert [n for n in (4, 5, 6, 7) if f"line {n} still holds this key" in revoked.stderr] == [
        4,
        5,
        6,
    ]
    assert keys.read_text().splitlines() == [*lines[:2], *(line for line, _ in damaged)]


@pytest.mark.files_only("its files or directory")
def test_bytes_that_are_not_utf8_are_named_by_line_kept_and_never_printed(
    store, data, keys, tmp_path
):
    odd = b"# caf\xe9 \xff\xfe secret-token \x1b]0;owned\x07\n"
    keys.write_bytes(keys.read_bytes() + odd)
    pub = _authorized(data, keys, tmp_path, "doctor", "--niss", DOCTOR)
    listed = ssh(data, keys, "list")
    assert listed.returncode == 0 and f"niss:{DOCTOR}" in listed.stdout
    assert "line 3 is not UTF-8 text; left as it is" in listed.stderr
    for out in (listed.stdout, listed.stderr):
        assert "secret-token" not in out and "\x1b" not in out and "caf" not in out
    assert odd in keys.read_bytes()  # the authorization kept the line byte for byte
    assert ssh(data, keys, "revoke", "--key-file", str(pub)).returncode == 0
    assert keys.read_bytes().endswith(odd) and b"vaccinnet:" not in keys.read_bytes()


@pytest.mark.files_only("its files or directory")
def test_a_key_on_a_line_vaccinnet_does_not_manage_is_refused(store, data, keys, tmp_path):
    pub = _key(tmp_path, "ops").with_suffix(".pub")
    keys.write_text(keys.read_text() + pub.read_text())  # the operator's own, with a shell
    before = keys.read_bytes()
    result = ssh(data, keys, "authorize", "--niss", DOCTOR, "--key-file", str(pub))
    assert result.returncode == 1 and "already on line 3" in result.stderr
    assert keys.read_bytes() == before


@pytest.mark.files_only("its files or directory")
def test_the_same_key_cannot_slip_in_through_a_damaged_line(store, data, keys, tmp_path):
    pub = _authorized(data, keys, tmp_path, "doctor", "--niss", DOCTOR)
    grant = keys.read_text().splitlines()[2]
    keys.write_text(keys.read_text().replace(grant, grant.replace("--niss", "--nis")))
    refused = ssh(data, keys, "authorize", "--admin", "adm", "--key-file", str(pub))
    assert refused.returncode == 1 and "already on line 3" in refused.stderr
    assert "admin:adm" not in keys.read_text()


@pytest.mark.files_only("its files or directory")
def test_changes_to_the_file_wait_for_each_other(store, data, keys, tmp_path):
    import fcntl
    import time

    pub = _key(tmp_path, "doctor").with_suffix(".pub")
    fd = os.open(keys.parent, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # another authorize or revoke is half-way
    try:
        waiting = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tui.cli",
                "ssh",
                "authorize",
                "--niss",
                DOCTOR,
                "--key-file",
                str(pub),
                "--data",
                str(data),
                "--authorized-keys",
                str(keys),
            ]
        )
        time.sleep(1.5)
        assert waiting.poll() is None and "vaccinnet:" not in keys.read_text()
    finally:
        os.close(fd)
    assert waiting.wait(timeout=60) == 0
    assert f"vaccinnet:niss:{DOCTOR}" in keys.read_text()
