"""What the admin console asks of the store: reviews with warnings, entity changes, history."""

from __future__ import annotations

import json
import os
import shutil

import orjson
import pytest

from rules import NOTICES_VERSION, RuleViolation
from store import StoreError, open_store
from tests.conftest import (
    ADMIN_NISS,
    DOCTOR,
    DOCTOR_2,
    NURSE,
    NURSE_2,
    PHARMACIST,
    TRAINEE,
    a_year_on,
    add_nursing_home,
    add_pharmacy,
    link,
    segment_holding,
)


def _codes(review):
    return [notice.code for notice in review.notices]


def test_review_of_a_plain_request_has_no_warning(store):
    link(store, "cab", NURSE, "Martin", "Claire", "infirmier")
    (nurse_out,) = store.file_disconnect(DOCTOR, "cab", [NURSE])
    review = store.review("adm", nurse_out.id)
    assert review.request.id == nurse_out.id and _codes(review) == []
    assert [k.niss for k in review.state.links] == [DOCTOR, NURSE]


def test_review_sees_the_person_elsewhere(store):
    add_nursing_home(store)
    link(store, "wzc", NURSE, "Martijn", "Klara", "infirmier", actor=DOCTOR_2)
    request = store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    review = store.review("adm", request.id)
    assert "niss_other_name" in _codes(review) and "linked_elsewhere" in _codes(review)
    messages = " ".join(n.message("fr") for n in review.notices)
    assert "MARTIJN Klara" in messages and "wzc" in messages
    # Which name is which, without parentheses inside parentheses.
    assert "connu sous le nom MARTIJN Klara, alors que la demande dit MARTIN Claire." in messages
    store.file_connect(DOCTOR_2, "wzc", TRAINEE, "Claes", "Wout", "macg", until=a_year_on(store))
    trainee = store.file_connect(
        DOCTOR, "cab", TRAINEE, "Claes", "Wout", "macg", until=a_year_on(store)
    )
    codes = _codes(store.review("adm", trainee.id))
    assert "pending_elsewhere" in codes and "macg_supervisor" in codes


def test_review_says_when_approval_would_be_refused(store):
    request = store.file_connect(DOCTOR, "cab", ADMIN_NISS, "Admin", "Anne", "administratif")
    # adm may not decide about themselves; adm2 may, and nothing blocks it.
    assert _codes(store.review("adm2", request.id)) == []
    assert store.review("nobody", request.id) is None


def test_update_entity_is_audited(store):
    entity = store.update_entity("adm", "cab", email=" new@example.be ", language="nl")
    assert (entity.email, entity.language) == ("new@example.be", "nl")
    assert store.entity("cab").email == "new@example.be"
    entry = store.audit_entries()[-1]
    assert entry.action == "entity_updated" and entry.detail["email"] == [
        "cab@example.be",
        "new@example.be",
    ]
    for kwargs, code in [
        ({"email": "nope"}, "invalid_email"),
        ({"language": "de"}, "invalid_language"),
    ]:
        with pytest.raises(RuleViolation) as caught:
            store.update_entity("adm", "cab", **kwargs)
        assert caught.value.code == code
    with pytest.raises(RuleViolation):
        store.update_entity("ghost", "cab", email="x@y.be")
    assert store.entity("cab").email == "new@example.be"


def test_history_and_activity(store, clock):
    first = store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    second = store.file_connect(
        DOCTOR, "cab", TRAINEE, "Claes", "Wout", "macg", until=a_year_on(store)
    )
    store.approve("adm", first.id)
    store.delete("adm", second.id)
    assert [r.id for r in store.history()] == [second.id, first.id]
    activity = store.activity(days=30)
    assert sum(activity.filed) == 2 and sum(activity.decided) == 2
    assert activity.filed[-1] == 2  # today


