"""What `check` finds wrong with the indexes the commit keeps: locators, people, mirrors, log."""

from __future__ import annotations

from rules.phrase import N_, Phrase
from store.segments import WHERE, Doc, SegmentFiles

SHOWN = 3


def layout_problems(
    files: SegmentFiles, present: dict[str, dict[int, tuple[int, Doc]]]
) -> list[Phrase]:
    """Each locator must say where each document of its table is, and name no other; the
    index of people must list exactly the documents that name each person; a mirror must
    hold exactly its source's matching documents, and a log each closed one once."""
    problems: list[Phrase] = []
    for table in sorted(present):
        placed = files.placement(table)
        if placed is None:
            continue
        located = present.get(table + WHERE, {})
        wrong = sorted(
            doc_id
            for doc_id, (seg, _doc) in present[table].items()
            if (located.get(doc_id, (0, {}))[1]).get("segment") != seg
        )
        wrong += sorted(set(located) - set(present[table]))
        if wrong:
            problems.append(
                Phrase(
                    N_(
                        "table {table}: the locator is wrong for documents {ids} ({count} in "
                        "all); 'check --reindex' rebuilds it"
                    ),
                    table=table,
                    count=len(wrong),
                    ids=", ".join(map(str, wrong[:SHOWN])),
                )
            )
    for spec in files.layout.derived:
        if files.placement(spec.table) is None:
            continue
        expected: dict[str, dict[str, list[int]]] = {}
        for source, field, name in spec.sources:
            for doc_id, (_seg, doc) in sorted(present.get(source, {}).items()):
                value = doc.get(field)
                if isinstance(value, str):
                    expected.setdefault(value, {}).setdefault(name, []).append(doc_id)
        names = [name for _, _, name in spec.sources]
        # What the index holds and what the documents say, both by the text of the value.
        found: dict[str, dict[str, object]] = {}
        twice = set()
        for _seg, doc in present.get(spec.table, {}).values():
            value = str(doc.get(spec.field))
            if value in found:
                twice.add(value)
            found[value] = {name: doc.get(name, []) for name in names}
        full = {
            value: {name: lists.get(name, []) for name in names}
            for value, lists in expected.items()
        }
        stale = sorted(
            {value for value in {*full, *found} if full.get(value) != found.get(value)} | twice
        )
        if stale:
            problems.append(out_of_date(spec.table, stale))
    for mirror in files.layout.mirrors:
        if not files.has_table(mirror.table):
            continue
        kept = {i: doc for i, (_seg, doc) in present.get(mirror.table, {}).items()}
        should = {
            i: doc
            for i, (_seg, doc) in present.get(mirror.source, {}).items()
            if doc.get(mirror.field) in mirror.values
        }
        differ = sorted(i for i in {*kept, *should} if kept.get(i) != should.get(i))
        if differ:
            problems.append(out_of_date(mirror.table, [str(i) for i in differ]))
    for log in files.layout.logs:
        if not files.has_table(log.table):
            continue
        # Each closed document once, as it is now (a decided request never changes again).
        logged: dict[object, int] = {}
        for _seg, doc in present.get(log.table, {}).values():
            key = doc.get("id")
            logged[key] = logged.get(key, 0) + 1
        closed: dict[object, Doc] = {
            doc.get("id"): doc
            for _seg, doc in present.get(log.source, {}).values()
            if doc.get(log.field) != log.open_value
        }
        in_log: dict[object, Doc] = {
            doc.get("id"): doc for _seg, doc in present.get(log.table, {}).values()
        }
        stale_ids = sorted(
            str(key)
            for key in {*closed, *logged}
            if logged.get(key) != 1 or in_log.get(key) != closed.get(key)
        )
        if stale_ids:
            problems.append(out_of_date(log.table, stale_ids))
    return problems


def out_of_date(table: str, values: list[str]) -> Phrase:
    return Phrase(
        N_(
            "table {table}: out of date for {values} ({count} in all); "
            "'check --reindex' rebuilds it"
        ),
        table=table,
        count=len(values),
        values=", ".join(values[:SHOWN]),
    )
