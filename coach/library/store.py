"""The drafts library: one SQLite file that keeps every draft, every saved text, and the
open editors' unsaved buffers.

Written for people who keep years of client drafts and never want to lose one:

* every change of a draft's text keeps the previous text as a version;
* a per-draft ``revision`` lets two windows or processes notice each other's saves
  (``update(..., expected_revision=n)`` raises :class:`ConflictError` instead of
  overwriting);
* ``autosave`` keeps the open buffer (no version) so that ``recover`` can bring it back
  after a crash;
* writes are single transactions (``BEGIN IMMEDIATE``, WAL, ``synchronous=FULL``): a crash,
  a full disk or a read-only folder leaves the file as it was before the call;
* a damaged file is moved aside (never deleted) and the newest backup is offered.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import os
import re
import socket
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any

from . import files, schema
from .errors import (
    SQLITE_BUSY,
    SQLITE_LOCKED,
    Cancelled,
    ConflictError,
    CorruptLibraryError,
    DamagedValue,
    DraftNotFound,
    InvalidDraftError,
    LibraryError,
    LibraryNeedsUpgrade,
    NotALibraryError,
    ReadOnlyLibraryError,
    SearchIndexDamaged,
    SearchIndexRebuilt,
    damaged_value,
    error_code,
    is_corruption,
    may_be_damage,
    translate,
)
from .model import (
    FIELDS,
    Autosave,
    BackupInfo,
    Draft,
    DraftRecord,
    ImportResult,
    Version,
    clean_fields,
    clean_text,
    derive_title,
    from_db_time,
    to_db_time,
    utc_now,
)
from .query import build_filters, order_by
from .schema import APPLICATION_ID, migrate, pending, user_version

Scorer = Callable[[str, Mapping[str, Any]], Mapping[str, Any] | None]
Progress = Callable[[int, int], object]

_SELECT = ("SELECT d.id, d.uid, d.title, b.text, d.language, d.language_pinned, d.platform, "
           "d.kind, b.comment, d.client, d.tags, d.status, d.planned, d.created, d.updated, "
           "b.scores, d.revision, d.trashed FROM drafts d JOIN bodies b ON b.id = d.id")
_DRAFT_INSERT = ("INSERT INTO drafts (id, uid, title, language, language_pinned, platform, "
                 "kind, client, tags, status, planned, created, updated, score, revision, "
                 "trashed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)")
_BODY_INSERT = "INSERT INTO bodies (id, text, comment, scores) VALUES (?, ?, ?, ?)"
_TAG_INSERT = "INSERT INTO draft_tags (draft_id, tag) VALUES (?, ?)"
_BODY_FIELDS = ("text", "comment", "scores")
_TEXT_COLUMNS = "{title text tags client}"  # what a search looks at (not the trash state)
_RANK = "bm25(drafts_fts, 5.0, 1.0, 3.0, 2.0, 0.0)"  # a title match counts most
_WALKABLE = ("updated", "title")  # sorts an index gives in order
# Opening checks a library file up to this size in full: about 20 ms on the team's
# machine (at 100,000 drafts, 274 MB, the check would take 0.2 to 2 s).
QUICK_CHECK_MAX_BYTES = 32 * 2**20
QUICK_CHECK_SECONDS = 0.05  # never longer than this, whatever the disk
INDEX_PROBLEM = "the search index does not match the drafts (rebuild_index() repairs it)"


def _again_after_repair(run: Callable[[], Any]) -> Any:
    """Run a search; once more when the first try found the index damaged and rebuilt it."""
    try:
        return run()
    except SearchIndexRebuilt:
        return run()


def _paged(sql: str, params: list[Any], limit: int | None, offset: int
           ) -> tuple[str, list[Any]]:
    if limit is None and not offset:
        return sql, params
    return sql + " LIMIT ? OFFSET ?", [*params, -1 if limit is None else int(limit),
                                       int(offset)]
_VERSION_COLUMNS = "draft_id, number, text, title, saved, scores, note"
_VERSION_INSERT = f"INSERT INTO versions ({_VERSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)"
ON_EXISTING = ("skip-identical", "skip", "copy")
_WORDS = re.compile(r"\s+|\w+|[^\w\s]")


_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode  # built once: faster


def _json(value: Any) -> str | None:
    return None if value is None else _ENCODE(value)


def _scores(raw: str | None) -> Mapping[str, Any] | None:
    return None if raw is None else MappingProxyType(json.loads(raw))


def _readable(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A conversion of stored values that raises DamagedValue for one it cannot read."""
    def read(stored: Any) -> Any:
        try:
            return convert(stored)
        except (ValueError, TypeError, AttributeError):
            raise DamagedValue("a stored value cannot be read back") from None

    return read


@_readable
def _draft(row: Sequence[Any]) -> Draft:
    return Draft(
        id=row[0], uid=row[1], title=row[2], text=row[3], language=row[4],
        language_pinned=bool(row[5]), platform=row[6], kind=row[7], comment=row[8],
        client=row[9], tags=tuple(json.loads(row[10])), status=row[11],
        planned=date.fromisoformat(row[12]) if row[12] else None,
        created=from_db_time(row[13]), updated=from_db_time(row[14]), scores=_scores(row[15]),
        revision=row[16], trashed=from_db_time(row[17]) if row[17] else None)


@_readable
def _time(value: str) -> datetime:
    return from_db_time(value)


@_readable
def _version(row: Sequence[Any]) -> Version:
    return Version(draft_id=row[0], number=row[1], text=row[2],
                   title=row[3] or derive_title(row[2]),
                   saved=from_db_time(row[4]), scores=_scores(row[5]), note=row[6])


def _overall(scores: Mapping[str, Any] | None) -> float | None:
    value = (scores or {}).get("overall")
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


# --- who owns an autosave --------------------------------------------------------------------
# An autosave whose owner process is still running is a live editor, not a crash to recover.
# On Linux the boot id and the process start time make the check exact (no pid reuse);
# elsewhere a buffer of another process is always offered (showing too much loses nothing).

def _read(path: str) -> str:
    try:
        with open(path, encoding="ascii", errors="replace") as handle:
            return handle.read().strip()
    except OSError:
        return ""


def _process_start(pid: int) -> str | None:
    stat = _read(f"/proc/{pid}/stat")
    if not stat:
        return None
    fields = stat.rsplit(")", 1)[-1].split()
    if len(fields) < 20 or fields[0] in ("Z", "X"):  # a zombie has already died
        return None
    return fields[19]


def _this_process() -> tuple[str, str, str]:
    return socket.gethostname(), _read("/proc/sys/kernel/random/boot_id"), \
        _process_start(os.getpid()) or ""


def _owner_alive(owner: str) -> bool:
    parts = owner.split("|")
    if len(parts) != 5:
        return False
    host, boot, pid_text, start, _token = parts
    my_host, my_boot, my_start = _this_process()
    if host != my_host or boot != my_boot or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return start == my_start
    return bool(boot) and _process_start(pid) == start


