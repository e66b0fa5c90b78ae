"""readability.*: text that is hard to read, long sentences, jargon, walls of text.

The score itself comes from :func:`coach.analysis.readability.readability` and is put in
the report's metrics (``metrics["readability"]``) whenever this check runs, so the app and
the command line can show it even when readability.hard does not fire.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import regex

from ..engine import Check, Context
from ..model import Finding
from ..packs import PackError
from ..readability import language_settings, readability, sentence_lengths
from ..text import Span, Token

HARD = "readability.hard"
LONG_SENTENCE = "readability.long_sentence"
JARGON = "readability.jargon"
WALL = "readability.wall_of_text"

_LINE_RE = regex.compile(r"[^\n]+")


@dataclass(frozen=True, slots=True)
class Jargon:
    """A buzzword and its plain word; ``fix`` when the plain word can replace it as is."""

    phrase: str
    plain: str
    fix: bool = False
    words: tuple[str, ...] = ()  # the phrase's words, case-folded


@cache
def jargon(code: str) -> Mapping[str, tuple[Jargon, ...]]:
    """A language's jargon, by its first word (case-folded), longest phrase first.

    Matching walks the draft's word tokens instead of running one big regular
    expression: a case-insensitive alternation of ~40 phrases costs ~100 µs per tweet
    with ``regex``, a dictionary look-up per word ~0.1 µs. Walking words also leaves
    hashtags, mentions and links alone, since they are not word tokens.
    """
    source = f"resources/languages/{code}.readability.toml"
    table: dict[str, list[Jargon]] = {}
    for i, raw in enumerate(language_settings(code).get("jargon", [])):
        if not isinstance(raw, dict) or set(raw) - {"phrase", "plain", "fix"} \
                or not isinstance(raw.get("phrase"), str) or not raw["phrase"].split() \
                or not isinstance(raw.get("plain"), str) or not raw["plain"].strip():
            raise PackError(source, "a jargon entry is { phrase = \"...\", plain = \"...\", "
                            f"fix = true|false }}, not {raw!r}", key=f"readability.jargon[{i}]")
        words = tuple(raw["phrase"].casefold().split())
        entry = Jargon(raw["phrase"], raw["plain"], bool(raw.get("fix", False)), words)
        table.setdefault(words[0], []).append(entry)
    # A plain dict (read-only by convention): its look-up is twice as fast as a proxy's.
    return {first: tuple(sorted(entries, key=lambda e: -len(e.words)))
            for first, entries in table.items()}


def matched_case(found: str, plain: str) -> str:
    """``plain`` in the capitals of ``found``: "Utilize" -> "Use", "UTILIZE" -> "USE"."""
    if len(found) > 1 and found.isupper():
        return plain.upper()
    if found[:1].isupper():
        return plain[:1].upper() + plain[1:]
    return plain


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
        yield ctx.finding(HARD, prose[0].start, prose[-1].end, reading=result.describe(),
                          words_per_sentence=f"{result.words_per_sentence:.0f}")


def _long_sentences(ctx: Context, lengths: list[tuple[Span, int]]) -> Iterator[Finding]:
    limit = _whole(ctx, LONG_SENTENCE, "max_words")
    for span, words in lengths:
        if words > limit:
            yield ctx.finding(LONG_SENTENCE, span.start, span.end, words=words, limit=limit)


def _jargon(ctx: Context) -> Iterator[Finding]:
    table = jargon(ctx.language)
    if not table:
        return
    text = ctx.text
    words = ctx.doc.words
    skip_to = 0
    for i, word in enumerate(words):
        if i < skip_to:
            continue
        for entry in table.get(word.text.casefold(), ()):
            n = len(entry.words)
            if n > 1 and not _phrase_at(text, words, i, entry.words):
                continue
            start, end = word.start, words[i + n - 1].end
            found = text[start:end]
            plain = matched_case(found, entry.plain)
            yield ctx.finding(JARGON, start, end, fix=plain if entry.fix else None,
                              phrase=" ".join(found.split()), plain=plain)
            skip_to = i + n
            break


def _phrase_at(text: str, words: Sequence[Token], i: int, phrase: tuple[str, ...]) -> bool:
    """Whether the words from ``i`` on spell ``phrase``, with only spaces between them."""
    if i + len(phrase) > len(words):
        return False
    for k in range(1, len(phrase)):
        before, word = words[i + k - 1], words[i + k]
        if word.text.casefold() != phrase[k] or not text[before.end:word.start].isspace():
            return False
    return True


def _walls(ctx: Context) -> Iterator[Finding]:
    max_chars = _whole(ctx, WALL, "max_chars")
    max_sentences = _whole(ctx, WALL, "max_sentences")
    min_chars = min(_whole(ctx, WALL, "min_chars"), max_chars)
    text = ctx.text
    if len(text.strip()) < min_chars:
        return
    starts = [s.start for s in ctx.doc.sentences]
    for line in _LINE_RE.finditer(text):
        if line.end() - line.start() < min_chars:
            continue
        span = _trimmed(line.group())
        if span is None:
            continue
        start, end = line.start() + span.start, line.start() + span.end
        chars = end - start
        sentences = bisect_left(starts, end) - bisect_left(starts, start)
        if chars > max_chars or (chars >= min_chars and sentences > max_sentences):
            yield ctx.finding(WALL, start, end, chars=chars, sentences=sentences)


def run(ctx: Context) -> Iterator[Finding]:
    lengths = sentence_lengths(ctx.doc)
    yield from _hard(ctx, lengths)
    if ctx.enabled(LONG_SENTENCE):
        yield from _long_sentences(ctx, lengths)
    if ctx.enabled(JARGON):
        yield from _jargon(ctx)
    if ctx.enabled(WALL):
        yield from _walls(ctx)


CHECK = Check(rules=(HARD, LONG_SENTENCE, JARGON, WALL), run=run)
