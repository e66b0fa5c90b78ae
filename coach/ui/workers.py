"""Background lanes for library work, so the window never waits on the disk.

A :class:`Lane` runs jobs one after another on its own thread (a one-thread QThreadPool),
in the order they were submitted; results, errors and progress come back on the GUI
thread as plain callbacks. SQLite connections belong to one thread at a time, so each lane
that touches the library opens its own ``DraftStore`` (see :meth:`Lane.store`).
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from coach.library import DraftStore

_log = logging.getLogger("coach.ui")


class Job:
    """One piece of work on a lane: it can report progress and be cancelled."""

    def __init__(self, lane: Lane, number: int) -> None:
        self.lane = lane
        self.number = number
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def progress(self, done: int, total: int) -> bool:
        """Report progress (from the worker thread); False once cancelled (stops the store)."""
        self.lane._relay.progress.emit(self.number, int(done), int(total))
        return not self._cancel.is_set()


class _Relay(QObject):
    done = Signal(int, object)
    failed = Signal(int, object)
    progress = Signal(int, int, int)


class _Runnable(QRunnable):
    def __init__(self, job: Job, work: Callable[[Job], Any]) -> None:
        super().__init__()
        self.job = job
        self.work = work
        self.setAutoDelete(True)

    def run(self) -> None:
        relay = self.job.lane._relay
        try:
            result = self.work(self.job)
        except Exception as exc:  # handed to the GUI thread, which says what went wrong
            relay.failed.emit(self.job.number, exc)
        else:
            relay.done.emit(self.job.number, result)


class Lane(QObject):
    """A serial worker: jobs run in submission order on one background thread."""

    def __init__(self, name: str, library: Path | None = None,
                 parent: QObject | None = None, *, timeout: float = 10.0) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.library = library
        self.timeout = timeout
        self._store: DraftStore | None = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.done.connect(self._done)
        self._relay.failed.connect(self._failed)
        self._relay.progress.connect(self._progress)
        self._numbers = itertools.count(1)
        self._waiting: dict[int, tuple[Callable | None, Callable | None, Callable | None]] = {}

    def submit(self, work: Callable[[Job], Any], *, done: Callable[[Any], None] | None = None,
               failed: Callable[[Exception], None] | None = None,
               progress: Callable[[int, int], None] | None = None) -> Job:
        """Run ``work(job)`` after the jobs already queued; callbacks run on the GUI thread."""
        job = Job(self, next(self._numbers))
        self._waiting[job.number] = (done, failed, progress)
        self._pool.start(_Runnable(job, work))
        return job

    @property
    def pending(self) -> int:
        """Jobs submitted whose callbacks have not run yet."""
        return len(self._waiting)

    def is_idle(self) -> bool:
        return not self._waiting

    def store(self) -> DraftStore:
        """This lane's own connection to the library (call only from inside a job)."""
        if self._store is None or self._store.closed:
            if self.library is None:
                raise RuntimeError("this lane has no library")
            self._store = DraftStore(self.library, auto_backup=False, timeout=self.timeout)
        return self._store

    def close_store(self) -> None:
        """Close the lane's connection once the queued jobs are done (or the wait ran out)."""
        self.wait()
        store, self._store = self._store, None
        if store is not None:
            store.close()

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until every queued job has run (shutting down, tests)."""
        return self._pool.waitForDone(msecs)

    @Slot(int, object)
    def _done(self, number: int, result: object) -> None:
        done, _failed, _progress = self._waiting.pop(number, (None, None, None))
        if done is not None:
            done(result)

    @Slot(int, object)
    def _failed(self, number: int, exc: object) -> None:
        _done, failed, _progress = self._waiting.pop(number, (None, None, None))
        if failed is not None:
            failed(exc)
        else:
            _log.error("background job %s failed: %s", self.objectName(), exc)

    @Slot(int, int, int)
    def _progress(self, number: int, done: int, total: int) -> None:
        callbacks = self._waiting.get(number)
        if callbacks is not None and callbacks[2] is not None:
            callbacks[2](done, total)
