"""The import's reader on the shapes Belgian spreadsheets really produce."""

from __future__ import annotations

import pytest

from rules import RuleViolation
from rules.bulk import MAX_BYTES, MAX_ROWS, decode, parse_rows, type_code


def _refused(code, call, *args):
    with pytest.raises(RuleViolation) as caught:
        call(*args)
    assert caught.value.code == code, caught.value.message("en")
    return caught.value


def test_a_semicolon_file_from_excel_with_a_bom_and_a_french_header():
    data = "\ufeffNISS;Nom;Prénom;Type\r\n85.07.30-033.28;Dupont;Jean;médecin\r\n".encode()
    (row,) = parse_rows(decode(data))
    assert (row.line, row.niss, row.last_name, row.first_name, row.employee_type) == (
        2,
        "85.07.30-033.28",
        "Dupont",
        "Jean",
        "médecin",
    )


def test_a_windows_1252_file_with_accents_and_a_dutch_header_in_another_order():
    data = "Voornaam;Naam;Rijksregisternummer;Functie;Gekoppeld tot\n".encode("cp1252")
    data += "Zoë;Lelièvre;90011501277;verpleegkundige;31/12/2027\n".encode("cp1252")
    (row,) = parse_rows(decode(data))
    assert (row.first_name, row.last_name, row.niss, row.until) == (
        "Zoë",
        "Lelièvre",
        "90011501277",
        "31/12/2027",
    )


def test_commas_quoted_fields_trailing_cells_and_empty_lines():
    text = 'NISS,Last name,First name,Type\n90011501277,"Van den Berg; Jr",Ann,nurse,,\n\n\n'
    (row,) = parse_rows(text)
    assert row.last_name == "Van den Berg; Jr" and row.employee_type == "nurse"
    # Without a header: NISS, name, first name, type and the end date when there is one.
    rows = parse_rows("90011501277;Martin;Claire;infirmier\n96060614089;Claes;Wout;HAIO;30/06/2027")
    assert [(r.line, r.until) for r in rows] == [(1, ""), (2, "30/06/2027")]


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("infirmier", "infirmier"),
        ("Infirmière", "infirmier"),
        ("verpleegkundige", "infirmier"),
        ("nurse", "infirmier"),
        ("HAIO", "macg"),
        ("GP trainee", "macg"),
        ("pharmacienne", "pharmacien"),
        ("Collaborateur administratif", "administratif"),
        ("plombier", "plombier"),  # left as typed: the rules say it does not exist
    ],
)
def test_a_type_as_its_code_or_its_label_in_any_language(cell, code):
    assert type_code(cell) == code


def test_what_cannot_be_imported_says_why():
    _refused("import_empty", parse_rows, "\n\n  \n")
    _refused("import_not_text", parse_rows, decode(bytes(range(0, 256)) * 4))
    _refused("import_too_big", decode, b"x" * (MAX_BYTES + 1))
    many = "\n".join(f"90011501277;N;P;infirmier{i}" for i in range(MAX_ROWS + 1))
    _refused("import_too_many", parse_rows, many)
    refusal = _refused(
        "import_bad_columns",
        parse_rows,
        "90011501277;Martin;Claire;infirmier\n90011501277;Martin\nx;y;z;t;u;v;w\n",
    )
    assert "lignes 2, 3" in refusal.message("fr")


def test_a_hostile_cell_is_its_rows_problem_and_a_huge_paste_is_refused():
    text = "90011501277;Mar\x1b[31mtin;Claire;infirmier\n91052008894;Lambert;Zoé;infirmier\n"
    rows = parse_rows(text)  # the rows are read; the rules refuse the first one alone
    assert [r.last_name for r in rows] == ["Mar\x1b[31mtin", "Lambert"]
    _refused("import_too_big", parse_rows, "90011501277;N;P;nurse\n" * 60_000)
