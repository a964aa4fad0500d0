"""The outbox: a decision's mail queued in its transaction, then sent, deferred or failed."""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from rules import Entity, Mail, MailDraft, Request, RuleViolation, compose_decision_mail
from rules.outbox import check_retry
from store import codec
from store.engine import BRUSSELS, Engine, retried
from store.indexes import MAILS_BY_STATUS
from store.records import Records
from store.segments import Doc


def queue_decision_mail(engine: Engine, entity: Entity, request: Request) -> None:
    """The mail telling the entity of a decision, inside the decision's own transaction."""
    assert request.decided_at is not None
    draft = compose_decision_mail(
        entity,
        request,
        request.filed_at.astimezone(BRUSSELS),
        request.decided_at.astimezone(BRUSSELS),
    )
    doc_id = engine._files.next_id("outbox")
    mail = Mail(
        to=draft.to,
        subject=draft.subject,
        body=draft.body,
        status="pending",
        id=codec.mail_id(doc_id),
        # Stable across retries so a receiver can recognise a mail sent twice.
        message_id=f"<{request.id}.{request.status}.{doc_id}@vaccinnet-staff>",
        entity_id=entity.id,
        request_id=request.id,
        language=draft.language,
        created_at=request.decided_at,
    )
    engine._insert("outbox", codec.mail_to_doc(mail), doc_id)


def queue_mail(
    engine: Engine,
    draft: MailDraft,
    topic: str,
    entity_id: str = "",
    attachment: tuple[str, str] = ("", ""),
) -> Mail:
    """A mail the housekeeping job writes (a digest, a link's end, a review's reminder), in
    its transaction; ``topic`` makes its Message-ID recognisable if it is ever sent twice."""
    doc_id = engine._files.next_id("outbox")
    mail = Mail(
        to=draft.to,
        subject=draft.subject,
        body=draft.body,
        id=codec.mail_id(doc_id),
        message_id=f"<{topic}.{doc_id}@vaccinnet-staff>",
        entity_id=entity_id,
        language=draft.language,
        created_at=engine._clock(),
        attachment_name=attachment[0],
        attachment=attachment[1],
    )
    engine._insert("outbox", codec.mail_to_doc(mail), doc_id)
    return mail


_NEVER = datetime.min.replace(tzinfo=UTC)
# How long a notifier holds the mails it claimed: well past a whole round's SMTP timeouts.
CLAIM_LEASE = timedelta(minutes=10)


def _held_until(doc: Doc) -> datetime:
    """Until when a notifier holds a mail (store/outbox.py claim_due_mails); long ago if none."""
    text = doc.get("claimed_until")
    try:
        held = datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        held = None  # a damaged claim holds nothing: the mail is sent rather than stuck
    return held if held is not None and held.tzinfo is not None else _NEVER


def _let_go(doc: MutableMapping[str, Any]) -> None:
    doc.pop("claimed_by", None)
    doc.pop("claimed_until", None)