def test_entity_summaries_count_people_managers_and_pending_requests_in_one_read(store):
    add_pharmacy(store, name="Pharmacie", last="Lambert", first="Luc")
    link(store, "cab", NURSE, "Martin", "Claire", "infirmier")
    link(store, "cab", DOCTOR_2, "Jacobs", "Emma", "medecin")
    store.file_connect(DOCTOR, "cab", TRAINEE, "Claes", "Wout", "macg", until=a_year_on(store))
    store.file_connect(PHARMACIST, "ph", NURSE_2, "Peeters", "An", "assistant_pharma")
    store.file_disconnect(DOCTOR, "cab", [NURSE])
    counts = {s.entity.id: (s.staff, s.managers, s.pending) for s in store.entity_summaries()}
    assert counts == {"cab": (3, 2, 2), "ph": (1, 1, 1)}
    # The same as reading each entity on its own, which the admins' list no longer does.
    for summary in store.entity_summaries():
        assert summary.entity == store.entity(summary.entity.id)
        assert summary.staff == len(store.staff(summary.entity.id))
        assert summary.pending == len(store.requests(summary.entity.id))


def said(notices):
    """What the admin reads, by request id (a refusal inside a warning compares by its words)."""
    return {rid: [n.message("en") for n in found] for rid, found in notices.items()}


def reviewed_one_by_one(store, admin="adm"):
    expected = {}
    for request in store.requests():
        review = store.review(admin, request.id)
        if review.notices:
            expected[request.id] = review.notices
    return said(expected)


def test_the_queue_s_warnings_are_those_of_each_review(store):
    # The queue reads the warnings each commit kept; they must say exactly what reviewing
    # each request alone says: a warning missed there is a warning the admin never sees.
    add_nursing_home(store)
    link(store, "wzc", NURSE, "Martijn", "Klara", "infirmier", actor=DOCTOR_2)
    link(store, "cab", NURSE_2, "Peeters", "Lotte", "infirmier")
    store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    store.file_connect(DOCTOR_2, "wzc", TRAINEE, "Claes", "Wout", "macg", until=a_year_on(store))
    store.file_connect(DOCTOR, "cab", TRAINEE, "Claes", "Wouter", "macg", until=a_year_on(store))
    rejected = store.file_connect(DOCTOR_2, "wzc", NURSE_2, "Peters", "Lotta", "infirmier")
    store.reject("adm", rejected.id, "Naam klopt niet")
    store.file_disconnect(DOCTOR, "cab", [NURSE_2])
    store.file_connect(DOCTOR, "cab", ADMIN_NISS, "Admin", "Anne", "administratif")
    for admin in ("adm", "adm2"):
        expected = reviewed_one_by_one(store, admin)
        assert said(store.pending_notices()) == expected
        assert len(expected) >= 4  # the situations above do warn


def test_each_commit_keeps_the_warnings_of_what_it_touched_and_misses_nothing(
    store, location, clock
):
    add_nursing_home(store)
    add_pharmacy(store)
    other = open_store(location, clock=clock)  # another session writes

    def pending_at(entity):
        return other.requests(entity, status="pending")[0].id

    steps = [
        lambda: other.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier"),
        lambda: other.file_connect(
            PHARMACIST, "ph", NURSE_2, "Peeters", "Lotte", "assistant_pharma"
        ),
        # A trainee: the review names the supervising doctor (the entity's part).
        lambda: other.file_connect(
            DOCTOR_2, "wzc", TRAINEE, "Claes", "Wout", "macg", until=a_year_on(other)
        ),
        # The nurse pending at cab is linked at the nursing home under another name: her
        # request at cab now warns, though nothing at cab changed (the person's part).
        lambda: link(other, "wzc", NURSE, "Martijn", "Klara", "infirmier", actor=DOCTOR_2),
        # A second request for the trainee elsewhere: both pending requests warn.
        lambda: other.file_connect(DOCTOR, "cab", TRAINEE, "Claes", "Wouter", "infirmier"),
        # A rejection elsewhere is still a name the person was known by.
        lambda: other.reject("adm2", pending_at("ph"), "Erreur"),
        lambda: link(other, "wzc", DOCTOR, "Dupont", "Jean", "medecin", actor=DOCTOR_2),
        lambda: other.approve("adm", pending_at("wzc")),
        # The trainee's supervisor asked to leave: the trainee would stay without one.
        lambda: other.file_disconnect(DOCTOR, "wzc", [DOCTOR_2]),
        # Not once the trainee leaves too.
        lambda: other.file_disconnect(DOCTOR, "wzc", [TRAINEE]),
        lambda: other.delete("adm", pending_at("cab")),
        lambda: other.update_entity("adm", "wzc", email="linde@example.be"),
    ]
    codes = []
    for step in steps:
        step()
        # What every commit kept is what a review of everything from scratch says.
        assert said(store.pending_notices()) == reviewed_one_by_one(store)
        with store.reading():
            assert store._stored_reviews() == store._all_reviews()
        codes.append(sorted(n.code for found in store.pending_notices().values() for n in found))
    # The situations above did warn, and the warnings went when their cause did.
    assert "macg_supervisor" in codes[2] and "niss_other_name" in codes[3]
    assert codes[4].count("pending_elsewhere") == 2
    assert "supervises_macg" in codes[8] and "supervises_macg" not in codes[9]


