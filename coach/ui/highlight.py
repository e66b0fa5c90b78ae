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

from PySide6.QtGui import QSyntaxHighlighter, QTextDocument

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
        if not self._marks:
            return
        begin = self.currentBlock().position()
        end = begin + utf16_len(text)
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
            self.setFormat(a - begin, b - a, mark_format(severity))
