"""A failover, simulated: the database stops in the middle of writes and of a notifier's
round, then starts again. Nothing acknowledged is lost and no mail is sent twice."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from rules import make_niss
from store import StoreBusy, open_store
from tests.conftest import DOCTOR, add_practice
from tests.functional.smtp_server import Slow
from tests.functional.test_notify import smtp_config

pytestmark = pytest.mark.slow
WATCH = ("--watch", "--interval", "1")


def test_writes_and_mails_survive_the_database_going_away(own_cluster, smtp, tmp_path, monkeypatch):
    url = own_cluster.url()
    store = open_store(url)
    store.add_admin("adm", "Anne Admin")
    add_practice(store)
    monkeypatch.setenv("VACCINNET_MAIL_DIR", str(tmp_path / "mail"))
    port, start = smtp
    handler = Slow()
    start(handler)
    smtp_config(tmp_path / "mail", port)
    notifier = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "--lang", "en", "notify", *WATCH, "--data", url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    acked: list[str] = []
    refused = 0
    stopped_at = restarted_at = None
    k = 0
    try:
        deadline = time.monotonic() + 90
        while len(acked) < 60 and time.monotonic() < deadline:
            if stopped_at is None and len(handler.received) >= 3:
                own_cluster.stop()  # in the middle of the notifier's rounds and of our writes
                stopped_at = time.monotonic()
            # Longer than a connection is waited for (5 s): the notifier's round that began
            # in the outage cannot wait it out, and must say so and go on.
            if restarted_at is None and stopped_at and time.monotonic() - stopped_at > 8:
                own_cluster.start()
                restarted_at = time.monotonic()
            try:
                request = store.file_connect(
                    DOCTOR, "cab", make_niss("900101", 300 + k), "Person", "Anne", "infirmier"
                )
                k += 1
                store.approve("adm", request.id)
                acked.append(request.id)
                time.sleep(0.05)
            except StoreBusy:
                refused += 1  # the database is away: the writer is told, and tries again
                time.sleep(0.1)
        assert stopped_at and restarted_at and refused, (stopped_at, restarted_at, refused)
        while store.outbox() and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        notifier.send_signal(signal.SIGTERM)
        _out, err = notifier.communicate(timeout=30)
    assert notifier.returncode == 0, err
    assert "cannot be reached" in err  # the service said so, and went on
    # Every acknowledged decision is there, the trail intact.
    decided = {r.id: r for r in store.requests(status=None)}
    assert all(decided[rid].status == "approved" for rid in acked)
    assert store.verify() == []
    # Each mail reached the server once, and is recorded sent.
    ids = [message["Message-ID"] for message in handler.received]
    mails = store.outbox(None)
    assert store.outbox() == [] and {m.status for m in mails} == {"sent"}, err
    assert sorted(ids) == sorted(m.message_id for m in mails), err
    assert len(ids) == len(set(ids)) >= len(acked)
    store.close()


def test_the_first_save_after_the_database_is_back_succeeds(own_cluster):
    # Every connection a long-lived process had pooled died with the server: the pool must
    # not lend one of them to the first save once the database is back.
    store = open_store(own_cluster.url())
    store.add_admin("adm", "Anne Admin")
    add_practice(store)
    assert store.requests() == []  # a connection now waits in the pool
    own_cluster.stop()
    own_cluster.start()
    request = store.file_connect(DOCTOR, "cab", make_niss("900101", 1), "Roux", "Anna", "infirmier")
    assert [r.id for r in store.requests()] == [request.id]
    store.close()
