"""Shared fixtures: a fixed clock, a store in tmp_path, and a few well-known people."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from rules import NewEntity, make_niss
from store import Store, open_store

DOCTOR = make_niss("850730", 33)
DOCTOR_2 = make_niss("780214", 101)
PHARMACIST = make_niss("820925", 244)
NURSE = make_niss("900115", 12)
NURSE_2 = make_niss("910520", 88)
TRAINEE = make_niss("960606", 140)
STRANGER = make_niss("700101", 5)
ADMIN_NISS = make_niss("750505", 55)


class TickingClock:
    """A clock that moves one minute per reading, so every event has its own time."""

    def __init__(self, start: datetime) -> None:
        self.moment = start
        self.step = timedelta(minutes=1)

    def __call__(self) -> datetime:
        self.moment += self.step
        return self.moment


@pytest.fixture(autouse=True)
def _isolated_data(tmp_path, monkeypatch):
    # No test may ever touch a real user's data directory.
    monkeypatch.setenv("VACCINNET_DATA", str(tmp_path / "default-data"))
    # Nor the machine's language: the command line speaks English in tests unless one asks
    # (its default, French, is tested in test_cli_messages.py).
    monkeypatch.setenv("VACCINNET_LANG", "en")
    # Nor an audit key of the machine: tests that want one set their own.
    monkeypatch.delenv("VACCINNET_AUDIT_KEY_FILE", raising=False)


@pytest.fixture
def clock() -> TickingClock:
    return TickingClock(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))


@pytest.fixture
def data(tmp_path):
    return tmp_path / "data"


TEMPLATE = "vaccinnet_template"
_databases = itertools.count(1)


def _started_cluster():
    """A PostgreSQL server started for tests, destroyed after (skipped, with the reason,
    where none can be started)."""
    from tests.pg_cluster import Cluster, unavailable

    reason = unavailable()
    if reason is not None:
        pytest.skip(reason)
    cluster = Cluster()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture(scope="session")
def pg_cluster():
    """The test run's PostgreSQL server, and a template database holding an empty store,
    which each test copies."""
    for cluster in _started_cluster():
        cluster.sql(f"CREATE DATABASE {TEMPLATE}")
        open_store(cluster.url(TEMPLATE)).close()
        yield cluster


@pytest.fixture
def own_cluster():
    """A PostgreSQL server of the test's own, to stop and start in the middle (a failover)."""
    yield from _started_cluster()


BACKENDS = ("files", "postgresql")


def pytest_generate_tests(metafunc):
    # Every test that opens a store runs on both backends, but for those marked files_only:
    # what they test is the file store's own (its files, locks, manifest, disk faults).
    if "location" in metafunc.fixturenames:
        # The consoles' tests read the same store API through screens: run once, on files
        # (tests/functional/tui/test_pg_console.py drives a console on PostgreSQL).
        consoles = (
            "tui" in metafunc.definition.path.parts or "e2e" in metafunc.definition.path.parts
        )
        only = consoles or metafunc.definition.get_closest_marker("files_only")
        if not only:
            metafunc.parametrize("location", BACKENDS, indirect=True)


@pytest.fixture
def location(request, data):
    """Where a store lives, once per backend: the data directory, or a fresh database of
    the test's own. A test written with it proves both."""
    if getattr(request, "param", "files") == "files":
        yield data
        return
    yield from _database(request.getfixturevalue("pg_cluster"))


@pytest.fixture
def database(pg_cluster):
    """A fresh database holding an empty store: for what only PostgreSQL has."""
    yield from _database(pg_cluster)


def _database(cluster):
    name = f"test_{next(_databases)}"
    cluster.sql(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE} STRATEGY FILE_COPY")
    yield cluster.url(name)
    cluster.sql(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def store(location, clock):
    """A store with one admin and a GP practice run by DOCTOR."""
    s = open_store(location, clock=clock)
    s.add_admin("adm", "Anne Admin", ADMIN_NISS)
    s.add_admin("adm2", "Koen Peeters")
    add_practice(s)
    yield s
    s.close()


def add_practice(s: Store, admin: str = "adm"):
    """Cabinet Dupont (fr), run by DOCTOR."""
    return s.create_entity(
        admin,
        NewEntity(
            entity_id="cab",
            name="Cabinet Dupont",
            kind="cabinet_medical",
            email="cab@example.be",
            language="fr",
            manager_niss=DOCTOR,
            manager_last_name="Dupont",
            manager_first_name="Jean",
            manager_type="medecin",
        ),
    )


def add_pharmacy(
    s: Store,
    admin: str = "adm",
    entity_id: str = "ph",
    name: str = "Pharmacie Lelièvre",
    email: str = "ph@example.be",
    language: str = "fr",
    manager: str = PHARMACIST,
    last: str = "Lelièvre",
    first: str = "Sophie",
    manager_type: str = "pharmacien",
):
    """Pharmacie Lelièvre (fr), run by PHARMACIST unless told otherwise."""
    return s.create_entity(
        admin,
        NewEntity(
            entity_id=entity_id,
            name=name,
            kind="pharmacie",
            email=email,
            language=language,
            manager_niss=manager,
            manager_last_name=last,
            manager_first_name=first,
            manager_type=manager_type,
        ),
    )


def add_nursing_home(s: Store, admin: str = "adm"):
    """WZC Zonneweide (nl), run by DOCTOR_2."""
    return s.create_entity(
        admin,
        NewEntity(
            entity_id="wzc",
            name="WZC Zonneweide",
            kind="maison_de_repos",
            email="wzc@example.be",
            language="nl",
            manager_niss=DOCTOR_2,
            manager_last_name="Jacobs",
            manager_first_name="Emma",
            manager_type="medecin",
        ),
    )


def link(
    s: Store, entity: str, niss: str, last: str, first: str, kind: str, actor=DOCTOR, until=None
):
    """File and approve a connect request: the only way a link comes to exist. A GP trainee
    gets the end date a placement has (a year on) unless told otherwise."""
    if kind == "macg" and until is None:
        until = a_year_on(s)
    request = s.file_connect(actor, entity, niss, last, first, kind, until=until)
    return s.approve("adm2", request.id)


def at_brussels(clock: TickingClock, *args: int) -> None:
    """Move a test's clock to a Brussels wall-clock time; it stands still there."""
    from zoneinfo import ZoneInfo

    clock.moment = datetime(*args, tzinfo=ZoneInfo("Europe/Brussels")).astimezone(UTC)
    clock.step = timedelta(0)


def refused(code: str, call, *args, **kwargs):
    """The RuleViolation ``call`` raises, checked to be ``code``."""
    from rules import RuleViolation

    with pytest.raises(RuleViolation) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value.message("en")
    return caught.value


def a_year_on(s: Store):
    """A year after the store's clock, without moving it (a TickingClock ticks when read)."""
    moment = getattr(s._clock, "moment", None) or datetime.now(UTC)
    return (moment + timedelta(days=365)).date()


def segment_holding(data, table: str, holds=lambda doc: True):
    """The committed file of ``table`` that holds a document ``holds`` accepts: an entity's
    documents share one bucket, so a test damages the file a person or entity is in."""
    import orjson

    manifest = orjson.loads((data / "manifest.json").read_bytes())
    segments = manifest["tables"][table]["segments"]
    for key in sorted(segments, key=int):
        path = data / segments[key]
        if any(holds(doc) for doc in orjson.loads(path.read_bytes())[table].values()):
            return path
    raise LookupError(f"no {table} document as asked")
