"""The records every part of the store looks up: an admin, an entity and its state, a request."""

from __future__ import annotations

from collections.abc import Sequence

import rules
from rules import Admin, EntityState, Link, Request, Settings
from rules.phrase import N_, Phrase
from rules.recertification import Campaign, campaign_from
from store import codec
from store.engine import Engine
from store.errors import StoreError
from store.indexes import ADMIN_BY_ID, ENTITY_BY_ID, LINKS_BY_ENTITY, REQUESTS_BY_STATUS_ENTITY
from store.segments import Doc

# The manifest's meta keys of the settings admins change (deadlines), and of the yearly
# review of staff (the open one, or the last one closed).
SETTINGS = "settings"
RECERTIFICATION = "recertification"


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

    def _campaign(self) -> Campaign | None:
        """The yearly review, open or the last one closed (store/recertification.py)."""
        try:
            return campaign_from(self._files.meta.get(RECERTIFICATION))
        except ValueError as exc:
            raise StoreError(
                self._files.manifest_path,
                Phrase(N_("meta.recertification: {problem}"), problem=str(exc)),
            ) from None

    def _link_ids(self, entity_id: str, niss: str) -> list[int]:
        """The link's document ids (read before the transaction writes links)."""
        return [i for i, doc in self._docs(LINKS_BY_ENTITY, entity_id) if doc["niss"] == niss]

    def _save_link(self, ids: list[int], link: Link) -> None:
        """What changes on a link once made: its end date and what its end did (warnings
        sent, held), the review that confirmed it."""
        doc = codec.link_to_doc(link)
        # Absent fields are not removed by an update: each is written, None when unset.
        fields = {
            "until": doc.get("until"),
            "warned": doc.get("warned"),
            "held": link.held,
            "reviewed": link.reviewed,
        }
        self._tables["links"].update(fields, doc_ids=ids)

    def _request_doc(self, rid: str) -> tuple[int, Doc] | None:
        doc_id = codec.request_doc_id(rid)
        doc = self._files.get("requests", doc_id) if doc_id else None
        return (doc_id, doc) if doc_id and doc else None
