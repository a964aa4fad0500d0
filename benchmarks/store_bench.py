"""Store benchmark: our segmented store against TinyDB used carefully, same data, one run.

    python benchmarks/store_bench.py --scale regional|flanders [--repeat N] [--plain-repeat N]

The baseline is TinyDB as a careful user would run it for many processes sharing one file:
CachingMiddleware, so that each operation reads the file once and writes it at most once
(opened per operation, since another process may have written meanwhile). Warm figures are
taken inside one running process; fresh-process figures start a new Python each time, with
its imports, as a CLI command or a new SSH session does. Prints p50/p95 per operation and
the baseline/ours ratio of the medians. Not a test: the machines are shared and noisy, so
compare the ratios measured side by side.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tinydb import Query, TinyDB
from tinydb.middlewares import CachingMiddleware
from tinydb.storages import JSONStorage
from tinydb.table import Document

from rules import Entity, Link, Request, make_niss
from store import Store, codec, open_store
from store.audit import GENESIS, seal

SCALES = {
    "small": (100, 1_000, 5_000),
    "regional": (1_000, 10_000, 50_000),
    "flanders": (12_000, 70_000, 150_000),
}
PENDING_SHARE = 0.05
COLD = "open + first staff list (cold, in a running process)"
START = datetime(2024, 1, 1, tzinfo=UTC)


def _niss(i: int) -> str:
    day = START.date() - timedelta(days=7_000 + (i * 7919) % 18_000)
    # The century is in the check digits: 29/02/2000 is a date, 29/02/1900 is not.
    return make_niss(day.strftime("%y%m%d"), i % 997 + 1, born_after_1999=day.year >= 2000)


def generate(
    entities: int, links: int, requests: int, seed: int = 1, pending_share: float = PENDING_SHARE
):
    """Documents for every table, shaped exactly like the store's own."""
    rng = random.Random(seed)
    ents = [
        Entity(
            f"ent-{i:05d}",
            f"Entité {i}",
            rng.choice(["cabinet_medical", "pharmacie", "hopital", "maison_de_repos"]),
            f"e{i}@example.be",
            rng.choice(["fr", "nl"]),
        )
        for i in range(entities)
    ]
    link_docs = []
    managers = {}
    for i in range(links):
        entity = ents[i % entities]
        first = i < entities
        kind = "medecin" if first else rng.choice(["infirmier", "administratif", "medecin"])
        niss = _niss(i)
        if first:
            managers[entity.id] = niss
        link_docs.append(
            codec.link_to_doc(
                Link(entity.id, niss, "Nom", "Prénom", kind, START + timedelta(minutes=i))
            )
        )
    request_docs, outbox_docs = [], []
    pending_keys = set()
    for i in range(requests):
        entity = ents[rng.randrange(entities)]
        niss = _niss(links + i)
        pending = rng.random() < pending_share and (entity.id, niss) not in pending_keys
        filed = START + timedelta(minutes=5 * i)
        status = "pending" if pending else rng.choice(["approved", "approved", "rejected"])
        if pending:
            pending_keys.add((entity.id, niss))
        r = Request(
            codec.request_id(i + 1),
            "connect",
            entity.id,
            niss,
            "Nom",
            "Prénom",
            "infirmier",
            managers[entity.id],
            filed,
            status,
            None if pending else "adm",
            None if pending else filed + timedelta(hours=3),
            "raison" if status == "rejected" else None,
        )
        request_docs.append(codec.request_to_doc(r))
        if not pending:
            outbox_docs.append(
                {
                    "id": codec.mail_id(len(outbox_docs) + 1),
                    "to": entity.email,
                    "subject": f"Vaccinnet : demande {status}",
                    "body": "x" * 600,
                    "status": "sent",
                    "message_id": f"<{r.id}@bench>",
                    "entity_id": entity.id,
                    "request_id": r.id,
                    "language": "fr",
                    "created_at": filed.isoformat(),
                    "attempts": 1,
                    "last_error": None,
                }
            )
    audit_docs, prev = [], GENESIS
    for seq, doc in enumerate(request_docs, start=1):
        entry = {
            "seq": seq,
            "at": doc["filed_at"],
            "actor": doc["filed_by"],
            "action": "request_filed",
            "entity_id": doc["entity_id"],
            "niss": doc["niss"],
            "request_id": doc["id"],
            "detail": {"kind": "connect"},
            "prev": prev,
        }
        entry["hash"] = prev = seal(entry)
        audit_docs.append(entry)
    return {
        "admins": [{"id": "adm", "name": "Bench Admin", "niss": None}],
        "entities": [codec.entity_to_doc(e) for e in ents],
        "links": link_docs,
        "requests": request_docs,
        "outbox": outbox_docs,
        "audit": audit_docs,
    }, managers