@pytest.mark.files_only("its files or directory")
def test_a_store_without_kept_warnings_gets_them_once_from_the_first_writer(
    store, data, monkeypatch
):
    store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    link(store, "cab", NURSE_2, "Peeters", "Lotte", "infirmier")
    add_pharmacy(store)
    store.file_connect(PHARMACIST, "ph", NURSE_2, "Peters", "Lotta", "assistant_pharma")
    expected = said(store.pending_notices())
    assert expected
    # As a store from before: no warnings kept.
    manifest_path = data / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    del manifest["meta"]["reviewed"]
    for name in manifest["tables"].pop("reviews")["segments"].values():
        (data / name).unlink()
    manifest_path.write_text(json.dumps(manifest))
    with monkeypatch.context() as patch:
        # A program that may not write (root may write anywhere: permissions cannot say it).
        patch.setattr("store.file_backend.os.access", lambda path, mode: False)
        reader = open_store(data)  # reviews everything when asked
        assert said(reader.pending_notices()) == expected
    assert "reviews" not in json.loads(manifest_path.read_text())["tables"]
    writer = open_store(data)
    kept = json.loads(manifest_path.read_text())
    assert kept["meta"]["reviewed"] == NOTICES_VERSION and "reviews" in kept["tables"]
    assert said(writer.pending_notices()) == expected
    # Kept by a version of the rules that gave other warnings: reviewed again, once.
    kept["meta"]["reviewed"] = NOTICES_VERSION - 1
    manifest_path.write_text(json.dumps(kept))
    stale = segment_holding(data, "reviews", lambda doc: True)
    raw = orjson.loads(stale.read_bytes())
    for doc in raw["reviews"].values():
        doc["person"] = [{"code": "linked_elsewhere", "params": {}, "key": None}]
    stale.write_bytes(orjson.dumps(raw))
    with monkeypatch.context() as patch:
        patch.setattr("store.file_backend.os.access", lambda path, mode: False)
        reader = open_store(data)  # what an older program kept is neither shown nor damage
        assert said(reader.pending_notices()) == expected
        assert not [p for p in reader.verify() if "reviews" in p]
    assert said(open_store(data).pending_notices()) == expected
    assert json.loads(manifest_path.read_text())["meta"]["reviewed"] == NOTICES_VERSION


def test_a_disconnection_does_not_warn_that_the_person_stays_linked_elsewhere(store):
    add_nursing_home(store)
    link(store, "wzc", NURSE, "Martin", "Claire", "infirmier", actor=DOCTOR_2)
    link(store, "cab", NURSE, "Martin", "Claire", "infirmier")
    (leaving,) = store.file_disconnect(DOCTOR, "cab", [NURSE])
    assert leaving.id not in store.pending_notices()
    joining = store.file_connect(DOCTOR, "cab", NURSE_2, "Peeters", "Lotte", "infirmier")
    link(store, "wzc", NURSE_2, "Peeters", "Lotte", "infirmier", actor=DOCTOR_2)
    assert [n.code for n in store.pending_notices()[joining.id]] == ["linked_elsewhere"]


