"""What only the PostgreSQL backend has: its schema's constraints, versions and connections."""

from __future__ import annotations

import subprocess
import sys

import psycopg
import pytest

from rules.notices import NOTICES_VERSION
from store import StoreError, open_store
from store.pg.schema import SCHEMA_VERSION
from tests.conftest import DOCTOR, NURSE, NURSE_2, add_practice, link
from tests.functional.test_cli import vaccinnet


def _sql(url: str, statement: str, *params: object) -> list[tuple]:
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(statement, params or None)
        return cur.fetchall() if cur.description else []


@pytest.fixture
def practice(database, clock):
    s = open_store(database, clock=clock)
    s.add_admin("adm", "Anne Admin")
    s.add_admin("adm2", "Koen Peeters")
    add_practice(s)
    yield s
    s.close()


def test_a_new_database_gets_the_schema_and_an_empty_store(database):
    assert _sql(database, "SELECT max(version) FROM schema_migrations") == [(SCHEMA_VERSION,)]
    store = open_store(database)
    assert store.entities() == [] and store.audit_entries() == []
    assert store.verify() == []
    (meta,) = _sql(database, "SELECT meta FROM store_state")[0]
    assert meta == {"reviewed": NOTICES_VERSION}
    store.close()


def test_two_pending_requests_of_a_kind_are_impossible_even_past_the_rules(practice, database):
    request = practice.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    (doc,) = _sql(database, "SELECT doc FROM requests WHERE request_id = %s", request.id)[0]
    twin = {**doc, "id": "R000999"}
    with pytest.raises(psycopg.errors.UniqueViolation, match="one_pending_request"):
        _sql(
            database,
            "INSERT INTO requests (id, doc) VALUES (999, %s)",
            psycopg.types.json.Jsonb(twin),
        )
    # Once decided, the same person may be asked for again.
    practice.reject("adm", request.id, "no")
    again = practice.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    assert again.status == "pending"


def test_the_database_refuses_unknown_kinds_statuses_types_and_entities(practice, database):
    link(practice, "cab", NURSE, "Martin", "Claire", "infirmier")
    (doc,) = _sql(database, "SELECT doc FROM links WHERE niss = %s", NURSE)[0]
    Jsonb = psycopg.types.json.Jsonb
    with pytest.raises(psycopg.errors.CheckViolation):
        _sql(
            database,
            "UPDATE links SET doc = %s WHERE niss = %s",
            Jsonb({**doc, "employee_type": "chef"}),
            NURSE,
        )
    with pytest.raises(psycopg.errors.ForeignKeyViolation):
        _sql(
            database,
            "INSERT INTO links (id, doc) VALUES (900, %s)",
            Jsonb({**doc, "entity_id": "nowhere", "niss": NURSE_2}),
        )
    request = practice.file_connect(DOCTOR, "cab", NURSE_2, "Peeters", "An", "infirmier")
    with pytest.raises(psycopg.errors.CheckViolation):
        _sql(
            database,
            'UPDATE requests SET doc = doc || \'{"status": "maybe"}\' WHERE request_id = %s',
            request.id,
        )
    with pytest.raises(psycopg.errors.UniqueViolation):
        _sql(database, "INSERT INTO links (id, doc) VALUES (901, %s)", Jsonb(doc))
    # Nothing of it reached the store.
    assert {lk.niss for lk in practice.staff("cab")} == {DOCTOR, NURSE}
    assert practice.verify() == []


def test_the_audit_trail_is_append_only_in_the_database(practice, database):
    with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
        _sql(database, 'UPDATE audit SET doc = doc || \'{"actor": "x"}\' WHERE id = 1')
    with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
        _sql(database, "DELETE FROM audit WHERE id = 1")
    assert practice.verify_audit().findings == []


def test_check_finds_an_audit_entry_edited_behind_the_trigger(practice, database):
    # A superuser can still disable the trigger: the hash chain is what proves the trail.
    link(practice, "cab", NURSE, "Martin", "Claire", "infirmier")
    _sql(
        database,
        "ALTER TABLE audit DISABLE TRIGGER audit_append_only; "
        "UPDATE audit SET doc = jsonb_set(doc, '{actor}', '\"mallory\"') WHERE id = 2; "
        "ALTER TABLE audit ENABLE TRIGGER audit_append_only",
    )
    done = vaccinnet("check", "--data", database)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "entry 2" in done.stdout


def test_a_schema_newer_than_the_program_is_exit_2_and_said(database):
    _sql(database, "INSERT INTO schema_migrations (version) VALUES (%s)", SCHEMA_VERSION + 1)
    with pytest.raises(StoreError, match="newer version"):
        open_store(database)
    done = vaccinnet("--lang", "en", "admins", "list", "--data", database)
    assert done.returncode == 2
    assert f"schema {SCHEMA_VERSION + 1}" in done.stderr and "upgrade the program" in done.stderr


