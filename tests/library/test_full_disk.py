"""A full disk or a read-only folder: a clear error, and nothing already saved is lost."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from coach.cli import main
from coach.library import (
    DraftStore,
    LibraryBusyError,
    LibraryError,
    ReadOnlyLibraryError,
    SaveFailedError,
    StorageFullError,
)
from coach.library.errors import translate

WORKER = Path(__file__).with_name("worker.py")


def fill_up(store: DraftStore, spare_pages: int = 2) -> None:
    """Cap the file a few pages above its size: SQLite then reports SQLITE_FULL for real."""
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages + spare_pages}")


def test_full_disk_on_save_keeps_the_library_as_it_was(store):
    kept = store.add("already saved", client="Acme")
    fill_up(store)
    with pytest.raises(StorageFullError) as info:
        store.add("a long new draft " * 20_000)
    assert "full" in str(info.value) and "nothing was saved" in str(info.value)
    with pytest.raises(StorageFullError):
        store.update(kept, text="a long edit " * 20_000)
    assert store.get(kept).text == "already saved"
    assert [v.text for v in store.versions(kept)] == ["already saved"]
    assert store.count() == 1 and store.check() == []
    store._conn.execute("PRAGMA max_page_count = 1073741823")  # space again
    assert store.get(store.add("a long new draft " * 20_000)).text.startswith("a long")


def test_full_disk_on_autosave_keeps_the_previous_autosave(store):
    draft_id = store.add("saved")
    slot = store.autosave(draft_id, "typed so far")
    fill_up(store)
    with pytest.raises(StorageFullError):
        store.autosave(draft_id, "typed so far " * 50_000, slot=slot)
    (found,) = store.recover(include_live=True)
    assert found.text == "typed so far"


def test_full_disk_in_a_real_process(tmp_path):
    """The file size limit of a child process makes its writes fail like a full disk."""
    path = tmp_path / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        for i in range(20):
            store.add(f"draft {i}")
    before = path.stat().st_size
    proc = subprocess.run([sys.executable, str(WORKER), "full-disk", str(path),
                           str(before + 64 * 1024)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert lines[0]["error"] in ("StorageFullError", "SaveFailedError"), lines
    assert "nothing was saved" in lines[0]["message"]
    assert lines[1] == {"count": 20}  # the process can still read its library
    with DraftStore(path, auto_backup=False) as store:
        assert store.count() == 20 and store.check() == []


@pytest.mark.parametrize(("code", "kind"), [
    (13, StorageFullError), (8, ReadOnlyLibraryError), (5, LibraryBusyError),
    (10 | (4 << 8), SaveFailedError), (14, ReadOnlyLibraryError),
])
def test_sqlite_errors_become_clear_library_errors(code, kind, tmp_path):
    exc = sqlite3.OperationalError("database or disk is full")
    exc.sqlite_errorcode = code
    error = translate(exc, tmp_path / "library.sqlite")
    assert isinstance(error, kind) and "library.sqlite" in str(error)


def test_error_text_alone_is_enough(tmp_path):
    error = translate(sqlite3.OperationalError("database or disk is full"), tmp_path / "l")
    assert isinstance(error, StorageFullError)


# --- read-only places --------------------------------------------------------------------------

@contextlib.contextmanager
def read_only_folder(folder: Path):
    """Make a folder read-only: chmod for a normal user, the immutable flag for root."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    chattr = shutil.which("chattr")
    if not chattr or subprocess.run([chattr, "+i", str(folder)],
                                    capture_output=True).returncode != 0:
        pytest.skip("running as root without chattr +i: cannot make a read-only folder")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(folder)], check=True)


@pytest.fixture
def locked_library(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        store.add("Which launch surprised you?", client="Acme")
        store.add("Second draft")
    assert not path.with_name("library.sqlite-wal").exists()  # closed cleanly
    with read_only_folder(folder):
        yield path


def test_read_only_folder_is_a_clear_error(locked_library):
    before = locked_library.read_bytes()
    with pytest.raises(ReadOnlyLibraryError) as info:
        DraftStore(locked_library, auto_backup=False)
    assert "read-only" in str(info.value)
    assert locked_library.read_bytes() == before


def test_read_only_folder_can_still_be_browsed(locked_library):
    with DraftStore(locked_library, read_only=True) as store:
        assert store.count() == 2
        assert [d.client for d in store.search("launch")] == ["Acme"]
        with pytest.raises(ReadOnlyLibraryError, match="nothing was saved"):
            store.add("new")
        with pytest.raises(ReadOnlyLibraryError):
            store.autosave(None, "typing")


def test_new_library_in_a_read_only_folder(locked_library):
    with pytest.raises(ReadOnlyLibraryError):
        DraftStore(locked_library.with_name("new.sqlite"), auto_backup=False)
    assert not locked_library.with_name("new.sqlite").exists()


def test_cli_in_a_read_only_folder(locked_library, capsys, tmp_path):
    assert main(["library", "--library", str(locked_library), "list"]) == 0
    assert "Which launch" in capsys.readouterr().out
    text = tmp_path / "post.txt"
    text.write_text("A new post")
    assert main(["library", "--library", str(locked_library), "add", str(text),
                 "--no-score"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "read-only" in err and "Traceback" not in err


def test_export_to_a_read_only_folder_leaves_nothing_behind(store, tmp_path):
    store.add("x")
    target = tmp_path / "out"
    target.mkdir()
    with read_only_folder(target), pytest.raises(LibraryError, match="cannot write"):
        store.export_file(target / "drafts.json")
    assert list(target.iterdir()) == []
    with pytest.raises(LibraryError):
        store.export_file(tmp_path / "missing" / "drafts.json")


@pytest.mark.skipif(not shutil.which("unshare"), reason="needs unshare")
def test_library_on_a_read_only_file_system(tmp_path):
    """A whole read-only mount (a locked share, a write-protected stick)."""
    folder = tmp_path / "mount"
    folder.mkdir()
    path = folder / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        store.add("kept safe")
    probe = (
        "import sys; from coach.library import DraftStore, ReadOnlyLibraryError\n"
        "try:\n    DraftStore(sys.argv[1], auto_backup=False)\n    print('opened')\n"
        "except ReadOnlyLibraryError:\n    print('read-only error')\n"
        "with DraftStore(sys.argv[1], read_only=True) as s:\n    print(s.count())\n")
    script = (f"mount --bind {folder} {folder} && mount -o remount,bind,ro {folder} && "
              f"{sys.executable} -c \"$PROBE\" {path}")
    proc = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True,
                          text=True, env={**os.environ, "PROBE": probe}, timeout=60)
    if proc.returncode != 0 and "mount" in proc.stderr:
        pytest.skip(f"cannot make a read-only mount here: {proc.stderr.strip()[:100]}")
    assert proc.stdout.split("\n")[:2] == ["read-only error", "1"], proc.stderr
