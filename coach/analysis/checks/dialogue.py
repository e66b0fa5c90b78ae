"""The Dialogue checks: questions (question.*) and the audience (audience.*).

One check for eight rules (audience.engagement_bait is a phrase list declared as data),
because they answer one question together: does this post invite a reply? They say so
once: a post with engagement bait, or one that reads as a one-way advert, has that
finding, and question.none / audience.no_invitation stay quiet. The catalogue declares
which finding silences which (``silences`` in resources/rules/dialogue.toml; the engine
applies it), so switch the specific rule off and the general one speaks again. An
invitation such as "Tell us in the comments" counts as asking. question.none fires on a
post with no question at all; audience.no_invitation on one whose questions are only
about the writer ("Why do I always burn the toast?"), or with no question when
question.none is switched off.

Pronoun counting (audience.self_focus) follows the notes in the language packs:
Indonesian "kita" includes the reader and counts for neither side, "kami" counts as self.
German "Sie"/"Ihnen"/"Ihr…" capitalised inside a sentence are the formal "you"; at the
start of a sentence "Sie" counts as "you" only if the post addresses the reader formally
elsewhere ("sie" is "she"/"they"). Lower-case "ihr" is "you" (plural) next to a verb form
("habt ihr", "ihr seid") and "her" otherwise ("mit ihr", "ihr Auto").
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache

import regex

from ..context import Check, Context
from ..model import Finding, Severity
from ..phrases import PhraseList, PhraseMatch, lexicon_phrases
from ..profile import LanguageProfile, Phrases, language_pack
from ..questions import (
    Question,
    is_reader_word,
    lexicon,
    questions,
    view,
)
from ..text import Doc, Span, Token, word_key

NONE, CLOSED, BURIED, TOO_MANY, UNMARKED = (
    "question.none", "question.closed", "question.buried", "question.too_many",
    "question.unmarked")
NO_INVITATION, SELF_FOCUS, ONE_WAY_AD = (
    "audience.no_invitation", "audience.self_focus", "audience.one_way_ad")
# (audience.engagement_bait is a phrase list declared as data: coach/analysis/kinds.py.)
RULES = (NONE, CLOSED, BURIED, TOO_MANY, UNMARKED, NO_INVITATION, SELF_FOCUS, ONE_WAY_AD)

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


@cache
def _audience(profile: LanguageProfile) -> _Audience:
    d, lex = profile.dialogue, lexicon(profile)
    return _Audience(
        self_words=d.self_words,
        self_exclude_exact=frozenset(d.self_exclude_exact),
        formal_you=d.formal_you,
        ambiguous_you=d.ambiguous_you,
        plural_you_endings=tuple(d.plural_you_endings),
        her_after=d.her_after,
        not_verbs=lex.dialogue.not_verbs,
        listed=d.self_words | d.formal_you | lex.dialogue.reader_words,
        sure_readers=lex.dialogue.reader_words - d.self_words - d.formal_you,
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
        self.none = several and not _all_lists(language_pack(doc.language)).find(doc)

    def find(self, phrases: Phrases) -> list[PhraseMatch]:
        if self.none:
            return []
        return lexicon_phrases(phrases, compounds=True).find(self.doc)


@cache
def _all_lists(profile: LanguageProfile) -> PhraseList:
    d = profile.dialogue
    return PhraseList((*d.bait, *d.invitations, *d.promo_calls, *d.promo_words),
                      compounds=True)


# ---------------------------------------------------------------------------------------
# Pronouns


def _verbish(word: str, aud: _Audience, *, lower: bool) -> bool:
    """A second-person-plural verb by shape ("seid", "habt"); ``lower``: it must be
    written in lower case (a capitalised word after "ihr" is a noun: "ihr Auto").
    Participles ("gesagt") are not: "ich habe ihr gesagt" is "her"."""
    f = word_key(word)
    if len(word) < 3 or (lower and not word.islower()) or f in aud.not_verbs:
        return False
    if f.startswith("ge") and len(f) >= 6:
        return False
    return any(f.endswith(e) for e in aud.plural_you_endings)


def pronouns(doc: Doc) -> tuple[list[Token], list[Token]]:
    """(self words, reader words) of a draft: "we/our/kami/nosotros/wir" and "you/…"."""
    profile = language_pack(doc.language)
    aud, lex = _audience(profile), lexicon(profile)
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
                        or (i > 1 and folded[i - 2] in lex.dialogue.open_words)))):
                readers.append(w)  # "ihr seid", "habt ihr", "was denkt ihr"
            elif w.text[0].isupper() and w.start in firsts:
                pending.append(w)
            continue
        if f in lex.dialogue.reader_words or (suffixes and is_reader_word(f, lex)):
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
    dialogue = ctx.pack.dialogue
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
            yield ctx.finding(CLOSED, q.start, q.end, key="others" if len(qs) > 1 else "",
                              question=_excerpt(ctx.text[q.start:q.end]), others=len(qs) - 1,
                              open_hint=dialogue.open_hint, example=dialogue.sample_question)
    # (The index's names hold every word's key, and a few more: a quick first test.)
    if SELF_FOCUS in on and not dialogue.self_words.isdisjoint(doc.index.names):
        yield from _self_focus(ctx)
    yield from _invitation(ctx, qs)


def _invitation(ctx: Context, qs: Sequence[Question]) -> Iterator[Finding]:
    """Does the post invite a reply? question.buried, audience.one_way_ad, question.none and
    audience.no_invitation. An invitation ("Tell us in the comments") counts as asking,
    unless it is part of engagement bait; which of these findings silences which (and
    engagement bait silences them all) the catalogue declares (``silences``)."""
    doc, on = ctx.doc, ctx.on
    buried = BURIED in on and len(qs) == 1
    advert = ONE_WAY_AD in on and not qs
    no_question = NONE in on and not qs
    uninvited = NO_INVITATION in on and not any(q.to_reader for q in qs)
    if not (buried or advert or no_question or uninvited):
        return
    dialogue = ctx.pack.dialogue
    lists = _Lists(doc, several=True)
    bait = [(m.start, m.end) for m in lists.find(dialogue.bait)]
    invitations = [m for m in lists.find(dialogue.invitations) if not _overlaps(m, bait)]
    if buried:
        yield from _buried(ctx, qs, invitations)
    if invitations:
        return
    example = dialogue.sample_question
    ad = _promotion(ctx, lists) if advert else None
    if ad is not None:
        yield ctx.finding(ONE_WAY_AD, ad[0], ad[1], phrase=ad[2], example=example)
    last = _last_sentence(doc)
    if last is None:
        return
    length = _content_length(doc)
    if no_question and length >= ctx.params(NONE)["min_chars"]:
        yield ctx.finding(NONE, last.start, last.end, example=example)
    if uninvited and length >= ctx.params(NO_INVITATION)["min_chars"]:
        key = "" if not qs else "one_about_you" if len(qs) == 1 else "all_about_you"
        yield ctx.finding(NO_INVITATION, last.start, last.end, key=key,
                          prompt=dialogue.sample_prompt)


def _unmarked(ctx: Context, qs: Sequence[Question]) -> Iterator[Finding]:
    text = ctx.text
    mark = ctx.pack.dialogue.opening_mark
    for q in qs:
        if not q.missing:
            continue
        shown = _excerpt(text[q.start:q.end])
        if q.missing == mark:
            # Spanish: "?" without its "¿" is common in casual writing, so only info.
            yield ctx.finding(UNMARKED, q.start, q.end, key="no_opening", fix=q.fix,
                              severity=Severity.INFO, question=shown, mark=mark)
        else:
            yield ctx.finding(UNMARKED, q.start, q.end, key="two_marks" if q.missing[1:] else "",
                              fix=q.fix, question=shown, mark=q.missing[0],
                              other=q.missing[1:])


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
    aud = _audience(ctx.pack)
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
        f = word_key(w.text)
        if f not in forms:
            forms.append(f)
    yield ctx.finding(SELF_FOCUS, best.start, best.end, self_count=len(selves),
                      total=len(selves) + len(readers), self_words="/".join(forms[:3]),
                      reader_hint=ctx.pack.dialogue.reader_hint)


def _promotion(ctx: Context, lists: _Lists) -> tuple[int, int, str] | None:
    """The call to buy ("Shop now"), or the first promotional word when the post has
    enough different ones ("Sale… 20% off… free shipping"): (start, end, quoted words)."""
    text = ctx.text
    for m in lists.find(ctx.pack.dialogue.promo_calls):
        return m.start, m.end, f"“{_excerpt(text[m.start:m.end])}”"
    found: dict[str, PhraseMatch] = {}
    for m in lists.find(ctx.pack.dialogue.promo_words):
        # Two prices are one kind of word: "$8.46" and "$50" count once.
        found.setdefault(word_key(_DIGITS_RE.sub("", text[m.start:m.end])), m)
    if found and len(found) >= ctx.params(ONE_WAY_AD)["min_promo_words"]:
        first = min(found.values(), key=lambda m: m.start)
        shown = ", ".join(f"“{_excerpt(text[m.start:m.end])}”"
                          for m in list(found.values())[:3])
        return first.start, first.end, shown
    return None


CHECK = Check(rules=RULES, run=run, metrics=("questions", "open_questions"))