class Outbox(Records):
    def _mail(self, mail_id: str) -> tuple[int, Mail]:
        doc_id = codec.mail_doc_id(mail_id)
        doc = self._files.get("outbox", doc_id) if doc_id else None
        if doc_id is None or doc is None:
            raise RuleViolation("unknown_mail", {"mail": str(mail_id).strip()})
        return doc_id, codec.mail_from_doc(doc)

    def _save_mail(self, doc_id: int, mail: Mail) -> Mail:
        self._tables["outbox"].update(codec.mail_to_doc(mail), doc_ids=[doc_id])
        return mail

    def outbox(self, status: str | None = "pending") -> list[Mail]:
        with self.reading():
            if status is None:
                found = list(self._files.items("outbox"))
            else:
                found = self._docs(MAILS_BY_STATUS, status)
            return [codec.mail_from_doc(doc) for _, doc in found]

    def mails_to_review(self, sent: int) -> tuple[list[Mail], int]:
        """Every mail not sent yet, failed first, then the newest ``sent`` sent ones; and how
        many mails were sent in all. The E-mails section reads this page, not 150,000 mails:
        the unsent ones from their own table, the sent ones from the newest segments."""
        with self.reading():
            unsent = [
                codec.mail_from_doc(doc)
                for status in ("failed", "pending")
                for _, doc in self._docs(MAILS_BY_STATUS, status)
            ]
            newest: list[Mail] = []
            for _, doc in self._files.newest_first("outbox"):
                if len(newest) >= sent:
                    break
                if doc.get("status") == "sent":
                    newest.append(codec.mail_from_doc(doc))
            # Mails are never removed: every id up to the next one is a mail.
            total = self._files.next_id("outbox") - 1
        return [*unsent, *newest], total - len(unsent)

    def due_mails(self, limit: int = 100) -> list[Mail]:
        """Pending mails whose next attempt is due now and that no notifier holds, oldest
        first."""
        with self.reading():
            return [mail for _, _, mail in self._due(self._clock(), limit)]

    def _due(self, now: datetime, limit: int) -> list[tuple[int, Doc, Mail]]:
        due = []
        for doc_id, doc in self._docs(MAILS_BY_STATUS, "pending"):
            mail = codec.mail_from_doc(doc)
            if mail.next_attempt_at is not None and mail.next_attempt_at > now:
                continue
            if _held_until(doc) > now:
                continue
            due.append((doc_id, doc, mail))
            if len(due) >= limit:
                break
        return due

    @retried
    def claim_due_mails(
        self, notifier: str, lease: timedelta = CLAIM_LEASE, limit: int = 100
    ) -> list[Mail]:
        """The mails due now that no other notifier holds, held now by ``notifier`` for
        ``lease``: several notifiers, on several hosts, never send one mail twice. Recording
        the outcome (mark_sent…) lets go; a notifier that died holds its mails until the lease
        ends, then another sends them, under the same Message-ID.

        The claim is a lease written by one commit rather than a row lock held while a mail
        server is talked to: every write takes the store's one writers' lock, so a row lock
        held through a slow SMTP dialogue would stall every writer behind it."""
        now = self._clock()
        if not self.due_mails(limit):
            return []  # an idle notifier reads, and writes nothing
        with self._writing():
            claimed = self._due(now, limit)
            until = (now + lease).isoformat()
            for doc_id, doc, _mail in claimed:
                self._files.put(
                    "outbox", doc_id, {**doc, "claimed_by": notifier, "claimed_until": until}
                )
        return [mail for _, _, mail in claimed]

    @retried
    def release_mails(self, notifier: str, mail_ids: list[str]) -> None:
        """Let go of claimed mails a round did not get to (it stopped at an unreachable
        server): they are due again at once, for this notifier or another."""
        if not mail_ids:
            return
        with self._writing():
            for mail_id in mail_ids:
                doc_id = codec.mail_doc_id(mail_id)
                doc = self._files.get("outbox", doc_id) if doc_id else None
                if doc_id and doc is not None and doc.get("claimed_by") == notifier:
                    self._tables["outbox"].update(_let_go, doc_ids=[doc_id])

    @retried
    def _attempted(self, mail_id: str, **changes: Any) -> Mail:
        """One delivery attempt recorded: every outcome counts the attempt."""
        with self._writing():
            doc_id, mail = self._mail(mail_id)
            saved = self._save_mail(doc_id, replace(mail, attempts=mail.attempts + 1, **changes))
            # Recorded: the notifier lets go (a deferred mail is due again at its next attempt).
            self._tables["outbox"].update(_let_go, doc_ids=[doc_id])
            return saved

    def mark_sent(self, mail_id: str) -> Mail:
        return self._attempted(
            mail_id, status="sent", sent_at=self._clock(), last_error=None, next_attempt_at=None
        )

    def mark_deferred(self, mail_id: str, error: str, retry_in: timedelta) -> Mail:
        """The server is down or answered 4xx: the mail stays in the outbox for later."""
        return self._attempted(mail_id, last_error=error, next_attempt_at=self._clock() + retry_in)

    def mark_failed(self, mail_id: str, error: str) -> Mail:
        """The server refused for good (5xx): kept, shown to admins, retried only on request."""
        return self._attempted(mail_id, status="failed", last_error=error, next_attempt_at=None)

    @retried
    def retry_mail(self, admin_id: str, mail_id: str) -> Mail:
        """A failed mail goes back in the queue, to the entity's address of now: a mail that
        failed on its address is retried after the admin corrected the entity's."""
        with self._writing():
            if self._admin(admin_id) is None:
                raise RuleViolation("not_authorized", message_key="not_authorized.admin")
            doc_id, mail = self._mail(mail_id)
            check_retry(mail)
            found = self._entity_doc(mail.entity_id)
            to = (found[1].get("email") or mail.to) if found else mail.to
            retried = self._save_mail(
                doc_id, replace(mail, status="pending", to=to, next_attempt_at=None)
            )
            moved = {"previous_to": mail.to} if to != mail.to else {}
            self._audit(
                admin_id,
                "mail_retried",
                mail.entity_id,
                None,
                mail.request_id,
                mail=mail.id,
                to=to,
                previous_error=mail.last_error,
                **moved,
            )
        return retried
