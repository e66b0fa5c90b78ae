"""A person's text is never rendered as markup in the app (issue 9).

A draft whose title, text, client, tags and versions are hostile markup is opened in the
window; every widget, list tooltip, dialog and message box the app can show is driven and
checked: text that Qt would render as rich text holds the person's words escaped, and
labels and message boxes that hold them raw are plain text. The crash itself (a tooltip
over the library list for an ``<img src="/dev/zero">`` title aborted the app) runs in a
child process, so an abort fails the test instead of killing pytest. A last test reads
coach/ui and refuses a label, message box or tooltip that bypasses coach.ui.plain.
"""

from __future__ import annotations

import ast
import html
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6 import QtGui  # noqa: E402
from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtGui import QAction, QTextDocument  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QDialog,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QWidget,
)

from coach.analysis import Finding, Severity  # noqa: E402
from coach.library import CorruptLibraryError, DraftStore  # noqa: E402

pytestmark = pytest.mark.gui

TITLE = '<img src="/dev/zero"> Launch plan'
NESTED = "<table><tr><td>" * 300 + "deep" + "</td></tr></table>" * 300
# Markup that, found raw where Qt renders rich text, has been interpreted. "5 &lt; 6" is an
# entity a person typed (rich text would show "5 < 6"); escaped it reads "5 &amp;lt; 6".
MARKUP = ('<img src="/dev/zero">', "<b>bold</b>", '<a href="x">link</a>', "5 &lt; 6",
          "<style>h{}</style>", "<table><tr>", "<B>SHOUT")
# A person's "&" that a button or menu would turn into a keyboard mnemonic.
AMPERSANDS = ("Q&A", "Save & win")
TEXT_V1 = "First plan.\n<b>bold</b> was here."
TEXT_V2 = (f"{TITLE}\n<b>bold</b> and <a href=\"x\">link</a>, 5 &lt; 6 <style>h{{}}</style>\n"
           "SAVE & WIN NOW: AT&T <B>SHOUT LOUD NOW</B> in our Q&A!!! We utilize it.\n"
           + NESTED)
CLIENT = "<b>bold</b> Q&A 5 &lt; 6"
TAGS = ["<b>bold</b>", "5 &lt; 6", '<a href="x">link</a>', "<style>h{}</style>"]
OTHER_TITLE = "<b>bold</b> Q&A [*] notes"
FOLDER = "<b>bold 5 &lt; 6 Q&A"  # a folder name (no "/"): paths in messages and tooltips

PLAIN = Qt.TextFormat.PlainText


def raw(text: str) -> list[str]:
    return [m for m in MARKUP if m in text]


def literal_ampersands(text: str) -> list[str]:
    return [a for a in AMPERSANDS if a in text]


