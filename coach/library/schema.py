"""The library's SQL schema and its forward migrations.

Layout: ``drafts`` holds what lists filter, sort and show (small rows, so scanning or
counting 100,000 of them is cheap); ``bodies`` holds the heavy part (text, the comment a
reply answers, the scores), read only for the drafts on screen. ``drafts_list`` covers
every list filter in date order, so a filtered list never reads the rows themselves.
``drafts_fts`` is a full-text index of title, text, tags and client kept by triggers; its
``state`` column holds the word "trashed" for a draft in the trash, so that a search and
its count are answered by the index alone.

The schema version lives in ``PRAGMA user_version``. A new library is built by running
every migration from 0, so the migrations are exercised on every fresh library, not only on
old files. To change the schema, never edit a released migration: append
``Migration(n + 1, "what and why", SQL or a function of the connection)`` to
:data:`MIGRATIONS`, and add ``tests/library/fixtures/schema_v<n>.sql`` (the schema as it
was) so the test suite migrates a library of the old shape.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .errors import NotALibraryError

# "PCLB" (Post Coach LiBrary) in the database header: tells our files from other SQLite files.
APPLICATION_ID = 0x50434C42

V1 = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE drafts (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    uid             TEXT NOT NULL UNIQUE,
    title           TEXT NOT NULL DEFAULT '',
    language        TEXT,
    language_pinned INTEGER NOT NULL DEFAULT 0,
    platform        TEXT,
    kind            TEXT NOT NULL DEFAULT 'post',
    client          TEXT,
    tags            TEXT NOT NULL DEFAULT '[]',
    status          TEXT NOT NULL DEFAULT 'draft',
    planned         TEXT,
    created         TEXT NOT NULL,
    updated         TEXT NOT NULL,
    score           REAL,
    revision        INTEGER NOT NULL DEFAULT 1,
    trashed         TEXT
);
CREATE INDEX drafts_list ON drafts (trashed, updated, status, language, platform, kind,
    client, planned, created, score);
CREATE INDEX drafts_title ON drafts (trashed, title COLLATE NOCASE);
CREATE INDEX drafts_client ON drafts (client COLLATE NOCASE, trashed, updated);

CREATE TABLE bodies (
    id      INTEGER PRIMARY KEY REFERENCES drafts (id) ON DELETE CASCADE,
    text    TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT '',
    scores  TEXT
);

CREATE TABLE draft_tags (
    draft_id INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    tag      TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (draft_id, tag)
) WITHOUT ROWID;
CREATE INDEX draft_tags_tag ON draft_tags (tag, draft_id);

CREATE TABLE versions (
    id       INTEGER PRIMARY KEY,
    draft_id INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    number   INTEGER NOT NULL,
    text     TEXT NOT NULL,
    title    TEXT NOT NULL DEFAULT '',
    saved    TEXT NOT NULL,
    scores   TEXT,
    note     TEXT NOT NULL DEFAULT '',
    UNIQUE (draft_id, number)
);

CREATE TABLE autosaves (
    slot          INTEGER PRIMARY KEY,
    draft_id      INTEGER REFERENCES drafts (id) ON DELETE SET NULL,
    base_revision INTEGER,
    text          TEXT NOT NULL,
    fields        TEXT NOT NULL DEFAULT '{}',
    saved         TEXT NOT NULL,
    owner         TEXT NOT NULL
);

CREATE VIRTUAL TABLE drafts_fts USING fts5 (
    title, text, tags, client, state,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
CREATE TRIGGER bodies_fts_insert AFTER INSERT ON bodies BEGIN
    INSERT INTO drafts_fts (rowid, title, text, tags, client, state)
    SELECT d.id, d.title, new.text, d.tags, d.client, iif(d.trashed IS NULL, '', 'trashed')
    FROM drafts d WHERE d.id = new.id;
END;
CREATE TRIGGER bodies_fts_update AFTER UPDATE OF text ON bodies BEGIN
    DELETE FROM drafts_fts WHERE rowid = old.id;
    INSERT INTO drafts_fts (rowid, title, text, tags, client, state)
    SELECT d.id, d.title, new.text, d.tags, d.client, iif(d.trashed IS NULL, '', 'trashed')
    FROM drafts d WHERE d.id = new.id;
END;
CREATE TRIGGER drafts_fts_update AFTER UPDATE OF title, tags, client, trashed ON drafts BEGIN
    DELETE FROM drafts_fts WHERE rowid = old.id;
    INSERT INTO drafts_fts (rowid, title, text, tags, client, state)
    SELECT new.id, new.title, b.text, new.tags, new.client,
           iif(new.trashed IS NULL, '', 'trashed')
    FROM bodies b WHERE b.id = new.id;
END;
CREATE TRIGGER drafts_fts_delete AFTER DELETE ON drafts BEGIN
    DELETE FROM drafts_fts WHERE rowid = old.id;
END;
"""


@dataclass(frozen=True, slots=True)
class Migration:
    """One step of the schema: from version ``to - 1`` to version ``to``."""

    to: int
    what: str
    apply: str | Callable[[sqlite3.Connection], None]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "the drafts library: drafts, tags, versions, autosaves, full-text search", V1),
)
SCHEMA_VERSION = MIGRATIONS[-1].to


def _statements(script: str) -> list[str]:
    """Split an SQL script into statements (executescript would commit our transaction)."""
    statements: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def pending(conn: sqlite3.Connection, migrations: Sequence[Migration] = MIGRATIONS
            ) -> list[Migration]:
    """The migrations this file still needs (raises when the file is newer than we are)."""
    version = user_version(conn)
    latest = migrations[-1].to if migrations else 0
    if version > latest:
        raise NotALibraryError(
            f"this library was written by a newer Post Coach (schema version {version}; "
            f"this version reads up to {latest}): update Post Coach to open it")
    return [m for m in migrations if m.to > version]


def migrate(conn: sqlite3.Connection, migrations: Sequence[Migration] = MIGRATIONS, *,
            target: int | None = None) -> list[int]:
    """Bring the schema up to ``target`` (default: the newest), one transaction per step.

    A step that fails leaves the file at the previous version. Safe when two processes
    open an old file at once: each step re-reads the version inside its write lock.
    Returns the versions that were applied.
    """
    applied: list[int] = []
    for migration in migrations:
        if target is not None and migration.to > target:
            break
        conn.execute("BEGIN IMMEDIATE")
        try:
            if user_version(conn) >= migration.to:
                conn.execute("ROLLBACK")
                continue
            if user_version(conn) != migration.to - 1:
                raise NotALibraryError(
                    f"cannot migrate schema version {user_version(conn)} to {migration.to}")
            if isinstance(migration.apply, str):
                for statement in _statements(migration.apply):
                    conn.execute(statement)
            else:
                migration.apply(conn)
            if migration.to == 1:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {int(migration.to)}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        applied.append(migration.to)
    return applied
