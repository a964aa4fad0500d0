"""Persistence: TinyDB files shared safely by many processes, the audit trail and the outbox."""

from store.audit import AuditEntry
from store.errors import StoreBusy, StoreError, StoreInterrupted
from store.paths import data_dir
from store.store import EntitySummary, Store, open_store

__all__ = [
    "AuditEntry",
    "EntitySummary",
    "Store",
    "StoreBusy",
    "StoreError",
    "StoreInterrupted",
    "data_dir",
    "open_store",
]
