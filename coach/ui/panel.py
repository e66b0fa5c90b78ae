"""The side panel of suggestions, grouped by area, updated in place.

Each finding gets a card keyed by a start-independent identity (its rule and which
occurrence of that rule it is), so typing elsewhere in the draft updates a card's text
without replacing the widget: focus, selection and scroll position stay where they were.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from coach.analysis import AREAS, Finding

from .facts import AREA_TITLES, rule_spec
from .plain import button_text, plain_label, tooltip
from .style import SEVERITY_WORDS, accent, focus_colour, muted, severity_icon

QUOTE_CHARS = 60
MAX_CARDS_PER_AREA = 12  # more than this helps nobody; the rest wait behind a line


@dataclass(frozen=True, slots=True)
class Item:
    """One finding as the panel shows it."""

    key: Hashable
    finding: Finding
    text: str  # the analysed draft (shared by all items of one result)

    @property
    def quote(self) -> str:
        """The span's text, as the person wrote it, on one short line."""
        return quote(self.text[self.finding.start:self.finding.end])


def quote(text: str) -> str:
    """The span as a short one-line quote."""
    text = " ".join(text.split())
    if len(text) > QUOTE_CHARS:
        text = text[:QUOTE_CHARS - 1].rstrip() + "…"
    return text


def _fix_label(fix: str) -> str:
    shown = quote(fix) if fix.strip() else ""
    if not shown:
        return "Remove it"
    return f"Change to “{shown}”"


