"""The drafts library as one window uses it: a store for the GUI thread, and lanes that
search, autosave and run long work (import, export, backups) in the background.

Why several connections: a search of 100,000 drafts takes tens of milliseconds and an
import holds the write lock for seconds; the GUI's own store only reads pages and makes
small writes, with a short lock timeout, so it never waits long on another writer.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from coach.library import (
    DraftStore,
    LibraryError,
    ReadOnlyLibraryError,
    default_library_path,
)

from .workers import Lane

_log = logging.getLogger("coach.ui")
GUI_TIMEOUT = 1.0  # seconds the GUI's store waits for another writer (then: busy)
LANE_TIMEOUT = 10.0  # background lanes may wait longer: nobody is waiting on them


class Library(QObject):
    """One window's connection to the drafts library file."""

    changed = Signal()  # this window wrote to the library (for anything that lists drafts)

    def __init__(self, path: str | Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path).expanduser() if path else default_library_path()
        self.store: DraftStore | None = None
        self.error: LibraryError | None = None  # why it could not be opened as asked
        self.note = ""  # why it is closed for a while (a backup being restored)
        self.read_only = False
        self.search_lane = Lane("librarySearch", self.path, self, timeout=LANE_TIMEOUT)
        self.autosave_lane = Lane("libraryAutosave", self.path, self, timeout=LANE_TIMEOUT)
        self.task_lane = Lane("libraryTasks", None, self)

    @property
    def available(self) -> bool:
        return self.store is not None and not self.store.closed

    @property
    def writable(self) -> bool:
        return self.available and not self.read_only

    def open(self) -> LibraryError | None:
        """Open the library; returns (and keeps in ``error``) what went wrong, if anything.

        A library in a read-only place is opened read-only (browsing still works).
        """
        self.error = None
        try:
            self.store = DraftStore(self.path, auto_backup=False, timeout=GUI_TIMEOUT)
            self.read_only = False
        except ReadOnlyLibraryError as exc:
            self.error = exc
            try:
                self.store = DraftStore(self.path, read_only=True, auto_backup=False)
                self.read_only = True
            except LibraryError as again:
                self.error = again
                self.store = None
        except LibraryError as exc:
            self.error = exc
            self.store = None
        if self.store is not None:
            _log.info("library %s opened%s", self.path, " read-only" if self.read_only else "")
        return self.error

    def lanes(self) -> tuple[Lane, ...]:
        return (self.search_lane, self.autosave_lane, self.task_lane)

    def close(self) -> None:
        """Finish background work and close every connection."""
        for lane in self.lanes():
            lane.close_store()
        store, self.store = self.store, None
        if store is not None:
            store.close()
