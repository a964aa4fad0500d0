"""Text that came from a person, a file or a server, made safe to show: no control characters."""

from __future__ import annotations

import unicodedata

# Bidi embeddings, overrides and isolates can reorder what a reader sees (CVE-2021-42574);
# line and paragraph separators break a terminal line like a newline would.
_INVISIBLE_FORMATTING = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029"
)


def is_unsafe_char(ch: str) -> bool:
    """C0 and C1 controls, DEL, and the bidi/separator marks that rewrite what is seen."""
    return unicodedata.category(ch) == "Cc" or ch in _INVISIBLE_FORMATTING


def has_unsafe_chars(text: str) -> bool:
    return any(is_unsafe_char(ch) for ch in text)


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(value: object, multiline: bool = False) -> str:
    """``value`` as text with every control character shown as a visible escape (``\\x1b``).

    The one place where data becomes displayable text, for consoles, CLI output and mails alike.
    With ``multiline``, newlines and tabs are kept; otherwise a newline becomes a space.
    """
    text = "" if value is None else str(value)
    if not has_unsafe_chars(text):
        return text
    out = []
    for ch in text:
        if multiline and ch in "\n\t":
            out.append(ch)
        elif ch in "\n\t\r" and not multiline:
            out.append(" ")
        elif is_unsafe_char(ch):
            out.append(_escape(ch))
        else:
            out.append(ch)
    return "".join(out)


def fold(value: object) -> str:
    """Text as a search compares it: case and accents ignored ("lelievre" finds Lelièvre)."""
    decomposed = unicodedata.normalize("NFKD", str(value).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()
