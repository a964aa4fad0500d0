"""News of commits by LISTEN/NOTIFY: consoles learn of a change without asking the database."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Hashable

import psycopg

from store.pg.schema import CHANNEL

# After a lost connection, how long to wait before connecting again (doubling up to the last).
_BACKOFF = (0.2, 0.5, 1.0, 2.0, 5.0)


class NotifiedChanges:
    """A ChangeSource fed by one listening connection, on a thread of its own.

    ``token()`` answers from memory: the last generation notified, and how many times the
    connection was made (a reconnection may have missed a notification: the console reads
    again). While the database is unreachable the token says so, and changes when it is back.
    An idle store costs no query: the thread waits on its socket.
    """

    def __init__(self, url: str) -> None:
        self._url = url
        self._generation: str | None = None
        self._epoch = 0
        self._up = False
        self._closing = threading.Event()
        self._conn: psycopg.Connection[object] | None = None
        self._thread = threading.Thread(target=self._listen, name="vaccinnet-listen", daemon=True)
        self._ready = threading.Event()
        self._thread.start()
        # The first token already reflects a listening connection (or the lack of one).
        self._ready.wait(timeout=5.0)

    def token(self) -> Hashable:
        return (self._epoch, self._up, self._generation)

    @property
    def listening(self) -> bool:
        return self._up

    def close(self) -> None:
        self._closing.set()
        conn = self._conn
        if conn is not None:
            with contextlib.suppress(psycopg.Error):
                conn.cancel_safe(timeout=1.0)

    def _listen(self) -> None:
        attempt = 0
        while not self._closing.is_set():
            try:
                with psycopg.connect(self._url, autocommit=True) as conn:
                    self._conn = conn
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._epoch += 1
                    self._up = True
                    self._ready.set()
                    attempt = 0
                    while not self._closing.is_set():
                        # A timeout lets close() be noticed; nothing is sent meanwhile.
                        for note in conn.notifies(timeout=1.0):
                            self._generation = note.payload
            except psycopg.Error:
                pass
            finally:
                self._conn = None
                if self._up:
                    self._epoch += 1
                self._up = False
                self._ready.set()
            if self._closing.wait(_BACKOFF[min(attempt, len(_BACKOFF) - 1)]):
                return
            attempt += 1
