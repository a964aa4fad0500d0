"""A national register number input that validates and formats as the person types."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from rules import RuleViolation, format_niss, normalize_niss
from tui.i18n import _, language
from tui.literal import literal


class NissField(Vertical):
    """Input plus a hint line: progress, the formatted number, or the precise reason."""

    @dataclass
    class Validated(Message):
        field: NissField
        niss: str | None

        @property
        def control(self) -> NissField:
            return self.field

    def __init__(self, *, id: str | None = None, field: str = "niss") -> None:
        super().__init__(id=id, classes="niss-field")
        self.niss: str | None = None
        self.field = field  # the name a form's problems give it

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder=_("YY.MM.DD-SSS.CC"),
            restrict=r"[0-9 .\-]*",
            max_length=20,
            id="niss-input",
            compact=True,
        )
        yield Static("", id="niss-hint", classes="hint")

    def on_mount(self) -> None:
        self.check(final=False)

    @property
    def input(self) -> Input:
        return self.query_one("#niss-input", Input)

    def focus(self, scroll_visible: bool = True) -> NissField:
        self.input.focus(scroll_visible)
        return self

    @on(Input.Changed, "#niss-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.check(final=False)

    @on(Input.Blurred, "#niss-input")
    def _blurred(self, event: Input.Blurred) -> None:
        self.check(final=True)

    def flag(self, text: str) -> None:
        """A form's problem with this number, shown in the hint until the next keystroke."""
        hint = self.query_one("#niss-hint", Static)
        hint.remove_class("ok")
        hint.add_class("error")
        hint.update(literal(text))

    def check(self, final: bool) -> str | None:
        """Validate the current text; ``final`` also reports a number that is too short."""
        hint = self.query_one("#niss-hint", Static)
        raw = self.input.value
        digits = "".join(ch for ch in raw if ch.isdigit())
        self.niss = None
        hint.remove_class("error", "ok")
        if not digits:
            hint.update(literal(_("11 digits: YY.MM.DD-SSS.CC")) if not final else "")
        elif len(digits) < 11 and not final:
            hint.update(
                literal(
                    _("{typed} ({count}/11 digits)").format(
                        typed=format_niss(digits), count=len(digits)
                    )
                )
            )
        else:
            try:
                self.niss = normalize_niss(raw)
            except RuleViolation as refusal:
                hint.update(literal(refusal.message(language())))
                hint.add_class("error")
            else:
                formatted = format_niss(self.niss)
                hint.update(literal(f"✓ {formatted}"))
                hint.add_class("ok")
                if raw != formatted:
                    with self.input.prevent(Input.Changed):
                        self.input.value = formatted
                        self.input.cursor_position = len(formatted)
        self.post_message(self.Validated(self, self.niss))
        return self.niss
