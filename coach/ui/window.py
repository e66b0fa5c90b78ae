"""The main window: the editor, the suggestions, the scores and the preview, wired to the
live checker. Every change to the draft bumps a revision; results for an older revision
are dropped (see coach.ui.live)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from coach.analysis import LANGUAGES, Finding, Severity
from coach.textfile import UnreadableFile

from . import facts
from .dialogs import PreferencesDialog, ShortcutsDialog, about_box
from .editor import DraftEditor
from .highlight import MAX_MARKS, FindingHighlighter, Mark
from .librarian import Librarian
from .live import LiveChecker, LiveResult, Snapshot, run_count
from .offsets import OffsetMap
from .panel import Item, SuggestionPanel
from .plain import message_box, plain_label, tooltip, window_title
from .preview import PreviewCard
from .scores import ScoresView
from .session import DraftSession, read_text_file, write_text_file
from .style import accent, muted

COUNT_DEBOUNCE_MS = 30
# Findings about a whole post, paragraph or long sentence are listed but not underlined:
# a page of underlines teaches nothing. Spans up to UNDERLINE_MAX code points are, unless
# they cover most of a post.
UNDERLINE_MAX = 120
UNDERLINE_SHARE = 0.6
KEY_CHARS, KEY_CONTEXT = 80, 16  # what identifies a finding across edits


class MainWindow(QMainWindow):
    """One draft, coached live."""

    resultShown = Signal(object)  # the LiveResult now on screen (tests and benchmarks)

    def __init__(self, settings: QSettings, session: DraftSession | None = None,
                 text: str = "", *, library: str | None = None,
                 appearance_changed=None) -> None:
        super().__init__()
        self.settings = settings
        self.session = session or DraftSession()
        self.library_path = library  # None: $COACH_LIBRARY or the user's data folder
        self._appearance_changed = appearance_changed
        self._revision = 0
        self._result: LiveResult | None = None
        self._items: list[Item] = []
        self._findings: dict[Hashable, Finding] = {}
        self._count = facts.Count(0, None)
        self._shown_text = ""
        self._fold: int | None = None
        self._selecting = False
        self.quiet = False  # report problems in the status bar, not in dialogs (tests)
        self.auto_answers: dict[str, str] = {}  # answers to questions when quiet (tests)
        self.last_problem = ""
        self.disabled_globally = frozenset(
            r for r in _strings(settings.value("checks/disabled", [])) if r in facts.rules())
        self.platform_overrides = _read_overrides(settings)
        self.setWindowTitle("Post Coach")
        self.setObjectName("mainWindow")
        self.setAccessibleName("Post Coach")
        self.librarian = Librarian(self, library)

        self._build_editor()
        self._build_side()
        self._build_toolbar()
        self._build_menus()
        self._build_status()
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.writing)
        self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(1)
        self.setCentralWidget(self.splitter)

        self.checker = LiveChecker(self.snapshot, lambda: self._revision, self)
        self.checker.resultReady.connect(self._show_result)
        self.checker.busyChanged.connect(self._busy)
        # The counter and the fold follow each keystroke, on their own short timer.
        self.count_checker = LiveChecker(self.snapshot, lambda: self._revision, self,
                                         debounce_ms=COUNT_DEBOUNCE_MS, work=run_count)
        self.count_checker.resultReady.connect(self._show_count_result)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.librarian.dock)
        self._restore()
        self._set_tab_order()
        self._load_session_into_widgets()
        self.librarian.details.load(self.session)
        self.editor.setPlainText(text)
        self.editor.document().setModified(False)
        self.editor.document().clearUndoRedoStacks()
        self._refresh_title()
        if text:  # check once the window is up, so opening a file never delays showing it
            QTimer.singleShot(0, self.checker.run_now)
        # The library's list, a crash's leftovers and the day's backup: once the window is up.
        self._started = False
        QTimer.singleShot(0, self._start_library)

    def _start_library(self) -> None:
        if not self._started:
            self._started = True
            self.librarian.start()

    # -- building ----------------------------------------------------------------------
    def _build_editor(self) -> None:
        self.editor = DraftEditor(self)
        self.highlighter = FindingHighlighter(self.editor.document())
        self.highlighter.set_dim_colour(muted(self.editor.palette()))
        self.editor.document().contentsChange.connect(self._on_edit)
        self.editor.document().modificationChanged.connect(lambda _: self._refresh_title())
        self.editor.cursorPositionChanged.connect(self._cursor_moved)
        self.editor.columnChanged.connect(self.librarian.details.align_with)
        self.librarian.details.align_with(*self.editor.column_margins())
        self.banner = plain_label(self)
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName("Notice")
        self.banner.setContentsMargins(14, 8, 14, 8)
        self.banner.hide()
        self.comment = QPlainTextEdit(self)
        self.comment.setObjectName("commentEditor")
        self.comment.setAccessibleName("Comment you are replying to")
        self.comment.setPlaceholderText("Paste the comment you are answering…")
        self.comment.setTabChangesFocus(True)
        self.comment.textChanged.connect(self._comment_changed)
        self.comment_label = plain_label(self, "Replying to")
        self.comment_label.setBuddy(self.comment)
        self.reply_pane = QWidget(self)
        self.reply_pane.setAccessibleName("Reply to a comment")
        pane = QVBoxLayout(self.reply_pane)
        pane.setContentsMargins(12, 8, 12, 4)
        pane.setSpacing(4)
        pane.addWidget(self.comment_label)
        pane.addWidget(self.comment)
        self.writing_split = QSplitter(Qt.Orientation.Vertical, self)
        self.writing_split.setObjectName("writingSplitter")
        self.writing_split.addWidget(self.reply_pane)
        self.writing_split.addWidget(self.editor)
        self.writing_split.setStretchFactor(1, 1)
        self.writing_split.setSizes([120, 500])
        self.writing_split.setChildrenCollapsible(False)
        self.writing = QWidget(self)
        column = QVBoxLayout(self.writing)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.librarian.notice)
        column.addWidget(self.banner)
        column.addWidget(self.librarian.details)
        column.addWidget(self.writing_split, 1)

    def _build_side(self) -> None:
        self.scores = ScoresView(self)
        self.panel = SuggestionPanel(self)
        self.panel.activated.connect(self.go_to_finding)
        self.panel.fixRequested.connect(self.apply_fix)
        self.panel.dismissRequested.connect(self.dismiss)
        self.panel.disableRequested.connect(self.disable_for_draft)
        self.preview = PreviewCard(self)
        self.preview_note = plain_label(self)
        self.preview_note.setWordWrap(True)
        self.preview_note.setAccessibleName("About the preview")
        preview_page = QWidget(self)
        preview_page.setAccessibleName("Preview")
        page = QVBoxLayout(preview_page)
        page.setContentsMargins(12, 12, 12, 12)
        page.setSpacing(10)
        page.addWidget(self.preview)
        page.addWidget(self.preview_note)
        page.addStretch(1)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("sideTabs")
        self.tabs.setAccessibleName("Suggestions and preview")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.panel, "Suggestions")
        self.tabs.addTab(preview_page, "Preview")
        self.tabs.currentChanged.connect(self._tab_changed)
        self.tabs.tabBar().setAccessibleName("Side panel tabs")
        self.side = QWidget(self)
        self.side.setObjectName("sidePanel")
        self.side.setMinimumWidth(300)
        box = QVBoxLayout(self.side)
        box.setContentsMargins(10, 10, 6, 0)
        box.setSpacing(8)
        box.addWidget(self.scores)
        box.addWidget(self.tabs, 1)

    def _build_toolbar(self) -> None:
        bar = QToolBar("Draft", self)
        bar.setObjectName("draftToolbar")
        bar.setMovable(False)
        bar.setFloatable(False)
        bar.setAccessibleName("Draft toolbar")
        self.addToolBar(bar)
        self.platform_box = QComboBox(self)
        self.platform_box.setAccessibleName("Platform")
        self.platform_box.setToolTip(tooltip("The platform this post is for: sets the limit, "
                                             "the fold and the platform checks"))
        self.platform_box.addItem("No platform", None)
        for platform in facts.platforms():
            self.platform_box.addItem(facts.platform_name(platform), platform)
        self.platform_box.currentIndexChanged.connect(self._platform_changed)
        self.language_box = QComboBox(self)
        self.language_box.setAccessibleName("Language")
        self.language_box.setToolTip(tooltip("Detected automatically; pick one to pin it for "
                                             "this draft"))
        self.language_box.addItem("Auto", None)
        for code in LANGUAGES:
            self.language_box.addItem(facts.language_name(code), code)
        self.language_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.language_box.currentIndexChanged.connect(self._language_changed)
        self.kind_post = QToolButton(self)
        self.kind_post.setText("Post")
        self.kind_reply = QToolButton(self)
        self.kind_reply.setText("Reply")
        self.kind_group = QButtonGroup(self)
        for button, kind in ((self.kind_post, "post"), (self.kind_reply, "reply")):
            button.setCheckable(True)
            button.setAutoRaise(False)
            button.setAccessibleName(f"Draft kind: {button.text().lower()}")
            button.setToolTip(tooltip("A new post" if kind == "post" else
                                      "A reply to a comment: paste the comment above the draft"))
            self.kind_group.addButton(button)
            button.setProperty("kind", kind)
        self.kind_group.buttonClicked.connect(self._kind_changed)
        self._style_kinds()
        self.counter = plain_label(self)
        self.counter.setObjectName("counter")
        self.counter.setContentsMargins(10, 0, 10, 0)
        self.counter.setAccessibleName("Character count")
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # Wide enough for any count, so a changing number never re-lays out the toolbar.
        self.counter.setMinimumWidth(self.counter.fontMetrics().horizontalAdvance(
            "▲ 99,999 / 99,999 · 99,999 over") + 24)

        def labelled(text: str, widget: QWidget) -> QWidget:
            holder = QWidget(self)
            row = QHBoxLayout(holder)
            row.setContentsMargins(6, 0, 6, 0)
            row.setSpacing(6)
            label = plain_label(holder, text)
            label.setBuddy(widget)
            row.addWidget(label)
            row.addWidget(widget)
            return holder

        bar.addWidget(labelled("&Platform", self.platform_box))
        bar.addWidget(labelled("&Language", self.language_box))
        kinds = QWidget(self)
        row = QHBoxLayout(kinds)
        row.setContentsMargins(6, 0, 6, 0)
        row.setSpacing(0)
        row.addWidget(self.kind_post)
        row.addWidget(self.kind_reply)
        bar.addWidget(kinds)
        spacer = QWidget(self)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        bar.addWidget(self.counter)
        self.toolbar = bar

    def _style_kinds(self) -> None:
        """Post/Reply as a segmented control: the chosen kind filled with the selection
        colour. Style sheets read palette() once, so this runs again on palette changes."""
        segment = ("QToolButton {{ border: 1px solid palette(mid); padding: 3px 12px; "
                   "background: palette(button); color: palette(button-text); {radius} }}"
                   "QToolButton:checked {{ background: palette(highlight); "
                   "color: palette(highlighted-text); border-color: palette(highlight); }}")
        self.kind_post.setStyleSheet(segment.format(
            radius="border-top-left-radius: 4px; border-bottom-left-radius: 4px;"))
        self.kind_reply.setStyleSheet(segment.format(
            radius="border-top-right-radius: 4px; border-bottom-right-radius: 4px;"
                   "border-left: none;"))

    def _action(self, menu, text: str, slot, shortcut=None, name: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            keys = QKeySequence(shortcut)
            action.setShortcut(keys)
        action.triggered.connect(slot)
        if name:
            action.setObjectName(name)
        menu.addAction(action)
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        keys = QKeySequence.StandardKey
        bar = self.menuBar()
        m = bar.addMenu("&File")
        self.act_new = self._action(m, "&New draft", self.new_draft, keys.New, "new")
        self.act_open = self._action(m, "&Open text file…", self.open_file_dialog, keys.Open,
                                     "open")
        m.addSeparator()
        self.act_save = self._action(m, "&Save", self.save, keys.Save, "save")
        self.act_save_as = self._action(m, "Save &as text file…", self.save_as_dialog,
                                        keys.SaveAs, "saveAs")
        m.addSeparator()
        lib = self.librarian
        self.act_import = self._action(m, "&Import drafts…", lib.import_dialog, None, "import")
        self._action(m, "Import a folder of &Markdown files…", lib.import_folder_dialog, None,
                     "importFolder")
        self.act_export = self._action(m, "&Export the listed drafts…", lib.export_dialog, None,
                                       "export")
        m.addSeparator()
        self.act_backup = self._action(m, "&Back up now", lib.backup_now, None, "backupNow")
        self.act_restore_backup = self._action(m, "Restore from bac&kup…", lib.restore_dialog,
                                               None, "restoreBackup")
        m.addSeparator()
        self.act_quit = self._action(m, "&Quit", self.close, keys.Quit, "quit")
        self.act_quit.setMenuRole(QAction.MenuRole.QuitRole)

        m = bar.addMenu("&Edit")
        self.act_undo = self._action(m, "&Undo", self.editor.undo, keys.Undo, "undo")
        self.act_redo = self._action(m, "&Redo", self.editor.redo, keys.Redo, "redo")
        self.act_undo.setEnabled(False)
        self.act_redo.setEnabled(False)
        self.editor.undoAvailable.connect(self.act_undo.setEnabled)
        self.editor.redoAvailable.connect(self.act_redo.setEnabled)
        m.addSeparator()
        self._action(m, "Cu&t", self.editor.cut, keys.Cut, "cut")
        self._action(m, "&Copy", self.editor.copy, keys.Copy, "copy")
        self._action(m, "&Paste", self.editor.paste, keys.Paste, "paste")
        self._action(m, "Select &all", self.editor.selectAll, keys.SelectAll, "selectAll")
        m.addSeparator()
        self.act_next = self._action(m, "&Next suggestion", self.next_finding, "F8", "next")
        self.act_prev = self._action(m, "P&revious suggestion", self.previous_finding,
                                     "Shift+F8", "previous")
        self.act_fix = self._action(m, "Apply &fix", self.apply_current_fix, "Ctrl+.", "fix")
        self.act_dismiss = self._action(m, "&Dismiss suggestion", self.dismiss_current,
                                        "Ctrl+Shift+D", "dismiss")
        self.act_restore = self._action(m, "Restore dismissed suggestions",
                                        self.restore_dismissed, None, "restore")
        m.addSeparator()
        prefs = QKeySequence(keys.Preferences)
        self.act_prefs = self._action(m, "Pr&eferences…", self.open_preferences,
                                      prefs if not prefs.isEmpty() else "Ctrl+,", "preferences")
        self.act_prefs.setMenuRole(QAction.MenuRole.PreferencesRole)

        m = bar.addMenu("&Library")
        self.act_find = self._action(m, "&Find in the library", self.find_in_library, keys.Find,
                                     "findInLibrary")
        self.act_library = lib.dock.toggleViewAction()
        self.act_library.setText("Show the &library")
        self.act_library.setShortcut(QKeySequence("Ctrl+L"))
        self.act_library.setObjectName("showLibrary")
        m.addAction(self.act_library)
        self.addAction(self.act_library)
        self.act_versions = self._action(m, "&Versions of this draft…", lib.show_versions,
                                         "Ctrl+Shift+H", "versions")
        m.addSeparator()
        self.act_duplicate = self._action(m, "&Duplicate the selected draft",
                                          lib.view.duplicate_current, "Ctrl+D", "duplicate")
        self._action(m, "Move the selected drafts to the &trash", lib.view.delete_selected,
                     None, "trash")
        self._action(m, "Show the t&rash", lambda: (self.find_in_library(),
                                                   lib.view.show_trash(True)), None,
                     "showTrash")

        m = bar.addMenu("&View")
        self._action(m, "Zoom &in", self.editor.zoom_in, keys.ZoomIn, "zoomIn")
        self._action(m, "Zoom &out", self.editor.zoom_out, keys.ZoomOut, "zoomOut")
        self._action(m, "&Actual size", self.editor.zoom_reset, "Ctrl+0", "zoomReset")
        m.addSeparator()
        self._action(m, "&Suggestions", lambda: self.tabs.setCurrentIndex(0), "Ctrl+1",
                     "showSuggestions")
        self._action(m, "&Preview", lambda: self.tabs.setCurrentIndex(1), "Ctrl+2",
                     "showPreview")
        m.addSeparator()
        look = m.addMenu("Appearance")
        self.appearance_group = QActionGroup(self)
        for key, text in (("system", "Follow the system"), ("light", "Light"),
                          ("dark", "Dark")):
            action = QAction(text, self, checkable=True)
            action.setData(key)
            action.triggered.connect(lambda _=False, k=key: self.set_appearance(k))
            self.appearance_group.addAction(action)
            look.addAction(action)

        m = bar.addMenu("&Help")
        self.act_shortcuts = self._action(m, "&Keyboard shortcuts", self.show_shortcuts,
                                          keys.HelpContents, "shortcuts")
        self.act_about = self._action(m, "&About Post Coach", self.show_about, None, "about")
        self.act_about.setMenuRole(QAction.MenuRole.AboutRole)

    def _build_status(self) -> None:
        status = self.statusBar()
        status.setSizeGripEnabled(True)
        self.busy_label = plain_label(self)
        self.busy_label.setAccessibleName("Checking status")
        self.stats_label = plain_label(self)
        self.stats_label.setAccessibleName("Draft statistics")
        self.language_label = plain_label(self)
        self.language_label.setAccessibleName("Language of the draft")
        status.addPermanentWidget(self.librarian.tasks)
        for label in (self.busy_label, self.stats_label, self.language_label):
            label.setContentsMargins(8, 0, 8, 0)
            status.addPermanentWidget(label)

    def _set_tab_order(self) -> None:
        chain = [self.platform_box, self.language_box, self.kind_post, self.kind_reply,
                 *self.librarian.details.widgets(), self.comment, self.editor, self.panel]
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)

    # -- settings ----------------------------------------------------------------------
    def _restore(self) -> None:
        s = self.settings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 820)
            width = self.screen().availableGeometry().width() if self.screen() else 1400
            self.resizeDocks([self.librarian.dock], [max(380, min(540, int(width * 0.36)))],
                             Qt.Orientation.Horizontal)
        state = s.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        for splitter, key in ((self.splitter, "window/splitter"),
                              (self.writing_split, "window/writingSplitter")):
            sizes = s.value(key)
            if isinstance(sizes, QByteArray):
                splitter.restoreState(sizes)
        if not isinstance(s.value("window/splitter"), QByteArray):
            self.splitter.setSizes([700, 460])
        try:
            size = float(s.value("editor/pointSize", self.editor.point_size))
        except (TypeError, ValueError):
            size = self.editor.point_size
        self.editor.set_point_size(size)
        if self.session.platform is None:
            last = s.value("draft/platform", "")
            self.session.platform = last if last in facts.platforms() else None
        appearance = s.value("view/appearance", "system")
        for action in self.appearance_group.actions():
            action.setChecked(action.data() == appearance)
        self.librarian.view.set_sort(str(s.value("library/sort", "-updated")))

    def save_settings(self) -> None:
        """Remember the window, the panels, the font size and the last platform."""
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("window/writingSplitter", self.writing_split.saveState())
        s.setValue("editor/pointSize", self.editor.point_size)
        s.setValue("draft/platform", self.session.platform or "")
        s.setValue("checks/disabled", sorted(self.disabled_globally))
        s.setValue("library/sort", self.librarian.view.model.sort_key)
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self.maybe_discard():
            event.ignore()
            return
        self.librarian.shutdown()
        self.checker.shutdown()
        self.count_checker.shutdown()
        self.save_settings()
        super().closeEvent(event)

    # -- the draft and its choices -----------------------------------------------------
    def _load_session_into_widgets(self) -> None:
        s = self.session
        with QSignalBlocker(self.platform_box):
            self.platform_box.setCurrentIndex(max(0, self.platform_box.findData(s.platform)))
        with QSignalBlocker(self.language_box):
            self.language_box.setCurrentIndex(max(0, self.language_box.findData(s.language)))
        (self.kind_reply if s.kind == "reply" else self.kind_post).setChecked(True)
        with QSignalBlocker(self.comment):
            self.comment.setPlainText(s.comment)
        self.reply_pane.setVisible(s.kind == "reply")
        self._update_language_label(None)

    def _bump(self, *, now: bool = False) -> None:
        self._revision += 1
        self.count_checker.schedule()
        if now:
            self.checker.run_now()
        else:
            self.checker.schedule()

    def _show_count_result(self, result: LiveResult) -> None:
        self._update_count_and_fold(result.text, result.offsets, result.count, result.fold)

    @property
    def revision(self) -> int:
        return self._revision

    def snapshot(self) -> Snapshot:
        """A copy of the draft and its choices for one analysis (taken on the GUI thread)."""
        s = self.session
        return Snapshot(self._revision, self.editor.toPlainText(), s.language, s.platform,
                        s.kind, s.comment,
                        s.settings(self.disabled_globally, self.platform_overrides))

    def text(self) -> str:
        """The draft's text as it is now."""
        return self.editor.toPlainText()

    def _on_edit(self, pos: int, removed: int, added: int) -> None:
        if removed == 0 and added == 0:
            return
        self._bump()
        self.librarian.buffer_edited()

    def _platform_changed(self, index: int) -> None:
        self.session.platform = self.platform_box.itemData(index)
        self.settings.setValue("draft/platform", self.session.platform or "")
        self._bump(now=True)
        self._choice_changed()

    def _language_changed(self, index: int) -> None:
        self.session.language = self.language_box.itemData(index)
        self._bump(now=True)
        self._choice_changed()

    def _kind_changed(self, button) -> None:
        self.session.kind = button.property("kind")
        self.reply_pane.setVisible(self.session.kind == "reply")
        if self.session.kind == "reply" and not self.comment.toPlainText():
            self.comment.setFocus()
        self._bump(now=True)
        self._choice_changed()

    def _comment_changed(self) -> None:
        self.session.comment = self.comment.toPlainText()
        self._bump()
        self._choice_changed()

    def _choice_changed(self) -> None:
        """Platform, language, kind or comment changed: part of the draft to keep."""
        self.librarian.buffer_edited()
        self.refresh_title()

    def set_platform(self, platform: str | None) -> None:
        """Choose the platform (None: no platform), as the toolbar picker does."""
        self.platform_box.setCurrentIndex(max(0, self.platform_box.findData(platform)))

    def set_language(self, language: str | None) -> None:
        """Pin the draft's language (None: detect it), as the toolbar picker does."""
        self.language_box.setCurrentIndex(max(0, self.language_box.findData(language)))

    def set_kind(self, kind: str) -> None:
        """Make the draft a "post" or a "reply" (which shows the comment field)."""
        button = self.kind_reply if kind == "reply" else self.kind_post
        button.click()

    # -- showing results ---------------------------------------------------------------
    def _update_count_and_fold(self, text: str, offsets: OffsetMap, count: facts.Count,
                               fold: int | None) -> None:
        platform = self.session.platform
        self._show_count(count)
        if fold is None:
            self.editor.set_fold(None)
            self.highlighter.set_fold(None)
        else:
            self.editor.set_fold(offsets.to_utf16(fold),
                                 f"{facts.platform_name(platform)}: “…see more” here")
            self.highlighter.set_fold(self.editor.fold_position)
        self._fold = fold
        self.preview_note.setText(self._fold_note(platform))
        self._shown_text = text
        if self.tabs.currentIndex() == 1:
            self.preview.show_post(text, platform, fold, count)

    def _fold_note(self, platform: str | None) -> str:
        if not platform:
            return "Pick a platform to see the post as its readers first see it."
        name = facts.platform_name(platform)
        chars = facts.fold_chars(platform, self.platform_overrides.get(platform))
        if not chars:
            return f"{name} shows the whole post in the feed."
        return (f"{name} shows about the first {chars:,} characters; the rest hides behind "
                "“…see more”. In the editor, the hidden part is dimmed: put the hook and "
                "your question before it.")

    def _show_count(self, count: facts.Count) -> None:
        self._count = count
        about = "" if count.exact else "≈ "
        if count.limit:
            text = f"{about}{count.used:,} / {count.limit:,}"
            if count.over:
                text = f"▲ {text} · {count.over:,} over"
            name = (f"Characters: {count.used} of {count.limit}"
                    + (f", {count.over} over the limit" if count.over else ""))
        else:
            text = f"{about}{count.used:,} characters"
            name = f"Characters: {about}{count.used}"
        _set_text(self.counter.text(), text, self.counter.setText)
        _set_text(self.counter.accessibleName(), name, self.counter.setAccessibleName)
        over = bool(count.over)
        if self.counter.property("over") != over or self.counter.property("palette") != \
                self.palette().cacheKey():
            self.counter.setProperty("over", over)
            self.counter.setProperty("palette", self.palette().cacheKey())
            colour = accent(Severity.ERROR).name() if over else muted(self.palette()).name()
            weight = "font-weight: 600;" if over else ""
            self.counter.setStyleSheet(f"color: {colour}; {weight}")

    def _busy(self, busy: bool) -> None:
        self.busy_label.setText("Checking…" if busy else "")

    def _show_result(self, result: LiveResult) -> None:
        self._result = result
        report = result.report
        text = result.text
        self._update_count_and_fold(text, result.offsets, result.count, result.fold)
        if report is None or not text.strip():
            self._items, self._findings = [], {}
            self.highlighter.set_marks([])
            self.panel.set_items([])
            self.panel.set_empty_text(result.problem or
                                      "Start writing: suggestions appear here as you type.")
            self.scores.set_scores(None)
            self._set_banner(result.problem)
            self._update_language_label(report)
            self._update_stats(text, report)
            self._result_kept(result)
            return
        self._set_banner("")
        seen: Counter[tuple[str, str, str]] = Counter()
        items: list[Item] = []
        underline: list[Item] = []
        findings: dict[Hashable, Finding] = {}
        longest = min(UNDERLINE_MAX, UNDERLINE_SHARE * len(text)) if len(text) > 40 \
            else UNDERLINE_MAX
        for f in report.findings:
            if self.session.dismissed and self.session.is_dismissed(f, text):
                continue
            # A finding's identity does not depend on where it starts: its rule, its text
            # and a few characters before it (typing elsewhere keeps every key).
            base = (f.rule, text[f.start:min(f.end, f.start + KEY_CHARS)],
                    text[max(0, f.start - KEY_CONTEXT):f.start])
            key = (*base, seen[base])
            seen[base] += 1
            item = Item(key, f, text)
            items.append(item)
            findings[key] = f
            if f.end - f.start <= longest:
                underline.append(item)
        if len(underline) > MAX_MARKS:  # the worst ones, to spare converting the rest
            underline.sort(key=lambda i: -i.finding.severity)
            del underline[MAX_MARKS:]
        span = result.offsets.span_to_utf16
        marks = [Mark(*span(i.finding.start, i.finding.end), i.finding.severity, i.key)
                 for i in underline]
        self._items, self._findings = items, findings
        self.highlighter.set_marks(marks)
        self.panel.set_empty_text("Nothing to change: this draft reads well." if
                                  not report.findings else
                                  "All suggestions dismissed. Edit ▸ Restore brings them back.")
        self.panel.set_items(items)
        self.scores.set_scores(report.scores)
        n = len(items)
        _set_text(self.tabs.tabText(0), f"Suggestions ({n})" if n else "Suggestions",
                  lambda t: self.tabs.setTabText(0, t))
        self._update_language_label(report)
        self._update_stats(text, report)
        self._result_kept(result)

    def _result_kept(self, result: LiveResult) -> None:
        self.librarian.result_shown(result)
        self.refresh_title()  # a title that follows the first line
        self.resultShown.emit(result)

    def _tab_changed(self, index: int) -> None:
        if index == 1:
            self.preview.show_post(self._shown_text, self.session.platform, self._fold,
                                   self._count)

    def _set_banner(self, message: str) -> None:
        if message:
            pal = self.palette()
            tint = accent(Severity.WARNING)
            self.banner.setStyleSheet(
                f"background: rgba({tint.red()},{tint.green()},{tint.blue()},40);"
                f"color: {pal.color(QPalette.ColorRole.WindowText).name()};")
        _set_text(self.banner.text(), message, self.banner.setText)
        if self.banner.isVisibleTo(self) != bool(message):
            self.banner.setVisible(bool(message))

    def _update_language_label(self, report) -> None:
        detected = report.language if report is not None else None
        with QSignalBlocker(self.language_box):
            auto = "Auto" if detected is None or report.language_source != "detected" \
                else f"Auto ({facts.language_name(detected)})"
            _set_text(self.language_box.itemText(0), auto,
                      lambda t: self.language_box.setItemText(0, t))
        if report is None:
            self.language_label.setText("")
        else:
            how = "detected" if report.language_source == "detected" else "pinned"
            self.language_label.setText(f"{facts.language_name(report.language)} ({how})")

    def _update_stats(self, text: str, report) -> None:
        if report is None:
            self.stats_label.setText("")
            return
        words = report.metrics.get("words", 0)
        sentences = report.metrics.get("sentences", 0)
        self.stats_label.setText(f"{words:,} word{'s' if words != 1 else ''} · "
                                 f"{sentences:,} sentence{'s' if sentences != 1 else ''}")

    @property
    def result(self) -> LiveResult | None:
        return self._result

    def items(self) -> list[Item]:
        return list(self._items)

    # -- acting on findings -----------------------------------------------------------
    def _position(self, key: Hashable) -> tuple[int, int] | None:
        """Where finding ``key`` is now in the document (it follows edits)."""
        for m in self.highlighter.marks:
            if m.key == key:
                return m.start, m.end
        f = self._findings.get(key)
        if f is None or self._result is None:
            return None
        return self._result.offsets.span_to_utf16(f.start, f.end)

    def go_to_finding(self, key: Hashable, *, focus: bool = True) -> None:
        """Select the finding's span in the editor and mark its card as current."""
        span = self._position(key)
        if span is None:
            return
        self.tabs.setCurrentIndex(0)
        self.panel.select(key)
        self._selecting = True
        self.editor.select_range(*span)
        self._selecting = False
        if focus:
            self.editor.setFocus()

    def _cursor_moved(self) -> None:
        if self._selecting or not self._items:
            return
        pos = self.editor.textCursor().position()
        for m in self.highlighter.marks:
            if m.start <= pos <= m.end:
                self.panel.select(m.key, scroll=False)  # typing never scrolls the panel
                return

    def _ordered_keys(self) -> list[tuple[int, Hashable]]:
        keys = []
        for item in self._items:
            span = self._position(item.key)
            if span is not None:
                keys.append((span[0], item.key))
        keys.sort(key=lambda k: k[0])
        return keys

    def next_finding(self) -> None:
        self._step(+1)

    def previous_finding(self) -> None:
        self._step(-1)

    def _step(self, direction: int) -> None:
        keys = self._ordered_keys()
        if not keys:
            busy = not (self.checker.is_idle() and self._result is not None
                        and self._result.revision == self._revision)
            self.statusBar().showMessage("Still checking the draft…" if busy else
                                         "No suggestions for this draft.", 3000)
            return
        current = self.panel.selected_key
        order = [k for _, k in keys]
        if current in order:
            i = (order.index(current) + direction) % len(order)
        else:
            pos = self.editor.textCursor().selectionStart()
            after = [i for i, (start, _) in enumerate(keys) if
                     (start > pos if direction > 0 else start < pos)]
            i = (after[0] if direction > 0 else after[-1]) if after else \
                (0 if direction > 0 else len(order) - 1)
        self.go_to_finding(order[i])

    def apply_fix(self, key: Hashable) -> bool:
        """Apply the finding's quick fix as one undoable edit. False when it cannot."""
        f = self._findings.get(key)
        span = self._position(key)
        if f is None or f.fix is None or span is None or self._result is None:
            return False
        current = self.editor.toPlainText()
        expected = self._result.text[f.start:f.end]
        offsets = OffsetMap(current)
        cp_start, cp_end = offsets.to_codepoint(span[0]), offsets.to_codepoint(span[1])
        if current[cp_start:cp_end] != expected:
            # The text moved under the finding since it was found: check again first.
            self.statusBar().showMessage("The draft changed; checking again…", 2000)
            self.checker.run_now()
            return False
        self.editor.replace_range(span[0], span[1], f.fix)
        self.panel.select(None)
        self.editor.setFocus()
        self.checker.run_now()
        return True

    def current_key(self) -> Hashable | None:
        """The finding in focus: the current card, else the one under the text cursor."""
        key = self.panel.selected_key
        if key is None:
            pos = self.editor.textCursor().position()
            for m in self.highlighter.marks:
                if m.start <= pos <= m.end:
                    return m.key
        return key

    def apply_current_fix(self) -> None:
        key = self.current_key()
        if key is None or not self.apply_fix(key):
            self.statusBar().showMessage("No quick fix here.", 2000)

    def dismiss(self, key: Hashable) -> None:
        """Hide a finding for this draft (it stays hidden while its text reads the same)."""
        f = self._findings.get(key)
        if f is None or self._result is None:
            return
        self.session.dismiss(f, self._result.text)
        self._show_result(self._result)

    def dismiss_current(self) -> None:
        key = self.current_key()
        if key is not None:
            self.dismiss(key)

    def restore_dismissed(self) -> None:
        """Bring back dismissed findings and checks switched off for this draft."""
        self.session.dismissed.clear()
        self.session.disabled.clear()
        self._bump(now=True)

    def disable_for_draft(self, rule: str) -> None:
        """Switch one check off for this draft only."""
        self.session.disabled.add(rule)
        spec = facts.rule_spec(rule)
        self.statusBar().showMessage(
            f"“{spec.title if spec else rule}” is off for this draft "
            "(Edit ▸ Restore dismissed suggestions turns it back on).", 5000)
        self._bump(now=True)

    # -- files -------------------------------------------------------------------------
    def refresh_title(self) -> None:
        """The window title: the draft's name, and [*] while something is unsaved."""
        s = self.session
        text = self.text()
        name = s.path.name if s.path and s.draft_id is None else s.display_title(text)
        _set_text(self.windowTitle(), f"{window_title(name)}[*] — Post Coach",
                  self.setWindowTitle)
        self.setWindowModified(s.is_dirty(text, self.editor.document().isModified()))

    _refresh_title = refresh_title

    def is_dirty(self) -> bool:
        """Whether the editor holds changes that are not saved anywhere yet."""
        return self.librarian.is_dirty()

    def maybe_discard(self) -> bool:
        """Ask before leaving unsaved changes (save them, let them go, or stay); True when
        it is fine to go on."""
        if not self.is_dirty():
            return True
        name = self.session.display_title(self.text())
        if self.librarian.library.writable:
            answer = self.librarian.ask(
                "unsaved", "Unsaved changes",
                f"“{name}” has changes that are not saved yet. Save them to the library?",
                [("save", "Save"), ("discard", "Don't save"), ("cancel", "Cancel")],
                "save", quiet_default="discard")
            if answer == "save":
                return self.save()
            return answer == "discard"
        if self.quiet:
            return self.auto_answers.get("unsaved", "discard") == "discard"
        box = message_box(QMessageBox.Icon.Question, "Unsaved draft", "This draft has changes "
                          "that are not saved. Discard them?", self)
        box.setStandardButtons(QMessageBox.StandardButton.Discard |
                               QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is box.button(QMessageBox.StandardButton.Discard)

    def load_session(self, session: DraftSession, text: str, *, modified: bool = False,
                     keep_cursor: bool = False) -> None:
        """Show another draft: its choices and its text (the undo history starts afresh).

        ``modified``: the text is not saved yet (a recovered buffer).
        """
        position = self.editor.textCursor().position() if keep_cursor else 0
        self.session = session
        self._load_session_into_widgets()
        self.editor.setPlainText(text)
        if position:
            cursor = self.editor.textCursor()
            cursor.setPosition(min(position, len(self.editor.toPlainText())))
            self.editor.setTextCursor(cursor)
        self.editor.document().clearUndoRedoStacks()
        self.editor.document().setModified(modified)
        self.librarian.buffer_replaced()
        self.refresh_title()
        self._bump(now=True)

    def reload_choices(self) -> None:
        """Show the session's platform, language, kind and comment again (and re-check)."""
        self._load_session_into_widgets()
        self._bump(now=True)

    def find_in_library(self) -> None:
        """Show the library and put the cursor in its search box (Ctrl+F)."""
        dock = self.librarian.dock
        if not dock.isVisible():
            dock.show()
        dock.raise_()
        self.librarian.view.focus_search()

    def open_draft(self, draft_id: int) -> bool:
        """Open a draft of the library (asking about unsaved changes first)."""
        return self.librarian.open_draft(draft_id)

    def new_draft(self) -> None:
        """Start an empty draft (keeping the platform), after asking about unsaved text."""
        if not self.maybe_discard():
            return
        self.load_session(DraftSession(platform=self.session.platform), "")
        self.editor.setFocus()

    def open_file(self, path: str | Path) -> bool:
        """Open a text file as a new draft; a clear message when it cannot be read."""
        try:
            text = read_text_file(path)
        except UnreadableFile as exc:
            self.show_problem("Cannot open this file", str(exc))
            return False
        self.load_session(DraftSession(path=Path(path), platform=self.session.platform), text)
        return True

    def open_file_dialog(self) -> None:
        if not self.maybe_discard():
            return
        path, _ = QFileDialog.getOpenFileName(self, "Open a text file", str(Path.home()),
                                              "Text files (*.txt *.md);;All files (*)")
        if path:
            self.open_file(path)

    def save(self) -> bool:
        """Save the draft to the library as a new version (without a library: to its text
        file, asking for one the first time)."""
        if self.librarian.library.available:
            return self.librarian.save()
        if self.session.path is None:
            return self.save_as_dialog()
        return self.save_to(self.session.path)

    def save_to(self, path: str | Path) -> bool:
        """Write the draft to ``path`` as UTF-8 text; a clear message when it cannot."""
        try:
            write_text_file(path, self.text())
        except OSError as exc:
            self.show_problem("Cannot save", f"“{path}” cannot be written: "
                                             f"{exc.strerror or exc}.")
            return False
        self.session.path = Path(path)
        self.editor.document().setModified(False)
        self._refresh_title()
        self.statusBar().showMessage(f"Saved to {path}", 3000)
        return True

    def save_as_dialog(self) -> bool:
        name = self.session.display_title(self.text())[:60].replace("/", "-")
        start = str(self.session.path or Path.home() / f"{name}.txt")
        path, _ = QFileDialog.getSaveFileName(self, "Save as a text file", start,
                                              "Text files (*.txt)")
        return self.save_to(path) if path else False

    def show_problem(self, title: str, message: str) -> None:
        """Tell the person what went wrong, in a dialog (or the status bar when testing)."""
        self.last_problem = message
        if self.quiet:
            self.statusBar().showMessage(message, 8000)
            return
        message_box(QMessageBox.Icon.Warning, title, message, self).exec()

    # -- dialogs -----------------------------------------------------------------------
    def preferences_dialog(self) -> PreferencesDialog:
        look = self.settings.value("view/appearance", "system")
        return PreferencesDialog(self.disabled_globally, self.editor.point_size, look, self,
                                 overrides=self.platform_overrides)

    def open_preferences(self) -> None:
        dialog = self.preferences_dialog()
        if dialog.exec() == PreferencesDialog.DialogCode.Accepted:
            self.apply_preferences(dialog)

    def apply_preferences(self, dialog: PreferencesDialog) -> None:
        overrides = dialog.overrides()
        for platform, changed in overrides.items():
            for fact, value in changed.items():
                problem = facts.override_problem(fact, value)  # the engine's own check
                if problem is not None:
                    name = facts.platform_name(platform)
                    self.show_problem("Preferences not saved", "The preferences were not "
                                      f"saved: the {fact} of {name} {problem}.")
                    return
        self.disabled_globally = dialog.disabled()
        self.settings.setValue("checks/disabled", sorted(self.disabled_globally))
        self.platform_overrides = overrides
        self.settings.remove("platforms")
        for platform, facts_ in self.platform_overrides.items():
            for key, value in facts_.items():
                self.settings.setValue(f"platforms/{platform}/{key}", value)
        self.editor.set_point_size(dialog.font_size.value())
        self.set_appearance(dialog.appearance.currentData())
        self._bump(now=True)

    def set_appearance(self, key: str) -> None:
        self.settings.setValue("view/appearance", key)
        for action in self.appearance_group.actions():
            action.setChecked(action.data() == key)
        if self._appearance_changed is not None:
            self._appearance_changed(key)
        QTimer.singleShot(0, self._repaint_colours)

    def _repaint_colours(self) -> None:
        self._style_kinds()
        self.highlighter.set_dim_colour(muted(self.editor.palette()))
        if self._result is not None:
            self._show_count(self._count)
            self.preview._state = ()
            self._update_count_and_fold(self._result.text, self._result.offsets,
                                        self._result.count, self._result.fold)

    def shortcuts_dialog(self) -> ShortcutsDialog:
        return ShortcutsDialog(self.actions(), self)

    def show_shortcuts(self) -> None:
        self.shortcuts_dialog().exec()

    def show_about(self) -> None:
        about_box(self).exec()

    def changeEvent(self, event) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange and hasattr(self, "counter"):
            QTimer.singleShot(0, self._repaint_colours)
        if event.type() == event.Type.ActivationChange and self.isActiveWindow() and \
                hasattr(self, "librarian") and self._started:
            self.librarian.window_activated()


def _set_text(old: str, new: str, setter) -> None:
    """Set a text only when it changes: a same-text set still re-lays out some widgets."""
    if old != new:
        setter(new)


def _read_overrides(settings: QSettings) -> dict[str, dict[str, int]]:
    """Platform facts changed in the preferences: platforms/<name>/<limit|fold>. A value
    the engine would not take (edited by hand, or from another version) is left out: the
    shipped fact stands."""
    out: dict[str, dict[str, int]] = {}
    for platform in facts.platforms():
        for key in ("limit", "fold"):
            value = settings.value(f"platforms/{platform}/{key}")
            try:
                number = int(value)
            except (TypeError, ValueError, OverflowError):
                continue
            if facts.override_problem(key, number) is None:
                out.setdefault(platform, {})[key] = number
    return out


def _strings(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in value]

