"""The library on disk: where it lives, its backups, and moving damaged files aside.

Backups are whole copies made with SQLite's online backup API (a consistent snapshot even
while another window writes), kept in ``backups/`` beside the library and named
``<library stem>-YYYYMMDD-HHMMSS-<kind>.sqlite``. Nothing here ever deletes or
overwrites a library file: a file that has to make room is renamed with a suffix.

Drafts are private: folders made here are 0700 and files 0600 (SQLite gives the -wal
and -shm files the mode of the library), or stricter where the user made them so.
"""

from __future__ import annotations

import contextlib
import enum
import os
import re
import shutil
import sqlite3
import stat
import tempfile
import threading
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from .errors import LibraryError, NotALibraryError, error_code, is_corruption
from .model import BackupInfo
from .schema import APPLICATION_ID, SCHEMA_VERSION

APP_NAME = "post-coach"
LIBRARY_FILE = "library.sqlite"
ENV_VAR = "COACH_LIBRARY"
KEEP_AUTO_BACKUPS = 7
BACKUP_KINDS = ("auto", "manual", "pre-migration")
SQLITE_HEADER = b"SQLite format 3\x00"
MIN_PAGE_SIZE = 512  # an SQLite file is whole pages of 512 to 65,536 bytes
_STAMP = "%Y%m%d-%H%M%S"
PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600

Progress = Callable[[int, int], object]


def private_mode(like: Path | None = None) -> int:
    """0600, or stricter where the file ``like`` is already (a user's choice is kept)."""
    if like is None:
        return PRIVATE_FILE
    try:
        return PRIVATE_FILE & stat.S_IMODE(like.stat().st_mode)
    except OSError:
        return PRIVATE_FILE


def make_folder(folder: Path) -> None:
    """Make a folder (and its parents) if missing; the folder itself only for its owner."""
    folder.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)


def create_file(path: Path) -> None:
    """A new, empty file only its owner can read; never one that exists already."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))


def make_private(path: Path) -> None:
    """Take a file's access away from everyone but its owner (stricter modes stay)."""
    with contextlib.suppress(OSError):
        os.chmod(path, private_mode(path))


def default_library_path() -> Path:
    """``$COACH_LIBRARY`` when set, else ``library.sqlite`` in the user's data folder."""
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / LIBRARY_FILE


def backup_dir(library: Path) -> Path:
    return library.parent / "backups"


def companions(path: Path) -> list[Path]:
    """The file and the -wal/-shm files SQLite keeps beside it (they belong together)."""
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def _free_name(path: Path, suffix: str) -> Path:
    candidate = path.with_name(f"{path.name}.{suffix}")
    n = 2
    while any(p.exists() for p in companions(candidate)):
        candidate = path.with_name(f"{path.name}.{suffix}-{n}")
        n += 1
    return candidate


def move_aside(path: Path, reason: str, now: datetime | None = None) -> Path | None:
    """Rename a library (with its -wal/-shm) to ``<name>.<reason>-<time>``; never overwrite.

    Returns the new path of the main file, or None when there was nothing to move.
    """
    if not path.exists():
        return None
    stamp = (now or datetime.now()).strftime(_STAMP)
    target = _free_name(path, f"{reason}-{stamp}")
    for src, dst in zip(companions(path), companions(target), strict=True):
        if src.exists():
            os.replace(src, dst)  # dst is known not to exist (see _free_name)
            make_private(dst)
    return target


class Kind(enum.Enum):
    """What a file at a library's path is, from its first 100 bytes (the SQLite header)."""

    MISSING = "no file"
    EMPTY = "the file is empty"
    LIBRARY = "an SQLite database with Post Coach's mark"
    UNMARKED = "an SQLite database without a program's mark"
    FOREIGN = "it is another program's SQLite database"
    BROKEN_SQLITE = "it starts like an SQLite database, but its header is damaged"
    NOT_SQLITE = "it is not an SQLite database"


def _valid_header(head: bytes) -> bool:
    """Whether the fields of an SQLite header that never vary have their values."""
    page_size = int.from_bytes(head[16:18], "big")
    return (head[21:24] == b"\x40\x20\x20"  # payload fractions: always 64, 32, 32
            and (page_size == 1 or 512 <= page_size <= 32768 and not page_size & page_size - 1))


