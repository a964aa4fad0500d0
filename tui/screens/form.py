"""The one way a form saves: once per press, a refusal kept in the form, the result as a message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from textual import events, on, work
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Select, Static

from rules import FieldProblems, RuleViolation
from store import StoreError
from tui.console import deliver
from tui.i18n import _, language
from tui.literal import literal
from tui.screens.base import ConsoleScreen
from tui.screens.confirm import ConfirmScreen
from tui.widgets.niss_field import NissField

FormT = TypeVar("FormT")
SavedT = TypeVar("SavedT")
ValueT = TypeVar("ValueT")


class FormIncomplete(Exception):
    """Something is missing before anything can reach the store; the text is for the person."""


class FieldError(Static):
    """A field's problem, right under the field; takes no line while there is none."""

    DEFAULT_CLASSES = "error field-error"

    def __init__(self, field: str) -> None:
        super().__init__("", id=f"{field}-error")
        self.field = field
        self.display = False

    def show(self, text: str) -> None:
        self.update(literal(text))
        self.display = bool(text)


def problem_texts(problems: FieldProblems) -> dict[str, str]:
    """The rules' problems as the person reads them, the first one of each field."""
    texts: dict[str, str] = {}
    for field, violation in problems:
        texts.setdefault(field, violation.message(language()))
    return texts


class SavingForm(ConsoleScreen[Any], Generic[FormT, SavedT]):
    """A screen with a form and a save action (``ctrl+s``, the ``#save`` button).

    The widgets are read on the UI thread (``read_form``), only the store call runs in a
    worker (``write``). Saving is never ``exclusive``: a second call would cancel the first,
    whose write still commits while its result is lost. While it runs, the save action and
    the button are off instead, and a refusal lands in the form with everything typed kept.
    """

    SAVE_BUTTON = "#save"
    saving = reactive(False, bindings=True)

    @dataclass
    class Saved(Message, Generic[ValueT], bubble=False):
        result: ValueT

    @dataclass
    class Refused(Message, bubble=False):
        violation: RuleViolation

    # ----- what a form says -------------------------------------------------------------------

    def field_problems(self) -> dict[str, str]:
        """Every field's problem at once (field → text), read on the UI thread; {} when none.

        Saving shows them all, each in its FieldError (or a NissField's hint); while some are
        shown, each change checks again, so that a fixed field loses its message at once.
        """
        return {}

    def read_form(self) -> FormT:
        """What was typed, read on the UI thread; raises FormIncomplete."""
        raise NotImplementedError

    def write(self, form: FormT) -> SavedT:
        """The store call, in a worker thread."""
        raise NotImplementedError

    def saved(self, result: SavedT) -> None:
        self.dismiss(result)

    def refused(self, violation: RuleViolation) -> None:
        self.show_problem(violation.message(language()))

    def show_problem(self, text: str) -> None:
        self.query_one("#form-error", Static).update(literal(text))

    def can_save(self) -> bool:
        return not self.saving

    # ----- the mechanics ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "save" and not self.can_save() else True

    def watch_saving(self) -> None:
        self.refresh_save()

    def refresh_save(self) -> None:
        """The button follows the action; call it when ``can_save`` changes for another reason."""
        for button in self.query(self.SAVE_BUTTON).results(Button):
            button.disabled = not self.can_save()

    def show_field_problems(self, problems: dict[str, str], saving: bool) -> None:
        for error in self.query(FieldError).results(FieldError):
            error.show(problems.get(error.field, ""))
        # A NISS field's hint follows its typing by itself; it is flagged on saving only.
        for niss in self.query(NissField).results(NissField):
            if saving and niss.field in problems:
                niss.flag(problems[niss.field])
        self.flagged = set(problems)

    def focus_first_problem(self, problems: dict[str, str]) -> None:
        """The first field in error takes the focus, unless the focused one is in error: what
        is typed next goes where it is needed (a date typed into a choice list is lost)."""
        in_error: list[Widget] = []
        for widget in self.query("NissField, FieldError"):
            if isinstance(widget, NissField) and widget.field in problems:
                in_error.append(widget)
            elif isinstance(widget, FieldError) and widget.field in problems and widget.parent:
                field = next((w for w in widget.parent.children if w.focusable), None)
                if field is not None:
                    in_error.append(field)
        focused = self.focused
        if not in_error or any(
            focused is w or (focused and focused in w.walk_children()) for w in in_error
        ):
            return
        in_error[0].focus()

    @on(Input.Changed)
    @on(Select.Changed)
    @on(NissField.Validated)
    def _recheck(self) -> None:
        if getattr(self, "flagged", None):
            self.show_field_problems(self.field_problems(), saving=False)

    def action_save(self) -> None:
        if not self.can_save():
            return
        problems = self.field_problems()
        self.show_field_problems(problems, saving=True)
        if problems:
            self.show_problem("")
            self.focus_first_problem(problems)
            return
        try:
            form = self.read_form()
        except FormIncomplete as missing:
            self.show_problem(str(missing))
            return
        self.show_problem("")
        self.saving = True
        self._write(form)

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @work(thread=True, group="save", exit_on_error=False)
    def _write(self, form: FormT) -> None:
        try:
            result = self.write(form)
        except RuleViolation as violation:
            deliver(self, self.Refused(violation))
        else:
            deliver(self, self.Saved(result))

    @on(Saved)
    def _saved(self, message: SavingForm.Saved[SavedT]) -> None:
        self.saving = False
        self.saved(message.result)

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        self.saving = False
        self.refused(message.violation)

    def work_failed(self, group: str, error: BaseException | None) -> None:
        if group == "save":
            self.saving = False
            # The toast goes after a while: the form keeps saying so. "May": a commit sent
            # as the connection dropped may have landed.
            if isinstance(error, StoreError):
                self.show_problem(
                    _(
                        "This may not have been saved: the data could not be reached. Once it "
                        "is back, check the list before saving again."
                    )
                )
            else:
                self.show_problem(_("This may not have been saved: check the list first."))


# ModalScreen first: see ConsoleModal.
class FormDialog(ModalScreen[Any], SavingForm[FormT, SavedT]):
    """A form in a dialog: saving dismisses it with the result; ``escape`` or Back with None,
    after asking when something was typed (a stray escape must not throw a form away)."""

    _at_start: tuple[object, ...] = ()

    @on(events.Mount)
    def _remember_the_start(self) -> None:
        self._at_start = self.typed()

    def typed(self) -> tuple[object, ...]:
        """What the fields hold now (a prefilled form starts with its values)."""
        return tuple(
            widget.value
            for widget in self.query("Input, Select")
            if isinstance(widget, Input | Select)
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if self.typed() == self._at_start:
            self.dismiss(None)
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.dismiss(None)

        question = _("Leave this form? What you typed will be lost.")
        self.app.push_screen(ConfirmScreen(question, agree=_("Leave")), answered)
