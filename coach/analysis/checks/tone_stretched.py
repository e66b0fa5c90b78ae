"""tone.stretched: words stretched by repeating a letter ("soooo", "kereeen", "jaaaa").

A word is stretched when one letter repeats ``min_run`` times or more in a row. A run of
three (German "Schifffahrt", "Kaffeeernte" are real words) counts only when collapsing it
gives a known word ("jaaa" -> "ja"); German sets ``min_run = 4`` for that reason. Words of
one repeated letter ("zzz"), laughs and interjections (``[tone] expressive``: "hahaha",
"hmmm", "brrr"), acronyms ("WWW", "AAA") and Roman numerals ("XXX") never fire.

The fix is the normal spelling when it can be told: each run collapses to two letters or
to one, and the first result found in ``[tone] stretched_words`` (the words people stretch,
matched without accents so "siiii" gives "sí") or ``known_words`` is offered. When none
matches ("Jiaaaan"), the finding has no fix.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from itertools import product

import regex

from ..context import Check, Context
from ..model import Finding
from ..profile import LanguageProfile
from ..text import token_key
from .tone_common import (
    ROMAN_RE,
    strip_accents,
    tone_words,
)

RULE = "tone.stretched"
# Case-sensitive on purpose: "InshaaAllah" joins two words, it stretches nothing. The
# standard library's engine scans plain text several times faster than ``regex``; letters
# are checked afterwards.
_RUN_RE = re.compile(r"(.)\1\1+", re.DOTALL)
_MAX_RUNS = 4  # beyond this only "all runs to two" and "all runs to one" are tried


def _candidates(word: str, runs: list[regex.Match[str]]) -> Iterator[str]:
    """Spellings with each run collapsed to two or one letters, two-letter ones first."""
    if len(runs) > _MAX_RUNS:
        choices: list[tuple[int, ...]] = [(2,) * len(runs), (1,) * len(runs)]
    else:
        choices = sorted(product((2, 1), repeat=len(runs)), key=lambda c: -sum(c))
    for choice in choices:
        pieces, pos = [], 0
        for m, keep in zip(runs, choice, strict=True):
            pieces.append(word[pos:m.start()] + m.group(1) * keep)
            pos = m.end()
        pieces.append(word[pos:])
        yield "".join(pieces)


def normal_spelling(profile: LanguageProfile, word: str) -> str | None:
    """The known word that ``word`` stretches, in the case the writer used, or None."""
    runs = [m for m in _RUN_RE.finditer(word) if m.group(1).isalpha()]
    if not runs:
        return None
    words = tone_words(profile.tone)
    stretched, known = words.stretched_plain, words.known
    for candidate in _candidates(word, runs):
        key = token_key(candidate)
        form = stretched.get(strip_accents(key)) or known.get(key)
        if form is None:
            continue
        # Keep the writer's case: "lieeebe" is the verb "liebe", not the noun "Liebe".
        if word.isupper() and len(word) > 1:
            return form.upper()
        first = form[:1].upper() if word[:1].isupper() else form[:1].lower()
        return first + form[1:]
    return None


def run(ctx: Context) -> Iterator[Finding]:
    text, words = ctx.text, ctx.doc.words
    hits = {}  # word index -> longest run in it
    starts = None
    for m in _RUN_RE.finditer(text):
        if not m.group(1).isalpha():
            continue
        if starts is None:
            starts = ctx.doc.word_starts
        i = bisect_right(starts, m.start()) - 1
        if i >= 0 and m.end() <= words[i].end:
            hits[i] = max(hits.get(i, 0), len(m.group()))
    if not hits:
        return
    min_run = int(ctx.params(RULE)["min_run"])
    lists = tone_words(ctx.pack.tone)
    expressive, acronyms = lists.expressive, lists.acronyms
    for i, longest in sorted(hits.items()):
        w = words[i]
        key = token_key(w.text)
        if len(set(key) - {"'", "-"}) == 1 or key in acronyms \
                or (expressive is not None and expressive.fullmatch(key)) \
                or (w.text.isupper() and ROMAN_RE.fullmatch(w.text)):
            continue
        fix = normal_spelling(ctx.pack, w.text)
        if longest < min_run and fix is None:
            continue
        yield ctx.finding(RULE, w.start, w.end, fix=fix, word=w.text)


CHECK = Check(rules=(RULE,), run=run)
