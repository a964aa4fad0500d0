"""Validation of the free-text fields people type: names, entity ids, e-mail addresses."""

from __future__ import annotations

import re
import unicodedata

from rules.mail_address import clean_email as clean_email  # one module validates every field
from rules.violation import RuleViolation
from rules.vocabulary import EMPLOYEE_TYPES, ENTITY_KINDS, ENTITY_LANGUAGES

_NAME_PUNCTUATION = frozenset(" -'’")
_ENTITY_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def clean_name(raw: str, field: str = "name") -> str:
    """Trim, normalise to NFC and collapse inner spaces; refuse anything but a person's name."""
    text = unicodedata.normalize("NFC", " ".join(str(raw).split()))
    ok = (
        1 <= len(text) <= 100
        and any(ch.isalpha() for ch in text)
        and all(ch.isalpha() or ch in _NAME_PUNCTUATION for ch in text)
    )
    if not ok:
        raise RuleViolation("invalid_name", {"field": f"field.{field}", "value": str(raw).strip()})
    return text


def check_employee_type(code: str) -> str:
    if code not in EMPLOYEE_TYPES:
        raise RuleViolation("unknown_type", {"value": code})
    return code


def clean_entity_id(raw: str) -> str:
    text = str(raw).strip()
    if not _ENTITY_ID.fullmatch(text):
        raise RuleViolation("invalid_entity_id", {"value": text})
    return text


def clean_entity_name(raw: str) -> str:
    text = " ".join(str(raw).split())
    if not 1 <= len(text) <= 200 or not text.isprintable():
        raise RuleViolation("invalid_entity_name", {"value": text})
    return text


def check_entity_kind(code: str) -> str:
    if code not in ENTITY_KINDS:
        raise RuleViolation("unknown_kind", {"value": code})
    return code


def check_entity_language(code: str) -> str:
    if code not in ENTITY_LANGUAGES:
        raise RuleViolation("invalid_language", {"value": code})
    return code
