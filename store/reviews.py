"""The queue's warnings, kept by each commit for the pending requests its changes concern."""

from __future__ import annotations

from collections.abc import Collection

import rules
from rules import EntityState, Request
from store import codec
from store.engine import PERSON, retried, scopes_of
from store.errors import StoreError
from store.indexes import LINKS_BY_NISS, REQUESTS_BY_NISS, REQUESTS_BY_STATUS
from store.layout import REVIEWED, REVIEWS
from store.records import Records
from store.segments import SCOPES_LISTED, Doc

# Per request id: the warnings its entity gives and those its person's links and requests
# elsewhere give, each None when this review did not look at it (the stored part stands).
Parts = dict[int, tuple[str, list[Doc] | None, list[Doc] | None]]


class Reviews(Records):
    """Each commit reviews again the pending requests whose entity or whose person it
    touched, and keeps their warnings in ``reviews`` (under the request's id; no document:
    no warning). The admins' queue reads them, not every entity's people: the warnings
    depend on the documents alone, not on the admin reading them nor on the date."""

    def _reviews_kept(self) -> bool:
        # Only the meta key says so (the table exists once a warning was written), and only
        # for the rules' present warnings: others are reviewed again by the first writer.
        return self._files.meta.get(REVIEWED) == rules.NOTICES_VERSION

    def _before_commit(self) -> None:
        files = self._files
        if not self._reviews_kept():
            return
        entities: set[str] = set()
        persons: set[str] = set()
        closed: list[int] = []
        for table in ("entities", "links", "requests"):
            for doc_id, doc in files.changes(table).items():
                for version in (files.committed(table, doc_id), doc):
                    for scope in scopes_of(table, version) if version is not None else ():
                        if scope.startswith(PERSON):
                            persons.add(scope.removeprefix(PERSON))
                        else:
                            entities.add(scope)
                if table == "requests" and (doc is None or doc.get("status") != "pending"):
                    closed.append(doc_id)
        if not (entities or persons):
            return
        if len(entities) + len(persons) > SCOPES_LISTED:
            # An import: everything is reviewed once, right after the commit, not each
            # entity's state read again with the transaction's thousands of documents.
            files.set_meta(REVIEWED, False)
            return
        try:
            with self._including_changes():
                parts = self._review(entities, persons)
        except StoreError:
            # A damaged document among those reviewed (`check` names it): the write goes
            # on, and the warnings are marked incomplete (read by reviewing, as in a store
            # from before) until a review of everything succeeds.
            files.set_meta(REVIEWED, False)
            return
        for doc_id, (request_id, entity, person) in parts.items():
            old = files.committed(REVIEWS, doc_id)
            if entity is None:
                entity = list(old["entity"]) if old else []
            if person is None:
                person = list(old["person"]) if old else []
            new = {"request": request_id, "entity": entity, "person": person}
            self._put_review(doc_id, new if entity or person else None)
        for doc_id in closed:
            if doc_id not in parts:
                self._put_review(doc_id, None)

    def _after_commit(self) -> None:
        if not self._review_failed:
            self._build_reviews()

    def _put_review(self, doc_id: int, doc: Doc | None) -> None:
        if doc != self._files.committed(REVIEWS, doc_id):
            self._files.put(REVIEWS, doc_id, doc)

    def _review(self, entities: Collection[str], persons: Collection[str]) -> Parts:
        """The parts of the pending requests of ``entities`` and of ``persons`` that those
        decide, reviewed again."""
        parts: Parts = {}
        for entity_id in sorted(entities):
            state = self._state(entity_id)
            for request in state.pending if state is not None else ():
                doc_id = codec.request_doc_id(request.id)
                assert doc_id is not None and state is not None  # the store gave the id
                notices = rules.entity_notices(state, request)
                parts[doc_id] = (request.id, codec.notices_to_docs(notices), None)
        for niss in sorted(persons):
            requests = [codec.request_from_doc(d) for _, d in self._docs(REQUESTS_BY_NISS, niss)]
            if not any(r.status == "pending" for r in requests):
                continue
            links = [codec.link_from_doc(d) for _, d in self._docs(LINKS_BY_NISS, niss)]
            for request in requests:
                if request.status != "pending":
                    continue
                doc_id = codec.request_doc_id(request.id)
                assert doc_id is not None
                notices = person_notices(request, links, requests)
                entity = parts.get(doc_id, (request.id, None, None))[1]
                parts[doc_id] = (request.id, entity, codec.notices_to_docs(notices))
        return parts

    def _all_reviews(self) -> dict[int, Doc]:
        """Every pending request's review, from the committed state: each entity's state is
        built once, and each person's other requests are taken from the queue when pending."""
        # Most entities, their people and their requests are read: whole, at once.
        self._files.preload(("entities", "links", "requests"))
        pending = self._docs(REQUESTS_BY_STATUS, "pending")
        read = dict(pending)
        by_entity: dict[str, list[tuple[int, Request]]] = {}
        for doc_id, doc in pending:
            request = codec.request_from_doc(doc)
            by_entity.setdefault(request.entity_id, []).append((doc_id, request))
        reviews: dict[int, Doc] = {}
        for entity_id, listed in by_entity.items():
            state = self._state(entity_id, [request for _, request in listed])
            for doc_id, request in listed:
                entity, person = self._review_of(request, state, read)
                if entity or person:
                    reviews[doc_id] = {
                        "request": request.id,
                        "entity": codec.notices_to_docs(entity),
                        "person": codec.notices_to_docs(person),
                    }
        return reviews

    def _review_of(
        self, request: Request, state: EntityState | None, read: dict[int, Doc] | None = None
    ) -> tuple[list[rules.Notice], list[rules.Notice]]:
        """A request's warnings, both parts, from what is committed (``read``: requests
        already read, by id); no entity part without the entity's state."""
        links = [codec.link_from_doc(d) for _, d in self._docs(LINKS_BY_NISS, request.niss)]
        requests = [
            codec.request_from_doc(d)
            for _, d in self._docs(REQUESTS_BY_NISS, request.niss, read=read)
        ]
        entity = rules.entity_notices(state, request) if state is not None else []
        return entity, person_notices(request, links, requests)

    @retried
    def _build_reviews(self, again: bool = False) -> None:
        """Write every pending request's review, once for a store that has none yet (made
        before the commit kept them), or ``again`` (`check --reindex`)."""
        if self._reviews_kept() and not again:
            return
        try:
            with self._writing():
                if self._reviews_kept() and not again:
                    return  # another program built them while this one waited its turn
                fresh = self._all_reviews()
                stale = [i for i, _ in self._files.items(REVIEWS) if i not in fresh]
                for doc_id in stale:
                    self._files.put(REVIEWS, doc_id, None)
                for doc_id, doc in fresh.items():
                    self._put_review(doc_id, doc)
                self._files.set_meta(REVIEWED, rules.NOTICES_VERSION)
        except StoreError:
            if again:
                raise
            # Damaged, busy or read-only after all: the warnings stay incomplete and are
            # reviewed when read; the next program that opens the store tries again (this
            # one does not at each of its commits).
            self._review_failed = True
            return
        finally:
            # The build read every entity's people: a session keeps only what it shows.
            self._files.forget_cache()

    def _stored_reviews(self) -> dict[int, Doc]:
        return dict(self._files.items(REVIEWS))

    def _reviews_out_of_step(self) -> list[str]:
        if not self._reviews_kept():
            return []
        stored, fresh = self._stored_reviews(), self._all_reviews()
        wrong = [i for i in sorted(stored.keys() | fresh.keys()) if stored.get(i) != fresh.get(i)]
        return [codec.request_id(doc_id) for doc_id in wrong]


def person_notices(
    request: Request, links: list[rules.Link], requests: list[Request]
) -> list[rules.Notice]:
    """The person's warnings, from every link and request of theirs (those at the request's
    own entity left out)."""
    elsewhere = [k for k in links if k.entity_id != request.entity_id]
    others = [r for r in requests if r.entity_id != request.entity_id]
    return rules.person_notices(request, elsewhere, others)
