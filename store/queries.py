"""Read models: what the consoles and the command line show, each read in one locked view."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass

import rules
from rules import Admin, Entity, EntityState, Link, Request, is_manager
from rules.niss import niss_or_none
from rules.text import fold
from store import codec
from store.engine import TABLES
from store.indexes import (
    LINKS_BY_NISS,
    REQUESTS_BY_ENTITY,
    REQUESTS_BY_FILER,
    REQUESTS_BY_NISS,
    REQUESTS_BY_STATUS,
    REQUESTS_BY_STATUS_ENTITY,
    Index,
)
from store.layout import DECISIONS
from store.reviews import Reviews, person_notices
from store.segments import Doc


@dataclass(frozen=True)
class Review:
    request: Request
    state: EntityState
    notices: tuple[rules.Notice, ...]


@dataclass(frozen=True)
class EntitySummary:
    """An entity as the admins' list shows it: its people, its managers, its pending requests."""

    entity: Entity
    staff: int
    managers: int
    pending: int


class Queries(Reviews):
    def _person_docs(self, index: Index, niss: str) -> list[Doc]:
        """A person's documents by NISS; a malformed number simply matches nobody."""
        normalised = niss_or_none(niss)
        if normalised is None:
            return []
        with self.reading():
            return [doc for _, doc in self._docs(index, normalised)]

    # ----- entities and admins ---------------------------------------------------------------

    def staff(self, entity_id: str) -> list[Link]:
        with self.reading():
            return self._staff(str(entity_id).strip())

    def entity(self, entity_id: str) -> Entity | None:
        with self.reading():
            found = self._entity_doc(str(entity_id).strip())
            return codec.entity_from_doc(found[1]) if found else None

    def entities(self) -> list[Entity]:
        with self.reading():
            return [codec.entity_from_doc(doc) for _, doc in self._files.items("entities")]

    def entity_summaries(self) -> list[EntitySummary]:
        """Every entity with its counts, in one pass over the links and the pending requests,
        under one lock (not a staff read per entity, each under its own lock, each decoded)."""
        staff: Counter[str] = Counter()
        managers: Counter[str] = Counter()
        pending: Counter[str] = Counter()
        with self.reading():
            for _, doc in self._files.items("links"):
                # Counted without decoding; a damaged link (`vaccinnet check` names it) is
                # left out rather than hiding every entity.
                entity_id = doc.get("entity_id")
                if isinstance(entity_id, str):
                    staff[entity_id] += 1
                    kind = doc.get("employee_type")
                    if isinstance(kind, str) and is_manager(kind):
                        managers[entity_id] += 1
            for _, doc in self._docs(REQUESTS_BY_STATUS, "pending"):
                entity_id = doc.get("entity_id")
                if isinstance(entity_id, str):
                    pending[entity_id] += 1
            entities = [codec.entity_from_doc(doc) for _, doc in self._files.items("entities")]
        return [EntitySummary(e, staff[e.id], managers[e.id], pending[e.id]) for e in entities]

    def entity_state(self, entity_id: str) -> EntityState | None:
        with self.reading():
            return self._state(entity_id)

    def find_entities(self, text: str, limit: int = 20) -> list[Entity]:
        """Entities whose id or name contains ``text``, ignoring case and accents."""
        needle = fold(text)
        if not needle:
            return []
        with self.reading():
            found = []
            for _, doc in self._files.items("entities"):
                if needle in fold(doc["id"]) or needle in fold(doc["name"]):
                    found.append(codec.entity_from_doc(doc))
                    if len(found) >= limit:
                        break
            return found

    def entities_of(self, niss: str) -> list[Entity]:
        with self.reading():
            ids = [doc["entity_id"] for doc in self._person_docs(LINKS_BY_NISS, niss)]
            entities = [self._entity_doc(entity_id) for entity_id in dict.fromkeys(ids)]
            return [codec.entity_from_doc(found[1]) for found in entities if found]

    def links_of(self, niss: str) -> list[Link]:
        return [codec.link_from_doc(doc) for doc in self._person_docs(LINKS_BY_NISS, niss)]

    def names_of(self, nisses: Iterable[str]) -> dict[str, str]:
        """« DUPONT Jean » for each person the store knows by name: from a link, else from a
        request about them. People it never named (a NISS only) are left out."""
        names: dict[str, str] = {}
        with self.reading():
            for niss in dict.fromkeys(nisses):
                links = self.links_of(niss)
                if links:
                    names[niss] = links[-1].full_name
                elif docs := self._person_docs(REQUESTS_BY_NISS, niss):
                    names[niss] = codec.request_from_doc(docs[-1]).full_name
        return names

    def admin(self, admin_id: str) -> Admin | None:
        with self.reading():
            return self._admin(admin_id)

    def admins(self) -> list[Admin]:
        with self.reading():
            return [codec.admin_from_doc(doc) for _, doc in self._files.items("admins")]

    # ----- requests ----------------------------------------------------------------------------

    def request(self, request_id: str) -> Request | None:
        with self.reading():
            found = self._request_doc(request_id)
            return codec.request_from_doc(found[1]) if found else None

    def requests(
        self,
        entity_id: str | None = None,
        status: str | None = "pending",
        limit: int | None = None,
    ) -> list[Request]:
        """Oldest first, at most ``limit``; ``status=None`` gives every status."""
        with self.reading():
            if entity_id is not None and status is not None:
                found = self._docs(REQUESTS_BY_STATUS_ENTITY, (status, entity_id), limit)
            elif status is not None:
                found = self._docs(REQUESTS_BY_STATUS, status, limit)
            elif entity_id is not None:
                found = self._docs(REQUESTS_BY_ENTITY, entity_id, limit)
            else:
                found = list(itertools.islice(self._files.items("requests"), limit))
            return [codec.request_from_doc(doc) for _, doc in found]

    def recent_decisions(self, entity_id: str, limit: int = 5) -> list[Request]:
        """The entity's latest decided requests, newest decision first."""
        with self.reading():
            decided = [
                codec.request_from_doc(doc)
                for _, doc in self._docs(REQUESTS_BY_ENTITY, str(entity_id))
                if doc["status"] != "pending"
            ]
        decided.sort(key=lambda r: r.decided_at or r.filed_at, reverse=True)
        return decided[:limit]

    def history(self, limit: int | None = None) -> list[Request]:
        """Decided, deleted and withdrawn requests, the latest decision first.

        Read from the log of decisions, newest first, as far as ``limit`` asks: the
        admins' History shows a page, not every request ever filed."""
        with self.reading():
            if self._files.has_table(DECISIONS):
                found: list[Request] = []
                for _, doc in self._files.newest_first(DECISIONS):
                    if limit is not None and len(found) >= limit:
                        break
                    found.append(codec.request_from_doc(doc))
                return found
            decided = [
                codec.request_from_doc(doc)
                for status in ("approved", "rejected", "deleted", "withdrawn")
                for _, doc in self._docs(REQUESTS_BY_STATUS, status)
            ]
        decided.sort(key=lambda r: r.decided_at or r.filed_at, reverse=True)
        return decided[:limit]

    def decided_count(self) -> int:
        """How many requests were decided, deleted or withdrawn (nothing else is read)."""
        with self.reading():
            if self._files.has_table(DECISIONS):
                # Entries are never removed: every id up to the next one is a decision.
                return self._files.next_id(DECISIONS) - 1
            return len(self.history())

    def filed_by(self, niss: str) -> list[Request]:
        """Requests a person filed, oldest first (an applicant follows their access request)."""
        return [codec.request_from_doc(doc) for doc in self._person_docs(REQUESTS_BY_FILER, niss)]

    def review(self, admin_id: str, request_id: str) -> Review | None:
        """A request with its entity and the warnings to read before deciding it, reviewed
        now (the queue shows those each commit kept: the same, see store/reviews.py)."""
        with self.reading():
            found = self._request_doc(request_id)
            admin = self._admin(admin_id)
            if found is None or admin is None:
                return None
            request = codec.request_from_doc(found[1])
            state = self._state(request.entity_id)
            if state is None:
                return None
            links = [codec.link_from_doc(d) for _, d in self._docs(LINKS_BY_NISS, request.niss)]
            requests = [
                codec.request_from_doc(d) for _, d in self._docs(REQUESTS_BY_NISS, request.niss)
            ]
            notices = rules.entity_notices(state, request) + person_notices(
                request, links, requests
            )
            return Review(request, state, tuple(notices))

    def pending_notices(self) -> dict[str, tuple[rules.Notice, ...]]:
        """The warnings of every pending request that has some, by request id: as the
        commits kept them, or, in a store that keeps none yet (read-only, from before),
        reviewed now."""
        with self.reading():
            docs = self._stored_reviews() if self._reviews_kept() else self._all_reviews()
            return {doc["request"]: codec.review_from_doc(doc) for doc in docs.values()}

    # ----- the store as a whole ----------------------------------------------------------------

    def version(self) -> int:
        """A number that changes whenever any session commits; cheap enough to poll."""
        with self.reading():
            return int(self._files.manifest["generation"])

    def tables_changed(self, tables: Collection[str], since: int) -> tuple[int, bool]:
        """(version now, whether a commit after version ``since`` wrote one of ``tables``):
        an admin section reads again only when what it shows may have changed."""
        with self.reading():
            touched = self._files.tables_touched_since(since, tables)
            return int(self._files.manifest["generation"]), touched is not False

    def entity_changed(self, entity_id: str, since: int) -> tuple[int, bool]:
        """(version now, whether a commit after version ``since`` touched the entity's links,
        requests or record): what a staff console needs to know before reading it again."""
        with self.reading():
            touched = self._files.touched_since(since, entity_id)
            return int(self._files.manifest["generation"]), touched is not False

    def counts(self) -> dict[str, int]:
        with self.reading():
            return {name: self._files.count(name) for name in TABLES}