def build_ours(root: Path, tables) -> None:
    store = open_store(root)
    # One bulk transaction through the store's own write path (private on purpose:
    # people never import 200,000 records at once).
    with store._writing():
        for name, docs in tables.items():
            for doc_id, doc in enumerate(docs, start=1):
                store._tables[name].insert(Document(doc, doc_id=doc_id))
        last = tables["audit"][-1]
        store._files.set_meta("audit_head", {"count": last["seq"], "hash": last["hash"]})


def build_plain(path: Path, tables) -> None:
    db = TinyDB(path)
    for name, docs in tables.items():
        db.table(name).insert_multiple(docs)
    db.close()


def measure_core(
    store: Store,
    entity_ids: list[str],
    managers: dict[str, str],
    rng: random.Random,
    fresh: Iterator[int],
    repeat: int,
) -> dict[str, list[float]]:
    """The four figures every store is compared on, warm: two reads, a filing, an approval
    (of what was filed). ``fresh`` gives numbers for new national register numbers."""
    out = {
        "staff list of one entity": measure(lambda i: store.staff(rng.choice(entity_ids)), repeat),
        "100 oldest pending requests": measure(lambda i: store.requests(limit=100), repeat),
    }
    filed: list[str] = []

    def file_one(i: int) -> None:
        entity = rng.choice(entity_ids)
        request = store.file_connect(
            managers[entity], entity, _niss(next(fresh)), "Nom", "Prénom", "infirmier"
        )
        filed.append(request.id)

    out["file a connect request"] = measure(file_one, repeat)
    out["approve a request"] = measure(lambda i: store.approve("adm", filed[i]), repeat)
    return out


def measure(fn: Callable[[int], object], repeat: int) -> list[float]:
    times = []
    for i in range(repeat):
        t0 = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - t0)
    return times


def _fresh(
    code: str,
    entity_ids: list[str],
    rng: random.Random,
    runs: int,
    managers: dict[str, str] | None = None,
    fresh: Iterator[int] | None = None,
    rids: Iterator[str] | None = None,
) -> list[float]:
    """Seconds for a new Python process to run ``code``, imports included, as a command does;
    its peak RSS goes to FRESH_RSS under the same name."""
    times = []
    for _ in range(runs):
        entity = rng.choice(entity_ids)
        niss = _niss(next(fresh)) if fresh is not None else ""
        manager = managers[entity] if managers else ""
        rid = next(rids) if rids is not None else ""
        source = code.format(entity=entity, niss=niss, manager=manager, rid=rid)
        t0 = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", source + _PEAK], check=True, stdout=subprocess.PIPE, text=True
        )
        times.append(time.perf_counter() - t0)
        # The child's own high-water mark: ru_maxrss would count the forked parent's pages.
        FRESH_RSS.setdefault(code, []).append(int(done.stdout.split("VmHWM")[-1].split()[0]) / 1024)
    return times


_PEAK = "\nprint('VmHWM', open('/proc/self/status').read().split('VmHWM:')[1].split()[0])"


# Peak RSS (MiB) of each fresh process, by the code it ran.
FRESH_RSS: dict[str, list[float]] = {}


