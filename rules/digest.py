"""The admins' daily digest of overdue requests: how many, the oldest, and per entity."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from rules.records import Admin, MailDraft, Request
from rules.text import printable
from rules.vocabulary import request_kind_label

# The entities a digest lists by name; the rest are counted in one line.
ENTITIES_LISTED = 30

_TEXT = {
    "fr": {
        "greeting": "Bonjour {name},",
        "intro": "{count} demande(s) attendent une décision depuis plus de {days} jours "
        "ouvrables (au {today}).",
        "oldest": "La plus ancienne\u00a0: {request} ({kind}) pour {entity}, introduite le "
        "{filed}.",
        "per_entity": "Par entité\u00a0:",
        "more": "… et {count} autre(s) entité(s), {requests} demande(s).",
        "open": "Traitez-les dans la console des administrateurs (vaccinnet admin).",
    },
    "nl": {
        "greeting": "Beste {name},",
        "intro": "{count} aanvraag/aanvragen wachten al meer dan {days} werkdagen op een "
        "beslissing (op {today}).",
        "oldest": "De oudste: {request} ({kind}) voor {entity}, ingediend op {filed}.",
        "per_entity": "Per entiteit:",
        "more": "… en {count} andere entiteit(en), {requests} aanvraag/aanvragen.",
        "open": "Behandel ze in de beheerdersconsole (vaccinnet admin).",
    },
}


@dataclass(frozen=True, slots=True)
class Overdue:
    """An overdue request as the digest names it: no NISS and no name leave in a digest."""

    request: Request
    entity_name: str
    filed_on: date  # the Brussels day it was filed


def compose_digest(admin: Admin, overdue: list[Overdue], today: date, days: int) -> MailDraft:
    """One mail, French then Dutch (admins serve both communities); ``overdue`` non-empty."""
    assert admin.email and overdue
    oldest = min(overdue, key=lambda o: (o.request.filed_at, o.request.id))
    per_entity = Counter((o.request.entity_id, o.entity_name) for o in overdue)
    ranked = sorted(per_entity.items(), key=lambda item: (-item[1], item[0][1], item[0][0]))
    sep = {"fr": "\u00a0: ", "nl": ": "}
    parts = []
    for lang, t in _TEXT.items():
        lines = [
            t["greeting"].format(name=printable(admin.name)),
            "",
            t["intro"].format(count=len(overdue), days=days, today=today.strftime("%d/%m/%Y")),
            t["oldest"].format(
                request=oldest.request.id,
                kind=request_kind_label(oldest.request.kind, lang),
                entity=f"{printable(oldest.entity_name)} ({printable(oldest.request.entity_id)})",
                filed=oldest.filed_on.strftime("%d/%m/%Y"),
            ),
            "",
            t["per_entity"],
        ]
        for (entity_id, name), count in ranked[:ENTITIES_LISTED]:
            lines.append(f"  {printable(name)} ({printable(entity_id)}){sep[lang]}{count}")
        rest = ranked[ENTITIES_LISTED:]
        if rest:
            lines.append("  " + t["more"].format(count=len(rest), requests=sum(c for _, c in rest)))
        lines += ["", t["open"]]
        parts.append("\n".join(lines))
    count = len(overdue)
    subject = (
        f"Vaccinnet\u00a0: {count} demande(s) en retard / {count} achterstallige aanvraag/aanvragen"
    )
    body = "\n\n" + "-" * 40 + "\n\n"
    footer = (
        "\n\n--\nCe message est envoyé automatiquement.\nDit bericht wordt automatisch verstuurd.\n"
    )
    return MailDraft(to=admin.email, subject=subject, body=body.join(parts) + footer, language="fr")
