"""A preview of the post as readers meet it on the chosen platform: the text cut at the
"see more" fold, with hashtags, mentions and links styled as the platform shows them."""

from __future__ import annotations

import html

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from coach.analysis.text import tokenize

from .facts import Count, platform_name
from .plain import plain_label
from .style import is_dark, muted

MAX_PREVIEW_CHARS = 4000
STYLED = ("hashtag", "mention", "url")
WORD_BACKOFF = 24  # how far back the cut may move to land between words
LINK_COLOURS = ("#1f63c6", "#7fb0ff")  # light, dark: a platform-like blue on either


def preview_html(text: str, fold: int | None, link: str, grey: str) -> str:
    """The post as rich text: cut at ``fold`` with "…see more", tags and links coloured."""
    cut = fold is not None and fold < len(text)
    shown = text[:fold] if cut else text
    if len(shown) > MAX_PREVIEW_CHARS:
        shown, cut = shown[:MAX_PREVIEW_CHARS], True
    if cut and fold and not text[fold - 1:fold + 1].isspace() and text[fold:fold + 1].strip():
        # The feed cuts at a word boundary: "your… see more", never "your p… see more".
        space = max(shown.rfind(" "), shown.rfind("\n"))
        if space > len(shown) - WORD_BACKOFF:
            shown = shown[:space]
    shown = shown.rstrip() if cut else shown
    parts: list[str] = []
    pos = 0
    for token in tokenize(shown):
        if token.kind not in STYLED:
            continue
        parts.append(html.escape(shown[pos:token.start]))
        parts.append(f'<span style="color:{link}; font-weight:600">'
                     f"{html.escape(token.text)}</span>")
        pos = token.end
    parts.append(html.escape(shown[pos:]))
    body = "".join(parts).replace("\n", "<br>")
    if cut:
        body += f'<span style="color:{grey}">… </span>' \
                f'<span style="color:{grey}; font-weight:600">see more</span>'
    return body


class _Avatar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedSize(38, 38)
        self.setAccessibleName("Profile picture")

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        c = QColor(self.palette().color(QPalette.ColorRole.Highlight))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(c)
        p.drawEllipse(QRectF(1, 1, 36, 36))
        p.setPen(self.palette().color(QPalette.ColorRole.HighlightedText))
        f = QFont(self.font())
        f.setWeight(QFont.Weight.Bold)
        p.setFont(f)
        p.drawText(QRectF(1, 1, 36, 36), Qt.AlignmentFlag.AlignCenter, "Y")
        p.end()


class PreviewCard(QFrame):
    """A simple card: name, handle, the text up to the fold, and how it counts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("previewCard")
        self.setAccessibleName("Preview of the post")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.avatar = _Avatar(self)
        self.name = plain_label(self, "Your Page")
        bold = QFont(self.font())
        bold.setWeight(QFont.Weight.DemiBold)
        self.name.setFont(bold)
        self.handle = plain_label(self, "@yourpage · now")
        self.where = plain_label(self)
        self.body = plain_label(self)
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)  # markup: preview_html escapes
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.setAccessibleName("Post text as readers see it")
        self.body.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.footer = plain_label(self)
        head = QHBoxLayout()
        head.setSpacing(10)
        who = QVBoxLayout()
        who.setSpacing(0)
        who.addWidget(self.name)
        who.addWidget(self.handle)
        head.addWidget(self.avatar)
        head.addLayout(who, 1)
        head.addWidget(self.where, 0, Qt.AlignmentFlag.AlignTop)
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 14, 16, 14)
        box.setSpacing(10)
        box.addLayout(head)
        box.addWidget(self.body)
        box.addWidget(self.footer)
        self._state: tuple = ()
        self.show_post("", None, None, Count(0, None))

    def show_post(self, text: str, platform: str | None, fold: int | None, count: Count) -> None:
        """Show ``text`` as ``platform`` would, cut at code-point offset ``fold``."""
        pal = self.palette()
        state = (text, platform, fold, count, pal.cacheKey())
        if state == self._state:
            return
        self._state = state
        grey = muted(pal).name()
        link = LINK_COLOURS[is_dark(pal)]
        for label in (self.handle, self.where, self.footer):
            label.setStyleSheet(f"color: {grey};")
        self.where.setText(platform_name(platform) if platform else "")
        if not text.strip():
            self.body.setText(f'<span style="color:{grey}">Your post will appear here.</span>')
        else:
            self.body.setText(preview_html(text, fold, link, grey))
        if count.limit:
            state = f"{count.used:,} / {count.limit:,}"
            if count.over:
                state += f" — {count.over:,} over the limit"
        else:
            state = f"{count.used:,} characters"
        folded = fold is not None and fold < len(text)
        self.footer.setText(state + ("  ·  cut at the fold" if folded else ""))
        self.body.setAccessibleDescription(self.body.text())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        border = QColor(pal.color(QPalette.ColorRole.WindowText))
        border.setAlpha(36)
        p.setPen(border)
        p.setBrush(pal.color(QPalette.ColorRole.Base))
        p.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 10, 10)
        p.end()
