"""The e-mails an entity receives about a link's end date: soon, ended, or kept."""

from __future__ import annotations

from collections.abc import Sequence

from rules.niss import mask_niss
from rules.records import Entity, Link, MailDraft
from rules.text import printable
from rules.violation import RuleViolation
from rules.vocabulary import type_label

_TEXT = {
    "fr": {
        "subject.warning": "Vaccinnet\u00a0: le lien de {person} finit le {until}",
        "subject.ended": "Vaccinnet\u00a0: {person} n'est plus lié(e) à {entity}",
        "subject.held": "Vaccinnet\u00a0: le lien de {person} est gardé après le {until}",
        "greeting": "Madame, Monsieur,",
        "warning.14": "Le lien de {person} ({type}) avec {entity} dans Vaccinnet finit le "
        "{until}, dans 14\u00a0jours.",
        "warning.1": "Le lien de {person} ({type}) avec {entity} dans Vaccinnet finit demain, "
        "le {until}.",
        "warning.next": "Pour le prolonger, un médecin ou pharmacien de l'entité introduit une "
        "demande de prolongation dans Mes employés\u00a0; un administrateur l'approuve.",
        "ended": "Le lien de {person} ({type}) avec {entity} a pris fin le {until}\u00a0: "
        "cette personne n'est plus liée à votre entité dans Vaccinnet.",
        "orphans": "Ces MACG n'ont plus de médecin responsable dans l'entité\u00a0: {names}.",
        "held": "Le lien de {person} ({type}) avec {entity} devait finir le {until}, mais il "
        "est gardé\u00a0: {reason} Liez d'abord une autre personne, ou prolongez ce lien\u00a0; "
        "les administrateurs en sont informés.",
        "footer": "Ce message est envoyé automatiquement\u00a0; merci de ne pas y répondre.",
    },
    "nl": {
        "subject.warning": "Vaccinnet: de koppeling van {person} eindigt op {until}",
        "subject.ended": "Vaccinnet: {person} is niet langer gekoppeld aan {entity}",
        "subject.held": "Vaccinnet: de koppeling van {person} blijft na {until}",
        "greeting": "Geachte mevrouw, geachte heer,",
        "warning.14": "De koppeling van {person} ({type}) met {entity} in Vaccinnet eindigt op "
        "{until}, over 14 dagen.",
        "warning.1": "De koppeling van {person} ({type}) met {entity} in Vaccinnet eindigt "
        "morgen, {until}.",
        "warning.next": "Om ze te verlengen, dient een arts of apotheker van de entiteit een "
        "verlengingsaanvraag in via Mijn medewerkers; een beheerder keurt ze goed.",
        "ended": "De koppeling van {person} ({type}) met {entity} is geëindigd op {until}: "
        "deze persoon is niet langer gekoppeld aan uw entiteit in Vaccinnet.",
        "orphans": "Deze HAIO's hebben geen verantwoordelijke arts meer in de entiteit: {names}.",
        "held": "De koppeling van {person} ({type}) met {entity} moest eindigen op {until}, "
        "maar blijft behouden: {reason} Koppel eerst iemand anders, of verleng deze "
        "koppeling; de beheerders zijn op de hoogte.",
        "footer": "Dit bericht wordt automatisch verstuurd; gelieve er niet op te antwoorden.",
    },
}


def compose_link_mail(
    entity: Entity,
    link: Link,
    event: str,
    days: int | None = None,
    refusal: RuleViolation | None = None,
    orphans: Sequence[Link] = (),
) -> MailDraft:
    """``event``: warning (``days`` 14 or 1), ended (with the GP trainees left without their
    supervisor) or held (with the rule that keeps it)."""
    assert link.until is not None
    lang = entity.language if entity.language in _TEXT else "fr"
    t = _TEXT[lang]
    # The entity's own colleague: named as its staff list shows them, never a whole NISS.
    person = f"{printable(link.full_name)} ({mask_niss(link.niss)})"
    values = {
        "person": person,
        "type": type_label(link.employee_type, lang),
        "entity": printable(entity.name),
        "until": link.until.strftime("%d/%m/%Y"),
    }
    lines = [t["greeting"], ""]
    if event == "warning":
        lines += [t[f"warning.{days}"].format(**values), "", t["warning.next"]]
    elif event == "ended":
        lines.append(t["ended"].format(**values))
        if orphans:
            names = ", ".join(printable(o.full_name) for o in orphans)
            lines += ["", t["orphans"].format(names=names)]
    else:
        assert refusal is not None
        lines.append(t["held"].format(**values, reason=refusal.message(lang)))
    lines += ["", "--", t["footer"], ""]
    subject = t[f"subject.{event}"].format(**values)
    return MailDraft(to=entity.email, subject=subject, body="\n".join(lines), language=lang)