class FindingCard(QFrame):
    """A finding: what is wrong, why it matters, what to do, and buttons to act."""

    activated = Signal(object)
    fixRequested = Signal(object)
    dismissRequested = Signal(object)
    disableRequested = Signal(str)

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findingCard")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # Minimum, not Maximum: a card must be able to grow past its size hint when its
        # title wraps at the panel's real width (else the wrapped message is clipped).
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._selected = False
        self.icon = plain_label(self)
        self.title = plain_label(self)
        bold = QFont(self.font())
        bold.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(bold)
        self.title.setWordWrap(True)
        self.title.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.severity = plain_label(self)
        self.message = plain_label(self)
        self.quote = plain_label(self)
        self.advice = plain_label(self)
        self.why = plain_label(self)
        for label in (self.message, self.quote, self.advice, self.why):
            label.setWordWrap(True)
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        small = QFont(self.font())
        small.setPointSizeF(small.pointSizeF() * 0.92)
        self.why.setFont(small)
        italic = QFont(self.font())
        italic.setItalic(True)
        self.quote.setFont(italic)
        self.severity.setFont(small)
        self.fix_button = QPushButton(self)
        self.fix_button.setCursor(Qt.CursorShape.ArrowCursor)
        self.dismiss_button = QPushButton("Dismiss", self)
        self.dismiss_button.setCursor(Qt.CursorShape.ArrowCursor)
        self.dismiss_button.setFlat(True)
        self.fix_button.clicked.connect(lambda: self.fixRequested.emit(self.key))
        self.dismiss_button.clicked.connect(lambda: self.dismissRequested.emit(self.key))

        head = QHBoxLayout()
        head.setSpacing(8)
        head.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.title, 1)
        head.addWidget(self.severity, 0, Qt.AlignmentFlag.AlignTop)
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        buttons.addWidget(self.fix_button)
        buttons.addStretch(1)
        buttons.addWidget(self.dismiss_button)
        box = QVBoxLayout(self)
        box.setContentsMargins(12, 10, 12, 10)
        box.setSpacing(5)
        box.addLayout(head)
        for label in (self.message, self.quote, self.advice, self.why):
            box.addWidget(label)
        box.addLayout(buttons)
        self.set_item(item)
        self._recolour()

    def set_item(self, item: Item) -> None:
        """Show this finding (same identity, maybe new text or position)."""
        self.item = item
        self.key = item.key
        f = item.finding
        old = getattr(self, "_shown", None)
        said = item.quote
        shown = (f.rule, f.severity, f.message, f.suggestion, f.fix, said)
        if old == shown:
            return
        self._shown = shown
        spec = rule_spec(f.rule)
        title = spec.title if spec else f.rule
        why = spec.why if spec else ""
        self.icon.setPixmap(severity_icon(f.severity, 14).pixmap(14, 14))
        self.icon.setToolTip(tooltip(SEVERITY_WORDS[f.severity]))
        self.title.setText(title)
        self.severity.setText(SEVERITY_WORDS[f.severity])
        self.message.setText(f.message)
        self.message.setVisible(bool(f.message) and f.message != title)
        self.quote.setText(f"“{said}”" if said else "")
        # Messages often quote the span already; say it once.
        self.quote.setVisible(bool(said) and said not in f.message)
        self.advice.setText(f"What to do: {f.suggestion}" if f.suggestion else "")
        self.advice.setVisible(bool(f.suggestion))
        self.why.setText(f"Why it matters: {why}" if why else "")
        self.why.setVisible(bool(why) and self._selected)
        self.fix_button.setVisible(f.fix is not None)
        if f.fix is not None:
            self.fix_button.setText(button_text(_fix_label(f.fix)))
            self.fix_button.setAccessibleName(f"Apply fix: {_fix_label(f.fix)}")
            self.fix_button.setToolTip(tooltip("Apply this fix (Ctrl+.)"))
        self.dismiss_button.setAccessibleName(f"Dismiss: {title}")
        self.dismiss_button.setToolTip(tooltip("Hide this suggestion for this draft"))
        self.setAccessibleName(f"{SEVERITY_WORDS[f.severity]}: {title}")
        self.setAccessibleDescription(" ".join(x for x in (f.message, f.suggestion, why) if x))

    @property
    def selected(self) -> bool:
        return self._selected

    def set_selected(self, selected: bool) -> None:
        """The current card opens up to say why the finding matters."""
        if selected != self._selected:
            self._selected = selected
            self.why.setVisible(selected and bool(self.why.text()))
            self.update()

    def changeEvent(self, event) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange:
            self._recolour()

    def _recolour(self) -> None:
        grey = muted(self.palette())
        for label in (self.quote, self.why, self.severity):
            pal = label.palette()
            pal.setColor(QPalette.ColorRole.WindowText, grey)
            label.setPalette(pal)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        base = pal.color(QPalette.ColorRole.Base)
        border = QColor(pal.color(QPalette.ColorRole.WindowText))
        border.setAlpha(30)
        r = self.rect().adjusted(1, 1, -1, -1)
        p.setPen(border)
        p.setBrush(base)
        p.drawRoundedRect(r, 8, 8)
        # A stripe in the severity colour along the left edge.
        stripe = accent(self.item.finding.severity)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(stripe)
        p.drawRoundedRect(r.left(), r.top() + 8, 3, r.height() - 16, 1.5, 1.5)
        if self._selected or self.hasFocus():
            p.setPen(QPen(focus_colour(pal), 2 if self._selected else 1.2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(r.adjusted(1, 1, -1, -1), 7, 7)
        p.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self.activated.emit(self.key)
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit(self.key)
            return
        if event.key() == Qt.Key.Key_Delete:
            self.dismissRequested.emit(self.key)
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:  # noqa: N802
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.update()

    def contextMenuEvent(self, event) -> None:  # noqa: N802
        self.show_menu(event.globalPos())

    def show_menu(self, where: QPoint) -> QMenu:
        menu = QMenu(self)
        spec = rule_spec(self.item.finding.rule)
        title = spec.title if spec else self.item.finding.rule
        menu.addAction("Show in draft", lambda: self.activated.emit(self.key))
        if self.item.finding.fix is not None:
            menu.addAction("Apply fix", lambda: self.fixRequested.emit(self.key))
        menu.addAction("Dismiss", lambda: self.dismissRequested.emit(self.key))
        menu.addAction(button_text(f"Turn off “{title}” for this draft"),
                       lambda: self.disableRequested.emit(self.item.finding.rule))
        menu.popup(where)
        return menu


class _Section(QWidget):
    """An area's heading and its cards."""

    def __init__(self, area: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.area = area
        self.heading = plain_label(self)
        f = QFont(self.font())
        f.setWeight(QFont.Weight.DemiBold)
        f.setPointSizeF(f.pointSizeF() * 0.92)
        self.heading.setFont(f)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 6, 0, 4)
        self.layout_.setSpacing(8)
        self.layout_.addWidget(self.heading)
        self.more = plain_label(self)
        self.more.setWordWrap(True)
        self.more.hide()
        self.layout_.addWidget(self.more)
        self.cards: list[FindingCard] = []

    def set_hidden(self, n: int) -> None:
        """Say how many findings of this area are not shown as cards."""
        self.more.setText(f"…and {n} more like these. Work through the ones above first; "
                          "F8 visits them all in the draft.")
        self.more.setAccessibleName(f"{n} more suggestions not listed")
        self.more.setVisible(n > 0)

    def set_count(self, n: int) -> None:
        title = AREA_TITLES.get(self.area, self.area)
        self.heading.setText(f"{title.upper()}  ·  {n}")
        self.heading.setAccessibleName(f"{title}: {n} suggestion{'s' if n != 1 else ''}")


class SuggestionPanel(QScrollArea):
    """Cards for the current findings, grouped by area, kept in place between updates."""

    activated = Signal(object)
    fixRequested = Signal(object)
    dismissRequested = Signal(object)
    disableRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Suggestions")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget(self)
        inner.setAccessibleName("Suggestion list")
        self._box = QVBoxLayout(inner)
        self._box.setContentsMargins(10, 4, 10, 10)
        self._box.setSpacing(6)
        self.empty = plain_label(inner)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setAccessibleName("No suggestions")
        self.empty.setContentsMargins(12, 28, 12, 28)
        self._box.addWidget(self.empty)
        self.sections = {area: _Section(area, inner) for area in AREAS}
        for section in self.sections.values():
            self._box.addWidget(section)
            section.hide()
        self._box.addStretch(1)
        self.setWidget(inner)
        self.cards: dict[Hashable, FindingCard] = {}
        self.selected_key: Hashable | None = None
        self.created = 0  # cards ever created (tests check that updates reuse cards)
        self.set_empty_text("Start writing: suggestions appear here as you type.")

    def set_empty_text(self, text: str) -> None:
        self.empty.setText(text)

    def order(self) -> list[Hashable]:
        """Keys of the cards in the order shown (area by area)."""
        return [c.key for s in self.sections.values() for c in s.cards]

    def set_items(self, items: Sequence[Item]) -> None:
        """Show these findings, reusing the cards of findings already shown. The card at
        the top of the view stays where it is, whatever changes above it."""
        anchor = self._anchor()
        self._update(items)
        self._keep(anchor)

    def _keep(self, anchor: tuple[Hashable, int] | None) -> None:
        """Scroll so that the anchor card is where it was before cards changed above it."""
        if anchor is not None and anchor[0] in self.cards:
            # Lay the new cards out now (word-wrapped labels settle their height in posted
            # layout requests), then put the anchor card back where it was.
            QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
            self.widget().layout().activate()
            card = self.cards[anchor[0]]
            top = card.mapTo(self.widget(), card.rect().topLeft()).y()
            self.verticalScrollBar().setValue(top + anchor[1])

    def _anchor(self) -> tuple[Hashable, int] | None:
        """The first card visible at the top of the view, and its distance from the top."""
        value = self.verticalScrollBar().value()
        if value == 0:
            return None
        for section in self.sections.values():
            for card in section.cards:
                top = card.mapTo(self.widget(), card.rect().topLeft()).y()
                if top + card.height() > value:
                    return card.key, value - top
        return None

    def _update(self, items: Sequence[Item]) -> None:
        by_area: dict[str, list[Item]] = {area: [] for area in AREAS}
        for item in items:
            by_area.setdefault(item.finding.area, []).append(item)
        total = {area: len(found) for area, found in by_area.items()}
        for area, found in by_area.items():
            if len(found) > MAX_CARDS_PER_AREA:
                # Keep the worst ones, in the order they appear in the draft.
                worst = sorted(found, key=lambda i: -i.finding.severity)[:MAX_CARDS_PER_AREA]
                chosen = {id(i) for i in worst}
                by_area[area] = [i for i in found if id(i) in chosen]
        keep = {item.key for found in by_area.values() for item in found}
        # A finding whose text was edited comes back under a new key: give it the card of
        # a vanished finding of the same rule, so the widget (and its selection) stays.
        orphans: dict[str, list[FindingCard]] = {}
        for key in [k for k in self.cards if k not in keep]:
            card = self.cards.pop(key)
            orphans.setdefault(card.item.finding.rule, []).append(card)
        for found in by_area.values():
            for item in found:
                spare = orphans.get(item.finding.rule)
                if item.key not in self.cards and spare:
                    card = spare.pop(0)
                    if self.selected_key == card.key:
                        self.selected_key = item.key
                    card.set_item(item)
                    self.cards[item.key] = card
        for spare in orphans.values():
            for card in spare:
                card.hide()
                card.deleteLater()
        for area, section in self.sections.items():
            wanted = by_area.get(area, [])
            cards = []
            for item in wanted:
                card = self.cards.get(item.key)
                if card is None:
                    card = self._new_card(item, section)
                elif card.item != item:
                    card.set_item(item)
                cards.append(card)
            if [id(c) for c in cards] != [id(c) for c in section.cards]:
                for old in section.cards:
                    section.layout_.removeWidget(old)
                section.layout_.removeWidget(section.more)
                for card in cards:
                    section.layout_.addWidget(card)
                    card.show()
                section.layout_.addWidget(section.more)
            section.cards = cards
            section.set_count(total.get(area, 0))
            section.set_hidden(total.get(area, 0) - len(cards))
            section.setVisible(bool(cards))
        self.empty.setVisible(not items)
        if self.selected_key not in self.cards:
            self.selected_key = None

    def _new_card(self, item: Item, section: _Section) -> FindingCard:
        card = FindingCard(item, section)
        card.activated.connect(self.activated)
        card.fixRequested.connect(self.fixRequested)
        card.dismissRequested.connect(self.dismissRequested)
        card.disableRequested.connect(self.disableRequested)
        self.cards[item.key] = card
        self.created += 1
        return card

    def select(self, key: Hashable | None, *, scroll: bool = True) -> None:
        """Mark one card as the current finding (None: none) and scroll it into view, or,
        without ``scroll``, keep the view where it is while the card opens or closes."""
        anchor = None if scroll else self._anchor()
        if self.selected_key in self.cards:
            self.cards[self.selected_key].set_selected(False)
        self.selected_key = key if key in self.cards else None
        if self.selected_key is not None:
            card = self.cards[self.selected_key]
            card.set_selected(True)
            if scroll:
                self.ensureWidgetVisible(card, 0, 12)
        if anchor is not None and anchor[0] != self.selected_key:
            self._keep(anchor)