class DraftStore:
    """A library of drafts in one SQLite file. Safe to share between windows and processes.

    ``path``: the library file (default :func:`default_library_path`); created when missing.
    ``read_only``: browse without writing (for a library in a read-only place).
    ``scorer``: optional ``(text, fields) -> scores`` called when a text is saved without
    scores (e.g. :func:`coach.library.engine_scorer`). ``auto_backup``: make the day's
    backup on ``close()``. ``clock``: returns the current UTC time (for tests).

    Raises :class:`CorruptLibraryError` (after moving the damaged file aside),
    :class:`NotALibraryError`, :class:`ReadOnlyLibraryError` or :class:`LibraryError`.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, read_only: bool = False,
                 scorer: Scorer | None = None, auto_backup: bool = True,
                 clock: Callable[[], datetime] | None = None, timeout: float = 10.0) -> None:
        self.path = Path(path).expanduser() if path else files.default_library_path()
        self.read_only = read_only
        self.auto_backup_on_close = auto_backup and not read_only
        self.backup_error: LibraryError | None = None  # set when the close-time backup failed
        self._scorer = scorer
        self._clock = clock or utc_now
        self._timeout = timeout
        self._lock = threading.RLock()
        host, boot, start = _this_process()
        self.session = f"{host}|{boot}|{os.getpid()}|{start}|{uuid.uuid4().hex}"
        self._conn: sqlite3.Connection | None = None
        self._known_library = False  # True once opened: this file is a library of ours
        self._conn = self._open()

    # --- opening and closing ----------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        """A connection; for a read-only store, one that leaves the file as it was.

        A read-only store reads through an ordinary connection made query-only while no
        -wal is beside the file: as the last to close, it takes away the -wal and -shm it
        made (SQLite's read-only mode would leave them), and with nothing in the WAL
        that close writes nothing. Beside a -wal (another window has the library open,
        or a crash left it) it reads in read-only mode, which never writes the file.
        """
        options: dict[str, Any] = {"timeout": self._timeout, "isolation_level": None,
                                   "check_same_thread": False}
        self._query_only = False
        if not self.read_only:
            return sqlite3.connect(self.path, **options)
        uri = self.path.resolve().as_uri()
        # In a folder we cannot write, no -shm can be made: nobody can be writing the
        # file either, so it may be read as an immutable file.
        attempts = [f"{uri}?mode=ro", f"{uri}?mode=ro&immutable=1"]
        if not files.companions(self.path)[1].exists():
            attempts.insert(0, f"{uri}?mode=rw")
        for target in attempts:
            conn = None
            try:
                conn = sqlite3.connect(target, uri=True, **options)
                if target.endswith("mode=rw"):
                    conn.execute("PRAGMA query_only = ON")
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.OperationalError:
                if conn is not None:
                    conn.close()
                if target == attempts[-1]:
                    raise
                continue
            self._query_only = target.endswith("mode=rw")
            return conn
        raise AssertionError("unreachable")  # the last attempt returns or raises

    def _open(self) -> sqlite3.Connection:
        self._prepare_file()
        conn: sqlite3.Connection | None = None
        try:
            conn = self._connect()
            conn.execute("PRAGMA foreign_keys = ON")
            # Identity and version first: a file we must not open is left byte for byte.
            self._check_identity(conn)
            self._check_at_open(conn)
            todo = pending(conn, schema.MIGRATIONS)
            if todo and self.read_only:
                self._refuse_to_migrate(conn)
            if not self.read_only:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = FULL")
            if todo:
                if user_version(conn) > 0:
                    files.make_backup(conn, self.path, "pre-migration", now=self._local_now())
                migrate(conn, schema.MIGRATIONS)
            conn.execute("SELECT id FROM drafts ORDER BY id DESC LIMIT 1").fetchall()
        except sqlite3.Error as exc:
            if conn is not None:
                conn.close()
            reason = damaged_value(exc) or (str(exc) if is_corruption(exc) else None)
            if reason:
                self._damaged(reason)
            raise self._open_error(exc) from None
        except BaseException:
            if conn is not None:
                conn.close()
            raise
        self._known_library = True
        return conn

    def _check_at_open(self, conn: sqlite3.Connection) -> None:
        """A quick check of a file small enough to be checked in full in a moment.

        Damage in the middle of a file is otherwise found only when a read meets it. A
        bigger file (or a slow disk: the check is cut off at its budget) is checked as
        it is read, and in full by ``check()``.
        """
        pages, size = (conn.execute(f"PRAGMA {name}").fetchone()[0]
                       for name in ("page_count", "page_size"))
        if not 0 < pages * size <= QUICK_CHECK_MAX_BYTES:
            return
        problem = files.quick_check(conn, QUICK_CHECK_SECONDS)
        if problem is not None:
            raise DamagedValue(problem)

    def _prepare_file(self) -> None:
        """Decide from the file's header what it is, before SQLite touches it.

        A missing library is made (whole, and private); an empty file is damage where a
        library was (its backups are beside it), else a file made for a new library; a
        file that is not SQLite, or is another program's database, is left alone; an
        unmarked SQLite file is opened only when it has no tables yet.
        """
        path = self.path
        kind = files.file_kind(path)
        if kind is files.Kind.MISSING:
            if self.read_only:
                raise LibraryError(f"no library at {path}")
            self._create()
        elif kind is files.Kind.EMPTY:
            if files.has_backups(path):
                self._damaged("the file is empty")
            if self.read_only:
                raise LibraryError(f"{path} is an empty file, not a library yet; it was left "
                                   "as it is")
            files.make_private(path)  # the file someone made for a new library
        elif kind is files.Kind.UNMARKED:
            # Another program's database must not be opened for writing even once:
            # SQLite would play a log left by its crash into it.
            why = files.why_not_ours(path)
            if why:
                raise files.refusal(path, why)
        elif kind is not files.Kind.LIBRARY:
            self._damaged(kind.value)  # refused instead when it is not known to be ours

    def _create(self) -> None:
        def build(conn: sqlite3.Connection) -> None:
            migrate(conn, schema.MIGRATIONS)
            conn.execute("PRAGMA journal_mode = WAL")

        try:
            files.make_folder(self.path.parent)
            files.create_library(self.path, build)
        except OSError as exc:
            raise ReadOnlyLibraryError(
                f"cannot create the library {self.path}: {exc.strerror or exc}") from None
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None

    def _refuse_to_migrate(self, conn: sqlite3.Connection) -> None:
        if user_version(conn) == 0:
            raise LibraryError(f"{self.path} is an empty database, not a library yet; it was "
                               "left as it is")
        raise LibraryNeedsUpgrade(
            f"the library {self.path} needs an upgrade: open it once with write access")

    def _check_identity(self, conn: sqlite3.Connection) -> None:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id == APPLICATION_ID:
            return
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if app_id != 0 or tables:
            raise NotALibraryError(
                f"{self.path} is an SQLite database but not a Post Coach library; "
                "it was left as it is")

    def _open_error(self, exc: sqlite3.Error) -> LibraryError:
        code = error_code(exc)
        if code in (3, 8, 14):  # PERM, READONLY, CANTOPEN
            return ReadOnlyLibraryError(
                f"the library {self.path} cannot be opened for writing (read-only file or "
                "folder?); it can still be opened read-only")
        return translate(exc, self.path)

    def _damaged(self, reason: str) -> None:
        """Move a damaged library aside (never delete it) and raise CorruptLibraryError.

        A file that is not known to be a library (see ``files.why_not_ours``) is left as
        it is, with NotALibraryError instead.
        """
        why = None if self._known_library else files.why_not_ours(self.path)
        if why:
            raise files.refusal(self.path, why)
        moved: Path | None = None
        with contextlib.suppress(OSError):  # renamed, not written: read-only stores too
            moved = files.move_aside(self.path, "damaged", self._local_now())
        raise CorruptLibraryError(self.path, reason, moved, files.list_backups(self.path))

    def _local_now(self) -> datetime:
        return self._clock().astimezone().replace(tzinfo=None)

    def _now(self) -> str:
        return to_db_time(self._clock())

    @property
    def closed(self) -> bool:
        return self._conn is None

    def close(self) -> None:
        """Close the library; once a day this first makes the automatic backup."""
        with self._lock:
            if self._conn is None:
                return
            if self.auto_backup_on_close:
                try:
                    self.auto_backup()
                except LibraryError as exc:
                    self.backup_error = exc
            conn, self._conn = self._conn, None
            with contextlib.suppress(sqlite3.Error):
                if not self.read_only:
                    conn.execute("PRAGMA analysis_limit = 1000")  # bounded: closing stays fast
                    conn.execute("PRAGMA optimize")  # keeps the planner's statistics fresh
                conn.close()

    def __enter__(self) -> DraftStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"DraftStore({str(self.path)!r}{', closed' if self.closed else ''})"

    # --- transactions -----------------------------------------------------------------------

    def _failed(self, exc: sqlite3.Error) -> LibraryError:
        """The error to raise for a failed statement; damage is dealt with first.

        A value that cannot be read back is damage; so is an error SQLite reports as
        damage, or one it does not explain, when a quick check of the file then finds
        problems (when it finds none, damage SQLite reported is in the search index,
        which is rebuilt from the drafts).
        """
        reason = damaged_value(exc)
        if reason is None and (is_corruption(exc) or may_be_damage(exc)):
            problem = self._quick_problem()
            if problem is None:
                return self._repair_index(exc) if is_corruption(exc) else \
                    translate(exc, self.path)
            reason = str(exc) if is_corruption(exc) else problem
        if reason is None:
            return translate(exc, self.path)
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(sqlite3.Error):
                conn.close()
        try:
            self._damaged(reason)
        except LibraryError as damaged:
            return damaged
        raise AssertionError("unreachable")  # _damaged always raises

    def _quick_problem(self) -> str | None:
        """What a quick check of the whole file finds (a message), or None when intact."""
        try:
            return files.quick_check(self._live())
        except (sqlite3.Error, LibraryError) as exc:
            return str(exc)

    def _repair_index(self, exc: sqlite3.Error) -> LibraryError:
        if self.read_only:
            return SearchIndexDamaged(
                f"the search index of {self.path} is damaged (the drafts are intact): open "
                "the library with write access to rebuild it")
        try:
            self._rebuild_index(self._live())
        except sqlite3.Error as again:
            return LibraryError(f"the search index of {self.path} is damaged and could not be "
                                f"rebuilt ({again}); the drafts are intact")
        return SearchIndexRebuilt(f"the search index of {self.path} was damaged ({exc}); it "
                                  "has been rebuilt from the drafts, nothing was lost: try again")

    def _rebuild_index(self, conn: sqlite3.Connection) -> None:
        """Make the search index anew from the drafts, in one transaction."""
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.execute("BEGIN IMMEDIATE")
        try:
            table = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND "
                                 "name = 'drafts_fts'").fetchone()[0]
            conn.execute("DROP TABLE drafts_fts")
            conn.execute(table)
            conn.execute("INSERT INTO drafts_fts (rowid, title, text, tags, client, state) "
                         "SELECT d.id, d.title, b.text, d.tags, d.client, "
                         "iif(d.trashed IS NULL, '', 'trashed') FROM drafts d "
                         "JOIN bodies b ON b.id = d.id")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def rebuild_index(self) -> None:
        """Rebuild the search index from the drafts (after ``check()`` reported it damaged)."""
        with self._lock:
            if self.read_only:
                raise ReadOnlyLibraryError(f"the library {self.path} is open read-only")
            try:
                self._rebuild_index(self._live())
            except sqlite3.Error as exc:
                raise self._failed(exc) from None

    def _live(self) -> sqlite3.Connection:
        if self._conn is None:
            raise LibraryError(f"the library {self.path} is closed")
        return self._conn

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            conn = self._live()
            try:
                yield conn
            except sqlite3.Error as exc:
                raise self._failed(exc) from None

    @contextlib.contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; on any error nothing of it is kept."""
        with self._lock:
            conn = self._live()
            if self.read_only:
                raise ReadOnlyLibraryError(f"the library {self.path} is open read-only: "
                                           "nothing was saved")
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise self._failed(exc) from None
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException as exc:
                if conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise self._failed(exc) from None
                raise

    # --- drafts -----------------------------------------------------------------------------

    def _score(self, text: str, fields: Mapping[str, Any]) -> dict[str, Any] | None:
        if self._scorer is None:
            return None
        result = self._scorer(text, fields)
        return clean_fields({"scores": result})["scores"] if result is not None else None

    def add(self, text: str = "", **fields: Any) -> int:
        """Save a new draft and return its id. Fields: see :data:`coach.library.FIELDS`."""
        values = clean_fields({"text": text, **fields})
        if "scores" not in values:
            values["scores"] = self._score(values["text"], values)
        with self._writing() as conn:
            now = self._now()
            return self._insert(conn, values, uid=None, created=now, updated=now,
                                trashed=None, versions=(), note="created")[0]

    @staticmethod
    def _rows(draft_id: int | None, values: Mapping[str, Any], *, uid: str | None,
              created: str, updated: str, trashed: str | None,
              versions: Sequence[Mapping[str, Any]], note: str
              ) -> tuple[tuple[Any, ...], tuple[Any, ...], list[tuple], list[tuple]]:
        """The rows of one new draft: drafts, bodies, its tags and its versions."""
        text = values.get("text", "")
        title = values.get("title") or derive_title(text)
        tags = tuple(values.get("tags", ()))
        scores = values.get("scores")
        planned = values.get("planned")
        draft = (draft_id, uid or uuid.uuid4().hex, title, values.get("language"),
                 int(values.get("language_pinned", False)), values.get("platform"),
                 values.get("kind", "post"), values.get("client"), _ENCODE(list(tags)),
                 values.get("status", "draft"), planned.isoformat() if planned else None,
                 created, updated, _overall(scores), trashed)
        body = (draft_id, text, values.get("comment", ""), _json(scores))
        # An imported version without a title gets it from its text when read (faster).
        history = [(draft_id, n, v["text"], v.get("title") or "", v.get("saved") or created,
                    _json(v.get("scores")), v.get("note", ""))
                   for n, v in enumerate(versions, start=1)]
        if not history or history[-1][2] != text:
            history.append((draft_id, len(history) + 1, text, title, updated, _json(scores),
                            note))
        return draft, body, [(draft_id, tag) for tag in tags], history

    def _insert(self, conn: sqlite3.Connection, values: Mapping[str, Any], *,
                uid: str | None, created: str, updated: str, trashed: str | None,
                versions: Sequence[Mapping[str, Any]], note: str) -> tuple[int, int]:
        """Insert a draft with its body, tags and versions; returns its id and versions."""
        draft, body, tags, history = self._rows(
            None, values, uid=uid, created=created, updated=updated, trashed=trashed,
            versions=versions, note=note)
        draft_id = int(conn.execute(_DRAFT_INSERT, draft).lastrowid)
        conn.execute(_BODY_INSERT, (draft_id, *body[1:]))
        conn.executemany(_TAG_INSERT, [(draft_id, tag) for _, tag in tags])
        conn.executemany(_VERSION_INSERT, [(draft_id, *row[1:]) for row in history])
        return draft_id, len(history)

    def _row(self, conn: sqlite3.Connection, draft_id: int) -> Draft:
        row = conn.execute(f"{_SELECT} WHERE d.id = ?", (draft_id,)).fetchone()
        if row is None:
            raise DraftNotFound(draft_id)
        return _draft(row)

    def get(self, draft_id: int) -> Draft:
        """The draft with this id (also when it is in the trash). Raises DraftNotFound."""
        with self._reading() as conn:
            return self._row(conn, int(draft_id))

    def get_by_uid(self, uid: str) -> Draft:
        with self._reading() as conn:
            row = conn.execute(f"{_SELECT} WHERE d.uid = ?", (uid,)).fetchone()
            if row is None:
                raise DraftNotFound(uid)
            return _draft(row)

    def get_many(self, ids: Sequence[int]) -> list[Draft]:
        """The drafts with these ids, in the same order (ids not found are left out)."""
        found: dict[int, Draft] = {}
        with self._reading() as conn:
            for start in range(0, len(ids), 500):
                chunk = [int(i) for i in ids[start:start + 500]]
                marks = ", ".join("?" * len(chunk))
                for row in conn.execute(f"{_SELECT} WHERE d.id IN ({marks})", chunk):
                    found[row[0]] = _draft(row)
                self._check_bodies(conn, [i for i in chunk if i not in found])
        return [found[i] for i in ids if i in found]

    @staticmethod
    def _check_bodies(conn: sqlite3.Connection, missing: list[int]) -> None:
        """A draft that is there without its text is damage, never a draft left out.

        A draft and its text are written and deleted in one transaction, so only a
        damaged file can hold one without the other.
        """
        if missing and conn.execute(
                f"SELECT count(*) FROM drafts WHERE id IN ({', '.join('?' * len(missing))})",
                missing).fetchone()[0]:
            raise DamagedValue("a draft has lost its text")

    def update(self, draft_id: int, *, expected_revision: int | None = None,
               **fields: Any) -> Draft:
        """Change fields of a draft and return it as saved.

        A new text keeps the old one as a version. With ``expected_revision`` (the
        ``revision`` of the draft the caller edited), a draft saved meanwhile by someone
        else raises :class:`ConflictError` and nothing is written. Changing only
        ``scores`` is not an edit: it does not move ``revision`` or ``updated``.
        """
        return self._update(int(draft_id), clean_fields(fields), expected_revision, note="")

    def _update(self, draft_id: int, changes: dict[str, Any], expected_revision: int | None,
                note: str) -> Draft:
        if "text" in changes and "scores" not in changes and self._scorer is not None:
            base = self.get(draft_id).to_dict()
            base.update(changes)
            changes["scores"] = self._score(changes["text"], base)
        with self._writing() as conn:
            now = self._now()
            current = self._row(conn, draft_id)
            if expected_revision is not None and current.revision != expected_revision:
                raise ConflictError(draft_id, expected_revision, current)
            text = changes.get("text", current.text)
            text_changed = text != current.text
            sets: dict[str, Any] = {}
            for name in ("text", "language", "language_pinned", "platform", "kind", "comment",
                         "client", "status", "planned"):
                if name in changes and changes[name] != getattr(current, name):
                    sets[name] = changes[name]
            if "title" in changes:
                title = changes["title"] or derive_title(text)
            elif text_changed and current.title == derive_title(current.text):
                title = derive_title(text)  # the title followed the first line: keep following
            else:
                title = current.title
            if title != current.title:
                sets["title"] = title
            tags = changes.get("tags", current.tags)
            if tuple(tags) != current.tags:
                sets["tags"] = _ENCODE(list(tags))
            scores = changes.get("scores", None if text_changed else current.scores)
            scores = None if scores is None else dict(scores)
            old_scores = None if current.scores is None else dict(current.scores)
            if not sets and scores == old_scores:
                return current
            if "planned" in sets and sets["planned"] is not None:
                sets["planned"] = sets["planned"].isoformat()
            if "language_pinned" in sets:
                sets["language_pinned"] = int(sets["language_pinned"])
            if scores != old_scores:
                sets["scores"] = _json(scores)
                sets["score"] = _overall(scores)
            edited = any(name not in ("scores", "score") for name in sets)
            body = {k: v for k, v in sets.items() if k in _BODY_FIELDS}
            head = {k: v for k, v in sets.items() if k not in _BODY_FIELDS}
            assignments = [f"{name} = ?" for name in head]
            params = list(head.values())
            if edited:
                assignments += ["revision = revision + 1", "updated = ?"]
                params.append(now)
            if assignments:
                conn.execute(f"UPDATE drafts SET {', '.join(assignments)} WHERE id = ?",
                             (*params, draft_id))
            if body:
                conn.execute(f"UPDATE bodies SET {', '.join(f'{k} = ?' for k in body)} "
                             "WHERE id = ?", (*body.values(), draft_id))
            if "tags" in sets:
                conn.execute("DELETE FROM draft_tags WHERE draft_id = ?", (draft_id,))
                conn.executemany("INSERT INTO draft_tags (draft_id, tag) VALUES (?, ?)",
                                 [(draft_id, tag) for tag in tags])
            if text_changed:
                number = conn.execute("SELECT coalesce(max(number), 0) + 1 FROM versions "
                                      "WHERE draft_id = ?", (draft_id,)).fetchone()[0]
                conn.execute(f"INSERT INTO versions ({_VERSION_COLUMNS}) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?)",
                             (draft_id, number, text, title, now, _json(scores), note))
            elif "scores" in sets:
                # New scores for the same text belong to the version that holds that text.
                conn.execute("UPDATE versions SET scores = ? WHERE draft_id = ? AND number = "
                             "(SELECT max(number) FROM versions WHERE draft_id = ?) "
                             "AND text = ?", (sets["scores"], draft_id, draft_id, text))
            return self._row(conn, draft_id)

    def duplicate(self, draft_id: int, **overrides: Any) -> int:
        """A new draft copied from this one (status back to draft); overrides change fields.

        Also the way to keep a losing text after a :class:`ConflictError`:
        ``duplicate(e.draft_id, text=my_text)``.
        """
        source = self.get(draft_id)
        values = {name: getattr(source, name) for name in (
            "text", "language", "language_pinned", "platform", "kind", "comment", "client",
            "tags", "planned")}
        values["status"] = "draft"
        values["scores"] = None if source.scores is None else dict(source.scores)
        values["title"] = f"{source.title} (copy)" if source.title else ""
        changes = clean_fields(overrides)
        if "text" in changes and "scores" not in changes:
            values["scores"] = None
        values.update(changes)
        values = clean_fields(values)
        with self._writing() as conn:
            now = self._now()
            return self._insert(conn, values, uid=None, created=now, updated=now, trashed=None,
                                versions=(), note=f"copied from #{source.id}")[0]

    # --- search -----------------------------------------------------------------------------

    # Below this many index hits, a search starts from the hits (a few row look-ups); above
    # it, from the sorted list of drafts (the first page is found long before the end).
    _FEW_HITS = 2000

    def _select(self, conn: sqlite3.Connection, columns: str, query: str,
                filters: dict[str, Any], *, sort: str | None, limit: int | None,
                offset: int) -> tuple[str, list[Any], str | None]:
        """A query over the small ``drafts`` rows and the index; bodies are read later.

        Returns the SQL, its parameters, and an index expression when the caller should
        instead walk the SQL's ordered ids keeping only the index hits (see ``_walk``).
        """
        f = build_filters(query, **filters)
        order, ranked = order_by(sort, f.match is not None) if sort else ("", False)
        clauses, params = list(f.clauses), list(f.params)
        trash = {True: "d.trashed IS NOT NULL", False: "d.trashed IS NULL"}.get(f.trashed)
        walk = None
        if f.match is None:
            source = "drafts d"
            if f.exclude is not None:
                clauses.insert(0, "d.id NOT IN (SELECT rowid FROM drafts_fts "
                                  "WHERE drafts_fts MATCH ?)")
                params.insert(0, f"{_TEXT_COLUMNS} : ({f.exclude})")
            if trash:
                clauses.insert(0, trash)
        else:
            # The index knows what is in the trash: the whole condition is one expression.
            expr = f"{_TEXT_COLUMNS} : ({f.match})"
            if f.exclude is not None:
                expr = f"({expr}) NOT ({_TEXT_COLUMNS} : ({f.exclude}))"
            if f.trashed is not None:
                expr = f"({expr}) {'AND' if f.trashed else 'NOT'} state : trashed"
            if not clauses and (columns == "count(*)" or ranked):
                sql = ("SELECT count(*) FROM drafts_fts WHERE drafts_fts MATCH ?"
                       if columns == "count(*)" else
                       f"SELECT rowid FROM drafts_fts WHERE drafts_fts MATCH ? "
                       f"ORDER BY {_RANK}, rowid DESC")
                sql, params = _paged(sql, [expr], limit, offset)
                return sql, params, walk
            if ranked:
                source = "drafts d JOIN drafts_fts ON drafts_fts.rowid = d.id"
                clauses.insert(0, "drafts_fts MATCH ?")
                params.insert(0, expr)
            elif limit is None or self._few_hits(conn, expr):
                # CROSS JOIN keeps this order: the hits first, then one look-up each.
                source = ("(SELECT rowid AS id FROM drafts_fts WHERE drafts_fts MATCH ?) m "
                          "CROSS JOIN drafts d ON d.id = m.id")
                params.insert(0, expr)
            elif sort and sort.lstrip("-+") in _WALKABLE:
                # Many hits, in an order an index gives: the first page is near the start.
                source, walk = "drafts d", expr
                if trash:
                    clauses.insert(0, trash)
                sql = f"SELECT {columns} FROM {source} WHERE {' AND '.join(clauses) or '1'}"
                return sql + f" ORDER BY {order}", params, walk
            else:
                source = "drafts d"
                clauses.insert(0, "d.id IN (SELECT rowid FROM drafts_fts "
                                  "WHERE drafts_fts MATCH ?)")
                params.insert(0, expr)
        sql = f"SELECT {columns} FROM {source} WHERE {' AND '.join(clauses) or '1'}"
        if order:
            sql += f" ORDER BY {order}"
        sql, params = _paged(sql, params, limit, offset)
        return sql, params, walk

    @staticmethod
    def _walk(conn: sqlite3.Connection, sql: str, params: list[Any], expr: str,
              limit: int, offset: int) -> list[int]:
        """Ids in the SQL's order that the index expression matches, one page of them."""
        hits = {row[0] for row in conn.execute(
            "SELECT rowid FROM drafts_fts WHERE drafts_fts MATCH ?", (expr,))}
        found: list[int] = []
        if limit <= 0:
            return found
        for (draft_id,) in conn.execute(sql, params):
            if draft_id in hits:
                found.append(draft_id)
                if len(found) >= offset + limit:
                    break
        return found[offset:]

    def _few_hits(self, conn: sqlite3.Connection, match: str) -> bool:
        return conn.execute(
            "SELECT count(*) FROM (SELECT rowid FROM drafts_fts WHERE drafts_fts MATCH ? "
            "LIMIT ?)", (match, self._FEW_HITS + 1)).fetchone()[0] <= self._FEW_HITS

    def search(self, query: str = "", *, sort: str = "-updated", limit: int | None = None,
               offset: int = 0, **filters: Any) -> list[Draft]:
        """Drafts matching a search box and filters, newest first unless ``sort`` says else.

        ``query``: words (prefixes: ``conv`` finds "conversation"), "exact phrases",
        ``-word`` to exclude; accents and case are ignored. Filters (a list means any of):
        ``client``, ``platform``, ``status``, ``language``, ``kind``, ``tag``,
        ``planned_from``/``planned_to`` (dates, inclusive), ``updated_from``/``updated_to``
        and ``created_from``/``created_to`` (local dates, inclusive, or datetimes),
        ``trashed`` (False: not in the trash, the default; True: only the trash; None: all).
        ``sort``: updated, created, planned, title, client, platform, status, language,
        score, id or relevance; a leading ``-`` sorts descending.
        """
        def run() -> list[Draft]:
            with self._reading() as conn:
                sql, params, walk = self._select(conn, "d.id", query, filters, sort=sort,
                                                 limit=limit, offset=offset)
                if walk is not None and limit is not None:
                    ids = self._walk(conn, sql, params, walk, int(limit), int(offset))
                else:
                    ids = [row[0] for row in conn.execute(sql, params)]
                return self.get_many(ids)

        return _again_after_repair(run)

    def search_ids(self, query: str = "", *, sort: str = "-updated", **filters: Any
                   ) -> list[int]:
        """The ids of every match in order: cheap enough to back a lazy list of 100,000."""
        def run() -> list[int]:
            with self._reading() as conn:
                sql, params, _ = self._select(conn, "d.id", query, filters, sort=sort,
                                              limit=None, offset=0)
                return [row[0] for row in conn.execute(sql, params)]

        return _again_after_repair(run)

    def count(self, query: str = "", **filters: Any) -> int:
        """How many drafts ``search`` would return with the same query and filters."""
        def run() -> int:
            with self._reading() as conn:
                sql, params, _ = self._select(conn, "count(*)", query, filters, sort=None,
                                              limit=None, offset=0)
                return int(conn.execute(sql, params).fetchone()[0])

        return _again_after_repair(run)

    def clients(self) -> list[tuple[str, int]]:
        """Every client named on a draft outside the trash, with how many drafts it has."""
        with self._reading() as conn:
            return [(r[0], r[1]) for r in conn.execute(
                # "+" keeps the planner on the client index, which is already in this order.
                "SELECT client, count(*) FROM drafts WHERE client IS NOT NULL AND +trashed IS "
                "NULL GROUP BY client COLLATE NOCASE ORDER BY client COLLATE NOCASE")]

    def tags(self) -> list[tuple[str, int]]:
        """Every tag on a draft outside the trash, with how many drafts carry it."""
        with self._reading() as conn:
            return [(r[0], r[1]) for r in conn.execute(
                "SELECT tag, count(*) FROM draft_tags WHERE draft_id NOT IN "
                "(SELECT id FROM drafts WHERE trashed IS NOT NULL) GROUP BY tag ORDER BY tag")]

    def stats(self) -> dict[str, Any]:
        """Counts for a status bar: drafts, trash, by status, versions, pending autosaves."""
        with self._reading() as conn:
            by_status = dict(conn.execute(
                "SELECT status, count(*) FROM drafts WHERE trashed IS NULL GROUP BY status"
            ).fetchall())
            trash = conn.execute("SELECT count(*) FROM drafts WHERE trashed IS NOT NULL"
                                 ).fetchone()[0]
            versions = conn.execute("SELECT count(*) FROM versions").fetchone()[0]
            autosaves = conn.execute("SELECT count(*) FROM autosaves").fetchone()[0]
        return {"drafts": sum(by_status.values()), "trash": trash, "by_status": by_status,
                "versions": versions, "autosaves": autosaves}

    # --- versions ---------------------------------------------------------------------------

    def versions(self, draft_id: int) -> list[Version]:
        """Every saved text of a draft, oldest first; the last one is the current text."""
        with self._reading() as conn:
            self._row(conn, int(draft_id))
            return [_version(r) for r in conn.execute(
                f"SELECT {_VERSION_COLUMNS} FROM versions WHERE draft_id = ? ORDER BY number",
                (int(draft_id),))]

    def version(self, draft_id: int, number: int) -> Version:
        with self._reading() as conn:
            row = conn.execute(f"SELECT {_VERSION_COLUMNS} FROM versions WHERE draft_id = ? "
                               "AND number = ?", (int(draft_id), int(number))).fetchone()
            if row is None:
                self._row(conn, int(draft_id))
                raise LibraryError(f"draft #{draft_id} has no version {number}")
            return _version(row)

    def _pair(self, draft_id: int, old: int, new: int | None) -> tuple[Version, Version]:
        first = self.version(draft_id, old)
        second = self.versions(draft_id)[-1] if new is None else self.version(draft_id, new)
        return first, second

    def diff(self, draft_id: int, old: int, new: int | None = None, *, context: int = 3) -> str:
        """A unified diff between two versions (``new`` defaults to the current text)."""
        a, b = self._pair(draft_id, old, new)
        lines = difflib.unified_diff(
            a.text.splitlines(), b.text.splitlines(),
            fromfile=f"#{draft_id} version {a.number} ({a.saved.astimezone():%Y-%m-%d %H:%M})",
            tofile=f"#{draft_id} version {b.number} ({b.saved.astimezone():%Y-%m-%d %H:%M})",
            n=context, lineterm="")
        return "\n".join(lines)

    def word_diff(self, draft_id: int, old: int, new: int | None = None
                  ) -> list[tuple[str, str]]:
        """The change between two versions word by word, as (op, text) pieces to colour.

        ``op`` is "equal", "delete" or "insert"; joining the equal and delete pieces gives
        the old text, the equal and insert pieces the new one. Tweets are one line, so this
        says more than a line diff.
        """
        a, b = self._pair(draft_id, old, new)
        return word_changes(a.text, b.text)

    def restore_version(self, draft_id: int, number: int, *,
                        expected_revision: int | None = None) -> Draft:
        """Make an old version the current text again (as a new version; nothing is lost)."""
        version = self.version(draft_id, number)
        changes: dict[str, Any] = {"text": version.text}
        if version.scores is not None:
            changes["scores"] = dict(version.scores)
        return self._update(int(draft_id), changes, expected_revision,
                            note=f"restored version {number}")

    # --- trash ------------------------------------------------------------------------------

    def _set_trashed(self, draft_id: int, value: str | None,
                     expected_revision: int | None) -> Draft:
        with self._writing() as conn:
            current = self._row(conn, int(draft_id))
            if expected_revision is not None and current.revision != expected_revision:
                raise ConflictError(int(draft_id), expected_revision, current)
            if (current.trashed is None) == (value is None):
                return current
            conn.execute("UPDATE drafts SET trashed = ?, revision = revision + 1 WHERE id = ?",
                         (value, int(draft_id)))
            return self._row(conn, int(draft_id))

    def trash(self, draft_id: int, *, expected_revision: int | None = None) -> Draft:
        """Move a draft to the trash (it keeps its versions; ``restore`` brings it back)."""
        return self._set_trashed(draft_id, self._now(), expected_revision)

    def restore(self, draft_id: int) -> Draft:
        """Take a draft out of the trash."""
        return self._set_trashed(draft_id, None, None)

    def empty_trash(self, older_than: timedelta | None = None) -> int:
        """Delete the drafts in the trash for good (with their versions); returns how many."""
        with self._writing() as conn:
            if older_than is None:
                cursor = conn.execute("DELETE FROM drafts WHERE trashed IS NOT NULL")
            else:
                limit = to_db_time(self._clock() - older_than)
                cursor = conn.execute("DELETE FROM drafts WHERE trashed IS NOT NULL "
                                      "AND trashed < ?", (limit,))
            return cursor.rowcount

    def purge(self, draft_id: int) -> None:
        """Delete one draft from the trash for good. A draft outside the trash is refused."""
        with self._writing() as conn:
            draft = self._row(conn, int(draft_id))
            if draft.trashed is None:
                raise LibraryError(f"draft #{draft_id} is not in the trash: trash it first")
            conn.execute("DELETE FROM drafts WHERE id = ?", (int(draft_id),))

    # --- autosave ---------------------------------------------------------------------------

    def autosave(self, draft_id: int | None, text: str, *, slot: int | None = None,
                 base_revision: int | None = None, **fields: Any) -> int:
        """Keep an editor's buffer without making a version; returns its slot.

        Pass the returned slot back on the next call for the same editor. ``draft_id`` is
        None for a draft never saved; ``base_revision`` is the revision the editor loaded.
        ``fields`` are other unsaved values (title, client...), kept as they are.
        """
        if not isinstance(text, str):
            raise InvalidDraftError(f"text must be text, not {type(text).__name__}")
        payload = json.dumps(fields, ensure_ascii=False, default=str)
        text = clean_text(text)
        with self._writing() as conn:
            if draft_id is not None and conn.execute(
                    "SELECT 1 FROM drafts WHERE id = ?", (int(draft_id),)).fetchone() is None:
                draft_id = None
            now = self._now()
            if slot is not None:
                cursor = conn.execute(
                    "UPDATE autosaves SET draft_id = ?, base_revision = ?, text = ?, "
                    "fields = ?, saved = ?, owner = ? WHERE slot = ?",
                    (draft_id, base_revision, text, payload, now, self.session, int(slot)))
                if cursor.rowcount:
                    return int(slot)
            cursor = conn.execute(
                "INSERT INTO autosaves (draft_id, base_revision, text, fields, saved, owner) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (draft_id, base_revision, text, payload, now, self.session))
            return int(cursor.lastrowid)

    def recover(self, *, include_live: bool = False) -> list[Autosave]:
        """Buffers left unsaved by editors that are gone (a crash, a kill), newest first.

        Buffers whose text is the draft's saved text are left out; so are buffers of
        editors still running (another window) unless ``include_live``.
        """
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT a.slot, a.draft_id, a.text, a.fields, a.saved, a.base_revision, "
                "a.owner, b.text FROM autosaves a LEFT JOIN bodies b ON b.id = a.draft_id "
                "ORDER BY a.saved DESC, a.slot DESC").fetchall()
            found = []
            for slot, draft_id, text, fields, saved, base, owner, saved_text in rows:
                if draft_id is not None and text == saved_text:
                    continue
                if not include_live and _owner_alive(owner):
                    continue
                try:
                    extra = json.loads(fields)
                except ValueError:
                    extra = {}
                found.append(Autosave(slot, draft_id, text, MappingProxyType(
                    extra if isinstance(extra, dict) else {}), _time(saved), base, owner))
            return found

    def discard_autosave(self, slot: int) -> None:
        """Forget a buffer (after it was saved, or when a person chose not to keep it)."""
        with self._writing() as conn:
            conn.execute("DELETE FROM autosaves WHERE slot = ?", (int(slot),))

    def apply_autosave(self, slot: int) -> int:
        """Save a recovered buffer: as a new version of its draft, or as a new draft.

        The draft's previous text stays in its versions. Returns the draft id.
        """
        with self._reading() as conn:
            row = conn.execute("SELECT draft_id, text, fields FROM autosaves WHERE slot = ?",
                               (int(slot),)).fetchone()
        if row is None:
            raise LibraryError(f"no autosave in slot {slot}")
        draft_id, text, payload = row
        try:
            extra = json.loads(payload)
        except ValueError:
            extra = {}
        kept: dict[str, Any] = {}
        for name, value in (extra.items() if isinstance(extra, dict) else ()):
            if name in FIELDS and name not in ("text", "scores"):
                try:
                    kept.update(clean_fields({name: value}))
                except InvalidDraftError:
                    continue
        if draft_id is None:
            new_id = self.add(text, **kept)
        else:
            self._update(int(draft_id), {**kept, "text": text}, None, note="recovered")
            new_id = int(draft_id)
        self.discard_autosave(slot)
        return new_id

    # --- backups ----------------------------------------------------------------------------

    def backup_now(self, progress: Progress | None = None) -> BackupInfo:
        """Make a backup now (kept until a person deletes it)."""
        with self._reading() as conn:
            return files.make_backup(conn, self.path, "manual", now=self._local_now(),
                                     progress=progress)

    def _fingerprint(self, conn: sqlite3.Connection) -> str:
        row = conn.execute("SELECT count(*), max(updated), total(revision), max(id) "
                           "FROM drafts").fetchone()
        more = conn.execute("SELECT count(*), max(id) FROM versions").fetchone()
        return json.dumps([*row, *more])

    def auto_backup(self, progress: Progress | None = None, *,
                    keep: int = files.KEEP_AUTO_BACKUPS) -> BackupInfo | None:
        """The day's automatic backup, when there is none yet today and something changed.

        Keeps the newest ``keep`` automatic backups. Returns the new backup, or None.
        """
        now = self._local_now()
        autos = [b for b in self.list_backups() if b.kind == "auto"]
        if autos and autos[0].created.date() == now.date():
            return None
        with self._reading() as conn:
            mark = self._fingerprint(conn)
            last = conn.execute("SELECT value FROM meta WHERE key = 'backup_fingerprint'"
                                ).fetchone()
            if autos and last and last[0] == mark:
                return None
            if not autos and conn.execute("SELECT count(*) FROM drafts").fetchone()[0] == 0:
                return None  # nothing to keep yet
            info = files.make_backup(conn, self.path, "auto", now=now, progress=progress)
        with self._writing() as conn:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES "
                         "('backup_fingerprint', ?)", (mark,))
        files.prune_backups(self.path, keep)
        return info

    def list_backups(self) -> list[BackupInfo]:
        """This library's backups, newest first."""
        return files.list_backups(self.path)

    def restore_from_backup(self, backup: str | os.PathLike[str],
                            progress: Progress | None = None) -> Path | None:
        """Replace the library with a backup; the current file is moved aside, not lost.

        Other windows should close the library first. Returns where the current file went.
        """
        with self._lock:
            self._live()
            files.check_library_file(Path(backup))
            conn, self._conn = self._conn, None
            with contextlib.suppress(sqlite3.Error):
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                conn.close()
            try:
                moved = files.restore_file(Path(backup), self.path, now=self._local_now(),
                                           progress=progress)
            finally:
                self._conn = self._open()
            return moved

    # --- import and export ------------------------------------------------------------------

    def import_drafts(self, records: Sequence[DraftRecord], *, progress: Progress | None = None,
                      on_existing: str = "skip-identical") -> ImportResult:
        """Add validated drafts (see :mod:`coach.library.formats`) in one transaction.

        ``on_existing`` decides about a record whose id (uid) is already in the library:
        "skip-identical" skips it when the text is the same and imports a copy otherwise;
        "skip" always skips it; "copy" always imports it as a new draft. A progress
        callback gets (done, total); returning False cancels and writes nothing.
        """
        if on_existing not in ON_EXISTING:
            raise ValueError(f"on_existing must be one of {', '.join(ON_EXISTING)}")
        total = len(records)
        added: list[int] = []
        skipped = copied = versions = 0
        now = self._now()
        batch: tuple[list, list, list, list] = ([], [], [], [])

        def flush(conn: sqlite3.Connection) -> None:
            for sql, rows in zip((_DRAFT_INSERT, _BODY_INSERT, _TAG_INSERT, _VERSION_INSERT),
                                 batch, strict=True):
                conn.executemany(sql, rows)
                rows.clear()

        with self._writing() as conn:
            # Indexing thousands of drafts in one statement at the end is about twice as
            # fast as the per-row trigger; the trigger is put back in the same transaction.
            bulk = total >= 1000
            first = conn.execute(
                "SELECT max(coalesce(max(d.id), 0), coalesce((SELECT seq FROM sqlite_sequence "
                "WHERE name = 'drafts'), 0)) FROM drafts d").fetchone()[0]
            if bulk:
                trigger = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                                       "AND name = 'bodies_fts_insert'").fetchone()[0]
                conn.execute("DROP TRIGGER bodies_fts_insert")
            taken = self._existing_uids(conn, [r.uid for r in records if r.uid is not None])
            next_id = first + 1
            for done, record in enumerate(records, start=1):
                uid = record.uid
                if uid is not None and uid in taken:
                    same = taken[uid] == record.fields.get("text", "")
                    if on_existing == "skip" or (on_existing == "skip-identical" and same):
                        skipped += 1
                        continue
                    uid = None
                    copied += 1
                if uid is not None:
                    taken[uid] = record.fields.get("text", "")
                created = to_db_time(record.created) if record.created else now
                updated = to_db_time(record.updated) if record.updated else created
                history = [{**v, "saved": to_db_time(v["saved"]) if v.get("saved") else created}
                           for v in record.versions]
                rows = self._rows(next_id, record.fields, uid=uid, created=created,
                                  updated=updated,
                                  trashed=to_db_time(record.trashed) if record.trashed else None,
                                  versions=history, note="imported")
                batch[0].append(rows[0])
                batch[1].append(rows[1])
                batch[2].extend(rows[2])
                batch[3].extend(rows[3])
                added.append(next_id)
                versions += len(rows[3])
                next_id += 1
                if done % 500 == 0 or done == total:
                    flush(conn)
                    if progress is not None and progress(
                            min(done, total - 1) if bulk else done, total) is False:
                        raise Cancelled("the import was cancelled; nothing was imported")
            flush(conn)
            if bulk:
                conn.execute("INSERT INTO drafts_fts (rowid, title, text, tags, client, state) "
                             "SELECT d.id, d.title, b.text, d.tags, d.client, "
                             "iif(d.trashed IS NULL, '', 'trashed') FROM drafts d "
                             "JOIN bodies b ON b.id = d.id WHERE d.id > ?", (first,))
                conn.execute(trigger)
                conn.execute("PRAGMA analysis_limit = 1000")
                conn.execute("ANALYZE")  # the planner needs to know the new shape
                if progress is not None and progress(total, total) is False:
                    raise Cancelled("the import was cancelled; nothing was imported")
        return ImportResult(tuple(added), skipped, copied, versions)

    @staticmethod
    def _existing_uids(conn: sqlite3.Connection, uids: Sequence[str]) -> dict[str, str]:
        """Which of these uids the library has already, with their texts."""
        found: dict[str, str] = {}
        for start in range(0, len(uids), 500):
            chunk = list(uids[start:start + 500])
            marks = ", ".join("?" * len(chunk))
            for uid, text in conn.execute(
                    f"SELECT d.uid, b.text FROM drafts d JOIN bodies b ON b.id = d.id "
                    f"WHERE d.uid IN ({marks})", chunk):
                found[uid] = text
        return found

    def export_entries(self, ids: Sequence[int] | None = None, *, versions: bool = True,
                       progress: Progress | None = None) -> Iterator[dict[str, Any]]:
        """Drafts as bundle entries (see docs/library-format.md), with their versions.

        ``ids`` defaults to every draft outside the trash, oldest first.
        """
        if ids is None:
            ids = self.search_ids(sort="id")
        total = len(ids)
        for start in range(0, total, 500):
            chunk = list(ids[start:start + 500])
            drafts = self.get_many(chunk)
            history: dict[int, list[Version]] = {}
            if versions:
                with self._reading() as conn:
                    marks = ", ".join("?" * len(chunk))
                    for row in conn.execute(
                            f"SELECT {_VERSION_COLUMNS} FROM versions WHERE draft_id IN "
                            f"({marks}) ORDER BY draft_id, number", chunk):
                        history.setdefault(row[0], []).append(_version(row))
            for draft in drafts:
                entry = draft.to_dict()
                entry["id"] = entry.pop("uid")
                entry.pop("revision")
                if versions:
                    entry["versions"] = [v.to_dict() for v in history.get(draft.id, [])]
                yield entry
            if progress is not None:
                progress(min(start + 500, total), total)

    def import_file(self, *paths: str | os.PathLike[str], format: str | None = None,
                    progress: Progress | None = None,
                    on_existing: str = "skip-identical") -> ImportResult:
        """Import JSON bundles, CSV files, Markdown files or folders of them: all or nothing.

        ``format`` (json, markdown or csv) defaults to a guess from each name. Raises
        :class:`ImportRejected` naming the problem; nothing is written then.
        """
        from .formats import read_import

        records = read_import(paths, format)
        return self.import_drafts(records, progress=progress, on_existing=on_existing)

    def export_file(self, path: str | os.PathLike[str], *, format: str | None = None,
                    ids: Sequence[int] | None = None, query: str = "",
                    progress: Progress | None = None, **filters: Any) -> int:
        """Export drafts to a JSON bundle (with versions), a CSV file or a Markdown folder.

        Exports ``ids``, or every draft matching ``query`` and filters (default: all outside
        the trash). The target is replaced only once completely written. Returns the count.
        """
        from .formats import export_format, write_export

        fmt = format or export_format(path)
        if ids is None:
            ids = self.search_ids(query, sort="id", **filters)

        def step(done: int, total: int) -> None:
            if progress is not None and progress(done, total) is False:
                raise Cancelled("the export was cancelled")

        entries = self.export_entries(ids, versions=fmt == "json", progress=step)
        return write_export(entries, path, fmt)

    # --- upkeep -----------------------------------------------------------------------------

    def check(self) -> list[str]:
        """A full integrity check of the file; an empty list means all is well."""
        with self._reading() as conn:
            problems = [r[0] for r in conn.execute("PRAGMA integrity_check")]
            if problems == ["ok"]:
                problems = []
            orphans = conn.execute("SELECT count(*) FROM drafts d LEFT JOIN bodies b "
                                   "ON b.id = d.id WHERE b.id IS NULL").fetchone()[0]
            if orphans:
                problems.append(f"{orphans} drafts have lost their text")
            if self.read_only and not self._query_only:
                return problems  # SQLite's read-only mode cannot run the index's own check
            if self._index_damaged(conn):
                problems.append(INDEX_PROBLEM)
            return problems

    def _index_damaged(self, conn: sqlite3.Connection) -> bool:
        """Whether FTS5's own check of the search index fails.

        It is asked for by an INSERT, so it runs in a transaction that is rolled back:
        checking never writes, also in a read-only store.
        """
        if self.read_only:
            conn.execute("PRAGMA query_only = OFF")
        try:
            conn.execute("BEGIN")
            conn.execute("INSERT INTO drafts_fts (drafts_fts, rank) VALUES "
                         "('integrity-check', 1)")
        except sqlite3.Error as exc:
            if error_code(exc) in (SQLITE_BUSY, SQLITE_LOCKED):
                raise
            return True
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if self.read_only:
                conn.execute("PRAGMA query_only = ON")
        return False

    def compact(self) -> None:
        """Give the space of deleted drafts back to the disk (VACUUM)."""
        with self._reading() as conn:
            if self.read_only:
                raise ReadOnlyLibraryError(f"the library {self.path} is open read-only")
            conn.execute("VACUUM")


