"""The administrators' console driven by its keys, with the store checked after every flow."""

from __future__ import annotations

import subprocess
import sys

import orjson
from textual.widgets import Button, Input, Select, Static

from rules import format_niss, make_niss
from store import StoreError
from tests.conftest import DOCTOR, NURSE, NURSE_2, PHARMACIST
from tests.functional.tui.conftest import SIZE, Toasts, settle, type_text, until
from tui.admin_app import AdminApp
from tui.screens.admin_audit import AuditScreen
from tui.screens.admin_dialogs import BulkScreen, ConfirmScreen, ReasonScreen, WarningsScreen
from tui.screens.admin_entities import EntitiesScreen, EntityEditScreen, EntityFormScreen
from tui.screens.admin_history import HistoryScreen
from tui.screens.admin_outbox import OutboxScreen
from tui.screens.admin_queue import QueueScreen
from tui.widgets.record_table import RecordTable

ANNA = make_niss("890303", 77)


def make_admin(store, lang=None, poll=0.2) -> AdminApp:
    return AdminApp(store, "adm", lang, poll_interval=poll)


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def section_of(pilot, key: str):
    """From the queue, the section under ``key``: its screen and its list."""
    await queue_of(pilot)
    await pilot.press(key)
    await settle(pilot)
    screen = pilot.app.screen
    return screen, screen.query_one("#records", RecordTable)


def fill_new_entity(form: EntityFormScreen) -> None:
    """A nursing home with a pharmacist as its first manager."""
    for selector, text in (
        ("#entity-id", "mr-zonnebloem"),
        ("#name", "MR De Zonnebloem"),
        ("#email", "info@zonnebloem.be"),
        ("#manager-last", "Maes"),
        ("#manager-first", "Anna"),
    ):
        form.query_one(selector, Input).value = text
    form.query_one("#manager-niss").input.value = ANNA
    form.query_one("#kind", Select).value = "maison_de_repos"
    form.query_one("#language", Select).value = "nl"
    form.query_one("#manager-type", Select).value = "pharmacien"


async def queue_of(pilot) -> QueueScreen:
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, QueueScreen)
    await until(pilot, lambda: screen.data is not None and screen.review is not None)
    return screen


async def test_queue_shows_every_pending_request_with_its_review(practice):
    other = practice.file_connect(PHARMACIST, "ph", ANNA, "Roux", "Anna", "assistant_pharma")
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_of(pilot)
        table = screen.query_one("#records", RecordTable)
        assert len(table.keys) == 2 and table.keys[-1] == other.id
        assert "2 en attente" in text_of(screen, "#summary")
        assert format_niss(NURSE_2) in table.row(table.keys[0])
        detail = text_of(screen, "#detail")
        assert "Cabinet Dupont" in detail and "PEETERS Lotte" in detail
        assert "DUPONT Jean" in detail  # the entity's managers


async def test_approve_links_the_person_and_queues_the_mail(practice):
    app = make_admin(practice)
    toasts = Toasts()
    async with app.run_test(size=SIZE, message_hook=toasts) as pilot:
        screen = await queue_of(pilot)
        target = screen.query_one("#records", RecordTable).cursor_key
        await pilot.press("a")
        await settle(pilot)
        await until(pilot, lambda: target not in screen.query_one("#records", RecordTable).keys)
        assert "approuvée" in toasts.text
    assert practice.request(target).status == "approved"
    assert NURSE_2 in {k.niss for k in practice.staff("cab")}
    assert any(m.request_id == target for m in practice.outbox())


async def test_reject_needs_a_reason(practice):
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_of(pilot)
        target = screen.query_one("#records", RecordTable).cursor_key
        await pilot.press("r")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ReasonScreen)
        await pilot.press("enter")
        assert "Indiquez la raison du rejet" in text_of(dialog, "#reason-error")
        assert practice.request(target).status == "pending"
        await type_text(pilot, "   ")
        assert "Indiquez la raison du rejet" in text_of(dialog, "#reason-error")  # still none
        await type_text(pilot, "Pas de contrat")
        # The error goes as soon as the reason would pass, as in the staff form.
        assert text_of(dialog, "#reason-error").strip() == ""
        await pilot.press("enter")
        await settle(pilot)
        await until(pilot, lambda: not screen.query_one("#records", RecordTable).keys)
    decided = practice.request(target)
    assert (decided.status, decided.reason) == ("rejected", "Pas de contrat")
    (mail,) = [m for m in practice.outbox() if m.request_id == target]
    assert "Pas de contrat" in mail.body


