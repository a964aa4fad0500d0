"""Where the data directory is: --data, else $VACCINNET_DATA, else the user data directory."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("VACCINNET_DATA")
    if env:
        return Path(env).expanduser()
    return Path(user_data_dir("vaccinnet-staff", appauthor=False))
