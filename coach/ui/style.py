"""Looks shared by the widgets: severity marks, fonts, and the light/dark palettes.

Everything takes its colours from the palette except the four severity accents, which are
mid-tones chosen to read on light and dark backgrounds alike. Severity never relies on
colour alone: each has its own underline style and its own icon shape.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QIcon,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
    QPolygonF,
    QTextCharFormat,
)
from PySide6.QtWidgets import QApplication

from coach.analysis import Severity

ACCENTS: dict[Severity, str] = {
    Severity.ERROR: "#e0474c",
    Severity.WARNING: "#d9910f",
    Severity.SUGGESTION: "#3d7fe0",
    Severity.INFO: "#8a8fa0",
}
SEVERITY_WORDS: dict[Severity, str] = {
    Severity.ERROR: "Must fix", Severity.WARNING: "Warning",
    Severity.SUGGESTION: "Suggestion", Severity.INFO: "Note",
}
UNDERLINES: dict[Severity, QTextCharFormat.UnderlineStyle] = {
    Severity.ERROR: QTextCharFormat.UnderlineStyle.WaveUnderline,
    Severity.WARNING: QTextCharFormat.UnderlineStyle.WaveUnderline,
    Severity.SUGGESTION: QTextCharFormat.UnderlineStyle.DashUnderline,
    Severity.INFO: QTextCharFormat.UnderlineStyle.DotLine,
}
SCORE_COLOURS = {"strong": "#2f9e6b", "good": "#3d7fe0", "fair": "#d9910f", "weak": "#e0474c"}
WRITING_FONTS = ("Inter", "Noto Sans", "Source Sans 3", "Cantarell", "Segoe UI",
                 "Helvetica Neue", "DejaVu Sans", "sans-serif")
DEFAULT_POINT_SIZE = 13
MIN_POINT_SIZE, MAX_POINT_SIZE = 8, 40


def accent(severity: Severity) -> QColor:
    return QColor(ACCENTS[severity])


@cache
def mark_format(severity: Severity) -> QTextCharFormat:
    """The editor format for a finding: an underline whose style says the severity; an
    error also gets a faint background so it stands out without colour vision."""
    fmt = QTextCharFormat()
    fmt.setUnderlineStyle(UNDERLINES[severity])
    fmt.setUnderlineColor(accent(severity))
    if severity is Severity.ERROR:
        tint = accent(severity)
        tint.setAlpha(40)
        fmt.setBackground(tint)
    return fmt


def writing_font(point_size: float = DEFAULT_POINT_SIZE) -> QFont:
    font = QFont()
    font.setFamilies(list(WRITING_FONTS))
    font.setPointSizeF(point_size)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    return font


@cache
def severity_icon(severity: Severity, size: int = 16) -> QIcon:
    """A small icon whose shape says the severity: error diamond, warning triangle,
    suggestion filled circle, note hollow circle."""
    icon = QIcon()
    for scale in (1, 2):
        pm = QPixmap(size * scale, size * scale)
        pm.fill(Qt.GlobalColor.transparent)
        pm.setDevicePixelRatio(scale)
        paint_severity(QPainter(pm), QRectF(0, 0, size, size), severity, end=True)
        icon.addPixmap(pm)
    return icon


def paint_severity(p: QPainter, rect: QRectF, severity: Severity, *, end: bool = False) -> None:
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = accent(severity)
    r = rect.adjusted(2, 2, -2, -2)
    c = r.center()
    if severity is Severity.ERROR:
        shape = QPolygonF([QPointF(c.x(), r.top()), QPointF(r.right(), c.y()),
                           QPointF(c.x(), r.bottom()), QPointF(r.left(), c.y())])
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        p.drawPolygon(shape)
    elif severity is Severity.WARNING:
        shape = QPolygonF([QPointF(c.x(), r.top()), QPointF(r.right(), r.bottom()),
                           QPointF(r.left(), r.bottom())])
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        p.drawPolygon(shape)
    elif severity is Severity.SUGGESTION:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        p.drawEllipse(r.adjusted(1, 1, -1, -1))
    else:
        p.setPen(QPen(colour, 2))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(r.adjusted(2, 2, -2, -2))
    if end:
        p.end()


def rounded(rect: QRectF, radius: float) -> QPainterPath:
    path = QPainterPath()
    path.addRoundedRect(rect, radius, radius)
    return path


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def focus_colour(palette: QPalette) -> QColor:
    """The selection colour, deepened when the palette's is too pale to draw lines with."""
    colour = QColor(palette.color(QPalette.ColorRole.Highlight))
    colour.setAlpha(255)
    if colour.lightness() > 170:
        colour = colour.darker(160)
    return colour