async def test_an_approval_with_a_note_and_the_requesters_note_in_the_review(practice):
    from tui.screens.admin_dialogs import NoteScreen

    noted = practice.file_connect(
        DOCTOR, "cab", make_niss("880808", 77), "Wauters", "Ilse", "infirmier", note="remplaçante"
    )
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_of(pilot)
        table = screen.query_one("#records", RecordTable)
        table.move_to(noted.id)
        await until(pilot, lambda: screen.review and screen.review.request.id == noted.id)
        assert "Note du demandeur\u00a0: remplaçante" in text_of(screen, "#detail")
        await pilot.press("A")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, NoteScreen)
        await type_text(pilot, "x" * 10)
        dialog.query_one("#note", Input).value = "y" * 501
        await pilot.press("enter")
        assert "501 caractères" in text_of(dialog, "#note-error")
        assert app.screen is dialog
        dialog.query_one("#note", Input).value = "Bienvenue dans Vaccinnet"
        await pilot.press("enter")
        await settle(pilot)
        await until(pilot, lambda: noted.id not in table.keys)
    decided = practice.request(noted.id)
    assert (decided.status, decided.reason) == ("approved", "Bienvenue dans Vaccinnet")
    (mail,) = [m for m in practice.outbox() if m.request_id == noted.id]
    assert "Note de l'administrateur : Bienvenue dans Vaccinnet" in mail.body


async def test_delete_asks_first_and_sends_nothing(practice):
    app = make_admin(practice)
    mails = len(practice.outbox())
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_of(pilot)
        target = screen.query_one("#records", RecordTable).cursor_key
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        # The button names the action, as « Rejeter » and « Retirer la demande » do.
        assert str(app.screen.query_one("#yes", Button).label) == "Supprimer"
        await pilot.press("escape")  # changed my mind
        await settle(pilot)
        assert practice.request(target).status == "pending"
        await pilot.press("x")
        await settle(pilot)
        await pilot.click("#yes")
        await settle(pilot)
        await until(pilot, lambda: not screen.query_one("#records", RecordTable).keys)
    assert practice.request(target).status == "deleted"
    assert len(practice.outbox()) == mails


async def test_a_selected_request_once_decided_leaves_the_selection(practice):
    other = practice.file_connect(PHARMACIST, "ph", ANNA, "Roux", "Anna", "assistant_pharma")
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_of(pilot)
        await pilot.press("end", "space")
        assert screen.table.selected == {other.id}
        await until(pilot, lambda: "1 sélectionnée(s)" in text_of(screen, "#summary"))
        await pilot.press("home", "a")  # the selection, not the cursor's request
        await settle(pilot)
        await until(pilot, lambda: other.id not in screen.table.keys)
        assert not screen.table.selected
        assert "sélectionnée" not in text_of(screen, "#summary")
    assert practice.request(other.id).status == "approved"
    assert len(practice.requests("cab")) == 1  # the cursor's request is still pending


async def test_bulk_approval_reports_each_request(practice):
    second = practice.file_connect(DOCTOR, "cab", ANNA, "Roux", "Anna", "administratif")
    third = practice.file_connect(PHARMACIST, "ph", NURSE, "Martin", "Claire", "infirmier")
    first = practice.requests("cab")[0]
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_of(pilot)
        for _ in range(3):
            await pilot.press("space")
        assert len(screen.table.selected) == 3
        # Another administrator decides one of them first.
        practice.reject("adm2", second.id, "doublon")
        await pilot.press("a")
        await settle(pilot)
        # MARTIN Claire is linked at the practice too: one confirmation for the three.
        warned = app.screen
        assert isinstance(warned, WarningsScreen)
        assert third.id in text_of(warned, "#warnings") and first.id not in text_of(
            warned, "#warnings"
        )
        await pilot.click("#yes")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, BulkScreen)
        await until(pilot, lambda: len(dialog.results) == 3)
        assert dialog.results[first.id][0] and dialog.results[third.id][0]
        ok, why = dialog.results[second.id]
        assert not ok and "n'est plus en attente" in why
        assert "2 faite(s), 1 refusée(s)" in text_of(dialog, "#bulk-summary")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen) and not screen.table.selected
    assert practice.request(first.id).status == "approved"
    assert practice.request(third.id).status == "approved"
    assert practice.request(second.id).status == "rejected"