def pct(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="regional")
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--plain-repeat", type=int, default=10)
    parser.add_argument("--keep", action="store_true", help="keep the generated stores")
    args = parser.parse_args()
    n_ent, n_links, n_req = SCALES[args.scale]
    work = Path(tempfile.mkdtemp(prefix="vaccinnet-bench-"))
    rng = random.Random(3)
    t0 = time.perf_counter()
    tables, managers = generate(n_ent, n_links, n_req)
    ours_dir, plain_path = work / "ours", work / "plain.json"
    build_ours(ours_dir, tables)
    build_plain(plain_path, tables)
    size_ours = sum(p.stat().st_size for p in ours_dir.iterdir())
    print(
        f"# {args.scale}: {n_ent:,} entities, {n_links:,} links, {n_req:,} requests, "
        f"{len(tables['audit']):,} audit entries, {len(tables['outbox']):,} mails "
        f"(built in {time.perf_counter() - t0:.1f} s; ours {size_ours / 1e6:.0f} MB in "
        f"{len(list(ours_dir.iterdir()))} files, "
        f"plain {plain_path.stat().st_size / 1e6:.0f} MB)"
    )
    entity_ids = [e["id"] for e in tables["entities"]]
    fresh = iter(range(10_000_000, 20_000_000))

    # ---- ours
    store = open_store(ours_dir)
    store.staff(entity_ids[0])
    store.requests(limit=100)
    ours: dict[str, list[float]] = {}
    ours[COLD] = measure(
        lambda i: open_store(ours_dir).staff(rng.choice(entity_ids)), max(5, args.repeat // 20)
    )
    ours.update(measure_core(store, entity_ids, managers, rng, fresh, args.repeat))
    other = open_store(ours_dir)
    other.staff(entity_ids[0])

    unapproved: list[str] = []

    def after_commit(i: int) -> None:
        filed_now = store.file_connect(
            managers[entity_ids[i]], entity_ids[i], _niss(next(fresh)), "N", "P", "infirmier"
        )
        unapproved.append(filed_now.id)
        t0 = time.perf_counter()
        other.staff(entity_ids[i])
        timings.append(time.perf_counter() - t0)

    timings: list[float] = []
    measure(after_commit, min(args.repeat, 50))
    ours["staff list right after another session's write"] = timings
    fresh_runs = max(3, args.plain_repeat)
    ours["fresh process: first staff list"] = _fresh(
        f"from store import open_store; open_store({str(ours_dir)!r}).staff({{entity!r}})",
        entity_ids,
        rng,
        fresh_runs,
    )
    ours["fresh process: file a connect request"] = _fresh(
        f"from store import open_store; open_store({str(ours_dir)!r}).file_connect("
        "{manager!r}, {entity!r}, {niss!r}, 'Nom', 'Prénom', 'infirmier')",
        entity_ids,
        rng,
        fresh_runs,
        managers,
        fresh,
    )
    ours["fresh process: approve a request"] = _fresh(
        f"from store import open_store; open_store({str(ours_dir)!r}).approve('adm', {{rid!r}})",
        entity_ids,
        rng,
        min(fresh_runs, len(unapproved)),
        rids=iter(unapproved),
    )
    bare = _fresh("import tinydb, orjson", entity_ids, rng, fresh_runs)

    # ---- TinyDB, used carefully: one read and at most one write of the file per operation
    q = Query()

    def careful() -> TinyDB:
        return TinyDB(plain_path, storage=CachingMiddleware(JSONStorage))

    plain: dict[str, list[float]] = {}

    def plain_first_list(i: int) -> None:
        with careful() as db:
            db.table("links").search(q.entity_id == rng.choice(entity_ids))

    plain[COLD] = measure(plain_first_list, args.plain_repeat)
    plain["staff list of one entity"] = plain[
        "open + first staff list (cold, in a running process)"
    ]

    def plain_oldest(i: int) -> None:
        with careful() as db:
            sorted(db.table("requests").search(q.status == "pending"), key=lambda d: d.doc_id)[:100]

    plain["100 oldest pending requests"] = measure(plain_oldest, args.plain_repeat)
    plain_filed: list[int] = []

    def plain_file(i: int) -> None:
        entity = rng.choice(entity_ids)
        niss = _niss(next(fresh))
        with careful() as db:
            links_t, req_t = db.table("links"), db.table("requests")
            links_t.search((q.entity_id == entity) & (q.niss == niss))
            req_t.search((q.entity_id == entity) & (q.niss == niss) & (q.status == "pending"))
            plain_filed.append(
                req_t.insert(
                    {"kind": "connect", "entity_id": entity, "niss": niss, "status": "pending"}
                )
            )
            db.table("audit").insert({"action": "request_filed", "niss": niss})

    plain["file a connect request"] = measure(plain_file, args.plain_repeat)

    def plain_approve(i: int) -> None:
        with careful() as db:
            links_t, req_t = db.table("links"), db.table("requests")
            doc = req_t.get(doc_id=plain_filed[i])
            assert isinstance(doc, dict)
            links_t.search((q.entity_id == doc["entity_id"]) & (q.niss == doc["niss"]))
            req_t.update({"status": "approved"}, doc_ids=[plain_filed[i]])
            links_t.insert({"entity_id": doc["entity_id"], "niss": doc["niss"]})
            db.table("outbox").insert({"to": "x", "status": "pending"})
            db.table("audit").insert({"action": "request_approved"})

    plain["approve a request"] = measure(plain_approve, args.plain_repeat)
    careful_open = (
        "from tinydb import TinyDB, Query; from tinydb.middlewares import CachingMiddleware; "
        "from tinydb.storages import JSONStorage; "
        f"db = TinyDB({str(plain_path)!r}, storage=CachingMiddleware(JSONStorage)); q = Query(); "
    )
    plain["fresh process: first staff list"] = _fresh(
        careful_open + "db.table('links').search(q.entity_id == {entity!r}); db.close()",
        entity_ids,
        rng,
        fresh_runs,
    )
    plain["fresh process: file a connect request"] = _fresh(
        careful_open + "db.table('links').search((q.entity_id == {entity!r}) & "
        "(q.niss == {niss!r})); db.table('requests').insert({{'entity_id': {entity!r}, "
        "'niss': {niss!r}, 'status': 'pending'}}); db.table('audit').insert({{'action': "
        "'request_filed'}}); db.close()",
        entity_ids,
        rng,
        fresh_runs,
        managers,
        fresh,
    )

    print()
    print(
        f"| operation ({args.scale}) | ours p50 | ours p95 | careful TinyDB p50 | p95 | "
        "ratio (p50) |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for name, times in ours.items():
        p = plain.get(name)
        row = f"| {name} | {pct(times, 0.5) * 1e3:.2f} ms | {pct(times, 0.95) * 1e3:.2f} ms | "
        if p:
            ratio = statistics.median(p) / statistics.median(times)
            shown = f"{ratio:,.0f}" if ratio >= 10 else f"{ratio:.2f}"
            row += f"{pct(p, 0.5) * 1e3:.0f} ms | {pct(p, 0.95) * 1e3:.0f} ms | {shown}× |"
        else:
            row += "– | – | – |"
        print(row)
    print()
    for code, rss in FRESH_RSS.items():
        print(f"peak RSS of a fresh process, median {statistics.median(rss):.0f} MiB: {code[-90:]}")
    print(
        f"fresh Python importing tinydb and orjson only: {pct(bare, 0.5) * 1e3:.0f} ms "
        "(the floor of any fresh-process row)"
    )
    print(
        f"\nours: {args.repeat} runs per operation (fresh process: {fresh_runs}); TinyDB: "
        f"{args.plain_repeat} runs. "
        f"Python {sys.version.split()[0]}."
    )
    if args.keep:
        print(f"stores kept in {work}")
    else:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
