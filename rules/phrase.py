"""A sentence the lower layers say in English, kept with its msgid so tui can say it translated."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Self

from rules.violation import RuleViolation


def N_(message: str) -> str:
    """Mark an English msgid for extraction (pybabel -k N_); it is translated where shown."""
    return message


class Phrase(str):
    """What ``str`` gives is the English text (logs, stored reasons, tests); ``msgid`` and
    ``values`` let the layer that shows it (``tui.i18n.said``) say it in the reader's language.

    Why not translate here: store/ and rules/ cannot reach tui's catalogs, and a stored reason
    or a log line has no reader yet. A value may be a Phrase itself (translated in turn), an
    OSError (its system description) or a RuleViolation (its message); anything else is data.
    """

    msgid: str
    values: dict[str, Any]

    def __new__(cls, msgid: str, /, **values: Any) -> Self:
        phrase = super().__new__(cls, msgid.format(**{k: english(v) for k, v in values.items()}))
        phrase.msgid = msgid
        phrase.values = values
        return phrase


def english(value: object) -> object:
    """A value as the English text of a Phrase shows it."""
    if isinstance(value, OSError):
        return value.strerror or str(value)
    if isinstance(value, RuleViolation):
        return value.message("en")
    return value


def joined(parts: Sequence[str]) -> str:
    """Several phrases in one, each said in turn, separated as the reader's language does."""
    if len(parts) <= 1:
        return parts[0] if parts else ""
    return Phrase(N_("{first}; {rest}"), first=parts[0], rest=joined(parts[1:]))
