"""What can go wrong with a library, as exceptions with messages a person can act on.

Every error the store raises is a :class:`LibraryError`; its ``str()`` is one sentence fit
for a status bar or a command line, never a traceback.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import BackupInfo, Draft


class LibraryError(Exception):
    """Something about the library file or a request to it; the message says what."""


class DraftNotFound(LibraryError, LookupError):
    """No draft has that id (or it was emptied from the trash)."""

    def __init__(self, draft_id: object) -> None:
        super().__init__(f"no draft #{draft_id} in the library")
        self.draft_id = draft_id


class InvalidDraftError(LibraryError, ValueError):
    """A field value the library cannot keep (unknown status, a date that is no date...)."""


class ConflictError(LibraryError):
    """Another window or process saved this draft after the caller last read it.

    Nothing has been written. ``current`` is the draft as it is now in the library; the
    caller's text can still be kept, e.g. with ``store.duplicate(e.draft_id, text=mine)``
    (a copy) or ``store.update(e.draft_id, text=mine)`` (overwrite; theirs stays a version).
    """

    def __init__(self, draft_id: int, expected: int, current: Draft) -> None:
        super().__init__(
            f"draft #{draft_id} was changed elsewhere (revision {current.revision}, this "
            f"window had revision {expected}); nothing was overwritten")
        self.draft_id = draft_id
        self.expected_revision = expected
        self.current = current


class SaveFailedError(LibraryError):
    """A write that did not happen; the library is as it was before the call."""


class LibraryBusyError(SaveFailedError):
    """Another process held the library for too long; try again in a moment."""


class StorageFullError(SaveFailedError):
    """The disk (or quota) is full: nothing was written, the previous state is intact."""


class ReadOnlyLibraryError(SaveFailedError):
    """The library file or its folder cannot be written to."""


class NotALibraryError(LibraryError):
    """The file is a readable database, but not a Post Coach library (or a newer one)."""


class LibraryNeedsUpgrade(NotALibraryError):
    """A library of an older Post Coach, opened read-only: it must be upgraded first."""


class CorruptLibraryError(LibraryError):
    """The library file is damaged. It was moved aside (never deleted) when possible.

    ``moved_to`` is where the damaged file now is (None when it could not be moved);
    ``backups`` are the backups that could replace it, newest first.
    """

    def __init__(self, path: Path, reason: str, moved_to: Path | None,
                 backups: list[BackupInfo]) -> None:
        self.path = path
        self.reason = reason
        self.moved_to = moved_to
        self.backups = backups
        where = (f"it was moved to {moved_to}" if moved_to
                 else "it could not be moved aside")
        offer = (f"; the newest backup is {backups[0].path} ({backups[0].created:%Y-%m-%d %H:%M})"
                 if backups else "; there is no backup of it")
        super().__init__(f"the library {path} is damaged ({reason}); {where}{offer}")

    @property
    def newest_backup(self) -> BackupInfo | None:
        return self.backups[0] if self.backups else None


class SearchIndexDamaged(LibraryError):
    """The search index is damaged (the drafts are intact) and a read-only store cannot
    rebuild it; ``rebuild_index()`` on a writable store does."""


class SearchIndexRebuilt(LibraryError):
    """The search index was damaged and has been rebuilt from the drafts; try again.

    The drafts themselves were intact: nothing was lost, and the file was not moved.
    """


class ImportRejected(LibraryError):
    """An import file that cannot be taken as it is; nothing was written.

    ``problems`` lists every problem found (up to a limit), each naming where it is.
    """

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        rest = len(problems) - 1
        more = f" (and {rest} more problem{'s' if rest > 1 else ''})" if rest else ""
        super().__init__(f"{source}: {problems[0]}{more}; nothing was imported")


class Cancelled(LibraryError):
    """A long operation was cancelled by its progress callback; nothing was written."""


# SQLite primary result codes (the low byte of an extended code).
SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY = 3, 5, 6, 8
SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 10, 11, 13, 14, 26


def error_code(exc: sqlite3.Error) -> int | None:
    """The primary SQLite result code of an exception, guessed from its text when absent."""
    code = getattr(exc, "sqlite_errorcode", None)
    text = str(exc).lower()
    # Damage found inside a virtual table (the search index) can come as a plain error.
    if isinstance(code, int) and (code & 0xFF != 1 or "malformed" not in text):
        return code & 0xFF
    for needle, guess in (("disk is full", SQLITE_FULL), ("malformed", SQLITE_CORRUPT),
                          ("not a database", SQLITE_NOTADB), ("readonly", SQLITE_READONLY),
                          ("read-only", SQLITE_READONLY), ("is locked", SQLITE_BUSY),
                          ("unable to open", SQLITE_CANTOPEN), ("disk i/o", SQLITE_IOERR)):
        if needle in text:
            return guess
    return None


class DamagedValue(sqlite3.DatabaseError):
    """A stored value that is not what the library wrote (a date that is no date, a list
    that is no list): bytes of the file changed under it."""


def is_corruption(exc: sqlite3.Error) -> bool:
    return error_code(exc) in (SQLITE_CORRUPT, SQLITE_NOTADB)


def damaged_value(exc: sqlite3.Error) -> str | None:
    """Why a value read from the file shows damage, or None.

    The library only ever stores valid UTF-8 text (see ``model.clean_text``), so a text
    that cannot be decoded is damage, even where SQLite's own checks see none (bytes
    flipped inside a text leave the file's structure intact).
    """
    if isinstance(exc, DamagedValue):
        return str(exc)
    if "could not decode to utf-8" in str(exc).lower():
        return "a stored text is no longer valid UTF-8"
    return None


# Codes that say what went wrong outside the file's contents (the disk, a lock, a limit, a
# mistake in a request): any other failure may be damage, and the file is checked.
_EXPLAINED = {SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR,
              SQLITE_FULL, SQLITE_CANTOPEN, 4, 7, 9, 18, 19, 21, 25}  # ABORT, NOMEM,
#   INTERRUPT, TOOBIG, CONSTRAINT, MISUSE, RANGE


def may_be_damage(exc: sqlite3.Error) -> bool:
    return error_code(exc) not in _EXPLAINED


def translate(exc: sqlite3.Error, path: Path) -> LibraryError:
    """A clear :class:`LibraryError` for an SQLite error (corruption is handled by the store)."""
    code = error_code(exc)
    if code == SQLITE_FULL:
        return StorageFullError(
            f"the disk holding {path} is full: nothing was saved (the previous state is "
            "intact); free some space and save again")
    if code in (SQLITE_READONLY, SQLITE_PERM):
        return ReadOnlyLibraryError(
            f"the library {path} cannot be written (read-only file or folder): nothing "
            "was saved")
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return LibraryBusyError(
            f"the library {path} is busy in another window or process: nothing was saved; "
            "try again in a moment")
    if code == SQLITE_CANTOPEN:
        return ReadOnlyLibraryError(
            f"the library {path} cannot be opened for writing (check that its folder exists "
            "and is writable)")
    if code == SQLITE_IOERR:
        return SaveFailedError(
            f"the disk holding {path} failed to write (full, removed or read-only?): "
            "nothing was saved")
    return LibraryError(f"the library {path} reported an error: {exc}")
