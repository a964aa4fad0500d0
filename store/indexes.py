"""The partial indexes of the store, each declared once: its table, its name and its key."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass

from rules import is_manager
from store.layout import PENDING, UNSENT
from store.segments import Doc, KeyFn, field_key


def _fields(*names: str) -> KeyFn:
    def key(doc: Doc) -> Hashable | None:
        return tuple(doc.get(name) for name in names)

    return key


def _same(value: Hashable) -> Hashable:
    return value


def _entity_of_key(value: Hashable) -> Hashable:
    return value[1] if isinstance(value, tuple) else None


def _entity_role(doc: Doc) -> Hashable | None:
    """(entity, whether a manager): each segment counts its entities' people and managers."""
    entity, kind = doc.get("entity_id"), doc.get("employee_type")
    if not isinstance(entity, str):
        return None
    return entity, isinstance(kind, str) and is_manager(kind)


@dataclass(frozen=True)
class Index:
    """Documents of ``table`` by ``key(doc)``; ``name`` names the index inside each segment.

    ``mirror``: a lookup of the value a mirror keeps reads the mirror only. ``home`` gives,
    from a looked-up value, the entity every matching document belongs to:
    only that entity's bucket is read. ``person`` names the list of the index of people
    that holds the matching ids (a lookup by NISS reads one person's entry).
    """

    table: str
    name: str
    key: KeyFn
    home: Callable[[Hashable], Hashable] | None = None
    person: str | None = None
    # (mirror table, the values its documents have): those values are read from the mirror.
    mirror: tuple[str, tuple[Hashable, ...]] | None = None


def _has_end(doc: Doc) -> Hashable | None:
    """True for a link with an end date; the others are not indexed (None)."""
    return True if doc.get("until") is not None else None


ADMIN_BY_ID = Index("admins", "id", field_key("id"))


def _entity_reviewed(doc: Doc) -> Hashable | None:
    """(entity, the review that confirmed the link): each links file counts its entities'
    people the open yearly review confirmed."""
    entity, reviewed = doc.get("entity_id"), doc.get("reviewed")
    if not isinstance(entity, str) or not isinstance(reviewed, str):
        return None
    return entity, reviewed


LINKS_BY_ENTITY_REVIEWED = Index("links", "entity_reviewed", _entity_reviewed)
# Links with an end date, for housekeeping (few: trainees, temporary and campaign staff).
LINKS_WITH_END = Index("links", "with_end", _has_end)
ENTITY_BY_ID = Index("entities", "id", field_key("id"), home=_same)
LINKS_BY_ENTITY = Index("links", "entity", field_key("entity_id"), home=_same)
LINKS_BY_ENTITY_ROLE = Index("links", "entity_role", _entity_role)
LINKS_BY_NISS = Index("links", "niss", field_key("niss"), person="links")
REQUESTS_BY_STATUS = Index(
    "requests", "status", field_key("status"), mirror=(PENDING, ("pending",))
)
REQUESTS_BY_STATUS_ENTITY = Index(
    "requests", "status_entity", _fields("status", "entity_id"), home=_entity_of_key
)
REQUESTS_BY_ENTITY = Index("requests", "entity", field_key("entity_id"), home=_same)
REQUESTS_BY_NISS = Index("requests", "niss", field_key("niss"), person="requests")
REQUESTS_BY_FILER = Index("requests", "filed_by", field_key("filed_by"), person="filed")
MAILS_BY_STATUS = Index(
    "outbox", "status", field_key("status"), mirror=(UNSENT, ("pending", "failed"))
)
