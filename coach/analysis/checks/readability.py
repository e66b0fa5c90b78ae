"""readability.*: text that is hard to read, long sentences, jargon, walls of text.

The score itself comes from :func:`coach.analysis.readability.readability` and is put in
the report's metrics (``metrics["readability"]``) whenever this check runs, so the app and
the command line can show it even when readability.hard does not fire.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from operator import attrgetter
from types import MappingProxyType

from ..context import Check, Context
from ..model import Finding
from ..packs import PackError
from ..phrases import PhraseList
from ..readability import language_settings, readability, sentence_lengths
from ..text import Span

HARD = "readability.hard"
LONG_SENTENCE = "readability.long_sentence"
JARGON = "readability.jargon"
WALL = "readability.wall_of_text"

_START = attrgetter("start")


@dataclass(frozen=True, slots=True)
class Jargon:
    """A buzzword and its plain word; ``fix`` when the plain word can replace it as is."""

    phrase: str
    plain: str
    fix: bool = False


@dataclass(frozen=True, slots=True)
class JargonList:
    """A language's jargon: the phrases to find, and each one's entry by the phrase."""

    phrases: PhraseList
    entries: Mapping[str, Jargon]


@cache
def jargon(code: str) -> JargonList:
    """A language's jargon, checked and ready to find (phrases match whole words, with
    white space between; never in hashtags, mentions or links)."""
    source = f"resources/languages/{code}.toml"
    entries: dict[str, Jargon] = {}
    for i, raw in enumerate(language_settings(code).get("jargon", [])):
        if not isinstance(raw, dict) or set(raw) - {"phrase", "plain", "fix"} \
                or not isinstance(raw.get("phrase"), str) or not raw["phrase"].split() \
                or not isinstance(raw.get("plain"), str) or not raw["plain"].strip():
            raise PackError(source, "a jargon entry is { phrase = \"...\", plain = \"...\", "
                            f"fix = true|false }}, not {raw!r}", key=f"readability.jargon[{i}]")
        entries[raw["phrase"]] = Jargon(raw["phrase"], raw["plain"], bool(raw.get("fix", False)))
    return JargonList(PhraseList(entries, allow_regex=False), MappingProxyType(entries))


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
    found = jargon(ctx.language)
    for start, end, phrase in found.phrases.find(ctx.doc):
        entry = found.entries[phrase]
        text = ctx.text[start:end]
        plain = matched_case(text, entry.plain)
        yield ctx.finding(JARGON, start, end, fix=plain if entry.fix else None,
                          phrase=" ".join(text.split()), plain=plain)


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
    if ctx.enabled(JARGON):
        yield from _jargon(ctx)
    if ctx.enabled(WALL):
        yield from _walls(ctx)


CHECK = Check(rules=(HARD, LONG_SENTENCE, JARGON, WALL), run=run,
              metrics=("readability",))
