"""What each screen looks like at 80×24: French everywhere, and the list in Dutch."""

from __future__ import annotations

from tests.conftest import DOCTOR, NURSE, PHARMACIST
from tests.functional.tui.conftest import SIZE, make_app, settle, type_text
from tests.functional.tui.test_staff_console import NEWCOMER


async def _into_cab(pilot):
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


def test_entity_choice(snap_compare, practice):
    assert snap_compare(make_app(practice, DOCTOR), terminal_size=SIZE, run_before=settle)


def test_staff_list(snap_compare, practice):
    assert snap_compare(make_app(practice, DOCTOR), terminal_size=SIZE, run_before=_into_cab)


def test_staff_list_in_dutch(snap_compare, practice):
    assert snap_compare(
        make_app(practice, DOCTOR, lang="nl"), terminal_size=SIZE, run_before=_into_cab
    )


def test_new_request_with_an_error(snap_compare, practice):
    async def run_before(pilot):
        await _into_cab(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "85023000125")
        await pilot.press("tab")
        await type_text(pilot, "Durand")

    assert snap_compare(make_app(practice, DOCTOR), terminal_size=SIZE, run_before=run_before)


def test_disconnection_confirmation(snap_compare, practice):
    async def run_before(pilot):
        await _into_cab(pilot)
        await pilot.press("end", "space", "d")
        await settle(pilot)

    assert snap_compare(make_app(practice, DOCTOR), terminal_size=SIZE, run_before=run_before)


def test_read_only_list(snap_compare, practice):
    assert snap_compare(make_app(practice, NURSE), terminal_size=SIZE, run_before=settle)


def test_pharmacy_list(snap_compare, practice):
    assert snap_compare(make_app(practice, PHARMACIST), terminal_size=SIZE, run_before=settle)


def test_no_access(snap_compare, practice):
    async def run_before(pilot):
        await settle(pilot)
        await type_text(pilot, "cab")
        await settle(pilot)

    assert snap_compare(make_app(practice, NEWCOMER), terminal_size=SIZE, run_before=run_before)


def test_help(snap_compare, practice):
    async def run_before(pilot):
        await _into_cab(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(make_app(practice, DOCTOR), terminal_size=SIZE, run_before=run_before)


# ----- the administrators' console ------------------------------------------------------------


def _admin(store, lang=None):
    from tui.admin_app import AdminApp

    return AdminApp(store, "adm", lang, poll_interval=0.2)


async def _queue_ready(pilot):
    from tests.functional.tui.conftest import until

    await settle(pilot)
    await until(pilot, lambda: getattr(pilot.app.screen, "review", None) is not None)


def _section(key):
    async def run_before(pilot):
        await _queue_ready(pilot)
        await pilot.press(key)
        await settle(pilot)

    return run_before


def test_admin_queue(snap_compare, practice):
    assert snap_compare(_admin(practice), terminal_size=SIZE, run_before=_queue_ready)


def test_admin_queue_in_dutch(snap_compare, practice):
    assert snap_compare(_admin(practice, "nl"), terminal_size=SIZE, run_before=_queue_ready)


def test_admin_reject_dialog(snap_compare, practice):
    async def run_before(pilot):
        await _queue_ready(pilot)
        await pilot.press("r")
        await settle(pilot)

    assert snap_compare(_admin(practice), terminal_size=SIZE, run_before=run_before)


def test_admin_history(snap_compare, practice):
    assert snap_compare(_admin(practice), terminal_size=SIZE, run_before=_section("2"))


def test_admin_entities(snap_compare, practice):
    assert snap_compare(_admin(practice), terminal_size=SIZE, run_before=_section("3"))


def test_admin_audit(snap_compare, practice):
    assert snap_compare(_admin(practice), terminal_size=SIZE, run_before=_section("4"))


def test_admin_outbox(snap_compare, practice):
    assert snap_compare(_admin(practice), terminal_size=SIZE, run_before=_section("5"))
