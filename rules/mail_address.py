"""E-mail addresses the notifier can always send to: one plain addr-spec, IDNA for the domain."""

from __future__ import annotations

import re

from rules.text import has_unsafe_chars, printable
from rules.violation import RuleViolation

# RFC 5322 dot-atom only. Quoted local parts ("a b"@x.be), comments and domain literals
# ([192.0.2.1]) are legal but no practice's address needs them, and they are where the e-mail
# package's parser and folder disagree with each other.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
_LOCAL_PART = re.compile(rf"{_ATEXT}+(?:\.{_ATEXT}+)*")
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")


def clean_email(raw: str) -> str:
    """The address as it will be stored and sent, or a RuleViolation ``invalid_email``.

    A non-ASCII domain is stored in its ASCII (IDNA 2008, "xn--") form, which every server
    accepts. A non-ASCII local part is refused: it needs SMTPUTF8, which few servers offer.
    """
    text = str(raw).strip()

    def refused() -> RuleViolation:
        return RuleViolation("invalid_email", {"value": printable(text)})

    local, at, domain = text.rpartition("@")
    # The bound before IDNA keeps a huge input from costing anything.
    if not at or len(text) > 1000 or has_unsafe_chars(text):
        raise refused()
    if not local.isascii():
        raise RuleViolation(
            "invalid_email",
            {"value": printable(text)},
            message_key="invalid_email.local_part_ascii",
        )
    if len(local) > 64 or not _LOCAL_PART.fullmatch(local):
        raise refused()
    domain = _ascii_domain(domain)
    address = f"{local}@{domain}" if domain else ""
    if not address or len(address) > 254 or not _sends_as_itself(address):
        raise refused()
    return address


def _ascii_domain(domain: str) -> str:
    """The domain in ASCII, or "" when it is not a host name with at least two labels."""
    # Imported here, as email.policy below: a command that checks no address (filing,
    # approving) starts without the 12 ms they cost.
    import idna

    try:
        if not domain.isascii() or "xn--" in domain.lower():
            # uts46 maps what people type (capitals, full-width dots) before the strict check.
            domain = idna.encode(domain, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        return ""
    labels = domain.split(".")
    ok = (
        len(domain) <= 253
        and len(labels) >= 2
        and all(_LABEL.fullmatch(label) for label in labels)
        and not labels[-1].isdigit()
    )
    return domain if ok else ""


def _sends_as_itself(address: str) -> bool:
    """True when the To header the mailer builds holds this one address and nothing else."""
    import email.policy

    try:
        # Parsed and folded exactly as store.mailer builds and sends the To header.
        policy = email.policy.SMTP
        header = policy.header_factory("To", address)
        header.fold(policy=policy)
    # The e-mail package has raised AttributeError and IndexError on odd input, not only
    # ValueError: whatever it cannot handle is an address the notifier could never send.
    except Exception:
        return False
    if header.defects or len(header.groups) != 1 or len(header.addresses) != 1:
        return False
    (parsed,) = header.addresses
    return bool(parsed.display_name == "" and parsed.addr_spec == address)