@pytest.mark.files_only("its files or directory")
def test_check_names_kept_warnings_out_of_step_and_reindex_makes_them_again(store, data):
    link(store, "cab", NURSE_2, "Peeters", "Lotte", "infirmier")
    add_pharmacy(store)
    warned = store.file_connect(PHARMACIST, "ph", NURSE_2, "Peters", "Lotta", "assistant_pharma")
    expected = said(store.pending_notices())
    assert warned.id in expected and store.verify() == []
    # A warning removed by hand: the queue would no longer show it.
    kept = segment_holding(data, "reviews", lambda doc: doc["request"] == warned.id)
    raw = orjson.loads(kept.read_bytes())
    raw["reviews"] = {k: v for k, v in raw["reviews"].items() if v["request"] != warned.id}
    kept.write_bytes(orjson.dumps(raw))
    problems = open_store(data).verify()
    assert f"table reviews: out of date for {warned.id} (1 in all)" in " ".join(problems)
    store.reindex()
    assert store.verify() == [] and said(store.pending_notices()) == expected


@pytest.mark.files_only("its files or directory")
def test_the_history_is_the_log_of_decisions_kept_by_each_commit(store, data):
    first = store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    second = store.file_connect(DOCTOR, "cab", NURSE_2, "Peeters", "Lotte", "infirmier")
    store.approve("adm", second.id)
    store.reject("adm", first.id, "Doublon")
    before = [r.id for r in store.history()]
    assert before[:2] == [first.id, second.id]  # the latest decision first, whatever the id
    assert [r.id for r in store.history(limit=1)] == [first.id]
    assert store.decided_count() == len(before)
    assert store.verify() == []
    # A log edited by hand is named by check, and rebuilt from the requests by --reindex.
    log = segment_holding(data, "decisions", lambda doc: doc["id"] == first.id)
    raw = orjson.loads(log.read_bytes())
    raw["decisions"] = {k: v for k, v in raw["decisions"].items() if v["id"] != first.id}
    log.write_bytes(orjson.dumps(raw))
    assert any("table decisions: out of date" in p for p in open_store(data).verify())
    store.reindex()
    assert store.verify() == [] and [r.id for r in store.history()] == before


def test_the_lists_read_after_every_commit_decode_only_what_changed_and_stay_true(
    store, location, clock
):
    # The queue, the entities, their counts and the activity are read again by each admin
    # console after every commit: what did not change is kept, and the result is always
    # what a store opened afresh reads.
    add_pharmacy(store)
    add_nursing_home(store)
    store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    store.file_connect(PHARMACIST, "ph", NURSE_2, "Peeters", "Lotte", "assistant_pharma")
    other = open_store(location, clock=clock)

    def reads(s):
        return s.requests(), s.entities(), s.entity_summaries(), s.activity(30)

    before = reads(store)
    steps = [
        lambda: other.file_connect(DOCTOR_2, "wzc", TRAINEE, "Claes", "Wout", "infirmier"),
        lambda: other.approve("adm", other.requests("cab")[0].id),
        lambda: other.update_entity("adm", "ph", email="ph2@example.be"),
        lambda: other.reject("adm", other.requests("ph")[0].id, "Erreur"),
    ]
    for step in steps:
        step()
        now = reads(store)
        assert now == reads(open_store(location, clock=clock))
        # A record whose document no commit touched is the one read before, not a copy.
        kept = {r.id: r for r in before[0]}
        assert all(r is kept[r.id] for r in now[0] if r.entity_id == "wzc" and r.id in kept)
        cab = [e for e in now[1] + before[1] if e.id == "cab"]
        assert cab[0] is cab[1]
        before = now
    assert [s.pending for s in store.entity_summaries()] == [0, 0, 1]
    assert sum(store.activity(30).decided) == 2


