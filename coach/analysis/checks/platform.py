"""platform.*: does the post fit the platform it is written for?

* ``platform.too_long``: over the limit, counted exactly as the platform counts
  (coach.analysis.platforms); the span is the part that does not fit. On Threads, more
  links than allowed is reported here too (the post is refused either way).
* ``platform.fold``: the first question, or the opening sentence (after any hashtags,
  mentions, links or emoji), starts behind the "see more" fold.
* ``platform.hashtags``: more hashtags than the platform allows or rewards, and
  all-lowercase tags that run several words together (#socialmediatips).
* ``platform.link_only``: little more than a link, or a post that opens with one.
* ``platform.mentions``: many @mentions in one post.

It also adds the metrics ``length`` (every platform's count), and for the chosen platform
``limit`` and ``fold_offset`` (the code-point offset where the editor draws the fold).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import regex

from ..context import Check, Context
from ..model import Finding, Severity
from ..platforms import PLATFORMS, Measure, PlatformSpec, specs
from ..profile import LanguageProfile, language_pack
from ..questions import questions
from ..templates import whole
from ..text import Span, Token

TOO_LONG = "platform.too_long"
FOLD = "platform.fold"
HASHTAGS = "platform.hashtags"
LINK_ONLY = "platform.link_only"
MENTIONS = "platform.mentions"
RULES = (TOO_LONG, FOLD, HASHTAGS, LINK_ONLY, MENTIONS)

_TAG_PARTS_RE = regex.compile(r"\p{L}[\p{L}\p{M}]*|\p{N}+|_")
_MAX_RUN = 40  # longer runs of letters are not split (cost, and nobody reads them anyway)
# Parts shorter than this are allowed only as listed joiners between two other parts
# ("photo·of·the·day"); otherwise short words glue onto anything (be·cause, pais·es).
_MIN_PART = 3


def run(ctx: Context) -> Iterator[Finding]:
    doc = ctx.doc
    all_specs = (specs({name: ctx.platform_overrides(name) for name in PLATFORMS})
                 if ctx.platforms_overridden else specs())
    measure = Measure.of(ctx.text, doc.urls, doc.emoji, doc.mentions)
    lengths = measure.lengths(all_specs)
    ctx.metrics["length"] = lengths
    sp = all_specs.get(doc.platform or "")
    if sp is not None:
        used = lengths[sp.name]
        over_at = None  # where the text goes past the limit
        if sp.limit is not None and used > sp.limit:
            over_at = measure.offset_past(sp, sp.limit)
        fold_at = None
        if sp.fold is not None and used > sp.fold:
            fold_at = over_at if sp.fold == sp.limit else measure.offset_past(sp, sp.fold)
        ctx.metrics["limit"] = sp.limit
        ctx.metrics["fold_offset"] = fold_at
        if ctx.enabled(TOO_LONG):
            yield from _too_long(ctx, sp, used, over_at)
        if ctx.enabled(FOLD) and fold_at is not None:
            yield from _fold(ctx, sp, fold_at)
    if doc.hashtags and ctx.enabled(HASHTAGS):
        yield from _hashtags(ctx, sp)
    if doc.urls and ctx.enabled(LINK_ONLY):
        yield from _link_only(ctx)
    if doc.mentions and ctx.enabled(MENTIONS):
        yield from _mentions(ctx, sp)


# ---------------------------------------------------------------------------------------
# Length


def _too_long(ctx: Context, sp: PlatformSpec, used: int, over_at: int | None
              ) -> Iterator[Finding]:
    text = ctx.text
    if sp.limit is not None and used > sp.limit:
        start = over_at
        if start is None:  # cannot happen while count and offsets agree; mark the end
            start = max(0, len(text) - 1)
        yield ctx.finding(TOO_LONG, start, len(text), count=whole(used), limit=whole(sp.limit),
                          over=whole(used - sp.limit), platform_name=sp.label)
    urls = ctx.doc.urls
    if sp.links is not None and len(urls) > sp.links:
        yield from _at_each(ctx, TOO_LONG, urls[sp.links:], key="too_many_links",
                            count=len(urls), max=sp.links, platform_name=sp.label)


def _at_each(ctx: Context, rule: str, tokens: Sequence[Token], **values: Any
             ) -> Iterator[Finding]:
    """The same finding at each of ``tokens`` (one too many each): they differ only in
    where they are, so the texts are filled once."""
    if not tokens:
        return
    first = ctx.finding(rule, tokens[0].start, tokens[0].end, **values)
    yield first
    for t in tokens[1:]:
        yield first._replace(start=t.start, end=t.end)


# ---------------------------------------------------------------------------------------
# The "see more" fold


def _fold(ctx: Context, sp: PlatformSpec, fold_at: int) -> Iterator[Finding]:
    if sp.limit is not None and sp.fold is not None and sp.fold >= sp.limit:
        return  # whatever is past this fold is past the limit: platform.too_long says so
    doc = ctx.doc
    # The first question the post asks the reader, found as the dialogue checks find it
    # (a quoted question or an irony mark "(?)" asks nothing).
    asked = questions(doc, ctx.pack)
    question = Span(asked[0].start, asked[0].end) if asked else None
    values = {"fold": whole(sp.fold or 0), "platform_name": sp.label}
    if question is not None and question.start >= fold_at:
        yield ctx.finding(FOLD, question.start, question.end, **values)
    # The hook: the first sentence with words, from its first word (hashtags, mentions,
    # links or emoji before it are not a hook). A first sentence that merely runs on past
    # the fold is not flagged: its start, the part that stops people scrolling, is seen.
    sentence = next((s for s in doc.sentences if doc.words_in(s)), None)
    if sentence is None or (question is not None and question.start >= fold_at
                            and sentence.start <= question.start < sentence.end):
        return  # the question that opens the post is flagged already
    hook = Span(doc.words_in(sentence)[0].start, sentence.end)
    if hook.start >= fold_at:
        yield ctx.finding(FOLD, hook.start, hook.end, key="hook", **values)


# ---------------------------------------------------------------------------------------
# Hashtags


def _hashtags(ctx: Context, sp: PlatformSpec | None) -> Iterator[Finding]:
    tags = ctx.doc.hashtags
    if not tags:
        return
    if sp is not None and sp.hashtags is not None:
        most = sp.hashtags
        key = f"on_{sp.name}"  # what the platform says about more, when the catalogue has it
        if key not in ctx.rules[HASHTAGS].messages:
            key = ""
        severity = Severity.ERROR if sp.hashtags_enforced else None
    else:
        most = int(ctx.params(HASHTAGS)["max_hashtags"])
        key, severity = "", None
    if len(tags) > most:
        yield from _at_each(ctx, HASHTAGS, tags[most:], key=key, severity=severity,
                            count=len(tags), max=most)
    for t in tags:
        split = split_hashtag(t.text, ctx.language)
        if split is None:
            continue
        fixed = split.camel_case if split.confident else None
        yield ctx.finding(HASHTAGS, t.start, t.end, key="camel" if fixed else "camel_unsure",
                          fix=fixed, tag=t.text, fixed=fixed or "")


@dataclass(frozen=True, slots=True)
class HashtagSplit:
    """How an all-lowercase hashtag splits into words."""

    parts: tuple[str, ...]  # words and numbers, in order ("100", "days", "of", "code")
    confident: bool  # exactly one best split: the CamelCase fix is safe to offer

    @property
    def camel_case(self) -> str:
        return "#" + "".join(_capital(p) for p in self.parts)


def _capital(word: str) -> str:
    first = word[:1].upper()
    return (first if len(first) == 1 else word[:1]) + word[1:]


@dataclass(frozen=True, slots=True)
class _Vocab:
    words: frozenset[str]  # words that may stand anywhere in a tag (3 letters or more)
    joiners: frozenset[str]  # words that may only stand between two others ("of", "for")
    compound_parts: frozenset[str]  # parts that a language writes closed (German nouns)
    nouns: frozenset[str]  # compound parts that are nouns: a compound ends in one
    suffixes: tuple[str, ...]  # endings a word may take inside a tag (plural "s", "es")
    longest: int

    def knows(self, word: str) -> bool:
        return word in self.words or word in self.joiners

    def inflected(self, word: str) -> bool:
        """A listed word with one of the language's endings ("gifts", "fiestas")."""
        return any(word.endswith(x) and len(word) - len(x) >= _MIN_PART
                   and word[: -len(x)] in self.words for x in self.suffixes)


