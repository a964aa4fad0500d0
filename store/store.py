"""The Store: every read and write of entities, links, requests, mails and the audit trail."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from rules.phrase import N_, Phrase
from store.audit import key_from_env
from store.engine import Clock
from store.entities import Entities
from store.errors import StoreError
from store.housekeeping import Housekeeping, HousekeepingReport
from store.maintenance import Maintenance
from store.outbox import Outbox
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
) -> Store:
    """Open the store in ``data_dir``, creating an empty one there if there is none."""
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