def test_a_command_never_creates_a_store_in_an_empty_database(pg_cluster):
    pg_cluster.sql("CREATE DATABASE empty_one")
    url = pg_cluster.url("empty_one")
    done = vaccinnet("--lang", "en", "admins", "list", "--data", url)
    assert done.returncode == 2 and "run ‘vaccinnet init’" in done.stderr
    assert pg_cluster.sql("SELECT to_regclass('schema_migrations')", "empty_one") == ""
    done = vaccinnet("init", "--data", url, "--admin", "adm", "--admin-name", "Anne Admin")
    assert done.returncode == 0, done.stderr
    assert open_store(url).admin("adm").name == "Anne Admin"
    pg_cluster.sql("DROP DATABASE empty_one WITH (FORCE)")


def test_a_password_on_the_command_line_is_refused_before_connecting(database):
    with_password = database.replace("vaccinnet@", "vaccinnet:s3cret@")
    done = vaccinnet("--lang", "en", "admins", "list", "--data", with_password)
    assert done.returncode == 2
    assert "~/.pgpass" in done.stderr and "s3cret" not in done.stderr + done.stdout


def test_messages_never_show_the_password_of_the_url(pg_cluster, monkeypatch):
    url = pg_cluster.url("nowhere").replace("vaccinnet@", "vaccinnet:s3cret@")
    monkeypatch.setenv("VACCINNET_DATA", url)
    done = vaccinnet("--lang", "en", "admins", "list", env={**__import__("os").environ})
    assert done.returncode == 2
    assert "s3cret" not in done.stderr and "***" in done.stderr


def test_the_embedded_store_needs_no_driver(tmp_path):
    # The file store and its commands import nothing of PostgreSQL's; a URL without the
    # driver says how to install it.
    script = (
        "import sys; sys.modules['psycopg'] = None; sys.modules['psycopg_pool'] = None\n"
        "from tui.cli import run\n"
        f"assert run(['--data', {str(tmp_path / 'd')!r}, 'demo']) == 0\n"
        f"assert run(['--data', {str(tmp_path / 'd')!r}, 'check']) == 0\n"
        "assert not [m for m in sys.modules if m.startswith('store.pg.')], sys.modules.keys()\n"
        "from store import open_store, StoreError\n"
        "try:\n"
        "    open_store('postgresql://localhost/x')\n"
        "except StoreError as exc:\n"
        "    print(exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "pip install 'vaccinnet-staff[postgresql]'" in done.stdout


def test_an_older_schema_waits_for_migrate_schema_which_applies_it_once(
    database, monkeypatch, capsys
):
    from store.pg import schema
    from tui.cli import run

    store = open_store(database)
    store.add_admin("adm", "Anne Admin")
    store.close()
    later = (*schema.MIGRATIONS, (2, "CREATE INDEX links_by_type ON links (employee_type)"))
    monkeypatch.setattr(schema, "MIGRATIONS", later)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 2)
    monkeypatch.setattr("store.pg.backend.SCHEMA_VERSION", 2)
    with pytest.raises(StoreError, match="run ‘vaccinnet migrate-schema’"):
        open_store(database)
    assert run(["--lang", "en", "migrate-schema", "--data", database]) == 0
    assert "schema 1 → 2" in capsys.readouterr().out
    assert run(["--lang", "en", "migrate-schema", "--data", database]) == 0
    assert "schema 2, up to date" in capsys.readouterr().out
    assert _sql(database, "SELECT version FROM schema_migrations ORDER BY version") == [(1,), (2,)]
    assert open_store(database).admin("adm").name == "Anne Admin"


def test_migrate_schema_on_a_file_store_has_nothing_to_do(tmp_path, capsys):
    from tui.cli import run

    open_store(tmp_path / "d")
    assert run(["--lang", "en", "migrate-schema", "--data", str(tmp_path / "d")]) == 0
    assert "converted when it is opened" in capsys.readouterr().out


def test_consoles_learn_of_commits_by_notification_and_cost_nothing_idle(database, pg_cluster):
    import time

    from tests.conftest import PHARMACIST, add_pharmacy

    store = open_store(database)
    store.add_admin("adm", "Anne Admin")
    add_pharmacy(store)
    listeners = [open_store(database) for _ in range(20)]
    sources = [s.change_source() for s in listeners]
    tokens = [source.token() for source in sources]
    name = database.rsplit("/", 1)[1]
    count = f"SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '{name}'"
    before = int(pg_cluster.sql(count))
    for _ in range(30):  # 3 s of consoles asking every 100 ms whether anything changed
        assert [source.token() for source in sources] == tokens
        time.sleep(0.1)
    # Nothing but this test's own two statements ran on the database meanwhile.
    assert int(pg_cluster.sql(count)) - before <= 2
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            f"from store import open_store; open_store({database!r})"
            f".file_connect({PHARMACIST!r}, 'ph', {NURSE!r}, 'Martin', 'Claire', 'administratif')",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    deadline = time.monotonic() + 1.0  # within a second, every console knows
    while time.monotonic() < deadline and any(
        source.token() == token for source, token in zip(sources, tokens, strict=True)
    ):
        time.sleep(0.02)
    assert all(source.token() != token for source, token in zip(sources, tokens, strict=True))
    for s in [store, *listeners]:
        s.close()


