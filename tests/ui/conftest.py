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