def word_changes(old: str, new: str) -> list[tuple[str, str]]:
    """A word-level diff of two texts as (op, text) pieces: equal, delete or insert.

    Bounded work for long texts: the common start and end are cut off first, a large
    middle is compared line by line, and only small changed blocks word by word.
    """
    pieces: list[tuple[str, str]] = []
    _diff_tokens(_WORDS.findall(old), _WORDS.findall(new), pieces, by_lines=True)
    merged: list[tuple[str, str]] = []
    for op, text in pieces:
        if not text:
            continue
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + text)
        else:
            merged.append((op, text))
    return merged


# SequenceMatcher is quadratic in the worst case: words x words, and lines x lines (where
# popular lines such as blank ones are skipped as junk), kept to well under a second.
_DIFF_BUDGET = 1_000_000
_LINE_BUDGET = 25_000_000


def _diff_tokens(a: list[str], b: list[str], out: list[tuple[str, str]], *,
                 by_lines: bool) -> None:
    head = 0
    while head < len(a) and head < len(b) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < len(a) - head and tail < len(b) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    out.append(("equal", "".join(a[:head])))
    mid_a, mid_b = a[head:len(a) - tail], b[head:len(b) - tail]
    if len(mid_a) * len(mid_b) <= _DIFF_BUDGET:
        matcher = difflib.SequenceMatcher(None, mid_a, mid_b, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                out.append(("equal", "".join(mid_a[i1:i2])))
            else:
                out.append(("delete", "".join(mid_a[i1:i2])))
                out.append(("insert", "".join(mid_b[j1:j2])))
    elif by_lines:
        lines_a = "".join(mid_a).splitlines(keepends=True)
        lines_b = "".join(mid_b).splitlines(keepends=True)
        if len(lines_a) * len(lines_b) > _LINE_BUDGET:
            out += [("delete", "".join(lines_a)), ("insert", "".join(lines_b))]
        else:
            matcher = difflib.SequenceMatcher(None, lines_a, lines_b, autojunk=True)
            for op, i1, i2, j1, j2 in matcher.get_opcodes():
                block_a, block_b = "".join(lines_a[i1:i2]), "".join(lines_b[j1:j2])
                if op == "equal":
                    out.append(("equal", block_a))
                else:
                    _diff_tokens(_WORDS.findall(block_a), _WORDS.findall(block_b), out,
                                 by_lines=False)
    else:
        out += [("delete", "".join(mid_a)), ("insert", "".join(mid_b))]
    out.append(("equal", "".join(a[len(a) - tail:])))
