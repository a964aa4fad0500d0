"""The audit trail's hash chain: how an entry is sealed and how the chain is verified."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

GENESIS = "0" * 64


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

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}  # type: ignore[attr-defined]

    @property
    def moment(self) -> datetime:
        return datetime.fromisoformat(self.at)


def seal(entry: dict[str, Any]) -> str:
    """SHA-256 of the entry without its own hash, keys sorted so the result is canonical."""
    body = {k: v for k, v in entry.items() if k != "hash"}
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()


def verify_chain(
    docs: Iterable[tuple[int, dict[str, Any]]], head: dict[str, Any] | None
) -> list[str]:
    """Every place where the chain breaks; an empty list means it is intact."""
    problems: list[str] = []
    expected_seq, prev = 1, GENESIS
    for doc_id, doc in docs:
        if doc_id != expected_seq:
            missing = (
                f"{expected_seq}"
                if doc_id == expected_seq + 1
                else (f"{expected_seq}–{doc_id - 1}")
            )
            problems.append(f"audit entry {missing} is missing (removed)")
        if doc.get("seq") != doc_id:
            problems.append(f"audit entry {doc_id} carries sequence {doc.get('seq')} (moved)")
        if doc.get("hash") != seal(doc):
            problems.append(f"audit entry {doc_id} does not match its hash (edited)")
        elif doc.get("prev") != prev:
            problems.append(
                f"audit entry {doc_id} does not follow entry {doc_id - 1} "
                "(removed, inserted or reordered)"
            )
        expected_seq, prev = doc_id + 1, doc.get("hash", "")
    count = expected_seq - 1
    head = head or {"count": 0, "hash": GENESIS}
    if head.get("count") != count:
        problems.append(
            f"the trail holds {count} entries but {head.get('count')} were written "
            "(entries removed from the end)"
        )
    elif head.get("hash") != prev:
        problems.append(f"the last audit entry ({count}) is not the one that was written")
    return problems
