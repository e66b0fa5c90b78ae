"""Paint findings in the editor: precomputed ranges only, so highlightBlock stays cheap.

Marks are kept in document (UTF-16) positions. Between two analyses they follow the text:
every edit shifts the marks after it, before Qt re-highlights the edited block (our slot is
connected to contentsChange ahead of the highlighter's own). When a new report arrives only
the blocks whose marks changed are re-highlighted.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from coach.analysis import Severity

from .offsets import utf16_len
from .style import mark_format

MAX_MARKS = 400  # marks kept for the whole draft (the worst first)
MAX_PER_BLOCK = 64  # formats painted in one block, so a pathological paragraph stays cheap


@dataclass(slots=True)
class Mark:
    """One finding's span in document positions (UTF-16 code units)."""

    start: int
    end: int
    severity: Severity
    key: Hashable = None


class FindingHighlighter(QSyntaxHighlighter):
    """Underlines findings by severity; the only work in highlightBlock is a lookup."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(None)
        self._marks: list[Mark] = []
        self._starts: list[int] = []
        self._longest = 0
        self._fold: int | None = None
        self._dim = QTextCharFormat()
        self._dim_marks: dict[Severity, QTextCharFormat] = {}
        self.painted_blocks = 0  # how many times a block was highlighted (for tests)
        # Connected before setDocument, so marks move before Qt re-highlights an edit.
        document.contentsChange.connect(self._follow_edit)
        self.setDocument(document)

    @property
    def marks(self) -> list[Mark]:
        return list(self._marks)

    def set_marks(self, marks: Iterable[Mark]) -> int:
        """Show these marks; re-highlight only the blocks that look different. Returns the
        number of blocks re-highlighted."""
        new = sorted(marks, key=lambda m: (-m.severity, m.start))[:MAX_MARKS]
        new = [m for m in new if m.end > m.start]
        new.sort(key=lambda m: (m.start, m.severity))
        if [(m.start, m.end, m.severity) for m in new] == \
                [(m.start, m.end, m.severity) for m in self._marks]:
            self._set(new)  # same look (keys may differ): nothing to repaint
            return 0
        old_blocks = self._by_block(self._marks)
        self._set(new)
        new_blocks = self._by_block(new)
        doc = self.document()
        changed = sorted(n for n in old_blocks.keys() | new_blocks.keys()
                         if old_blocks.get(n) != new_blocks.get(n))
        for number in changed:
            block = doc.findBlockByNumber(number)
            if block.isValid():
                self.rehighlightBlock(block)
        return len(changed)

    @property
    def fold(self) -> int | None:
        return self._fold

    def set_fold(self, position: int | None) -> None:
        """Dim the text from document position ``position`` on (what hides behind "see
        more"); only the blocks where the dimming starts or stops are re-highlighted."""
        old, self._fold = self._fold, position
        if old == position:
            return
        doc = self.document()
        if old is None or position is None:
            start = doc.findBlock(position if old is None else old)
            block = start
            while block.isValid():
                self.rehighlightBlock(block)
                block = block.next()
            return
        first, last = sorted((doc.findBlock(old), doc.findBlock(position)),
                             key=lambda b: b.blockNumber())
        block = first
        while block.isValid() and block.blockNumber() <= last.blockNumber():
            self.rehighlightBlock(block)
            block = block.next()

    def set_dim_colour(self, colour: QColor) -> None:
        """The text colour of the folded part (follows the palette)."""
        self._dim = QTextCharFormat()
        self._dim.setForeground(colour)
        self._dim_marks = {}
        for severity in Severity:
            fmt = QTextCharFormat(mark_format(severity))
            fmt.setForeground(colour)
            self._dim_marks[severity] = fmt
        if self._fold is not None:
            self.rehighlight()

    def _set(self, marks: list[Mark]) -> None:
        self._marks = marks
        self._starts = [m.start for m in marks]
        self._longest = max((m.end - m.start for m in marks), default=0)

    def _by_block(self, marks: list[Mark]) -> dict[int, frozenset[tuple[int, int, int]]]:
        doc = self.document()
        blocks: dict[int, set[tuple[int, int, int]]] = defaultdict(set)
        for m in marks:
            first = doc.findBlock(m.start).blockNumber()
            last = doc.findBlock(max(m.start, m.end - 1)).blockNumber()
            for number in range(max(first, 0), max(last, first) + 1):
                blocks[number].add((m.start, m.end, int(m.severity)))
        return {n: frozenset(s) for n, s in blocks.items()}

    def _follow_edit(self, pos: int, removed: int, added: int) -> None:
        if not self._marks or (removed == 0 and added == 0):
            return
        delta = added - removed
        edit_end = pos + removed
        kept: list[Mark] = []
        for m in self._marks:
            if m.end <= pos:
                pass
            elif m.start >= edit_end:
                m.start += delta
                m.end += delta
            else:  # the edit touches the mark: keep what is left of it
                m.start = m.start if m.start < pos else pos + added
                m.end = m.end + delta if m.end > edit_end else pos + (added if m.start < pos
                                                                      else 0)
            if m.end > m.start:
                kept.append(m)
        kept.sort(key=lambda m: (m.start, m.severity))
        self._set(kept)

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt's name)
        self.painted_blocks += 1
        begin = self.currentBlock().position()
        end = begin + utf16_len(text)
        fold = self._fold if self._fold is not None and self._fold < end else None
        if fold is not None:
            self.setFormat(max(0, fold - begin), end - max(fold, begin), self._dim)
        if not self._marks:
            return
        first = bisect_left(self._starts, begin - self._longest)
        spans: list[tuple[int, int, int, Severity]] = []
        for i in range(first, len(self._marks)):
            m = self._marks[i]
            if m.start >= end or len(spans) >= MAX_PER_BLOCK:
                break
            a, b = max(m.start, begin), min(m.end, end)
            if b > a:
                spans.append((int(m.severity), a, b, m.severity))
        spans.sort()  # the worst severity is painted last, so it wins where marks overlap
        for _, a, b, severity in spans:
            if fold is None or b <= fold:
                self.setFormat(a - begin, b - a, mark_format(severity))
                continue
            if a < fold:
                self.setFormat(a - begin, fold - a, mark_format(severity))
                a = fold
            self.setFormat(a - begin, b - a, self._dim_marks.get(severity,
                                                                  mark_format(severity)))
