"""Bulk onboarding: rows checked one by one, the ready ones filed in one transaction, and an
export that imports back."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from rules import NewEntity, format_niss, make_niss
from rules.bulk import parse_rows
from store import open_store
from tests.conftest import DOCTOR, NURSE, link, refused
from tests.functional.test_cli import vaccinnet

ROWS = [make_niss("700101", 100 + i) for i in range(5)]


def _name(i: int) -> str:
    """Letters only, as a name must be: Nom Aa, Nom Ab, …"""
    return "Nom " + chr(65 + i // 26 % 26) + chr(97 + i % 26)


def _text(nisses, type_="infirmière"):
    lines = ["NISS;Nom;Prénom;Type"]
    lines += [f"{format_niss(n)};{_name(i)};Prénom;{type_}" for i, n in enumerate(nisses)]
    return "\n".join(lines)


def test_the_preview_judges_each_row_and_files_nothing(store):
    link(store, "cab", NURSE, "Martin", "Claire", "infirmier")
    rows = parse_rows(_text([ROWS[0], NURSE, ROWS[0], "12345678901"]))
    verdicts = store.preview_import(DOCTOR, "cab", rows)
    assert [v.status for v in verdicts] == ["ready", "linked", "duplicate", "refused"]
    assert "figure déjà à la ligne 2" in verdicts[2].message("fr")
    assert store.requests("cab") == []
    refused("not_authorized", store.preview_import, NURSE, "cab", rows)


def test_the_ready_rows_are_filed_together_with_one_audit_entry_each(store):
    before = len(store.audit_entries())
    verdicts = store.file_import(DOCTOR, "cab", parse_rows(_text(ROWS)))
    ids = [v.request.id for v in verdicts]
    assert len(set(ids)) == 5 and all(v.status == "ready" for v in verdicts)
    filed = store.requests("cab")
    assert [r.id for r in filed] == ids and {r.batch for r in filed} == {ids[0]}
    assert {r.employee_type for r in filed} == {"infirmier"}
    entries = store.audit_entries()[before:]
    assert [e.action for e in entries] == ["request_filed"] * 5 + ["import_filed"]
    assert entries[-1].detail == {"batch": ids[0], "rows": 5, "filed": 5}
    assert store.verify() == []


def test_a_preview_overtaken_by_another_session_files_nothing(store, location):
    rows = parse_rows(_text(ROWS))
    expected = [v.row.line for v in store.preview_import(DOCTOR, "cab", rows)]
    other = open_store(location)
    other.file_connect(DOCTOR, "cab", ROWS[2], "Nom Ac", "Prénom", "infirmier")
    refusal = refused("import_changed", store.file_import, DOCTOR, "cab", rows, expected)
    assert "1 ligne(s)" in refusal.message("fr")
    assert [r.niss for r in store.requests("cab")] == [ROWS[2]]  # the other session's only


WRITER = """
import sys, time
from rules import make_niss
from store import open_store
s = open_store(sys.argv[1])
print("ready", flush=True)
for i in range(60):
    s.file_connect(sys.argv[2], "cab", make_niss("720101", 1 + i), "Writer", "Rapide", "infirmier")
    time.sleep(0.02)
