"""Schema versions: every released schema is kept as a fixture, a fresh library is built by
the same migrations, and opening an older file upgrades it (after a backup) without losing
anything. Adding fixtures/schema_v<n>.sql adds its migration test here automatically."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from coach.library import SCHEMA_VERSION, DraftStore, NotALibraryError, list_backups
from coach.library import schema as schema_module
from coach.library.schema import MIGRATIONS, Migration, migrate, pending, user_version

FIXTURES = Path(__file__).parent / "fixtures"


def _fixture_versions() -> list[int]:
    return sorted(int(m.group(1)) for p in FIXTURES.glob("schema_v*.sql")
                  if (m := re.fullmatch(r"schema_v(\d+)\.sql", p.name)))


def build(path: Path, version: int, *, data: bool = True) -> Path:
    """A library file exactly as schema version ``version`` left it (with its sample data)."""
    conn = sqlite3.connect(path)
    conn.executescript((FIXTURES / f"schema_v{version}.sql").read_text())
    sample = FIXTURES / f"library_v{version}_data.sql"
    if data and sample.exists():
        conn.executescript(sample.read_text())
    conn.commit()
    conn.close()
    return path


def master(conn: sqlite3.Connection) -> list[tuple]:
    return sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                               "WHERE name NOT LIKE 'sqlite_%'").fetchall(),
                  key=lambda row: row[:3])


def test_every_released_schema_has_a_fixture():
    assert _fixture_versions() == list(range(1, SCHEMA_VERSION + 1))


@pytest.mark.parametrize("version", _fixture_versions())
def test_migrations_build_exactly_the_released_schema(tmp_path, version):
    fresh = sqlite3.connect(tmp_path / "fresh.sqlite", isolation_level=None)
    migrate(fresh, MIGRATIONS, target=version)
    old = sqlite3.connect(build(tmp_path / "old.sqlite", version, data=False))
    assert master(fresh) == master(old), (
        "a released migration was edited: add a new migration instead")
    assert user_version(fresh) == version


@pytest.mark.parametrize("version", _fixture_versions())
def test_opening_an_older_library_upgrades_it_and_keeps_everything(tmp_path, version):
    path = build(tmp_path / "library.sqlite", version)
    with DraftStore(path, auto_backup=False) as store:
        assert user_version(store._conn) == SCHEMA_VERSION
        assert store.check() == []
        if version == 1:
            assert store.count() == 3 and store.count(trashed=True) == 1
            d = store.get(1)
            assert (d.title, d.client, d.tags, d.status, d.score) == (
                "Which launch surprised you?", "Acme", ("launch", "q3"), "approved", 72)
            assert d.language_pinned and d.revision == 3
            assert [v.score for v in store.versions(1)] == [40, 72]
            assert [x.id for x in store.search("cafe")] == [2]
            assert [x.id for x in store.search("kunde")] == [3]
            assert [a.slot for a in store.recover()] == [1]
            new = store.update(1, text="Edited after the upgrade", expected_revision=3)
            assert new.revision == 4 and len(store.versions(1)) == 3


def test_newer_library_is_refused_and_left_alone(tmp_path):
    path = build(tmp_path / "library.sqlite", SCHEMA_VERSION)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NotALibraryError, match="newer Post Coach"):
        DraftStore(path, auto_backup=False)
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.damaged*"))


def test_a_failing_migration_leaves_the_previous_version(tmp_path):
    conn = sqlite3.connect(build(tmp_path / "l.sqlite", 1), isolation_level=None)
    broken = (*MIGRATIONS, Migration(2, "broken", "CREATE TABLE extra (a);\n"
                                                  "INSERT INTO missing VALUES (1);"))
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, broken)
    assert user_version(conn) == 1
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'extra'"
                        ).fetchone()[0] == 0
    assert not conn.in_transaction


def test_migrating_twice_does_nothing(tmp_path):
    conn = sqlite3.connect(tmp_path / "l.sqlite", isolation_level=None)
    assert migrate(conn) == list(range(1, SCHEMA_VERSION + 1))
    assert migrate(conn) == []
    assert pending(conn) == []


def _add_notes_column(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE drafts ADD COLUMN notes TEXT NOT NULL DEFAULT ''")


def test_a_future_migration_runs_after_a_backup(tmp_path, monkeypatch):
    path = build(tmp_path / "library.sqlite", SCHEMA_VERSION)
    future = (*MIGRATIONS, Migration(SCHEMA_VERSION + 1, "notes on drafts", _add_notes_column))
    monkeypatch.setattr(schema_module, "MIGRATIONS", future)
    with DraftStore(path, auto_backup=False) as store:
        assert user_version(store._conn) == SCHEMA_VERSION + 1
        columns = [r[1] for r in store._conn.execute("PRAGMA table_info(drafts)")]
        assert "notes" in columns
        assert store.count() == 3
    (backup,) = list_backups(path)
    assert backup.kind == "pre-migration"
    old = sqlite3.connect(backup.path)
    assert user_version(old) == SCHEMA_VERSION  # the backup is the file before the upgrade
    old.close()


def test_a_foreign_database_is_not_touched(tmp_path):
    path = tmp_path / "other-app.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NotALibraryError, match="Post Coach library.*left as it is"):
        DraftStore(path, auto_backup=False)
    assert path.read_bytes() == before and path.exists()