def _lowered(words: tuple[str, ...]) -> set[str]:
    # A tag is split at its characters, so its words are compared lower-cased, as the tag
    # is; word_key would case-fold "ß" to "ss" and change the length.
    return {w.strip().lower() for w in words if w.strip()}


def _join_compounds(parts: tuple[str, ...], vocab: _Vocab) -> tuple[str, ...]:
    """Join compound parts that lead up to a noun into one word (feier·tage -> feiertage),
    so that a German fix capitalises words, not pieces of them."""
    if not vocab.nouns:
        return parts
    out: list[str] = []
    pending: list[str] = []
    for part in parts:
        if part in vocab.compound_parts:
            pending.append(part)
            if part in vocab.nouns:
                out.append("".join(pending))
                pending = []
            continue
        out.extend(pending)
        pending = []
        out.append(part)
    out.extend(pending)
    return tuple(out)


@cache
def _vocab(profile: LanguageProfile) -> _Vocab:
    lists = profile.platform
    words = _lowered(lists.hashtag_words)
    parts = _lowered(lists.hashtag_compound_parts)
    nouns = _lowered(tuple(p for p in lists.hashtag_compound_parts if p.strip()[:1].isupper()))
    single = _lowered(lists.hashtag_single_words)
    joiners = _lowered(lists.hashtag_joiners)
    suffixes = tuple(sorted(_lowered(lists.hashtag_suffixes), key=len))
    anywhere = frozenset(words | parts | single)
    longest = max((len(w) for w in anywhere | joiners), default=0)
    return _Vocab(anywhere, frozenset(joiners), frozenset(parts), frozenset(nouns), suffixes,
                  longest + max((len(x) for x in suffixes), default=0))


