"""The PostgreSQL schema, as numbered migrations applied in order and recorded."""

from __future__ import annotations

from typing import Any

from psycopg.types.json import Jsonb

from rules.vocabulary import EMPLOYEE_TYPES, ENTITY_LANGUAGES, REQUEST_KINDS, STATUSES

# What the outbox's mails can be (rules/outbox.py).
MAIL_STATUSES = ("pending", "failed", "sent")
# The channel every commit notifies, with its generation as payload.
CHANNEL = "vaccinnet_changes"
# The advisory lock every writer takes, as the file store's writers flock the directory:
# each commit appends to one audit chain, so writes are serialised at its head anyway.
WRITERS_LOCK = 0x7661_6363  # "vacc"


def _listed(values: object) -> str:
    return ", ".join(f"'{value}'" for value in values)  # type: ignore[attr-defined]


# A document is the unit the store's logic reads and writes, on either backend; every field
# a constraint or an index needs is a generated column of it, so what the database enforces
# is exactly what is stored. Foreign keys are checked at commit: one commit may create an
# entity and its first link in any order.
_V1 = f"""
CREATE TABLE store_state (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    generation bigint NOT NULL DEFAULT 0 CHECK (generation >= 0),
    meta jsonb NOT NULL DEFAULT '{{}}' CHECK (jsonb_typeof(meta) = 'object'),
    next_ids jsonb NOT NULL DEFAULT '{{}}' CHECK (jsonb_typeof(next_ids) = 'object'),
    stamps jsonb NOT NULL DEFAULT '{{}}' CHECK (jsonb_typeof(stamps) = 'object')
);
INSERT INTO store_state DEFAULT VALUES;

CREATE TABLE changes (
    generation bigint PRIMARY KEY,
    scopes text[] NOT NULL,
    tables text[] NOT NULL
);

CREATE TABLE admins (
    id bigint PRIMARY KEY CHECK (id > 0),
    doc jsonb NOT NULL CHECK (jsonb_typeof(doc) = 'object'),
    admin_id text GENERATED ALWAYS AS (doc ->> 'id') STORED NOT NULL UNIQUE
);

CREATE TABLE entities (
    id bigint PRIMARY KEY CHECK (id > 0),
    doc jsonb NOT NULL CHECK (jsonb_typeof(doc) = 'object'),
    entity_id text GENERATED ALWAYS AS (doc ->> 'id') STORED NOT NULL UNIQUE,
    language text GENERATED ALWAYS AS (doc ->> 'language') STORED NOT NULL
        CHECK (language IN ({_listed(ENTITY_LANGUAGES)}))
);

CREATE TABLE links (
    id bigint PRIMARY KEY CHECK (id > 0),
    doc jsonb NOT NULL CHECK (jsonb_typeof(doc) = 'object'),
    entity_id text GENERATED ALWAYS AS (doc ->> 'entity_id') STORED NOT NULL
        REFERENCES entities (entity_id) DEFERRABLE INITIALLY DEFERRED,
    niss text GENERATED ALWAYS AS (doc ->> 'niss') STORED NOT NULL,
    employee_type text GENERATED ALWAYS AS (doc ->> 'employee_type') STORED NOT NULL
        CHECK (employee_type IN ({_listed(EMPLOYEE_TYPES)})),
    until text GENERATED ALWAYS AS (doc ->> 'until') STORED,
    UNIQUE (entity_id, niss)
);
CREATE INDEX links_by_niss ON links (niss);
CREATE INDEX links_with_end ON links (id) WHERE until IS NOT NULL;

CREATE TABLE requests (
    id bigint PRIMARY KEY CHECK (id > 0),
    doc jsonb NOT NULL CHECK (jsonb_typeof(doc) = 'object'),
    request_id text GENERATED ALWAYS AS (doc ->> 'id') STORED NOT NULL UNIQUE,
    entity_id text GENERATED ALWAYS AS (doc ->> 'entity_id') STORED NOT NULL
        REFERENCES entities (entity_id) DEFERRABLE INITIALLY DEFERRED,
    niss text GENERATED ALWAYS AS (doc ->> 'niss') STORED NOT NULL,
    kind text GENERATED ALWAYS AS (doc ->> 'kind') STORED NOT NULL
        CHECK (kind IN ({_listed(REQUEST_KINDS)})),
    status text GENERATED ALWAYS AS (doc ->> 'status') STORED NOT NULL
        CHECK (status IN ({_listed(STATUSES)})),
    filed_by text GENERATED ALWAYS AS (doc ->> 'filed_by') STORED NOT NULL
);
-- One pending request of each kind per person at an entity, even past a bug in rules/.
CREATE UNIQUE INDEX one_pending_request ON requests (entity_id, niss, kind)
    WHERE status = 'pending';
CREATE INDEX requests_by_entity ON requests (entity_id, status);
CREATE INDEX requests_by_niss ON requests (niss);
CREATE INDEX requests_by_filer ON requests (filed_by);
CREATE INDEX requests_pending ON requests (id) WHERE status = 'pending';

CREATE TABLE outbox (
    id bigint PRIMARY KEY CHECK (id > 0),
    doc jsonb NOT NULL CHECK (jsonb_typeof(doc) = 'object'),
    status text GENERATED ALWAYS AS (doc ->> 'status') STORED NOT NULL
        CHECK (status IN ({_listed(MAIL_STATUSES)})),
    message_id text GENERATED ALWAYS AS (doc ->> 'message_id') STORED NOT NULL UNIQUE
);
CREATE INDEX outbox_unsent ON outbox (id) WHERE status <> 'sent';

CREATE TABLE audit (
    id bigint PRIMARY KEY CHECK (id > 0),
    doc jsonb NOT NULL CHECK (jsonb_typeof(doc) = 'object'),
    seq bigint GENERATED ALWAYS AS ((doc ->> 'seq')::bigint) STORED NOT NULL,
    hash text GENERATED ALWAYS AS (doc ->> 'hash') STORED NOT NULL UNIQUE,
    prev text GENERATED ALWAYS AS (doc ->> 'prev') STORED NOT NULL,
    CHECK (seq = id)
);
-- The trail is appended to, never rewritten: not even by hand, short of dropping this.
CREATE FUNCTION audit_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only';
END $$;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_is_append_only();

-- The queue's warnings (store/reviews.py) and the History's log of decisions.
CREATE TABLE reviews (
    id bigint PRIMARY KEY CHECK (id > 0),
    doc jsonb NOT NULL CHECK (jsonb_typeof(doc) = 'object')
);
CREATE TABLE decisions (
    id bigint PRIMARY KEY CHECK (id > 0),
    doc jsonb NOT NULL CHECK (jsonb_typeof(doc) = 'object')
);
"""

