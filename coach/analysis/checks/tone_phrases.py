"""tone.hostile: phrases that put people down.

The phrases of the list ``hostile`` in ``[tone]`` of each language pack are found as the
existence kind finds a list (coach/analysis/kinds.py; tone.hard_sell is such a list and
nothing more, declared as data with no code). Insult words are why this rule stays code:
"idiot" aimed at no one ("this idiot-proof recipe", "I felt like an idiot") is not
hostility towards readers. An insult fires only when it is aimed:
written straight after a word that addresses someone ("you", "dasar", "eres", "du bist")
with at most three filler words between ("you absolute idiot", "kamu itu bodoh"), or
straight before one ("goblok lo", "idiota eres"). The lists are ``insults``,
``insult_targets_before``, ``insult_targets_after`` and ``insult_fillers``; plural or
always-aimed insults ("idiots", "sheeple") sit in ``hostile`` itself.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import regex

from ..context import Check, Context
from ..model import Finding
from ..phrases import PhraseList, lexicon_phrases
from ..profile import Tone
from ..text import Doc

HOSTILE = "tone.hostile"

_WINDOW = 80  # characters before an insult searched for "you", "dasar", "du bist" …
_SPACE_RE = regex.compile(r"\s+")
_GAP_RE = regex.compile(r"[\s,]+")
_MAX_FILLERS = 3


@dataclass(frozen=True, slots=True)
class AimedInsults:
    """Insult words, and the words that tell whether one is aimed at someone."""

    words: PhraseList
    before: PhraseList  # "you", "du bist" … right before the insult
    after: PhraseList  # "lu", "eres" … right after it
    fillers: PhraseList  # "absolute", "amat" … that may stand between (at most three)

    def spans(self, doc: Doc) -> Iterator[tuple[int, int]]:
        """Spans from the addressing word to the insult, or the other way round."""
        for start, end, _ in self.words.find(doc):
            target = next((t for t in self.before.find(doc, max(0, start - _WINDOW), start)
                           if self._reaches(doc, t.end, start)), None)
            if target is not None:
                yield target.start, end
                continue
            last = self._after(doc, end)
            if last is not None:
                yield start, last

    def _reaches(self, doc: Doc, pos: int, goal: int) -> bool:
        """Whether fillers, then spaces or commas, lead from ``pos`` to ``goal``."""
        for _ in range(_MAX_FILLERS + 1):
            if _GAP_RE.fullmatch(doc.text, pos, goal):
                return True
            pos = self._filler_end(doc, pos, goal)
            if pos is None:
                return False
        return False

    def _after(self, doc: Doc, pos: int) -> int | None:
        """The end of "(amat) lu" right after an insult that ends at ``pos``, or None."""
        for _ in range(_MAX_FILLERS + 1):
            gap = _GAP_RE.match(doc.text, pos)
            target = self.after.match_at(doc, gap.end()) if gap else None
            if target is not None:
                return target.end
            pos = self._filler_end(doc, pos)
            if pos is None:
                return None
        return None

    def _filler_end(self, doc: Doc, pos: int, goal: int | None = None) -> int | None:
        space = _SPACE_RE.match(doc.text, pos, goal)
        filler = space and self.fillers.match_at(doc, space.end(), goal)
        return filler.end if filler else None


@cache
def aimed_insults(tone: Tone) -> AimedInsults:
    """The aimed-insult lists of a language's [tone] area (see the module doc)."""
    return AimedInsults(*(lexicon_phrases(phrases) for phrases in (
        tone.insults, tone.insult_targets_before, tone.insult_targets_after,
        tone.insult_fillers)))


def _quoted(text: str) -> str:
    return " ".join(text.split())


def run_hostile(ctx: Context) -> Iterator[Finding]:
    listed = lexicon_phrases(ctx.pack.tone.hostile).find(ctx.doc)
    for start, end, _ in listed:
        yield ctx.finding(HOSTILE, start, end, phrase=_quoted(ctx.text[start:end]))
    starts = [m.start for m in listed]
    for start, end in aimed_insults(ctx.pack.tone).spans(ctx.doc):
        i = bisect_left(starts, end) - 1
        if i >= 0 and listed[i].end > start:
            continue  # "you idiots" is already reported as "idiots"
        yield ctx.finding(HOSTILE, start, end, phrase=_quoted(ctx.text[start:end]))


CHECK = Check(rules=(HOSTILE,), run=run_hostile)
