"""The service account's authorized_keys: one forced-command line per person or admin key."""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

KEY_TYPES = re.compile(r"(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp\d+|sk-[a-z0-9@.-]+)$")


class KeyProblem(Exception):
    """A key that cannot be authorized, said in one line."""


@dataclass(frozen=True)
class PublicKey:
    kind: str
    blob: str
    comment: str
    fingerprint: str


@dataclass(frozen=True)
class Grant:
    """A managed line: who the key is, and the key."""

    identity: str  # "niss:85073003328" or "admin:anne"
    key: PublicKey
    line: str


def read_public_key(path: Path) -> PublicKey:
    """One public key, checked by ssh-keygen; a private key or garbage is refused."""
    try:
        text = Path(path).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyProblem(f"{path}: cannot be read ({exc})") from None
    if "PRIVATE KEY" in text:
        raise KeyProblem(f"{path} is a private key: give the .pub file")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    if len(lines) != 1:
        raise KeyProblem(f"{path} must hold exactly one public key line")
    parts = lines[0].split(None, 2)
    if len(parts) < 2 or not KEY_TYPES.match(parts[0]):
        raise KeyProblem(f"{path} does not start with an SSH key type (ssh-ed25519, ssh-rsa, …)")
    return PublicKey(parts[0], parts[1], parts[2] if len(parts) > 2 else "",
                     fingerprint_of(f"{parts[0]} {parts[1]}"))  # fmt: skip


def fingerprint_of(key_line: str) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".pub", delete=False) as tmp:
        tmp.write(key_line + "\n")
    try:
        result = subprocess.run(["ssh-keygen", "-l", "-E", "sha256", "-f", tmp.name],
                                capture_output=True, text=True, timeout=30)  # fmt: skip
    except FileNotFoundError:
        raise KeyProblem("ssh-keygen is not installed (package openssh-client)") from None
    finally:
        os.unlink(tmp.name)
    if result.returncode != 0:
        raise KeyProblem(f"not a valid SSH public key: {result.stderr.strip()}")
    return result.stdout.split()[1]


def forced_command(program: str, data: Path, identity: str) -> str:
    kind, _, value = identity.partition(":")
    args = [program, "--data", str(data)]
    args += ["--niss", value] if kind == "niss" else ["admin", "--admin", value]
    return shlex.join(args)


def grant_line(program: str, data: Path, identity: str, key: PublicKey) -> str:
    command = forced_command(program, data, identity).replace('"', '\\"')
    comment = f"vaccinnet:{identity}" + (f" {key.comment}" if key.comment else "")
    return f'restrict,pty,command="{command}" {key.kind} {key.blob} {comment}'


_MANAGED = re.compile(r'^restrict,pty,command="[^"]*" (\S+) (\S+) vaccinnet:(\S+)(?: (.*))?$')


def read_grants(path: Path) -> tuple[list[str], list[Grant]]:
    """Every line of the file, and the ones this tool manages."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return [], []
    grants = []
    for line in lines:
        match = _MANAGED.match(line)
        if match:
            kind, blob, identity, comment = match.groups()
            key = PublicKey(kind, blob, comment or "", fingerprint_of(f"{kind} {blob}"))
            grants.append(Grant(identity, key, line))
    return lines, grants


def write_lines(path: Path, lines: list[str]) -> None:
    """Atomically, mode 0600, keeping the owner of the file it replaces."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    owner = None
    with contextlib.suppress(FileNotFoundError):
        st = path.stat()
        owner = (st.st_uid, st.st_gid)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".authorized_keys.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("".join(f"{line}\n" for line in lines))
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        if owner is not None and os.geteuid() == 0:
            os.chown(tmp, *owner)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def authorize(path: Path, program: str, data: Path, identity: str, key: PublicKey) -> bool:
    """Add the line; False when this key already serves this identity."""
    lines, grants = read_grants(path)
    for grant in grants:
        if grant.key.blob == key.blob:
            if grant.identity != identity:
                raise KeyProblem(f"this key ({key.fingerprint}) is already bound to "
                                f"{grant.identity}; one key is one identity")  # fmt: skip
            return False
    write_lines(path, [*lines, grant_line(program, data, identity, key)])
    return True


def revoke(path: Path, fingerprint: str) -> list[Grant]:
    lines, grants = read_grants(path)
    gone = [g for g in grants if g.key.fingerprint == fingerprint]
    if not gone:
        raise KeyProblem(f"no authorized key has the fingerprint {fingerprint}")
    keep = {g.line for g in gone}
    write_lines(path, [line for line in lines if line not in keep])
    return gone
