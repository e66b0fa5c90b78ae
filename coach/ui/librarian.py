"""The window's keeper of drafts: opening and saving library drafts, autosave and crash
recovery, conflicts with other windows, backups, import and export.

Nothing the person typed is ever lost on the way: the open buffer is autosaved (no
version) within two seconds of the last keystroke, on a background lane so typing never
waits; a save that meets another window's save first shows the choice (keep mine, save a
copy, load theirs) instead of overwriting; a full disk or read-only folder keeps the text
in the editor and says so; long work runs on a worker with a progress bar.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QMessageBox,
    QProgressBar,
    QTextBrowser,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coach.analysis import Severity
from coach.library import (
    Autosave,
    BackupInfo,
    Cancelled,
    ConflictError,
    CorruptLibraryError,
    Draft,
    DraftNotFound,
    DraftStore,
    ImportResult,
    LibraryBusyError,
    LibraryError,
    SaveFailedError,
    derive_title,
    list_backups,
    restore_file,
    word_changes,
)

from .details import DraftDetails, NoticeBar
from .library import LANE_TIMEOUT, Library
from .library_model import when
from .library_view import LibraryView
from .live import SYNC_LIMIT, run_snapshot
from .plain import message_box, plain_label, tooltip
from .session import DraftSession
from .versions import VersionsDialog, change_summary, diff_html

if TYPE_CHECKING:
    from .window import MainWindow

_log = logging.getLogger("coach.ui")
AUTOSAVE_PAUSE_MS = 1000  # autosave this long after the last keystroke...
AUTOSAVE_MAX_MS = 2000  # ...and at least this often while typing without a pause
AUTOSAVE_RETRY_MS = 2000  # the library was busy (an import): try again
AUTO_BACKUP_DELAY_MS = 5000  # the day's backup, a moment after start (never slows it)
AUTO_BACKUP_EVERY_MS = 3 * 3600 * 1000


def sentence(exc: Exception | str) -> str:
    """An error message as a sentence for a person (capital first, full stop last)."""
    text = str(exc).strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{max(1, n // 1000)} kB"


class TaskProgress(QWidget):
    """Long work in the status bar: what runs, a progress bar, and Cancel when it can."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Background task")
        self.label = plain_label(self)
        self.bar = QProgressBar(self)
        self.bar.setAccessibleName("Progress")
        self.bar.setMaximumWidth(180)
        self.bar.setMaximumHeight(14)
        self.bar.setTextVisible(False)
        self.cancel_button = QToolButton(self)
        self.cancel_button.setText("Cancel")
        self.cancel_button.setAccessibleName("Cancel the task")
        self.cancel_button.clicked.connect(self.cancel)
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 0, 6, 0)
        row.setSpacing(6)
        row.addWidget(self.label)
        row.addWidget(self.bar)
        row.addWidget(self.cancel_button)
        self.job = None
        self.updates = 0  # progress reports shown (tests)
        self.hide()

    def start(self, name: str, job, cancellable: bool) -> None:
        self.job = job
        self.updates = 0
        self.label.setText(name + "…")
        self.bar.setRange(0, 0)  # busy until the first report
        self.cancel_button.setVisible(cancellable)
        self.cancel_button.setEnabled(True)
        self.show()

    def set_progress(self, done: int, total: int) -> None:
        self.updates += 1
        if total <= 0:
            self.bar.setRange(0, 0)
            return
        scale = max(1, total // 1_000_000 + 1)  # QProgressBar counts in ints
        self.bar.setRange(0, total // scale)
        self.bar.setValue(min(done, total) // scale)
        self.bar.setAccessibleDescription(f"{done:,} of {total:,}")

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.label.setText(self.label.text().rstrip("…") + " (cancelling)…")

    def finish(self) -> None:
        self.job = None
        self.hide()

    @property
    def running(self) -> bool:
        return self.job is not None


class BackupsDialog(QDialog):
    """The backups of a library with their dates, to pick one to restore."""

    def __init__(self, backups: Sequence[BackupInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from a backup")
        self.setAccessibleName("Restore from a backup")
        self.resize(620, 380)
        self.backups = list(backups)
        intro = plain_label(self, "Pick a backup to bring back. The library as it is now is "
                            "moved aside (kept as a file, not deleted).")
        intro.setWordWrap(True)
        self.list = QTreeWidget(self)
        self.list.setAccessibleName("Backups")
        self.list.setHeaderLabels(["Made", "Kind", "Size"])
        self.list.setRootIsDecorated(False)
        kinds = {"auto": "automatic (daily)", "manual": "made by hand",
                 "pre-migration": "before an upgrade"}
        for info in self.backups:
            item = QTreeWidgetItem([f"{info.created:%a %d %b %Y, %H:%M}",
                                    kinds.get(info.kind, info.kind), _size(info.size)])
            item.setToolTip(0, tooltip(str(info.path)))
            self.list.addTopLevelItem(item)
        for column in range(3):
            self.list.resizeColumnToContents(column)
        if self.backups:
            self.list.setCurrentItem(self.list.topLevelItem(0))
        buttons = QDialogButtonBox(self)
        self.restore_button = buttons.addButton("Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(bool(self.backups))
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.itemDoubleClicked.connect(lambda *_: self.accept())
        box = QVBoxLayout(self)
        box.addWidget(intro)
        box.addWidget(self.list, 1)
        box.addWidget(buttons)

    def chosen(self) -> BackupInfo | None:
        index = self.list.indexOfTopLevelItem(self.list.currentItem()) \
            if self.list.currentItem() else -1
        return self.backups[index] if 0 <= index < len(self.backups) else None


class Librarian(QObject):
    """Connects one main window to the drafts library (see the module docstring)."""

    autosaved = Signal(int)  # characters kept by an autosave (tests, the crash test child)
    saved = Signal(object)  # the Draft as saved
    taskDone = Signal(str, object)  # a task's name and its result (or the exception)

    def __init__(self, window: MainWindow, path: str | Path | None) -> None:
        super().__init__(window)
        self.w = window
        self.library = Library(path, self)
        self.library.open()
        self._token = 0  # which buffer the editor holds (a new one per loaded draft)
        self._slots: dict[int, int] = {}  # buffer -> autosave slot; touched only on the lane
        self._autosave_running = False
        self._autosave_again = False
        self.last_autosave_error: Exception | None = None
        self._conflict: ConflictError | None = None
        self._scores_kept: tuple[int, Any] | None = None  # what the library has: no rewrite
        self._save_after_task = False
        self._task_name = ""
        self._task_writes = False
        self._closed = False

        self.view = LibraryView(self.library, window, confirm=self.confirm)
        self.view.openRequested.connect(self.open_draft)
        self.view.newRequested.connect(window.new_draft)
        self.view.written.connect(self._written_from_list)
        self.view.purged.connect(self._purged_from_list)
        self.view.problem.connect(self.problem)
        self.view.facetsChanged.connect(lambda clients, _tags: self.details.set_clients(clients))
        self.dock = QDockWidget("Library", window)
        self.dock.setObjectName("libraryDock")
        self.dock.setAccessibleName("Library")
        self.dock.setWidget(self.view)
        self.dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable |
                              QDockWidget.DockWidgetFeature.DockWidgetMovable |
                              QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.dock.setAllowedAreas(Qt.DockWidgetArea.LeftDockWidgetArea |
                                  Qt.DockWidgetArea.RightDockWidgetArea)
        self.details = DraftDetails(window)
        self.details.changed.connect(self._details_changed)
        self.notice = NoticeBar(window)
        self.tasks = TaskProgress(window)

        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(AUTOSAVE_PAUSE_MS)
        self._pause.timeout.connect(self.autosave_now)
        self._longest = QTimer(self)
        self._longest.setSingleShot(True)
        self._longest.setInterval(AUTOSAVE_MAX_MS)
        self._longest.timeout.connect(self.autosave_now)
        self._backup_timer = QTimer(self)
        self._backup_timer.setInterval(AUTO_BACKUP_EVERY_MS)
        self._backup_timer.timeout.connect(self.auto_backup)

    # -- start and end --------------------------------------------------------------------
    def start(self) -> None:
        """After the window shows: report an unusable library, fill the list, offer
        what a crash left behind, and plan the day's backup."""
        error = self.library.error
        if isinstance(error, CorruptLibraryError):
            self._library_damaged(error)
        elif error is not None and self.library.read_only:
            self.notice.show_notice(
                "read-only", f"{sentence(error)} The library is open read-only: you can find "
                "and open drafts, but saving to it is off. File ▸ Save as text file still "
                "keeps your text.", tone=Severity.INFO)
        elif error is not None:
            self.notice.show_notice(
                "no-library", f"The drafts library cannot be used: {sentence(error)} Drafts can "
                "still be written and saved as text files.", tone=Severity.ERROR)
        self._started()

    def _started(self) -> None:
        self.view.refresh(keep=False)
        self.view.refresh_facets()
        if self.library.available:
            self.offer_recovery()
            QTimer.singleShot(AUTO_BACKUP_DELAY_MS, self.auto_backup)
            self._backup_timer.start()

    def shutdown(self) -> None:
        """The window closes: what it held was saved or let go; finish work and close."""
        if self._closed:
            return
        self._closed = True
        for timer in (self._pause, self._longest, self._backup_timer):
            timer.stop()
        if self.tasks.job is not None:
            self.tasks.job.cancel()
        if self.library.available and not self.library.read_only:
            self._discard_slot(self._token)
        self.library.close()

    # -- asking -------------------------------------------------------------------------------
    def ask(self, key: str, title: str, text: str, choices: Sequence[tuple[str, str]],
            default: str, *, quiet_default: str | None = None,
            icon: QMessageBox.Icon = QMessageBox.Icon.Question) -> str:
        """A question with named answers; quiet windows (tests) take ``auto_answers``."""
        if self.w.quiet:
            self.w.statusBar().showMessage(text, 8000)
            return self.w.auto_answers.get(key, quiet_default or default)
        box = message_box(icon, title, text, self.w)
        buttons = {}
        for value, label in choices:
            role = (QMessageBox.ButtonRole.RejectRole if value in ("cancel", "later")
                    else QMessageBox.ButtonRole.AcceptRole)
            buttons[box.addButton(label, role)] = value
        default_button = next((b for b, v in buttons.items() if v == default), None)
        if default_button is not None:
            box.setDefaultButton(default_button)
        box.exec()
        return buttons.get(box.clickedButton(), "cancel")

    def confirm(self, key: str, title: str, question: str) -> bool:
        return self.ask(key, title, question, [("yes", "Delete"), ("cancel", "Cancel")],
                        "yes") == "yes"

    def problem(self, title: str, message: str) -> None:
        self.w.show_problem(title, message)

    # -- the buffer ----------------------------------------------------------------------------
    @property
    def session(self) -> DraftSession:
        return self.w.session

    def buffer_replaced(self) -> None:
        """The editor holds another draft now: the old buffer's autosave is not needed
        (it was saved or let go), the details show the new draft."""
        self._pause.stop()
        self._longest.stop()
        self._discard_slot(self._token)
        self._token += 1
        self._conflict = None
        self.notice.clear("conflict")
        self.notice.clear("trash")
        self.details.load(self.session)
        self.view.set_open_id(self.session.draft_id)
        if self.session.in_trash:
            self._trash_notice()

    def buffer_edited(self) -> None:
        """A keystroke (or any change of the draft): autosave once the person pauses, and
        at least every couple of seconds while they keep typing."""
        if not self.library.writable:
            return
        self._pause.start()
        if not self._longest.isActive():
            self._longest.start()

    def _details_changed(self) -> None:
        self.details.apply_to(self.session)
        self.w.refresh_title()
        self.buffer_edited()

    def is_dirty(self) -> bool:
        return self.session.is_dirty(self.w.text(), self.w.editor.document().isModified())

    # -- autosave ------------------------------------------------------------------------------
    def autosave_now(self) -> bool:
        """Keep the buffer now (in the background, without making a version)."""
        self._pause.stop()
        self._longest.stop()
        if not self.library.writable or not self.is_dirty():
            return False
        if self._autosave_running:
            self._autosave_again = True
            return True
        s = self.session
        token, draft_id, text = self._token, s.draft_id, self.w.text()
        base, fields = s.revision, s.autosave_fields()
        lane = self.library.autosave_lane
        slots = self._slots

        def work(_job) -> int:
            slot = lane.store().autosave(draft_id, text, slot=slots.get(token),
                                         base_revision=base, **fields)
            slots[token] = slot
            return len(text)

        self._autosave_running = True
        lane.submit(work, done=self._autosaved, failed=self._autosave_failed)
        return True

    def _autosave_finished(self) -> None:
        self._autosave_running = False
        if self._autosave_again:
            self._autosave_again = False
            self.autosave_now()

    def _autosaved(self, chars: int) -> None:
        self.last_autosave_error = None
        self.notice.clear("autosave-failed")
        self._autosave_finished()
        self.autosaved.emit(chars)

    def _autosave_failed(self, exc: Exception) -> None:
        self.last_autosave_error = exc
        self._autosave_again = False
        self._autosave_finished()
        if isinstance(exc, LibraryBusyError):
            # An import in another window or process holds the library: the text stays
            # in the editor; try again on the next tick.
            self.w.statusBar().showMessage("The library is busy (a long import?). Your text "
                                           "is safe in the editor; autosave tries again.", 4000)
            QTimer.singleShot(AUTOSAVE_RETRY_MS, self.autosave_now)
            return
        _log.warning("autosave failed: %s", exc)
        if self.notice.key in ("", "autosave-failed"):
            self.notice.show_notice(
                "autosave-failed", f"Autosave failed: {sentence(exc)} Your text is still here "
                "in the editor. Keep this window open, or save it as a text file.",
                [("Save as text file…", self.w.save_as_dialog)], tone=Severity.ERROR)

    def _discard_slot(self, token: int) -> None:
        if not self.library.writable:
            return
        lane = self.library.autosave_lane
        slots = self._slots

        def work(_job) -> None:
            slot = slots.pop(token, None)
            if slot is not None:
                lane.store().discard_autosave(slot)

        lane.submit(work, failed=lambda exc: _log.warning("autosave not discarded: %s", exc))

    def _adopt_slot(self, slot: int) -> None:
        """Take over a recovered autosave as this buffer's own (and claim it at once)."""
        token = self._token
        self._slots[token] = slot
        self.autosave_now()

    # -- crash recovery ---------------------------------------------------------------------
    def offer_recovery(self) -> list[Autosave]:
        """Offer the buffers an earlier run left unsaved (it crashed or was killed)."""
        store = self.library.store
        if store is None or self.library.read_only:
            return []
        try:
            found = store.recover()
        except LibraryError as exc:
            _log.warning("recover: %s", exc)
            return []
        if not found:
            return []
        newest = found[0]
        title = (newest.fields.get("title") or derive_title(newest.text) or "Untitled draft")
        more = len(found) - 1
        message = (f"Post Coach did not close properly last time. The unsaved text of "
                   f"“{title}” (kept at {when(newest.saved)}) can be brought back.")
        if more:
            message += (f" {more} more unsaved draft{'s' if more > 1 else ''} will be saved to "
                        "the library.")
        self.notice.show_notice("recover", message, [
            ("Bring it back" if not more else "Bring them back",
             lambda: self.accept_recovery(found)),
            ("Not now", lambda: None)], tone=Severity.INFO, closable=False)
        if self.w.quiet and self.w.auto_answers.get("recover") == "accept":
            self.accept_recovery(found)
            self.notice.clear("recover")
        return found

    def accept_recovery(self, found: Sequence[Autosave]) -> None:
        """Bring the newest buffer back into the editor (unsaved, as it was); the others
        are saved to the library as new versions or new drafts, so nothing is lost."""
        store = self.library.store
        if store is None or not found:
            return
        rest = list(found[1:])
        if self.is_dirty() or self.w.text().strip():
            rest = list(found)  # the editor is in use: keep them all in the library instead
        else:
            newest = found[0]
            session = DraftSession()
            if newest.draft_id is not None:
                try:
                    draft = store.get(newest.draft_id)
                except LibraryError:
                    draft = None
                if draft is not None:
                    session = DraftSession.from_draft(draft)
                    if newest.base_revision is not None:
                        session.revision = newest.base_revision
            session.apply_autosave_fields(newest.fields)
            self.w.load_session(session, newest.text, modified=True)
            self._adopt_slot(newest.slot)
        saved = []
        for item in rest:
            try:
                saved.append(store.apply_autosave(item.slot))
            except LibraryError as exc:
                self.problem("Cannot bring a draft back", sentence(exc))
        if saved:
            self.library.changed.emit()
            self.view.refresh()
        text = "Your unsaved text is back in the editor." if len(rest) < len(found) else ""
        if saved:
            text += (f" {len(saved)} unsaved draft{'s were' if len(saved) > 1 else ' was'} "
                     "saved to the library (earlier texts stay in the versions).")
        self.w.statusBar().showMessage(text.strip(), 8000)

    # -- opening and saving ----------------------------------------------------------------
    def open_draft(self, draft_id: int) -> bool:
        """Open a draft of the library in the editor (asking about unsaved text first)."""
        store = self.library.store
        if store is None:
            return False
        if draft_id == self.session.draft_id and self.session.revision is not None:
            self.w.editor.setFocus()
            return True
        if not self.w.maybe_discard():
            return False
        try:
            draft = store.get(draft_id)
        except LibraryError as exc:
            self.problem("Cannot open the draft", sentence(exc))
            return False
        self.w.load_session(DraftSession.from_draft(draft), draft.text)
        self._remember_scores(draft)
        self.w.editor.setFocus()
        return True

    def _fresh_report(self, text: str) -> tuple[str | None, Any]:
        """The detected language and the scores for exactly this text (None if unknown)."""
        result = self.w.result
        if result is None or result.text != text or result.report is None:
            if len(text) > SYNC_LIMIT * 5 or not text.strip():
                return None, None
            result = run_snapshot(self.w.snapshot())
        report = result.report
        if report is None:
            return None, None
        detected = report.language if report.language_source == "detected" else None
        return detected, report.scores

    def save(self) -> bool:
        """Save the buffer as a new version of its draft (or as a new draft), with its
        details and the live scores. True when saved; otherwise the text stays here."""
        store = self.library.store
        if store is None:
            return False
        if self.library.read_only:
            self.notice.show_notice(
                "save-failed", "The library is open read-only, so this draft cannot be saved "
                "to it. Your text is still here.",
                [("Save as text file…", self.w.save_as_dialog)], tone=Severity.ERROR)
            return False
        if self.tasks.running and self._task_writes:
            # Our own import (or restore) holds the library: save as soon as it is done.
            self._save_after_task = True
            self.notice.show_notice(
                "save-failed", f"Saving waits for “{self._task_name}” to finish; your text is "
                "safe here (and autosaved) and is saved right after.", tone=Severity.INFO)
            return False
        s = self.session
        text = self.w.text()
        detected, scores = self._fresh_report(text)
        try:
            if s.draft_id is None:
                draft = store.get(store.add(**s.save_fields(text, detected=detected,
                                                            scores=scores)))
            else:
                draft = store.update(s.draft_id, expected_revision=s.revision,
                                     **s.save_fields(text, detected=detected, scores=scores,
                                                     only_changes=True))
        except ConflictError as exc:
            return self._conflicted(exc, text, detected, scores)
        except DraftNotFound:
            return self._save_as_new(text, detected, scores, "It was deleted elsewhere, so it "
                                     "was saved as a new draft.")
        except SaveFailedError as exc:
            self._save_failed(exc)
            return False
        except LibraryError as exc:
            self._save_failed(exc)
            return False
        self._saved(draft, text)
        return True

    def _save_as_new(self, text: str, detected: str | None, scores: Any, why: str) -> bool:
        store = self.library.store
        try:
            draft = store.get(store.add(**self.session.save_fields(
                text, detected=detected, scores=scores)))
        except LibraryError as exc:
            self._save_failed(exc)
            return False
        self._saved(draft, text, note=why)
        return True

    def _saved(self, draft: Draft, text: str, note: str = "") -> None:
        s = self.session
        self._remember_scores(draft)
        changed_text = text != s.base_text or s.draft_id is None
        s.draft_id = draft.id
        s.in_trash = draft.in_trash
        s.mark_saved(text, draft.revision)
        self.w.editor.document().setModified(False)
        self._discard_slot(self._token)
        self._conflict = None
        for key in ("conflict", "save-failed", "autosave-failed"):
            self.notice.clear(key)
        if draft.in_trash:
            self._trash_notice()  # saved, but still in the trash: say so
        self.view.set_open_id(draft.id)
        self.view.model.forget([draft.id])
        self.library.changed.emit()
        self.view.refresh()
        self.view._keep = (draft.id, [draft.id])
        self.w.refresh_title()
        what = "as a new version" if changed_text else "(details only)"
        self.w.statusBar().showMessage(f"Saved “{draft.title or 'Untitled draft'}” {what}. "
                                       f"{note}".strip(), 4000)
        self.saved.emit(draft)

    def _save_failed(self, exc: Exception) -> None:
        _log.warning("save failed: %s", exc)
        if isinstance(exc, CorruptLibraryError):
            extra = (" A backup can be restored with File ▸ Restore from backup…"
                     if exc.backups else "")
            message = (f"{sentence(exc)} Your text is still here in the editor.{extra}")
        else:
            message = (f"Not saved: {sentence(exc)} Your text is still here in the editor "
                       "and nothing was lost.")
        self.w.last_problem = message
        self.notice.show_notice("save-failed", message, [
            ("Try again", self.w.save),
            ("Save as text file…", self.w.save_as_dialog)], tone=Severity.ERROR)

    # -- conflicts --------------------------------------------------------------------------------
    def _conflicted(self, exc: ConflictError, text: str, detected: str | None,
                    scores: Any) -> bool:
        """Another writer saved first. When the changes do not collide (they changed other
        fields, or the same text), save on top of theirs; otherwise let the person choose."""
        s = self.session
        theirs = exc.current
        same_text = theirs.text == text or theirs.text == s.base_text
        if same_text and not s.conflicts_with(theirs) and not theirs.in_trash:
            store = self.library.store
            try:
                draft = store.update(theirs.id, expected_revision=theirs.revision,
                                     **s.save_fields(text, detected=detected, scores=scores,
                                                     only_changes=True))
            except ConflictError as again:
                return self._conflicted(again, text, detected, scores)
            except LibraryError as error:
                self._save_failed(error)
                return False
            self._saved(draft, text, note="(merged with a change made elsewhere)")
            return True
        self._conflict = exc
        self.w.last_problem = str(exc)
        self._conflict_notice()
        return False

    def _conflict_notice(self) -> None:
        exc = self._conflict
        if exc is None:
            return
        theirs = exc.current
        self.notice.show_notice(
            "conflict",
            f"This draft was saved in another window at {when(theirs.updated)} while you "
            "were editing it here. Nothing was overwritten and your text is still here: "
            "choose what to keep.",
            [("Keep mine as the newest version", self.keep_mine),
             ("Save mine as a copy", self.save_mine_as_copy),
             ("Load theirs", self.load_theirs),
             ("Compare…", self.compare_with_theirs)], tone=Severity.WARNING, closable=False)

    @property
    def conflict(self) -> ConflictError | None:
        return self._conflict

    def keep_mine(self) -> bool:
        """Save this window's text on top of theirs (theirs stays as a version)."""
        exc = self._conflict
        if exc is None:
            return False
        self.session.revision = exc.current.revision
        self._conflict = None
        self.notice.clear("conflict")
        return self.save()

    def save_mine_as_copy(self) -> bool:
        """Keep theirs as it is and save this window's text as a new draft; go on there."""
        exc = self._conflict
        store = self.library.store
        if exc is None or store is None:
            return False
        s = self.session
        text = self.w.text()
        detected, scores = self._fresh_report(text)
        fields = s.save_fields(text, detected=detected, scores=scores)
        fields["title"] = f"{s.display_title(text)} (copy)"
        fields["status"] = "draft"
        try:
            copy = store.get(store.duplicate(exc.draft_id, **fields))
        except LibraryError as error:
            self._save_failed(error)
            return False
        self._conflict = None
        self.notice.clear("conflict")
        s.title = copy.title
        self.details.load(s)
        self._saved(copy, text, note="Theirs stays as it was.")
        return True

    def load_theirs(self) -> bool:
        """Show the other window's version; this window's text goes to the clipboard and
        stays one Undo (Ctrl+Z) away."""
        exc = self._conflict
        if exc is None:
            return False
        mine = self.w.text()
        QGuiApplication.clipboard().setText(mine)
        theirs = exc.current
        self._conflict = None
        self.notice.clear("conflict")
        self.replace_text(theirs.text)
        fresh = DraftSession.from_draft(theirs)
        s = self.session
        for name in ("title", "client", "tags", "status", "planned", "platform", "language",
                     "kind", "comment"):
            setattr(s, name, getattr(fresh, name))
        s.in_trash = theirs.in_trash
        s.mark_saved(theirs.text, theirs.revision)
        self.w.reload_choices()
        self.details.load(s)
        self.w.editor.document().setModified(False)
        self.w.refresh_title()
        self.w.statusBar().showMessage("Loaded their version. Your text is in the clipboard, "
                                       "and Undo (Ctrl+Z) brings it back.", 8000)
        return True

    def compare_with_theirs(self) -> None:
        exc = self._conflict
        if exc is None:
            return
        pieces = word_changes(exc.current.text, self.w.text())
        dialog = QDialog(self.w)
        dialog.setWindowTitle("Their version and yours")
        dialog.setAccessibleName("Their version and yours")
        dialog.resize(760, 520)
        label = plain_label(dialog, f"From theirs (saved {when(exc.current.updated)}) to "
                            f"yours: {change_summary(pieces)}")
        label.setWordWrap(True)
        view = QTextBrowser(dialog)
        view.setAccessibleName("Comparison")
        view.setHtml(diff_html(pieces, view.palette()))  # markup: diff_html escapes
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
        buttons.rejected.connect(dialog.reject)
        box = QVBoxLayout(dialog)
        box.addWidget(label)
        box.addWidget(view, 1)
        box.addWidget(buttons)
        self.compared = pieces
        self._conflict_notice()  # the choice is still to be made
        if not self.w.quiet:
            dialog.exec()

    def replace_text(self, text: str) -> None:
        """Replace the whole text as one undoable edit (Undo brings the old text back)."""
        cursor = QTextCursor(self.w.editor.document())
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        cursor.endEditBlock()

    # -- what happens to the open draft elsewhere ----------------------------------------------
    def _written_from_list(self, draft: Draft, before: int) -> None:
        """A list action changed the open draft (status, tags, trash): follow it without
        calling it a conflict, and keep what the person changed here."""
        s = self.session
        if draft.id != s.draft_id:
            return
        if s.revision == before:
            fresh = DraftSession.from_draft(draft)
            for name in ("status", "tags"):
                if getattr(s, name) == s.base.get(name):  # not changed here: follow
                    setattr(s, name, getattr(fresh, name))
                s.base[name] = getattr(fresh, name)
            s.revision = draft.revision
        s.in_trash = draft.in_trash
        self.details.load(s)
        self.w.refresh_title()
        if s.in_trash:
            self._trash_notice()
        else:
            self.notice.clear("trash")

    def _purged_from_list(self, ids: list[int]) -> None:
        if self.session.draft_id in ids:
            s = self.session
            s.draft_id, s.revision, s.in_trash = None, None, False
            self.w.editor.document().setModified(True)
            self.notice.show_notice(
                "trash", "This draft was deleted from the library; its text is still here. "
                "Save it (Ctrl+S) to keep it as a new draft.", tone=Severity.INFO)
            self.view.set_open_id(None)
            self.w.refresh_title()

    def _trash_notice(self) -> None:
        self.notice.show_notice("trash", "This draft is in the trash.",
                                [("Restore it", self.restore_open_draft)], tone=Severity.INFO)

    def restore_open_draft(self) -> None:
        store = self.library.store
        s = self.session
        if store is None or s.draft_id is None:
            return
        try:
            before = s.revision
            draft = store.restore(s.draft_id)
        except LibraryError as exc:
            self.problem("Cannot restore", sentence(exc))
            return
        self._written_from_list(draft, before if before is not None else -1)
        self.library.changed.emit()
        self.view.refresh()

    def window_activated(self) -> None:
        """Back to this window: show what other windows saved meanwhile, and follow a
        newer save of the open draft when nothing here is unsaved."""
        if not self.library.available or self._closed:
            return
        self.view.refresh()
        s = self.session
        if s.draft_id is None or s.revision is None or self.is_dirty() or self._conflict:
            return
        try:
            draft = self.library.store.get(s.draft_id)
        except LibraryError:
            return
        if draft.revision != s.revision:
            self.w.load_session(DraftSession.from_draft(draft), draft.text, keep_cursor=True)
            self.w.statusBar().showMessage("This draft was changed in another window; its "
                                           "newest version is shown.", 5000)

    def result_shown(self, result) -> None:
        """Keep the saved draft's scores in step with the analysis of the same text."""
        self.details.set_derived_title(derive_title(result.text))
        s = self.session
        report = result.report
        if (not self.library.writable or report is None or s.draft_id is None
                or result.text != s.base_text):
            return
        scores = None if report.scores is None else report.scores.to_dict()  # None: empty
        draft_id, text = s.draft_id, result.text
        if self._scores_kept == (draft_id, scores):
            return
        lane = self.library.autosave_lane  # a write: never on the GUI thread's clock

        def work(_job) -> bool:
            store = lane.store()
            if store.get(draft_id).text != text:  # saved again elsewhere meanwhile
                return False
            store.update(draft_id, scores=scores)  # scores only: never a new revision
            return True

        def done(kept: bool) -> None:
            if kept:
                self._scores_kept = (draft_id, scores)
                self.view.model.forget([draft_id])

        lane.submit(work, done=done, failed=lambda exc: _log.info("scores not kept: %s", exc))

    def _remember_scores(self, draft: Draft) -> None:
        self._scores_kept = (draft.id, dict(draft.scores) if draft.scores else None)

    # -- versions -----------------------------------------------------------------------------
    def versions_dialog(self) -> VersionsDialog | None:
        store = self.library.store
        s = self.session
        if store is None or s.draft_id is None:
            self.w.statusBar().showMessage("Save the draft (Ctrl+S) to keep versions of it.",
                                           4000)
            return None
        dialog = VersionsDialog(store, s.draft_id, s.display_title(self.w.text()), self.w)
        dialog.restoreRequested.connect(self.restore_version)
        return dialog

    def show_versions(self) -> None:
        dialog = self.versions_dialog()
        if dialog is not None:
            dialog.exec()

    def restore_version(self, number: int) -> bool:
        """Make an old version current (unsaved text here is saved first, as a version)."""
        store = self.library.store
        s = self.session
        if store is None or s.draft_id is None:
            return False
        if self.is_dirty() and not self.save():
            return False
        try:
            draft = store.restore_version(s.draft_id, number, expected_revision=s.revision)
        except ConflictError as exc:
            text = self.w.text()
            return self._conflicted(exc, text, *self._fresh_report(text))
        except LibraryError as exc:
            self._save_failed(exc)
            return False
        self.replace_text(draft.text)
        s.mark_saved(draft.text, draft.revision)
        self.w.editor.document().setModified(False)
        self.view.model.forget([draft.id])
        self.library.changed.emit()
        self.view.refresh()
        self.w.refresh_title()
        self.w.statusBar().showMessage(f"Version {number} is the current text again (the "
                                       "text before it stays a version).", 5000)
        return True

    # -- long work -------------------------------------------------------------------------------
    def run_task(self, name: str, work: Callable[[Any], Any], *,
                 done: Callable[[Any], None], cancellable: bool = False,
                 failed: Callable[[Exception], None] | None = None, writes: bool = False):
        """Run long work on the task lane with a progress bar; one task at a time.

        ``writes``: the task holds the library's write lock for long (import, restore):
        saves wait for it instead of waiting on the lock.
        """
        if self.tasks.running:
            self.w.statusBar().showMessage(f"Wait until “{self._task_name}” has finished.", 4000)
            return None
        self._task_name = name
        self._task_writes = writes

        def finished(result: Any) -> None:
            self.tasks.finish()
            done(result)
            self.taskDone.emit(name, result)
            self._after_task()

        def went_wrong(exc: Exception) -> None:
            self.tasks.finish()
            self._after_task()
            if failed is not None:
                failed(exc)
            elif isinstance(exc, Cancelled):
                self.w.statusBar().showMessage(f"{name} cancelled; nothing was changed.", 5000)
            else:
                self.problem(f"{name} failed", sentence(exc))
            self.taskDone.emit(name, exc)

        job = self.library.task_lane.submit(work, done=finished, failed=went_wrong,
                                            progress=self.tasks.set_progress)
        self.tasks.start(name, job, cancellable)
        return job

    def _after_task(self) -> None:
        if self._save_after_task:
            self._save_after_task = False
            self.notice.clear("save-failed")
            if self.is_dirty():
                self.w.save()

    def _worker_store(self) -> DraftStore:
        return DraftStore(self.library.path, auto_backup=False, timeout=LANE_TIMEOUT)

    def import_dialog(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self.w, "Import drafts", str(Path.home()),
            "Drafts (*.json *.csv *.tsv *.md *.markdown *.txt);;JSON bundles (*.json);;"
            "CSV files (*.csv *.tsv);;Markdown files (*.md *.markdown *.txt)")
        if paths:
            self.import_files(paths)

    def import_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.w, "Import a folder of Markdown files",
                                                  str(Path.home()))
        if folder:
            self.import_files([folder])

    def import_files(self, paths: Sequence[str | Path]):
        """Import files on a worker (all or nothing), with progress and Cancel."""
        if not self.library.writable:
            self.problem("Cannot import", "The library cannot be written to.")
            return None
        paths = [str(p) for p in paths]
        make = self._worker_store

        def work(job) -> ImportResult:
            with make() as store:
                return store.import_file(*paths, progress=job.progress)

        def done(result: ImportResult) -> None:
            n = len(result.added)
            text = f"Imported {n:,} draft{'s' if n != 1 else ''}"
            if result.skipped:
                text += f"; {result.skipped:,} were already in the library"
            if result.copied:
                text += f"; {result.copied:,} kept as copies (their ids were taken)"
            self.w.statusBar().showMessage(text + ".", 8000)
            self.library.changed.emit()
            self.view.refresh()
            self.view.refresh_facets()

        return self.run_task("Importing drafts", work, done=done, cancellable=True,
                             writes=True)

    def export_dialog(self) -> None:
        ids = list(self.view.model.ids)
        if not ids:
            self.w.statusBar().showMessage("No drafts listed to export.", 4000)
            return
        path, chosen = QFileDialog.getSaveFileName(
            self.w, f"Export the {len(ids):,} drafts listed", str(Path.home() / "drafts.json"),
            "JSON bundle, everything kept (*.json);;CSV for spreadsheets (*.csv);;"
            "Markdown files in a folder (*)")
        if path:
            fmt = "csv" if "CSV" in chosen else "markdown" if "Markdown" in chosen else "json"
            self.export_files(path, ids, fmt)

    def export_files(self, path: str | Path, ids: Sequence[int], fmt: str | None = None):
        make = self._worker_store
        ids = list(ids)

        def work(job) -> int:
            with make() as store:
                return store.export_file(path, format=fmt, ids=ids, progress=job.progress)

        def done(count: int) -> None:
            self.w.statusBar().showMessage(f"Exported {count:,} drafts to {path}.", 8000)

        return self.run_task("Exporting drafts", work, done=done, cancellable=True)

    def backup_now(self):
        """File ▸ Back up now: a copy of the library in its backups folder."""
        if not self.library.available:
            self.problem("Cannot back up", "The library is not open.")
            return None
        make = self._worker_store

        def work(job) -> BackupInfo:
            with make() as store:
                return store.backup_now(progress=job.progress)

        def done(info: BackupInfo) -> None:
            self.w.statusBar().showMessage(f"Backed up to {info.path} ({_size(info.size)}).",
                                           8000)

        return self.run_task("Backing up the library", work, done=done)

    def auto_backup(self):
        """The day's automatic backup, on the worker (quietly; a failure is reported once)."""
        if not self.library.writable or self.tasks.running or self._closed:
            return None
        make = self._worker_store

        def work(job) -> BackupInfo | None:
            with make() as store:
                return store.auto_backup(progress=job.progress)

        def done(info: BackupInfo | None) -> None:
            if info is not None:
                self.w.statusBar().showMessage("Today's backup of the library was made.", 4000)

        def failed(exc: Exception) -> None:
            _log.warning("automatic backup failed: %s", exc)
            self.w.statusBar().showMessage(f"The daily backup failed: {sentence(exc)}", 8000)

        return self.run_task("Backing up the library", work, done=done, failed=failed)

    def restore_dialog(self) -> None:
        backups = list_backups(self.library.path)
        if not backups:
            self.problem("No backups", f"There is no backup of {self.library.path} yet.")
            return
        dialog = BackupsDialog(backups, self.w)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.chosen() is not None:
            self.restore_backup(dialog.chosen())

    def restore_backup(self, backup: BackupInfo, *, ask: bool = True):
        """Put a backup in the library's place (the current file is moved aside)."""
        if ask and self.ask("restore-backup", "Restore from a backup",
                            f"Replace the library with the backup of "
                            f"{backup.created:%d %b %Y %H:%M}? The library as it is now is "
                            "moved aside, not deleted. Your text in the editor stays.",
                            [("restore", "Restore"), ("cancel", "Cancel")],
                            "restore") != "restore":
            return None
        if self.tasks.running:
            self.w.statusBar().showMessage(f"Wait until “{self._task_name}” has finished.", 4000)
            return None
        self.library.close()
        self.library.note = "The library is being restored from the backup…"
        self.view.refresh()
        target = self.library.path

        def work(job) -> Path | None:
            return restore_file(backup.path, target, progress=job.progress)

        def done(moved: Path | None) -> None:
            self._reopened()
            where = f" The previous library was moved to {moved}." if moved else ""
            self.w.statusBar().showMessage(
                f"Restored the backup of {backup.created:%d %b %Y %H:%M}.{where}", 10000)

        def failed(exc: Exception) -> None:
            self._reopened()
            self.problem("Restore failed", sentence(exc))

        return self.run_task("Restoring the library", work, done=done, failed=failed,
                             writes=True)

    def _reopened(self) -> None:
        self.library.note = ""
        problem = self.library.open()
        if problem is not None:
            self.notice.show_notice("no-library", f"The drafts library cannot be used: "
                                    f"{sentence(problem)}", tone=Severity.ERROR)
        self.view.model.set_ids([])
        self.view.refresh(keep=False)
        self.view.refresh_facets()
        if self.is_dirty():
            self.buffer_edited()

    def _library_damaged(self, error: CorruptLibraryError) -> None:
        """At start: the file was damaged and moved aside; offer its newest backup."""
        newest = error.newest_backup
        where = (f"The damaged file was moved to {error.moved_to} (nothing was deleted)."
                 if error.moved_to else "The damaged file could not be moved aside.")
        text = (f"The drafts library could not be read because it is damaged: "
                f"{sentence(error.reason)} {where}")
        choices = [("empty", "Start an empty library")]
        if newest is not None:
            text += f"\n\nThe newest backup was made {newest.created:%a %d %b %Y, %H:%M}."
            choices.insert(0, ("restore", "Restore the newest backup"))
        else:
            text += "\n\nThere is no backup of it."
        self.w.last_problem = text
        answer = self.ask("corrupt", "The library is damaged", text, choices,
                          "restore" if newest is not None else "empty",
                          icon=QMessageBox.Icon.Warning)
        if answer == "restore" and newest is not None:
            self.restore_backup(newest, ask=False)
            return
        if error.moved_to is not None:
            self._reopened()
        self.notice.show_notice("damaged", text.replace("\n\n", " "), tone=Severity.WARNING)
