"""The staff console never shows a full national register number, even of someone who left."""

from __future__ import annotations

from textual.widgets import Static

from rules import format_niss, make_niss, mask_niss
from tests.conftest import DOCTOR, DOCTOR_2, NURSE_2, link
from tests.functional.tui.conftest import SIZE, make_app, settle
from tui.screens.staff import StaffScreen
from tui.view import load_entity_view
from tui.widgets.record_table import RecordTable


def _former_filer(store) -> str:
    """DOCTOR_2 files a request for the practice, then leaves it; the request stays pending."""
    link(store, "cab", DOCTOR_2, "Jacobs", "Emma", "medecin")
    store.file_connect(DOCTOR_2, "cab", NURSE_2, "Peeters", "Lotte", "infirmier")
    (leaving,) = store.file_disconnect(DOCTOR, "cab", [DOCTOR_2])
    store.approve("adm", leaving.id)
    return leaving.id


def test_a_former_filer_is_named_when_the_view_knows_the_name(store):
    _former_filer(store)
    view = load_entity_view(store, "cab", DOCTOR)
    assert view.name_of(DOCTOR_2) == "JACOBS Emma"  # the approved disconnection names her


def test_a_former_filer_nobody_names_shows_as_a_birth_date(store):
    _former_filer(store)
    for serial in range(5):  # newer decisions push hers out of the latest five
        filed = store.file_connect(
            DOCTOR, "cab", make_niss("010101", serial, True), "Lenaerts", "Jef", "infirmier"
        )
        store.reject("adm", filed.id, "doublon")
    view = load_entity_view(store, "cab", DOCTOR)
    assert view.name_of(DOCTOR_2) == mask_niss(DOCTOR_2) == "78.02.14-***.**"


async def test_the_staff_console_shows_no_full_niss_of_a_former_filer(store):
    _former_filer(store)
    for serial in range(5):
        filed = store.file_connect(
            DOCTOR, "cab", make_niss("010101", serial, True), "Lenaerts", "Jef", "infirmier"
        )
        store.reject("adm", filed.id, "doublon")
    app = make_app(store, DOCTOR)
    seen = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StaffScreen)
        requests = screen.query_one("#requests", RecordTable)
        requests.focus()
        for index, key in enumerate(requests.keys):
            requests.cursor = index
            await pilot.pause()
            seen.append(" ".join(requests.row(key)))
            seen.extend(str(s.render()) for s in screen.query(Static))
    text = "\n".join(seen)
    assert "78.02.14-***.**" in text  # "filed by" the doctor who left
    assert DOCTOR_2 not in text and format_niss(DOCTOR_2) not in text