async def test_a_decision_taken_elsewhere_meanwhile_is_shown_plainly(practice):
    app = make_admin(practice)
    toasts = Toasts()
    async with app.run_test(size=SIZE, message_hook=toasts) as pilot:
        screen = await queue_of(pilot)
        target = screen.query_one("#records", RecordTable).cursor_key
        practice.approve("adm2", target)
        await pilot.press("a")
        await settle(pilot)
        assert "n'est plus en attente" in toasts.text
        await until(pilot, lambda: target not in screen.query_one("#records", RecordTable).keys)
    assert practice.request(target).decided_by == "adm2"


async def test_filters_by_text_kind_and_entity(practice):
    out = practice.file_disconnect(DOCTOR, "cab", [NURSE])[0]
    other = practice.file_connect(PHARMACIST, "ph", ANNA, "Roux", "Anna", "assistant_pharma")
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_of(pilot)
        table = screen.query_one("#records", RecordTable)
        assert len(table.keys) == 3
        await pilot.press("k")
        assert set(table.keys) == {other.id, practice.requests("cab")[0].id}
        await pilot.press("k")
        assert table.keys == [out.id]
        await pilot.press("k", "slash")
        await type_text(pilot, "lelièvre")
        assert table.keys == [other.id]
        await pilot.press("escape")
        assert len(table.keys) == 3
        # The same folding as the entity search: no accent, any case.
        await pilot.press("slash")
        await type_text(pilot, "LELIEVRE")
        assert table.keys == [other.id]
        await pilot.press("escape")
        assert len(table.keys) == 3
        # A filter that keeps nothing says so, not that nothing is pending.
        await pilot.press("slash")
        await type_text(pilot, "zonneweide")
        assert table.keys == []
        await until(pilot, lambda: "ne correspond aux filtres" in text_of(screen, "#detail"))
        await pilot.press("escape")
        assert len(table.keys) == 3
        table.move_to(out.id)
        await until(pilot, lambda: screen.review and screen.review.request.id == out.id)
        await pilot.press("f")
        assert set(table.keys) == {out.id, practice.requests("cab")[0].id}
        await pilot.press("f")
        assert len(table.keys) == 3


async def test_queue_follows_other_sessions(practice, data):
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_of(pilot)
        table = screen.query_one("#records", RecordTable)
        code = (
            f"from store import open_store; open_store({str(data)!r}).file_connect("
            f"{PHARMACIST!r}, 'ph', {ANNA!r}, 'Roux', 'Anna', 'administratif')"
        )
        subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
        await until(pilot, lambda: len(table.keys) == 2, timeout=2.5)


async def test_sections_history_entities_audit_outbox(practice):
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        await queue_of(pilot)
        for key, kind in (
            ("2", HistoryScreen),
            ("3", EntitiesScreen),
            ("4", AuditScreen),
            ("5", OutboxScreen),
            ("1", QueueScreen),
        ):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, kind)
            await until(pilot, lambda: app.screen.data is not None)
        await pilot.press("2")
        await settle(pilot)
        history = app.screen
        rows = history.query_one("#records", RecordTable)
        assert any("rejetée" in " ".join(rows.row(k)) for k in rows.keys)
        await pilot.press("slash")
        await type_text(pilot, "inconnue")
        await until(pilot, lambda: len(rows.keys) == 1)  # the reason is searchable
        await until(pilot, lambda: "Inconnue au cabinet" in text_of(history, "#detail"))


async def test_create_and_change_an_entity(practice):
    app = make_admin(practice)
    async with app.run_test(size=(100, 40)) as pilot:
        await queue_of(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, EntityFormScreen)
        fill_new_entity(form)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, EntityFormScreen)
        entities = app.screen
        table = entities.query_one("#records", RecordTable)
        await until(pilot, lambda: "mr-zonnebloem" in table.keys)
        table.move_to("mr-zonnebloem")
        await pilot.press("m")
        await settle(pilot)
        edit = app.screen
        assert isinstance(edit, EntityEditScreen)
        edit.query_one("#email", Input).value = "not an address"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "n'est pas valide" in text_of(edit, "#email-error")
        edit.query_one("#email", Input).value = "directie@zonnebloem.be"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is entities
    entity = practice.entity("mr-zonnebloem")
    assert (entity.kind, entity.language, entity.email) == (
        "maison_de_repos",
        "nl",
        "directie@zonnebloem.be",
    )
    assert [(k.niss, k.employee_type) for k in practice.staff("mr-zonnebloem")] == [
        (ANNA, "pharmacien")
    ]
    assert [e.action for e in practice.audit_entries()][-2:] == ["entity_created", "entity_updated"]