class Inspector:
    """Walks widgets, item models and actions; collects every place that would interpret
    a person's markup, and remembers where the hostile text was shown safely."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.boxes: list[str] = []  # the message boxes and dialogs that were checked
        self.tooltips: list[str] = []  # tooltips that hold the person's text, escaped

    def fail(self, where: str, what: str, text: str) -> None:
        entry = f"{where}: {what}: {text[:160]!r}"
        if entry not in self.problems:
            self.problems.append(entry)

    def tooltip(self, where: str, tip: str) -> None:
        if not tip:
            return
        if raw(tip):
            self.fail(where, "tooltip with raw markup", tip)
        elif any(html.escape(m, quote=False) in tip for m in MARKUP):
            self.tooltips.append(where)

    def widget(self, w: QWidget) -> None:
        where = f"{type(w).__name__} {w.objectName() or w.accessibleName()!r}"
        self.tooltip(where, w.toolTip())
        if isinstance(w, QLabel) and raw(w.text()) and w.textFormat() != PLAIN:
            self.fail(where, f"label in {w.textFormat().name}", w.text())
        if isinstance(w, QMessageBox):
            for text in (w.text(), w.informativeText()):
                if raw(text) and w.textFormat() != PLAIN:
                    self.fail(where, f"message box in {w.textFormat().name}", text)
        if isinstance(w, QAbstractButton) and literal_ampersands(w.text()):
            self.fail(where, "a person's & as a mnemonic", w.text())
        if isinstance(w, QAbstractItemView) and not isinstance(w, QHeaderView) and \
                w.model() is not None:
            self.model(where, w)
        for action in w.actions():
            self.action(where, action)

    def action(self, where: str, action: QAction) -> None:
        if literal_ampersands(action.text()):
            self.fail(f"{where} action", "a person's & as a mnemonic", action.text())
        self.tooltip(f"{where} action", action.toolTip())
        if action.menu() is not None:
            for inner in action.menu().actions():
                self.action(f"{where} menu", inner)

    def model(self, where: str, view: QAbstractItemView) -> None:
        model = view.model()
        roles = (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.WhatsThisRole,
                 Qt.ItemDataRole.StatusTipRole)

        def visit(parent, depth: int) -> None:
            for row in range(min(model.rowCount(parent), 300)):
                for column in range(model.columnCount(parent)):
                    index = model.index(row, column, parent)
                    for role in roles:
                        value = model.data(index, role)
                        if isinstance(value, str):
                            self.tooltip(f"{where} {role.name}", value)
                if depth < 3:
                    visit(model.index(row, 0, parent), depth + 1)

        from PySide6.QtCore import QModelIndex

        visit(QModelIndex(), 0)

    def everything(self) -> None:
        for w in QApplication.allWidgets():
            self.widget(w)

    def modal(self, box: QDialog) -> None:
        """A dialog or message box about to run: check it and all it holds."""
        self.boxes.append(f"{type(box).__name__} {box.windowTitle()!r}")
        for w in [box, *box.findChildren(QWidget)]:
            self.widget(w)


@pytest.fixture
def hostile_library(tmp_path):
    folder = tmp_path / FOLDER
    folder.mkdir()
    path = folder / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        first = store.add(TEXT_V1, title=TITLE, client=CLIENT, tags=TAGS, platform="linkedin")
        store.update(first, text=TEXT_V2)
        other = store.add("Notes for the <b>bold</b> plan.", title=OTHER_TITLE, client=CLIENT)
        binned = store.add("Old <b>bold</b> idea.", title=TITLE + " (old)")
        store.trash(binned)
    return path, first, other


@pytest.fixture
def hostile_window(qtbot, tmp_path, hostile_library, monkeypatch):
    from coach.ui import librarian
    from coach.ui.app import application
    from coach.ui.session import DraftSession
    from coach.ui.window import MainWindow

    monkeypatch.setattr(librarian, "AUTO_BACKUP_DELAY_MS", 600_000)
    application()
    path, first, other = hostile_library
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    w = MainWindow(settings, DraftSession(), "", library=str(path))
    w.checker.debounce_ms = 5
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w._started, timeout=3000)
    _idle(qtbot, w)
    assert w.librarian.view.model.rowCount() == 2
    yield w, path, first, other
    w.librarian.shutdown()
    w.checker.shutdown()


def _idle(qtbot, w) -> None:
    lib = w.librarian.library

    def idle():
        assert w.librarian.view.is_idle()
        assert all(lane.is_idle() for lane in lib.lanes())
        assert w.checker.is_idle()
        assert w.result is None or w.result.revision == w.revision
    qtbot.waitUntil(idle, timeout=10000)


@pytest.fixture
def inspector(monkeypatch):
    """Checks every dialog and message box instead of running it (each answers Cancel)."""
    seen = Inspector()

    def run(self) -> int:
        seen.modal(self)
        return int(QDialog.DialogCode.Rejected)

    def static_box(icon):
        def show(parent, title, text, *args, **kwargs):
            box = QMessageBox(icon, title, text, parent=parent)  # as Qt's own helper makes it
            seen.modal(box)
            return QMessageBox.StandardButton.Cancel
        return staticmethod(show)

    monkeypatch.setattr(QDialog, "exec", run)
    monkeypatch.setattr(QMessageBox, "exec", run)
    for name, icon in (("warning", QMessageBox.Icon.Warning),
                       ("question", QMessageBox.Icon.Question),
                       ("information", QMessageBox.Icon.Information),
                       ("critical", QMessageBox.Icon.Critical)):
        monkeypatch.setattr(QMessageBox, name, static_box(icon))

    def get_text(parent, title, label, *args, **kwargs):
        dialog = QInputDialog(parent)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        seen.modal(dialog)
        return "", False

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    return seen


def _wait_for_box(qtbot, seen: Inspector, count: int) -> None:
    qtbot.waitUntil(lambda: len(seen.boxes) >= count, timeout=10000)


def test_no_person_text_is_rendered_as_markup(hostile_window, inspector, qtbot, tmp_path,
                                              monkeypatch):
    w, path, first, other = hostile_window
    seen = inspector
    lib = w.librarian
    folder = path.parent

    assert w.open_draft(first)
    _idle(qtbot, w)
    assert w.text() == TEXT_V2 and lib.details.client.currentText() == CLIENT
    lib.view.select_id(first)
    seen.everything()  # the window, the library dock, the details, the findings
    w.tabs.setCurrentIndex(1)  # the preview card
    seen.everything()
    w.tabs.setCurrentIndex(0)

    # A finding whose message and fix carry markup and an "&" (as a house pack's would).
    from coach.ui.panel import FindingCard, Item

    card = FindingCard(Item("k", Finding("tone.caps", Severity.WARNING, 0, 5,
                                         "“<b>bold</b> Q&A” reads as shouting.",
                                         "Say <b>bold</b> calmly.", "<b>bold</b> Q&A"),
                            "<b>bold</b> Q&A"), w)
    seen.widget(card)
    for c in [card, *w.panel.cards.values()]:
        menu = c.show_menu(w.mapToGlobal(w.rect().center()))
        seen.widget(menu)
        menu.close()

    # Every dialog and message box the app shows, each driven the way a person gets it.
    lib.show_versions()
    w.open_preferences()
    w.show_shortcuts()
    w.show_about()
    lib.restore_dialog()  # no backups yet: a message naming the library's path
    with DraftStore(path, auto_backup=False) as store:
        store.backup_now()
    lib.restore_dialog()  # the backups, with their paths as tooltips
    lib.view.edit_tags()

    unreadable = folder / "draft <b>bold.txt"
    unreadable.write_bytes(b"\xff\xfe<b>bold</b>\x00")
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(unreadable), "")))
    w.open_file_dialog()  # cannot be read: a message quoting its name
    assert w.last_problem and seen.boxes[-1].startswith("QMessageBox")
    w.save_to(folder / "missing <b>bold" / "draft.txt")  # cannot be written

    bad = folder / "<b>bundle 5 &lt; 6.json"
    bad.write_text('{"drafts": [{"title": "<b>bold</b>", "text": 5}]}', encoding="utf-8")
    before = len(seen.boxes)
    lib.import_files([bad])  # fails on the worker: a message naming the file
    _wait_for_box(qtbot, seen, before + 1)

    lib.view.show_trash(True)
    _idle(qtbot, w)
    lib.view.empty_trash()  # asks first
    lib.view.show_trash(False)
    _idle(qtbot, w)

    damaged = CorruptLibraryError(folder / "old <b>bold.sqlite",
                                  "<b>bold</b> 5 &lt; 6 page", None, [])
    lib._library_damaged(damaged)  # asks, then leaves a notice
    seen.widget(lib.notice)
    lib.notice.clear()

    with DraftStore(path, auto_backup=False) as store:  # an editor that crashed
        store.autosave(other, "Unsaved <b>bold</b> text.", title=OTHER_TITLE, client=CLIENT)
        monkeypatch.setattr(lib.library.store, "recover",
                            lambda **_: DraftStore.recover(lib.library.store, include_live=True))
    assert lib.offer_recovery()
    seen.everything()
    lib.notice.clear()

    qtbot.keyClicks(w.editor, "Mine <b>bold</b>. ")
    with DraftStore(path, auto_backup=False) as store:  # another window saves first
        store.update(first, text="Theirs <b>bold</b>.\n" + TEXT_V2)
    assert not w.save()
    assert lib.notice.key == "conflict"
    seen.everything()
    lib.compare_with_theirs()
    assert lib.load_theirs()
    qtbot.keyClicks(w.editor, "Unsaved <b>bold</b>. ")
    w.new_draft()  # unsaved changes: the question quotes the title
    assert "Unsaved <b>bold</b>. " in w.text()

    assert seen.problems == [], "\n".join(seen.problems)
    titles = " | ".join(seen.boxes)
    for expected in ("Versions of", "Preferences", "Keyboard shortcuts", "About",
                     "No backups", "Restore from a backup", "Tags", "Cannot open this file",
                     "Cannot save", "Importing drafts failed", "Empty the trash",
                     "The library is damaged", "Their version and yours", "Unsaved changes"):
        assert expected in titles, f"{expected!r} was not checked; checked: {titles}"
    # The hostile words were there, shown literally.
    assert any("draftList" in t for t in seen.tooltips), seen.tooltips
    assert any("Versions" in t or "QTreeWidget" in t for t in seen.tooltips), seen.tooltips
    row = lib.view.model.row_of(first)
    tip = lib.view.model.data(lib.view.model.index(row, 0), Qt.ItemDataRole.ToolTipRole)
    shown = QTextDocument()
    shown.setHtml(tip)  # safe: checked above to be escaped
    assert shown.toPlainText().startswith(TITLE)
    assert "Tags: <b>bold</b>, 5 &lt; 6" in shown.toPlainText()


def test_window_titles_show_a_persons_text_literally(hostile_window, inspector, qtbot):
    """"[*]" in a title is the person's, not Qt's unsaved-changes placeholder."""
    w, _path, _first, other = hostile_window
    assert w.open_draft(other)
    _idle(qtbot, w)
    assert w.windowHandle().title() == f"{OTHER_TITLE} — Post Coach"
    dialog = w.librarian.versions_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowHandle().title() == f"Versions of “{OTHER_TITLE}”"
    dialog.close()


@pytest.mark.parametrize("text", ["Close", TITLE, "5 &lt; 6\n<b>bold</b>  two  spaces",
                                  "Tags: <style>h{}</style>", "[*] & Q&A"])
def test_a_tooltip_is_rich_text_that_shows_the_text(qapp, text):
    from coach.ui.plain import tooltip

    tip = tooltip(text)
    assert QtGui.Qt.mightBeRichText(tip) and not raw(tip)  # Qt decodes it, nothing else
    shown = QTextDocument()
    shown.setHtml(tip)
    assert shown.toPlainText() == text


def test_a_long_tooltip_line_is_broken_not_laid_out_narrow(qapp):
    from coach.ui.plain import TOOLTIP_WIDTH, tooltip

    shown = QTextDocument()
    shown.setHtml(tooltip("Short first line\n" + "<b>bold</b> words " * 30))
    lines = shown.toPlainText().splitlines()
    assert lines[0] == "Short first line" and len(lines) > 3
    assert all(len(line) <= TOOLTIP_WIDTH for line in lines)
    assert " ".join(lines[1:]) == ("<b>bold</b> words " * 30).strip()


CHILD = textwrap.dedent('''
    import resource, sys, time
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))  # an abort, not a swap storm
    from PySide6.QtCore import QEvent, QSettings
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip
    from coach.library import DraftStore
    from coach.ui.app import application
    from coach.ui.session import DraftSession
    from coach.ui.window import MainWindow

    library, ini, title = sys.argv[1:4]
    with DraftStore(library, auto_backup=False) as store:
        store.add("What would you launch first?", title=title)
    app = application()
    w = MainWindow(QSettings(ini, QSettings.Format.IniFormat), DraftSession(), "",
                   library=library)
    w.show()
    table = w.librarian.view.table
    for _ in range(400):
        app.processEvents()
        if w.librarian.view.model.rowCount() and table.isVisible():
            break
        time.sleep(0.01)
    index = w.librarian.view.model.index(0, 0)
    pos = table.visualRect(index).center()
    viewport = table.viewport()
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, pos,
                                                viewport.mapToGlobal(pos)))
    for _ in range(30):
        app.processEvents()
    print("shown" if QToolTip.isVisible() else "hidden", flush=True)
    print(QToolTip.text(), flush=True)
    w.librarian.shutdown()
    w.checker.shutdown()
''')


def test_a_tooltip_over_an_img_title_does_not_abort(tmp_path):
    """The regression itself: hovering a draft titled <img src="/dev/zero"> in the list
    made Qt read /dev/zero as an image until std::bad_alloc aborted the app."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path / "library.sqlite"),
         str(tmp_path / "child.ini"), TITLE],
        capture_output=True, text=True, timeout=180,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, f"rc {done.returncode}: {done.stderr[-1500:]}"
    state, _, tip = done.stdout.partition("\n")
    assert state == "shown", done.stdout
    assert html.escape(TITLE, quote=False) in tip and TITLE not in tip


