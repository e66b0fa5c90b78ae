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
from functools import cache

import regex

from ..engine import Check, Context
from ..model import Finding
from ..packs import language_pack
from ..phrases import lexicon_phrases, phrase_pattern
from .tone_common import phrase_hits

HARD_SELL = "tone.hard_sell"
HOSTILE = "tone.hostile"


def _alternation(items: tuple[str, ...] | list[str]) -> str:
    ordered = sorted({str(i) for i in items if str(i).strip()}, key=len, reverse=True)
    return "|".join(phrase_pattern(i) for i in ordered)


@cache
def aimed_insults(code: str) -> regex.Pattern[str] | None:
    """One pattern for insults written next to a word that addresses someone."""
    pack = language_pack(code)
    insults = _alternation(pack.get("tone", "insults", ()))
    if not insults:
        return None
    fillers = _alternation(pack.get("tone", "insult_fillers", ()))
    between = rf"(?:\s+(?:{fillers})){{0,3}}" if fillers else ""
    forms = []
    before = _alternation(pack.get("tone", "insult_targets_before", ()))
    if before:
        forms.append(rf"(?:{before}){between}[\s,]+(?:{insults})")
    after = _alternation(pack.get("tone", "insult_targets_after", ()))
    if after:
        forms.append(rf"(?:{insults}){between}[\s,]+(?:{after})")
    if not forms:
        return None
    return regex.compile("|".join(forms), regex.VERSION1 | regex.IGNORECASE)


def _quoted(match: regex.Match[str]) -> str:
    return " ".join(match.group().split())


def run_hard_sell(ctx: Context) -> Iterator[Finding]:
    pattern = lexicon_phrases(ctx.language, "tone", "hard_sell")
    for m in phrase_hits(ctx.doc, pattern):
        yield ctx.finding(HARD_SELL, m.start(), m.end(), phrase=_quoted(m))


def run_hostile(ctx: Context) -> Iterator[Finding]:
    listed = list(phrase_hits(ctx.doc, lexicon_phrases(ctx.language, "tone", "hostile")))
    starts = [m.start() for m in listed]
    for m in listed:
        yield ctx.finding(HOSTILE, m.start(), m.end(), phrase=_quoted(m))
    for m in phrase_hits(ctx.doc, aimed_insults(ctx.language)):
        i = bisect_left(starts, m.end()) - 1
        if i >= 0 and listed[i].end() > m.start():
            continue  # "you idiots" is already reported as "idiots"
        yield ctx.finding(HOSTILE, m.start(), m.end(), phrase=_quoted(m))


CHECKS = (
    Check(rules=(HARD_SELL,), run=run_hard_sell),
    Check(rules=(HOSTILE,), run=run_hostile),
)