async def test_audit_verification_locates_a_broken_entry(practice, data):
    (segment,) = data.glob("audit.*.json")
    raw = orjson.loads(segment.read_bytes())
    raw["audit"]["4"]["actor"] = "mallory"
    segment.write_bytes(orjson.dumps(raw))
    app = make_admin(practice)
    toasts = Toasts()
    async with app.run_test(size=SIZE, message_hook=toasts) as pilot:
        await queue_of(pilot)
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert "audit entry 4 does not match its hash" in toasts.text


async def test_failed_mail_can_be_retried(practice):
    mail = practice.outbox()[0]
    practice.mark_failed(mail.id, "550 5.1.1 No such mailbox")
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        outbox, table = await section_of(pilot, "5")
        await until(pilot, lambda: mail.id in table.keys)
        assert table.keys[0] == mail.id and mail.id in table.marked  # failed ones first
        await until(pilot, lambda: "550 5.1.1" in text_of(outbox, "#detail"))
        await pilot.press("R")
        await settle(pilot)
    assert [m.status for m in practice.outbox(None) if m.id == mail.id] == ["pending"]
    assert practice.audit_entries()[-1].action == "mail_retried"


async def test_a_sent_mail_cannot_be_retried_from_the_console(practice):
    mail = practice.outbox()[0]
    practice.mark_sent(mail.id)
    trail = len(practice.audit_entries())
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        _outbox, table = await section_of(pilot, "5")
        await until(pilot, lambda: mail.id in table.keys)
        table.move_to(mail.id)
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
    assert [m.status for m in practice.outbox(None) if m.id == mail.id] == ["sent"]
    assert len(practice.audit_entries()) == trail


async def test_a_retry_on_an_out_of_date_list_is_refused_and_the_list_refreshed(practice):
    mail = practice.outbox()[0]
    practice.mark_failed(mail.id, "550 5.1.1 No such mailbox")
    app = make_admin(practice, poll=3600)  # the list is not refreshed behind the admin's back
    toasts = Toasts()
    async with app.run_test(size=SIZE, message_hook=toasts) as pilot:
        _outbox, table = await section_of(pilot, "5")
        await until(pilot, lambda: mail.id in table.marked)
        practice.retry_mail("adm", mail.id)  # another admin was quicker
        await pilot.press("R")
        await until(pilot, lambda: mail.id not in table.marked)
        assert "attend encore d'être envoyé" in toasts.text
    assert [e.action for e in practice.audit_entries()].count("mail_retried") == 1


async def test_language_switch_reaches_every_section(practice):
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_of(pilot)
        assert screen.title == "File d'attente"
        await pilot.press("l")
        await settle(pilot)
        assert screen.title == "Wachtrij"
        await pilot.press("2")
        await settle(pilot)
        assert app.screen.title == "Geschiedenis"


async def test_review_flags_a_name_written_in_another_script(practice):
    flagged = practice.file_connect(PHARMACIST, "ph", ANNA, "Иванова", "Анна", "assistant_pharma")
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_of(pilot)
        await pilot.press("down")
        await until(
            pilot, lambda: screen.review is not None and screen.review.request.id == flagged.id
        )
        await until(pilot, lambda: "cyrillique" in text_of(screen, "#detail"))
        detail = text_of(screen, "#detail")
        assert "⚠ Le nom « Иванова » est écrit en cyrillique" in detail
        assert "⚠ Le prénom « Анна »" in detail
    assert practice.request(flagged.id).status == "pending"


async def test_a_poll_that_fires_while_the_screens_go_is_harmless(practice):
    # A change can be announced between two screens or after the last one left: asking for
    # app.screen then raised ScreenStackError, a traceback on the admin's terminal.
    app = make_admin(practice, poll=3600)
    async with app.run_test(size=SIZE) as pilot:
        queue = await queue_of(pilot)
        stack = app._screen_stacks[app._current_mode]
        saved = list(stack)
        stack.clear()
        try:
            queue.follower.changed(app.store_changes + 1)
        finally:
            stack.extend(saved)
        assert not queue.follower.reading


