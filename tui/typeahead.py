"""Keys that arrive together are handled in turn, each where the key before left the focus."""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable

from textual import events
from textual.app import App
from textual.dom import DOMNode
from textual.message_pump import MessagePump

# A key whose handling could not be followed to its end (a node closed on the way) must not
# hold up typing: after this long the next key goes anyway.
WATCHDOG = 0.5
# Rounds of waiting along the key's path: the first sees the key itself handled, the second
# what its handling posted (Input.Submitted moving the focus, a binding's action).
ROUNDS = 2


class Typeahead:
    """Stock Textual routes each key to the widget focused when the key is read. A burst over a
    slow link (`NISS Tab Alpha Tab Beta` in one read) is therefore routed entirely before the
    Tab has moved the focus, a new dialog has mounted, or a filter box has taken the focus: the
    letters go to the NISS field (which refuses them) or to the list behind a dialog.

    Here the app routes one key, then waits until every node the key passed through (and the
    app, where bindings run) has handled it and what that posted, and until a screen the key
    opened has mounted and taken its focus; only then is the next key routed.
    """

    def __init__(self, app: App[None], route: Callable[[events.Key], Awaitable[None]]) -> None:
        self.app, self.route = app, route
        self.waiting: deque[events.Key] = deque()
        self.busy = False
        self.serial = 0

    async def key(self, event: events.Key) -> None:
        self.waiting.append(event)
        if not self.busy:
            await self._next()

    async def _next(self) -> None:
        if not self.waiting:
            self.busy = False
            return
        self.busy = True
        self.serial += 1
        serial = self.serial
        event = self.waiting.popleft()
        screen = self.app.screen
        target: DOMNode = self.app.focused or screen
        await self.route(event)
        self.app.set_timer(WATCHDOG, lambda: self._done(serial))
        self._follow(self._path(target), ROUNDS, screen, serial)

    def _path(self, node: DOMNode | None) -> list[MessagePump]:
        path: list[MessagePump] = []
        while node is not None and node is not self.app:
            path.append(node)
            node = node.parent
        return path

    def _follow(self, path: list[MessagePump], rounds: int, screen: object, serial: int) -> None:
        """Wait on each node of ``path`` in turn (their queues are FIFO), then on the app."""
        if serial != self.serial:
            return
        for index, node in enumerate(path):
            rest = path[index + 1 :]
            if node.call_later(self._follow, rest, rounds, screen, serial):
                return
        # Every node handled the key; the app's queue holds what it bubbled up.
        self.app.call_later(self._round_done, rounds - 1, screen, serial)

    def _round_done(self, rounds: int, screen: object, serial: int) -> None:
        if serial != self.serial:
            return
        current = self.app.screen
        if current is not screen:
            # The key opened or closed a screen: once it has mounted and focused, go on.
            self._follow([current], rounds, current, serial)
        elif rounds > 0:
            focused = self.app.focused
            self._follow(self._path(focused or current), rounds, screen, serial)
        else:
            self._done(serial)

    def _done(self, serial: int) -> None:
        if serial == self.serial:
            self.serial += 1  # a late watchdog or round for this key does nothing
            self.app.call_later(self._next)
