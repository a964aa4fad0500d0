"""A realistic demo store: entities of every kind, a few dozen people, requests in every state."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from rules import NewEntity, make_niss
from store.engine import BRUSSELS
from store.store import Store, open_store

DEMO_DOCTOR = make_niss("760412", 137)  # Dr Jean Dupont, linked to two entities
DEMO_PHARMACIST = make_niss("820925", 244)
DEMO_NURSE = make_niss("930303", 62)
DEMO_NEWCOMER = make_niss("880808", 311)  # a doctor with no link yet
DEMO_ADMINS = (("admin", "Anne Lambert"), ("admin2", "Koen Peeters"))
# Where the admins' daily digest of overdue requests goes (the demo's mails stay in its Maildir).
DEMO_ADMIN_EMAILS = {"admin": "anne.lambert@vaccinnet.example"}

_FIRST = [
    "Marie",
    "Lucas",
    "Emma",
    "Noah",
    "Louise",
    "Arthur",
    "Olivia",
    "Jules",
    "Elise",
    "Victor",
    "Lotte",
    "Wout",
    "Fien",
    "Mathis",
    "Chloé",
    "Hélène",
    "Sofie",
    "Bram",
    "Inès",
    "Thibault",
    "Zoë",
    "Rania",
    "Jan",
    "Anaïs",
    "Pieter",
    "Nora",
    "Youssef",
]
_LAST = [
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Willems",
    "Dubois",
    "Lambert",
    "Dupont",
    "Claes",
    "Goossens",
    "Wouters",
    "De Smet",
    "Lemaire",
    "Mertens",
    "Van den Broeck",
    "Leclercq",
    "D'Hondt",
    "El Amrani",
    "Vandenberghe",
    "Renard",
    "Hermans",
    "Desmet",
    "Michel",
    "Fontaine",
    "Verhoeven",
    "Simon",
    "Martin",
]

# id, name, kind, e-mail, language, manager (niss, last, first, type), other people by type
_ENTITIES = [
    (
        "cab-dupont",
        "Cabinet médical Dupont",
        "cabinet_medical",
        "secretariat@cabinet-dupont.be",
        "fr",
        (DEMO_DOCTOR, "Dupont", "Jean", "medecin"),
        ["medecin", "macg", "macg", "infirmier", "administratif", "administratif"],
    ),
    (
        "wzc-zonneweide",
        "WZC Zonneweide",
        "maison_de_repos",
        "directie@zonneweide.be",
        "nl",
        (make_niss("690130", 55), "Janssens", "Pieter", "medecin"),
        ["infirmier", "infirmier", "infirmier", "administratif", "medecin"],
    ),
    (
        "pharma-lelievre",
        "Pharmacie Lelièvre",
        "pharmacie",
        "officine@pharmacie-lelievre.be",
        "fr",
        (DEMO_PHARMACIST, "Lelièvre", "Sophie", "pharmacien"),
        ["pharmacien", "assistant_pharma", "assistant_pharma", "administratif"],
    ),
    (
        "az-sint-jan",
        "AZ Sint-Jan Brugge",
        "hopital",
        "vaccinatie@azsintjan.be",
        "nl",
        (make_niss("710511", 81), "Vermeulen", "Katrien", "medecin"),
        [
            "medecin",
            "infirmier",
            "infirmier",
            "infirmier",
            "sage_femme",
            "sage_femme",
            "pharmacien",
            "administratif",
        ],
    ),
    (
        "cv-namur",
        "Centre de vaccination de Namur",
        "centre_de_vaccination",
        "cv@namur.be",
        "fr",
        (make_niss("800229", 17), "Lemoine", "Claire", "medecin"),
        ["infirmier", "infirmier", "administratif", "pharmacien"],
    ),
    (
        "mdt-antwerpen",
        "Arbeidsgeneeskundige dienst Antwerpen",
        "medecine_du_travail",
        "info@adg-antwerpen.be",
        "nl",
        (make_niss("650718", 93), "De Vos", "Marc", "medecin"),
        ["infirmier", "administratif"],
    ),
]


@dataclass
class DemoClock:
    """Demo history spread over the last weeks, a few hours between events."""

    moment: datetime
    rng: random.Random
    still: bool = False  # stopped at the present, for what happens "now"

    def __call__(self) -> datetime:
        if not self.still:
            self.moment += timedelta(minutes=self.rng.randint(20, 600))
        return self.moment


def _people(rng: random.Random) -> Iterator[tuple[str, str, str]]:
    serial = 400
    while True:
        serial += rng.randint(1, 9)
        birth = datetime(1955, 1, 1) + timedelta(days=rng.randint(0, 16000))
        niss = make_niss(birth.strftime("%y%m%d"), serial % 997 + 1)
        yield niss, rng.choice(_LAST), rng.choice(_FIRST)


def build_demo(data_dir: str | Path, now: datetime, seed: int = 2026) -> Store:
    """Fill an empty store through the real API, so the audit trail tells the whole story."""
    rng = random.Random(seed)
    # The entities were set up long enough ago for one forgotten request to have expired.
    clock = DemoClock(now - timedelta(days=100), rng)
    store = open_store(data_dir, clock=clock)
    if store.counts()["audit"]:
        raise ValueError(f"{data_dir} already holds a store; choose an empty directory")
    for admin_id, name in DEMO_ADMINS:
        store.add_admin(admin_id, name, email=DEMO_ADMIN_EMAILS.get(admin_id))
    people = _people(rng)
    # Placements end: the first GP trainee's in ten days (housekeeping warns the practice),
    # the others' in the summer.
    placements = iter([(now + timedelta(days=10)).date()])
    for entity_id, name, kind, email, lang, manager, types in _ENTITIES:
        manager_niss, manager_last, manager_first, manager_type = manager
        new = NewEntity(
            entity_id=entity_id,
            name=name,
            kind=kind,
            email=email,
            language=lang,
            manager_niss=manager_niss,
            manager_last_name=manager_last,
            manager_first_name=manager_first,
            manager_type=manager_type,
        )
        store.create_entity("admin", new)
        for employee_type in types:
            niss, last, first = next(people)
            filer = manager[0]
            until = None
            if employee_type == "macg":
                until = next(placements, (now + timedelta(days=200)).date())
            request = store.file_connect(
                filer, entity_id, niss, last, first, employee_type, until=until
            )
            store.approve(rng.choice(DEMO_ADMINS)[0], request.id)
    # Filed some 70 days ago and never decided: housekeeping expires it (below).
    niss, last, first = next(people)
    store.file_connect(DEMO_DOCTOR, "cab-dupont", niss, last, first, "administratif")
    # The rest of the story happens over the last weeks.
    clock.moment = max(clock.moment, now - timedelta(days=45))
    # The demo doctor also coordinates the nursing home: two entities to choose from.
    zonneweide_manager = _ENTITIES[1][5][0]
    linked = store.file_connect(
        zonneweide_manager, "wzc-zonneweide", DEMO_DOCTOR, "Dupont", "Jean", "medecin"
    )
    store.approve("admin2", linked.id)
    nurse = store.file_connect(
        DEMO_DOCTOR, "cab-dupont", DEMO_NURSE, "Mertens", "Sofie", "infirmier"
    )
    store.approve("admin", nurse.id)
    # History: a rejection and a deletion, then work still waiting for an administrator.
    niss, last, first = next(people)
    wrong = store.file_connect(DEMO_DOCTOR, "cab-dupont", niss, last, first, "sage_femme")
    store.reject("admin", wrong.id, "Cette personne ne travaille pas au cabinet.")
    niss, last, first = next(people)
    twice = store.file_connect(
        DEMO_PHARMACIST, "pharma-lelievre", niss, last, first, "assistant_pharma"
    )
    store.delete("admin2", twice.id)
    for entity_id, _, _, _, _, manager, _ in _ENTITIES:
        niss, last, first = next(people)
        store.file_connect(manager[0], entity_id, niss, last, first, "infirmier")
    leaving = [lk for lk in store.staff("az-sint-jan") if lk.employee_type == "sage_femme"]
    store.file_disconnect(_ENTITIES[3][5][0], "az-sint-jan", [leaving[0].niss])
    macg = [lk.niss for lk in store.staff("cab-dupont") if lk.employee_type == "macg"]
    store.file_disconnect(DEMO_DOCTOR, "cab-dupont", macg[:1])
    # As the housekeeping service does it today: the forgotten request expires (its mail
    # queued), and on a working day from 07:00 the admins' digest of overdue ones leaves.
    clock.moment, clock.still = max(clock.moment, now), True
    # This year's staff review is open: the pharmacy has started it, the others not yet.
    store.open_review("admin", (now + timedelta(days=21)).astimezone(BRUSSELS).date())
    pharmacy = [lk.niss for lk in store.staff("pharma-lelievre")]
    store.confirm_staff(DEMO_PHARMACIST, "pharma-lelievre", pharmacy[:2])
    store.housekeeping()
    return store
