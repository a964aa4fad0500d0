"""E-mail addresses: every address the rule accepts is one the mailer can build and send as is."""

from __future__ import annotations

import contextlib
import email
import email.policy

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rules import Mail, RuleViolation
from rules.fields import clean_email
from store.mailer import build_message


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("a@b.be", "a@b.be"),
        ("  secretariat@cabinet-dupont.be ", "secretariat@cabinet-dupont.be"),
        ("o'brien+vaccinnet@example.co.uk", "o'brien+vaccinnet@example.co.uk"),
        ("info@crèche-été.be", "info@xn--crche-t-3xanb.be"),
        ("info@Crèche-Été。be", "info@xn--crche-t-3xanb.be"),  # what people type, mapped (UTS 46)
        ("info@xn--crche-t-3xanb.be", "info@xn--crche-t-3xanb.be"),
    ],
)
def test_accepted_addresses_are_stored_in_the_form_that_is_sent(raw, stored):
    assert clean_email(raw) == stored
    assert clean_email(stored) == stored


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "ab.be",
        "a@b",
        "a b@c.be",
        "a@@b.be",
        "@b.be",
        "a@.be",
        "a@b..be",
        "a.@b.be",
        "a;@b.be",  # would be a second, empty recipient
        "a,b:@c.be",  # would be a group
        "secretariat@[cabinet-dupont.be",  # crashed the e-mail package's folder
        "a@[192.0.2.1]",
        '"a b"@c.be',
        "a(comment)@c.be",
        "Name <a@b.be>",
        "a@b.be, c@d.be",
        "a@-b.be",
        "a@b-.be",
        "a@1.2.3.4",
        "a@xn--zz.be",
        "a@" + "b" * 64 + ".be",
        "a" * 65 + "@b.be",
        "a@" + "b." * 130 + "be",
    ],
)
def test_refused_addresses(raw):
    with pytest.raises(RuleViolation) as caught:
        clean_email(raw)
    assert caught.value.code == "invalid_email"
    assert "secretariat@cabinet.be" in caught.value.message("fr")


@pytest.mark.parametrize("raw", ["a@b\u2028.be", "a\u202e@b.be", "a\x1b@b.be"])
def test_control_characters_in_an_address_are_named_as_such(raw):
    with pytest.raises(RuleViolation) as caught:
        clean_email(raw)
    assert caught.value.code == "control_characters"
    assert "\x1b" not in caught.value.message("fr")


def test_a_non_ascii_local_part_is_refused_with_the_reason_in_each_language():
    with pytest.raises(RuleViolation) as caught:
        clean_email("zoë@cabinet.be")
    assert caught.value.code == "invalid_email"
    assert "avant le @" in caught.value.message("fr")
    assert "vóór de @" in caught.value.message("nl")
    assert "before the @" in caught.value.message("en")


# Strings near the edge: the specials of RFC 5322, dots, brackets, quotes, non-ASCII letters,
# controls and separators, so that many are accepted and many refused.
_ODD = [
    *"abzAZ09.-_+'!#$%&*/=?^`{|}~\"(),:;<>@[]\\ \t\x00\x1b\u2028\u202eéÉßı",
    "xn--",
    "。",
    "．",
    "ｅ",
    "crèche",
    "été",
    "be",
    "..",
    "\u0301",
    "ǅ",
    "İ",
]
_HOSTILE = st.lists(st.sampled_from(_ODD), max_size=12).map("".join)
# Mostly plain words, so that many addresses pass and the odd pieces meet valid ones.
_PLAIN = ["ab", "z", "09", "-", "é", "crèche", "xn--"] * 8
_WORD = st.lists(st.sampled_from(_PLAIN + _ODD), min_size=1, max_size=5).map("".join)
_LOCAL = st.one_of(_HOSTILE, _WORD)
_DOMAIN = st.one_of(_HOSTILE, st.lists(_WORD, min_size=2, max_size=4).map(".".join))


def _sent_to(address: str) -> list[email.headerregistry.Address]:
    mail = Mail(
        to=address,
        subject="Vaccinnet",
        body="Bonjour",
        id="M000001",
        message_id="<1@vaccinnet-staff>",
        request_id="R000001",
    )
    # Rendered as smtplib and the Maildir render it, then read back as a server would.
    wire = build_message(mail, "Vaccinnet <no-reply@example.be>").as_bytes(policy=email.policy.SMTP)
    parsed = email.message_from_bytes(wire, policy=email.policy.default)
    return list(parsed["To"].addresses)


@settings(max_examples=3000, deadline=None)
@given(local=_LOCAL, domain=_DOMAIN)
@example(local="secretariat", domain="[cabinet-dupont.be")
@example(local="a;", domain="b.be")
@example(local="a,b:", domain="c.be")
@example(local="a", domain="crèche。be")
def test_every_accepted_address_builds_a_message_to_exactly_that_address(local, domain):
    try:
        address = clean_email(f"{local}@{domain}")
    except RuleViolation:
        return
    (recipient,) = _sent_to(address)
    assert recipient.addr_spec == address and recipient.display_name == ""
    assert clean_email(address) == address


def test_the_property_reaches_accepted_addresses():
    # Guard against a strategy that only ever produces refusals, which would prove nothing.
    accepted = set()

    @settings(max_examples=1000, deadline=None, database=None, derandomize=True)
    @given(local=_LOCAL, domain=_DOMAIN)
    def collect(local, domain):
        with contextlib.suppress(RuleViolation):
            accepted.add(clean_email(f"{local}@{domain}"))

    collect()
    assert len(accepted) >= 20, len(accepted)