def _segmentations(run: str, vocab: _Vocab, limit: int = 4) -> list[tuple[str, ...]]:
    """The splits of ``run`` into the fewest known words (at most ``limit`` of them)."""
    n, longest = len(run), vocab.longest

    def fits(j: int, i: int) -> bool:
        word = run[j:i]
        if i - j >= _MIN_PART and (word in vocab.words or vocab.inflected(word)):
            return True
        return j > 0 and i < n and word in vocab.joiners

    fewest: list[int | None] = [0] + [None] * n
    for i in range(1, n + 1):
        for j in range(max(0, i - longest), i):
            before = fewest[j]
            if before is not None and fits(j, i):
                current = fewest[i]
                if current is None or before + 1 < current:
                    fewest[i] = before + 1
    if fewest[n] is None:
        return []
    found: list[tuple[str, ...]] = []

    def back(i: int, tail: tuple[str, ...]) -> None:
        if len(found) >= limit:
            return
        if i == 0:
            found.append(tail)
            return
        need = fewest[i]
        for j in range(max(0, i - longest), i):
            if need is not None and fewest[j] == need - 1 and fits(j, i):
                back(j, (run[j:i], *tail))

    back(n, ())
    return found


def _split_run(run: str, vocab: _Vocab) -> tuple[list[tuple[str, ...]], bool]:
    """(best splits, known) for one run of letters; known is False if it does not split."""
    if vocab.knows(run):
        return [(run,)], True
    if len(run) > _MAX_RUN:
        return [], False
    found = _segmentations(run, vocab)
    if not found:
        return [], False
    # A German-style compound (Sommer·urlaub, aus·zu·geben) is one word, not a phrase run
    # together: every part is a compound part or a joiner.
    if vocab.compound_parts and any(
            all(p in vocab.compound_parts or p in vocab.joiners for p in s) for s in found):
        return [(run,)], True
    return found, True


def _split_with(runs: list[str], vocab: _Vocab) -> HashtagSplit | None | bool:
    """The split of the whole tag with one vocabulary; False when a run is unknown."""
    parts: list[str] = []
    confident = True
    several = False
    for piece in runs:
        if piece[0].isdigit():
            parts.append(piece)
            continue
        found, known = _split_run(piece, vocab)
        if not known:
            return False
        best = _join_compounds(found[0], vocab)
        several = several or len(best) > 1
        confident = confident and len(found) == 1
        parts.extend(best)
    if not several:
        return None
    return HashtagSplit(tuple(parts), confident)


@lru_cache(maxsize=4096)
def split_hashtag(tag: str, language: str) -> HashtagSplit | None:
    """How an all-lowercase hashtag such as "#socialmediatips" splits into words, using the
    word lists of ``language`` (then English, which hashtags in every language borrow).

    None when the tag is not all lowercase, is one word, or cannot be split with confidence.
    """
    body = unicodedata.normalize("NFC", tag.lstrip("#"))
    if not body or body != body.lower() or body == body.upper():
        return None
    runs = _TAG_PARTS_RE.findall(body)
    if "_" in runs or "".join(runs) != body:
        return None  # already separated ("#social_media") or has other marks in it
    for code in dict.fromkeys((language, "en")):
        result = _split_with(runs, _vocab(language_pack(code)))
        if result is not False:
            return result  # type: ignore[return-value]
    return None


# ---------------------------------------------------------------------------------------
# Links and mentions


def _link_only(ctx: Context) -> Iterator[Finding]:
    doc = ctx.doc
    urls = doc.urls
    if not urls:
        return
    first = urls[0]
    minimum = int(ctx.params(LINK_ONLY)["min_words"])
    words = len(doc.words)
    if words < minimum:
        yield ctx.finding(LINK_ONLY, first.start, first.end, words=words, min=minimum)
        return
    opening = next((t for t in doc.tokens if t.kind not in ("emoji", "punct")), None)
    if opening is first:
        yield ctx.finding(LINK_ONLY, first.start, first.end, key="opens")


def _mentions(ctx: Context, sp: PlatformSpec | None) -> Iterator[Finding]:
    mentions = ctx.doc.mentions
    if sp is not None and sp.mentions is not None:
        most = sp.mentions
    else:
        most = int(ctx.params(MENTIONS)["max_mentions"])
    if len(mentions) > most:
        yield from _at_each(ctx, MENTIONS, mentions[most:], count=len(mentions), max=most)


CHECK = Check(rules=RULES, run=run, metrics=("length", "limit", "fold_offset"))
