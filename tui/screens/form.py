"""The one way a form saves: once per press, a refusal kept in the form, the result as a message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from textual import on, work
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from rules import RuleViolation
from tui.console import deliver
from tui.i18n import language
from tui.literal import literal
from tui.screens.base import ConsoleScreen

FormT = TypeVar("FormT")
SavedT = TypeVar("SavedT")
ValueT = TypeVar("ValueT")


class FormIncomplete(Exception):
    """Something is missing before anything can reach the store; the text is for the person."""


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

    def action_save(self) -> None:
        if not self.can_save():
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


# ModalScreen first: see ConsoleModal.
class FormDialog(ModalScreen[Any], SavingForm[FormT, SavedT]):
    """A form in a dialog: saving dismisses it with the result; ``escape`` or Back with None."""

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
