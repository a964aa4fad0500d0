"""argparse's own words ("usage:", its errors, its headings) in the reader's language."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator

from tui.i18n import N_, _, ngettext


@contextlib.contextmanager
def argparse_in_current_language() -> Iterator[None]:
    """argparse speaks from our catalog while our parsers are built and used.

    argparse looks up the module-level ``_`` and ``ngettext`` it took from gettext each time it
    words something (the headings when a parser is built, the errors when it parses), so
    pointing them at ours is enough. They follow ``set_language``; they are put back after,
    for any other argparse user in the process.
    """
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _, ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


# The msgids argparse asks for that a person can meet, copied exactly from Python 3.11's
# Lib/argparse.py (tests/unit/test_catalogs.py checks them against it). Marked here so that
# `make i18n` extracts them like ours; left out: errors only a programmer can cause.
WORDS = (
    N_("usage: "),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
)
PLURALS = (("expected %s argument", "expected %s arguments"),)


def _mark_plurals_for_extraction(n: int) -> list[str]:
    """Never called: extraction only sees a plural in an ngettext call."""
    return [ngettext("expected %s argument", "expected %s arguments", n)]
