"""tone.hard_sell and tone.hostile: phrases that push or put people down.

Both are phrase lists in ``[tone]`` of each language pack (``hard_sell``, ``hostile``).
Insult words are different: "idiot" aimed at no one ("this idiot-proof recipe", "I felt
like an idiot") is not hostility towards readers. An insult fires only when it is aimed:
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

from ..engine import Check, Context
from ..model import Finding
from ..packs import language_pack
from ..phrases import phrase_pattern
from .tone_common import (
    PhraseList,
    fold,
    overlaps,
    phrase_hits,
    phrase_list,
    protected_spans,
)

HARD_SELL = "tone.hard_sell"
HOSTILE = "tone.hostile"


def _alternation(items: tuple[str, ...] | list[str]) -> str:
    ordered = sorted({str(i) for i in items if str(i).strip()}, key=len, reverse=True)
    return "|".join(phrase_pattern(i) for i in ordered)


@dataclass(frozen=True, slots=True)
class AimedInsults:
    """Insult words, and the patterns that tell whether one is aimed at someone."""

    words: PhraseList
    before: regex.Pattern[str] | None  # "you (absolute) " right before the insult
    after: regex.Pattern[str] | None  # " (amat) lu" right after it

    def spans(self, text: str, folded: str) -> Iterator[tuple[int, int]]:
        """Spans from the addressing word to the insult, or the other way round."""
        for start, end in self.words.spans(text, folded):
            if self.before is not None:
                window = max(0, start - _WINDOW)
                while 0 < window < start and text[window - 1].isalnum():
                    window += 1  # start the window on a word boundary
                m = self.before.search(text, window, start)
                if m is not None:
                    yield m.start(), end
                    continue
            if self.after is not None:
                m = self.after.match(text, end)
                if m is not None:
                    yield start, m.end()


_WINDOW = 80  # characters before an insult searched for "you", "dasar", "du bist" …


@cache
def aimed_insults(code: str) -> AimedInsults:
    """The aimed-insult lists of a language pack, compiled (see the module doc)."""
    pack = language_pack(code)
    words = PhraseList.of([str(w) for w in pack.get("tone", "insults", ())])
    fillers = _alternation(pack.get("tone", "insult_fillers", ()))
    between = rf"(?:\s+(?:{fillers})){{0,3}}" if fillers else ""
    flags = regex.VERSION1 | regex.IGNORECASE
    before = _alternation(pack.get("tone", "insult_targets_before", ()))
    after = _alternation(pack.get("tone", "insult_targets_after", ()))
    return AimedInsults(
        words=words,
        before=regex.compile(rf"(?:{before}){between}[\s,]+\Z", flags) if before else None,
        after=regex.compile(rf"{between}[\s,]+(?:{after})", flags) if after else None,
    )


def _quoted(text: str) -> str:
    return " ".join(text.split())


def run_hard_sell(ctx: Context) -> Iterator[Finding]:
    for start, end in phrase_hits(ctx.doc, phrase_list(ctx.language, "tone", "hard_sell")):
        yield ctx.finding(HARD_SELL, start, end, phrase=_quoted(ctx.text[start:end]))


def run_hostile(ctx: Context) -> Iterator[Finding]:
    folded = fold(ctx.text)
    listed = list(phrase_hits(ctx.doc, phrase_list(ctx.language, "tone", "hostile"),
                              folded=folded))
    for start, end in listed:
        yield ctx.finding(HOSTILE, start, end, phrase=_quoted(ctx.text[start:end]))
    starts = [s for s, _ in listed]
    aimed = aimed_insults(ctx.language)
    protected = protected_spans(ctx.doc) if aimed.words else []
    protected_starts = [s for s, _ in protected]
    for start, end in aimed.spans(ctx.text, folded):
        if overlaps(protected, protected_starts, start, end):
            continue
        i = bisect_left(starts, end) - 1
        if i >= 0 and listed[i][1] > start:
            continue  # "you idiots" is already reported as "idiots"
        yield ctx.finding(HOSTILE, start, end, phrase=_quoted(ctx.text[start:end]))


CHECKS = (
    Check(rules=(HARD_SELL,), run=run_hard_sell),
    Check(rules=(HOSTILE,), run=run_hostile),
)