async def test_a_bulk_decision_that_meets_a_broken_store_stops_and_can_be_closed(
    practice, monkeypatch
):
    practice.file_connect(DOCTOR, "cab", ANNA, "Roux", "Anna", "administratif")
    practice.file_connect(PHARMACIST, "ph", NURSE, "Martin", "Claire", "infirmier")
    ids = [r.id for r in practice.requests()]  # the queue's order, oldest first
    approve = practice.approve

    def fails_after_the_first(admin_id, request_id, note=None):
        if request_id != ids[0]:
            raise StoreError("requests.json", "the disk is full")
        return approve(admin_id, request_id, note)

    app = make_admin(practice)
    toasts = Toasts()
    async with app.run_test(size=SIZE, message_hook=toasts) as pilot:
        screen = await queue_of(pilot)
        monkeypatch.setattr(practice, "approve", fails_after_the_first)
        await pilot.press("space", "space", "space", "a")
        assert isinstance(app.screen, WarningsScreen)  # MARTIN Claire is linked elsewhere
        await pilot.click("#yes")
        dialog = app.screen
        assert isinstance(dialog, BulkScreen)
        await until(pilot, lambda: dialog.stopped)
        assert "the disk is full" in toasts.text
        summary = text_of(dialog, "#bulk-summary")
        assert "Arrêté\u00a0: 1 faite(s), 0 refusée(s), 2 non tentée(s)" in summary
        assert not dialog.query_one("#close").disabled
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
    assert [r.status for r in map(practice.request, ids)] == ["approved", "pending", "pending"]


async def test_a_withdrawn_request_is_in_the_history_and_the_audit_in_words(practice):
    request = practice.requests("cab")[0]
    practice.withdraw(DOCTOR, request.id)
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        queue = app.screen
        assert isinstance(queue, QueueScreen)
        await until(pilot, lambda: queue.data is not None)
        assert request.id not in queue.table.keys  # the queue forgot it
        await pilot.press("2")
        history = app.screen
        assert isinstance(history, HistoryScreen)
        await until(pilot, lambda: request.id in history.table.keys)
        history.table.move_to(request.id)
        # Filed and withdrawn by the doctor: named, with the NISS an admin can search for.
        doctor = f"DUPONT Jean ({format_niss(DOCTOR)})"
        await until(pilot, lambda: f"retirée par {doctor}" in text_of(history, "#detail"))
        assert f"Introduite par {doctor}" in text_of(history, "#detail")
        assert history.table.row(request.id)[-1] == "DUPONT Jean"
        await pilot.press("4")
        audit = app.screen
        assert isinstance(audit, AuditScreen)
        await until(pilot, lambda: audit.data is not None)
        assert "Demande retirée" in " ".join(" ".join(audit.table.row(k)) for k in audit.table.keys)


async def test_the_sections_name_the_administrator_at_work(practice):
    app = AdminApp(practice, "adm", poll_interval=3600, admin_name="Anne Admin")
    async with app.run_test(size=SIZE) as pilot:
        await queue_of(pilot)
        await pilot.press("2")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        assert app.screen.sub_title == "Anne Admin (adm)"  # the name, not only the login


async def test_the_e_mails_list_unsent_ones_first_and_sent_ones_a_page_at_a_time(
    practice, monkeypatch
):
    # A page of 1 here (1,000 in use): every unsent mail is listed, the sent ones newest
    # first, and o lists older ones; the summary counts them all.
    monkeypatch.setattr(OutboxScreen, "PAGE", 1)
    mails = practice.outbox()
    assert len(mails) >= 3
    practice.mark_failed(mails[1].id, "550 5.1.1 No such mailbox")
    for mail in (mails[0], *mails[2:]):
        practice.mark_sent(mail.id)
    sent = sorted((m.id for m in (mails[0], *mails[2:])), reverse=True)
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        outbox, table = await section_of(pilot, "5")
        await until(pilot, lambda: mails[1].id in table.keys)
        assert table.keys == [mails[1].id, sent[0]]
        summary = text_of(outbox, "#summary")
        assert f"{len(sent)} envoyé(s)" in summary or f"{len(sent)} envoy" in summary
        assert "o montre les plus anciens" in summary
        for shown in range(2, len(sent) + 1):
            await pilot.press("o")
            await until(pilot, lambda shown=shown: len(table.keys) == 1 + shown)
        assert table.keys == [mails[1].id, *sent]
        await settle(pilot)
        assert "o montre" not in text_of(outbox, "#summary")
        footer = " ".join(str(key.render()) for key in outbox.query("FooterKey"))
        assert "Plus anciennes" not in footer


