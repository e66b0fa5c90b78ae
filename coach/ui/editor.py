"""The writing surface: a calm plain-text editor with the "see more" fold drawn in it."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QFontMetricsF,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QTextCursor,
    QTextOption,
    QWheelEvent,
)
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QWidget

from .style import DEFAULT_POINT_SIZE, MAX_POINT_SIZE, MIN_POINT_SIZE, focus_colour, writing_font

BIG_TEXT = 50_000  # past this, wrap anywhere: Qt's word-or-anywhere wrap is very slow on
# long unbroken runs (binary junk, a 1 MB paste), and no real post is this long
COLUMN_CHARS = 68  # a comfortable line length; wider windows get margins instead
SIDE_PADDING = 28


class DraftEditor(QPlainTextEdit):
    """Plain-text editor for one draft: wrapped, centred column, zoomable, fold line."""

    fontSizeChanged = Signal(float)
    columnChanged = Signal(int, int)  # left and right margins of the text column

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("draftEditor")
        self.setAccessibleName("Draft")
        self.setAccessibleDescription("The post you are writing. Findings are underlined.")
        self.setPlaceholderText("Write your post here. Suggestions appear as you type.")
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTabChangesFocus(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setCenterOnScroll(False)
        self.document().setDocumentMargin(6)
        # The margins around the centred column are outside the viewport: paint them as page.
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setAutoFillBackground(True)
        self._fold: int | None = None
        self._fold_label = ""
        self.set_point_size(DEFAULT_POINT_SIZE)

    # -- font and layout -------------------------------------------------------------
    @property
    def point_size(self) -> float:
        return self.font().pointSizeF()

    def set_point_size(self, size: float) -> None:
        size = max(MIN_POINT_SIZE, min(MAX_POINT_SIZE, float(size)))
        self.setFont(writing_font(size))
        self._update_margins()
        self.fontSizeChanged.emit(size)

    def zoom_in(self) -> None:
        self.set_point_size(self.point_size + 1)

    def zoom_out(self) -> None:
        self.set_point_size(self.point_size - 1)

    def zoom_reset(self) -> None:
        self.set_point_size(DEFAULT_POINT_SIZE)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            (self.zoom_in if event.angleDelta().y() > 0 else self.zoom_out)()
            event.accept()
            return
        super().wheelEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._update_margins()

    def _update_margins(self) -> None:
        column = QFontMetricsF(self.font()).averageCharWidth() * COLUMN_CHARS
        spare = self.width() - column - self.verticalScrollBar().sizeHint().width()
        side = int(max(SIDE_PADDING, spare / 2))
        margins = self.viewportMargins()
        if (margins.left(), margins.right()) != (side, side):
            self.setViewportMargins(side, 14, side, 14)
            self.columnChanged.emit(*self.column_margins())
            # Qt lays the text out again when the widget is resized, not for new margins:
            # run that part of a resize again, so lines wrap at the new width.
            # (It compares the old width with the new one, hence the empty old size.)
            super().resizeEvent(QResizeEvent(self.size(), QSize()))

    def column_margins(self) -> tuple[int, int]:
        """Where the text column starts and ends, from the widget's left and right edges."""
        margin = int(self.document().documentMargin())
        m = self.viewportMargins()
        return m.left() + margin, m.right() + margin

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if self._fold is not None:
            self._paint_fold(QRectF(event.rect()))

    # -- the fold --------------------------------------------------------------------
    @property
    def fold_position(self) -> int | None:
        return self._fold

    def set_fold(self, position: int | None, label: str = "") -> None:
        """Draw the "see more" fold before document position ``position`` (None: none)."""
        if position is not None and position >= self.document().characterCount() - 1:
            position = None
        if (position, label) != (self._fold, self._fold_label):
            self._fold, self._fold_label = position, label
            self.viewport().update()

    def fold_rect(self) -> QRectF | None:
        """Where the fold is drawn (its character's cell), in viewport coordinates."""
        if self._fold is None:
            return None
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._fold)
        return QRectF(self.cursorRect(cursor))

    def _paint_fold(self, dirty: QRectF) -> None:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._fold)
        r = self.cursorRect(cursor)
        vp = self.viewport()
        if r.top() > vp.height():
            return
        if not dirty.intersects(QRectF(0, r.top() - 2, vp.width(), r.height() + 4)):
            return
        # The text after the fold is dimmed by the highlighter; here, the fold line.
        p = QPainter(vp)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        right = vp.width()
        pen = QPen(focus_colour(self.palette()), 1.5, Qt.PenStyle.DashLine)
        p.setPen(pen)
        y = r.top() + 0.5
        p.drawLine(r.left(), int(y), right, int(y))  # along the top of the hidden part
        pen.setStyle(Qt.PenStyle.SolidLine)
        pen.setWidthF(2.0)
        p.setPen(pen)
        p.drawLine(r.left(), r.top(), r.left(), r.bottom())  # where the fold falls
        p.end()

    # -- big texts ---------------------------------------------------------------------
    def fit_wrap(self, size: int) -> None:
        """Choose the wrap mode for a text of ``size`` characters before it is laid out."""
        mode = (QTextOption.WrapMode.WrapAnywhere if size > BIG_TEXT
                else QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        if self.wordWrapMode() != mode:
            self.setWordWrapMode(mode)

    def setPlainText(self, text: str) -> None:  # noqa: N802
        self.fit_wrap(len(text))
        super().setPlainText(text)

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802
        if source.hasText():
            self.fit_wrap(self.document().characterCount() + len(source.text()))
        super().insertFromMimeData(source)
        self.fit_wrap(self.document().characterCount())

    # -- edits -------------------------------------------------------------------------
    def select_range(self, start: int, end: int) -> None:
        """Select document positions start..end and bring them into view."""
        cursor = self.textCursor()
        limit = self.document().characterCount() - 1
        cursor.setPosition(max(0, min(start, limit)))
        cursor.setPosition(max(0, min(end, limit)), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def replace_range(self, start: int, end: int, text: str) -> None:
        """Replace document positions start..end with ``text`` as one undoable edit."""
        cursor = QTextCursor(self.document())
        limit = self.document().characterCount() - 1
        cursor.beginEditBlock()
        cursor.setPosition(max(0, min(start, limit)))
        cursor.setPosition(max(0, min(end, limit)), QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(text)
        cursor.endEditBlock()
        self.setTextCursor(cursor)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        # Ctrl+0 resets zoom; the other zoom keys are menu actions.
        if (event.key() == Qt.Key.Key_0
                and event.modifiers() == Qt.KeyboardModifier.ControlModifier):
            self.zoom_reset()
            return
        super().keyPressEvent(event)
