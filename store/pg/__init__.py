"""The PostgreSQL backend: the same documents in relational tables, for several hosts."""

from __future__ import annotations

import re

SCHEMES = ("postgresql://", "postgres://")


def is_url(location: object) -> bool:
    """Whether ``--data`` names a PostgreSQL database rather than a directory."""
    return isinstance(location, str) and location.startswith(SCHEMES)


# A password in a URL's user part (``user:pw@``, after ``//`` or a mistyped single ``/``), and
# in a query or key=value form (``password=…``).
_USERINFO_PASSWORD = re.compile(r"(^|[/\s])([^:/@?#\s]*):[^@/?#\s]*@")
_PASSWORD_FIELD = re.compile(r"(password\s*=\s*)('[^']*'|[^&#\s]+)", re.IGNORECASE)


def has_password(url: str) -> bool:
    """Whether a connection string carries a password (in its user part or as ``password=``)."""
    return bool(_USERINFO_PASSWORD.search(url) or _PASSWORD_FIELD.search(url))


def redacted(url: str) -> str:
    """The connection string with any password replaced, for messages, logs and screens."""
    return _PASSWORD_FIELD.sub(r"\1***", _USERINFO_PASSWORD.sub(r"\1\2:***@", url))
