"""The audit trail read back (filtered, or counted per day) and the SSH key changes it notes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from store import codec
from store.audit import AuditEntry
from store.engine import BRUSSELS, Engine, retried
from store.segments import Doc

DAY_COUNTS = {
    "request_filed": "filed",
    "request_approved": "decided",
    "request_rejected": "decided",
    "request_deleted": "decided",
}


@dataclass(frozen=True)
class Activity:
    first_day: date
    filed: tuple[int, ...]
    decided: tuple[int, ...]


class Trail(Engine):
    def audit_entries(
        self,
        entity_id: str | None = None,
        niss: str | None = None,
        actor: str | None = None,
        since: date | None = None,
        newest_first: bool = False,
        limit: int | None = None,
    ) -> list[AuditEntry]:
        """The trail, oldest first unless asked; filters combine (all must match).

        Newest first with a ``limit``, only the last segments are read: the admins' Audit
        section shows a page of the trail, not 150,000 entries.
        """
        since_iso = since.isoformat() if since else None
        with self.reading():
            trail = (
                self._files.newest_first("audit") if newest_first else self._files.items("audit")
            )
            docs = (doc for _, doc in trail)
            return self._matching(docs, entity_id, niss, actor, since_iso, limit)

    def audit_length(self) -> int:
        """How many entries the trail holds (its head says so: nothing else is read)."""
        with self.reading():
            head = self._files.meta.get("audit_head") or {}
            return int(head.get("count", 0))

    def _matching(
        self,
        docs: Iterable[Doc],
        entity_id: str | None,
        niss: str | None,
        actor: str | None,
        since_iso: str | None,
        limit: int | None,
    ) -> list[AuditEntry]:
        found = []
        for doc in docs:
            entry = codec.audit_from_doc(doc)
            if entity_id is not None and entry.entity_id != entity_id:
                continue
            if niss is not None and entry.niss != niss and entry.actor != niss:
                continue
            if actor is not None and entry.actor != actor:
                continue
            # Entries are stored in UTC; a day boundary a few hours off is acceptable here.
            if since_iso is not None and str(entry.at)[:10] < since_iso:
                continue
            found.append(entry)
            if limit is not None and len(found) >= limit:
                break
        return found

    def activity(self, days: int = 30) -> Activity:
        """Requests filed and decided per day over the last ``days`` days.

        Read from the audit trail, newest first, which is in time order: only the last
        weeks are read, however old the store; and, asked again the same day, only the
        entries added since (the queue asks after every commit).
        """
        today = self._clock().astimezone(BRUSSELS).date()
        first = today - timedelta(days=days - 1)
        since = first.isoformat()
        with self.reading():
            head = self._files.meta.get("audit_head") or {"count": 0, "hash": None}
            memo = self._activity
            if memo is not None and memo[0] == (first, days) and memo[1] <= head["count"]:
                last_seq, last_hash = memo[1], memo[2]
                filed, decided = list(memo[3]), list(memo[4])
            else:
                last_seq, last_hash, filed, decided = 0, None, [0] * days, [0] * days
            for doc_id, doc in self._files.newest_first("audit"):
                if doc_id <= last_seq:
                    if doc_id == last_seq and doc.get("hash") == last_hash:
                        break  # counted already
                    self._activity = None  # the trail was replaced (a restore): count it all
                    return self.activity(days)
                # The UTC day: an event just after midnight in Brussels may count for the day
                # before, a fair price for not parsing every timestamp.
                day = doc["at"][:10]
                if day < since:
                    break
                counts = DAY_COUNTS.get(doc["action"])
                if counts is not None:
                    index = (date.fromisoformat(day) - first).days
                    if 0 <= index < days:
                        (filed if counts == "filed" else decided)[index] += 1
            self._activity = ((first, days), head["count"], head["hash"], filed, decided)
        return Activity(first, tuple(filed), tuple(decided))

    @retried
    def note_ssh_key(self, operator: str, action: str, identity: str, fingerprint: str) -> None:
        """Key changes live in authorized_keys; the trail says who changed which, and when."""
        kind, _, value = identity.partition(":")
        with self._writing():
            self._audit(
                operator,
                action,
                niss=value if kind == "niss" else None,
                identity=identity,
                fingerprint=fingerprint,
            )
