"""Worker processes for the concurrency and crash tests (run with python -m)."""

from __future__ import annotations

import json
import random
import sys
import time

from rules import NewEntity, RuleViolation, make_niss
from store import open_store

ENTITIES = ("e1", "e2", "e3")
MANAGERS = {e: [make_niss(f"7{i}0{j}1{j}", 10 + i) for j in (1, 2)] for i, e in enumerate(ENTITIES)}
POOL = [make_niss(f"8{k % 10}0{k % 9 + 1}15", 100 + k) for k in range(24)]
TYPES = ("infirmier", "administratif", "medecin", "sage_femme")


def _entity(store, entity: str, kind: str, manager: str, second: str) -> None:
    """An entity run by ``manager``, with a second doctor linked."""
    store.create_entity(
        "adm",
        NewEntity(
            entity_id=entity,
            name=f"Entity {entity}",
            kind=kind,
            email=f"{entity}@x.be",
            language="fr",
            manager_niss=manager,
            manager_last_name="First",
            manager_first_name="Doctor",
            manager_type="medecin",
        ),
    )
    request = store.file_connect(manager, entity, second, "Second", "Doctor", "medecin")
    store.approve("adm", request.id)


def setup(data: str) -> None:
    store = open_store(data)
    store.add_admin("adm", "Admin")
    for entity, (first, second) in MANAGERS.items():
        _entity(store, entity, "hopital", first, second)


def concurrency(data: str, seed: int, seconds: float, out: str) -> None:
    """Random filings and decisions; every acknowledged one is written to ``out``."""
    rng = random.Random(seed)
    store = open_store(data)
    acked = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        entity = rng.choice(ENTITIES)
        actor = rng.choice(MANAGERS[entity])
        roll = rng.random()
        try:
            if roll < 0.35:
                niss = rng.choice(POOL)
                r = store.file_connect(actor, entity, niss, "Pers", "On", rng.choice(TYPES))
                acked.append(["filed", r.id, r.kind, r.entity_id, r.niss])
            elif roll < 0.55:
                linked = [lk.niss for lk in store.staff(entity)]
                chosen = rng.sample(linked, k=min(len(linked), rng.choice((1, 1, 2, 3))))
                for r in store.file_disconnect(actor, entity, chosen):
                    acked.append(["filed", r.id, r.kind, r.entity_id, r.niss])
            else:
                pending = store.requests(entity)
                if not pending:
                    continue
                target = rng.choice(pending).id
                if roll < 0.85:
                    store.approve("adm", target)
                    acked.append(["approved", target])
                elif roll < 0.95:
                    store.reject("adm", target, "no")
                    acked.append(["rejected", target])
                else:
                    store.delete("adm", target)
                    acked.append(["deleted", target])
        except RuleViolation:
            acked.append(["refused"])
    with open(out, "w") as fh:
        json.dump(acked, fh)


def crash_writer(data: str, seed: int) -> None:
    """Commit as fast as possible, printing each acknowledged write; the test kills us."""
    rng = random.Random(seed)
    store = open_store(data)
    entity = "e1"
    actor = MANAGERS[entity][0]
    serial = 0
    while True:
        serial += 1
        niss = make_niss(
            f"{rng.randint(50, 99)}0{rng.randint(1, 9)}1{rng.randint(0, 9)}", rng.randint(1, 997)
        )
        try:
            r = store.file_connect(actor, entity, niss, "Crash", "Test", "infirmier")
        except RuleViolation:
            continue
        print(f"filed {r.id}", flush=True)
        if serial % 2:
            store.approve("adm", r.id)
            print(f"approved {r.id}", flush=True)


# Entities each run by two doctors, who try at two hosts to disconnect each other.
PAIRS = 40


def pair(k: int) -> tuple[str, str]:
    return make_niss("650315", 2 * k + 1), make_niss("650315", 2 * k + 2)


def setup_pairs(data: str) -> None:
    store = open_store(data)
    store.add_admin("adm", "Admin")
    for k in range(PAIRS):
        _entity(store, f"p{k}", "cabinet_medical", *pair(k))


def open_host(data: str, lock: bool):
    """One host's store; ``lock`` False leaves out the writers' lock (PostgreSQL only), so
    that the database's SERIALIZABLE isolation alone must keep the rules."""
    if lock:
        return open_store(data)
    from store.engine import scopes_of
    from store.layout import STORE_LAYOUT
    from store.pg.backend import PgBackend
    from store.store import Store

    store = Store(PgBackend(data, scopes_of, STORE_LAYOUT, take_lock=False))
    store.open_or_create()
    return store


def disconnect_race(data: str, side: int, start_at: float, out: str, lock: bool) -> None:
    """At every entity, disconnect the other doctor and approve it at once; side 0 is the
    first doctor of each pair, side 1 the second. What each step did is written to ``out``."""
    store = open_host(data, lock)
    time.sleep(max(0.0, start_at - time.time()))
    done = []
    for k in range(PAIRS):
        me, other = pair(k)[side], pair(k)[1 - side]
        try:
            (request,) = store.file_disconnect(me, f"p{k}", [other])
            store.approve("adm", request.id)
            done.append([k, "approved"])
        except RuleViolation as refusal:
            done.append([k, refusal.code])
    with open(out, "w") as fh:
        json.dump({"done": done, "commits": store.commits}, fh)


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "setup":
        setup(args[0])
    elif command == "concurrency":
        concurrency(args[0], int(args[1]), float(args[2]), args[3])
    elif command == "crash":
        crash_writer(args[0], int(args[1]))
    elif command == "setup-pairs":
        setup_pairs(args[0])
    elif command == "disconnect-race":
        disconnect_race(args[0], int(args[1]), float(args[2]), args[3], args[4] == "lock")
