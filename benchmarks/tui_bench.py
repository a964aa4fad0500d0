"""Staff console benchmark: start-up to « Mes employés » drawn, and filter keystroke to redraw.

    python -m benchmarks.tui_bench [--scale regional|flanders] [--people 2000] [--runs 5]
                                   [--keys 40]

--people 0 leaves the first entity as generated (a usual practice of a few people).

Both are measured as a person sees them: the program runs in a real terminal (tmux, 80×24)
and the clock stops when the expected text is on the screen (polled every few ms, so each
figure carries a few ms of polling). A bare Textual app is measured the same way in the same
run, interleaved: that is the floor, and the ratio is printed. Pilot-based timings are not
used: Pilot's own idle waits add about 60 ms to every key.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from tinydb.table import Document

from benchmarks.store_bench import SCALES, build_ours, generate, pct
from rules import Link, make_niss
from store import codec, open_store

BARE_APP = """
from textual.app import App
from textual.widgets import Input, Static
class Bare(App):
    def compose(self):
        yield Static("BARE-READY", id="echo")
        yield Input()
    def on_input_changed(self, event):
        self.query_one("#echo", Static).update(f"ECHO[{event.value}]")
Bare().run()
"""


def build(root: Path, people: int, scale: str = "regional") -> tuple[str, str]:
    """A store whose first entity has ``people`` people linked (0: as generated)."""
    tables, managers = generate(*SCALES[scale])
    build_ours(root, tables)
    entity = tables["entities"][0]["id"]
    store = open_store(root)
    since = datetime(2025, 1, 1, tzinfo=UTC)
    with store._writing():  # bulk load, as in store_bench
        first = store._files.next_id("links")
        for i in range(max(0, people - len(store.staff(entity)))):
            niss = make_niss(f"{60 + i % 40}0{1 + i % 9}1{i % 10}", 1 + i % 997)
            link = Link(entity, niss, f"Nom{i:04d}", "Prénom", "infirmier", since)
            store._tables["links"].insert(Document(codec.link_to_doc(link), doc_id=first + i))
    return entity, managers[entity]


def _screen(session: str) -> str:
    return subprocess.run(
        ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True
    ).stdout


def _wait_for(session: str, texts: list[str], start: float, timeout: float = 20.0) -> float:
    while time.perf_counter() - start < timeout:
        screen = _screen(session)
        if all(text in screen for text in texts):
            return time.perf_counter() - start
        time.sleep(0.002)
    raise TimeoutError(f"{texts!r} never appeared")


def start_in_tmux(command: str, ready: str, complete: str | None = None) -> float:
    """Seconds from the command to ``ready`` drawn; with ``complete``, also records the
    seconds until that is drawn too in ``COMPLETE`` (the same clock, the same start)."""
    subprocess.run(["tmux", "kill-session", "-t", "bench"], capture_output=True)
    # Killing the last session stops the tmux server; a new session started while it is
    # still exiting is refused, so wait until the old one is gone.
    alive = ["tmux", "has-session", "-t", "bench"]
    while subprocess.run(alive, capture_output=True).returncode == 0:
        time.sleep(0.05)
    time.sleep(0.2)
    start = time.perf_counter()
    session = ["tmux", "new-session", "-d", "-s", "bench", "-x", "80", "-y", "24"]
    subprocess.run([*session, f"{command}; sleep 60"], check=True)
    first = _wait_for("bench", [ready], start)
    if complete is not None:
        COMPLETE.append(_wait_for("bench", [ready, complete], start))
    return first


COMPLETE: list[float] = []


def type_in_tmux(keys: list[tuple[str, list[str]]]) -> list[float]:
    """Send each key and time until the text it must produce is drawn."""
    times = []
    for key, expected in keys:
        start = time.perf_counter()
        subprocess.run(["tmux", "send-keys", "-t", "bench", key], check=True)
        times.append(_wait_for("bench", expected, start))
    return times


def filter_script(root: Path, entity: str, count: int) -> list[tuple[str, list[str]]]:
    """Keys to type in the filter, each with what it must draw: the typed text, the heading.

    Each key is chosen so that the heading changes, so no step can be "seen" early.
    """
    from tui.i18n import ngettext, set_language
    from tui.screens.staff import haystack

    set_language("fr")
    hay = [haystack(link, "fr") for link in open_store(root).staff(entity)]

    def heading(typed: str) -> str:
        # The console's own words (ngettext), so the bench follows the catalog.
        shown = sum(1 for h in hay if typed in h)
        people = ngettext("My staff: {count} person", "My staff: {count} people", len(hay))
        title = people.format(count=len(hay))
        if typed and shown != len(hay):
            count = ngettext("{shown} person shown", "{shown} people shown", shown)
            return f"{title} · {count.format(shown=shown)}"
        return f"{title}\n"

    typed, script = "", []
    for i in range(count):
        keys = ["BSpace"] if i % 4 == 3 and typed else list("0123456789")
        for key in keys[i % len(keys) :] + keys[: i % len(keys)]:
            after = typed[:-1] if key == "BSpace" else typed + key
            if heading(after) != heading(typed):
                typed = after
                script.append((key, [f"{typed} ", heading(typed)]))
                break
    return script


def bare_script(count: int) -> list[tuple[str, list[str]]]:
    typed, script = "", []
    for i in range(count):
        key = "BSpace" if i % 4 == 3 else "0123456789"[(i * 7) % 10]
        typed = typed[:-1] if key == "BSpace" else typed + key
        script.append((key, [f"ECHO[{typed}]"]))
    return script


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="regional")
    parser.add_argument("--people", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keys", type=int, default=40)
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        sys.exit("tmux is needed to measure in a real terminal")
    work = Path(tempfile.mkdtemp(prefix="vaccinnet-tui-bench-"))
    try:
        entity, manager = build(work / "data", args.people, args.scale)
        staff = len(open_store(work / "data").staff(entity))
        bare = work / "bare.py"
        bare.write_text(BARE_APP)
        vaccinnet = Path(sys.executable).with_name("vaccinnet")
        script = filter_script(work / "data", entity, args.keys)
        ours, floor, keys, key_floor = [], [], [], []
        for _ in range(args.runs):  # interleaved, so both see the same machine load
            floor.append(start_in_tmux(f"{sys.executable} {bare}", "BARE-READY"))
            key_floor += type_in_tmux(bare_script(args.keys))
            ours.append(
                start_in_tmux(
                    f"{vaccinnet} --data {work / 'data'} --niss {manager}",
                    f"Mes employés\u00a0: {staff} personne",
                    # The requests' heading once they are read (« Chargement… » before).
                    "Demandes en cours\u00a0:",
                )
            )
            type_in_tmux([("/", ["Filtrer\u00a0: nom"])])
            keys += type_in_tmux(script)
        subprocess.run(["tmux", "kill-session", "-t", "bench"], capture_output=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    med_ours, med_floor = statistics.median(ours), statistics.median(floor)
    print(
        f"# entity with {staff:,} people in a {args.scale} store; {args.runs} start-ups, "
        f"{len(keys)} keystrokes; Python {sys.version.split()[0]}"
    )
    print()
    print("| measure (real terminal, tmux 80×24) | p50 | p95 | target |")
    print("|---|---:|---:|---|")
    print(
        f"| bare Textual app: start → drawn (floor) | {med_floor:.3f} s | "
        f"{pct(floor, 0.95):.3f} s | – |"
    )
    print(
        f"| start → « Mes employés » drawn | {med_ours:.3f} s | {pct(ours, 0.95):.3f} s | ≤ 0.6 s |"
    )
    print(f"| start: ratio to the floor (medians) | {med_ours / med_floor:.2f}× | | |")
    print(
        f"| start → complete screen (people and requests) drawn | "
        f"{statistics.median(COMPLETE):.3f} s | {pct(COMPLETE, 0.95):.3f} s | – |"
    )
    print(
        f"| complete screen: ratio to the floor (medians) | "
        f"{statistics.median(COMPLETE) / med_floor:.2f}× | | |"
    )
    print(
        f"| bare Textual app: keystroke → echo drawn (floor) | "
        f"{statistics.median(key_floor) * 1e3:.1f} ms | {pct(key_floor, 0.95) * 1e3:.1f} ms "
        "| – |"
    )
    print(
        f"| filter keystroke → list redrawn | {statistics.median(keys) * 1e3:.1f} ms | "
        f"{pct(keys, 0.95) * 1e3:.1f} ms | p95 ≤ 50 ms |"
    )


if __name__ == "__main__":
    main()
