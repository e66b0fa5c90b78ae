"""A damaged library: a clear error, the damaged file moved aside (never deleted or
overwritten), the newest backup offered, and the command line says it in one line."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from coach.library import CorruptLibraryError, DraftStore, NotALibraryError, restore_file


def library_with_backup(path: Path, count: int = 20) -> Path:
    with DraftStore(path, auto_backup=False) as store:
        for i in range(count):
            store.add(f"draft number {i}", client="Acme")
            store.update(i + 1, text=f"draft number {i}, edited")
        backup = store.backup_now().path
    assert not path.with_name(path.name + "-wal").exists()  # everything is in the main file
    return backup


def damage_page(path: Path, table: str) -> None:
    """Overwrite the root page of a table with garbage, as a failing disk would."""
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                        (table,)).fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(path, "r+b") as handle:
        handle.seek((root - 1) * size)
        handle.write(b"\xa5" * size)


def pages_of(pattern: bytes, pages: int = 4) -> bytes:
    """Garbage the size of a library (whole pages), as damage over a library leaves it."""
    return (pattern * (pages * 4096 // len(pattern) + 1))[:pages * 4096]


def moved_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("library.sqlite.damaged-*"))


def test_garbage_file_is_moved_aside_with_its_bytes(tmp_path):
    path = tmp_path / "library.sqlite"
    backup = library_with_backup(path)
    garbage = pages_of(b"this is not a database\n")
    path.write_bytes(garbage)
    with pytest.raises(CorruptLibraryError) as info:
        DraftStore(path, auto_backup=False)
    error = info.value
    assert error.moved_to is not None and error.moved_to.exists()
    assert error.moved_to.read_bytes() == garbage
    assert error.newest_backup is not None and error.newest_backup.path == backup
    assert "damaged" in str(error) and str(backup) in str(error)
    assert not path.exists()


def test_damaged_table_found_when_opening(tmp_path):
    path = tmp_path / "library.sqlite"
    library_with_backup(path)
    original = path.read_bytes()
    damage_page(path, "drafts")
    damaged = path.read_bytes()
    assert damaged != original
    with pytest.raises(CorruptLibraryError) as info:
        DraftStore(path, auto_backup=False)
    assert info.value.moved_to.read_bytes() == damaged  # kept as it was, for rescue tools
    assert moved_files(tmp_path) == [info.value.moved_to]


def test_damage_found_later_stops_the_store_and_moves_the_file(tmp_path, monkeypatch):
    from coach.library import store as store_module

    monkeypatch.setattr(store_module, "QUICK_CHECK_MAX_BYTES", 0)  # as big as 100,000 drafts
    path = tmp_path / "library.sqlite"
    library_with_backup(path)
    damage_page(path, "versions")
    store = DraftStore(path, auto_backup=False)  # versions are not read when opening
    with pytest.raises(CorruptLibraryError) as info:
        store.versions(1)
    assert info.value.moved_to is not None and store.closed
    assert info.value.backups


def test_the_newest_backup_brings_the_drafts_back(tmp_path):
    path = tmp_path / "library.sqlite"
    library_with_backup(path, count=12)
    path.write_bytes(pages_of(b"\x00"))
    with pytest.raises(CorruptLibraryError) as info:
        DraftStore(path, auto_backup=False)
    assert restore_file(info.value.newest_backup.path, path) is None  # nothing left to move
    with DraftStore(path, auto_backup=False) as store:
        assert store.count() == 12
        assert [v.text for v in store.versions(1)] == ["draft number 0",
                                                        "draft number 0, edited"]
        assert store.search("edited", limit=1)


def test_a_cut_short_file_is_damaged(tmp_path):
    path = tmp_path / "library.sqlite"
    library_with_backup(path, count=200)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(CorruptLibraryError):
        store = DraftStore(path, auto_backup=False)
        store.search()
        store.versions(1)
        assert store.check() == []  # one of the steps above must notice
    assert moved_files(tmp_path)


def test_damaged_library_without_backups(tmp_path):
    path = tmp_path / "library.sqlite"
    DraftStore(path, auto_backup=False).close()
    damage_page(path, "drafts")  # its header, with Post Coach's mark, is intact
    with pytest.raises(CorruptLibraryError) as info:
        DraftStore(path, auto_backup=False)
    assert info.value.backups == [] and "no backup" in str(info.value)
    assert info.value.moved_to.exists()


def test_a_broken_file_that_was_never_a_library_here_is_left_alone(tmp_path):
    path = tmp_path / "library.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)  # no mark, no backups
    with pytest.raises(NotALibraryError, match="left as it is"):
        DraftStore(path, auto_backup=False)
    assert path.read_bytes() == b"SQLite format 3\x00" + b"\xff" * 4000
    assert not moved_files(tmp_path)


def test_an_empty_file_is_a_new_library(tmp_path):
    path = tmp_path / "library.sqlite"
    path.write_bytes(b"")
    with DraftStore(path, auto_backup=False) as store:
        assert store.count() == 0


def test_names_never_collide(tmp_path):
    path = tmp_path / "library.sqlite"
    library_with_backup(path)
    for _ in range(3):
        path.write_bytes(pages_of(b"garbage"))
        with pytest.raises(CorruptLibraryError):
            DraftStore(path, auto_backup=False)
    assert len(moved_files(tmp_path)) == 3


def test_command_line_says_it_in_one_line(tmp_path):
    path = tmp_path / "library.sqlite"
    library_with_backup(path)
    path.write_bytes(pages_of(b"not a database"))
    proc = subprocess.run([sys.executable, "-m", "coach", "library", "--library", str(path),
                           "list"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert "damaged" in proc.stderr and "restore --newest" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "coach", "library", "--library", str(path),
                           "restore", "--newest"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    proc = subprocess.run([sys.executable, "-m", "coach", "library", "--library", str(path),
                           "list", "--format", "json"], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0 and proc.stdout.count('"text"') == 20


def damage_index(store: DraftStore) -> None:
    """Scramble the search index's own data (the drafts stay intact)."""
    store._conn.execute("UPDATE drafts_fts_data SET block = randomblob(length(block)) "
                        "WHERE id > 10")


def test_a_damaged_search_index_is_rebuilt_not_moved(tmp_path):
    path = tmp_path / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        ids = [store.add(f"coffee talk {i}") for i in range(60)]
        damage_index(store)
        assert store.check()  # the damage shows
        # A search finds the damage, rebuilds the index from the drafts, and answers.
        assert sorted(d.id for d in store.search("coffee")) == ids
        assert store.count("talk") == 60 and store.check() == []
    assert path.exists() and not moved_files(tmp_path)


def test_saving_with_a_damaged_index_loses_nothing(tmp_path):
    path = tmp_path / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        draft_id = store.add("coffee talk")
        for i in range(40):
            store.add(f"more coffee {i}")
        damage_index(store)
        store.update(draft_id, text="tea talk")
        assert store.get(draft_id).text == "tea talk"
        assert [v.text for v in store.versions(draft_id)] == ["coffee talk", "tea talk"]
        assert [d.id for d in store.search("tea")] == [draft_id]  # repaired on the way
        assert store.check() == []


def test_command_line_repairs_the_index(tmp_path, capsys):
    from coach.cli import main

    path = tmp_path / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        for i in range(40):
            store.add(f"coffee {i}")
        damage_index(store)
    assert main(["library", "--library", str(path), "check"]) == 1
    assert "search index" in capsys.readouterr().err
    assert main(["library", "--library", str(path), "check", "--repair"]) == 0
    assert "rebuilt" in capsys.readouterr().out
    assert main(["library", "--library", str(path), "check"]) == 0
