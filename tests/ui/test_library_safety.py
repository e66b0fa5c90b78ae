"""Never lose a draft, in the app: autosave without versions, a real kill -9 and recovery,
two windows (and two processes) on one library, a damaged library at start, a full disk
or read-only library, and a library kept busy by a long import."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication

from coach.library import DraftStore, LibraryBusyError, ReadOnlyLibraryError

pytestmark = pytest.mark.gui
CHILD = Path(__file__).with_name("library_child.py")


# -- autosave ---------------------------------------------------------------------------------

def test_autosave_within_two_seconds_without_a_version(library_window, tmp_path, qtbot):
    path = tmp_path / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        draft_id = store.add("Our autumn menu is here.")
    w = library_window()
    w.open_draft(draft_id)
    qtbot.keyClicks(w.editor, "Hello! ")
    with qtbot.waitSignal(w.librarian.autosaved, timeout=2000) as kept:
        pass
    assert kept.args == [len("Hello! Our autumn menu is here.")]
    with DraftStore(path, auto_backup=False) as store:
        [buffer] = store.recover(include_live=True)  # this window is alive: not a crash
        assert store.recover() == []
        assert buffer.text == "Hello! Our autumn menu is here."
        assert buffer.draft_id == draft_id
        assert store.get(draft_id).text == "Our autumn menu is here."
        assert len(store.versions(draft_id)) == 1  # no version for an autosave
    w.save()
    with DraftStore(path, auto_backup=False) as store:
        qtbot.waitUntil(lambda: store.recover(include_live=True) == [], timeout=2000)
        assert len(store.versions(draft_id)) == 2


def test_autosave_keeps_up_with_typing_that_never_pauses(library_window, qtbot):
    w = library_window()
    saves = []
    w.librarian.autosaved.connect(saves.append)
    start = time.monotonic()
    while time.monotonic() - start < 3.5:  # a key every 150 ms: never a full pause
        qtbot.keyClicks(w.editor, "a")
        qtbot.wait(150)
    assert saves, "nothing autosaved during 3.5 s of typing"


def test_autosave_keeps_the_fields_and_nothing_when_clean(library_window, tmp_path, qtbot):
    path = tmp_path / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        draft_id = store.add("Clean text.")
    w = library_window()
    w.open_draft(draft_id)
    assert not w.librarian.autosave_now()  # nothing unsaved: nothing to keep
    details = w.librarian.details
    details.client.setEditText("Kopi Senja")
    with qtbot.waitSignal(w.librarian.autosaved, timeout=2000):
        pass
    with DraftStore(path, auto_backup=False) as store:
        rows = store._conn.execute("SELECT fields FROM autosaves").fetchall()
    assert json.loads(rows[0][0])["client"] == "Kopi Senja"


# -- a real crash -------------------------------------------------------------------------------

def _child(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(CHILD), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=dict(os.environ))


def _until_autosaved(proc: subprocess.Popen, chars: int) -> list[str]:
    lines = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise AssertionError(f"the app stopped early: {proc.stderr.read()[-2000:]}")
        lines.append(line.strip())
        if line.startswith("autosaved ") and int(line.split()[1]) == chars:
            return lines
    raise AssertionError(f"no autosave of {chars} characters: {lines}")


def _check(library: Path, ini: Path) -> dict:
    done = subprocess.run([sys.executable, str(CHILD), "check", str(library), str(ini)],
                          capture_output=True, text=True, timeout=120, env=dict(os.environ))
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_killed_app_offers_the_text_back(tmp_path):
    library, ini = tmp_path / "library.sqlite", tmp_path / "app.ini"
    saved = "Our autumn menu is here."
    with DraftStore(library, auto_backup=False) as store:
        draft_id = store.add(saved, client="Acme")
    typed = "Große Neuigkeit, café für alle: what would you change? "
    proc = _child("type", str(library), str(ini), typed, str(draft_id))
    try:
        _until_autosaved(proc, len(typed + saved))
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    with DraftStore(library, auto_backup=False) as store:
        assert store.get(draft_id).text == saved  # the killed app never saved a version
        [left] = store.recover()
        assert left.text == typed + saved and left.draft_id == draft_id
    state = _check(library, ini)
    assert state["text"] == typed + saved
    assert state["draft_id"] == draft_id and state["dirty"]
    with DraftStore(library, auto_backup=False) as store:
        assert store.get(draft_id).text == typed + saved  # saved when that window closed
        assert store.get(draft_id).client == "Acme"
        assert [v.text for v in store.versions(draft_id)] == [saved, typed + saved]
        assert store.recover() == []


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_killed_app_brings_back_a_draft_never_saved(tmp_path):
    library, ini = tmp_path / "library.sqlite", tmp_path / "app.ini"
    DraftStore(library, auto_backup=False).close()
    typed = "A brand new draft, never saved. Who is coming on Saturday?"
    proc = _child("type", str(library), str(ini), typed)
    try:
        _until_autosaved(proc, len(typed))
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    state = _check(library, ini)
    assert state["text"] == typed and state["dirty"]
    with DraftStore(library, auto_backup=False) as store:
        [draft] = store.search()
        assert draft.text == typed and store.recover() == []


# -- two windows, two processes ------------------------------------------------------------------

def _two_windows(library_window, tmp_path, qtbot):
    path = tmp_path / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        draft_id = store.add("Base text. What do you think?")
    a, b = library_window(), library_window()
    a.open_draft(draft_id)
    b.open_draft(draft_id)
    qtbot.keyClicks(b.editor, "Theirs: ")
    assert b.save()
    qtbot.keyClicks(a.editor, "Mine: ")
    assert not a.save()  # the second writer is told...
    return path, draft_id, a, b


def test_a_second_writer_is_told_and_nothing_is_overwritten(library_window, tmp_path, qtbot):
    path, draft_id, a, _b = _two_windows(library_window, tmp_path, qtbot)
    notice = a.librarian.notice
    assert notice.isVisible() and notice.key == "conflict"
    assert "another window" in notice.message.text()
    assert set(notice.buttons) >= {"Keep mine as the newest version", "Save mine as a copy",
                                   "Load theirs", "Compare…"}
    assert a.text() == "Mine: Base text. What do you think?" and a.is_dirty()
    with DraftStore(path, auto_backup=False) as store:
        assert store.get(draft_id).text == "Theirs: Base text. What do you think?"
    notice.buttons["Compare…"].click()
    assert ("insert", "Mine") in a.librarian.compared or any(
        op == "insert" and "Mine" in text for op, text in a.librarian.compared)
    assert notice.isVisible()  # comparing does not decide anything
    notice.buttons["Keep mine as the newest version"].click()
    assert not notice.isVisible() and not a.is_dirty()
    with DraftStore(path, auto_backup=False) as store:
        texts = [v.text for v in store.versions(draft_id)]
        assert texts[-1] == "Mine: Base text. What do you think?"
        assert "Theirs: Base text. What do you think?" in texts  # theirs stays a version


def test_conflict_saved_as_a_copy(library_window, tmp_path, qtbot):
    path, draft_id, a, _b = _two_windows(library_window, tmp_path, qtbot)
    a.librarian.notice.buttons["Save mine as a copy"].click()
    assert a.session.draft_id != draft_id and not a.is_dirty()
    with DraftStore(path, auto_backup=False) as store:
        assert store.get(draft_id).text.startswith("Theirs: ")
        copy = store.get(a.session.draft_id)
        assert copy.text.startswith("Mine: ") and copy.title.endswith("(copy)")


def test_conflict_load_theirs_keeps_mine_in_the_clipboard(library_window, tmp_path, qtbot):
    path, draft_id, a, _b = _two_windows(library_window, tmp_path, qtbot)
    a.librarian.notice.buttons["Load theirs"].click()
    assert a.text() == "Theirs: Base text. What do you think?" and not a.is_dirty()
    assert QGuiApplication.clipboard().text() == "Mine: Base text. What do you think?"
    a.editor.undo()
    assert a.text() == "Mine: Base text. What do you think?" and a.is_dirty()
    assert a.save()  # saving after undo is an ordinary save now: no conflict
    with DraftStore(path, auto_backup=False) as store:
        assert store.get(draft_id).text.startswith("Mine: ")


def test_changes_that_do_not_collide_are_merged(library_window, tmp_path, qtbot):
    path = tmp_path / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        draft_id = store.add("Base text.", client="Acme")
    a, b = library_window(), library_window()
    a.open_draft(draft_id)
    b.open_draft(draft_id)
    b.librarian.details.status.setCurrentIndex(
        b.librarian.details.status.findData("approved"))
    b.librarian.details.status.activated.emit(0)
    assert b.save()  # only the status changed there
    qtbot.keyClicks(a.editor, "Edited here. ")
    assert a.save() and a.librarian.conflict is None
    with DraftStore(path, auto_backup=False) as store:
        draft = store.get(draft_id)
        assert draft.text == "Edited here. Base text." and draft.status == "approved"


def test_another_process_saving_first_is_a_conflict_too(library_window, tmp_path, qtbot):
    path = tmp_path / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        draft_id = store.add("Base text.")
    w = library_window()
    w.open_draft(draft_id)
    qtbot.keyClicks(w.editor, "Mine. ")
    code = ("import sys; from coach.library import DraftStore\n"
            "with DraftStore(sys.argv[1], auto_backup=False) as s:\n"
            "    s.update(int(sys.argv[2]), text='From the command line.')\n")
    subprocess.run([sys.executable, "-c", code, str(path), str(draft_id)], check=True,
                   env=dict(os.environ), timeout=60)
    assert not w.save()
    assert w.librarian.notice.key == "conflict"
    assert w.text() == "Mine. Base text."


def test_an_unchanged_window_follows_another_windows_save(library_window, tmp_path, qtbot):
    path = tmp_path / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        draft_id = store.add("Base text.")
    a, b = library_window(), library_window()
    a.open_draft(draft_id)
    b.open_draft(draft_id)
    qtbot.keyClicks(b.editor, "Newer. ")
    b.save()
    a.librarian.window_activated()  # as when the person comes back to that window
    assert a.text() == "Newer. Base text." and not a.is_dirty()


# -- a damaged library, a full disk, a read-only library, a busy library ---------------------------

def _damage(path: Path, at: int = 0) -> None:
    """Overwrite part of the file; at 0 the SQLite header goes, with Post Coach's mark
    (only a library that has backups is then known to be ours); at 100 the first page."""
    with open(path, "r+b") as handle:
        handle.seek(at)
        handle.write(b"this is no longer a database" * 4)


def test_a_damaged_library_at_start_is_moved_aside_and_the_backup_offered(library_window,
                                                                          tmp_path, qtbot,
                                                                          wait_list):
    path = tmp_path / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        store.add("Kept in the backup.")
        store.add("Also kept.")
        store.backup_now()
    _damage(path)
    w = library_window(answers={"corrupt": "restore"})
    assert "damaged" in w.last_problem and "moved to" in w.last_problem
    assert "Traceback" not in w.last_problem
    qtbot.waitUntil(lambda: w.librarian.library.available, timeout=10_000)
    wait_list(qtbot, w)
    assert w.librarian.view.model.rowCount() == 2
    assert any(p.name.startswith("library.sqlite.damaged-") for p in tmp_path.iterdir())
    qtbot.keyClicks(w.editor, "Writing again. ")
    assert w.save()


def test_a_damaged_library_can_start_empty(library_window, tmp_path, wait_list, qtbot):
    path = tmp_path / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        store.add("Only here.")
    _damage(path, at=100)
    w = library_window(answers={"corrupt": "empty"})
    wait_list(qtbot, w)
    assert w.librarian.library.available and w.librarian.view.model.rowCount() == 0
    assert w.librarian.notice.key == "damaged"
    assert "There is no backup" in w.librarian.notice.message.text()
    damaged = [p for p in tmp_path.iterdir() if p.name.startswith("library.sqlite.damaged-")]
    assert damaged and damaged[0].read_bytes()[100:].startswith(b"this is no longer")


def test_a_full_disk_keeps_the_text_and_says_so(library_window, tmp_path, qtbot):
    path = tmp_path / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        draft_id = store.add("Short.")
    w = library_window()
    w.open_draft(draft_id)
    conn = w.librarian.library.store._conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # SQLite now reports a full disk
    long_text = "A long paragraph about our autumn menu and the farms behind it. " * 2_000
    w.librarian.replace_text(long_text)
    assert not w.save()
    notice = w.librarian.notice
    assert notice.isVisible() and notice.key == "save-failed"
    assert "full" in notice.message.text() and "still here" in notice.message.text()
    assert w.text() == long_text and w.is_dirty()
    with DraftStore(path, auto_backup=False) as store:
        assert store.get(draft_id).text == "Short."
    conn.execute("PRAGMA max_page_count = 1073741823")  # space again
    notice.buttons["Try again"].click()
    assert not w.is_dirty() and not notice.isVisible()
    with DraftStore(path, auto_backup=False) as store:
        assert store.get(draft_id).text == long_text


def test_a_read_only_folder_at_save_keeps_the_text(library_window, tmp_path, qtbot,
                                                   monkeypatch):
    path = tmp_path / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        draft_id = store.add("Short.")
    w = library_window()
    w.open_draft(draft_id)
    qtbot.keyClicks(w.editor, "More. ")

    def refuse(*args, **kwargs):
        raise ReadOnlyLibraryError(f"the library {path} cannot be written (read-only file or "
                                   "folder): nothing was saved")

    monkeypatch.setattr(w.librarian.library.store, "update", refuse)
    assert not w.save()
    assert "read-only" in w.librarian.notice.message.text()
    assert w.text() == "More. Short." and w.is_dirty()


def test_a_read_only_library_can_still_be_browsed(library_window, tmp_path, qtbot,
                                                  monkeypatch):
    from coach.ui import library as ui_library

    path = tmp_path / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        draft_id = store.add("Readable.")
    real = ui_library.DraftStore

    def store_in_read_only_place(*args, read_only=False, **kwargs):
        if not read_only:
            raise ReadOnlyLibraryError("the library cannot be opened for writing (read-only "
                                       "file or folder?); it can still be opened read-only")
        return real(*args, read_only=True, **kwargs)

    monkeypatch.setattr(ui_library, "DraftStore", store_in_read_only_place)
    w = library_window()
    assert w.librarian.library.read_only
    assert w.librarian.notice.key == "read-only"
    assert w.librarian.view.model.rowCount() == 1
    assert not w.librarian.view.delete_button.isEnabled() or not \
        w.librarian.view.selected_ids()
    assert w.open_draft(draft_id)
    qtbot.keyClicks(w.editor, "Edit. ")
    assert not w.save()
    assert "read-only" in w.librarian.notice.message.text()
    assert w.text() == "Edit. Readable."


def test_a_busy_library_keeps_the_text_and_autosave_tries_again(library_window, tmp_path,
                                                                qtbot, monkeypatch):
    from coach.ui import librarian, library

    monkeypatch.setattr(library, "LANE_TIMEOUT", 0.2)
    monkeypatch.setattr(librarian, "AUTOSAVE_RETRY_MS", 200)
    path = tmp_path / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        draft_id = store.add("Short.")
    w = library_window()
    w.open_draft(draft_id)
    importer = sqlite3.connect(path, isolation_level=None)  # as a long import holds it
    importer.execute("BEGIN IMMEDIATE")
    try:
        qtbot.keyClicks(w.editor, "Typed during the import. ")
        qtbot.waitUntil(lambda: isinstance(w.librarian.last_autosave_error, LibraryBusyError),
                        timeout=5000)
        assert w.text().startswith("Typed during the import.") and w.is_dirty()
        assert "busy" in w.statusBar().currentMessage()
    finally:
        importer.execute("ROLLBACK")
        importer.close()
    with qtbot.waitSignal(w.librarian.autosaved, timeout=5000):
        pass
    with DraftStore(path, auto_backup=False) as store:
        [kept] = store.recover(include_live=True)
        assert kept.text == "Typed during the import. Short."


def test_a_file_that_is_not_a_library_is_left_alone_by_the_app(library_window, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("My own notes, not drafts.\n")
    before = (notes.read_bytes(), notes.stat().st_mtime_ns)
    w = library_window(notes)
    assert not w.librarian.library.available
    assert w.librarian.notice.key == "no-library"
    assert "left as it is" in w.librarian.notice.message.text()
    w.close()
    assert (notes.read_bytes(), notes.stat().st_mtime_ns) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("notes")] == ["notes.txt"]
