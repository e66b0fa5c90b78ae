"""The app in a child process for the crash test (run as a script, never imported).

    library_child.py type LIBRARY SETTINGS TEXT [DRAFT_ID]
        start the app on LIBRARY (offscreen), open DRAFT_ID (or a new draft), type TEXT at
        the start of the draft with real key events, and print "autosaved N" (flushed) each
        time the library confirms an autosave; then keep running until killed.
    library_child.py check LIBRARY SETTINGS
        start the app again, accept the recovery it offers, print what the editor holds
        as JSON, and close the window (which saves the recovered text as a version).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QKeyEvent, QTextCursor  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from coach.ui.app import application, create_window  # noqa: E402


def main() -> None:
    mode, library, settings = sys.argv[1:4]
    app = application()
    window, _ = create_window(None, library,
                              settings=QSettings(settings, QSettings.Format.IniFormat))
    window.quiet = True
    if mode == "check":
        window.auto_answers["recover"] = "accept"
        window.auto_answers["unsaved"] = "save"  # closing saves what came back
    window.show()

    def report(chars: int) -> None:
        print(f"autosaved {chars}", flush=True)

    def type_text() -> None:
        text, draft = sys.argv[4], sys.argv[5] if len(sys.argv) > 5 else ""
        if draft:
            window.open_draft(int(draft))
        cursor = window.editor.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.Start)
        window.editor.setTextCursor(cursor)
        window.editor.setFocus()
        print("typing", flush=True)
        for char in text:  # real key events, one per character (any letter, like a keyboard)
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(window.editor, QKeyEvent(
                    kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))
        print(f"typed {len(window.text())}", flush=True)

    def check() -> None:
        s = window.session
        print(json.dumps({"text": window.text(), "draft_id": s.draft_id,
                          "dirty": window.is_dirty(), "title": window.windowTitle()}),
              flush=True)
        window.close()
        app.quit()

    if mode == "type":
        window.librarian.autosaved.connect(report)
        QTimer.singleShot(300, type_text)
    else:
        QTimer.singleShot(800, check)
    app.exec()


if __name__ == "__main__":
    main()
