"""Choose the entity to work for: « être connecté à la bonne entité »."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from rules import Entity, Link, kind_label, printable, type_label
from tui.console import follow_language
from tui.i18n import N_, _, language
from tui.literal import literal
from tui.widgets.footer import TranslatedFooter


class EntityChoiceScreen(Screen[str | None]):
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="back", tooltip=N_("Keep the current entity")),
    ]

    def __init__(self, choices: list[tuple[Entity, Link]], current: str | None = None) -> None:
        super().__init__()
        self.choices = choices
        self.current = current

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        with Vertical(id="choice-body"):
            yield Static(id="choice-intro", classes="info")
            yield OptionList(id="entities")
        yield TranslatedFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        follow_language(self)

    def apply_language(self) -> None:
        lang = language()
        self.title = _("Choose your entity")
        self.sub_title = ""
        intro = _(
            "To connect or disconnect people, you must be working for the right entity: the "
            "one whose staff you want to change. Choose it and press Enter."
        )
        self.query_one("#choice-intro", Static).update(literal(intro))
        options = self.query_one("#entities", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options(
            Option(
                # The name's own line breaks must not pass for the second line.
                literal(
                    printable(entity.name),
                    # A sign and words, not a colour: the entity worked for until now.
                    "  " + _("✓ current entity") if entity.id == self.current else "",
                    "\n  ",
                    f"{kind_label(entity.kind, lang)} · {entity.id} · ",
                    _("your role: {type}").format(type=type_label(link.employee_type, lang)),
                ),
                id=entity.id,
            )
            for entity, link in self.choices
        )
        ids = [entity.id for entity, _link in self.choices]
        if highlighted is not None:
            options.highlighted = highlighted
        elif self.current in ids:
            options.highlighted = ids.index(self.current)
        else:
            options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected, "#entities")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "back" or self.current is not None

    def action_back(self) -> None:
        if self.current is not None:
            self.dismiss(None)
