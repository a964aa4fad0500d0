"""The reminder an entity gets when its yearly staff review is not finished."""

from __future__ import annotations

from rules.recertification import Campaign, Progress
from rules.records import Entity, MailDraft
from rules.text import printable

_TEXT = {
    "fr": {
        "subject": "Vaccinnet\u00a0: revue annuelle de vos employés à finir pour le {due}",
        "subject.0": "Vaccinnet\u00a0: revue annuelle de vos employés à finir aujourd'hui",
        "greeting": "Madame, Monsieur,",
        "body": "La revue annuelle des personnes liées à {entity} dans Vaccinnet doit être "
        "finie pour le {due}. {done} personne(s) sur {total} sont confirmées.",
        "how": "Un médecin ou pharmacien de l'entité ouvre Mes employés\u00a0: c confirme "
        "que la personne sous le curseur travaille toujours chez vous, C confirme toutes les "
        "autres, d demande la déconnexion de qui n'y travaille plus.",
        "footer": "Ce message est envoyé automatiquement\u00a0; merci de ne pas y répondre.",
    },
    "nl": {
        "subject": "Vaccinnet: jaarlijkse controle van uw medewerkers af te ronden tegen {due}",
        "subject.0": "Vaccinnet: jaarlijkse controle van uw medewerkers vandaag af te ronden",
        "greeting": "Geachte mevrouw, geachte heer,",
        "body": "De jaarlijkse controle van de personen gekoppeld aan {entity} in Vaccinnet "
        "moet afgerond zijn tegen {due}. {done} van de {total} personen zijn bevestigd.",
        "how": "Een arts of apotheker van de entiteit opent Mijn medewerkers: c bevestigt dat "
        "de persoon onder de cursor nog bij u werkt, C bevestigt alle anderen, d vraagt de "
        "ontkoppeling aan van wie er niet meer werkt.",
        "footer": "Dit bericht wordt automatisch verstuurd; gelieve er niet op te antwoorden.",
    },
}


def compose_review_reminder(
    entity: Entity, campaign: Campaign, days: int, done: Progress
) -> MailDraft:
    lang = entity.language if entity.language in _TEXT else "fr"
    t = _TEXT[lang]
    due = campaign.due.strftime("%d/%m/%Y")
    body = [
        t["greeting"],
        "",
        t["body"].format(entity=printable(entity.name), due=due, done=done.done, total=done.total),
        "",
        t["how"],
        "",
        "--",
        t["footer"],
        "",
    ]
    subject = t["subject.0" if days == 0 else "subject"].format(due=due)
    return MailDraft(to=entity.email, subject=subject, body="\n".join(body), language=lang)
