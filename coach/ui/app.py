"""Start the desktop app: the QApplication, the settings, the main window.

``run_app`` is what ``coach`` calls. ``create_window`` builds the same window without
running the event loop (tests and the start-up benchmark use it).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from PySide6.QtCore import (
    QMessageLogContext,
    QSettings,
    Qt,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QGuiApplication, QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QStyleFactory

from coach import __version__
from coach.data import resource
from coach.textfile import UnreadableFile

from . import style
from .session import DraftSession, read_text_file
from .window import MainWindow

ORGANIZATION = "PostCoach"
APPLICATION = "Post Coach"
DESKTOP_ID = "org.postcoach.PostCoach"


def make_settings() -> QSettings:
    """The user's settings: an INI file in the config folder (XDG_CONFIG_HOME on Linux)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                     ORGANIZATION, "post-coach")


def guard_none_refcount() -> bool:
    """Work around PySide6 6.12 on Python 3.11: every call of a void Qt method drops a
    reference to None (3.12+ makes None immortal, 3.11 does not), so after a few thousand
    calls Python aborts with "deallocating None". Giving None a huge reference count does
    what 3.12 does. Returns True when the guard was needed."""
    import shiboken6

    if sys.version_info >= (3, 12) or not shiboken6.__version__.startswith("6.12"):
        return False
    if sys.getrefcount(None) > 1 << 39:  # already guarded
        return True
    import ctypes

    ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40
    return True


def application(argv: Sequence[str] | None = None) -> QApplication:
    """The running QApplication, created (and named) on first use."""
    guard_none_refcount()
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(list(argv if argv is not None else sys.argv[:1]))
    assert isinstance(app, QApplication)
    app.setApplicationName(APPLICATION)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(DESKTOP_ID)
    icon = app_icon()
    if not icon.isNull():
        app.setWindowIcon(icon)
    return app


def app_icon() -> QIcon:
    pm = QPixmap()
    try:
        pm.loadFromData(resource("icons", "post-coach.svg").read_bytes(), "SVG")
    except OSError:
        return QIcon()
    return QIcon(pm)


class Appearance:
    """Applies the person's choice: follow the system, or force light or dark."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.system_palette = app.palette()
        self.system_style = app.style().name()
        hints = app.styleHints()
        self.choice = "system"
        hints.colorSchemeChanged.connect(lambda _scheme: self.apply(self.choice))

    def apply(self, choice: str) -> None:
        self.choice = choice if choice in ("system", "light", "dark") else "system"
        scheme = self.app.styleHints().colorScheme()
        if self.choice == "system" and scheme != Qt.ColorScheme.Dark:
            self._set(self.system_style, self.system_palette)
            return
        dark = self.choice == "dark" or scheme == Qt.ColorScheme.Dark
        if dark and self.choice == "system" and style.is_dark(self.system_palette):
            self._set(self.system_style, self.system_palette)  # the platform's own dark
            return
        # Native styles (Windows) ignore custom palettes; Fusion honours them everywhere.
        self._set("fusion", style.dark_palette() if dark else style.light_palette())

    def _set(self, style_name: str, palette) -> None:
        if self.app.style().name().lower() != style_name.lower():
            made = QStyleFactory.create(style_name)
            if made is not None:
                self.app.setStyle(made)
        self.app.setPalette(palette)


def create_window(file: str | None = None, library: str | None = None, *,
                  settings: QSettings | None = None) -> tuple[MainWindow, str]:
    """A ready main window (not shown), and a problem message when ``file`` was unreadable."""
    app = application()
    settings = settings or make_settings()
    look = Appearance(app)
    look.apply(str(settings.value("view/appearance", "system")))
    session, text, problem = DraftSession(), "", ""
    if file:
        try:
            text = read_text_file(file)
        except UnreadableFile as exc:
            problem = str(exc)
        else:
            from pathlib import Path

            session = DraftSession(path=Path(file))
    window = MainWindow(settings, session, text, library=library, appearance_changed=look.apply)
    return window, problem


_NO_SCREEN_HINT = "`coach check FILE` works without one."


def start_qt() -> QApplication:
    """The app's QApplication.

    Where Qt cannot start a platform (no screen can be reached: a DISPLAY without its X
    server, a stale WAYLAND_DISPLAY, none at all, or a missing system library), it would
    abort the process with a core dump; instead, one line on standard error (see
    :func:`qt_failure`) and exit status 2.
    """
    held: list[tuple[str, str]] = []

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if kind == QtMsgType.QtFatalMsg:
            print(qt_failure(held), file=sys.stderr, flush=True)
            os._exit(2)  # nothing is open yet: there is nothing to save or close
        held.append((context.category or "default", message))

    qInstallMessageHandler(handler)
    try:
        app = application()
    finally:
        qInstallMessageHandler(None)  # Qt's own output again
    for category, message in held:  # what Qt said on the way, as it would have said it
        print(message if category == "default" else f"{category}: {message}", file=sys.stderr)
    return app


def qt_failure(said: Sequence[tuple[str, str]], plugins: str | None = None) -> str:
    """The one line for a Qt that could not start a platform: a missing system library
    only when one really is missing (Qt's own hint names libxcb-cursor0 whatever failed)."""
    if any("xcb" in message for _, message in said):
        missing = missing_library(os.path.join(plugins or _plugins(), "platforms",
                                               "libqxcb.so"))
        if missing:
            return (f"coach: the app cannot open because the system library {missing} is "
                    "missing (the README lists the libraries Qt needs); `coach check FILE` "
                    "works without it.")
    given = [f"{var}={os.environ[var]}" for var in ("DISPLAY", "WAYLAND_DISPLAY",
                                                     "QT_QPA_PLATFORM") if os.environ.get(var)]
    if not given:
        return ("coach: there is no screen to open the app on (DISPLAY and WAYLAND_DISPLAY "
                f"are not set); {_NO_SCREEN_HINT}")
    return (f"coach: no screen can be reached ({', '.join(given)}), so the app cannot open; "
            f"{_NO_SCREEN_HINT}")


def _plugins() -> str:
    from PySide6.QtCore import QLibraryInfo

    return QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)


def missing_library(plugin: str) -> str | None:
    """The system library that keeps a Qt plugin from loading, if that is what does."""
    if not os.path.exists(plugin):
        return None
    import ctypes

    try:
        ctypes.CDLL(plugin)
    except OSError as exc:
        name, _, why = str(exc).partition(": ")
        if "cannot open shared object file" in why:
            return os.path.basename(name)
    return None


def run_app(file: str | None = None, library: str | None = None) -> int:
    """Open the app (with ``file`` as a new draft) and run until it is closed."""
    app = start_qt()
    window, problem = create_window(file, library)
    window.show()
    if problem:
        window.show_problem("Cannot open this file", problem)
    return app.exec()
