"""The audit trail's hash chain: how an entry is sealed, keyed, anchored and verified."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from rules.phrase import N_, Phrase
from store.errors import StoreError

GENESIS = "0" * 64
KEY_FILE_ENV = "VACCINNET_AUDIT_KEY_FILE"
MIN_KEY_BYTES = 32
# "SEQ:HASH" wherever it stands, so a mail or a syslog extract can be given as it is.
_ANCHOR = re.compile(r"(?<![0-9A-Za-z])(\d{1,12}):([0-9a-fA-F]{64})(?![0-9A-Za-z])")


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: str
    actor: str
    action: str
    entity_id: str | None
    niss: str | None
    request_id: str | None
    detail: dict[str, Any]
    prev: str
    hash: str
    mac: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}

    @property
    def moment(self) -> datetime:
        return datetime.fromisoformat(self.at)


def seal(entry: dict[str, Any]) -> str:
    """SHA-256 of the entry without its own hash, keys sorted so the result is canonical.

    The MAC is part of what is sealed: stripping it breaks the chain like any other edit.
    """
    body = {k: v for k, v in entry.items() if k != "hash"}
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()


def mac(entry: dict[str, Any], key: bytes) -> str:
    """HMAC-SHA256 of the entry's canonical body (prev included), without hash and MAC."""
    body = {k: v for k, v in entry.items() if k not in ("hash", "mac")}
    message = b"vaccinnet-audit-1\n" + orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def load_key(path: Path, data_dir: Path | None) -> bytes:
    """The audit key from its file, refused where the data's writers could read or replace it
    (``data_dir``: the file store's directory; None for a database)."""
    try:
        # A symlink inside the data directory could be replaced by the data's writers too.
        named, resolved = path.expanduser().absolute(), path.expanduser().resolve()
        homes = (data_dir.absolute(), data_dir.resolve()) if data_dir is not None else ()
        inside = any(p.is_relative_to(home) for p in (named, resolved) for home in homes)
    except OSError as exc:
        problem = Phrase(N_("audit key file cannot be resolved ({problem})"), problem=exc)
        raise StoreError(path, problem) from None
    if inside:
        raise StoreError(
            path,
            Phrase(
                N_(
                    "the audit key file must be outside the data directory {data}: whoever can "
                    "write the data could read it"
                ),
                data=data_dir,
            ),
        )
    try:
        with open(resolved, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode):
                raise StoreError(path, Phrase(N_("the audit key file is not a regular file")))
            if st.st_mode & 0o077:
                raise StoreError(
                    path,
                    Phrase(
                        N_(
                            "the audit key file is open to others (mode {mode}); make it 0600 "
                            "(or 0400), owned by the service account"
                        ),
                        mode=f"{st.st_mode & 0o777:04o}",
                    ),
                )
            key = fh.read(4096).strip()
    except OSError as exc:
        problem = Phrase(N_("the audit key file cannot be read ({problem})"), problem=exc)
        raise StoreError(path, problem) from None
    if len(key) < MIN_KEY_BYTES:
        raise StoreError(
            path,
            Phrase(
                N_(
                    "the audit key is too short (length {length}); use at least {minimum} "
                    "random bytes (openssl rand -hex 32)"
                ),
                length=len(key),
                minimum=MIN_KEY_BYTES,
            ),
        )
    return key


def key_from_env(data_dir: Path | None) -> bytes | None:
    """The key named by $VACCINNET_AUDIT_KEY_FILE, or None when it is not set."""
    name = os.environ.get(KEY_FILE_ENV, "").strip()
    return load_key(Path(name), data_dir) if name else None


@dataclass(frozen=True, slots=True)
class Anchor:
    """A head recorded elsewhere: entry ``seq`` had hash ``hash`` (0 and GENESIS: empty)."""

    seq: int
    hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"

    @property
    def short(self) -> str:
        return f"{self.seq}:{self.hash[:12]}…"


def parse_anchor(text: str) -> Anchor | None:
    found = _ANCHOR.fullmatch(text.strip())
    return Anchor(int(found[1]), found[2].lower()) if found else None


def anchors_in(text: str) -> list[Anchor]:
    """Every SEQ:HASH in a text (a file of heads, a mailbox, a syslog extract)."""
    return [Anchor(int(m[1]), m[2].lower()) for m in _ANCHOR.finditer(text)]


class Findings(list[str]):
    """Problems found (the list), with notes that are not problems (unkeyed entries, …).

    Each is a Phrase: English as a string, in the reader's language where tui shows it."""

    def __init__(self, problems: Iterable[str] = (), notes: Iterable[str] = ()) -> None:
        super().__init__(problems)
        self.notes = list(notes)


@dataclass
class ChainReport:
    findings: Findings
    head: Anchor
    at: str | None = None
    keyed: bool = False


def _span(first: int, last: int) -> str:
    return f"{first}" if first == last else f"{first}–{last}"


def _entries(first: int, last: int) -> Phrase:
    if first == last:
        return Phrase(N_("audit entry {seq}"), seq=first)
    return Phrase(N_("audit entries {first}–{last}"), first=first, last=last)


