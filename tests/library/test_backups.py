"""Backups: one a day (only when something changed), the last seven kept, manual ones kept,
each one a checked, self-contained copy; restoring keeps the current file aside."""

from __future__ import annotations

import sqlite3

import pytest

from coach.library import DraftStore, LibraryError, list_backups, restore_file
from coach.library.files import check_library_file


@pytest.fixture
def clocked(library_path, clock):
    with DraftStore(library_path, clock=clock, auto_backup=False) as store:
        yield store


def test_one_automatic_backup_a_day_when_something_changed(clocked, clock):
    assert clocked.auto_backup() is None  # an empty library has nothing to keep
    clocked.add("first")
    first = clocked.auto_backup()
    assert first is not None and first.kind == "auto"
    assert clocked.auto_backup() is None  # already one today
    clock.advance(days=1)
    assert clocked.auto_backup() is None  # nothing changed since
    clocked.add("second")
    assert clocked.auto_backup() is not None
    assert len(clocked.list_backups()) == 2


def test_the_last_seven_automatic_backups_are_kept(clocked, clock):
    manual = clocked.backup_now()
    for day in range(10):
        clocked.add(f"day {day}")
        clocked.auto_backup()
        clock.advance(days=1)
    backups = clocked.list_backups()
    autos = [b for b in backups if b.kind == "auto"]
    assert len(autos) == 7
    assert [b.created for b in autos] == sorted((b.created for b in autos), reverse=True)
    assert manual.path in [b.path for b in backups]  # a person's own backup stays
    newest = sqlite3.connect(autos[0].path)
    assert newest.execute("SELECT count(*) FROM drafts").fetchone()[0] == 10
    newest.close()


def test_close_makes_the_daily_backup(library_path):
    store = DraftStore(library_path)
    store.add("x")
    store.close()
    (backup,) = list_backups(library_path)
    assert backup.kind == "auto" and store.backup_error is None


def test_a_backup_is_a_checked_self_contained_file(store, library_path):
    store.add("keep me")
    seen = []
    info = store.backup_now(progress=lambda done, total: seen.append((done, total)))
    assert info.path.parent == library_path.parent / "backups"
    assert info.path.name.startswith("library-") and info.size > 0
    assert seen and seen[-1][0] == seen[-1][1]
    assert not info.path.with_name(info.path.name + "-wal").exists()
    conn = sqlite3.connect(info.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    assert check_library_file(info.path) >= 1


def test_backup_failure_at_close_is_reported_not_raised(library_path):
    (library_path.parent / "backups").write_text("a file where the folder should be")
    store = DraftStore(library_path)
    store.add("x")
    store.close()
    assert isinstance(store.backup_error, LibraryError)
    with DraftStore(library_path, auto_backup=False) as again:
        assert again.count() == 1  # the library itself is fine


def test_restore_from_backup_keeps_the_current_file_aside(store, library_path):
    store.add("in the backup")
    backup = store.backup_now()
    store.add("only in the current file")
    moved = store.restore_from_backup(backup.path)
    assert [d.text for d in store.search()] == ["in the backup"]
    assert moved is not None and moved.name.startswith("library.sqlite.replaced-")
    with DraftStore(moved, auto_backup=False) as previous:
        assert previous.count() == 2  # nothing was lost by restoring
    store.add("the restored library works")


def test_restore_refuses_a_bad_backup(store, library_path, tmp_path):
    store.add("current")
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 10)
    with pytest.raises(LibraryError):
        store.restore_from_backup(junk)
    foreign = tmp_path / "foreign.sqlite"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(LibraryError, match="not a Post Coach library"):
        restore_file(foreign, library_path)
    assert store.count() == 1 and [d.text for d in store.search()] == ["current"]


def test_backups_of_other_libraries_are_not_mixed_up(tmp_path):
    with DraftStore(tmp_path / "a.sqlite", auto_backup=False) as a, \
            DraftStore(tmp_path / "a-b.sqlite", auto_backup=False) as ab:
        a.add("x")
        ab.add("y")
        a.backup_now()
        ab.backup_now()
        ab.backup_now()
        assert len(a.list_backups()) == 1 and len(ab.list_backups()) == 2
