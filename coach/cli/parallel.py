"""Work on several cores in input order, and the progress line of a long run.

``ordered_map`` sends batches of work to worker processes and gives their results back in
the order the batches came, holding only a few batches per worker at a time (so a million
posts never sit in memory at once). Standard library only.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import chain, islice
from typing import Any, TextIO, TypeVar

T = TypeVar("T")
R = TypeVar("R")

AHEAD = 4  # batches waiting per worker: enough to keep every core busy, few in memory

__all__ = ["BrokenProcessPool", "Progress", "ordered_map", "usable_cores"]


def usable_cores() -> int:
    """The number of cores this process may run on (its affinity, not the machine's)."""
    count = getattr(os, "process_cpu_count", None)  # Python 3.13+
    if count is not None:
        return count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def _quiet_worker(initializer: Callable[..., None], args: tuple[Any, ...]) -> None:
    # Ctrl+C reaches every process of the terminal's group: only the parent answers it
    # (it stops the pool), so a worker never prints a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    initializer(*args)


def _context() -> Any:
    # Fork starts a worker in milliseconds with everything already imported; elsewhere
    # (macOS, Windows) the platform's own way is the safe one.
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def ordered_map(func: Callable[[T], R], batches: Iterable[T], *, jobs: int,
                initializer: Callable[..., None], initargs: tuple[Any, ...] = ()
                ) -> Iterator[tuple[T, R]]:
    """``(batch, func(batch))`` for each batch, in order, computed by ``jobs`` processes.

    Each worker runs ``initializer(*initargs)`` once. With one job, or a single batch, the
    work is done in this process, which must be ready to run ``func`` (the initializer is
    not run here), and no process is started. Raises ``BrokenProcessPool`` when a worker
    dies (killed, out of memory).
    """
    batches = iter(batches)
    head = list(islice(batches, 2))
    if jobs <= 1 or len(head) < 2:
        for batch in chain(head, batches):
            yield batch, func(batch)
        return
    for stream in (sys.stdout, sys.stderr):  # a forked worker would write them again
        if stream is not None:
            stream.flush()
    pool = ProcessPoolExecutor(jobs, mp_context=_context(), initializer=_quiet_worker,
                               initargs=(initializer, initargs))
    window: deque[tuple[T, Future[R]]] = deque()
    complete = False
    try:
        for batch in chain(head, batches):
            window.append((batch, pool.submit(func, batch)))
            if len(window) >= jobs * AHEAD:
                done, future = window.popleft()
                yield done, future.result()
        while window:
            done, future = window.popleft()
            yield done, future.result()
        complete = True
    finally:
        # Stopped early (Ctrl+C, a closed pipe): the batches not yet started are dropped
        # and the workers end after the one they are on. (Ending them at once could cut a
        # result off halfway through its pipe, and the pool would wait for it forever.)
        pool.shutdown(wait=True, cancel_futures=not complete)


class Progress:
    """A progress line on standard error for long runs: only on a terminal (nothing at all
    otherwise), first shown after ``delay`` seconds, redrawn at most every ``every``."""

    def __init__(self, stream: TextIO | None, *, delay: float = 1.0, every: float = 0.25,
                 clock: Callable[[], float] = time.monotonic) -> None:
        isatty = getattr(stream, "isatty", None)
        self.stream = stream if isatty is not None and isatty() else None
        self.clock = clock
        self.start = clock()
        self.delay, self.every = delay, every
        self.next = self.start + delay
        self.shown = False

    def update(self, message: Callable[[], str]) -> None:
        """Show ``message()`` if it is time to (the text is made only then)."""
        if self.stream is None:
            return
        now = self.clock()
        if now < self.next:
            return
        self.next = now + self.every
        self.stream.write("\r\033[K" + message()[:self._width() - 1])
        self.stream.flush()
        self.shown = True

    def _width(self) -> int:
        # (A longer line would wrap, and only its last row would be taken away.)
        try:
            columns = os.get_terminal_size(self.stream.fileno()).columns  # type: ignore
        except (AttributeError, OSError, ValueError):
            columns = 0
        return columns or 80

    def clear(self) -> None:
        """Take the line away (before another message, and at the end)."""
        if self.shown and self.stream is not None:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False
