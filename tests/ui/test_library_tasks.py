"""Long library work in the app: import, export and backups run on a worker with a
progress bar; the window keeps handling events (and typing) meanwhile."""

from __future__ import annotations

import csv
import json
import time

import pytest
from PySide6.QtCore import QTimer

from coach.library import Cancelled, DraftStore, ImportRejected, list_backups

pytestmark = pytest.mark.gui


def bundle(path, n: int) -> None:
    drafts = [{"text": f"Imported draft {i}: what would you change about the menu?",
               "client": "Bulk Co", "tags": ["bulk"], "language": "en",
               "versions": [{"text": f"An older text {i}"}]} for i in range(n)]
    path.write_text(json.dumps({"format": "post-coach-library", "version": 1,
                                "drafts": drafts}), encoding="utf-8")


def finished(qtbot, w, name: str, timeout: int = 120_000):
    """Wait for the task ``name`` to end; returns its result (or exception)."""
    with qtbot.waitSignal(w.librarian.taskDone, timeout=timeout,
                          check_params_cb=lambda n, _r: n == name) as done:
        pass
    return done.args[1]


def test_an_import_never_freezes_the_window(library_window, tmp_path, qtbot, wait_list):
    source = tmp_path / "drafts.json"
    bundle(source, 6_000)
    w = library_window()
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(5)
    running = []
    w.librarian.tasks.bar.valueChanged.connect(lambda _v: running.append(ticks[-1:]))
    job = w.librarian.import_files([source])
    assert job is not None and w.librarian.tasks.isVisible()
    assert w.librarian.tasks.cancel_button.isVisible()
    qtbot.keyClicks(w.editor, "Typed while importing.")  # the editor still takes keys
    start = time.perf_counter()
    result = finished(qtbot, w, "Importing drafts")
    end = time.perf_counter()
    timer.stop()
    assert len(result.added) == 6_000
    during = [t for t in ticks if start < t < end]
    gaps = [b - a for a, b in zip(during, during[1:], strict=False)]
    print(f"\nimport of 6,000 drafts: {end - start:.2f} s, {len(during)} timer ticks handled "
          f"meanwhile, longest gap {max(gaps, default=0) * 1000:.0f} ms")
    assert len(during) >= 10  # the event loop ran all along
    assert w.librarian.tasks.updates >= 2 and running  # progress was shown
    assert not w.librarian.tasks.isVisible()
    assert w.text() == "Typed while importing."
    assert "Imported 6,000 drafts" in w.statusBar().currentMessage()
    wait_list(qtbot, w)
    assert w.librarian.view.model.rowCount() == 6_000
    with qtbot.waitSignal(w.librarian.autosaved, timeout=15_000):
        w.librarian.autosave_now()  # the typing is kept once the import let go


def test_a_rejected_import_says_why_and_writes_nothing(library_window, tmp_path, qtbot):
    source = tmp_path / "broken.json"
    source.write_text('{"format": "post-coach-library", "version": 1, "drafts": '
                      '[{"text": 42}]}', encoding="utf-8")
    w = library_window()
    w.librarian.import_files([source])
    result = finished(qtbot, w, "Importing drafts")
    assert isinstance(result, ImportRejected)
    assert "broken.json" in w.last_problem and "nothing was imported" in w.last_problem
    with DraftStore(tmp_path / "library.sqlite", auto_backup=False) as store:
        assert store.count() == 0


def test_an_import_can_be_cancelled(library_window, tmp_path, qtbot):
    source = tmp_path / "drafts.json"
    bundle(source, 3_000)
    w = library_window()
    w.librarian.tasks.bar.valueChanged.connect(lambda _v: w.librarian.tasks.cancel())
    w.librarian.import_files([source])
    result = finished(qtbot, w, "Importing drafts")
    assert isinstance(result, Cancelled)
    assert "cancelled" in w.statusBar().currentMessage()
    with DraftStore(tmp_path / "library.sqlite", auto_backup=False) as store:
        assert store.count() == 0


