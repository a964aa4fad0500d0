"""A real sshd on 127.0.0.1 with a service account and forced commands, and tmux to drive it.

The fixture installs what is missing (openssh-server, tmux) when it can (CI runs as root), and
otherwise skips with the reason. The service account runs the program from a deployment venv
made with the system Python (/usr/bin/python3.11): the test venv's interpreter lives under
/root, which another account cannot reach. The checkout may sit in a directory only its owner
can enter (what `mktemp -d` makes), so that venv gets its own copy of the project's packages
and of their installed dependencies, readable by all, rather than a path into the checkout.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from rules import make_niss
from store import open_store
from tests.conftest import DOCTOR, DOCTOR_2, add_nursing_home, add_practice

ROOT = Path(__file__).resolve().parents[2]
PROJECT = "vaccinnet-staff"
ACCOUNT = "vaccinnet-e2e"
SYSTEM_PYTHON = "/usr/bin/python3.11"
NURSE_E2E = make_niss("920612", 415)


def _have(program: str) -> bool:
    return shutil.which(program) is not None or Path(f"/usr/sbin/{program}").exists()


def _install(packages: list[str]) -> str | None:
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return f"{', '.join(packages)} missing and cannot be installed (not root or no apt-get)"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for attempt in ("install", "update-then-install"):
        if attempt == "update-then-install":
            subprocess.run(["apt-get", "update", "-q"], capture_output=True, env=env, timeout=600)
        result = subprocess.run(
            ["apt-get", "install", "-y", "-q", *packages],
            capture_output=True,
            text=True,
            env=env,
            timeout=900,
        )
        if result.returncode == 0:
            return None
    return f"apt-get install {' '.join(packages)} failed: {result.stderr.strip()[-300:]}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _account() -> pwd.struct_passwd:
    try:
        pwd.getpwnam(ACCOUNT)
    except KeyError:
        home = Path(f"/var/lib/{ACCOUNT}")
        command = [
            "useradd",
            "--system",
            "--home-dir",
            str(home),
            "--create-home",
            "--shell",
            "/bin/sh",
            ACCOUNT,
        ]
        subprocess.run(command, check=True, capture_output=True)
    # No password, but not locked: sshd (without PAM) refuses locked accounts even for keys.
    subprocess.run(["usermod", "-p", "*", ACCOUNT], check=True, capture_output=True)
    return pwd.getpwnam(ACCOUNT)


def _runtime_distributions() -> list[importlib.metadata.Distribution]:
    """The installed distributions the program needs to run: its requirements, transitively."""
    from packaging.requirements import Requirement

    found: dict[str, importlib.metadata.Distribution] = {}
    wanted = [Requirement(r) for r in importlib.metadata.requires(PROJECT) or []]
    while wanted:
        requirement = wanted.pop()
        name = requirement.name.lower().replace("_", "-")
        if name in found or (requirement.marker and not requirement.marker.evaluate({"extra": ""})):
            continue
        found[name] = importlib.metadata.distribution(requirement.name)
        wanted += [Requirement(r) for r in found[name].requires or []]
    return list(found.values())


def _deployment_venv(base: Path) -> Path:
    venv = base / "venv"
    subprocess.run([SYSTEM_PYTHON, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next((venv / "lib").glob("python3*/site-packages"))
    for package in ("rules", "store", "tui"):
        shutil.copytree(
            ROOT / package, site / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    for dist in _runtime_distributions():
        for file in dist.files or []:
            source = Path(dist.locate_file(file))
            if ".." in file.parts or "__pycache__" in file.parts or not source.is_file():
                continue  # scripts live outside site-packages; byte code is made again
            (site / file).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, site / file)
    program = venv / "bin" / "vaccinnet"
    program.write_text(f"#!{venv}/bin/python\nfrom tui.cli import main\nmain()\n")
    # Whatever the umask, the service account must be able to read and run all of it.
    for path in [venv, *venv.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() or path == program else path.stat().st_mode | 0o444)
    return program


@dataclass
class Service:
    base: Path
    data: Path
    keys: Path
    program: Path
    port: int
    user: str
    identities: dict[str, Path]

    def ssh_command(self, who: str, *extra: str, tty: bool = True) -> list[str]:
        return [
            "ssh",
            *(["-tt"] if tty else ["-T"]),
            "-p",
            str(self.port),
            "-i",
            str(self.identities[who]),
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "BatchMode=yes",
            "-o",
            "LogLevel=ERROR",
            f"{self.user}@127.0.0.1",
            *extra,
        ]

    def store(self):  # type: ignore[no-untyped-def]
        return open_store(self.data)

    def log(self) -> str:
        return (self.base / "sshd.log").read_text()


@pytest.fixture(scope="session")
def service():
    missing = [
        p
        for p, prog in (("openssh-server", "sshd"), ("tmux", "tmux"), ("openssh-client", "ssh"))
        if not _have(prog)
    ]
    if missing and (reason := _install(missing)):
        pytest.skip(reason)
    if os.geteuid() != 0:
        pytest.skip("the SSH tests create a service account and start sshd: run them as root")
    if not Path(SYSTEM_PYTHON).exists():
        pytest.skip(f"{SYSTEM_PYTHON} is needed for the service account's venv")
    account = _account()
    base = Path(tempfile.mkdtemp(prefix="vaccinnet-e2e-", dir="/tmp"))
    os.chmod(base, 0o755)
    program = _deployment_venv(base)
    data = base / "data"
    store = open_store(data)
    store.add_admin("anne", "Anne Lambert")
    add_practice(store, "anne")
    add_nursing_home(store, "anne")
    keys = base / "authorized_keys"
    identities = {}
    for who, identity in (
        ("doctor", ["--niss", DOCTOR]),
        ("doctor2", ["--niss", DOCTOR_2]),
        ("admin", ["--admin", "anne"]),
    ):
        key = base / f"id_{who}"
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", who, "-f", str(key)], check=True
        )
        identities[who] = key
        subprocess.run(
            [
                str(program),
                "--data",
                str(data),
                "ssh",
                "authorize",
                *identity,
                "--key-file",
                f"{key}.pub",
                "--authorized-keys",
                str(keys),
                "--program",
                str(program),
            ],
            check=True,
            capture_output=True,
        )
    subprocess.run(
        ["chown", "-R", f"{account.pw_uid}:{account.pw_gid}", str(data), str(keys)], check=True
    )
    host_key = base / "host_ed25519"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(host_key)], check=True)
    port = _free_port()
    config = base / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {host_key}\nPidFile {base}/sshd.pid\n"
        f"AuthorizedKeysFile {keys}\nAllowUsers {ACCOUNT}\nPermitRootLogin no\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n"
        # The test files live under /tmp (world-writable); production keeps StrictModes yes.
        "StrictModes no\nPermitTTY yes\nLogLevel VERBOSE\n"
        "AcceptEnv LANG\n"
    )
    Path("/run/sshd").mkdir(exist_ok=True)
    log = (base / "sshd.log").open("w")
    sshd = subprocess.Popen(
        ["/usr/sbin/sshd", "-D", "-e", "-f", str(config)], stdout=log, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            break
        time.sleep(0.1)
    else:
        sshd.kill()
        pytest.fail(f"sshd did not start: {(base / 'sshd.log').read_text()[-500:]}")
    yield Service(base, data, keys, program, port, ACCOUNT, identities)
    log.close()
    print((base / "sshd.log").read_text()[-3000:])  # shown by pytest when a test failed
    sshd.terminate()
    sshd.wait(timeout=10)
    subprocess.run(["tmux", "-L", "vaccinnet-e2e", "kill-server"], capture_output=True)
    shutil.rmtree(base, ignore_errors=True)


class Terminal:
    """One tmux window: type like a person, read the screen."""

    # One tmux server per run: two checkouts testing side by side must not share sessions.
    SOCKET = ["tmux", "-L", os.environ.get("VACCINNET_E2E_TMUX", "vaccinnet-e2e")]

    def __init__(
        self,
        name: str,
        command: list[str],
        term: str = "xterm-256color",
        size: tuple[int, int] = (80, 24),
    ) -> None:
        self.name = name
        line = " ".join(subprocess.list2cmdline([part]) for part in command)
        subprocess.run([*self.SOCKET, "kill-session", "-t", name], capture_output=True)
        subprocess.run(
            [
                *self.SOCKET,
                "new-session",
                "-d",
                "-s",
                name,
                "-x",
                str(size[0]),
                "-y",
                str(size[1]),
                f"TERM={term} {line}; sleep 3600",
            ],
            check=True,
        )

    def keys(self, *keys: str, pause: float = 0.15) -> None:
        for key in keys:
            subprocess.run([*self.SOCKET, "send-keys", "-t", self.name, key], check=True)
            time.sleep(pause)

    def type(self, text: str) -> None:
        subprocess.run([*self.SOCKET, "send-keys", "-t", self.name, "-l", text], check=True)
        time.sleep(0.2)

    def paste(self, text: str) -> None:
        """As a person pastes into a terminal: bracketed (-p), every line at once."""
        buffer = f"paste-{self.name}"
        subprocess.run(
            [*self.SOCKET, "load-buffer", "-b", buffer, "-"], input=text.encode(), check=True
        )
        subprocess.run(
            [*self.SOCKET, "paste-buffer", "-p", "-d", "-b", buffer, "-t", self.name], check=True
        )

    def screen(self) -> str:
        return subprocess.run(
            [*self.SOCKET, "capture-pane", "-p", "-t", self.name], capture_output=True, text=True
        ).stdout

    def wait_for(self, text: str, timeout: float = 15.0) -> float:
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if text in self.screen():
                return time.monotonic() - start
            time.sleep(0.05)
        raise AssertionError(f"{text!r} not on screen after {timeout} s:\n{self.screen()}")

    def resize(self, width: int, height: int) -> None:
        subprocess.run(
            [*self.SOCKET, "resize-window", "-t", self.name, "-x", str(width), "-y", str(height)],
            check=True,
        )

    def close(self) -> None:
        subprocess.run([*self.SOCKET, "kill-session", "-t", self.name], capture_output=True)


@pytest.fixture
def terminals():
    opened: list[Terminal] = []

    def open_terminal(*args, **kwargs) -> Terminal:  # type: ignore[no-untyped-def]
        terminal = Terminal(*args, **kwargs)
        opened.append(terminal)
        return terminal

    yield open_terminal
    for terminal in opened:
        terminal.close()
