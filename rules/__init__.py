"""The domain of entity staff links: pure rules with no I/O, clock, textual or tinydb."""

from rules.decisions import (
    Approval,
    clean_reason,
    may_withdraw,
    plan_approve,
    plan_delete,
    plan_reject,
    plan_withdraw,
)
from rules.entities import NewEntity, plan_admin, plan_entity, plan_entity_update
from rules.form_check import (
    FieldProblems,
    check_access_fields,
    check_connect_fields,
    check_entity_change_fields,
    check_entity_fields,
)
from rules.mail import compose_decision_mail
from rules.niss import (
    format_niss,
    is_valid_niss,
    make_niss,
    mask_niss,
    niss_or_none,
    normalize_niss,
)
from rules.notices import (
    Notice,
    access_types,
    disconnect_notices,
    managers,
    requestable_types,
    review_notices,
)
from rules.records import (
    Admin,
    Entity,
    Link,
    Mail,
    MailDraft,
    Request,
    person_label,
    person_name,
)
from rules.requests import EntityState, plan_access_request, plan_connect, plan_disconnect
from rules.text import fold, has_unsafe_chars, printable
from rules.violation import RuleViolation
from rules.vocabulary import (
    EMPLOYEE_TYPES,
    ENTITY_KINDS,
    MANAGER_TYPES,
    is_manager,
    kind_label,
    request_kind_label,
    status_label,
    type_label,
)
from rules.workdays import OVERDUE_WORKING_DAYS, is_overdue, working_days_between

__all__ = [
    "EMPLOYEE_TYPES",
    "ENTITY_KINDS",
    "MANAGER_TYPES",
    "OVERDUE_WORKING_DAYS",
    "Admin",
    "Approval",
    "Entity",
    "EntityState",
    "FieldProblems",
    "Link",
    "Mail",
    "MailDraft",
    "NewEntity",
    "Notice",
    "Request",
    "RuleViolation",
    "access_types",
    "check_access_fields",
    "check_connect_fields",
    "check_entity_change_fields",
    "check_entity_fields",
    "clean_reason",
    "compose_decision_mail",
    "disconnect_notices",
    "fold",
    "format_niss",
    "has_unsafe_chars",
    "is_manager",
    "is_overdue",
    "is_valid_niss",
    "kind_label",
    "make_niss",
    "managers",
    "mask_niss",
    "may_withdraw",
    "niss_or_none",
    "normalize_niss",
    "person_label",
    "person_name",
    "plan_access_request",
    "plan_admin",
    "plan_approve",
    "plan_connect",
    "plan_delete",
    "plan_disconnect",
    "plan_entity",
    "plan_entity_update",
    "plan_reject",
    "plan_withdraw",
    "printable",
    "request_kind_label",
    "requestable_types",
    "review_notices",
    "status_label",
    "type_label",
    "working_days_between",
]