def test_export_writes_the_drafts_listed(library_window, tmp_path, qtbot, wait_list):
    path = tmp_path / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        for i in range(12):
            store.add(f"Draft {i} for the export", client="Acme" if i % 2 else "Other")
    w = library_window()
    w.librarian.view.set_filter("client", "Acme")
    wait_list(qtbot, w)
    ids = w.librarian.view.model.ids
    assert len(ids) == 6
    w.librarian.export_files(tmp_path / "acme.json", ids)
    assert finished(qtbot, w, "Exporting drafts") == 6
    data = json.loads((tmp_path / "acme.json").read_text(encoding="utf-8"))
    assert {d["client"] for d in data["drafts"]} == {"Acme"} and len(data["drafts"]) == 6
    w.librarian.export_files(tmp_path / "acme.csv", ids)
    assert finished(qtbot, w, "Exporting drafts") == 6
    with open(tmp_path / "acme.csv", encoding="utf-8-sig", newline="") as handle:
        assert len(list(csv.DictReader(handle))) == 6


def test_back_up_now_and_restore_from_the_backup(library_window, tmp_path, qtbot, wait_list):
    from coach.ui.librarian import BackupsDialog

    path = tmp_path / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        store.add("Before the backup.")
    w = library_window()
    w.librarian.backup_now()
    info = finished(qtbot, w, "Backing up the library")
    assert info.kind == "manual" and info.path.exists()
    assert "Backed up" in w.statusBar().currentMessage()
    qtbot.keyClicks(w.editor, "After the backup.")
    assert w.save()
    wait_list(qtbot, w)
    assert w.librarian.view.model.rowCount() == 2

    dialog = BackupsDialog(list_backups(path), w)
    assert dialog.list.topLevelItemCount() == 1
    assert dialog.list.topLevelItem(0).text(1) == "made by hand"
    assert dialog.chosen() == info
    w.auto_answers["restore-backup"] = "restore"
    w.librarian.restore_backup(dialog.chosen())
    finished(qtbot, w, "Restoring the library")
    wait_list(qtbot, w)
    assert w.librarian.library.available
    assert w.librarian.view.model.rowCount() == 1
    assert "Restored the backup" in w.statusBar().currentMessage()
    assert any(p.name.startswith("library.sqlite.replaced-") for p in tmp_path.iterdir())
    assert w.text() == "After the backup."  # the editor's text stays, to save again
    qtbot.keyClicks(w.editor, " Again.")
    assert w.save()
    with DraftStore(path, auto_backup=False) as store:
        assert store.count() == 2


def test_the_daily_backup_runs_in_the_background(library_window, tmp_path, qtbot,
                                                 monkeypatch):
    from coach.ui import librarian

    path = tmp_path / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        store.add("Worth keeping.")
    w = library_window()
    monkeypatch.setattr(librarian, "AUTO_BACKUP_DELAY_MS", 10)
    w.librarian._started()
    info = finished(qtbot, w, "Backing up the library")
    assert info is not None and info.kind == "auto"
    assert [b.kind for b in list_backups(path)] == ["auto"]
    w.librarian.auto_backup()  # once a day is enough
    assert finished(qtbot, w, "Backing up the library") is None


def test_saving_during_an_import_waits_for_it(library_window, tmp_path, qtbot, wait_list):
    source = tmp_path / "drafts.json"
    bundle(source, 6_000)
    w = library_window()
    qtbot.keyClicks(w.editor, "Written while the import runs.")
    w.librarian.import_files([source])
    assert not w.save()  # no waiting on the import's lock: it says so and saves after
    assert w.librarian.notice.key == "save-failed"
    assert "waits" in w.librarian.notice.message.text()
    finished(qtbot, w, "Importing drafts")
    assert not w.is_dirty() and w.session.draft_id is not None
    with DraftStore(tmp_path / "library.sqlite", auto_backup=False) as store:
        assert store.get(w.session.draft_id).text == "Written while the import runs."
        assert store.count() == 6_001
