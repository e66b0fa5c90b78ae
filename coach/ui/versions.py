"""The versions of a draft: every saved text with its score, a readable comparison of any
two (word by word: what went out is struck through, what came in is underlined, so the
difference never relies on colour alone), and restoring one."""

from __future__ import annotations

import html
from datetime import date, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coach.analysis.scoring import label
from coach.library import DraftStore, LibraryError, Version

from .plain import plain_label, tooltip, window_title
from .style import DEFAULT_POINT_SIZE, writing_font

DELETED = "rgba(224, 71, 76, 0.22)"
INSERTED = "rgba(47, 158, 107, 0.26)"
MAX_SHOWN = 200_000  # characters of a comparison drawn (a 1 MB paste stays responsive)


def diff_html(pieces: list[tuple[str, str]], palette: QPalette) -> str:
    """Word-diff pieces as HTML: deletions struck through, insertions underlined."""
    text = palette.color(QPalette.ColorRole.Text).name()
    out: list[str] = []
    shown = 0
    previous = ""
    for op, piece in pieces:
        if op == "insert" and previous == "delete":
            out.append("\u200a")  # a hair space: "old|new" side by side stay two words
        previous = op
        if shown > MAX_SHOWN:
            out.append("<p><i>… the rest is too long to compare here.</i></p>")
            break
        shown += len(piece)
        escaped = html.escape(piece)
        if op == "delete":
            out.append(f'<span style="background:{DELETED}; text-decoration: line-through;">'
                       f"{escaped}</span>")
        elif op == "insert":
            out.append(f'<span style="background:{INSERTED}; text-decoration: underline;">'
                       f"{escaped}</span>")
        else:
            out.append(escaped)
    body = "".join(out)
    return (f'<div style="white-space: pre-wrap; color: {text}; line-height: 140%;">'
            f"{body}</div>")


def saved_at(moment: datetime) -> str:
    """When a version was saved, to the minute (several versions are often made a day)."""
    local = moment.astimezone()
    if local.date() == date.today():
        return f"today {local:%H:%M}"
    year = "" if local.year == date.today().year else f" {local.year}"
    return f"{local.day} {local:%b}{year} {local:%H:%M}"


def change_summary(pieces: list[tuple[str, str]]) -> str:
    """How many words came in and went out, for the line above a comparison."""
    added = sum(len(p.split()) for op, p in pieces if op == "insert")
    removed = sum(len(p.split()) for op, p in pieces if op == "delete")
    if not added and not removed:
        return "The same text."
    parts = []
    if added:
        parts.append(f"{added} word{'s' if added != 1 else ''} added (underlined)")
    if removed:
        parts.append(f"{removed} word{'s' if removed != 1 else ''} removed (struck through)")
    return ", ".join(parts) + "."


