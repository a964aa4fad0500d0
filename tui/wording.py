"""Words several screens share: the registered notice and the short request kinds."""

from __future__ import annotations

from rules import Request, decision_reason, status_label
from tui.i18n import N_, _

REGISTERED = N_("The request is now registered and must be approved by an administrator.")
# A yearly review's progress at one entity (rules.recertification.Progress.state).
REVIEW_STATES = {
    "done": N_("done"),
    "partial": N_("partly done"),
    "not_started": N_("not started"),
}
REGISTERED_MANY = N_(
    "The {count} requests are now registered and must be approved by an administrator."
)
REGISTERED_MORE = N_(
    "Only once an administrator has approved the request will you see the result here. This "
    "may take some time."
)

KIND_SHORT = {
    "connect": N_("Connection"),
    "disconnect": N_("Disconnection"),
    "extend": N_("Extension"),
}


def decision_text(request: Request, lang: str) -> str:
    """« rejetée : <reason> », « expirée : aucune décision dans les 60 jours », « en attente »."""
    text = status_label(request.status, lang)
    reason = decision_reason(request, lang)
    if reason and request.status == "approved":
        text = _("{status} (note: {note})").format(status=text, note=reason)
    elif reason:
        text = _("{status}: {reason}").format(status=text, reason=reason)
    return text
