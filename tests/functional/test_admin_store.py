"""What the admin console asks of the store: reviews with warnings, entity changes, history."""

from __future__ import annotations

from datetime import timedelta

import orjson
import pytest

from rules import RuleViolation
from store import open_store
from tests.conftest import (
    ADMIN_NISS,
    DOCTOR,
    DOCTOR_2,
    NURSE,
    NURSE_2,
    PHARMACIST,
    TRAINEE,
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
    store.file_connect(DOCTOR_2, "wzc", TRAINEE, "Claes", "Wout", "macg")
    trainee = store.file_connect(DOCTOR, "cab", TRAINEE, "Claes", "Wout", "macg")
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
    second = store.file_connect(DOCTOR, "cab", TRAINEE, "Claes", "Wout", "macg")
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
    store.file_connect(DOCTOR, "cab", TRAINEE, "Claes", "Wout", "macg")
    store.file_connect(PHARMACIST, "ph", NURSE_2, "Peeters", "An", "assistant_pharma")
    store.file_disconnect(DOCTOR, "cab", [NURSE])
    counts = {s.entity.id: (s.staff, s.managers, s.pending) for s in store.entity_summaries()}
    assert counts == {"cab": (3, 2, 2), "ph": (1, 1, 1)}
    # The same as reading each entity on its own, which the admins' list no longer does.
    for summary in store.entity_summaries():
        assert summary.entity == store.entity(summary.entity.id)
        assert summary.staff == len(store.staff(summary.entity.id))
        assert summary.pending == len(store.requests(summary.entity.id))


def test_the_queue_s_warnings_are_those_of_each_review(store):
    # The queue computes every warning in one pass from the queue of pending requests; it
    # must say exactly what reviewing each request alone says: a warning missed there is
    # a warning the admin never sees.
    add_nursing_home(store)
    link(store, "wzc", NURSE, "Martijn", "Klara", "infirmier", actor=DOCTOR_2)
    link(store, "cab", NURSE_2, "Peeters", "Lotte", "infirmier")
    store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    store.file_connect(DOCTOR_2, "wzc", TRAINEE, "Claes", "Wout", "macg")
    store.file_connect(DOCTOR, "cab", TRAINEE, "Claes", "Wouter", "macg")
    rejected = store.file_connect(DOCTOR_2, "wzc", NURSE_2, "Peters", "Lotta", "infirmier")
    store.reject("adm", rejected.id, "Naam klopt niet")
    store.file_disconnect(DOCTOR, "cab", [NURSE_2])
    store.file_connect(DOCTOR, "cab", ADMIN_NISS, "Admin", "Anne", "administratif")
    for admin in ("adm", "adm2"):
        expected = {}
        for request in store.requests():
            review = store.review(admin, request.id)
            if review.notices:
                expected[request.id] = review.notices
        assert store.pending_notices(admin) == expected
        assert len(expected) >= 4  # the situations above do warn


def test_the_queue_reviews_again_only_what_a_commit_touched_and_misses_nothing(
    store, data, clock, monkeypatch
):
    clock.step = timedelta(milliseconds=10)  # the steps below take well under a minute
    add_nursing_home(store)
    add_pharmacy(store)
    store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    store.file_connect(PHARMACIST, "ph", NURSE_2, "Peeters", "Lotte", "assistant_pharma")
    store.file_connect(DOCTOR_2, "wzc", TRAINEE, "Claes", "Wout", "infirmier")
    reviewed = []
    real = type(store)._notices

    def counted(self, request, *args):
        reviewed.append(request.id)
        return real(self, request, *args)

    monkeypatch.setattr(type(store), "_notices", counted)
    other = open_store(data, clock=clock)  # another session writes
    queue = store.queue_notices("adm")
    assert queue.notices == store.pending_notices("adm") == {}
    steps = [
        # The nurse pending at cab is linked at the nursing home under another name: her
        # request at cab now warns, though nothing at cab changed.
        lambda: link(other, "wzc", NURSE, "Martijn", "Klara", "infirmier", actor=DOCTOR_2),
        # A second request for the trainee elsewhere: both pending requests warn.
        lambda: other.file_connect(DOCTOR, "cab", TRAINEE, "Claes", "Wouter", "infirmier"),
        # A rejection elsewhere is still a name the person was known by.
        lambda: other.reject("adm2", other.requests("ph")[0].id, "Erreur"),
        lambda: other.add_admin("adm3", "Nouvel Admin"),
    ]
    # Only the requests of the entities and people touched are reviewed again: the nurse's
    # at cab and the trainee's at wzc; cab's two and the trainee's other; none (the
    # rejected request was ph's only one); an admin added: all, the admin's record may matter.
    again = [2, 3, 0, None]
    for step, expected in zip(steps, again, strict=True):
        step()
        reviewed.clear()
        queue = store.queue_notices("adm", queue)
        assert len(reviewed) == (len(store.requests()) if expected is None else expected)
        assert queue.notices == store.pending_notices("adm")
    assert set(queue.notices) >= {r.id for r in store.requests() if r.niss in (NURSE, TRAINEE)}
    reviewed.clear()
    # Nothing changed, but a minute went by: everything is reviewed again.
    clock.moment += timedelta(seconds=61)
    store.queue_notices("adm", queue)
    assert sorted(reviewed) == sorted(r.id for r in store.requests())


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
