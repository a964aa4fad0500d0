"""The records every part of the store looks up: an admin, an entity and its state, a request."""

from __future__ import annotations

from collections.abc import Sequence

import rules
from rules import Admin, EntityState, Link, Request, Settings
from rules.phrase import N_, Phrase
from store import codec
from store.engine import Engine
from store.errors import StoreError
from store.indexes import ADMIN_BY_ID, ENTITY_BY_ID, LINKS_BY_ENTITY, REQUESTS_BY_STATUS_ENTITY
from store.segments import Doc

# The manifest's meta key of the settings admins change (deadlines).
SETTINGS = "settings"


class Records(Engine):
    """Lookups by key, to be called inside a transaction or a reading block."""

    def _entity_doc(self, entity_id: str) -> tuple[int, Doc] | None:
        found = self._docs(ENTITY_BY_ID, entity_id)
        return found[0] if found else None

    def _admin(self, admin_id: str) -> Admin | None:
        found = self._docs(ADMIN_BY_ID, str(admin_id).strip())
        return codec.admin_from_doc(found[0][1]) if found else None

    def _state(
        self, entity_id: str, pending: Sequence[Request] | None = None
    ) -> EntityState | None:
        """``pending``: the entity's pending requests when the caller read them already."""
        found = self._entity_doc(str(entity_id).strip())
        if found is None:
            return None
        entity = codec.entity_from_doc(found[1])
        if pending is None:
            pending = self._pending(entity.id)
        return EntityState(entity, tuple(self._staff(entity.id)), tuple(pending))

    def _staff(self, entity_id: str) -> list[Link]:
        return [codec.link_from_doc(doc) for _, doc in self._docs(LINKS_BY_ENTITY, entity_id)]

    def _pending(self, entity_id: str) -> list[Request]:
        return [
            codec.request_from_doc(doc)
            for _, doc in self._docs(REQUESTS_BY_STATUS_ENTITY, ("pending", entity_id))
        ]

    def _settings(self) -> Settings:
        """The deadlines admins chose (store/housekeeping.py), or their defaults."""
        try:
            return rules.settings_from(self._files.meta.get(SETTINGS))
        except ValueError as exc:
            raise StoreError(
                self._files.manifest_path,
                Phrase(
                    N_("meta.settings is damaged ({problem}); set them again with '{command}'"),
                    problem=str(exc),
                    command="vaccinnet settings set",
                ),
            ) from None

    def _request_doc(self, rid: str) -> tuple[int, Doc] | None:
        doc_id = codec.request_doc_id(rid)
        doc = self._files.get("requests", doc_id) if doc_id else None
        return (doc_id, doc) if doc_id and doc else None
