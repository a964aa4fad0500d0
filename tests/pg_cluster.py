"""A throwaway PostgreSQL cluster: initdb in a temporary directory, a free port on 127.0.0.1.

Hand-written rather than pytest-postgresql: CI runs as root, where initdb and pg_ctl refuse
to run, and pytest-postgresql has no way to run them as another user (its issues #341 and
#455 were closed without one). As root the server runs as the ``postgres`` account that the
Debian package creates; it is installed with apt-get when missing, as the SSH tests do.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

SERVER_PACKAGE = "postgresql"
DATABASE_USER = "vaccinnet"


def _bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if found:
        return Path(found[0]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def _install() -> str | None:
    """Install the server with apt-get (as root); the reason it cannot be, or None."""
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return "PostgreSQL's server is missing and cannot be installed (not root or no apt-get)"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    command = ["apt-get", "install", "-y", "-q", "--no-install-recommends", SERVER_PACKAGE]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)
    if result.returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], capture_output=True, env=env, timeout=600)
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)
    if result.returncode != 0:
        return f"apt-get install {SERVER_PACKAGE} failed: {result.stderr.strip()[-300:]}"
    return None


def unavailable() -> str | None:
    """Why no cluster can be started here, or None (installing the server if it can)."""
    if _bindir() is None and (reason := _install()) is not None:
        return reason
    if _bindir() is None:
        return "PostgreSQL's server was installed but initdb cannot be found"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root, and there is no postgres account to run the server as"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Cluster:
    """One server of our own: ``start``, ``stop`` (in the middle of a test, too) and ``url``."""

    def __init__(
        self, base: Path | None = None, max_connections: int = 300, durable: bool = False
    ) -> None:
        bindir = _bindir()
        assert bindir is not None, "call unavailable() first"
        self.bindir = bindir
        self.base = Path(base or tempfile.mkdtemp(prefix="vaccinnet-pg-"))
        self.data = self.base / "data"
        self.port = free_port()
        self.max_connections = max_connections
        self.durable = durable
        self._as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self._as:
            # The server's account must reach its directory; nothing else lives there.
            os.chmod(self.base, 0o755)
            shutil.chown(self.base, "postgres", "postgres")
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            DATABASE_USER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )

    def _run(self, program: str, *args: str) -> subprocess.CompletedProcess[str]:
        command = [*self._as, str(self.bindir / program), *args]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"{program} failed: {result.stderr.strip()[-800:]}")
        return result

    @property
    def log(self) -> Path:
        return self.base / "server.log"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{DATABASE_USER}@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.base} "
            f"-c max_connections={self.max_connections}"
        )
        if not self.durable:
            # A test cluster: durability against a power cut is not what is tested here
            # (a stop in the middle of a session is, and survives these settings).
            options += " -c fsync=off -c full_page_writes=off -c synchronous_commit=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def running(self) -> bool:
        command = [*self._as, str(self.bindir / "pg_ctl"), "-D", str(self.data), "status"]
        return subprocess.run(command, capture_output=True, timeout=30).returncode == 0

    def sql(self, statement: str, database: str = "postgres") -> str:
        psql = self.bindir / "psql"
        program = str(psql) if psql.exists() else "psql"
        command = [program, "-X", "-q", "-At", "-d", self.url(database), "-c", statement]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"psql failed: {result.stderr.strip()[-800:]}")
        return result.stdout.strip()

    def destroy(self) -> None:
        if self.data.exists() and self.running():
            self.stop("immediate")
        shutil.rmtree(self.base, ignore_errors=True)


def wait_until_accepting(cluster: Cluster, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            cluster.sql("SELECT 1")
            return
        except RuntimeError:
            time.sleep(0.1)
    raise RuntimeError(f"the cluster did not accept connections: {cluster.log.read_text()[-500:]}")
