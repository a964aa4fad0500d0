"""Read models: what the consoles and the command line show, each read in one locked view."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TypeVar, cast

import rules
from rules import Admin, Entity, EntityState, Link, Request
from rules.niss import niss_or_none
from rules.text import fold
from store import codec
from store.engine import BRUSSELS, PERSON, TABLES, Counted
from store.indexes import (
    LINKS_BY_ENTITY,
    LINKS_BY_ENTITY_REVIEWED,
    LINKS_BY_ENTITY_ROLE,
    LINKS_BY_NISS,
    REQUESTS_BY_ENTITY,
    REQUESTS_BY_FILER,
    REQUESTS_BY_NISS,
    REQUESTS_BY_STATUS,
    REQUESTS_BY_STATUS_ENTITY,
    Index,
)
from store.layout import DECISIONS, PENDING
from store.reviews import Reviews
from store.segments import Doc, SegmentFiles

R = TypeVar("R")


@dataclass(frozen=True)
class Review:
    request: Request
    state: EntityState
    notices: tuple[rules.Notice, ...]
    # The last Brussels day it may be decided before it expires (None: requests never do).
    last_day: date | None = None


@dataclass(frozen=True)
class Access:
    """What « Mes accès » shows a person: their links, the requests about them."""

    links: tuple[Link, ...]
    requests: tuple[Request, ...]
    entities: dict[str, Entity]


@dataclass(frozen=True)
class EntitySummary:
    """An entity as the admins' list shows it: its people, its managers, its pending requests."""

    entity: Entity
    staff: int
    managers: int
    pending: int
    # People the open yearly review confirmed; None when no open review covers the entity.
    reviewed: int | None = None


