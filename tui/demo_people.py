"""Who to log in as in the demo store, in the language of the command's messages."""

from __future__ import annotations

from store.demo import DEMO_DOCTOR, DEMO_NEWCOMER, DEMO_NURSE, DEMO_PHARMACIST
from tui.i18n import N_, _

_LOGINS = (
    (N_("Dr Jean Dupont (doctor, 2 entities)"), DEMO_DOCTOR),
    (N_("Sophie Lelièvre (pharmacist)"), DEMO_PHARMACIST),
    (N_("Sofie Mertens (nurse, read only)"), DEMO_NURSE),
    (N_("A new doctor without access"), DEMO_NEWCOMER),
)


def demo_logins() -> list[tuple[str, str]]:
    """(label, NISS) of each demo person worth logging in as."""
    return [(_(label), niss) for label, niss in _LOGINS]
