"""The Dialogue checks: questions (question.*) and the audience (audience.*).

One check for all nine rules, because they answer one question together (does this post
invite a reply?) and should say so once: when a post has engagement bait, or reads as a
one-way advert, that finding speaks for it and question.none / audience.no_invitation
stay quiet; an invitation such as "Tell us in the comments" counts as asking. Switch the
specific rule off and the general one speaks again. question.none fires on a post with
no question at all; audience.no_invitation on one whose questions are only about the
writer ("Why do I always burn the toast?"), or in place of question.none when that rule is
switched off.

Pronoun counting (audience.self_focus) follows the notes in the language packs:
Indonesian "kita" includes the reader and counts for neither side, "kami" counts as self.
German "Sie"/"Ihnen"/"Ihr…" capitalised inside a sentence are the formal "you"; at the
start of a sentence "Sie" counts as "you" only if the post addresses the reader formally
elsewhere ("sie" is "she"/"they"). Lower-case "ihr" is "you" (plural) next to a verb form
("habt ihr", "ihr seid") and "her" otherwise ("mit ihr", "ihr Auto").
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

import regex

from ..context import Check, Context
from ..model import Finding, Severity
from ..packs import language_pack
from ..phrases import PhraseList, PhraseMatch, lexicon_phrases
from ..questions import (
    AREA,
    Question,
    fold,
    is_reader_word,
    lexicon,
    questions,
    view,
)
from ..text import Doc, Span, Token

NONE, CLOSED, BURIED, TOO_MANY, UNMARKED = (
    "question.none", "question.closed", "question.buried", "question.too_many",
    "question.unmarked")
NO_INVITATION, SELF_FOCUS, BAIT, ONE_WAY_AD = (
    "audience.no_invitation", "audience.self_focus", "audience.engagement_bait",
    "audience.one_way_ad")
RULES = (NONE, CLOSED, BURIED, TOO_MANY, UNMARKED, NO_INVITATION, SELF_FOCUS, BAIT,
         ONE_WAY_AD)

_QUOTE_LIMIT = 60
_DIGITS_RE = regex.compile(r"[\d\s.,]+")


@dataclass(frozen=True, slots=True)
class _Audience:
    """The pronoun lists of one language for audience.self_focus."""

    self_words: frozenset[str]
    self_exclude_exact: frozenset[str]
    formal_you: frozenset[str]
    ambiguous_you: frozenset[str]
    plural_you_endings: tuple[str, ...]
    her_after: frozenset[str]
    not_verbs: frozenset[str]
    listed: frozenset[str]  # self_words | formal_you | the lexicon's reader_words
    sure_readers: frozenset[str]  # reader words that always count: neither of the above
    texts: Mapping[str, str]  # sample_question, sample_prompt, open_hint, reader_hint


@cache
def _audience(code: str) -> _Audience:
    pack = language_pack(code)

    def words(name: str) -> frozenset[str]:
        return frozenset(fold(str(w)) for w in pack.get(AREA, name, ()))

    lex = lexicon(code)
    texts = MappingProxyType({
        name: str(pack.get(AREA, name, ""))
        for name in ("sample_question", "sample_prompt", "open_hint", "reader_hint")})
    self_words, formal_you = words("self_words"), words("formal_you")
    return _Audience(
        self_words=self_words,
        self_exclude_exact=frozenset(pack.get(AREA, "self_exclude_exact", ())),
        formal_you=formal_you,
        ambiguous_you=words("ambiguous_you"),
        plural_you_endings=tuple(words("plural_you_endings")),
        her_after=words("her_after"),
        not_verbs=lex.not_verbs,
        listed=self_words | formal_you | lex.reader_words,
        sure_readers=lex.reader_words - self_words - formal_you,
        texts=texts,
    )


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _QUOTE_LIMIT else text[: _QUOTE_LIMIT - 1].rstrip() + "…"


def _content_length(doc: Doc) -> int:
    """Characters of the post, not counting links, @mentions and outer white space."""
    length = len(doc.text.strip())
    for t in doc.urls:
        length -= t.end - t.start
    for t in doc.mentions:
        length -= t.end - t.start
    return length


def _last_sentence(doc: Doc) -> Span | None:
    """The last sentence with a word in it."""
    # (Its first word from the span's start on must end inside it: Doc.words_in() would
    # first list where every word ends.)
    starts, words = doc.word_starts, doc.words
    for span in reversed(doc.sentences):
        i = bisect_left(starts, span.start)
        if i < len(words) and words[i].end <= span.end:
            return span
    return None


def _overlaps(a: PhraseMatch, spans: Sequence[tuple[int, int]]) -> bool:
    return any(a.start < e and s < a.end for s, e in spans)


# ---------------------------------------------------------------------------------------
# Phrase lists


class _Lists:
    """The phrases of the ``[dialogue]`` lists in _LISTS in a draft, looked for when asked.
    Each part of a compound counts: "Sommer-Sale" has "sale"."""

    def __init__(self, doc: Doc, *, several: bool) -> None:
        self.doc = doc
        # Most drafts hold none: where several lists may be asked for, one look for all
        # of them at once can answer for each.
        self.none = several and not _all_lists(doc.language).find(doc)

    def find(self, name: str) -> list[PhraseMatch]:
        if self.none:
            return []
        return lexicon_phrases(self.doc.language, AREA, name, compounds=True).find(self.doc)


_LISTS = ("bait", "invitations", "promo_calls", "promo_words")


@cache
def _all_lists(code: str) -> PhraseList:
    pack = language_pack(code)
    return PhraseList((str(p) for name in _LISTS for p in pack.get(AREA, name, ())),
                      compounds=True)


# ---------------------------------------------------------------------------------------
# Pronouns


def _verbish(word: str, aud: _Audience, *, lower: bool) -> bool:
    """A second-person-plural verb by shape ("seid", "habt"); ``lower``: it must be
    written in lower case (a capitalised word after "ihr" is a noun: "ihr Auto").
    Participles ("gesagt") are not: "ich habe ihr gesagt" is "her"."""
    f = fold(word)
    if len(word) < 3 or (lower and not word.islower()) or f in aud.not_verbs:
        return False
    if f.startswith("ge") and len(f) >= 6:
        return False
    return any(f.endswith(e) for e in aud.plural_you_endings)


def pronouns(doc: Doc) -> tuple[list[Token], list[Token]]:
    """(self words, reader words) of a draft: "we/our/kami/nosotros/wir" and "you/…"."""
    aud = _audience(doc.language)
    lex = lexicon(doc.language)
    v = view(doc)
    words, folded = v.tokens, v.folded
    firsts = set()
    if aud.formal_you and not aud.formal_you.isdisjoint(doc.index.names):
        for span in doc.sentences:
            lo, hi = v.range(span.start, span.end)
            if lo < hi:
                firsts.add(words[lo].start)
    selves: list[Token] = []
    readers: list[Token] = []
    pending: list[Token] = []  # sentence-initial "Sie": formal "you" or "she/they"
    formal_seen = False
    # Only a listed word or one with a reader suffix ("bukumu") can count: one quick pass
    # finds those, and only they are weighed.
    listed, suffixes = aud.listed, lex.reader_suffixes
    for i in [i for i, f in enumerate(folded)
              if f in listed or (suffixes and f.endswith(suffixes))]:
        w, f = words[i], folded[i]
        if f in aud.self_words:
            if w.text not in aud.self_exclude_exact:
                selves.append(w)
            continue
        if f in aud.formal_you and not (len(w.text) > 1 and w.text.isupper()):
            nxt = words[i + 1].text if i + 1 < len(words) else ""
            prev = folded[i - 1] if i > 0 else ""
            if w.text[0].isupper() and w.start not in firsts:
                readers.append(w)
                formal_seen = True
            elif f in aud.ambiguous_you and prev not in aud.her_after and (
                    _verbish(nxt, aud, lower=True)
                    or (prev and _verbish(words[i - 1].text, aud, lower=False) and (
                        words[i - 1].start in firsts
                        or (i > 1 and folded[i - 2] in lex.open_words)))):
                readers.append(w)  # "ihr seid", "habt ihr", "was denkt ihr"
            elif w.text[0].isupper() and w.start in firsts:
                pending.append(w)
            continue
        if f in lex.reader_words or (suffixes and is_reader_word(f, lex)):
            readers.append(w)
    if formal_seen:
        readers.extend(pending)
        readers.sort(key=lambda t: t.start)
    return selves, readers


# ---------------------------------------------------------------------------------------
# The check


def run(ctx: Context) -> Iterator[Finding]:
    doc, on = ctx.doc, ctx.on
    if not doc.tokens:
        # White space only (the empty draft): no question, phrase or sentence to find.
        ctx.metrics["questions"] = 0
        ctx.metrics["open_questions"] = 0
        return
    aud = _audience(ctx.language)
    texts = aud.texts
    qs = questions(doc, ctx.pack)
    ctx.metrics["questions"] = len(qs)
    ctx.metrics["open_questions"] = sum(q.open for q in qs)

    if qs:
        if UNMARKED in on:
            yield from _unmarked(ctx, qs)
        if TOO_MANY in on:
            yield from _too_many(ctx, qs)
        if CLOSED in on and all(q.yes_no for q in qs):
            q = qs[-1]
            detail = "" if len(qs) == 1 else f" (and so can your other {len(qs) - 1})"
            yield ctx.finding(CLOSED, q.start, q.end,
                              question=_excerpt(ctx.text[q.start:q.end]), detail=detail,
                              open_hint=texts["open_hint"], example=texts["sample_question"])
        reader_asked = any(q.to_reader for q in qs)
        buried = BURIED in on and len(qs) == 1
        unasked = NO_INVITATION in on and not reader_asked
    else:
        reader_asked = buried = False
        unasked = NONE in on or ONE_WAY_AD in on or NO_INVITATION in on
    # Does the post invite a reply? Only what is needed is looked for.
    lists = _Lists(doc, several=buried or unasked)
    bait = lists.find("bait")
    if BAIT in on:
        for m in bait:
            yield ctx.finding(BAIT, m.start, m.end, phrase=_excerpt(ctx.text[m.start:m.end]),
                              example=texts["sample_question"])
    # (The index's names hold every word's key, and a few more: a quick first test.)
    if SELF_FOCUS in on and not aud.self_words.isdisjoint(doc.index.names):
        yield from _self_focus(ctx)

    if not (buried or not bait and unasked):
        return
    bait_spans = [(m.start, m.end) for m in bait]
    invitations = [m for m in lists.find("invitations") if not _overlaps(m, bait_spans)]
    if buried:
        yield from _buried(ctx, qs, invitations)
    ad = None
    if ONE_WAY_AD in on and not qs and not invitations:
        ad = _promotion(ctx, lists)
        if ad is not None:
            yield ctx.finding(ONE_WAY_AD, ad[0], ad[1], phrase=ad[2],
                              example=texts["sample_question"])
    if bait or ad is not None or invitations:
        return
    last = _last_sentence(doc)
    if last is None:
        return
    length = _content_length(doc)
    if not qs and NONE in on:
        if length >= ctx.params(NONE)["min_chars"]:
            yield ctx.finding(NONE, last.start, last.end,
                              detail="no question and no prompt to reply.",
                              example=texts["sample_question"])
        return
    if reader_asked or NO_INVITATION not in on:
        return
    if length < ctx.params(NO_INVITATION)["min_chars"]:
        return
    if qs:
        detail = ("its only question is about you, not the reader." if len(qs) == 1
                  else "its questions are about you, not the reader.")
    else:
        detail = "no question to the reader and no prompt to reply."
    yield ctx.finding(NO_INVITATION, last.start, last.end, detail=detail,
                      prompt=texts["sample_prompt"])


def _unmarked(ctx: Context, qs: Sequence[Question]) -> Iterator[Finding]:
    text = ctx.text
    mark = lexicon(ctx.language).opening_mark
    for q in qs:
        if not q.missing:
            continue
        shown = _excerpt(text[q.start:q.end])
        if q.missing == mark:
            # Spanish: "?" without its "¿" is common in casual writing, so only info.
            yield ctx.finding(UNMARKED, q.start, q.end, fix=q.fix, severity=Severity.INFO,
                              detail=f"“{shown}” has no opening “{mark}”.",
                              advice=f"Open the question with “{mark}”.")
        else:
            marks = "“" + "” and “".join(q.missing) + "”"
            yield ctx.finding(UNMARKED, q.start, q.end, fix=q.fix,
                              detail=f"“{shown}” is a question without {marks}.",
                              advice=f"Add {marks} so it reads as a question.")


def _too_many(ctx: Context, qs: Sequence[Question]) -> Iterator[Finding]:
    limit = int(ctx.params(TOO_MANY)["max_questions"])
    if len(qs) <= limit:
        return
    for n, q in enumerate(qs[limit:], start=limit + 1):
        yield ctx.finding(TOO_MANY, q.start, q.end, n=n, total=len(qs))


def _buried(ctx: Context, qs: Sequence[Question],
            invitations: Sequence[PhraseMatch]) -> Iterator[Finding]:
    params = ctx.params(BURIED)
    if len(qs) != 1 or _content_length(ctx.doc) < params["min_chars"]:
        return
    q = qs[0]
    if q.end > params["early_share"] * len(ctx.text):
        return
    if any(m.start >= q.end for m in invitations):
        return  # the post ends by inviting replies anyway
    min_words = int(params["min_words"])
    v = view(ctx.doc)
    after = 0
    for s in ctx.doc.sentences:
        if s.start >= q.end:
            lo, hi = v.range(s.start, s.end)
            if hi - lo >= min_words:
                after += 1
    if after > params["followed_by"]:
        yield ctx.finding(BURIED, q.start, q.end, after=after)


def _self_focus(ctx: Context) -> Iterator[Finding]:
    params = ctx.params(SELF_FOCUS)
    aud = _audience(ctx.language)
    # How often a list's words occur: one C search for each of them that the draft holds,
    # in the words' keys with a space on either side of each (" we  love  it ": keys hold
    # no white space), not a test for each word.
    keys, names = f" {'  '.join(ctx.doc.word_keys)} ", ctx.doc.index.names
    most_selves = sum(keys.count(f" {w} ") for w in aud.self_words.intersection(names))
    if most_selves < params["min_self"]:
        return  # most posts: no need to weigh the pronouns
    if params["ratio"] >= 0 and most_selves <= params["ratio"] * sum(
            keys.count(f" {w} ") for w in aud.sure_readers.intersection(names)):
        return  # nor where "you" outweighs them anyway
    selves, readers = pronouns(ctx.doc)
    if len(selves) < params["min_self"] or len(selves) <= params["ratio"] * len(readers):
        return
    # Point at the sentence with the most self-words (the first of equals).
    best, best_count = None, 0
    starts = [w.start for w in selves]
    for span in ctx.doc.sentences:
        count = bisect_left(starts, span.end) - bisect_left(starts, span.start)
        if count > best_count:
            best, best_count = span, count
    if best is None:
        return
    forms: list[str] = []
    for w in selves:
        f = fold(w.text)
        if f not in forms:
            forms.append(f)
    yield ctx.finding(SELF_FOCUS, best.start, best.end, self_count=len(selves),
                      total=len(selves) + len(readers), self_words="/".join(forms[:3]),
                      reader_hint=aud.texts["reader_hint"])


def _promotion(ctx: Context, lists: _Lists) -> tuple[int, int, str] | None:
    """The call to buy ("Shop now"), or the first promotional word when the post has
    enough different ones ("Sale… 20% off… free shipping"): (start, end, quoted words)."""
    text = ctx.text
    for m in lists.find("promo_calls"):
        return m.start, m.end, f"“{_excerpt(text[m.start:m.end])}”"
    found: dict[str, PhraseMatch] = {}
    for m in lists.find("promo_words"):
        # Two prices are one kind of word: "$8.46" and "$50" count once.
        found.setdefault(fold(_DIGITS_RE.sub("", text[m.start:m.end])), m)
    if found and len(found) >= ctx.params(ONE_WAY_AD)["min_promo_words"]:
        first = min(found.values(), key=lambda m: m.start)
        shown = ", ".join(f"“{_excerpt(text[m.start:m.end])}”"
                          for m in list(found.values())[:3])
        return first.start, first.end, shown
    return None


CHECK = Check(rules=RULES, run=run, metrics=("questions", "open_questions"))
