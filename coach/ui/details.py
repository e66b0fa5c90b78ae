"""Small widgets around the open draft: its details (title, client, tags, status, planned
date), a date picker that can also say "no date", and a notice bar for things a person must
decide without being interrupted (a crash to recover from, a save conflict, a full disk)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Sequence
from datetime import date

from PySide6.QtCore import QDate, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QPainter, QPalette
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from coach.analysis import Severity
from coach.library import STATUS_LABELS, STATUSES
from coach.library.model import normalize_tags

from .plain import plain_label, tooltip
from .session import DraftSession
from .style import accent


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


class DateButton(QToolButton):
    """A date or none: a button that shows the date and opens a calendar to pick one."""

    dateChanged = Signal(object)  # date | None

    def __init__(self, empty: str, label: str, parent: QWidget | None = None, *,
                 prefix: str = "") -> None:
        super().__init__(parent)
        self._empty = empty
        self._label = label
        self._prefix = prefix
        self._date: date | None = None
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        menu = QMenu(self)
        self.calendar = QCalendarWidget(menu)
        self.calendar.setGridVisible(False)
        self.calendar.setVerticalHeaderFormat(
            QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setAccessibleName(f"{label}: calendar")
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(self.calendar)
        menu.addAction(holder)
        menu.addSeparator()
        self.today_action = menu.addAction("Today", lambda: self._picked(QDate.currentDate()))
        self.clear_action = menu.addAction(f"{empty}", lambda: self.set_date(None, emit=True))
        menu.aboutToShow.connect(self._before_menu)
        self.setMenu(menu)
        self._describe()

    def _before_menu(self) -> None:
        self.calendar.setSelectedDate(_qdate(self._date or date.today()))
        QTimer.singleShot(0, self.calendar.setFocus)

    def _picked(self, qdate: QDate) -> None:
        self.menu().hide()
        self.set_date(date(qdate.year(), qdate.month(), qdate.day()), emit=True)

    def date(self) -> date | None:
        return self._date

    def set_date(self, value: date | None, *, emit: bool = False) -> None:
        changed = value != self._date
        self._date = value
        self._describe()
        if changed and emit:
            self.dateChanged.emit(value)

    def _describe(self) -> None:
        if self._date is None:
            self.setText(f"{self._empty} ▾")
        else:
            self.setText(f"{self._prefix}{self._date.day} {self._date:%b %Y} ▾")
        shown = self._date.isoformat() if self._date else "none"
        self.setAccessibleName(f"{self._label}: {shown}")
        self.setToolTip(tooltip(f"{self._label}: {shown} (click to choose)"))

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.set_date(None, emit=True)
            return
        super().keyPressEvent(event)


class DraftDetails(QWidget):
    """Title, client, tags, status and planned date of the open draft, above the editor.

    Emits ``changed`` when the person edits a field; :meth:`apply_to` copies the values
    into a session, :meth:`load` shows a session's values.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("draftDetails")
        self.setAccessibleName("Draft details")
        self.title = QLineEdit(self)
        self.title.setObjectName("draftTitle")
        self.title.setAccessibleName("Title")
        self.title.setToolTip(tooltip("The draft's title in the library. Leave it empty to use "
                                      "the first line of the draft."))
        self.title.setFrame(False)
        self.title.setClearButtonEnabled(True)
        self.title.setMaxLength(500)
        self.client = QComboBox(self)
        self.client.setEditable(True)
        self.client.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.client.setAccessibleName("Client")
        self.client.setToolTip(tooltip("The client or brand this draft is for"))
        self.client.lineEdit().setPlaceholderText("Client")
        self.client.lineEdit().setAccessibleName("Client")
        self.client.setMinimumContentsLength(11)
        self.client.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.tags = QLineEdit(self)
        self.tags.setAccessibleName("Tags")
        self.tags.setPlaceholderText("Tags")
        self.tags.setMinimumWidth(self.tags.fontMetrics().horizontalAdvance("launch, promo") + 16)
        self.tags.setToolTip(tooltip("Tags to find the draft by, separated by commas"))
        self.status = QComboBox(self)
        self.status.setAccessibleName("Status")
        self.status.setToolTip(tooltip("Where the draft is in its life: draft, in review, "
                                       "approved, published, archived"))
        for key in STATUSES:
            self.status.addItem(STATUS_LABELS[key].capitalize(), key)
        self.planned = DateButton("Not planned", "Planned publish date", self,
                                  prefix="Planned ")
        for signal in (self.title.textEdited, self.client.editTextChanged,
                       self.tags.textEdited, self.status.activated, self.planned.dateChanged):
            signal.connect(lambda *_: self.changed.emit())

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        row.addWidget(self.client)
        row.addWidget(self.tags, 1)
        row.addWidget(self.status)
        row.addWidget(self.planned)
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(14, 10, 14, 8)
        self.column.setSpacing(6)
        self.column.addWidget(self.title)
        self.column.addLayout(row)
        self._style_title()

    def align_with(self, left: int, right: int) -> None:
        """Line the fields up with the editor's text column."""
        margins = self.column.contentsMargins()
        left, right = max(8, left - 2), max(8, right - 2)
        if (margins.left(), margins.right()) != (left, right):
            self.column.setContentsMargins(left, margins.top(), right, margins.bottom())

    def paintEvent(self, event) -> None:  # noqa: N802
        super().paintEvent(event)
        p = QPainter(self)
        colour = self.palette().color(QPalette.ColorRole.Mid)
        p.setPen(colour)
        left = self.column.contentsMargins().left()
        right = self.width() - self.column.contentsMargins().right()
        p.drawLine(left, self.height() - 1, right, self.height() - 1)
        p.end()

    def _style_title(self) -> None:
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(font)
        self.title.setStyleSheet("QLineEdit { background: transparent; }")

    def set_clients(self, clients: Iterable[str]) -> None:
        """Offer these clients in the client picker (the text typed stays as it is)."""
        text = self.client.currentText()
        with QSignalBlocker(self.client):
            self.client.clear()
            self.client.addItems(list(clients))
            self.client.setEditText(text)

    def set_derived_title(self, title: str) -> None:
        """The title the draft gets from its first line (shown while no title is typed)."""
        shown = title or "Untitled draft"
        if self.title.placeholderText() != shown:
            self.title.setPlaceholderText(shown)

    def load(self, session: DraftSession) -> None:
        """Show a session's values (without emitting ``changed``)."""
        blockers = [QSignalBlocker(w) for w in (self.title, self.client, self.tags,
                                                  self.status, self.planned)]
        self.title.setText(session.title)
        self.client.setEditText(session.client or "")
        self.tags.setText(", ".join(session.tags))
        self.status.setCurrentIndex(max(0, self.status.findData(session.status)))
        self.planned.set_date(session.planned)
        del blockers

    def apply_to(self, session: DraftSession) -> None:
        """Copy the fields as typed into ``session`` (tags tidied; a bad tag list is kept
        as it was until it is valid)."""
        session.title = " ".join(self.title.text().split())
        session.client = " ".join(self.client.currentText().split()) or None
        with contextlib.suppress(ValueError):
            session.tags = normalize_tags(self.tags.text())
        session.status = self.status.currentData() or "draft"
        session.planned = self.planned.date()

    def widgets(self) -> Sequence[QWidget]:
        return (self.title, self.client, self.tags, self.status, self.planned)


