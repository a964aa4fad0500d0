"""What `check` finds: every file and document read straight from disk, read-only, never a crash."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from rules import is_manager
from store.audit import Anchor, Findings, verify_chain
from store.errors import StoreError
from store.segments import SEGMENT_SIZE, Doc, SegmentFiles, read_segment

TEXT, DATE, NUMBER, MAPPING = "text", "date", "number", "mapping"
OPTIONAL = "optional "

# The fields every document of a table must have, as the store writes them.
SHAPES: dict[str, dict[str, str]] = {
    "admins": {"id": TEXT, "name": TEXT, "niss": OPTIONAL + TEXT},
    "entities": {"id": TEXT, "name": TEXT, "kind": TEXT, "email": TEXT, "language": TEXT},
    "links": {
        "entity_id": TEXT,
        "niss": TEXT,
        "last_name": TEXT,
        "first_name": TEXT,
        "employee_type": TEXT,
        "since": DATE,
        "supervisor": OPTIONAL + TEXT,
    },
    "requests": {
        "id": TEXT,
        "kind": TEXT,
        "entity_id": TEXT,
        "niss": TEXT,
        "last_name": TEXT,
        "first_name": TEXT,
        "employee_type": TEXT,
        "filed_by": TEXT,
        "filed_at": DATE,
        "status": TEXT,
        "decided_by": OPTIONAL + TEXT,
        "decided_at": OPTIONAL + DATE,
        "reason": OPTIONAL + TEXT,
    },
    "outbox": {
        "id": TEXT,
        "to": TEXT,
        "subject": TEXT,
        "body": TEXT,
        "status": TEXT,
        "message_id": TEXT,
        "entity_id": TEXT,
        "request_id": TEXT,
        "language": OPTIONAL + TEXT,
        "created_at": OPTIONAL + DATE,
        "attempts": OPTIONAL + NUMBER,
        "last_error": OPTIONAL + TEXT,
        "next_attempt_at": OPTIONAL + DATE,
        "sent_at": OPTIONAL + DATE,
    },
    "audit": {
        "seq": NUMBER,
        "at": DATE,
        "actor": TEXT,
        "action": TEXT,
        "entity_id": OPTIONAL + TEXT,
        "niss": OPTIONAL + TEXT,
        "request_id": OPTIONAL + TEXT,
        "detail": MAPPING,
        "prev": TEXT,
        "hash": TEXT,
        "mac": OPTIONAL + TEXT,
    },
}


class Problem(str):
    """One thing wrong with a store, as a sentence; ``damage`` when a file or document is
    broken (the store cannot be used as it is), not when the data breaks a rule."""

    damage: bool

    def __new__(cls, text: str, damage: bool = False) -> Problem:
        problem = super().__new__(cls, text)
        problem.damage = damage
        return problem


def _field_problem(value: Any, expected: str) -> str | None:
    optional = expected.startswith(OPTIONAL)
    kind = expected.removeprefix(OPTIONAL)
    if value is None:
        return None if optional else "is missing"
    if kind == TEXT and not isinstance(value, str):
        return f"is {type(value).__name__}, not text"
    if kind == NUMBER and (not isinstance(value, int) or isinstance(value, bool)):
        return f"is {value!r}, not a whole number"
    if kind == MAPPING and not isinstance(value, dict):
        return f"is {type(value).__name__}, not a mapping"
    if kind == DATE:
        try:
            datetime.fromisoformat(value)
        except (TypeError, ValueError):
            return f"is {value!r}, not a date and time"
    return None


def document_problems(table: str, doc: Doc) -> list[str]:
    return [
        f"field {name} {problem}"
        for name, expected in SHAPES.get(table, {}).items()
        if (problem := _field_problem(doc.get(name), expected)) is not None
    ]


def read_tables(files: SegmentFiles) -> tuple[list[Problem], dict[str, list[tuple[int, Doc]]]]:
    """Every well-formed document of every table, and a problem for everything else."""
    problems: list[Problem] = []
    tables: dict[str, list[tuple[int, Doc]]] = {}
    root: Path = files.root
    for table, info in sorted(files.manifest["tables"].items()):
        docs = tables.setdefault(table, [])
        for key, name in sorted(info.get("segments", {}).items(), key=lambda kv: int(kv[0])):
            try:
                segment = read_segment(root / name, table)
            except StoreError as exc:
                problems.append(Problem(str(exc), damage=True))
                continue
            for doc_id, doc in sorted(segment.items()):
                if (doc_id - 1) // SEGMENT_SIZE != int(key):
                    problems.append(
                        Problem(
                            f"{root / name}: document {doc_id} is in segment {key}, not its own",
                            damage=True,
                        )
                    )
                    continue
                wrong = document_problems(table, doc)
                if wrong:
                    problems.extend(
                        Problem(f"{root / name}: document {doc_id}: {text}", damage=True)
                        for text in wrong
                    )
                else:
                    docs.append((doc_id, doc))
    try:
        _garbage, unexplained = files.leftovers()
    except OSError as exc:
        problems.append(Problem(f"{root}: cannot be listed ({exc.strerror})", damage=True))
        unexplained = []
    for name in unexplained:
        problems.append(
            Problem(
                f"{root / name}: is not named by the manifest (a table or segment missing from "
                "it?); restore the manifest from a backup, or move the file away",
                damage=True,
            )
        )
    return problems, tables


def inspect(
    files: SegmentFiles, audit_key: bytes | None = None, anchors: Sequence[Anchor] = ()
) -> Findings:
    """Everything wrong with the store: damaged files, a broken audit chain, broken rules."""
    problems, tables = read_tables(files)
    audit = tables.get("audit", [])
    chain = verify_chain(audit, files.meta.get("audit_head"), audit_key, anchors).findings
    problems += [Problem(p) for p in chain]
    for table, docs in tables.items():
        last = max((doc_id for doc_id, _ in docs), default=0)
        if last >= files.next_id(table):
            problems.append(Problem(f"table {table}: document {last} is beyond the next id"))
    entities = {doc["id"] for _, doc in tables.get("entities", [])}
    links: dict[str, list[Doc]] = {}
    seen_links: set[tuple[str, str]] = set()
    for _, doc in tables.get("links", []):
        key = (doc["entity_id"], doc["niss"])
        if key in seen_links:
            problems.append(Problem(f"{doc['niss']} is linked twice to {doc['entity_id']}"))
        seen_links.add(key)
        links.setdefault(doc["entity_id"], []).append(doc)
        if doc["entity_id"] not in entities:
            problems.append(Problem(f"a link refers to unknown entity {doc['entity_id']}"))
        if doc["employee_type"] == "macg" and not doc.get("supervisor"):
            problems.append(Problem(f"MACG {doc['niss']} at {doc['entity_id']} has no supervisor"))
    for entity_id in sorted(entities):
        staff = links.get(entity_id, [])
        if not staff:
            problems.append(Problem(f"entity {entity_id} has nobody linked"))
        elif not any(is_manager(doc["employee_type"]) for doc in staff):
            problems.append(Problem(f"entity {entity_id} has no doctor or pharmacist linked"))
    pending: set[tuple[str, str, str]] = set()
    for _, doc in tables.get("requests", []):
        if doc["status"] != "pending":
            continue
        pending_key = (doc["entity_id"], doc["niss"], doc["kind"])
        if pending_key in pending:
            problems.append(
                Problem(
                    f"two pending {doc['kind']} requests for {doc['niss']} at {doc['entity_id']}"
                )
            )
        pending.add(pending_key)
    return Findings(problems, chain.notes)
