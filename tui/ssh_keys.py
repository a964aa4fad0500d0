"""The service account's authorized_keys: one forced-command line per person or admin key."""

from __future__ import annotations

import base64
import binascii
import contextlib
import fcntl
import hashlib
import os
import re
import shlex
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rules import RuleViolation, normalize_niss, printable
from rules.fields import clean_admin_id
from tui.i18n import _, ngettext, said

KEY_TYPES = re.compile(r"(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp\d+|sk-[a-z0-9@.-]+)$")


class KeyProblem(Exception):
    """A key that cannot be authorized, said in one line in the current language."""


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
    number: int = 0  # its line number in the file


@dataclass(frozen=True)
class Damage:
    """A line the tool cannot use, said without its content (it may hold anything)."""

    number: int
    reason: str

    def __str__(self) -> str:
        return _("line {number} {reason}; left as it is").format(
            number=self.number, reason=self.reason
        )


@dataclass
class KeysFile:
    """Every line of the file as read (bytes that are not UTF-8 kept), and what they grant."""

    lines: list[str] = field(default_factory=list)
    grants: list[Grant] = field(default_factory=list)
    damaged: list[Damage] = field(default_factory=list)


def read_public_key(path: Path) -> PublicKey:
    """One public key, checked by ssh-keygen; a private key or garbage is refused."""
    try:
        text = Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        problem = said(exc)
        raise KeyProblem(
            _("{file}: cannot be read ({problem})").format(file=path, problem=problem)
        ) from None
    except UnicodeDecodeError:
        raise KeyProblem(_("{file} is not UTF-8 text").format(file=path)) from None
    if "PRIVATE KEY" in text:
        raise KeyProblem(_("{file} is a private key: give the .pub file").format(file=path))
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    if len(lines) != 1:
        raise KeyProblem(_("{file} must hold exactly one public key line").format(file=path))
    parts = lines[0].split(None, 2)
    if len(parts) < 2 or not KEY_TYPES.match(parts[0]):
        raise KeyProblem(
            _("{file} does not start with an SSH key type (ssh-ed25519, ssh-rsa, …)").format(
                file=path
            )
        )
    return PublicKey(
        parts[0],
        parts[1],
        parts[2] if len(parts) > 2 else "",
        fingerprint_of(f"{parts[0]} {parts[1]}"),
    )