async def test_the_history_lists_the_latest_decisions_a_page_at_a_time(practice, monkeypatch):
    monkeypatch.setattr(HistoryScreen, "PAGE", 1)
    decided = [r.id for r in practice.history()]
    assert len(decided) >= 2 and practice.decided_count() == len(decided)
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        history, table = await section_of(pilot, "2")
        await until(pilot, lambda: bool(table.keys))
        assert table.keys == decided[:1]
        summary = text_of(history, "#summary")
        assert f"Les 1 dernières des {len(decided)} demandes" in summary
        for shown in range(2, len(decided) + 1):
            await pilot.press("o")
            await until(pilot, lambda shown=shown: len(table.keys) == shown)
        assert table.keys == decided
        await settle(pilot)
        assert "o montre" not in text_of(history, "#summary")


async def test_the_yearly_review_is_opened_followed_and_closed_from_entities(practice):
    from tui.screens.admin_review import OpenReviewScreen

    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        await queue_of(pilot)
        await pilot.press("3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EntitiesScreen)
        await pilot.press("y")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, OpenReviewScreen)
        await type_text(pilot, "31/02/2026")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog and "31/02/2026" in text_of(dialog, "#due-error")
        dialog.query_one("#due", Input).value = ""
        await type_text(pilot, "30/04/2026")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        table = screen.query_one("#records", RecordTable)
        await until(pilot, lambda: table.row("cab")[4] == "0/3")
        assert "Revue annuelle, échéance le 30/04/2026" in text_of(screen, "#summary")
        practice.confirm_staff(DOCTOR, "cab", [DOCTOR, NURSE])
        await until(pilot, lambda: table.row("cab")[4] == "2/3")
        table.move_to("cab")
        await until(pilot, lambda: "Pas encore confirmé(e)s" in text_of(screen, "#detail"))
        assert "CLAES Wout" in text_of(screen, "#detail")
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("tab", "enter")
        await until(pilot, lambda: table.row("cab")[4] == "")
    assert not practice.campaign().is_open
    assert [e.action for e in practice.audit_entries()][-1] == "review_closed"


async def test_an_import_is_shown_filtered_and_approved_as_one(practice):
    from rules.bulk import parse_rows

    text = "\n".join(
        f"{format_niss(make_niss('810101', 1 + i))};Dubois;Léa;infirmière" for i in range(6)
    )
    verdicts = practice.file_import(DOCTOR, "cab", parse_rows(text))
    batch = verdicts[0].request.batch
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        screen = await queue_of(pilot)
        table = screen.query_one("#records", RecordTable)
        table.move_to(batch)
        await until(pilot, lambda: screen.review and screen.review.request.id == batch)
        assert f"l'import {batch}" in text_of(screen, "#detail")
        await pilot.press("b")
        await until(pilot, lambda: len(table.keys) == 6)
        last = verdicts[-1].request.id
        assert f"import {batch}–{last}, 6 en attente, Cabinet Dupont" in text_of(screen, "#summary")
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)  # six at once: asked first
        assert "6" in text_of(app.screen, ".info")
        await pilot.press("tab", "enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, BulkScreen)
        await until(pilot, lambda: len(dialog.results) == 6)
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen and not table.keys)
        await until(pilot, lambda: "plus rien en attente" in text_of(screen, "#summary"))
        await pilot.press("b")  # every request again
        await until(pilot, lambda: "import" not in text_of(screen, "#summary"))
    approved = [practice.request(v.request.id).status for v in verdicts]
    assert approved == ["approved"] * 6


async def test_an_expired_request_in_history_and_audit_names_the_job(practice, clock):
    from datetime import timedelta

    request = practice.requests("cab")[0]
    clock.moment += timedelta(days=62)
    (expired,) = practice.housekeeping().expired
    assert expired.id == request.id
    app = make_admin(practice)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        queue = app.screen
        await until(pilot, lambda: queue.data is not None)
        assert not queue.table.keys  # the only pending request expired
        await pilot.press("2")
        history = app.screen
        await until(pilot, lambda: request.id in history.table.keys)
        history.table.move_to(request.id)
        await until(
            pilot, lambda: "expirée par la tâche d'entretien" in text_of(history, "#detail")
        )
        assert "aucune décision dans les 60\u00a0jours" in text_of(history, "#detail")
        await pilot.press("4")
        audit = app.screen
        await until(pilot, lambda: audit.data is not None)
        rows = " ".join(" ".join(audit.table.row(k)) for k in audit.table.keys)
        assert "Demande expirée" in rows and "la tâche d'entretien" in rows