class VersionsDialog(QDialog):
    """Versions of one draft. Select one to compare it with the current text, or two to
    compare them with each other; restore one as the newest version."""

    restoreRequested = Signal(int)  # the version number to make current again

    def __init__(self, store: DraftStore, draft_id: int, title: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.draft_id = draft_id
        self.setWindowTitle(window_title(f"Versions of “{title}”"))
        self.setAccessibleName("Versions of the draft")
        self.resize(940, 600)
        self.versions: list[Version] = []
        self.list = QTreeWidget(self)
        self.list.setAccessibleName("Versions")
        self.list.setHeaderLabels(["Version", "Saved", "Score", "Note"])
        self.list.setRootIsDecorated(False)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setAlternatingRowColors(True)
        self.list.itemSelectionChanged.connect(self._compare)
        self.heading = plain_label(self)
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName("What is compared")
        self.summary = plain_label(self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Summary of the changes")
        self.view = QTextBrowser(self)
        self.view.setAccessibleName("Comparison")
        self.view.setOpenLinks(False)
        self.view.setFont(writing_font(DEFAULT_POINT_SIZE - 1))
        right = QWidget(self)
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.heading)
        column.addWidget(self.summary)
        column.addWidget(self.view, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.list)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([360, 580])
        self.restore_button = QPushButton("&Restore this version", self)
        self.restore_button.setAccessibleName("Restore this version")
        self.restore_button.setToolTip(tooltip("Make the selected version the draft's text "
                                               "again (as a new version: nothing is lost)"))
        self.restore_button.clicked.connect(self._restore)
        self.copy_button = QPushButton("&Copy text", self)
        self.copy_button.setAccessibleName("Copy the selected version's text")
        self.copy_button.clicked.connect(self._copy)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.restore_button)
        row.addWidget(self.copy_button)
        row.addStretch(1)
        row.addWidget(buttons)
        box = QVBoxLayout(self)
        box.addWidget(split, 1)
        box.addLayout(row)
        self.reload()

    def reload(self) -> None:
        """Read the versions again and select the one before the current text."""
        try:
            self.versions = self.store.versions(self.draft_id)
        except LibraryError as exc:
            self.versions = []
            self.heading.setText(f"The versions cannot be read: {exc}")
        self.list.clear()
        last = self.versions[-1].number if self.versions else None
        for v in reversed(self.versions):
            score = "—" if v.score is None else f"{round(v.score)} {label(round(v.score))}"
            name = f"{v.number}" + (" (current)" if v.number == last else "")
            item = QTreeWidgetItem([name, saved_at(v.saved), score, v.note])
            item.setData(0, Qt.ItemDataRole.UserRole, v.number)
            item.setToolTip(1, tooltip(f"{v.saved.astimezone():%Y-%m-%d %H:%M:%S}"))
            item.setToolTip(0, tooltip(v.title))
            self.list.addTopLevelItem(item)
        for column in range(3):
            self.list.resizeColumnToContents(column)
        if self.list.topLevelItemCount() > 1:
            self.list.setCurrentItem(self.list.topLevelItem(1))
        elif self.list.topLevelItemCount():
            self.list.setCurrentItem(self.list.topLevelItem(0))

    def selected_numbers(self) -> list[int]:
        return sorted(int(i.data(0, Qt.ItemDataRole.UserRole))
                      for i in self.list.selectedItems())

    def _version(self, number: int) -> Version | None:
        return next((v for v in self.versions if v.number == number), None)

    def compare(self, old: int, new: int | None = None) -> list[tuple[str, str]]:
        """Show the change from version ``old`` to ``new`` (default: the current text)."""
        current = self.versions[-1].number if self.versions else None
        new = current if new is None else new
        a, b = self._version(old), self._version(new) if new is not None else None
        if a is None or b is None:
            return []
        try:
            pieces = self.store.word_diff(self.draft_id, a.number, b.number)
        except LibraryError as exc:
            self.heading.setText(f"Cannot compare: {exc}")
            return []
        def name(v: Version) -> str:
            tail = ", current" if v.number == current else ""
            return f"version {v.number} ({v.saved.astimezone():%d %b %Y %H:%M}{tail})"

        if a.number == b.number:
            self.heading.setText(f"The text of {name(a)}.")
            self.summary.setText("")
        else:
            self.heading.setText(f"From {name(a)} to {name(b)}:")
            self.summary.setText(change_summary(pieces))
        self.view.setHtml(diff_html(pieces, self.palette()))  # markup: diff_html escapes
        return pieces

    def _compare(self) -> None:
        numbers = self.selected_numbers()
        self.restore_button.setEnabled(len(numbers) == 1 and bool(self.versions)
                                       and numbers[0] != self.versions[-1].number)
        self.copy_button.setEnabled(len(numbers) == 1)
        if len(numbers) == 1:
            self.compare(numbers[0])
        elif len(numbers) >= 2:
            self.compare(numbers[0], numbers[-1])

    def _restore(self) -> None:
        numbers = self.selected_numbers()
        if len(numbers) == 1:
            self.restoreRequested.emit(numbers[0])
            self.accept()

    def _copy(self) -> None:
        numbers = self.selected_numbers()
        version = self._version(numbers[0]) if len(numbers) == 1 else None
        if version is not None:
            QGuiApplication.clipboard().setText(version.text)
