"""The one place where engine offsets meet Qt offsets.

The engine counts Python code points; Qt (QString, QTextCursor, QTextLayout) counts UTF-16
code units, where every code point above U+FFFF (😀, the halves of 🇮🇩, the skin tone in
👍🏽) takes two units. Every conversion in the UI goes through :class:`OffsetMap`, built
once per text: a text without astral code points (most drafts) converts for free, any other
text in O(log n) per offset.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class OffsetMap:
    """Converts offsets between code points (engine) and UTF-16 units (Qt) for one text."""

    __slots__ = ("_astral", "_units", "length", "utf16_length")

    def __init__(self, text: str) -> None:
        # Code-point offsets of astral characters, and their UTF-16 offsets (second list
        # derived so both directions are a bisect).
        self._astral = [m.start() for m in _ASTRAL.finditer(text)]
        self._units = [cp + i for i, cp in enumerate(self._astral)]
        self.length = len(text)
        self.utf16_length = len(text) + len(self._astral)

    def to_utf16(self, offset: int) -> int:
        """The UTF-16 offset of code-point ``offset`` (clamped to the text)."""
        offset = max(0, min(offset, self.length))
        if not self._astral:
            return offset
        return offset + bisect_left(self._astral, offset)

    def to_codepoint(self, unit: int) -> int:
        """The code-point offset of UTF-16 ``unit``; a unit inside a surrogate pair maps to
        the start of its character, so a conversion never splits a character."""
        unit = max(0, min(unit, self.utf16_length))
        if not self._units:
            return unit
        # Each astral character starting before ``unit`` adds one unit; for a unit on a
        # low surrogate that same count lands on the character's own start.
        return unit - bisect_right(self._units, unit - 1)

    def span_to_utf16(self, start: int, end: int) -> tuple[int, int]:
        """A code-point span as a UTF-16 span."""
        return self.to_utf16(start), self.to_utf16(end)


def utf16_len(text: str) -> int:
    """The length of ``text`` in UTF-16 code units, as Qt counts it."""
    return len(text) + len(_ASTRAL.findall(text))
