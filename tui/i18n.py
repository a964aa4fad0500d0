"""The console's language: gettext catalogs for fr, nl and en, and Belgian dates."""

from __future__ import annotations

import gettext
from datetime import datetime
from pathlib import Path

from rules.dates import belgian_date, belgian_datetime
from rules.vocabulary import LANGUAGES as LANGUAGES
from store.engine import BRUSSELS as BRUSSELS

DOMAIN = "vaccinnet"
LOCALE_DIR = Path(__file__).parent / "locale"

_catalogs: dict[str, gettext.NullTranslations] = {}
_current = "fr"


def _catalog(lang: str) -> gettext.NullTranslations:
    if lang not in _catalogs:
        # English msgids are the fallback; tests prove every catalog is complete.
        _catalogs[lang] = gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)
    return _catalogs[lang]


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}")
    _catalog(lang)
    _current = lang


def language() -> str:
    return _current


def next_language(lang: str) -> str:
    return LANGUAGES[(LANGUAGES.index(lang) + 1) % len(LANGUAGES)]


def _(message: str) -> str:
    """Translate into the console's current language."""
    return _catalog(_current).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form for ``n`` in the console's language: « 1 personne », « 2 personnes »."""
    return _catalog(_current).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown."""
    return message


def local(moment: datetime) -> datetime:
    return moment.astimezone(BRUSSELS)


def fmt_date(moment: datetime | None) -> str:
    """27/11/2026 in Brussels time: the form both Belgian communities read."""
    return belgian_date(local(moment)) if moment else ""


def fmt_datetime(moment: datetime | None) -> str:
    return belgian_datetime(local(moment)) if moment else ""
