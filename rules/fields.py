"""Validation of the free-text fields people type: names, entity ids, e-mail addresses."""

from __future__ import annotations

import re

from rules.mail_address import clean_email as clean_mail_address
from rules.scripts import mixed_script_words, plain_form
from rules.text import has_unsafe_chars, printable
from rules.violation import RuleViolation
from rules.vocabulary import EMPLOYEE_TYPES, ENTITY_KINDS, ENTITY_LANGUAGES

_NAME_PUNCTUATION = frozenset(" -'’")
_ORDINARY_WHITESPACE = {ord(ch): " " for ch in "\t\n\r"}
_ENTITY_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
# An admin id ends up in an SSH forced command and in file listings: a login-like alphabet.
_ADMIN_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,31}")
NAME_LIMIT = 100
ENTITY_NAME_LIMIT = 200


def check_no_control_chars(raw: object, field: str) -> None:
    """Refuse control characters and direction marks: they would act on a reader's terminal.

    Tabs and line breaks are ordinary whitespace in pasted text; the cleaners collapse them.
    """
    text = str(raw).strip()
    if has_unsafe_chars(text.translate(_ORDINARY_WHITESPACE)):
        # The refusal shows what was typed, so it must not carry the characters it refuses.
        raise RuleViolation(
            "control_characters", {"field": f"field.{field}", "value": printable(text)}
        )


def clean_name(raw: str, field: str = "name") -> str:
    """Trim, collapse inner spaces and refuse anything but a person's name.

    Full-width letters and other compatibility forms (``Ｄｕｐｏｎｔ``) become the ordinary
    letters they stand for (NFKC), so that a name cannot look like another one it is not.
    A word mixing Latin with Cyrillic or Greek letters (``Дupont``) is refused; a name written
    wholly in another script is a real person's name and passes (the review flags it).
    """
    check_no_control_chars(raw, field)
    text = " ".join(plain_form(str(raw)).split())
    ok = (
        1 <= len(text) <= NAME_LIMIT
        and any(ch.isalpha() for ch in text)
        and all(ch.isalpha() or ch in _NAME_PUNCTUATION for ch in text)
    )
    if not ok:
        raise RuleViolation("invalid_name", {"field": f"field.{field}", "value": str(raw).strip()})
    if mixed := mixed_script_words(text):
        raise RuleViolation("mixed_script_name", {"field": f"field.{field}", "value": mixed[0]})
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


def clean_admin_id(raw: str) -> str:
    text = str(raw).strip()
    if not _ADMIN_ID.fullmatch(text):
        raise RuleViolation("invalid_admin_id", {"value": text})
    return text


def clean_admin_name(raw: str) -> str:
    """An administrator's name as shown in the trail: printable, one line, at most 100."""
    text = " ".join(str(raw).split())
    if not 1 <= len(text) <= NAME_LIMIT or not text.isprintable():
        raise RuleViolation("invalid_admin_name", {"value": text})
    return text


def clean_entity_name(raw: str) -> str:
    check_no_control_chars(raw, "entity_name")
    text = " ".join(str(raw).split())
    if not 1 <= len(text) <= ENTITY_NAME_LIMIT or not text.isprintable():
        raise RuleViolation("invalid_entity_name", {"value": text})
    return text


def check_entity_kind(code: str) -> str:
    if code not in ENTITY_KINDS:
        raise RuleViolation("unknown_kind", {"value": code})
    return code


def clean_email(raw: str) -> str:
    """An address the notifier can always send to (rules.mail_address), never a control code."""
    check_no_control_chars(raw, "email")
    return clean_mail_address(raw)


def check_entity_language(code: str) -> str:
    if code not in ENTITY_LANGUAGES:
        raise RuleViolation("invalid_language", {"value": code})
    return code