def fingerprint_of(key_line: str) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".pub", delete=False) as tmp:
        tmp.write(key_line + "\n")
    try:
        result = subprocess.run(
            ["ssh-keygen", "-l", "-E", "sha256", "-f", tmp.name],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except FileNotFoundError:
        raise KeyProblem(_("ssh-keygen is not installed (package openssh-client)")) from None
    finally:
        os.unlink(tmp.name)
    if result.returncode != 0:
        # ssh-keygen's own words are its own: shown as it wrote them.
        raise KeyProblem(
            _("not a valid SSH public key: {problem}").format(problem=result.stderr.strip())
        )
    return result.stdout.split()[1]


def forced_command(program: str, data: Path | str, identity: str) -> str:
    kind, _colon, value = identity.partition(":")
    args = [program, "--data", str(data)]
    args += ["--niss", value] if kind == "niss" else ["admin", "--admin", value]
    return shlex.join(args)


def grant_line(program: str, data: Path | str, identity: str, key: PublicKey) -> str:
    command = forced_command(program, data, identity).replace('"', '\\"')
    comment = f"vaccinnet:{identity}" + (f" {key.comment}" if key.comment else "")
    return f'restrict,pty,command="{command}" {key.kind} {key.blob} {comment}'


_PREFIX = 'restrict,pty,command="'
_MANAGED = re.compile(
    r'^restrict,pty,command="((?:[^"\\]|\\.)*)" (\S+) (\S+) vaccinnet:(\S+)(?: (.*))?$'
)


def blob_fingerprint(kind: str, blob: str) -> str:
    """The SHA256 fingerprint ssh-keygen prints, for a key already in the file."""
    try:
        raw = base64.b64decode(blob, validate=True)
    except (binascii.Error, ValueError):
        raise KeyProblem(_("holds a key that is not valid base64")) from None
    length = int.from_bytes(raw[:4], "big")
    if len(raw) < 4 + length or raw[4 : 4 + length] != kind.encode():
        raise KeyProblem(
            _("holds a key that is not of its type {kind}").format(kind=printable(kind))
        )
    return "SHA256:" + base64.b64encode(hashlib.sha256(raw).digest()).decode().rstrip("=")


def _check_identity(identity: str, command: str) -> None:
    kind, _colon, value = identity.partition(":")
    try:
        ok = (kind == "niss" and normalize_niss(value) == value) or (
            kind == "admin" and clean_admin_id(value) == value
        )
    except RuleViolation:
        ok = False
    if not ok:
        raise KeyProblem(
            _("names no identity vaccinnet knows ({identity})").format(identity=printable(identity))
        )
    expected = ["--niss", value] if kind == "niss" else ["admin", "--admin", value]
    try:
        args = shlex.split(command.replace('\\"', '"'))
    except ValueError:
        args = []
    # The comment says who the key is, the command who it logs in as: they must agree.
    if args[-len(expected) :] != expected:
        raise KeyProblem(
            _("runs a command that is not the one for {identity}").format(
                identity=printable(identity)
            )
        )


def _grant(line: str, number: int) -> Grant:
    match = _MANAGED.match(line)
    if not match:
        raise KeyProblem(_("looks like a vaccinnet line but does not have its form"))
    command, kind, blob, identity, comment = match.groups()
    if not KEY_TYPES.match(kind):
        raise KeyProblem(_("does not name an SSH key type"))
    _check_identity(identity, command)
    key = PublicKey(kind, blob, comment or "", blob_fingerprint(kind, blob))
    return Grant(identity, key, line, number)


def read_keys(path: Path) -> KeysFile:
    """Every line of the file, the ones this tool manages, and those it cannot use.

    A damaged line is reported by its number and the others still count; bytes that are not
    UTF-8 are kept as they are (surrogateescape) and never shown.
    """
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        return KeysFile()
    except OSError as exc:
        raise KeyProblem(
            _("{file}: cannot be read ({problem})").format(file=path, problem=said(exc))
        ) from None
    lines = raw.decode("utf-8", "surrogateescape").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    found = KeysFile(lines)
    for number, line in enumerate(lines, 1):
        if not _is_utf8(line):
            found.damaged.append(Damage(number, _("is not UTF-8 text")))
        elif line.startswith(_PREFIX) or any(w.startswith("vaccinnet:") for w in line.split()):
            try:
                found.grants.append(_grant(line, number))
            except KeyProblem as problem:
                found.damaged.append(Damage(number, str(problem)))
    return found


def _is_utf8(line: str) -> bool:
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One change to the file at a time, so two runs cannot both add the same key."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


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
        with os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape") as fh:
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


def authorize(
    path: Path, program: str, data: Path | str, identity: str, key: PublicKey
) -> tuple[bool, list[Damage]]:
    """Add the line; False when this key already serves this identity.

    One key is one identity: sshd obeys the first line that holds a key, so a key on any other
    line (another identity, the operator's own, a damaged one) is refused, naming that line.
    """
    path = Path(path)
    with _locked(path):
        found = read_keys(path)
        for grant in found.grants:
            if grant.key.fingerprint == key.fingerprint:
                if grant.identity != identity:
                    raise KeyProblem(
                        _(
                            "this key ({fingerprint}) is already bound to {identity} "
                            "(line {number}); one key is one identity"
                        ).format(
                            fingerprint=key.fingerprint,
                            identity=grant.identity,
                            number=grant.number,
                        )
                    )
                return False, found.damaged
        for number, line in enumerate(found.lines, 1):
            if key.blob in line.split():
                raise KeyProblem(
                    _(
                        "this key ({fingerprint}) is already on line {number} of {file}, which "
                        "vaccinnet does not manage; one key is one identity: remove that line "
                        "first"
                    ).format(fingerprint=key.fingerprint, number=number, file=path)
                )
        write_lines(path, [*found.lines, grant_line(program, data, identity, key)])
    return True, found.damaged


@dataclass
class Revocation:
    gone: list[Grant]
    damaged: list[Damage]
    # Lines of the new file that still hold a revoked key, which can still log in through them.
    still_holding: list[int]


def revoke(path: Path, fingerprint: str) -> Revocation:
    path = Path(path)
    with _locked(path):
        found = read_keys(path)
        gone = [g for g in found.grants if g.key.fingerprint == fingerprint]
        if not gone:
            text = _("no authorized key has the fingerprint {fingerprint}").format(
                fingerprint=printable(fingerprint)
            )
            if found.damaged:
                count = len(found.damaged)
                text += " " + ngettext(
                    "({count} damaged line left aside)",
                    "({count} damaged lines left aside)",
                    count,
                ).format(count=count)
            raise KeyProblem(text)
        numbers = {g.number for g in gone}
        kept = [line for n, line in enumerate(found.lines, 1) if n not in numbers]
        write_lines(path, kept)
    blobs = {g.key.blob for g in gone}
    still = [n for n, line in enumerate(kept, 1) if blobs & set(line.split())]
    return Revocation(gone, found.damaged, still)