"""


def test_filing_under_a_concurrent_writer_is_all_or_nothing(store, location):
    rows = parse_rows(_text([make_niss("710101", 100 + i) for i in range(200)]))
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(location), DOCTOR], stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout.readline().strip() == "ready"
        verdicts = store.file_import(DOCTOR, "cab", rows)
    finally:
        writer.wait(timeout=120)
    assert writer.returncode == 0
    batch = verdicts[0].request.batch
    mine = [r for r in store.requests("cab") if r.batch == batch]
    # One block of consecutive ids, none of the writer's among them.
    assert len(mine) == 200 and [r.id for r in mine] == [v.request.id for v in verdicts]
    ids = [int(r.id[1:]) for r in mine]
    assert ids == list(range(ids[0], ids[0] + 200))
    assert len(store.requests("cab")) == 260
    assert store.verify() == []


@pytest.mark.files_only("its files or directory")
def test_the_command_line_and_an_export_that_imports_back(store, data, tmp_path):
    link(store, "cab", NURSE, "Martin", "Claire", "infirmier")
    # An end date the command's real clock also accepts, whenever the test runs.
    soon = (datetime.now(UTC) + timedelta(days=30)).date()
    link(store, "cab", make_niss("960606", 140), "Claes", "Wout", "macg", until=soon)
    exported = vaccinnet("--data", data, "--lang", "nl", "export", "staff", "--entity", "cab")
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.startswith("\ufeffINSZ;Naam;Voornaam;Type medewerker;Gekoppeld tot")
    assert "verpleegkundige" in exported.stdout and "HAIO" in exported.stdout
    source = tmp_path / "staff.csv"
    source.write_text(exported.stdout, encoding="utf-8")
    # A fresh store, a new entity run by the same doctor: the list comes back whole.
    fresh = tmp_path / "fresh"
    new = open_store(fresh)
    new.add_admin("adm", "Anne Admin")
    new.create_entity(
        "adm",
        NewEntity(
            entity_id="cab2",
            name="Cabinet Deux",
            kind="cabinet_medical",
            email="cab2@example.be",
            language="fr",
            manager_niss=DOCTOR,
            manager_last_name="Dupont",
            manager_first_name="Jean",
            manager_type="medecin",
        ),
    )
    dry = vaccinnet(
        "--data",
        fresh,
        "import",
        "--niss",
        DOCTOR,
        "--entity",
        "cab2",
        source,
        "--dry-run",
        "--json",
    )
    lines = [json.loads(line) for line in dry.stdout.splitlines()]
    assert [d["status"] for d in lines] == [
        "ready",
        "already_linked",
        "ready",
    ]  # Claes, Dupont, Martin
    assert dry.returncode == 1 and new.requests("cab2") == []
    done = vaccinnet(
        "--data", fresh, "import", "--niss", DOCTOR, "--entity", "cab2", source, "--json"
    )
    assert done.returncode == 1  # one row (the doctor himself) is not filed
    statuses = [json.loads(line)["status"] for line in done.stdout.splitlines()]
    assert statuses == ["filed", "already_linked", "filed"]
    for request in open_store(fresh).requests("cab2"):
        open_store(fresh).approve("adm", request.id)
    again = vaccinnet("--data", fresh, "--lang", "nl", "export", "staff", "--entity", "cab2")
    assert again.stdout == exported.stdout


def test_a_file_that_is_not_text_or_too_big_files_nothing(store, data, tmp_path):
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(bytes(range(256)) * 10)
    done = vaccinnet(
        "--data", data, "--lang", "en", "import", "--niss", DOCTOR, "--entity", "cab", garbage
    )
    assert done.returncode == 1 and "This is not text" in done.stderr
    big = tmp_path / "big.csv"
    big.write_bytes(b"90011501277;N;P;nurse\n" * 60_000)
    done = vaccinnet(
        "--data", data, "--lang", "en", "import", "--niss", DOCTOR, "--entity", "cab", big
    )
    assert done.returncode == 1 and "at most. Nothing was filed." in done.stderr
    assert store.requests("cab") == []


def test_the_staff_list_goes_by_mail_to_the_entity_once_an_hour(store, clock):
    from datetime import timedelta as hours

    from store.mailer import build_message

    link(store, "cab", NURSE, "Martin", "Claire", "infirmier")
    mail = store.mail_staff_list(DOCTOR, "cab")
    assert (mail.to, mail.entity_id) == ("cab@example.be", "cab")
    assert mail.attachment.startswith("NISS;Nom;Prénom;Type d'employé;Lié jusqu'au\n")
    assert "90.01.15-012.77;Martin;Claire;infirmier·ère;" in mail.attachment
    assert mail.attachment_name.startswith("personnel-cab-") and mail.attachment_name.endswith(
        ".csv"
    )
    # The mailer sends it as a CSV attachment with a BOM, which import reads back.
    message = build_message(store.outbox()[-1], "Vaccinnet <no-reply@example.be>")
    (part,) = list(message.iter_attachments())
    assert part.get_content_type() == "text/csv"
    data = part.get_payload(decode=True)
    assert data.startswith(b"\xef\xbb\xbf") and len(parse_rows(data.decode("utf-8-sig"))) == 2
    entry = store.audit_entries()[-1]
    assert (entry.action, entry.actor, entry.detail["people"]) == ("staff_list_mailed", DOCTOR, 2)
    refusal = refused("list_mailed_recently", store.mail_staff_list, DOCTOR, "cab")
    assert "réessayez dans" in refusal.message("fr")
    refused("not_authorized", store.mail_staff_list, NURSE, "cab")
    clock.moment += hours(minutes=61)
    assert store.mail_staff_list(DOCTOR, "cab").id != mail.id
    assert len([m for m in store.outbox() if m.attachment]) == 2


@pytest.mark.files_only("its files or directory")
def test_an_admin_links_a_new_entitys_first_staff_directly(store, data, tmp_path):
    source = tmp_path / "first.csv"
    source.write_text(
        "NISS;Nom;Prénom;Type\n"
        f"{format_niss(ROWS[0])};Lambert;Zoé;infirmière\n"
        f"{format_niss(ROWS[1])};Claes;Wout;HAIO\n"
        f"{format_niss(DOCTOR)};Dupont;Jean;médecin\n",
        encoding="utf-8",
    )
    done = vaccinnet(
        "--data", data, "--lang", "en", "import", "--admin", "adm", "--entity", "cab", source
    )
    assert done.returncode == 1, done.stderr
    assert "line 2: linked" in done.stdout
    assert "line 3: refused: CLAES Wout" in done.stdout
    assert "only through their supervising doctor's request" in done.stdout
    assert "line 4: already linked" in done.stdout
    reread = open_store(data)
    assert ROWS[0] in {k.niss for k in reread.staff("cab")} and reread.requests("cab") == []
    created = [e for e in reread.audit_entries() if e.action == "link_created"]
    assert [(e.actor, e.niss) for e in created] == [("adm", ROWS[0])]
    assert reread.audit_entries()[-1].action == "import_filed"
    refused(
        "not_authorized",
        reread.file_import,
        "nobody",
        "cab",
        parse_rows(source.read_text()),
        None,
        True,
    )
    refused(
        "unknown_entity",
        reread.preview_import,
        "adm",
        "nowhere",
        parse_rows(source.read_text()),
        True,
    )


def test_a_hostile_cell_is_refused_as_the_form_refuses_it(store):
    text = (
        f"{format_niss(ROWS[0])};Mar\x1b[31mtin;Claire;infirmier\n"
        f"{format_niss(ROWS[1])};[@click=app.quit];Zoé;infirmier\n"
        f"{format_niss(ROWS[2])};Lambert;Zoé;infirmier\n"
    )
    verdicts = store.preview_import(DOCTOR, "cab", parse_rows(text))
    assert [v.refusal.code if v.refusal else v.status for v in verdicts] == [
        "control_characters",
        "invalid_name",
        "ready",
    ]
    assert "\x1b" not in verdicts[0].message("fr")  # shown inert, as the form shows it
