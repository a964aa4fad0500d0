"""Data shown in a console: always literal text, never markup, never a raw control character."""

from __future__ import annotations

from textual.content import Content

from rules.text import printable


def literal(*parts: object, multiline: bool = True) -> Content:
    """One Content of ``parts`` joined, each shown as it is: ``[/]`` stays ``[/]``.

    Every widget that shows a name, reason, address, server answer or any other data is given
    the result of this function, never a plain string, which Textual would parse as markup.
    """
    return Content("".join(printable(part, multiline=multiline) for part in parts))
