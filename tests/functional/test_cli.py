"""The vaccinnet command line, run as a person runs it: a separate process, exit codes, stderr."""

from __future__ import annotations

import subprocess
import sys

from rules import format_niss
from store import open_store
from store.indexes import LINKS_BY_ENTITY
from tests.conftest import DOCTOR, PHARMACIST


def vaccinnet(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


ENTITY = [
    "entity",
    "add",
    "--admin",
    "boss",
    "--id",
    "ph-1",
    "--name",
    "Pharmacie Centrale",
    "--kind",
    "pharmacie",
    "--email",
    "ph@example.be",
    "--entity-lang",
    "nl",
    "--manager-niss",
    format_niss(PHARMACIST),
    "--manager-last",
    "Lelièvre",
    "--manager-first",
    "Sophie",
    "--manager-type",
    "pharmacien",
]


def test_init_then_entity_add(data):
    result = vaccinnet("--data", data, "init", "--admin", "boss", "--admin-name", "Big Boss")
    assert result.returncode == 0, result.stderr
    result = vaccinnet(*ENTITY, "--data", data)
    assert result.returncode == 0, result.stderr
    store = open_store(data)
    (entity,) = store.entities()
    assert (entity.id, entity.language, entity.kind) == ("ph-1", "nl", "pharmacie")
    (manager,) = store.staff("ph-1")
    assert (manager.niss, manager.employee_type) == (PHARMACIST, "pharmacien")
    assert [e.action for e in store.audit_entries()] == ["admin_added", "entity_created"]


def test_init_twice_is_refused(data):
    assert vaccinnet("init", "--admin", "a", "--admin-name", "A", "--data", data).returncode == 0
    again = vaccinnet("init", "--admin", "b", "--admin-name", "B", "--data", data)
    assert again.returncode == 1 and "already" in again.stderr
    assert [a.id for a in open_store(data).admins()] == ["a"]


def test_rule_refusal_is_one_line_in_the_chosen_language(data):
    vaccinnet("init", "--admin", "boss", "--admin-name", "Big Boss", "--data", data)
    vaccinnet(*ENTITY, "--data", data)
    again = vaccinnet("--lang", "nl", *ENTITY, "--data", data)
    assert again.returncode == 1
    assert again.stderr.strip() == "vaccinnet: Er bestaat al een entiteit met id ‘ph-1’."
    wrong = vaccinnet(*[("doctor" if a == "pharmacien" else a) for a in ENTITY], "--data", data)
    assert wrong.returncode == 1 and "invalid choice" in wrong.stderr  # a wrong argument
    nobody = vaccinnet(
        "--lang", "fr", *[("ghost" if a == "boss" else a) for a in ENTITY], "--data", data
    )
    assert nobody.returncode == 1 and "Traceback" not in nobody.stderr
    assert "autorisé" in nobody.stderr
    assert len(open_store(data).entities()) == 1


def test_data_dir_from_environment(tmp_path):
    env_dir = tmp_path / "from-env"
    env = {"VACCINNET_DATA": str(env_dir), "PATH": "/usr/bin:/bin"}
    result = vaccinnet("init", "--admin", "a", "--admin-name", "A", env=env)
    assert result.returncode == 0, result.stderr
    assert (env_dir / "manifest.json").exists()


def test_demo_then_check(data):
    result = vaccinnet("demo", "--data", data)
    assert result.returncode == 0, result.stderr
    assert format_niss(DOCTOR) not in result.stdout  # the demo has its own people
    store = open_store(data)
    entities = store.entities()
    assert {e.kind for e in entities} >= {
        "cabinet_medical",
        "pharmacie",
        "hopital",
        "maison_de_repos",
    }
    assert {e.language for e in entities} == {"fr", "nl"}
    types = {lk.employee_type for e in entities for lk in store.staff(e.id)}
    assert types == {
        "medecin",
        "pharmacien",
        "macg",
        "infirmier",
        "sage_femme",
        "administratif",
        "assistant_pharma",
    }
    statuses = {r.status for r in store.requests(status=None)}
    assert statuses == {"pending", "approved", "rejected", "deleted", "expired"}
    from store.demo import DEMO_DOCTOR

    assert len(store.entities_of(DEMO_DOCTOR)) == 2
    assert format_niss(DEMO_DOCTOR) in result.stdout
    check = vaccinnet("check", "--data", data)
    assert check.returncode == 0 and check.stdout.startswith("OK")
    again = vaccinnet("demo", "--data", data)
    assert again.returncode == 1 and "already" in again.stderr


def test_check_finds_a_broken_rule_in_the_data(data):
    vaccinnet("demo", "--data", data)
    # Written through the store's own transaction (private on purpose: no command lets the
    # last person go), so that the files and their indexes agree and only the rule is broken.
    store = open_store(data)
    with store._writing():
        gone = [link_id for link_id, _ in store._docs(LINKS_BY_ENTITY, "mdt-antwerpen")]
        store._tables["links"].remove(doc_ids=gone)
    result = vaccinnet("check", "--data", data)
    assert result.returncode == 1
    assert "entity mdt-antwerpen has nobody linked" in result.stdout


def test_check_without_a_store(tmp_path):
    result = vaccinnet("check", "--data", tmp_path / "nothing")
    assert result.returncode == 1 and "no store" in result.stderr
    assert not (tmp_path / "nothing").exists()  # checking creates nothing


def test_a_reader_that_leaves_early_ends_the_command_quietly(data):
    # `vaccinnet audit | head -1`: the pipe closes while the trail is still being printed.
    from datetime import UTC, datetime

    from store.demo import build_demo

    store = build_demo(data, datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    # More than a pipe holds (64 KiB): the command must still be writing when the reader
    # leaves, or it would finish first and rightly exit 0.
    entity = store.entities()[0]
    for i in range(400):
        store.update_entity("admin", entity.id, language=("nl", "fr")[i % 2])
    command = [sys.executable, "-m", "tui.cli", "--data", str(data), "audit", "--json"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as reader:
        assert reader.stdout.readline().strip()
        reader.stdout.close()
        err = reader.stderr.read().decode()
        status = reader.wait(timeout=60)
    assert status == 141, err
    assert err == ""
    assert not (data / "log").exists()  # no incident: nothing went wrong
