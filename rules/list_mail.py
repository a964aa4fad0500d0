"""The entity's own staff list, sent to its own address as a CSV (staff cannot download over
SSH); at most once an hour, so that the key cannot flood a mailbox."""

from __future__ import annotations

from datetime import datetime, timedelta

from rules.bulk import export_csv
from rules.records import Entity, Link, MailDraft
from rules.requests import EntityState, check_manager
from rules.text import printable
from rules.violation import RuleViolation

EVERY = timedelta(hours=1)

_TEXT = {
    "fr": {
        "subject": "Vaccinnet\u00a0: liste des personnes liées à {entity}",
        "body": "Madame, Monsieur,\n\nVous trouverez en pièce jointe la liste des {count} "
        "personne(s) liée(s) à {entity} dans Vaccinnet au {when}, demandée par {name}.\n\n"
        "--\nCe message est envoyé automatiquement\u00a0; merci de ne pas y répondre.\n",
        "file": "personnel",
    },
    "nl": {
        "subject": "Vaccinnet: lijst van de personen gekoppeld aan {entity}",
        "body": "Geachte mevrouw, geachte heer,\n\nIn bijlage vindt u de lijst van de {count} "
        "perso(o)n(en) gekoppeld aan {entity} in Vaccinnet op {when}, aangevraagd door "
        "{name}.\n\n--\nDit bericht wordt automatisch verstuurd; gelieve er niet op te "
        "antwoorden.\n",
        "file": "personeel",
    },
}


def plan_list_mail(
    state: EntityState | None,
    actor_niss: str,
    now: datetime,
    local_now: datetime,
    last_sent: datetime | None,
) -> tuple[MailDraft, str, str]:
    """A doctor or pharmacist of the entity asks for its list by mail; once an hour."""
    actor = check_manager(state, actor_niss)
    assert state is not None
    if last_sent is not None and now - last_sent < EVERY:
        wait = EVERY - (now - last_sent)
        raise RuleViolation("list_mailed_recently", {"minutes": max(1, wait.seconds // 60)})
    return compose_list_mail(state.entity, state.links, actor, local_now)


def compose_list_mail(
    entity: Entity, links: tuple[Link, ...], actor: Link, local_now: datetime
) -> tuple[MailDraft, str, str]:
    """The mail, its attachment's file name and the CSV, in the entity's language."""
    lang = entity.language if entity.language in _TEXT else "fr"
    t = _TEXT[lang]
    name = printable(entity.name)
    body = t["body"].format(
        count=len(links),
        entity=name,
        when=local_now.strftime("%d/%m/%Y %H:%M"),
        name=printable(actor.full_name),
    )
    return (
        MailDraft(
            to=entity.email, subject=t["subject"].format(entity=name), body=body, language=lang
        ),
        f"{t['file']}-{entity.id}-{local_now:%Y%m%d}.csv",
        export_csv(links, lang),
    )