@pytest.mark.files_only("its files or directory")
def test_the_activity_counts_a_replaced_trail_afresh(store, data, tmp_path, clock):
    first = store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    backup = tmp_path / "backup"
    store.backup(backup)
    store.file_connect(DOCTOR, "cab", NURSE_2, "Peeters", "Lotte", "infirmier")
    assert (sum(store.activity(30).filed), sum(store.activity(30).decided)) == (2, 0)
    # The store restored from the backup under the same console, then one decision: as
    # many entries in the trail as were counted, but not the same ones.
    for name in os.listdir(data):
        (data / name).unlink()
    for name in os.listdir(backup):
        shutil.copy2(backup / name, data / name)
    store.approve("adm", first.id)
    activity = store.activity(30)
    assert (sum(activity.filed), sum(activity.decided)) == (1, 1)
    assert activity == open_store(data, clock=clock).activity(30)


def test_names_are_read_at_the_entity_given_and_kept_until_a_commit_touches_the_person(
    store, location, clock, monkeypatch
):
    add_nursing_home(store)
    other = open_store(location, clock=clock)
    assert store.names_of([NURSE]) == {}  # never named: a NISS only
    filed = other.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    assert store.names_of([NURSE]) == {NURSE: "MARTIN Claire"}  # from the request
    other.approve("adm", filed.id)
    link(other, "wzc", NURSE, "Martijn", "Klara", "infirmier", actor=DOCTOR_2)
    # Each commit touched her: what was kept is read again. At an entity, the name there.
    assert store.names_of([NURSE, DOCTOR], at={NURSE: "cab"}) == {
        NURSE: "MARTIN Claire",
        DOCTOR: "DUPONT Jean",
    }
    assert store.names_of([NURSE]) == {NURSE: "MARTIJN Klara"}  # her latest link
    read = []
    real = type(store)._name_of
    monkeypatch.setattr(
        type(store), "_name_of", lambda self, *args: read.append(args) or real(self, *args)
    )
    # A commit about somebody else keeps her names; one about her does not.
    other.file_connect(DOCTOR, "cab", NURSE_2, "Peeters", "Lotte", "infirmier")
    assert store.names_of([NURSE]) == {NURSE: "MARTIJN Klara"} and read == []
    other.file_disconnect(DOCTOR_2, "wzc", [NURSE])
    other.approve("adm", other.requests("wzc", status="pending")[-1].id)
    assert store.names_of([NURSE]) == {NURSE: "MARTIN Claire"} and read == [(NURSE, None)]
    assert store.names_of([NURSE]) == open_store(location, clock=clock).names_of([NURSE])


@pytest.mark.files_only("its files or directory")
def test_a_damaged_document_elsewhere_neither_stops_a_write_nor_hides_a_warning(store, data):
    add_nursing_home(store)
    elsewhere = store.file_connect(DOCTOR_2, "wzc", NURSE, "Martijn", "Klara", "infirmier")
    store.reject("adm", elsewhere.id, "Doublon")  # in her entity's file only, not the queue
    held = segment_holding(data, "requests", lambda doc: doc["id"] == elsewhere.id)
    raw = orjson.loads(held.read_bytes())
    for doc in raw["requests"].values():
        if doc["id"] == elsewhere.id:
            doc["filed_at"] = "yesterday"
    held.write_bytes(orjson.dumps(raw))
    other = open_store(data)
    # Her other request is reviewed with this one, and cannot be read: the filing is kept,
    # and the warnings are marked incomplete rather than written without it.
    filed = other.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    assert other.request(filed.id).status == "pending"
    assert json.loads((data / "manifest.json").read_text())["meta"]["reviewed"] is False
    # The queue reviews when it reads, and names the damaged document as every read does.
    with pytest.raises(StoreError, match="is damaged"):
        open_store(data).pending_notices()


def test_a_list_read_inside_a_write_that_fails_is_not_kept(store):
    before = [e.id for e in store.entities()]
    entity = {"id": "tmp", "name": "Tmp", "kind": "pharmacie", "email": "t@example.be"}
    with pytest.raises(RuntimeError), store._writing():
        store._insert("entities", {**entity, "language": "fr"})
        assert "tmp" in [e.id for e in store.entities()]  # the write sees its own change
        raise RuntimeError("the write fails after reading")
    assert [e.id for e in store.entities()] == before
