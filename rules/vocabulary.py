"""Employee types, entity kinds and request kinds, with their labels in fr, nl and en."""

from __future__ import annotations

LANGUAGES = ("fr", "nl", "en")
ENTITY_LANGUAGES = ("fr", "nl")

EMPLOYEE_TYPES: dict[str, dict[str, str]] = {
    "medecin": {"fr": "médecin", "nl": "arts", "en": "doctor"},
    "pharmacien": {"fr": "pharmacien", "nl": "apotheker", "en": "pharmacist"},
    "macg": {"fr": "MACG", "nl": "HAIO", "en": "GP trainee"},
    "infirmier": {"fr": "infirmier·ère", "nl": "verpleegkundige", "en": "nurse"},
    "sage_femme": {"fr": "sage-femme", "nl": "vroedvrouw", "en": "midwife"},
    "administratif": {
        "fr": "collaborateur administratif",
        "nl": "administratief medewerker",
        "en": "administrative staff",
    },
    "assistant_pharma": {
        "fr": "assistant pharmaceutico-technique",
        "nl": "farmaceutisch-technisch assistent",
        "en": "pharmacy technician",
    },
}

# Only these may file requests for their entity (and so manage it).
MANAGER_TYPES = frozenset({"medecin", "pharmacien"})

# A GP practice employs no pharmacists and a pharmacy no doctors, GP trainees or midwives
# (nurses and administrative staff work at both); hospitals, nursing homes, vaccination
# centres and occupational health services employ every type.
KIND_TYPES: dict[str, frozenset[str]] = {
    "cabinet_medical": frozenset({"medecin", "macg", "infirmier", "sage_femme", "administratif"}),
    "pharmacie": frozenset({"pharmacien", "assistant_pharma", "infirmier", "administratif"}),
}

ENTITY_KINDS: dict[str, dict[str, str]] = {
    "cabinet_medical": {"fr": "cabinet médical", "nl": "huisartsenpraktijk", "en": "GP practice"},
    "pharmacie": {"fr": "pharmacie", "nl": "apotheek", "en": "pharmacy"},
    "hopital": {"fr": "hôpital", "nl": "ziekenhuis", "en": "hospital"},
    "maison_de_repos": {"fr": "maison de repos", "nl": "woonzorgcentrum", "en": "nursing home"},
    "medecine_du_travail": {
        "fr": "médecine du travail",
        "nl": "arbeidsgeneeskunde",
        "en": "occupational health",
    },
    "centre_de_vaccination": {
        "fr": "centre de vaccination",
        "nl": "vaccinatiecentrum",
        "en": "vaccination centre",
    },
}

REQUEST_KINDS: dict[str, dict[str, str]] = {
    "connect": {
        "fr": "demande de connexion",
        "nl": "koppelingsaanvraag",
        "en": "connection request",
    },
    "disconnect": {
        "fr": "demande de déconnexion",
        "nl": "ontkoppelingsaanvraag",
        "en": "disconnection request",
    },
    "extend": {
        "fr": "demande de prolongation",
        "nl": "verlengingsaanvraag",
        "en": "extension request",
    },
}

STATUSES: dict[str, dict[str, str]] = {
    "pending": {"fr": "en attente", "nl": "in behandeling", "en": "pending"},
    "approved": {"fr": "approuvée", "nl": "goedgekeurd", "en": "approved"},
    "rejected": {"fr": "rejetée", "nl": "afgewezen", "en": "rejected"},
    "deleted": {"fr": "supprimée", "nl": "verwijderd", "en": "deleted"},
    "withdrawn": {"fr": "retirée", "nl": "ingetrokken", "en": "withdrawn"},
    "expired": {"fr": "expirée", "nl": "vervallen", "en": "expired"},
}


def _label(table: dict[str, dict[str, str]], code: str, lang: str) -> str:
    labels = table.get(code)
    if labels is None:
        return code
    return labels.get(lang) or labels["fr"]


def type_label(code: str, lang: str = "fr") -> str:
    return _label(EMPLOYEE_TYPES, code, lang)


def kind_label(code: str, lang: str = "fr") -> str:
    return _label(ENTITY_KINDS, code, lang)


def request_kind_label(code: str, lang: str = "fr") -> str:
    return _label(REQUEST_KINDS, code, lang)


def status_label(code: str, lang: str = "fr") -> str:
    return _label(STATUSES, code, lang)


def fits_kind(employee_type: str, entity_kind: str) -> bool:
    """Whether an entity of this kind employs people of this type."""
    allowed = KIND_TYPES.get(entity_kind)
    return allowed is None or employee_type in allowed


def is_manager(employee_type: str) -> bool:
    return employee_type in MANAGER_TYPES
