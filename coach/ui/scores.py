"""The scores, drawn: a ring for the conversation score and a bar for each meter, each with
the word that goes with its number (strong, good, fair, weak)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from coach.analysis import AREAS, Scores
from coach.analysis.scoring import label

from .facts import AREA_TITLES
from .style import SCORE_COLOURS, muted, rounded


def _track(palette: QPalette) -> QColor:
    c = QColor(palette.color(QPalette.ColorRole.WindowText))
    c.setAlpha(28)
    return c


class _ScoreWidget(QWidget):
    """A drawn 0-100 score whose accessible name says it in words."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.value: int | None = None

    def set_value(self, value: int | None) -> None:
        if value != self.value:
            self.value = value
            self._describe()
            self.update()

    def _describe(self) -> None:
        if self.value is None:
            self.setAccessibleName(f"{self.title}: not scored yet")
        else:
            self.setAccessibleName(f"{self.title}: {self.value} of 100, {label(self.value)}")
        self.setToolTip(self.accessibleName())


class ScoreRing(_ScoreWidget):
    """The overall conversation score as a ring, with its number and word inside."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Conversation score", parent)
        self.setMinimumSize(92, 92)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._describe()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(96, 96)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height()) - 8
        rect = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        pen = QPen(_track(self.palette()), 7, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        p.drawArc(rect, 0, 360 * 16)
        text_colour = self.palette().color(QPalette.ColorRole.WindowText)
        if self.value is not None:
            word = label(self.value)
            pen.setColor(QColor(SCORE_COLOURS[word]))
            p.setPen(pen)
            span = int(-360 * 16 * max(0, min(100, self.value)) / 100)
            p.drawArc(rect, 90 * 16, span)
        number = "–" if self.value is None else str(self.value)
        f = QFont(self.font())
        f.setPointSizeF(f.pointSizeF() * 1.9)
        f.setWeight(QFont.Weight.DemiBold)
        p.setFont(f)
        p.setPen(text_colour)
        upper = QRectF(rect.left(), rect.top() + side * 0.18, side, side * 0.45)
        p.drawText(upper, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, number)
        f = QFont(self.font())
        f.setPointSizeF(f.pointSizeF() * 0.85)
        p.setFont(f)
        p.setPen(muted(self.palette()))
        lower = QRectF(rect.left(), rect.top() + side * 0.62, side, side * 0.25)
        word = "" if self.value is None else label(self.value)
        p.drawText(lower, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, word)
        p.end()


class Meter(_ScoreWidget):
    """One meter: its name, a bar, its number and word on one line."""

    def __init__(self, area: str, parent: QWidget | None = None) -> None:
        super().__init__(AREA_TITLES.get(area, area.title()), parent)
        self.area = area
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._describe()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(220, self.fontMetrics().height() + 6)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(160, self.fontMetrics().height() + 6)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = self.fontMetrics()
        h = self.height()
        name_w = fm.horizontalAdvance("Platform fit") + 10
        value_w = fm.horizontalAdvance("100 strong") + 6
        p.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        p.drawText(QRectF(0, 0, name_w, h), Qt.AlignmentFlag.AlignVCenter, self.title)
        bar = QRectF(name_w, h / 2 - 3, max(20, self.width() - name_w - value_w - 8), 6)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(_track(self.palette()))
        p.drawPath(rounded(bar, 3))
        if self.value is not None:
            word = label(self.value)
            fill = QRectF(bar.left(), bar.top(), bar.width() * max(0, min(100, self.value)) / 100,
                          bar.height())
            p.setBrush(QColor(SCORE_COLOURS[word]))
            if fill.width() > 0:
                p.drawPath(rounded(fill, 3))
            p.setPen(muted(self.palette()))
            text = f"{self.value} {word}"
        else:
            p.setPen(muted(self.palette()))
            text = "–"
        p.drawText(QRectF(self.width() - value_w, 0, value_w, h),
                   Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, text)
        p.end()


class ScoresView(QWidget):
    """The overall ring beside the four meters."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Scores")
        self.ring = ScoreRing(self)
        self.meters = {area: Meter(area, self) for area in AREAS}
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 4, 4, 4)
        row.setSpacing(14)
        row.addWidget(self.ring, 0, Qt.AlignmentFlag.AlignVCenter)
        column = QVBoxLayout()
        column.setSpacing(2)
        for meter in self.meters.values():
            column.addWidget(meter)
        row.addLayout(column, 1)

    def set_scores(self, scores: Scores | None) -> None:
        self.ring.set_value(None if scores is None else scores.overall)
        for area, meter in self.meters.items():
            meter.set_value(None if scores is None else getattr(scores, area))
