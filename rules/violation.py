"""RuleViolation: the one exception a rule raises when it refuses an action."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rules.messages import render


class RuleViolation(Exception):
    """A refusal by a rule; ``code`` is part of the API, ``message(lang)`` is for people."""

    def __init__(
        self,
        code: str,
        params: Mapping[str, Any] | None = None,
        failures: tuple[RuleViolation, ...] = (),
        message_key: str | None = None,
    ) -> None:
        self.code = code
        # One code can have several wordings (e.g. not_authorized for staff or for admins).
        self.message_key = message_key or code
        self.params = dict(params or {})
        # A multi-person disconnection lists every person that failed, not just the first.
        self.failures = failures
        super().__init__(self.message("en"))

    def message(self, lang: str = "fr") -> str:
        text = render(self.message_key, lang, self.params)
        if self.failures and not (len(self.failures) == 1 and self.failures[0].code == self.code):
            text += "".join(f"\n  • {f.message(lang)}" for f in self.failures)
        return text

    def __repr__(self) -> str:
        return f"RuleViolation({self.code!r}, {self.params!r})"
