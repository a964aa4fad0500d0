"""The console's language: gettext catalogs for fr, nl and en, and Belgian dates."""

from __future__ import annotations

import errno
import gettext
from datetime import datetime
from pathlib import Path

from rules.dates import belgian_date, belgian_datetime
from rules.phrase import N_ as N_
from rules.phrase import Phrase
from rules.violation import RuleViolation
from rules.vocabulary import LANGUAGES as LANGUAGES
from store.engine import BRUSSELS as BRUSSELS
from store.errors import StoreError

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


# The system's own words for the failures a person meets (a full disk, no permission); any
# other error keeps the system's description. The msgids are strerror's, so English is as before.
_OS_PROBLEMS = {
    errno.ENOENT: N_("No such file or directory"),
    errno.EACCES: N_("Permission denied"),
    errno.EPERM: N_("Operation not permitted"),
    errno.ENOSPC: N_("No space left on device"),
    errno.EDQUOT: N_("Disk quota exceeded"),
    errno.EROFS: N_("Read-only file system"),
    errno.EISDIR: N_("Is a directory"),
    errno.ENOTDIR: N_("Not a directory"),
    errno.EEXIST: N_("File exists"),
    errno.ENOTEMPTY: N_("Directory not empty"),
    errno.EIO: N_("Input/output error"),
    errno.ELOOP: N_("Too many levels of symbolic links"),
    errno.ENAMETOOLONG: N_("File name too long"),
    errno.ECONNREFUSED: N_("Connection refused"),
    errno.ETIMEDOUT: N_("Connection timed out"),
}


def said(text: object) -> str:
    """What a lower layer said, in the current language: a Phrase is translated (and its
    values in turn), an OSError is the system's description, a RuleViolation its message, a
    StoreError its file and problem. Anything else is data (a path, a server's answer) and
    is returned as it is."""
    if isinstance(text, StoreError):
        return _("{file}: {problem}").format(file=said(text.path), problem=said(text.problem))
    if isinstance(text, Phrase):
        return _(text.msgid).format(**{k: said(v) for k, v in text.values.items()})
    if isinstance(text, OSError):
        known = _OS_PROBLEMS.get(text.errno or 0)
        return _(known) if known else text.strerror or str(text)
    if isinstance(text, RuleViolation):
        return text.message(_current)
    return str(text)


def local(moment: datetime) -> datetime:
    return moment.astimezone(BRUSSELS)


def fmt_date(moment: datetime | None) -> str:
    """27/11/2026 in Brussels time: the form both Belgian communities read."""
    return belgian_date(local(moment)) if moment else ""


def fmt_datetime(moment: datetime | None) -> str:
    return belgian_datetime(local(moment)) if moment else ""
