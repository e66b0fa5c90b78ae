"""readability.*: text that is hard to read, long sentences, walls of text.

(readability.jargon is a substitution declared as data: coach/analysis/kinds.py.)

The score itself comes from :func:`coach.analysis.readability.readability` and is put in
the report's metrics (``metrics["readability"]``) whenever this check runs, so the app and
the command line can show it even when readability.hard does not fire.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from operator import attrgetter

from ..context import Check, Context
from ..model import Finding
from ..readability import readability, sentence_lengths
from ..templates import rounded
from ..text import Span

HARD = "readability.hard"
LONG_SENTENCE = "readability.long_sentence"
WALL = "readability.wall_of_text"

_START = attrgetter("start")


def _whole(ctx: Context, rule: str, name: str) -> int:
    """An integer parameter; a setting that is not a number falls back to the default."""
    try:
        return int(float(ctx.params(rule)[name]))
    except (TypeError, ValueError, OverflowError):
        return int(ctx.rules[rule].params[name])


def _trimmed(text: str) -> Span | None:
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    return Span(start, end) if end > start else None


def _hard(ctx: Context, lengths: list[tuple[Span, int]]) -> Iterator[Finding]:
    result = readability(ctx.doc, ctx.params(HARD), lengths=lengths)
    if result is None:
        return
    ctx.metrics["readability"] = result.to_dict()
    if ctx.enabled(HARD) and result.reliable and result.label == "hard":
        # The span is the prose that was scored: first to last sentence with words.
        prose = [span for span, n in lengths if n]
        # The score always with its scale's words, never a bare number.
        yield ctx.finding(HARD, prose[0].start, prose[-1].end,
                          key="with_note" if result.note else "", formula=result.formula,
                          score=rounded(result.score), band=result.band, scale=result.scale,
                          note=result.note.rstrip("."),
                          words_per_sentence=rounded(result.words_per_sentence))


def _long_sentences(ctx: Context, lengths: list[tuple[Span, int]]) -> Iterator[Finding]:
    limit = _whole(ctx, LONG_SENTENCE, "max_words")
    for span, words in lengths:
        if words > limit:
            yield ctx.finding(LONG_SENTENCE, span.start, span.end, words=words, limit=limit)


def _walls(ctx: Context) -> Iterator[Finding]:
    max_chars = _whole(ctx, WALL, "max_chars")
    min_chars = min(_whole(ctx, WALL, "min_chars"), max_chars)
    text = ctx.text
    if len(text.strip()) < min_chars:
        return
    max_sentences = _whole(ctx, WALL, "max_sentences")
    spans = ctx.doc.sentences  # sorted by start
    line_start = 0
    for line in text.split("\n"):
        at, line_start = line_start, line_start + len(line) + 1
        if len(line) < min_chars:
            continue
        span = _trimmed(line)
        if span is None:
            continue
        start, end = at + span.start, at + span.end
        chars = end - start
        sentences = (bisect_left(spans, end, key=_START)
                     - bisect_left(spans, start, key=_START))
        if chars > max_chars or (chars >= min_chars and sentences > max_sentences):
            yield ctx.finding(WALL, start, end, chars=chars, sentences=sentences)


def run(ctx: Context) -> Iterator[Finding]:
    lengths = sentence_lengths(ctx.doc)
    yield from _hard(ctx, lengths)
    if ctx.enabled(LONG_SENTENCE):
        yield from _long_sentences(ctx, lengths)
    if ctx.enabled(WALL):
        yield from _walls(ctx)


CHECK = Check(rules=(HARD, LONG_SENTENCE, WALL), run=run, metrics=("readability",))
