"""Bulk onboarding: rows of a spreadsheet (pasted or from a file) read as connect requests, each
judged by the same rules as a single « Nouvelle demande » before anything is filed."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from rules.niss import format_niss, niss_or_none
from rules.records import Admin, Link, Request
from rules.requests import EntityState, plan_admin_link, plan_connect
from rules.text import fold, has_unsafe_chars
from rules.violation import RuleViolation
from rules.vocabulary import EMPLOYEE_TYPES, type_label

MAX_ROWS = 1_000
# A file is refused by its size before it is read whole; 1,000 rows fit in far less.
MAX_BYTES = 1_000_000

# What a header cell may say, in fr, nl and en (folded: case and accents ignored).
HEADERS = {
    "niss": {
        "niss",
        "insz",
        "rrn",
        "inss",
        "numero de registre national",
        "rijksregisternummer",
        "national register number",
        "registre national",
    },
    "last_name": {"nom", "naam", "achternaam", "last name", "surname", "family name"},
    "first_name": {"prenom", "voornaam", "first name", "given name"},
    "employee_type": {
        "type",
        "type d'employe",
        "type medewerker",
        "employee type",
        "fonction",
        "functie",
    },
    "until": {
        "lie jusqu'au",
        "lie(e) jusqu'au",
        "jusqu'au",
        "gekoppeld tot",
        "tot",
        "linked until",
        "until",
    },
}
COLUMNS = ("niss", "last_name", "first_name", "employee_type", "until")

# A type as its code, its label in any language, or the form a spreadsheet writes for a
# woman (the labels write « infirmier·ère », the cells « infirmière »).
_TYPE_NAMES = {fold(code): code for code in EMPLOYEE_TYPES} | {
    fold(label): code for code, labels in EMPLOYEE_TYPES.items() for label in labels.values()
}
_TYPE_NAMES |= {
    fold(name): code
    for name, code in (
        ("infirmier", "infirmier"),
        ("infirmière", "infirmier"),
        ("pharmacienne", "pharmacien"),
        ("assistante pharmaceutico-technique", "assistant_pharma"),
        ("collaboratrice administrative", "administratif"),
    )
}


@dataclass(frozen=True, slots=True)
class Row:
    """One row as typed: its line in the source, and its cells by column."""

    line: int
    niss: str
    last_name: str
    first_name: str
    employee_type: str
    until: str = ""


@dataclass(frozen=True, slots=True)
class Verdict:
    """ready (``request`` would be filed), refused, duplicate, linked or pending."""

    row: Row
    status: str
    request: Request | None = None
    refusal: RuleViolation | None = None
    link: Link | None = None  # an admin's import links directly

    def message(self, lang: str) -> str:
        return self.refusal.message(lang) if self.refusal is not None else ""


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or Windows-1252, as Belgian spreadsheets save CSV; bytes
    that are not text (NUL, other control bytes) are refused."""
    if len(data) > MAX_BYTES:
        raise RuleViolation("import_too_big", {"size": len(data), "limit": MAX_BYTES})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return text


def type_code(raw: str) -> str:
    """The employee type a cell names, as its code or its label in fr, nl or en."""
    return _TYPE_NAMES.get(fold(raw), raw.strip())


def _looks_binary(text: str) -> bool:
    """NUL, or control characters in more than one line in twenty: not a spreadsheet. A few
    in a cell are that cell's problem: its row is refused by the rule a form field meets."""
    if "\x00" in text:
        return True
    controls = sum(1 for ch in text if ch not in "\t\r\n" and has_unsafe_chars(ch))
    return controls > max(1, text.count("\n") + 1) // 20 and controls > 2


def _is_header(cells: Sequence[str]) -> bool:
    names = {fold(c) for c in cells}
    return any(names & HEADERS[col] for col in ("niss", "last_name", "first_name"))


def parse_rows(text: str) -> list[Row]:
    """The rows of a paste or a file: `;` or `,` separated (sniffed), quoted fields allowed,
    an optional header row in fr, nl or en naming the columns in any order; without one,
    NISS, last name, first name, type and, optionally, the end date."""
    if len(text) > MAX_BYTES:
        # A paste is bounded as a file is: a 50 MB paste is not read as rows.
        raise RuleViolation("import_too_big", {"size": len(text.encode()), "limit": MAX_BYTES})
    body = text.lstrip("\ufeff")
    if _looks_binary(body):
        raise RuleViolation("import_not_text")
    numbered = [(n, line) for n, line in enumerate(body.splitlines(), start=1) if line.strip()]
    if not numbered:
        raise RuleViolation("import_empty")
    sample = "\n".join(line for _, line in numbered[:20])
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    records = list(
        csv.reader(io.StringIO("\n".join(line for _, line in numbered)), delimiter=delimiter)
    )
    header = _is_header(records[0])
    if header:
        order = [
            next((col for col, names in HEADERS.items() if fold(cell) in names), "")
            for cell in records[0]
        ]
        allowed = {len(order)}
    else:
        order, allowed = list(COLUMNS), {4, 5}
    listed = numbered[1:] if header else numbered
    rows = list(zip(listed, records[1:] if header else records, strict=False))
    if len(rows) > MAX_ROWS:
        raise RuleViolation("import_too_many", {"count": len(rows), "limit": MAX_ROWS})
    found, wrong = [], []
    for (line, _), cells in rows:
        # A spreadsheet may add empty cells at the end of a row: they say nothing.
        while len(cells) > min(allowed) and not cells[-1].strip():
            cells = cells[:-1]
        if len(cells) not in allowed:
            wrong.append(line)
            continue
        values = dict.fromkeys(COLUMNS, "")
        for column, cell in zip(order, cells, strict=False):
            if column:
                values[column] = cell.strip()
        found.append(Row(line, **values))
    if wrong:
        raise RuleViolation(
            "import_bad_columns",
            {"lines": ", ".join(str(n) for n in wrong[:20]), "count": len(wrong)},
        )
    if not found:
        raise RuleViolation("import_empty")
    return found


