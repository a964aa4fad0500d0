"""Creating entities and admins: the checks on what an administrator types."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from rules.deadlines import HOUSEKEEPING
from rules.fields import (
    check_employee_type,
    check_entity_kind,
    check_entity_language,
    clean_admin_id,
    clean_admin_name,
    clean_email,
    clean_entity_id,
    clean_entity_name,
    clean_name,
)
from rules.niss import normalize_niss
from rules.records import Admin, Entity, Link
from rules.violation import RuleViolation
from rules.vocabulary import fits_kind, is_manager


def plan_admin(
    admin_id: str, name: str, niss: str | None, exists: bool, email: str | None = None
) -> Admin:
    admin_id = clean_admin_id(admin_id)
    name = clean_admin_name(name)
    if exists:
        raise RuleViolation("admin_exists", {"value": admin_id})
    if admin_id == HOUSEKEEPING:
        # The trail names the housekeeping job so: no admin may be mistaken for it.
        raise RuleViolation("admin_id_reserved", {"value": admin_id})
    return Admin(
        admin_id,
        name,
        normalize_niss(niss) if niss else None,
        clean_email(email) if email and email.strip() else None,
    )


def plan_admin_email(
    actor: Admin | None, admin_id: str, admin: Admin | None, email: str | None
) -> Admin:
    """An admin gives an admin (themselves or another) an address for the digest, or none."""
    if actor is None:
        raise RuleViolation("not_authorized", message_key="not_authorized.admin")
    if admin is None:
        raise RuleViolation("unknown_admin", {"value": admin_id})
    return replace(admin, email=clean_email(email) if email and email.strip() else None)


@dataclass(frozen=True, kw_only=True, slots=True)
class NewEntity:
    """What an administrator typed to create an entity and its first manager, not yet checked.

    One object from the form or the command line to the rules, so that no caller passes ten
    values by position.
    """

    entity_id: str
    name: str
    kind: str
    email: str
    language: str
    manager_niss: str
    manager_last_name: str
    manager_first_name: str
    manager_type: str


def plan_entity(
    admin: Admin | None, new: NewEntity, exists: bool, now: datetime
) -> tuple[Entity, Link]:
    """An entity is born with its first manager, so that it is never without one."""
    if admin is None:
        raise RuleViolation("not_authorized", message_key="not_authorized.admin")
    entity = Entity(
        id=clean_entity_id(new.entity_id),
        name=clean_entity_name(new.name),
        kind=check_entity_kind(new.kind),
        email=clean_email(new.email),
        language=check_entity_language(new.language),
    )
    if exists:
        raise RuleViolation("entity_exists", {"value": entity.id})
    manager_type = check_employee_type(new.manager_type)
    if not is_manager(manager_type):
        raise RuleViolation("manager_type_required", {"entity": entity.name, "type": manager_type})
    if not fits_kind(manager_type, entity.kind):
        raise RuleViolation(
            "type_not_for_kind", {"type": manager_type, "entity": entity.name, "kind": entity.kind}
        )
    link = Link(
        entity_id=entity.id,
        niss=normalize_niss(new.manager_niss),
        last_name=clean_name(new.manager_last_name, "last_name"),
        first_name=clean_name(new.manager_first_name, "first_name"),
        employee_type=manager_type,
        since=now,
    )
    return entity, link


def plan_entity_update(
    admin: Admin | None,
    entity: Entity | None,
    entity_id: str,
    email: str | None,
    language: str | None,
) -> Entity:
    """An administrator changes where an entity's mails go, or their language."""
    if admin is None:
        raise RuleViolation("not_authorized", message_key="not_authorized.admin")
    if entity is None:
        raise RuleViolation("unknown_entity", {"value": entity_id})
    return Entity(
        id=entity.id,
        name=entity.name,
        kind=entity.kind,
        email=clean_email(email) if email is not None else entity.email,
        language=check_entity_language(language) if language is not None else entity.language,
    )