# (version, SQL): applied in order, each in the transaction that records it.
MIGRATIONS: tuple[tuple[int, str], ...] = ((1, _V1),)
SCHEMA_VERSION = MIGRATIONS[-1][0]
# The tables holding documents, each with ``id`` and ``doc``.
DOCUMENT_TABLES = ("admins", "entities", "links", "requests", "outbox", "audit", "reviews")
LOG_TABLES = ("decisions",)


def schema_version(conn: Any) -> int | None:
    """The last migration applied; None in a database without our tables."""
    found = conn.execute("SELECT to_regclass('schema_migrations')").fetchone()
    if found is None or found[0] is None:
        return None
    row = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def migrate(conn: Any, meta: dict[str, Any] | None = None) -> list[int]:
    """Apply the migrations this database lacks, each in its own transaction with its
    record, under the writers' lock (two hosts starting at once apply each one once).
    ``meta``: the first state of a new store. The versions applied, in order."""
    applied: list[int] = []
    conn.execute("SELECT pg_advisory_lock(%s)", (WRITERS_LOCK,))
    try:
        with conn.transaction():
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
            )
        current = schema_version(conn) or 0
        for version, sql in MIGRATIONS:
            if version <= current:
                continue
            with conn.transaction():
                conn.execute(sql)
                if version == 1 and meta:
                    conn.execute("UPDATE store_state SET meta = %s", (Jsonb(meta),))
                conn.execute("INSERT INTO schema_migrations (version) VALUES (%s)", (version,))
            applied.append(version)
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s)", (WRITERS_LOCK,))
    return applied
