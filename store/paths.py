"""Where the data directory is: --data, else $VACCINNET_DATA, else the user data directory."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("VACCINNET_DATA")
    if env:
        return Path(env).expanduser()
    # Imported only when needed: sessions and commands given --data start without it.
    from platformdirs import user_data_dir

    return Path(user_data_dir("vaccinnet-staff", appauthor=False))
