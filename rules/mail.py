"""The e-mail an entity receives when one of its requests is approved, rejected or expires."""

from __future__ import annotations

from datetime import datetime

from rules.dates import belgian_datetime
from rules.niss import format_niss
from rules.records import Entity, MailDraft, Request
from rules.text import printable
from rules.vocabulary import request_kind_label, type_label

_TEXT = {
    "fr": {
        "subject": "Vaccinnet : {kind} {decision} – {person}",
        "approved": "approuvée",
        "rejected": "rejetée",
        "expired": "expirée",
        "greeting": "Madame, Monsieur,",
        "intro": "La {kind} introduite pour {entity} a été {decision} par un administrateur "
        "de Vaccinnet.",
        "entity": "Entité",
        "person": "Personne",
        "niss": "Numéro de registre national",
        "type": "Type d'employé",
        "request": "Demande",
        "filed": "Introduite le",
        "decided": "Décision le",
        "reason": "Raison du rejet",
        "note": "Note de l'administrateur",
        "intro_expired": "La {kind} introduite pour {entity} n'a été traitée par aucun "
        "administrateur de Vaccinnet dans les {days}\u00a0jours\u00a0; elle a expiré.",
        "expired_on": "Expirée le",
        "approved_connect": "{person} est désormais lié(e) à votre entité dans Vaccinnet.",
        "approved_disconnect": "{person} n'est plus lié(e) à votre entité dans Vaccinnet.",
        "approved_connect_until": "{person} est désormais lié(e) à votre entité dans Vaccinnet "
        "jusqu'au {until}.",
        "approved_extend": "Le lien de {person} avec votre entité dans Vaccinnet est prolongé "
        "jusqu'au {until}.",
        "until": "Lié(e) jusqu'au",
        "rejected_next": "Aucun changement n'a été apporté. Vous pouvez introduire une nouvelle "
        "demande si nécessaire.",
        "footer": "Ce message est envoyé automatiquement ; merci de ne pas y répondre.",
    },
    "nl": {
        "subject": "Vaccinnet: {kind} {decision} – {person}",
        "approved": "goedgekeurd",
        "rejected": "afgewezen",
        "expired": "vervallen",
        "greeting": "Geachte mevrouw, geachte heer,",
        "intro": "De {kind} ingediend voor {entity} werd {decision} door een beheerder van "
        "Vaccinnet.",
        "entity": "Entiteit",
        "person": "Persoon",
        "niss": "Rijksregisternummer",
        "type": "Type medewerker",
        "request": "Aanvraag",
        "filed": "Ingediend op",
        "decided": "Beslissing op",
        "reason": "Reden van afwijzing",
        "note": "Notitie van de beheerder",
        "intro_expired": "De {kind} ingediend voor {entity} werd binnen {days} dagen door geen "
        "enkele beheerder van Vaccinnet behandeld en is vervallen.",
        "expired_on": "Vervallen op",
        "approved_connect": "{person} is nu gekoppeld aan uw entiteit in Vaccinnet.",
        "approved_disconnect": "{person} is niet langer gekoppeld aan uw entiteit in Vaccinnet.",
        "approved_connect_until": "{person} is nu gekoppeld aan uw entiteit in Vaccinnet tot "
        "{until}.",
        "approved_extend": "De koppeling van {person} met uw entiteit in Vaccinnet is verlengd "
        "tot {until}.",
        "until": "Gekoppeld tot",
        "rejected_next": "Er werd niets gewijzigd. U kunt zo nodig een nieuwe aanvraag indienen.",
        "footer": "Dit bericht wordt automatisch verstuurd; gelieve er niet op te antwoorden.",
    },
}


def compose_decision_mail(
    entity: Entity, request: Request, filed_local: datetime, decided_local: datetime
) -> MailDraft:
    """Subject and plain-text body in the entity's language; times are already local."""
    lang = entity.language if entity.language in _TEXT else "fr"
    t = _TEXT[lang]
    # Old data or a hand-edited file may hold control characters: a mail shows them, inert.
    person = printable(request.full_name)
    entity_name, entity_id = printable(entity.name), printable(entity.id)
    request_id = printable(request.id)
    decision = t[request.status]
    kind = request_kind_label(request.kind, lang)
    lines = [
        t["greeting"],
        "",
        (
            t["intro_expired"].format(kind=kind, entity=entity_name, days=request.deadline_days)
            if request.status == "expired"
            else t["intro"].format(kind=kind, entity=entity_name, decision=decision)
        ),
        "",
        f"{t['request']} : {request_id}" if lang == "fr" else f"{t['request']}: {request_id}",
    ]
    fields = [
        (t["entity"], f"{entity_name} ({entity_id})"),
        (t["person"], person),
        (t["niss"], format_niss(request.niss)),
        (t["type"], type_label(request.employee_type, lang)),
        (t["filed"], belgian_datetime(filed_local)),
        (
            t["expired_on" if request.status == "expired" else "decided"],
            belgian_datetime(decided_local),
        ),
    ]
    if request.until is not None:
        fields.append((t["until"], request.until.strftime("%d/%m/%Y")))
    if request.status == "rejected":
        fields.append((t["reason"], printable(request.reason)))
    elif request.status == "approved" and request.reason:
        fields.append((t["note"], printable(request.reason)))
    sep = " : " if lang == "fr" else ": "
    lines += [f"{label}{sep}{value}" for label, value in fields]
    lines.append("")
    if request.status == "approved":
        key = f"approved_{request.kind}"
        if request.kind == "connect" and request.until is not None:
            key = "approved_connect_until"
        until = request.until.strftime("%d/%m/%Y") if request.until else ""
        lines.append(t[key].format(person=person, until=until))
    else:
        lines.append(t["rejected_next"])
    lines += ["", "--", t["footer"], ""]
    subject = t["subject"].format(kind=kind, decision=decision, person=person)
    return MailDraft(to=entity.email, subject=subject, body="\n".join(lines), language=lang)