def verify_chain(
    docs: Iterable[tuple[int, Any]],
    head: dict[str, Any] | None,
    key: bytes | None = None,
    anchors: Sequence[Anchor] = (),
) -> ChainReport:
    """Every place where the chain breaks, a wrong or missing MAC, an anchor it no longer extends.

    Without the key MACs cannot be checked, but an entry without one after entries with one
    is still a failure: a writer that has the key never writes it.
    """
    problems: list[Phrase] = []
    notes: list[Phrase] = []
    wanted = {anchor.seq for anchor in anchors}
    at_anchor: dict[int, str] = {0: GENESIS}
    expected_seq, prev, last_at, last_keyed = 1, GENESIS, None, False
    unkeyed: list[int] = []  # first and last entry written before any keyed one
    keyed_from = 0
    for doc_id, doc in docs:
        if not isinstance(doc, dict):
            problems.append(Phrase(N_("audit entry {seq} is not an object (damaged)"), seq=doc_id))
            expected_seq, prev = doc_id + 1, ""
            continue
        if doc_id != expected_seq:
            problems.append(
                Phrase(
                    N_("audit entry {seq} is missing (removed)"),
                    seq=_span(expected_seq, doc_id - 1),
                )
            )
        if doc.get("seq") != doc_id:
            problems.append(
                Phrase(
                    N_("audit entry {seq} carries sequence {carried} (moved)"),
                    seq=doc_id,
                    carried=doc.get("seq"),
                )
            )
        if doc.get("hash") != seal(doc):
            problems.append(
                Phrase(N_("audit entry {seq} does not match its hash (edited)"), seq=doc_id)
            )
        elif doc.get("prev") != prev:
            problems.append(
                Phrase(
                    N_(
                        "audit entry {seq} does not follow entry {previous} "
                        "(removed, inserted or reordered)"
                    ),
                    seq=doc_id,
                    previous=doc_id - 1,
                )
            )
        entry_mac = doc.get("mac")
        if entry_mac is None:
            if keyed_from:
                problems.append(
                    Phrase(
                        N_(
                            "audit entry {seq} has no MAC although entries since {keyed} have "
                            "one (written without the audit key)"
                        ),
                        seq=doc_id,
                        keyed=keyed_from,
                    )
                )
            elif unkeyed:
                unkeyed[1] = doc_id
            else:
                unkeyed = [doc_id, doc_id]
        else:
            keyed_from = keyed_from or doc_id
            if key is not None and not (
                # Bytes: compare_digest raises on a str that is not ASCII.
                isinstance(entry_mac, str)
                and hmac.compare_digest(entry_mac.encode(), mac(doc, key).encode())
            ):
                problems.append(
                    Phrase(
                        N_(
                            "audit entry {seq} has a wrong MAC (forged, or written with another "
                            "audit key)"
                        ),
                        seq=doc_id,
                    )
                )
        if doc_id in wanted:
            at_anchor[doc_id] = str(doc.get("hash"))
        expected_seq, prev = doc_id + 1, doc.get("hash", "")
        last_at, last_keyed = doc.get("at"), entry_mac is not None
    count = expected_seq - 1
    head = head or {"count": 0, "hash": GENESIS}
    if head.get("count") != count:
        problems.append(
            Phrase(
                N_(
                    "the trail ends at entry {count} but its head says {written} "
                    "(entries removed from the end)"
                ),
                count=count,
                written=head.get("count"),
            )
        )
    elif head.get("hash") != prev:
        problems.append(
            Phrase(N_("the last audit entry ({seq}) is not the one that was written"), seq=count)
        )
    for anchor in anchors:
        found = at_anchor.get(anchor.seq)
        if anchor.seq > count:
            problems.append(
                Phrase(
                    N_(
                        "audit anchor {anchor}: the trail now ends at entry {count} "
                        "(truncated, the head rewritten)"
                    ),
                    anchor=anchor.short,
                    count=count,
                )
            )
        elif found is None:
            problems.append(
                Phrase(
                    N_("audit anchor {anchor}: entry {seq} is missing (removed)"),
                    anchor=anchor.short,
                    seq=anchor.seq,
                )
            )
        elif found != anchor.hash:
            problems.append(
                Phrase(
                    N_(
                        "audit anchor {anchor}: entry {seq} now has hash {hash}… (history "
                        "rewritten at or before entry {seq})"
                    ),
                    anchor=anchor.short,
                    seq=anchor.seq,
                    hash=found[:12],
                )
            )
    if unkeyed and keyed_from:
        notes.append(
            Phrase(
                N_("no MAC on {entries} (written before the audit key was introduced)"),
                entries=_entries(*unkeyed),
            )
        )
    elif unkeyed and key is not None:
        notes.append(
            Phrase(
                N_("no MAC on {entries} (none was written with the audit key yet)"),
                entries=_entries(*unkeyed),
            )
        )
    if keyed_from and key is not None and not problems:
        notes.append(
            Phrase(
                N_("MACs checked with the audit key: {entries}"),
                entries=_entries(keyed_from, count),
            )
        )
    if keyed_from and key is None:
        notes.append(
            Phrase(
                N_("MACs not checked (no audit key: set {variable}): {entries}"),
                variable=KEY_FILE_ENV,
                entries=_entries(keyed_from, count),
            )
        )
    return ChainReport(
        Findings(problems, notes),
        Anchor(count, prev or GENESIS),
        last_at,
        last_keyed,
    )
