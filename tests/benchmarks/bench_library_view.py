"""Benchmark of the library view in the app on a big library (prints figures; asserts nothing).

    python tests/benchmarks/bench_library_view.py [--library PATH] [--drafts N]

Without --library, a library of N generated drafts (default 100,000, with versions) is built
first with tests/benchmarks/bench_library.py's generator (about a minute). Figures:

* first list: from the window's start to the list showing every draft;
* search: from a change of the search box (after the debounce) to the list showing the
  results, p50/p95, for common words, rare words and filters;
* GUI time per search result: how long showing a result blocks the GUI thread;
* scrolling: time to paint the list after jumping to a random position (rows read from the
  library a page at a time), p50/p95/max; pages read;
* memory of the process with the list shown.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def build(count: int) -> Path:
    sys.path.insert(0, str(Path(__file__).parent))
    import bench_library

    folder = Path(tempfile.mkdtemp(prefix="bench-library-view-"))
    bench_library.generate(count, 1, None, folder / "bundle.json")
    from coach.library import DraftStore

    with DraftStore(folder / "library.sqlite", auto_backup=False) as store:
        store.import_file(folder / "bundle.json")
    return folder / "library.sqlite"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--library", type=Path)
    parser.add_argument("--drafts", type=int, default=100_000)
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="bench-home-")
    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        os.environ[name] = home
    path = args.library or build(args.drafts)

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from coach.library import DraftStore
    from coach.ui import librarian
    from coach.ui.app import application, create_window

    librarian.AUTO_BACKUP_DELAY_MS = 3_600_000  # no backup of a big file while measuring
    with DraftStore(path, auto_backup=False, read_only=True) as store:
        total = store.count()
        words = [w for w, _ in store.tags()[:6]] or ["the"]
        clients = [c for c, _ in store.clients()[:4]]
    app = application()
    t0 = time.perf_counter()
    window, _ = create_window(None, str(path),
                              settings=QSettings(f"{home}/bench.ini", QSettings.Format.IniFormat))
    window.quiet = True
    window.resize(1440, 900)
    window.show()
    view = window.librarian.view

    def wait_idle(limit: float = 60.0) -> None:
        end = time.perf_counter() + limit
        while not (window._started and view.is_idle()) and time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.0005)

    wait_idle()
    first = time.perf_counter() - t0
    print(f"library view benchmark: {total:,} drafts in {path}; {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"first list: {first * 1000:.0f} ms from creating the window to {view.model.rowCount():,}"
          f" rows listed")

    gui_ms: list[float] = []
    original = view._searched

    def timed(generation, ids):
        t = time.perf_counter()
        original(generation, ids)
        gui_ms.append((time.perf_counter() - t) * 1000)

    view._searched = timed  # type: ignore[method-assign]

    def measure(name: str, setups) -> None:
        times = []
        hits = []
        for setup in setups:
            setup()
            t = time.perf_counter()
            view.refresh()  # what the debounce timer calls
            wait_idle()
            times.append((time.perf_counter() - t) * 1000)
            hits.append(view.model.rowCount())
        print(f"  {name:<28} p50 {pct(times, .5):7.1f}  p95 {pct(times, .95):7.1f} ms "
              f"(median {statistics.median(hits):,.0f} hits, {len(times)} searches)")

    print("search, from the debounce to the list shown:")
    view.search.blockSignals(True)
    measure("everything (no words)", [lambda: view.search.setText("")] * 10)
    measure("a tag word", [lambda w=w: view.search.setText(w) for w in words * 3])
    measure("a prefix of 3 letters", [lambda w=w: view.search.setText(w[:3]) for w in words * 3])
    measure("nothing found", [lambda: view.search.setText("zzqxj")] * 10)
    view.search.setText("")
    view.search.blockSignals(False)
    filters = [lambda c=c: (view.clear_filters(), view.set_filter("client", c))
               for c in clients] * 3
    view.blockSignals(True)
    measure("client filter", filters)
    view.clear_filters()
    wait_idle()
    measure("status filter, by score", [
        lambda: (view.set_filter("status", "draft"), view.set_sort("score"))] * 6)
    view.clear_filters()
    view.set_sort("-updated")
    view.refresh()
    wait_idle()
    print(f"GUI time per shown result: p50 {pct(gui_ms, .5):.1f} ms, max {max(gui_ms):.1f} ms")

    table = view.table
    bar = table.verticalScrollBar()
    rng = random.Random(1)
    before = view.model.fetched_pages
    jumps = []
    for _ in range(60):
        bar.setValue(rng.randrange(bar.maximum() + 1))
        t = time.perf_counter()
        table.viewport().repaint()
        jumps.append((time.perf_counter() - t) * 1000)
    steps = []
    bar.setValue(bar.maximum() // 3)
    for _ in range(200):
        bar.setValue(bar.value() + bar.pageStep())
        t = time.perf_counter()
        table.viewport().repaint()
        steps.append((time.perf_counter() - t) * 1000)
    print(f"scrolling {view.model.rowCount():,} rows (a repaint of the list):")
    print(f"  jump anywhere    p50 {pct(jumps, .5):5.1f}  p95 {pct(jumps, .95):5.1f}  "
          f"max {max(jumps):5.1f} ms")
    print(f"  page down        p50 {pct(steps, .5):5.1f}  p95 {pct(steps, .95):5.1f}  "
          f"max {max(steps):5.1f} ms (target: under 16 ms, one frame)")
    print(f"  pages read from the library: {view.model.fetched_pages - before} "
          f"(of {view.model.rowCount() // 100:,}); rows kept in memory at most 4,000")
    print(f"memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB peak "
          "(the app with the list shown)")
    window.librarian.shutdown()
    window.checker.shutdown()
    QApplication.processEvents()


if __name__ == "__main__":
    main()
