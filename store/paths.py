"""Where the store is: --data, else $VACCINNET_DATA, else the user data directory."""

from __future__ import annotations

import os
import re
from pathlib import Path

from store.pg import redacted

# A data directory, or a PostgreSQL URL (store/pg/).
Location = Path | str


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Location:
    if explicit:
        return _location(explicit)
    env = os.environ.get("VACCINNET_DATA")
    if env:
        return _location(env)
    # Imported only when needed: sessions and commands given --data start without it.
    from platformdirs import user_data_dir

    return Path(user_data_dir("vaccinnet-staff", appauthor=False))


# What looks like a connection string rather than a directory: another or a mistyped scheme
# (``pg://``, ``Postgresql:/``), or libpq's key=value form. Taken for a directory, it would
# become one, named after the password it may hold.
_NOT_A_DIRECTORY = re.compile(
    r"^[A-Za-z][A-Za-z0-9+.-]*:/|(^|\s)(host|hostaddr|port|dbname|user|password|service)=",
    re.IGNORECASE,
)


class LocationError(ValueError):
    """``--data`` is neither a directory nor a ``postgresql://`` URL (args: what was given,
    already without its password)."""


def _location(text: str | os.PathLike[str]) -> Location:
    if isinstance(text, str):
        scheme, sep, rest = text.partition("://")
        if sep and scheme.lower() in ("postgresql", "postgres"):
            return "postgresql://" + rest
        if _NOT_A_DIRECTORY.search(text):
            raise LocationError(redacted(text))
    return Path(text).expanduser()


def mail_home(location: Location) -> Path:
    """Where mail.toml and the Maildir are: the data directory; for a database, which has
    none, $VACCINNET_MAIL_DIR, else the user data directory of the service account."""
    if isinstance(location, Path):
        return location
    env = os.environ.get("VACCINNET_MAIL_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("vaccinnet-staff", appauthor=False))
