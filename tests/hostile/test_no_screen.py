"""``coach`` where no screen can be reached: one line and exit status 2, never Qt's abort.

A stale DISPLAY or WAYLAND_DISPLAY (or none at all) made Qt abort the process (exit 134,
a core dump) with a hint about libxcb-cursor0 that had nothing to do with it. Real
processes, real environments: no X server on :99, no compositor on wayland-99.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtCore")

from coach.ui.app import missing_library, qt_failure  # noqa: E402

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux screens")
HINT = "`coach check FILE` works without one."


def coach(*argv, tmp_path, **env_vars):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "WAYLAND_SOCKET", "QT_QPA_PLATFORM",
                        "XDG_SESSION_TYPE")}
    env["XDG_RUNTIME_DIR"] = str(tmp_path)  # an empty one: no compositor in it
    env.update(env_vars)
    return subprocess.run([sys.executable, "-m", "coach", *argv], env=env, text=True,
                          capture_output=True, timeout=120)


def assert_one_line(result, expected):
    assert result.returncode == 2, result  # not 134 (abort) nor a signal
    assert result.stdout == ""
    assert result.stderr == expected + "\n"
    assert "libxcb" not in result.stderr and "xcb-cursor" not in result.stderr


@pytest.fixture
def no_x_on_99():
    if Path("/tmp/.X11-unix/X99").exists():
        pytest.skip("an X server runs on :99 here")


def test_a_display_without_an_x_server(tmp_path, no_x_on_99):
    result = coach(tmp_path=tmp_path, DISPLAY=":99")
    assert_one_line(result, f"coach: no screen can be reached (DISPLAY=:99), so the app "
                            f"cannot open; {HINT}")


def test_a_file_to_open_on_a_display_without_an_x_server(tmp_path, no_x_on_99):
    draft = tmp_path / "draft.txt"
    draft.write_text("Hello", encoding="utf-8")
    result = coach(str(draft), tmp_path=tmp_path, DISPLAY=":99")
    assert_one_line(result, f"coach: no screen can be reached (DISPLAY=:99), so the app "
                            f"cannot open; {HINT}")


def test_a_stale_wayland_display(tmp_path):
    result = coach(tmp_path=tmp_path, WAYLAND_DISPLAY="wayland-99")
    assert_one_line(result, f"coach: no screen can be reached (WAYLAND_DISPLAY=wayland-99), "
                            f"so the app cannot open; {HINT}")


def test_both_stale(tmp_path, no_x_on_99):
    result = coach(tmp_path=tmp_path, DISPLAY=":99", WAYLAND_DISPLAY="wayland-99")
    assert_one_line(result, "coach: no screen can be reached (DISPLAY=:99, WAYLAND_DISPLAY="
                            f"wayland-99), so the app cannot open; {HINT}")


def test_no_screen_at_all(tmp_path):
    result = coach(tmp_path=tmp_path)
    assert_one_line(result, "coach: there is no screen to open the app on (DISPLAY and "
                            f"WAYLAND_DISPLAY are not set); {HINT}")


@pytest.fixture
def mute_compositor(tmp_path):
    """A socket where a compositor would be, which hangs up on every client: it looks
    reachable, but Qt cannot start on it (so Qt itself gives up)."""
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(tmp_path / "wayland-7"))
    server.listen()

    def serve():
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            client.close()

    threading.Thread(target=serve, daemon=True).start()
    yield "wayland-7"
    server.close()


def test_a_screen_that_qt_cannot_use_is_one_line_too(tmp_path, mute_compositor):
    result = coach(tmp_path=tmp_path, WAYLAND_DISPLAY=mute_compositor)
    assert_one_line(result, f"coach: no screen can be reached (WAYLAND_DISPLAY="
                            f"{mute_compositor}), so the app cannot open; {HINT}")


def test_a_wayland_socket_given_as_a_path_that_is_gone(tmp_path):
    result = coach(tmp_path=tmp_path, WAYLAND_DISPLAY=str(tmp_path / "wayland-gone"),
                   QT_QPA_PLATFORM="wayland")
    assert_one_line(result, f"coach: no screen can be reached (WAYLAND_DISPLAY="
                            f"{tmp_path / 'wayland-gone'}, QT_QPA_PLATFORM=wayland), so the "
                            f"app cannot open; {HINT}")


@pytest.fixture(scope="module")
def xcb_plugin():
    from PySide6.QtCore import QLibraryInfo

    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    plugin = plugins / "platforms" / "libqxcb.so"
    if not plugin.exists():
        pytest.skip("this Qt has no xcb platform")
    return plugins


def test_a_really_missing_library_is_named(xcb_plugin, tmp_path):
    # A copy of Qt's xcb plugin that needs a library no system has (same length, so
    # the file stays a valid ELF); its neighbours found as from the real one.
    data = (xcb_plugin / "platforms" / "libqxcb.so").read_bytes()
    assert data.count(b"libxcb-cursor.so.0\0") == 1
    qt = tmp_path / "Qt"
    (qt / "plugins" / "platforms").mkdir(parents=True)
    (qt / "lib").symlink_to(xcb_plugin.parent / "lib")
    (qt / "plugins" / "platforms" / "libqxcb.so").write_bytes(
        data.replace(b"libxcb-cursor.so.0\0", b"libxcb-cursxr.so.0\0"))
    assert missing_library(str(qt / "plugins" / "platforms" / "libqxcb.so")) == \
        "libxcb-cursxr.so.0"
    said = [("qt.qpa.plugin", "From 6.5.0, xcb-cursor0 or libxcb-cursor0 is needed to load "
                              "the Qt xcb platform plugin.")]
    line = qt_failure(said, str(qt / "plugins"))
    assert line.startswith("coach: the app cannot open because the system library "
                           "libxcb-cursxr.so.0 is missing")


def test_qts_libxcb_hint_is_not_repeated_when_nothing_is_missing(xcb_plugin):
    assert missing_library(str(xcb_plugin / "platforms" / "libqxcb.so")) is None
    said = [("qt.qpa.plugin", "From 6.5.0, xcb-cursor0 or libxcb-cursor0 is needed to load "
                              "the Qt xcb platform plugin.")]
    line = qt_failure(said, str(xcb_plugin))
    assert "libxcb" not in line and line.startswith("coach: no screen can be reached")