class Queries(Reviews):
    def _listed(
        self, table: str, read: Callable[[], Iterable[tuple[int, Doc]]], decode: Callable[[Doc], R]
    ) -> list[R]:
        """The records of a listing that consoles read again after every commit (every
        entity, the queue): the same list while the manifest names the same files for
        ``table``, and otherwise only the documents that changed decoded again."""
        # What the listing is read from: a mirror, or (a store from before) its source.
        source = table if self._files.has_table(table) else {PENDING: "requests"}.get(table, table)
        if self._files.written(source):
            # Inside a write: what it reads is not committed yet, and is kept by nobody.
            return [decode(doc) for _, doc in read()]
        stamp = self._files.manifest["tables"].get(source)
        memo = self._listings.get(table)
        if memo is not None and memo[0] == stamp:
            return list(memo[2])
        before = memo[1] if memo is not None else {}
        now: dict[int, tuple[Doc, R]] = {}
        for doc_id, doc in read():
            known = before.get(doc_id)
            # The same object, or an equal one from a file read again (its neighbour changed).
            same = known is not None and (known[0] is doc or known[0] == doc)
            now[doc_id] = (doc, known[1]) if same and known is not None else (doc, decode(doc))
        records = [record for _doc, record in now.values()]
        self._listings[table] = (stamp, now, records)
        return list(records)

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
            items = self._files.items
            return self._listed("entities", lambda: items("entities"), codec.entity_from_doc)

    def entity_summaries(self) -> list[EntitySummary]:
        """Every entity with its counts, under one lock: each links file counts its entities'
        people and managers once (an index kept with the file, counted again only when a
        commit rewrote it), and the queue gives the pending requests."""
        pending: dict[str, int] = {}
        with self.reading():
            staff, managers = self._staff_counts()
            campaign = self._campaign()
            if campaign is not None and not campaign.is_open:
                campaign = None
            reviewed = self._review_counts(campaign.id) if campaign else {}
            for _, doc in self._docs(REQUESTS_BY_STATUS, "pending"):
                # Counted without decoding; a damaged request (`vaccinnet check` names it)
                # is left out rather than hiding every entity.
                if isinstance(home := doc.get("entity_id"), str):
                    pending[home] = pending.get(home, 0) + 1
            entities = self.entities()
        return [
            EntitySummary(
                e,
                staff.get(e.id, 0),
                managers.get(e.id, 0),
                pending.get(e.id, 0),
                reviewed.get(e.id, 0) if campaign and campaign.covers(e.kind) else None,
            )
            for e in entities
        ]

    def _review_counts(self, review: str) -> dict[str, int]:
        """People per entity that the yearly review ``review`` confirmed, counted per links
        file and recounted only for the files a commit rewrote (as ``_staff_counts``)."""
        files, index = self._files, LINKS_BY_ENTITY_REVIEWED
        if not isinstance(files, SegmentFiles):
            # A database counts in one query, by its own indexes.
            counted = files.count_by(index.table, ("entity_id", "reviewed"), index.key)
            confirmed: dict[str, int] = {}
            for key, count in counted.items():
                entity_id, confirmed_by = cast(tuple[str, str], key)
                if confirmed_by == review:
                    confirmed[entity_id] = confirmed.get(entity_id, 0) + count
            return confirmed
        names = files.manifest["tables"].get(index.table, {}).get("segments", {})
        kept_review, before_files, totals = self._reviewed_counts
        if kept_review != review:
            before_files, totals = {}, {}
        totals = dict(totals)
        by_file: dict[str, list[tuple[str, int]]] = {}
        for seg, name in names.items():
            counted = before_files.get(name)
            if counted is None:
                segment = files.segment(index.table, int(seg))
                found = segment.index(index.name, index.key) if segment is not None else {}
                counted = [
                    (cast(tuple[str, str], key)[0], len(ids))
                    for key, ids in found.items()
                    if cast(tuple[str, str], key)[1] == review
                ]
                for entity_id, count in counted:
                    totals[entity_id] = totals.get(entity_id, 0) + count
            by_file[name] = counted
        for name, counted in before_files.items():
            if name not in by_file:
                for entity_id, count in counted:
                    totals[entity_id] = totals.get(entity_id, 0) - count
        self._reviewed_counts = (review, by_file, totals)
        return totals

    def _staff_counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """People and managers per entity, kept as totals: a commit changes them by what
        the links files it rewrote counted before and count now, not by all 70,000 links.
        (Plain dicts: a Counter's missing keys go through Python code.)"""
        files, role = self._files, LINKS_BY_ENTITY_ROLE
        if not isinstance(files, SegmentFiles):
            counted = files.count_by(role.table, ("entity_id", "employee_type"), role.key)
            totals: tuple[dict[str, int], dict[str, int]] = ({}, {})
            _add(*totals, [(*cast(tuple[str, bool], k), n) for k, n in counted.items()], 1)
            return totals
        names = files.manifest["tables"].get(role.table, {}).get("segments", {})
        before_files, staff, managers = self._counts
        staff, managers = dict(staff), dict(managers)
        by_file: dict[str, list[Counted]] = {}
        for seg, name in names.items():
            counted = before_files.get(name)
            if counted is None:
                segment = files.segment(role.table, int(seg))
                index = segment.index(role.name, role.key) if segment is not None else {}
                counted = [(*cast(tuple[str, bool], key), len(ids)) for key, ids in index.items()]
                _add(staff, managers, counted, 1)
            by_file[name] = counted
        for name, counted in before_files.items():
            if name not in by_file:
                _add(staff, managers, counted, -1)
        self._counts = (by_file, staff, managers)
        return staff, managers

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

    def my_access(self, niss: str) -> Access:
        """« Mes accès »: a person's links at every entity, and the requests about them or
        filed by them for themselves, newest first, with the entities' names."""
        with self.reading():
            links = self.links_of(niss)
            requests = [
                codec.request_from_doc(doc) for doc in self._person_docs(REQUESTS_BY_NISS, niss)
            ]
            ids = dict.fromkeys([k.entity_id for k in links] + [r.entity_id for r in requests])
            found = {entity_id: self._entity_doc(entity_id) for entity_id in ids}
        entities = {i: codec.entity_from_doc(f[1]) for i, f in found.items() if f is not None}
        requests.sort(key=lambda r: r.decided_at or r.filed_at, reverse=True)
        return Access(tuple(links), tuple(requests), entities)

    def names_of(
        self, nisses: Iterable[str], at: Mapping[str, str] | None = None
    ) -> dict[str, str]:
        """« DUPONT Jean » for each person the store knows by name: from a link, else from a
        request about them. People it never named (a NISS only) are left out.

        ``at``: an entity where a person is likely linked (the one of the request they
        filed, of the audit entry): their name is read from that entity's people, one file
        the admins' lists share, before the index of people. Names are kept until a commit
        touches the person: a page of History asks for a thousand after every commit."""
        at = at or {}
        names: dict[str, str] = {}
        with self.reading():
            known = self._known_names()
            for niss in dict.fromkeys(nisses):
                entity_id = at.get(niss)
                by_entity = known.setdefault(niss, {})
                if entity_id not in by_entity:
                    by_entity[entity_id] = self._name_of(niss, entity_id)
                if name := by_entity[entity_id]:
                    names[niss] = name
        return names

    def _name_of(self, niss: str, entity_id: str | None) -> str | None:
        if entity_id:
            staff = self._docs(LINKS_BY_ENTITY, entity_id)
            here = [doc for _, doc in staff if doc.get("niss") == niss]
            if here:
                return codec.link_from_doc(here[-1]).full_name
        if links := self.links_of(niss):
            return links[-1].full_name
        if docs := self._person_docs(REQUESTS_BY_NISS, niss):
            return codec.request_from_doc(docs[-1]).full_name
        return None

    def _known_names(self) -> dict[str, dict[str | None, str | None]]:
        """The names kept from earlier reads, less those of the people a commit touched since."""
        generation = int(self._files.manifest["generation"])
        kept_at, names = self._names
        if kept_at != generation:
            touched = self._files.scopes_since(kept_at) if kept_at is not None else None
            if touched is None:
                names = {}
            else:
                for scope in touched:
                    if scope.startswith(PERSON):
                        names.pop(scope.removeprefix(PERSON), None)
            self._names = (generation, names)
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
            elif status == "pending" and limit is None:
                # The queue, read again after every commit by each admin console.
                pending = functools.partial(self._docs, REQUESTS_BY_STATUS, status)
                return self._listed(PENDING, pending, codec.request_from_doc)
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
            entity, person = self._review_of(request, state)
            notices = entity + person
            filed_on = request.filed_at.astimezone(BRUSSELS).date()
            last_day = rules.last_pending_day(filed_on, self._settings())
            return Review(request, state, tuple(notices), last_day)

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


def _add(
    staff: dict[str, int], managers: dict[str, int], counted: list[Counted], sign: int
) -> None:
    for entity_id, manager, count in counted:
        staff[entity_id] = staff.get(entity_id, 0) + sign * count
        if manager:
            managers[entity_id] = managers.get(entity_id, 0) + sign * count
