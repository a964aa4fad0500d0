"""The Store: every read and write of entities, links, requests, mails and the audit trail."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from rules.phrase import N_, Phrase
from store.audit import key_from_env
from store.engine import Clock, scopes_of
from store.entities import Entities
from store.errors import StoreError
from store.housekeeping import Housekeeping, HousekeepingReport
from store.layout import STORE_LAYOUT
from store.maintenance import Maintenance
from store.outbox import Outbox
from store.pg import is_url, redacted
from store.queries import EntitySummary, Queries, Review
from store.recertification import EntityReview
from store.requests import Requests
from store.trail import Activity, Trail

__all__ = [
    "Activity",
    "EntityReview",
    "EntitySummary",
    "HousekeepingReport",
    "Review",
    "Store",
    "open_store",
]


class Store(Entities, Housekeeping, Requests, Outbox, Trail, Queries, Maintenance):
    """One data directory shared by many processes: every write is one locked transaction.

    Each part lives in its own module, all on one engine (store/engine.py): entities and
    admins, requests and decisions, the housekeeping job and its settings, the outbox, the
    audit trail, read models, maintenance.

    ``interrupted`` is asked while waiting for the lock; when it says True the wait ends with
    StoreInterrupted (a console that is closing). ``waiting`` is told, once, who holds the
    lock when a wait lasts.
    """


def open_store(
    data_dir: str | os.PathLike[str],
    clock: Clock | None = None,
    lock_timeout: float = 30.0,
    waiting: Callable[[str], None] | None = None,
    create: bool = True,
) -> Store:
    """Open the store in ``data_dir`` (a directory, or a ``postgresql://`` URL), creating an
    empty one there if there is none (a database only when ``create``)."""
    if is_url(data_dir):
        return _open_database(str(data_dir), clock, lock_timeout, waiting, create)
    root = Path(data_dir)
    try:
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        problem = Phrase(N_("cannot create the data directory ({problem})"), problem=exc)
        raise StoreError(root, problem) from None
    if not root.is_dir():
        raise StoreError(root, Phrase(N_("is not a directory")))
    store = Store(root, clock=clock, lock_timeout=lock_timeout, audit_key=key_from_env(root))
    store.waiting = waiting
    store.open_or_create()
    return store


def _open_database(
    url: str,
    clock: Clock | None,
    lock_timeout: float,
    waiting: Callable[[str], None] | None,
    create: bool,
) -> Store:
    backend = postgresql(url).PgBackend(url, scopes_of, STORE_LAYOUT, lock_timeout, create=create)
    store = Store(backend, clock=clock, lock_timeout=lock_timeout, audit_key=key_from_env(None))
    store.waiting = waiting
    try:
        store.open_or_create()
    except BaseException:
        store.close()
        raise
    return store


def postgresql(url: str) -> ModuleType:
    """The PostgreSQL backend's module, or a StoreError saying how to install its driver."""
    try:
        from store.pg import backend
    except ImportError:
        raise StoreError(
            redacted(url),
            Phrase(
                N_(
                    "is a PostgreSQL database, and this installation lacks its driver: "
                    "pip install 'vaccinnet-staff[postgresql]'"
                )
            ),
        ) from None
    return backend
