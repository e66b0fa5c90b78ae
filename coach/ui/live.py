"""Live checking: debounce, analyse a copy of the text (off the GUI thread when it is long),
and hand back only results that still match the document.

The window numbers every change to the draft (text or choices) with a revision. A result
carries the revision of the snapshot it was computed from; the checker drops it when the
document has moved on since, and runs again with the newest snapshot. At most one analysis
runs at a time, so a burst of edits never piles up work.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from coach.analysis import Report, Settings, analyze

from . import facts
from .offsets import OffsetMap

_log = logging.getLogger("coach.ui")
DEBOUNCE_MS = 250
SYNC_LIMIT = 4_000  # up to this many characters, analysis (~2 ms) runs on the GUI thread
SYNC_MS = 6.0  # ... and only while the last run took less than this
MAX_CHARS = 100_000  # above this, live coaching pauses (no platform takes a post this long)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A copy of everything one analysis needs, taken on the GUI thread."""

    revision: int
    text: str
    language: str | None = None
    platform: str | None = None
    kind: str = "post"
    comment: str = ""
    settings: Settings = field(default_factory=Settings)


@dataclass(frozen=True, slots=True)
class LiveResult:
    """What one analysis found, with what the UI needs to place it."""

    revision: int
    text: str
    offsets: OffsetMap
    report: Report | None
    count: facts.Count
    fold: int | None  # code-point offset of the "see more" fold
    seconds: float
    problem: str = ""  # why there is no report (too long, an engine error)
    trace: str = ""  # the engine's traceback, for the log


def _count_and_fold(snap: Snapshot) -> tuple[facts.Count, int | None]:
    overrides = snap.settings.platforms.get(snap.platform) if snap.platform else None
    try:
        return (facts.count(snap.text, snap.platform, overrides),
                facts.fold_offset(snap.text, snap.platform, overrides))
    except Exception:  # a counting bug must not take the editor down
        _log.exception("counting failed")
        return facts.Count(len(snap.text), None), None


def run_snapshot(snap: Snapshot) -> LiveResult:
    """Analyse a snapshot. Never raises: an engine error becomes ``problem``."""
    t0 = time.perf_counter()
    text = snap.text
    offsets = OffsetMap(text)
    report: Report | None = None
    problem = trace = ""
    count, fold = _count_and_fold(snap)
    if len(text) > MAX_CHARS:
        problem = (f"Live coaching pauses above {MAX_CHARS:,} characters "
                   f"(this draft has {len(text):,}). Shorten it to see suggestions again.")
    else:
        try:
            report = analyze(text, language=snap.language, platform=snap.platform,
                             kind=snap.kind, comment=snap.comment, settings=snap.settings)
        except Exception as exc:
            trace = traceback.format_exc()
            problem = f"The checks stopped on this draft ({type(exc).__name__}: {exc})."
    return LiveResult(snap.revision, text, offsets, report, count, fold,
                      time.perf_counter() - t0, problem, trace)


class _Relay(QObject):
    done = Signal(object)


class _Job(QRunnable):
    def __init__(self, snap: Snapshot, relay: _Relay,
                 work: Callable[[Snapshot], LiveResult]) -> None:
        super().__init__()
        self.snap = snap
        self.relay = relay
        self.work = work
        self.setAutoDelete(True)

    def run(self) -> None:
        self.relay.done.emit(self.work(self.snap))


def run_count(snap: Snapshot) -> LiveResult:
    """Only the live counter and the fold (what must follow every keystroke)."""
    t0 = time.perf_counter()
    text = snap.text
    count, fold = _count_and_fold(snap)
    return LiveResult(snap.revision, text, OffsetMap(text), None, count, fold,
                      time.perf_counter() - t0)


class LiveChecker(QObject):
    """Runs ``work`` (the checks) a moment after the last change and emits fresh results.

    Work runs on the GUI thread only while the draft is short *and* the last run was
    cheap (under ``sync_ms``); otherwise it runs in a worker thread, so a slow check
    can never make typing wait.
    """

    resultReady = Signal(object)  # LiveResult
    busyChanged = Signal(bool)

    def __init__(self, snapshot: Callable[[], Snapshot], revision: Callable[[], int],
                 parent: QObject | None = None, *, debounce_ms: int = DEBOUNCE_MS,
                 sync_limit: int = SYNC_LIMIT, sync_ms: float = SYNC_MS,
                 work: Callable[[Snapshot], LiveResult] = run_snapshot) -> None:
        super().__init__(parent)
        self._snapshot = snapshot
        self._revision = revision
        self._work = work
        self.sync_limit = sync_limit
        self.sync_ms = sync_ms
        self.last_seconds = 0.0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self.run_now)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.done.connect(self._finished)
        self._running = False
        self._again = False
        self._last_trace = ""
        self.dropped = 0  # stale results thrown away (for tests and the benchmark)

    @property
    def debounce_ms(self) -> int:
        return self._timer.interval()

    @debounce_ms.setter
    def debounce_ms(self, ms: int) -> None:
        self._timer.setInterval(ms)

    def schedule(self) -> None:
        """Something changed: check again once the person pauses."""
        self._timer.start()

    def is_idle(self) -> bool:
        return not self._running and not self._timer.isActive()

    @Slot()
    def run_now(self) -> None:
        self._timer.stop()
        if self._running:
            self._again = True
            return
        snap = self._snapshot()
        if len(snap.text) <= self.sync_limit and self.last_seconds * 1000 < self.sync_ms:
            self._deliver(self._work(snap))
            return
        self._running = True
        self.busyChanged.emit(True)
        self._pool.start(_Job(snap, self._relay, self._work))

    @Slot(object)
    def _finished(self, result: LiveResult) -> None:
        self._running = False
        self.busyChanged.emit(False)
        self._deliver(result)
        if self._again:
            self._again = False
            if result.revision != self._revision():
                self.run_now()

    def _deliver(self, result: LiveResult) -> None:
        self.last_seconds = result.seconds
        if result.trace and result.trace != self._last_trace:  # log each engine error once
            _log.error("%s\n%s", result.problem, result.trace)
        self._last_trace = result.trace
        if result.revision != self._revision():
            # The change that made it stale has already scheduled the next run.
            self.dropped += 1
            return
        self.resultReady.emit(result)

    def shutdown(self, msecs: int = 3000) -> None:
        """Stop the timer and wait for a running analysis, before the window goes away."""
        self._timer.stop()
        self._pool.waitForDone(msecs)