def muted(palette: QPalette) -> QColor:
    """Text colour for secondary lines: the text colour blended halfway to the base."""
    a = palette.color(QPalette.ColorRole.WindowText)
    b = palette.color(QPalette.ColorRole.Window)
    return QColor((a.red() * 3 + b.red() * 2) // 5, (a.green() * 3 + b.green() * 2) // 5,
                  (a.blue() * 3 + b.blue() * 2) // 5)


def dark_palette() -> QPalette:
    """A calm dark palette for when the person picks Dark (or the platform has none)."""
    p = QPalette()
    roles = QPalette.ColorRole
    window, base, text = QColor("#202124"), QColor("#17181a"), QColor("#e6e6e6")
    for role, colour in (
        (roles.Window, window), (roles.WindowText, text), (roles.Base, base),
        (roles.AlternateBase, QColor("#26282b")), (roles.ToolTipBase, QColor("#2b2d31")),
        (roles.ToolTipText, text), (roles.PlaceholderText, QColor("#8c8f96")),
        (roles.Text, text), (roles.Button, QColor("#2b2d31")), (roles.ButtonText, text),
        (roles.BrightText, QColor("#ffffff")), (roles.Light, QColor("#3a3d42")),
        (roles.Midlight, QColor("#323539")), (roles.Mid, QColor("#2a2c30")),
        (roles.Dark, QColor("#111214")), (roles.Shadow, QColor("#000000")),
        (roles.Highlight, QColor("#3d6fb8")), (roles.HighlightedText, QColor("#ffffff")),
        (roles.Link, QColor("#7fb0ff")), (roles.LinkVisited, QColor("#b89cff")),
    ):
        p.setColor(role, colour)
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        p.setColor(disabled, role, QColor("#6f737a"))
    return p


def light_palette() -> QPalette:
    """A light palette with the same calm contrast as the dark one."""
    p = QPalette()
    roles = QPalette.ColorRole
    window, base, text = QColor("#f4f4f2"), QColor("#ffffff"), QColor("#1f2328")
    for role, colour in (
        (roles.Window, window), (roles.WindowText, text), (roles.Base, base),
        (roles.AlternateBase, QColor("#f0f0ee")), (roles.ToolTipBase, QColor("#ffffff")),
        (roles.ToolTipText, text), (roles.PlaceholderText, QColor("#8a8f98")),
        (roles.Text, text), (roles.Button, QColor("#f7f7f5")), (roles.ButtonText, text),
        (roles.BrightText, QColor("#ffffff")), (roles.Light, QColor("#ffffff")),
        (roles.Midlight, QColor("#ececea")), (roles.Mid, QColor("#d6d6d3")),
        (roles.Dark, QColor("#a0a0a0")), (roles.Shadow, QColor("#6b6b6b")),
        (roles.Highlight, QColor("#bcd4f6")), (roles.HighlightedText, text),
        (roles.Link, QColor("#1f63c6")), (roles.LinkVisited, QColor("#6a3fc1")),
    ):
        p.setColor(role, colour)
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        p.setColor(disabled, role, QColor("#9a9ea5"))
    return p


def brush(colour: str | QColor) -> QBrush:
    return QBrush(QColor(colour))