# -- no new unsafe place ----------------------------------------------------------------------

UI = Path(__file__).resolve().parents[2] / "coach" / "ui"
BOXES = {"warning", "question", "information", "critical", "about"}
INPUTS = {"getText", "getMultiLineText", "getItem"}
RICH = {"RichText", "AutoText", "MarkdownText"}
HTML = {"setHtml", "insertHtml", "setMarkdown"}
WATCHED = {"QLabel", "QMessageBox", ".setToolTip", "QToolTip.showText",
           *(f"QMessageBox.{name}" for name in BOXES), *(f"QInputDialog.{name}" for name in INPUTS),
           *(f".{name}" for name in HTML)}
# Calls that need no helper, with why; keyed by file and the call's source.
EXEMPT = {
    ("scores.py", "self.setToolTip(self.accessibleName())"): "a score and fixed words",
}


def _called(node: ast.Call) -> str:
    f = node.func
    if isinstance(f, ast.Name):
        return f.id
    if isinstance(f, ast.Attribute):
        owner = f.value.id if isinstance(f.value, ast.Name) else ""
        return f"{owner}.{f.attr}" if owner in ("QMessageBox", "QInputDialog", "QToolTip") \
            else f".{f.attr}"
    return ""


def _is_tooltip_call(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
        node.func.id == "tooltip"


def unsafe_places(source: str, name: str) -> list[str]:
    """Labels, message boxes, input dialogs and tooltips in ``source`` that bypass
    coach.ui.plain, and rich text without a ``# markup:`` comment saying why it is safe."""
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        line = lines[node.lineno - 1] if hasattr(node, "lineno") else ""
        marked = "# markup:" in line
        if isinstance(node, ast.Attribute) and node.attr in RICH and not marked:
            found.append(f"{name}:{node.lineno}: Qt.TextFormat.{node.attr} without "
                         "a '# markup:' comment")
        if not isinstance(node, ast.Call):
            continue
        call = _called(node)
        if call not in WATCHED:
            continue
        segment = ast.get_source_segment(source, node) or ""
        if (name, segment) in EXEMPT:
            continue
        where = f"{name}:{node.lineno}: {segment[:80]}"
        if call == "QLabel":
            found.append(f"{where}: use plain_label()")
        elif call.startswith("QMessageBox"):
            found.append(f"{where}: use message_box()")
        elif call.startswith("QInputDialog"):
            found.append(f"{where}: use ask_text()")
        elif call in (".setToolTip", "QToolTip.showText"):
            tip = node.args[-1] if call == ".setToolTip" and node.args else \
                node.args[1] if len(node.args) > 1 else None
            if tip is None or not _is_tooltip_call(tip):
                found.append(f"{where}: wrap the text in tooltip()")
        elif not marked:  # setHtml and the like
            found.append(f"{where}: HTML without a '# markup:' comment")
    return found


def test_the_guard_finds_unsafe_places():
    bad = textwrap.dedent('''
        a = QLabel("x", self)
        b = QMessageBox(icon, title, text)
        QMessageBox.warning(self, title, text)
        QInputDialog.getText(self, "t", "l")
        w.setToolTip(f"{title}")
        item.setToolTip(0, title)
        label.setTextFormat(Qt.TextFormat.RichText)
        view.setHtml(text)
        w.setToolTip(tooltip(title))
        label.setTextFormat(Qt.TextFormat.RichText)  # markup: escaped by preview_html
    ''')
    assert len(unsafe_places(bad, "x.py")) == 8


def test_coach_ui_shows_text_only_through_the_helpers():
    found = []
    for path in sorted(UI.glob("*.py")):
        if path.name != "plain.py":
            found += unsafe_places(path.read_text(encoding="utf-8"), path.name)
    assert found == [], "\n".join(found)