class NoticeBar(QFrame):
    """A calm bar across the top of the writing area: a message and a few actions.

    Never modal: the person can keep typing. ``key`` names what it is about (tests and
    the window use it to replace or clear one kind of notice).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBar")
        self.setAccessibleName("Notice")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.key = ""
        self.shown = 0  # how many notices were shown (an action that shows another keeps it)
        self.message = plain_label(self)
        self.message.setWordWrap(True)
        self.message.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons: dict[str, QPushButton] = {}
        self._row = QHBoxLayout()
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(6)
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setAccessibleName("Close the notice")
        self.close_button.setToolTip(tooltip("Close"))
        self.close_button.clicked.connect(self.clear)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.message, 1)
        top.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        box = QVBoxLayout(self)
        box.setContentsMargins(14, 8, 8, 8)
        box.setSpacing(6)
        box.addLayout(top)
        box.addLayout(self._row)
        self._tone = Severity.WARNING
        self.hide()

    def show_notice(self, key: str, message: str,
                    actions: Sequence[tuple[str, Callable[[], object]]] = (), *,
                    tone: Severity = Severity.WARNING, closable: bool = True) -> None:
        """Show ``message`` with buttons; a button runs its action, then the bar closes
        unless the action showed a notice again (say, the same problem once more)."""
        self.key = key
        self.shown += 1
        self._tone = tone
        self.message.setText(message)
        self.setAccessibleDescription(message)
        while self._row.count():
            item = self._row.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.buttons = {}
        for text, action in actions:
            button = QPushButton(text, self)
            button.setAccessibleName(text.replace("&", ""))
            button.clicked.connect(lambda _=False, a=action: self._run(a))
            self._row.addWidget(button)
            self.buttons[text.replace("&", "")] = button
        self._row.addStretch(1)
        self.close_button.setVisible(closable)
        self._paint()
        self.show()

    def _run(self, action: Callable[[], object]) -> None:
        shown = self.shown
        action()
        if self.shown == shown:
            self.clear()

    def clear(self, key: str | None = None) -> None:
        """Hide the bar (only when it shows ``key``, if given)."""
        if key is not None and self.key != key:
            return
        self.key = ""
        self.hide()

    def _paint(self) -> None:
        # A note (INFO) is drawn blue: calm, and not grey (which reads as "disabled").
        tint = accent(Severity.SUGGESTION if self._tone is Severity.INFO else self._tone)
        window = self.parentWidget() or self
        text = window.palette().color(QPalette.ColorRole.WindowText).name()
        sheet = (f"QFrame#noticeBar {{ background: rgba({tint.red()},{tint.green()},"
                 f"{tint.blue()},38); border-bottom: 2px solid rgba({tint.red()},"
                 f"{tint.green()},{tint.blue()},150); }} "
                 f"QFrame#noticeBar QLabel {{ color: {text}; }}")
        if sheet != self.styleSheet():  # a style sheet change is a palette change itself
            self.setStyleSheet(sheet)

    def changeEvent(self, event) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange and self.key:
            QTimer.singleShot(0, self._paint)