def file_kind(path: Path) -> Kind:
    """What the file at ``path`` is; LibraryError when it is a folder or cannot be read."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(100)
    except FileNotFoundError:
        return Kind.MISSING
    except IsADirectoryError:
        raise LibraryError(f"the library path {path} is a folder, not a file") from None
    except OSError as exc:
        raise LibraryError(f"the library {path} cannot be read: "
                           f"{exc.strerror or exc}") from None
    if not head:
        return Kind.EMPTY
    if not head.startswith(SQLITE_HEADER[: len(head)]):
        return Kind.NOT_SQLITE
    if len(head) < 100 or not _valid_header(head):
        return Kind.BROKEN_SQLITE
    mark = int.from_bytes(head[68:72], "big")
    if mark == APPLICATION_ID:
        return Kind.LIBRARY
    return Kind.UNMARKED if mark == 0 else Kind.FOREIGN


def has_backups(library: Path) -> bool:
    """Whether Post Coach keeps backups of a library at this path: a library was here."""
    return any(file_kind(b.path) is Kind.LIBRARY for b in list_backups(library))


def _table_count(path: Path) -> int | None:
    """How many tables an SQLite file has; None when they cannot be read (damage).

    Read as an immutable file: not a byte of it or beside it is written (not even the
    -shm, where every ordinary reader takes a read mark), and a -wal is not looked at.
    """
    return _scalar(_immutable(path), "SELECT count(*) FROM sqlite_master")


def _immutable(path: Path) -> str:
    """The URI that opens an SQLite file read-only, as a file that nothing changes."""
    return f"{path.resolve().as_uri()}?mode=ro&immutable=1"


def _scalar(database: str, sql: str) -> int | None:
    """The number a query gives in an SQLite file (a path or a ``file:`` URI); None when
    the file or the query cannot be read."""
    try:
        conn = sqlite3.connect(database, uri=database.startswith("file:"))
    except sqlite3.Error:
        return None
    try:
        return int(conn.execute(sql).fetchone()[0])
    except (sqlite3.Error, TypeError, ValueError):
        return None
    finally:
        conn.close()


def _mark_in_log(path: Path) -> int | None:
    """The application id an SQLite file would have with its -wal applied, read from a
    private copy of both (the originals are not touched); None when it cannot be read."""
    with tempfile.TemporaryDirectory(prefix="post-coach-") as folder:
        copy = Path(folder) / "library.sqlite"
        try:
            for src, dst in zip(companions(path)[:2], companions(copy)[:2], strict=True):
                shutil.copyfile(src, dst)
        except OSError:
            return None
        return _scalar(str(copy), "PRAGMA application_id")


def why_not_ours(path: Path) -> str | None:
    """Why Post Coach must leave the file at ``path`` alone (never move or replace it).

    None when it may: there is no file, an empty one, a library with Post Coach's mark,
    an SQLite database with no mark and no tables yet, or (damage having taken the mark
    with it) a file of whole pages, as every SQLite file is, at a path of which Post Coach
    keeps backups. (Backups are named by the library's stem, so ``notes.txt`` beside a
    ``notes.sqlite`` has backups too; whole pages tell such a file from a library.)
    """
    kind = file_kind(path)
    if kind in (Kind.MISSING, Kind.EMPTY, Kind.LIBRARY):
        return None
    if kind is Kind.FOREIGN:
        return kind.value
    if kind is Kind.UNMARKED:
        tables = _table_count(path)
        wal = companions(path)[1]
        if tables == 0 and wal.exists() and wal.stat().st_size:
            # A library gets its mark with its tables, in one transaction; until the first
            # checkpoint both live only in the log (an older Post Coach stopped in its first
            # seconds left such a file). The log is read in a copy, never replayed here.
            if _mark_in_log(path) == APPLICATION_ID:
                return None
            return "it is an SQLite database with another program's changes beside it"
        if tables == 0:
            return None
        if tables is not None:
            return "it is an SQLite database with tables of another program"
    if path.stat().st_size % MIN_PAGE_SIZE == 0 and has_backups(path):
        return None
    return (kind.value if kind is not Kind.UNMARKED
            else "it is a damaged SQLite database without Post Coach's mark")


def refusal(path: Path, why: str) -> NotALibraryError:
    """The error for a file that is left alone because it is not known to be ours."""
    return NotALibraryError(f"{path} is not a Post Coach library ({why}); it was left as it "
                            "is")


def create_library(path: Path, build: Callable[[sqlite3.Connection], None]) -> None:
    """Make a new library at ``path`` whole or not at all.

    It is built under a temporary name and linked into place, so that a library file
    of ours is never seen empty or half made (an empty file at a library's place is
    damage), and a file that another process made meanwhile is never replaced.
    """
    temp = path.with_name(f".{path.name}.new-{uuid.uuid4().hex[:12]}")
    create_file(temp)
    try:
        conn = sqlite3.connect(temp, isolation_level=None)
        try:
            build(conn)
        finally:
            conn.close()
        try:
            os.link(temp, path)
        except FileExistsError:
            pass  # another process made it a moment ago: that one is the library
        except OSError:  # a file system without hard links (FAT, some network shares)
            if not path.exists():
                os.replace(temp, path)
    finally:
        for leftover in companions(temp):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def _backup_pattern(library: Path) -> re.Pattern[str]:
    kinds = "|".join(BACKUP_KINDS)
    return re.compile(rf"^{re.escape(library.stem)}-(\d{{8}}-\d{{6}})(?:-(\d+))?-({kinds})"
                      rf"\.sqlite$")


def list_backups(library: Path) -> list[BackupInfo]:
    """The backups of a library, newest first."""
    folder = backup_dir(library)
    pattern = _backup_pattern(library)
    found: list[tuple[str, int, BackupInfo]] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for entry in entries:
        m = pattern.match(entry.name)
        if not m:
            continue
        try:
            created = datetime.strptime(m.group(1), _STAMP)
            size = entry.stat().st_size
        except (ValueError, OSError):
            continue
        info = BackupInfo(entry, created, m.group(3), size)
        found.append((m.group(1), int(m.group(2) or 0), info))
    found.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [info for *_, info in found]


def _backup_name(library: Path, kind: str, now: datetime) -> Path:
    folder = backup_dir(library)
    stamp = now.strftime(_STAMP)
    path = folder / f"{library.stem}-{stamp}-{kind}.sqlite"
    n = 2
    while path.exists():
        path = folder / f"{library.stem}-{stamp}-{n}-{kind}.sqlite"
        n += 1
    return path


def _copy(src: sqlite3.Connection, dest: Path, progress: Progress | None,
          mode: int = PRIVATE_FILE) -> None:
    """Copy a database into a new file with the backup API, in steps that report progress.

    The copy is private from its first byte and gets ``mode`` once complete.
    """
    partial = dest.with_name(dest.name + ".partial")
    with contextlib.suppress(FileNotFoundError):
        partial.unlink()  # our own leftover from an interrupted copy
    create_file(partial)
    out = sqlite3.connect(partial, isolation_level=None)
    try:
        def step(status: int, remaining: int, total: int) -> None:
            if progress is not None:
                progress(total - remaining, total)

        src.backup(out, pages=256, progress=step)
        # A backup is one self-contained file: no -wal beside it to lose when copied around.
        out.execute("PRAGMA journal_mode = DELETE")
        problem = out.execute("PRAGMA quick_check").fetchone()[0]
        if problem != "ok":
            raise sqlite3.DatabaseError(f"database disk image is malformed: {problem}")
    except BaseException:
        out.close()
        with contextlib.suppress(OSError):
            partial.unlink()
        raise
    out.close()
    with open(partial, "rb") as handle:
        os.fsync(handle.fileno())
    if mode != PRIVATE_FILE:
        os.chmod(partial, mode)
    os.replace(partial, dest)


def quick_check(conn: sqlite3.Connection, budget: float | None = None) -> str | None:
    """The first problem ``PRAGMA quick_check`` finds, or None (no damage, or no time).

    With a ``budget`` (seconds) the check is interrupted when it runs out and counts as
    finding nothing. (A progress handler cannot bound it: SQLite before 3.43 does not call
    it while walking the b-trees, which is nearly all of the check.)
    """
    lock = threading.Lock()
    running = True

    def stop() -> None:
        with lock:
            if running:
                conn.interrupt()

    timer = threading.Timer(budget, stop) if budget is not None else None
    if timer is not None:
        timer.daemon = True
        timer.start()
    try:
        rows = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.OperationalError as exc:
        if timer is not None and "interrupt" in str(exc).lower():
            return None
        raise
    finally:
        with lock:
            running = False
        if timer is not None:
            timer.cancel()
    if rows == ["ok"]:
        return None
    found = [line for row in rows for line in row.splitlines()
             if line.strip() and not line.startswith("***")]
    more = f" (and {len(found) - 1} more problems)" if len(found) > 1 else ""
    return f"SQLite's integrity check found: {found[0] if found else rows[0]}{more}"


def make_backup(conn: sqlite3.Connection, library: Path, kind: str = "manual", *,
                now: datetime | None = None, progress: Progress | None = None) -> BackupInfo:
    """Copy the open library into its backups folder; the copy is checked before it counts.

    A copy that fails its integrity check is removed and the older backups are kept, so a
    damaged library never rotates the good backups out.
    """
    if kind not in BACKUP_KINDS:
        raise ValueError(f"unknown backup kind {kind!r}")
    now = now or datetime.now()
    folder = backup_dir(library)
    try:
        make_folder(folder)
        dest = _backup_name(library, kind, now)
        _copy(conn, dest, progress, private_mode(library))
    except OSError as exc:
        raise LibraryError(f"cannot write a backup to {folder}: {exc.strerror or exc}") from None
    except sqlite3.Error as exc:
        if is_corruption(exc):
            raise LibraryError(f"the library {library} is damaged, so no backup was made "
                               f"(the older backups are kept): {exc}") from None
        code = error_code(exc)
        raise LibraryError(f"cannot write a backup to {folder} "
                           f"({'disk full' if code == 13 else exc})") from None
    return BackupInfo(dest, now.replace(microsecond=0), kind, dest.stat().st_size)


def drafts_in(backup: Path) -> int | None:
    """How many drafts a backup holds (the trash included); None when it cannot be read."""
    return _scalar(_immutable(backup), "SELECT count(*) FROM drafts")


def prune_backups(library: Path, keep: int = KEEP_AUTO_BACKUPS, kind: str = "auto"
                  ) -> list[Path]:
    """Remove the automatic backups beyond the newest ``keep``; others are the user's.

    A backup is never removed while every backup kept is *much smaller* than it: holds
    fewer than half as many drafts (an emptied library, an accidental mass delete).
    The newest such backup stays, and counts as kept for the older ones, so a library
    that shrank keeps one backup from before each fall (a handful at most: each one
    spared has more than twice the drafts of the one before).
    """
    backups = list_backups(library)
    old = [b for b in backups if b.kind == kind][keep:]
    if not old:
        return []
    spared = {b.path for b in backups} - {b.path for b in old}
    most = max((drafts_in(path) or 0 for path in spared), default=0)
    removed: list[Path] = []
    for info in old:  # newest first
        count = drafts_in(info.path)
        if count is not None and count > 2 * most:
            most = count
            continue
        try:
            info.path.unlink()
            removed.append(info.path)
        except OSError:
            pass
    return removed


def check_library_file(path: Path) -> int:
    """Check that a file is an intact Post Coach library; returns its schema version."""
    kind = file_kind(path)
    if kind is Kind.MISSING:
        raise LibraryError(f"{path}: no such file")
    if kind is not Kind.LIBRARY:
        why = kind.value if kind is not Kind.UNMARKED else "it has no Post Coach mark"
        raise NotALibraryError(f"{path} is not a Post Coach library ({why})")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise LibraryError(f"{path} cannot be opened: {exc}") from None
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if app_id != APPLICATION_ID:
            raise NotALibraryError(f"{path} is an SQLite file but not a Post Coach library")
        if version > SCHEMA_VERSION:
            raise NotALibraryError(f"{path} was written by a newer Post Coach "
                                   f"(schema version {version})")
        result = conn.execute("PRAGMA quick_check").fetchone()[0]
        if result != "ok":
            raise LibraryError(f"{path} is damaged ({result})")
    except sqlite3.Error as exc:
        raise LibraryError(f"{path} is damaged or unreadable ({exc})") from None
    finally:
        conn.close()
    return int(version)


def restore_file(backup: Path, library: Path, *, now: datetime | None = None,
                 progress: Progress | None = None) -> Path | None:
    """Put a backup in the library's place. The current file is moved aside, not replaced.

    The library must not be open in this process (close the store first). Returns where
    the previous library file was moved (None when there was none). A file there that
    is not recognisably a library (see :func:`why_not_ours`) is refused and left alone.
    """
    backup = Path(backup)
    check_library_file(backup)
    why = why_not_ours(library)
    if why:
        raise refusal(library, why)
    staging = library.with_name(library.name + ".restoring")
    for leftover in companions(staging):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
    try:
        make_folder(library.parent)
        mode = private_mode(library if library.exists() else None)
        src = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
        try:
            _copy(src, staging, progress, mode)
        finally:
            src.close()
        moved = move_aside(library, "replaced", now)
        os.replace(staging, library)
    except OSError as exc:
        raise LibraryError(f"cannot restore into {library.parent}: "
                           f"{exc.strerror or exc}") from None
    except sqlite3.Error as exc:
        raise LibraryError(f"cannot restore {backup}: {exc}") from None
    return moved
