"""Writing admins and entities: an admin added, an entity born with its first manager, changed."""

from __future__ import annotations

from datetime import datetime

import rules
from rules import Admin, Entity, Mail
from rules.list_mail import plan_list_mail
from store import codec
from store.engine import BRUSSELS, retried
from store.indexes import ADMIN_BY_ID
from store.outbox import queue_mail
from store.records import Records

# On an entity's document: when its staff list was last mailed (once an hour at most).
LIST_MAILED = "list_mailed_at"


class Entities(Records):
    @retried
    def add_admin(
        self,
        admin_id: str,
        name: str,
        niss: str | None = None,
        email: str | None = None,
        added_by: str | None = None,
    ) -> Admin:
        """The first admin adds themselves (``vaccinnet init``); any later one is added by an
        admin, ``added_by``."""
        with self._writing():
            if added_by is not None and self._admin(added_by) is None:
                raise rules.RuleViolation("not_authorized", message_key="not_authorized.admin")
            exists = self._admin(admin_id) is not None
            admin = rules.plan_admin(admin_id, name, niss, exists, email)
            self._insert("admins", codec.admin_to_doc(admin))
            more: dict[str, str] = {"email": admin.email} if admin.email else {}
            if added_by is not None:
                more["admin"] = admin.id
            self._audit(
                added_by or admin.id, "admin_added", niss=admin.niss, name=admin.name, **more
            )
        return admin

    @retried
    def mail_staff_list(self, actor_niss: str, entity_id: str) -> Mail:
        """The entity's list, as a CSV, to the entity's own address and nowhere else."""
        with self._writing():
            now = self._clock()
            found = self._entity_doc(str(entity_id).strip())
            last = found[1].get(LIST_MAILED) if found else None
            draft, name, attachment = plan_list_mail(
                self._state(str(entity_id).strip()),
                actor_niss,
                now,
                now.astimezone(BRUSSELS),
                datetime.fromisoformat(last) if isinstance(last, str) else None,
            )
            assert found is not None
            entity_key = found[1]["id"]
            mail = queue_mail(self, draft, f"list.{entity_key}", entity_key, (name, attachment))
            self._tables["entities"].update({LIST_MAILED: now.isoformat()}, doc_ids=[found[0]])
            self._audit(
                actor_niss,
                "staff_list_mailed",
                entity_key,
                mail=mail.id,
                to=mail.to,
                people=attachment.count("\n") - 1,
            )
        return mail

    @retried
    def set_admin_email(self, actor_id: str, admin_id: str, email: str | None) -> Admin:
        """Where an admin's daily digest goes; None or blank: no digest for them."""
        with self._writing():
            found = self._docs(ADMIN_BY_ID, str(admin_id).strip())
            before = codec.admin_from_doc(found[0][1]) if found else None
            admin = rules.plan_admin_email(self._admin(actor_id), str(admin_id), before, email)
            assert before is not None and found
            if admin != before:
                doc = {**codec.admin_to_doc(admin), "email": admin.email}
                self._tables["admins"].update(doc, doc_ids=[found[0][0]])
                self._audit(
                    actor_id, "admin_updated", admin=admin.id, email=[before.email, admin.email]
                )
        return admin

    @retried
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

    @retried
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
