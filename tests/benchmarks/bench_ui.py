"""Benchmark of the desktop app on this machine (prints figures; asserts nothing).

    python tests/benchmarks/bench_ui.py [--keys N] [--runs N]

* keystroke handling: time to handle one typed character (key event, edit, marks that
  follow the edit, live counter and fold, repaint), p50/p95/max, in a 3,000- and a
  50,000-character draft. Target: p95 under 16 ms (one frame).
* result on screen: from the last keystroke to the new highlights applied and painted,
  minus the debounce. Target: under 50 ms at 3,000 characters.
* GUI time per result: how long applying one analysis result blocks the GUI thread.
* cold start: from starting a process to a shown, usable window (median). Target < 1.0 s.
* memory: resident size of the running app with a 3,000-character draft checked.

Drafts are built from the shared test corpora when they are there (read at run time,
never copied), otherwise from a generated text.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpora"
TYPED = "Tell us what you think about the new menu, and what should we cook next? "


def draft(chars: int) -> str:
    """A realistic draft of about ``chars`` characters, in paragraphs."""
    lines: list[str] = []
    source = CORPORA / "en.txt"
    if source.exists():
        lines = [ln.strip() for ln in source.read_text(encoding="utf-8").splitlines()
                 if ln.strip()]
    if not lines:
        lines = ["We opened a new café in town!!! Come and see what we bake every morning.",
                 "What would you like us to try next? Tell us in the comments 😀 #coffee"]
    out: list[str] = []
    size, i = 0, 0
    while size < chars:
        para = " ".join(lines[(i + k) % len(lines)] for k in range(3))
        out.append(para)
        size += len(para) + 2
        i += 3
    return "\n\n".join(out)[:chars]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def ms(values: list[float]) -> str:
    return (f"p50 {pct(values, .5) * 1e3:6.2f} ms   p95 {pct(values, .95) * 1e3:6.2f} ms   "
            f"max {max(values) * 1e3:6.2f} ms   (n={len(values)})")


def window(text: str, settings_dir: str, platform: str | None = "linkedin"):
    from PySide6.QtCore import QSettings

    from coach.ui.app import application
    from coach.ui.session import DraftSession
    from coach.ui.window import MainWindow

    app = application()
    settings = QSettings(str(Path(settings_dir) / "bench.ini"), QSettings.Format.IniFormat)
    w = MainWindow(settings, DraftSession(platform=platform), text)
    w.quiet = True
    w.resize(1280, 800)
    w.show()
    app.processEvents()
    return app, w


def wait_fresh(app, w, timeout: float = 30.0) -> None:
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        app.processEvents()
        if w.checker.is_idle() and w.result is not None and w.result.revision == w.revision:
            return
        time.sleep(0.0005)
    raise TimeoutError("no result")


def keystrokes(size: int, keys: int, settings_dir: str) -> None:
    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest

    app, w = window(draft(size), settings_dir)
    wait_fresh(app, w)
    cursor = w.editor.textCursor()
    cursor.setPosition(len(w.text()) // 2)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfWord)
    w.editor.setTextCursor(cursor)
    w.editor.setFocus()
    gui_times: list[float] = []

    def timed_apply(result, _orig=w._show_result):
        t = time.perf_counter()
        _orig(result)
        gui_times.append(time.perf_counter() - t)

    w.checker.resultReady.disconnect(w._show_result)
    w.checker.resultReady.connect(timed_apply)
    times: list[float] = []
    for i in range(keys):
        ch = TYPED[i % len(TYPED)]
        t0 = time.perf_counter()
        QTest.keyClick(w.editor, ch)
        app.processEvents()  # the repaint belongs to the keystroke
        times.append(time.perf_counter() - t0)
        # A fast typist: ~12 characters a second; let the debounce fire now and then.
        if i % 40 == 39:
            wait_fresh(app, w)
    wait_fresh(app, w)
    print(f"  keystroke, {size:>6,} chars: {ms(times)}")
    if gui_times:
        print(f"  GUI time per result, {size:>6,} chars: {ms(gui_times)}")

    # Last keystroke to highlights on screen, minus the debounce.
    latencies: list[float] = []
    debounce = w.checker.debounce_ms / 1000
    for i in range(15):
        QTest.keyClick(w.editor, "!" if i % 2 else "x")
        t0 = time.perf_counter()
        wait_fresh(app, w)
        w.editor.viewport().repaint()
        latencies.append(time.perf_counter() - t0 - debounce)
    print(f"  last key -> highlights shown (minus {w.checker.debounce_ms} ms debounce), "
          f"{size:>6,} chars: {ms(latencies)}")
    w.checker.shutdown()
    w.close()
    w.deleteLater()
    app.processEvents()


def child_start(t0: float) -> None:
    """Run in a fresh process: build and show the window, report when it is usable."""
    with tempfile.TemporaryDirectory() as tmp:
        app, w = window("", tmp)
        app.processEvents()
        shown = time.time() - t0
        w.editor.setPlainText(draft(3000))
        wait_fresh(app, w)
        app.processEvents()
        rss = hwm = 0
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
            elif line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
        print(f"{shown:.4f} {rss} {hwm}")
        w.checker.shutdown()


def cold_start(runs: int) -> None:
    times, rss, hwm = [], [], []
    for _ in range(runs):
        out = subprocess.run([sys.executable, __file__, "--child-start", repr(time.time())],
                             capture_output=True, text=True, check=True).stdout.split()
        times.append(float(out[0]))
        rss.append(int(out[1]))
        hwm.append(int(out[2]))
    print(f"  cold start to shown window: median {statistics.median(times) * 1e3:.0f} ms   "
          f"min {min(times) * 1e3:.0f} ms   max {max(times) * 1e3:.0f} ms   (n={runs}, "
          f"platform {os.environ.get('QT_QPA_PLATFORM')})")
    print(f"  memory with a 3,000-char draft checked: RSS {statistics.median(rss) / 1024:.0f}"
          f" MiB (peak {statistics.median(hwm) / 1024:.0f} MiB)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=300, help="keystrokes per draft size")
    parser.add_argument("--runs", type=int, default=7, help="cold starts")
    parser.add_argument("--child-start", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_start is not None:
        child_start(args.child_start)
        return 0
    print("Post Coach desktop app benchmark")
    with tempfile.TemporaryDirectory() as tmp:
        for size in (3_000, 50_000):
            keystrokes(size, args.keys, tmp)
    cold_start(args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
