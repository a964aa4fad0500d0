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

pytestmark = pytest.mark.skipif(shutil.which("ssh-keygen") is None,
                                reason="ssh-keygen (openssh-client) is not installed")  # fmt: skip


def _key(tmp_path, name: str):
    path = tmp_path / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"{name}@laptop",
                    "-f", str(path)], check=True)  # fmt: skip
    return path


def _fingerprint(pub) -> str:
    out = subprocess.run(["ssh-keygen", "-l", "-E", "sha256", "-f", str(pub)],
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    return out.split()[1]


def ssh(data, keys, *args):
    return subprocess.run([sys.executable, "-m", "tui.cli", "ssh", *args, "--data", str(data),
                           "--authorized-keys", str(keys)], capture_output=True, text=True,
                          timeout=60)  # fmt: skip


@pytest.fixture
def keys(tmp_path):
    path = tmp_path / "home" / ".ssh" / "authorized_keys"
    path.parent.mkdir(parents=True)
    path.write_text(
        "# kept as it is\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherKeyOfTheOperator ops\n"
    )
    return path


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


def test_unknown_people_need_applicant(store, data, keys, tmp_path):
    pub = _key(tmp_path, "nurse").with_suffix(".pub")
    refused = ssh(data, keys, "authorize", "--niss", NURSE, "--key-file", str(pub))
    assert refused.returncode == 1 and "--applicant" in refused.stderr
    assert ssh(data, keys, "authorize", "--niss", NURSE, "--key-file", str(pub),
               "--applicant").returncode == 0  # fmt: skip
    nobody = ssh(data, keys, "authorize", "--admin", "ghost", "--key-file",
                 str(_key(tmp_path, "ghost").with_suffix(".pub")))  # fmt: skip
    assert nobody.returncode == 1 and "not an administrator" in nobody.stderr


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
