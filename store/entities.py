"""Writing admins and entities: an admin added, an entity born with its first manager, changed."""

from __future__ import annotations

import rules
from rules import Admin, Entity
from store import codec
from store.records import Records


class Entities(Records):
    def add_admin(self, admin_id: str, name: str, niss: str | None = None) -> Admin:
        with self._writing():
            exists = self._admin(admin_id) is not None
            admin = rules.plan_admin(admin_id, name, niss, exists)
            self._insert("admins", codec.admin_to_doc(admin))
            self._audit(admin.id, "admin_added", niss=admin.niss, name=admin.name)
        return admin

    def create_entity(self, admin_id: str, new: rules.NewEntity) -> Entity:
        with self._writing():
            now = self._clock()
            admin = self._admin(admin_id)
            exists = self._entity_doc(str(new.entity_id).strip()) is not None
            entity, link = rules.plan_entity(admin, new, exists, now)
            assert admin is not None  # plan_entity refuses an unknown administrator
            self._insert("entities", codec.entity_to_doc(entity))
            self._insert("links", codec.link_to_doc(link))
            self._audit(
                admin.id,
                "entity_created",
                entity.id,
                link.niss,
                name=entity.name,
                kind=entity.kind,
                email=entity.email,
                language=entity.language,
                manager_type=link.employee_type,
            )
        return entity

    def update_entity(
        self, admin_id: str, entity_id: str, email: str | None = None, language: str | None = None
    ) -> Entity:
        with self._writing():
            found = self._entity_doc(str(entity_id).strip())
            before = codec.entity_from_doc(found[1]) if found else None
            entity = rules.plan_entity_update(
                self._admin(admin_id), before, str(entity_id), email, language
            )
            assert found is not None and before is not None
            self._tables["entities"].update(codec.entity_to_doc(entity), doc_ids=[found[0]])
            changes = {
                k: [getattr(before, k), getattr(entity, k)]
                for k in ("email", "language")
                if getattr(before, k) != getattr(entity, k)
            }
            self._audit(admin_id, "entity_updated", entity.id, None, None, **changes)
        return entity