def plan_import(
    state: EntityState | None,
    actor_niss: str,
    rows: Sequence[Row],
    now: datetime,
    today: date,
    request_ids: Sequence[str],
    admin: Admin | None = None,
    as_admin: bool = False,
) -> list[Verdict]:
    """Each row's verdict, judged as the rows before it would leave the entity: a person twice
    in the file is a duplicate, not « already pending »."""
    if len(request_ids) < len(rows):
        raise ValueError("one request id is needed per row")
    verdicts: list[Verdict] = []
    seen: dict[str, int] = {}
    pending = list(state.pending) if state is not None else []
    for row, request_id in zip(rows, request_ids, strict=False):
        known = niss_or_none(row.niss)
        if known is not None and known in seen:
            duplicate = RuleViolation("import_duplicate", {"line": seen[known], "value": row.niss})
            verdicts.append(Verdict(row, "duplicate", refusal=duplicate))
            continue
        current = replace(state, pending=tuple(pending)) if state is not None else None
        if as_admin:
            verdicts.append(_admin_verdict(current, admin, row, now, today, seen))
            continue
        try:
            request = plan_connect(
                current,
                actor_niss,
                row.niss,
                row.last_name,
                row.first_name,
                type_code(row.employee_type),
                now,
                request_id,
                until=row.until,
                today=today,
            )
        except RuleViolation as refusal:
            if refusal.code == "not_authorized":
                raise  # the same for every row: the actor may not file here at all
            status = {"already_linked": "linked", "pending_connect_exists": "pending"}.get(
                refusal.code, "refused"
            )
            verdicts.append(Verdict(row, status, refusal=refusal))
            continue
        seen[request.niss] = row.line
        pending.append(request)
        verdicts.append(Verdict(row, "ready", request=request))
    return verdicts


def _admin_verdict(
    state: EntityState | None,
    admin: Admin | None,
    row: Row,
    now: datetime,
    today: date,
    seen: dict[str, int],
) -> Verdict:
    if state is None:
        raise RuleViolation("unknown_entity", {"value": "?"})
    try:
        link = plan_admin_link(
            state,
            admin,
            row.niss,
            row.last_name,
            row.first_name,
            type_code(row.employee_type),
            now,
            until=row.until,
            today=today,
        )
    except RuleViolation as refusal:
        if refusal.message_key == "not_authorized.admin":
            raise
        status = {"already_linked": "linked", "pending_connect_exists": "pending"}.get(
            refusal.code, "refused"
        )
        return Verdict(row, status, refusal=refusal)
    seen[link.niss] = row.line
    return Verdict(row, "ready", link=link)


# The export's header, per language: the names parse_rows reads back.
EXPORT_HEADERS = {
    "fr": ("NISS", "Nom", "Prénom", "Type d'employé", "Lié jusqu'au"),
    "nl": ("INSZ", "Naam", "Voornaam", "Type medewerker", "Gekoppeld tot"),
    "en": ("NISS", "Last name", "First name", "Employee type", "Linked until"),
}


def export_rows(links: Sequence[Link], lang: str) -> list[tuple[str, ...]]:
    """An entity's staff as import reads it: NISS formatted, types as labels, end dates."""
    ordered = sorted(links, key=lambda k: (k.last_name.casefold(), k.first_name.casefold()))
    return [
        (
            format_niss(k.niss),
            k.last_name,
            k.first_name,
            type_label(k.employee_type, lang),
            k.until.strftime("%d/%m/%Y") if k.until else "",
        )
        for k in ordered
    ]


def export_csv(links: Sequence[Link], lang: str) -> str:
    """The same, as `;`-separated text with its header (no BOM: who writes the bytes adds it)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(EXPORT_HEADERS.get(lang, EXPORT_HEADERS["fr"]))
    writer.writerows(export_rows(links, lang))
    return out.getvalue()
