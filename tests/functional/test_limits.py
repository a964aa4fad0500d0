"""Limits through the store API: huge texts, odd ids and look-alike names never reach the files."""

from __future__ import annotations

import pytest

from rules import RuleViolation
from tests.conftest import DOCTOR, NURSE


def _refused(code, call, *args):
    with pytest.raises(RuleViolation) as caught:
        call(*args)
    assert caught.value.code == code, caught.value.message("en")
    return caught.value


def _short(value: str) -> str:
    return ascii(value)[:16] + (f"...{len(value)}" if len(value) > 16 else "")


def _files(data) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(data.iterdir()) if p.is_file()}


@pytest.mark.files_only("its files or directory")
def test_a_20_mb_reason_is_refused_and_nothing_is_written(store, data):
    request = store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    before, audit_before, version = _files(data), len(store.audit_entries()), store.version()
    refusal = _refused("reason_too_long", store.reject, "adm", request.id, "x" * 20_000_000)
    assert "20000000" in refusal.message("fr") and "500" in refusal.message("fr")
    assert len(refusal.message("fr")) < 200
    assert store.request(request.id).status == "pending"
    assert store.outbox(status=None) == []
    assert len(store.audit_entries()) == audit_before and store.version() == version
    assert _files(data) == before


@pytest.mark.files_only("its files or directory")
@pytest.mark.parametrize(
    "rid",
    ["R" + "1" * 5000, "R١٢", "R١", "R²", "R0", "R-1", "R 1", "R1.0", "R", "", "1", "\x00"],
    ids=_short,
)
@pytest.mark.parametrize("decide", ["approve", "reject", "delete"])
def test_request_ids_are_r_and_ascii_digits_or_unknown(store, data, rid, decide):
    request = store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    before = _files(data)
    args = (rid, "doublon") if decide == "reject" else (rid,)
    refusal = _refused("unknown_request", getattr(store, decide), "adm", *args)
    assert len(refusal.message("en")) < 200  # a 5,000-digit id is not echoed whole
    assert store.request(rid) is None and store.review("adm", rid) is None
    assert store.request(request.id).status == "pending"
    assert _files(data) == before


def test_the_unicode_digit_lookalike_of_a_real_id_does_not_find_it(store):
    request = store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    number = int(request.id[1:])
    arabic = "R" + "".join(chr(0x0660 + int(d)) for d in str(number))
    assert int(arabic[1:]) == number  # what int() alone would have accepted
    assert store.request(arabic) is None
    assert store.request(request.id.lower()).id == request.id  # case was always forgiven


@pytest.mark.files_only("its files or directory")
@pytest.mark.parametrize(
    "mid", ["M" + "1" * 5000, "M١", "M999999", "garbage", "", "M0"], ids=_short
)
def test_a_bad_mail_id_is_a_rule_refusal_not_a_crash(store, data, mid):
    request = store.file_connect(DOCTOR, "cab", NURSE, "Martin", "Claire", "infirmier")
    store.reject("adm", request.id, "doublon")
    before = _files(data)
    refusal = _refused("unknown_mail", store.retry_mail, "adm", mid)
    assert "n'existe pas" in refusal.message("fr") and len(refusal.message("fr")) < 200
    assert _files(data) == before


def test_full_width_names_are_filed_in_ordinary_letters(store):
    request = store.file_connect(DOCTOR, "cab", NURSE, "Ｍａｒｔｉｎ", "Ｃｌａｉｒｅ", "infirmier")
    assert (request.last_name, request.first_name) == ("Martin", "Claire")
    assert store.request(request.id).last_name == "Martin"
    assert store.review("adm", request.id).notices == ()


@pytest.mark.files_only("its files or directory")
def test_a_name_mixing_scripts_is_refused_and_nothing_is_filed(store, data):
    before = _files(data)
    refusal = _refused(
        "mixed_script_name",
        store.file_connect,
        DOCTOR,
        "cab",
        NURSE,
        "Дupont",
        "Claire",
        "infirmier",
    )
    assert "Дupont" in refusal.message("fr")
    assert store.requests("cab") == [] and _files(data) == before


def test_a_cyrillic_name_is_filed_and_flagged_in_the_review(store):
    request = store.file_connect(DOCTOR, "cab", NURSE, "Иванова", "Мария", "infirmier")
    codes = [n.code for n in store.review("adm", request.id).notices]
    assert codes == ["name_other_script", "name_other_script"]
    texts = [n.message("fr") for n in store.review("adm", request.id).notices]
    assert "Le nom « Иванова » est écrit en cyrillique" in texts[0]
    assert "Le prénom « Мария »" in texts[1]


@pytest.mark.files_only("its files or directory")
@pytest.mark.parametrize("admin_id", ["Anne", "anne lambert", 'a"b', "a;rm -rf", "é", "a" * 33])
def test_admin_ids_outside_the_safe_alphabet_are_refused(store, data, admin_id):
    before = _files(data)
    _refused("invalid_admin_id", store.add_admin, admin_id, "Anne Lambert")
    assert _files(data) == before
