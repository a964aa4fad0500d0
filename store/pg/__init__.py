"""The PostgreSQL backend: the same documents in relational tables, for several hosts."""

from __future__ import annotations

import re

SCHEMES = ("postgresql://", "postgres://")


def is_url(location: object) -> bool:
    """Whether ``--data`` names a PostgreSQL database rather than a directory."""
    return isinstance(location, str) and location.startswith(SCHEMES)


_USERINFO_PASSWORD = re.compile(r"(?<=://)([^:/@?#]*):[^@/?#]*@")
_QUERY_PASSWORD = re.compile(r"([?&]password=)[^&#]*", re.IGNORECASE)


def has_password(url: str) -> bool:
    """Whether a URL carries a password (in its user part or as ``password=``)."""
    return bool(_USERINFO_PASSWORD.search(url) or _QUERY_PASSWORD.search(url))


def redacted(url: str) -> str:
    """The URL with any password replaced, for messages, logs and screens."""
    return _QUERY_PASSWORD.sub(r"\1***", _USERINFO_PASSWORD.sub(r"\1:***@", url))
