"""Where the store's documents live: each entity's in one bucket, and the index of people."""

from __future__ import annotations

from store.segments import Derived, Layout, Log, Mirror

PEOPLE = "people"
PENDING = "pending"
UNSENT = "unsent"
DECISIONS = "decisions"
# The queue's warnings (store/reviews.py); the meta key says the table is complete.
REVIEWS = "reviews"
REVIEWED = "reviewed"

# An entity's record, links and requests share one bucket number (their entity id's), so a
# session reads a few files whatever the size of the store. A person is found through the
# index of people: their links, the requests about them and the requests they filed.
STORE_LAYOUT = Layout(
    homes={"entities": "id", "links": "entity_id", "requests": "entity_id", PEOPLE: "niss"},
    derived=(
        Derived(
            PEOPLE,
            "niss",
            (
                ("links", "niss", "links"),
                ("requests", "niss", "requests"),
                ("requests", "filed_by", "filed"),
            ),
        ),
    ),
    # The admins' queue reads the pending requests alone, not every request ever filed; the
    # notifier and the E-mails section the mails not sent yet, not every mail ever sent.
    mirrors=(
        Mirror(PENDING, "requests", "status", ("pending",)),
        Mirror(UNSENT, "outbox", "status", ("pending", "failed")),
    ),
    # The History reads the newest decisions, not every request to sort them.
    logs=(Log(DECISIONS, "requests", "status", "pending"),),
)
