"""Fixtures for the desktop app tests: a main window with its settings in a temp folder,
a fast debounce, and helpers that wait for the live checker to settle."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtCore import QSettings  # noqa: E402


@pytest.fixture(autouse=True)
def temp_qsettings(tmp_path, monkeypatch):
    """Point every default QSettings path into this test's temp folder as well."""
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(tmp_path / "qsettings"))
        QSettings.setPath(QSettings.Format.NativeFormat, scope, str(tmp_path / "qsettings"))


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "coach.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot, settings):
    from coach.ui.app import application
    from coach.ui.window import MainWindow

    made = []

    def make(text: str = "", *, platform=None, debounce: int = 5, sync_limit=None,
             settings_=None):
        application()
        from coach.ui.session import DraftSession

        w = MainWindow(settings_ or settings, DraftSession(platform=platform), text)
        w.quiet = True
        w.checker.debounce_ms = debounce
        if sync_limit is not None:
            w.checker.sync_limit = sync_limit
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
        w.activateWindow()  # menu shortcuts need the active window
        qtbot.waitUntil(w.isActiveWindow, timeout=2000)
        made.append(w)
        settle(qtbot, w)
        return w

    yield make
    for w in made:
        w.checker.shutdown()


def settle(qtbot, w, timeout: int = 5000):
    """Wait until the window shows the result for the document as it is now."""
    def fresh():
        assert w.checker.is_idle()
        assert w.result is not None and w.result.revision == w.revision
    qtbot.waitUntil(fresh, timeout=timeout)
    return w.result


@pytest.fixture
def wait():
    return settle


@pytest.fixture
def library_window(qtbot, tmp_path, monkeypatch):
    """Main windows on one drafts library in this test's temp folder (quiet, fast debounce);
    each call makes another window on the same library, with its own settings. The daily
    backup waits (a test that wants it starts it)."""
    from coach.ui import librarian
    from coach.ui.app import application
    from coach.ui.session import DraftSession
    from coach.ui.window import MainWindow

    monkeypatch.setattr(librarian, "AUTO_BACKUP_DELAY_MS", 600_000)
    made = []

    def make(path=None, *, answers=None, text: str = "", ini: str | None = None):
        application()
        library = str(path or tmp_path / "library.sqlite")
        ini = QSettings(str(tmp_path / (ini or f"window{len(made)}.ini")),
                        QSettings.Format.IniFormat)
        w = MainWindow(ini, DraftSession(), text, library=library)
        w.quiet = True
        w.auto_answers.update(answers or {})
        w.checker.debounce_ms = 5
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
        w.activateWindow()
        qtbot.waitUntil(w.isActiveWindow, timeout=2000)
        made.append(w)
        qtbot.waitUntil(lambda: w._started, timeout=3000)
        settle_list(qtbot, w)
        return w

    yield make
    for w in made:
        w.librarian.shutdown()
        w.checker.shutdown()


def settle_list(qtbot, w, timeout: int = 5000):
    """Wait until the library list shows the newest search and no background work is left."""
    lib = w.librarian.library

    def idle():
        assert w.librarian.view.is_idle()
        assert all(lane.is_idle() for lane in lib.lanes())
    qtbot.waitUntil(idle, timeout=timeout)


@pytest.fixture
def wait_list():
    return settle_list