@pytest.mark.parametrize(
    "given",
    [
        "Postgresql:/vaccinnet:s3cret@127.0.0.1/x",
        "pg://vaccinnet:s3cret@127.0.0.1/x",
        "host=127.0.0.1 dbname=x password=s3cret",
    ],
)
def test_what_looks_like_a_connection_string_is_never_taken_for_a_directory(given, tmp_path):
    # Taken for a directory, a mistyped URL became one, named after its password.
    done = subprocess.run(
        [sys.executable, "-m", "tui.cli", "--lang", "en", "--data", given, "demo"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert "neither a data directory nor a postgresql:// URL" in done.stderr
    assert "s3cret" not in done.stderr + done.stdout and "***" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_database_that_refuses_is_said_so_not_called_unreachable(pg_cluster):
    done = vaccinnet("--lang", "en", "check", "--data", pg_cluster.url("no_such_database"))
    assert done.returncode == 2
    assert "the database refused the connection" in done.stderr
    assert 'database "no_such_database" does not exist' in done.stderr


def test_copy_refuses_a_password_and_names_the_option(tmp_path):
    done = vaccinnet(
        "--lang", "en", "copy", "--from", "postgresql://u:s3cret@127.0.0.1/x", "--to", str(tmp_path)
    )
    assert done.returncode == 2 and done.stderr.startswith("vaccinnet: --from: give no password")
    assert "s3cret" not in done.stderr


def test_reindex_on_a_database_rebuilds_the_queues_warnings_only(practice, database):
    practice.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    _sql(database, "DELETE FROM reviews")
    _sql(database, "UPDATE store_state SET meta = meta || '{\"reviewed\": false}'")
    done = vaccinnet("--lang", "en", "check", "--reindex", "--data", database)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "the queue's warnings rebuilt" in done.stdout
    assert _sql(database, "SELECT meta -> 'reviewed' FROM store_state") == [(NOTICES_VERSION,)]


def test_the_password_comes_from_a_password_file_or_the_environment(pg_cluster, database, tmp_path):
    # A role that must give a password (the run's server trusts its own user only).
    name = database.rsplit("/", 1)[1]
    role = f"secured_{name}"
    pg_cluster.sql(f"CREATE ROLE {role} LOGIN PASSWORD 'S3cret-pw' IN ROLE vaccinnet")
    hba = pg_cluster.data / "pg_hba.conf"
    hba.write_text(f"host all {role} 127.0.0.1/32 scram-sha-256\n" + hba.read_text())
    pg_cluster.sql("SELECT pg_reload_conf()")
    url = f"postgresql://{role}@127.0.0.1:{pg_cluster.port}/{name}"
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("PG")}
    env["HOME"] = str(tmp_path)  # no ~/.pgpass of the machine's
    done = vaccinnet("--lang", "en", "admins", "list", "--data", url, env=env)
    assert done.returncode == 2 and "the database refused the connection" in done.stderr
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"127.0.0.1:{pg_cluster.port}:{name}:{role}:S3cret-pw\n")
    passfile.chmod(0o600)
    done = vaccinnet(
        "--lang", "en", "admins", "list", "--data", url, env={**env, "PGPASSFILE": str(passfile)}
    )
    assert done.returncode == 0, done.stderr
    # A service file names the server, the database, the role and its password: the URL
    # then says only which service.
    services = tmp_path / "pg_service.conf"
    services.write_text(
        f"[vaccinnet]\nhost=127.0.0.1\nport={pg_cluster.port}\ndbname={name}\nuser={role}\n"
        "password=S3cret-pw\n"
    )
    services.chmod(0o600)
    done = vaccinnet(
        "--lang", "en", "admins", "list", "--data", "postgresql:///?service=vaccinnet",
        env={**env, "PGSERVICEFILE": str(services)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    with_password = url.replace(f"{role}@", f"{role}:S3cret-pw@")
    done = vaccinnet("--lang", "en", "admins", "list", env={**env, "VACCINNET_DATA": with_password})
    assert done.returncode == 0, done.stderr
    wrong = url.replace(f"{role}@", f"{role}:Wr0ng-pw@")
    done = vaccinnet("--lang", "en", "admins", "list", env={**env, "VACCINNET_DATA": wrong})
    assert done.returncode == 2 and "password authentication failed" in done.stderr
    assert "Wr0ng" not in done.stderr and "***" in done.stderr
