"""What `check` finds: every file and document read straight from disk, read-only, never a crash."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from rules import is_manager
from rules.phrase import N_, Phrase
from store.audit import Anchor, Findings, verify_chain
from store.backend import Documents
from store.errors import StoreError
from store.layout_check import layout_problems
from store.segments import SEGMENT_SIZE, Doc, SegmentFiles, bucket, read_segment

TEXT, DATE, DAY, NUMBER, MAPPING = "text", "date", "day", "number", "mapping"
OPTIONAL = "optional "

# The fields every document of a table must have, as the store writes them.
SHAPES: dict[str, dict[str, str]] = {
    "admins": {"id": TEXT, "name": TEXT, "niss": OPTIONAL + TEXT, "email": OPTIONAL + TEXT},
    "entities": {"id": TEXT, "name": TEXT, "kind": TEXT, "email": TEXT, "language": TEXT},
    "links": {
        "entity_id": TEXT,
        "niss": TEXT,
        "last_name": TEXT,
        "first_name": TEXT,
        "employee_type": TEXT,
        "since": DATE,
        "supervisor": OPTIONAL + TEXT,
        "until": OPTIONAL + DAY,
        "warned": OPTIONAL + NUMBER,
        "reviewed": OPTIONAL + TEXT,
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
        "deadline_days": OPTIONAL + NUMBER,
        "until": OPTIONAL + DAY,
        "note": OPTIONAL + TEXT,
        "batch": OPTIONAL + TEXT,
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
        "attachment_name": OPTIONAL + TEXT,
        "attachment": OPTIONAL + TEXT,
        "claimed_by": OPTIONAL + TEXT,
        "claimed_until": OPTIONAL + DATE,
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


class Problem(Phrase):
    """One thing wrong with a store, as a sentence; ``damage`` when a file or document is
    broken (the store cannot be used as it is), not when the data breaks a rule."""

    damage: bool

    def __new__(cls, msgid: str, /, *, damage: bool = False, **values: Any) -> Problem:
        problem = super().__new__(cls, msgid, **values)
        problem.damage = damage
        return problem


def _problem(phrase: str, damage: bool = False) -> Problem:
    """A Problem saying what a Phrase says (a plain text is said as it is)."""
    if isinstance(phrase, Phrase):
        return Problem(phrase.msgid, damage=damage, **phrase.values)
    return Problem("{text}", damage=damage, text=phrase)


def _field_problem(value: Any, expected: str) -> Phrase | None:
    optional = expected.startswith(OPTIONAL)
    kind = expected.removeprefix(OPTIONAL)
    if value is None:
        return None if optional else Phrase(N_("is missing"))
    if kind == TEXT and not isinstance(value, str):
        return Phrase(N_("is {type}, not text"), type=type(value).__name__)
    if kind == NUMBER and (not isinstance(value, int) or isinstance(value, bool)):
        return Phrase(N_("is {value}, not a whole number"), value=repr(value))
    if kind == MAPPING and not isinstance(value, dict):
        return Phrase(N_("is {type}, not a mapping"), type=type(value).__name__)
    if kind == DATE:
        try:
            datetime.fromisoformat(value)
        except (TypeError, ValueError):
            return Phrase(N_("is {value}, not a date and time"), value=repr(value))
    if kind == DAY:
        try:
            date.fromisoformat(value)
        except (TypeError, ValueError):
            return Phrase(N_("is {value}, not a date"), value=repr(value))
    return None


def document_problems(table: str, doc: Doc) -> list[Phrase]:
    return [
        Phrase(N_("field {name} {problem}"), name=name, problem=problem)
        for name, expected in SHAPES.get(table, {}).items()
        if (problem := _field_problem(doc.get(name), expected)) is not None
    ]


def read_tables(
    files: SegmentFiles,
) -> tuple[list[Problem], dict[str, list[tuple[int, Doc]]], dict[str, dict[int, tuple[int, Doc]]]]:
    """Every well-formed document of every table, and a problem for everything else; and
    every document in its own segment, well-formed or not (what the indexes must list)."""
    problems: list[Problem] = []
    tables: dict[str, list[tuple[int, Doc]]] = {}
    present: dict[str, dict[int, tuple[int, Doc]]] = {}
    root: Path = files.root
    for table, info in sorted(files.manifest["tables"].items()):
        docs = tables.setdefault(table, [])
        placed = files.placement(table)
        stored = present.setdefault(table, {})
        for key, name in sorted(info.get("segments", {}).items(), key=lambda kv: int(kv[0])):
            try:
                segment = read_segment(root / name, table)
            except StoreError as exc:
                problems.append(
                    Problem(
                        N_("{file}: {problem}"), damage=True, file=exc.path, problem=exc.problem
                    )
                )
                continue
            for doc_id, doc in sorted(segment.items()):
                if placed is not None:
                    # A document without its placing field is named for that below.
                    home = doc.get(placed[1])
                    own = bucket(home, placed[0]) if isinstance(home, str) else int(key)
                else:
                    own = (doc_id - 1) // SEGMENT_SIZE
                if own != int(key) or doc_id in stored:
                    problems.append(
                        Problem(
                            N_("{file}: document {id} is in segment {segment}, not its own"),
                            damage=True,
                            file=root / name,
                            id=doc_id,
                            segment=key,
                        )
                    )
                    continue
                stored[doc_id] = (int(key), doc)
                wrong = document_problems(table, doc)
                if wrong:
                    problems.extend(
                        Problem(
                            N_("{file}: document {id}: {problem}"),
                            damage=True,
                            file=root / name,
                            id=doc_id,
                            problem=text,
                        )
                        for text in wrong
                    )
                else:
                    docs.append((doc_id, doc))
    try:
        _garbage, unexplained = files.leftovers()
    except OSError as exc:
        problems.append(
            Problem(N_("{file}: cannot be listed ({problem})"), damage=True, file=root, problem=exc)
        )
        unexplained = []
    problems += [Problem(p.msgid, damage=True, **p.values) for p in layout_problems(files, present)]
    for name in unexplained:
        problems.append(
            Problem(
                N_(
                    "{file}: is not named by the manifest (a table or segment missing from "
                    "it?); restore the manifest from a backup, or move the file away"
                ),
                damage=True,
                file=root / name,
            )
        )
    return problems, tables, present


def read_documents(
    files: Documents,
) -> tuple[list[Problem], dict[str, list[tuple[int, Doc]]]]:
    """As ``read_tables``, for a backend whose tables are not files (a database): every
    well-formed document of every table, and a problem for each malformed one."""
    problems: list[Problem] = []
    tables: dict[str, list[tuple[int, Doc]]] = {}
    for table in SHAPES:
        docs = tables.setdefault(table, [])
        for doc_id, doc in files.items(table):
            wrong = document_problems(table, doc)
            problems.extend(
                Problem(
                    N_("{file}: document {id}: {problem}"),
                    damage=True,
                    file=table,
                    id=doc_id,
                    problem=text,
                )
                for text in wrong
            )
            if not wrong:
                docs.append((doc_id, doc))
    return problems, tables


def inspect(
    files: Documents, audit_key: bytes | None = None, anchors: Sequence[Anchor] = ()
) -> Findings:
    """Everything wrong with the store: damaged files, a broken audit chain, broken rules."""
    if isinstance(files, SegmentFiles):
        problems, tables, _present = read_tables(files)
    else:
        problems, tables = read_documents(files)
    audit = tables.get("audit", [])
    chain = verify_chain(audit, files.meta.get("audit_head"), audit_key, anchors).findings
    problems += [_problem(p) for p in chain]
    for table, docs in tables.items():
        last = max((doc_id for doc_id, _ in docs), default=0)
        if last >= files.next_id(table):
            problems.append(
                Problem(
                    N_("table {table}: document {id} is beyond the next id"), table=table, id=last
                )
            )
    entities = {doc["id"] for _, doc in tables.get("entities", [])}
    links: dict[str, list[Doc]] = {}
    seen_links: set[tuple[str, str]] = set()
    for _, doc in tables.get("links", []):
        key = (doc["entity_id"], doc["niss"])
        if key in seen_links:
            problems.append(
                Problem(
                    N_("{niss} is linked twice to {entity}"),
                    niss=doc["niss"],
                    entity=doc["entity_id"],
                )
            )
        seen_links.add(key)
        links.setdefault(doc["entity_id"], []).append(doc)
        if doc["entity_id"] not in entities:
            problems.append(
                Problem(N_("a link refers to unknown entity {entity}"), entity=doc["entity_id"])
            )
        if doc["employee_type"] == "macg" and not doc.get("supervisor"):
            problems.append(
                Problem(
                    N_("MACG {niss} at {entity} has no supervisor"),
                    niss=doc["niss"],
                    entity=doc["entity_id"],
                )
            )
    for entity_id in sorted(entities):
        staff = links.get(entity_id, [])
        if not staff:
            problems.append(Problem(N_("entity {entity} has nobody linked"), entity=entity_id))
        elif not any(is_manager(doc["employee_type"]) for doc in staff):
            problems.append(
                Problem(N_("entity {entity} has no doctor or pharmacist linked"), entity=entity_id)
            )
    pending: set[tuple[str, str, str]] = set()
    for _, doc in tables.get("requests", []):
        if doc["status"] != "pending":
            continue
        pending_key = (doc["entity_id"], doc["niss"], doc["kind"])
        if pending_key in pending:
            problems.append(
                Problem(
                    N_("two pending connection requests for {niss} at {entity}")
                    if doc["kind"] == "connect"
                    else N_("two pending disconnection requests for {niss} at {entity}"),
                    niss=doc["niss"],
                    entity=doc["entity_id"],
                )
            )
        pending.add(pending_key)
    return Findings(problems, chain.notes)
