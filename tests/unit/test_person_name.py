"""A person is named one way everywhere: surname first, in capitals."""

from datetime import UTC, datetime

from rules import Link, Request, person_label, person_name
from rules.records import colleague_label

WHEN = datetime(2026, 3, 2, tzinfo=UTC)


def test_the_surname_comes_first_in_capitals():
    assert person_name("Marie", "Van den Bossche") == "VAN DEN BOSSCHE Marie"


def test_links_requests_and_labels_share_the_form():
    link = Link("cab", "85073003328", "Dupont", "Jean", "medecin", WHEN)
    request = Request("R1", "connect", "cab", "85073003328", "Dupont", "Jean", "medecin", "x", WHEN)
    assert link.full_name == request.full_name == "DUPONT Jean"
    assert person_label("Jean", "Dupont", "85073003328") == "DUPONT Jean (85.07.30-033.28)"
    assert colleague_label("Jean", "Dupont", "85073003328") == "DUPONT Jean (85.07.30-***.**)"
