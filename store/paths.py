"""Where the store is: --data, else $VACCINNET_DATA, else the user data directory."""

from __future__ import annotations

import os
from pathlib import Path

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


def _location(text: str | os.PathLike[str]) -> Location:
    if isinstance(text, str) and text.startswith(("postgresql://", "postgres://")):
        return text
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
