"""CLI output shows stored data inert, key operations name the real user, errors stay one line."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import stat
import subprocess
import sys

import pytest

import tui.cli
import tui.incidents
from rules import format_niss
from rules.text import has_unsafe_chars
from tests.conftest import DOCTOR
from tests.functional.test_ssh_keys import ssh
from tui.cli import main, run

TITLE_REWRITE = "\x1b]0;P\x1b\\"


def _no_raw_controls(text: str) -> bool:
    return not has_unsafe_chars(text.replace("\n", ""))


def test_audit_text_output_shows_control_characters_inert(store, location, capsys):
    # The operator's name of key operations came from $LOGNAME: old trails may hold anything.
    store.note_ssh_key(f"ops{TITLE_REWRITE}", "ssh_key_revoked", f"niss:{DOCTOR}", "SHA256:x\u202e")
    assert run(["--data", str(location), "audit"]) == 0
    out = capsys.readouterr().out
    assert "ops\\x1b]0;P\\x1b\\" in out and "SHA256:x\\u202e" in out
    assert _no_raw_controls(out)


def test_audit_json_output_escapes_every_control_character(store, location, capsys):
    operator = f"ops{TITLE_REWRITE}\x9b2J\u202eé"
    store.note_ssh_key(operator, "ssh_key_revoked", f"niss:{DOCTOR}", "SHA256:x")
    assert run(["--data", str(location), "audit", "--json"]) == 0
    out = capsys.readouterr().out
    assert "ops\\u001b]0;P\\u001b\\\\\\u009b2J\\u202eé" in out and _no_raw_controls(out)
    entries = [json.loads(line) for line in out.splitlines()]
    assert entries[-1]["actor"] == operator  # still the same JSON


needs_ssh_keygen = pytest.mark.skipif(
    shutil.which("ssh-keygen") is None, reason="ssh-keygen (openssh-client) is not installed"
)


def _key_with_comment(tmp_path, comment: str):
    path = tmp_path / "key"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "x", "-f", str(path)], check=True
    )
    pub = path.with_suffix(".pub")
    kind, blob, _comment = pub.read_text().split(None, 2)
    pub.write_text(f"{kind} {blob} {comment}\n", encoding="utf-8")
    return pub


@pytest.mark.files_only("its files or directory")
@needs_ssh_keygen
def test_ssh_list_shows_key_comments_inert(store, data, tmp_path):
    keys = tmp_path / "authorized_keys"
    pub = _key_with_comment(tmp_path, f"laptop{TITLE_REWRITE}\u202eevil")
    authorized = ssh(
        data,
        keys,
        "authorize",
        "--niss",
        format_niss(DOCTOR),
        "--key-file",
        str(pub),
        "--program",
        sys.executable,
    )
    assert authorized.returncode == 0, authorized.stderr
    listed = ssh(data, keys, "list")
    assert listed.returncode == 0, listed.stderr
    assert f"niss:{DOCTOR}" in listed.stdout
    assert "laptop\\x1b]0;P\\x1b\\\\u202eevil" in listed.stdout
    assert _no_raw_controls(listed.stdout) and _no_raw_controls(authorized.stdout)


@pytest.mark.files_only("its files or directory")
@needs_ssh_keygen
def test_key_operations_are_audited_under_the_real_user(store, data, tmp_path):
    keys = tmp_path / "authorized_keys"
    pub = _key_with_comment(tmp_path, "laptop")
    env = {**os.environ, "LOGNAME": "root\x1b[2J", "USER": "root\x1b[2J"}
    result = ssh(
        data,
        keys,
        "authorize",
        "--niss",
        format_niss(DOCTOR),
        "--key-file",
        str(pub),
        "--program",
        sys.executable,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    entry = store.audit_entries(newest_first=True)[0]
    assert entry.action == "ssh_key_authorized"
    assert entry.actor == pwd.getpwuid(os.getuid()).pw_name


# ----- unexpected errors -------------------------------------------------------------------------


@pytest.fixture
def platform_log(tmp_path, monkeypatch):
    """Where the log goes when the data directory cannot hold it (never the real user's dir)."""
    monkeypatch.delenv("VACCINNET_DEBUG", raising=False)
    folder = tmp_path / "platform-log"
    monkeypatch.setattr(tui.incidents, "user_log_dir", lambda *a, **k: str(folder))
    return folder / "incidents.log"


def _explode(*_args, **_kwargs):
    colleague = DOCTOR  # noqa: F841  (a local a crash report with locals would print)
    raise RuntimeError("the disk said no")


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.files_only("its files or directory")
def test_an_unexpected_error_is_one_line_with_an_incident_id(
    store, data, platform_log, monkeypatch, capsys
):
    monkeypatch.setattr(tui.cli, "_check", _explode)
    with pytest.raises(SystemExit) as exited:
        main(["--data", str(data), "--lang", "nl", "check"])
    assert exited.value.code == 70
    captured = capsys.readouterr()
    (line,) = captured.err.splitlines()
    log = data / "log" / "incidents.log"
    assert line.startswith("vaccinnet: onverwachte fout (incident ")
    assert str(log) in line
    incident = line.split("incident ")[1][:8]
    assert len(incident) == 8 and int(incident, 16) >= 0
    assert "Traceback" not in captured.err + captured.out and DOCTOR not in captured.err
    trace = log.read_text()
    assert f"--- incident {incident} " in trace and "RuntimeError: the disk said no" in trace
    assert "in _explode" in trace and DOCTOR not in trace  # the trace, without locals
    assert _mode(log) == 0o600 and _mode(log.parent) == 0o700
    assert not platform_log.exists()


def test_the_log_goes_to_the_platform_dir_without_a_data_dir(
    tmp_path, platform_log, monkeypatch, capsys
):
    monkeypatch.setattr(tui.cli, "_existing_store", _explode)
    missing = tmp_path / "nowhere"
    assert run(["--data", str(missing), "--lang", "en", "check"]) == 70
    assert not missing.exists()  # an error never creates a data directory
    err = capsys.readouterr().err
    assert f"the details are in {platform_log}." in err
    assert "RuntimeError: the disk said no" in platform_log.read_text()
    assert _mode(platform_log) == 0o600


@pytest.mark.files_only("its files or directory")
def test_an_existing_log_is_made_private_and_appended_to(
    store, data, platform_log, monkeypatch, capsys
):
    log = data / "log" / "incidents.log"
    log.parent.mkdir(mode=0o755)
    log.write_text("--- incident 00000000 earlier\n")
    log.chmod(0o644)
    monkeypatch.setattr(tui.cli, "_check", _explode)
    assert run(["--data", str(data), "check"]) == 70
    assert log.read_text().startswith("--- incident 00000000 earlier\n")
    assert log.read_text().count("--- incident ") == 2
    assert _mode(log) == 0o600 and _mode(log.parent) == 0o700


def test_developers_still_get_the_traceback(store, data, monkeypatch):
    monkeypatch.setenv("VACCINNET_DEBUG", "1")
    monkeypatch.setattr(tui.cli, "_check", _explode)
    with pytest.raises(RuntimeError, match="the disk said no"):
        run(["--data", str(data), "check"])


def test_a_data_directory_s_name_is_shown_inert_in_every_line(tmp_path, capsys):
    # A path is data too: `demo` and `check` print it, and it must not rewrite the title.
    odd = tmp_path / f"store{TITLE_REWRITE}"
    assert run(["--lang", "en", "--data", str(odd), "demo"]) == 0
    assert run(["--lang", "en", "--data", str(odd), "check"]) == 0
    out = capsys.readouterr().out
    assert "store\\x1b]0;P\\x1b\\" in out and "OK " in out and "Demo store written" in out
    assert _no_raw_controls(out)
