"""A whole store copied to another backend (files ⇄ PostgreSQL), and the copy proved."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import orjson

from rules.phrase import N_, Phrase
from store.errors import StoreError
from store.layout import DECISIONS, REVIEWS
from store.store import Store

# Every table a store keeps of its own; the file store's indexes are made again by its commit.
COPIED = ("admins", "entities", "links", "requests", "outbox", "audit", REVIEWS, DECISIONS)


@dataclass
class CopyReport:
    """What was copied, per table: how many documents, and a digest of them all."""

    counts: dict[str, int] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)
    audit_entries: int = 0
    audit_head: str | None = None


def _digest(docs: list[tuple[int, dict[str, object]]]) -> str:
    hashed = hashlib.sha256()
    for doc_id, doc in docs:
        hashed.update(orjson.dumps([doc_id, doc], option=orjson.OPT_SORT_KEYS) + b"\n")
    return hashed.hexdigest()


def _read(store: Store) -> tuple[dict[str, list[tuple[int, dict[str, object]]]], dict[str, object]]:
    with store.reading():
        files = store._files
        tables = {table: list(files.items(table)) for table in COPIED if files.has_table(table)}
        return tables, dict(files.meta)


def copy_store(source: Store, target: Store) -> CopyReport:
    """Copy every document of ``source``, under the same ids, with its settings, its
    review and the audit trail's head, into the empty ``target``, in one commit; then read
    both again and compare each table's count and digest, and verify the target's chain.

    The source must pass ``check`` (a damaged store is repaired first, not spread), and the
    target must hold nothing yet: a copy never merges."""
    if source.verify():
        raise StoreError(
            source.location, Phrase(N_("has problems; run ‘vaccinnet check’ on it first"))
        )
    tables, meta = _read(source)
    existing, _meta = _read(target)
    if any(existing.get(table) for table in ("admins", "entities", "audit")):
        raise StoreError(
            target.location, Phrase(N_("already holds a store; copy into an empty one"))
        )
    files = target._files
    files.keep_logs = False  # the History's log is copied as it is, in its order
    try:
        with target._writing():
            for table, docs in tables.items():
                for doc_id, doc in docs:
                    files.put(table, doc_id, doc)
            for key, value in meta.items():
                files.set_meta(key, value)
    finally:
        files.keep_logs = True
    target.forget()
    copied, copied_meta = _read(target)
    report = CopyReport()
    for table, docs in tables.items():
        theirs = copied.get(table, [])
        if len(theirs) != len(docs) or _digest(theirs) != _digest(docs):
            raise StoreError(
                target.location,
                Phrase(
                    N_("the copy of table {table} differs from its source ({count} documents)"),
                    table=table,
                    count=len(docs),
                ),
            )
        report.counts[table] = len(docs)
        report.digests[table] = _digest(docs)
    chain = target.verify_audit()
    if chain.findings or copied_meta.get("audit_head") != meta.get("audit_head"):
        raise StoreError(target.location, Phrase(N_("the copied audit trail does not verify")))
    head = meta.get("audit_head")
    if isinstance(head, dict):
        report.audit_entries = int(head.get("count", 0))
        report.audit_head = str(head.get("hash"))
    return report
