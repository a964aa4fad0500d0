"""Words several screens share: the registered notice and the short request kinds."""

from __future__ import annotations

from tui.i18n import N_

REGISTERED = N_("The request is now registered and must be approved by an administrator.")
REGISTERED_MORE = N_(
    "Only once an administrator has approved the request will you see the result here. This "
    "may take some time."
)

KIND_SHORT = {
    "connect": N_("Connection"),
    "disconnect": N_("Disconnection"),
    "extend": N_("Extension"),
}
