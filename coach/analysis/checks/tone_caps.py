"""tone.caps: words in capitals that read as shouting, with a sentence-case quick fix.

Only ``word`` tokens are looked at, so #HASHTAGS, @mentions, URLs and emoji never fire.
Each word written in capitals is one of:

* neutral: a single letter, a known acronym (``[tone] acronyms`` of the language plus the
  English list, since CEO, NASA or FBI are written so everywhere), a Roman numeral, a
  laugh or an interjection (``[tone] expressive``), or an unknown word without a vowel
  ("PSG", "KPK", "BPJSTK": such words are initialisms, not words);
* shouted: a known common word (``[tone] known_words``: "NOW", "JETZT", "BELI") or any
  longer word ("AMAZING");
* ambiguous: an unknown short word (up to ``acronym_max_letters`` letters) with a vowel
  ("OM", "IKEA") or an acronym that is
  also a common word ("US", "WHO", "UN" in Spanish). It counts as an acronym on its own
  or next to other acronyms ("PA, WI, MI"), and as shouting next to a shouted word.

Capitals in mixed-case words never count, so German nouns ("Angebot") are safe. Words in
capitals next to each other (only spaces, punctuation, numbers or emoji between them, on
one line) form one finding. A line whose letters are mostly capitals is shouting as a
whole: there, short unknown words count as shouted too ("the high share of capitals",
measured as the share of the line's letters that sit in words written in capitals).

The fix writes the span in sentence case, word by word: acronyms keep their capitals; a
word's spelling is taken from the draft itself when the same word appears there in lower
or mixed case (so a name or a German noun written once normally is kept), else from
``known_words``; a word that opens a sentence gets a capital. A word whose spelling is not
known may be a name ("TIM DUNCAN"), so it is lower-cased only when most shouted words of
the span are known (ordinary prose), and never in German, where any unknown word may be a
noun (``[tone] caps_fix_unknown = "none"``). Otherwise no fix is offered rather than a
wrong one.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

import regex

from ..context import Check, Context
from ..model import Finding, Severity
from ..profile import LanguageProfile
from ..text import Doc, Token, token_key
from .tone_common import (
    ROMAN_RE,
    starts_sentence,
    strip_accents,
    tone_words,
    with_form_of,
)

RULE = "tone.caps"
NEUTRAL, AMBIGUOUS, SHOUTED = 0, 1, 2
_VOWELS = frozenset("aeiouy")
_STRETCH_RE = regex.compile(r"(\p{L})\1{2,}")
# Tokens that may sit between two words in capitals without breaking the run.
_RUN_GLUE = frozenset({"punct", "number", "emoji"})
_EXCERPT = 40


@dataclass(frozen=True, slots=True)
class _Lexicon:
    acronyms: frozenset[str]
    known: Mapping[str, str]
    known_plain: Mapping[str, str]
    expressive: regex.Pattern[str] | None
    fix_unknown: bool


@cache
def _lexicon(profile: LanguageProfile) -> _Lexicon:
    words = tone_words(profile.tone)
    return _Lexicon(
        acronyms=words.acronyms,
        known=words.known,
        known_plain=words.known_plain,
        expressive=words.expressive,
        fix_unknown=profile.tone.caps_fix_unknown != "none",
    )


def _letters(word: str) -> int:
    # A word token is letters (with marks) and inner apostrophes or hyphens.
    return len(word) - sum(word.count(ch) for ch in "'’-\u2010") if not word.isalpha() \
        else len(word)


def classify(word: str, lex: _Lexicon, max_short: int) -> int:
    """NEUTRAL, AMBIGUOUS or SHOUTED for a word written in capitals (see module doc)."""
    if "-" in word or "‐" in word:
        parts = [p for p in regex.split(r"[-‐]", word) if p]
        kinds = [classify(p, lex, max_short) for p in parts]
        return max(kinds) if SHOUTED in kinds or NEUTRAL not in kinds else NEUTRAL
    letters = _letters(word)
    if letters < 2:
        return NEUTRAL
    key = token_key(word)
    if _STRETCH_RE.search(key) and _STRETCH_RE.sub(r"\1", key) in lex.acronyms:
        return NEUTRAL  # a stretched acronym ("OMGGG"): tone.stretched speaks of it
    if lex.expressive is not None and lex.expressive.fullmatch(key):
        return NEUTRAL
    word_like = key in lex.known or strip_accents(key) in lex.known_plain
    if key in lex.acronyms or (key.endswith("'s") and key[:-2] in lex.acronyms):
        return AMBIGUOUS if word_like else NEUTRAL
    if word_like:
        return SHOUTED
    if ROMAN_RE.fullmatch(word):
        return NEUTRAL
    if not any(ch in _VOWELS for ch in strip_accents(key)):
        return NEUTRAL
    return SHOUTED if letters > max_short else AMBIGUOUS


@lru_cache(maxsize=4096)
def _kind(profile: LanguageProfile, word: str, max_short: int) -> int:
    """:func:`classify` for a language, remembered for frequent words."""
    return classify(word, _lexicon(profile), max_short)


class _ShoutingLines:
    """Whether a line's letters are mostly in words written in capitals, worked out only
    for the lines that hold an ambiguous word, each once.

    Counting whole words keeps this cheap and leaves the single capital of a German noun
    or a name out of the share, as it should.
    """

    def __init__(self, doc: Doc, share: float, min_letters: int) -> None:
        self.doc = doc
        self.share = share
        self.min_letters = min_letters
        self._found: dict[int, bool] = {}  # by where the line starts

    def shouting(self, start: int) -> bool:
        """Whether the line that starts at offset ``start`` is shouting."""
        found = self._found.get(start)
        if found is None:
            doc = self.doc
            end = doc.text.find("\n", start)
            lo = bisect_left(doc.word_starts, start)
            hi = bisect_left(doc.word_starts, len(doc.text) if end < 0 else end, lo)
            texts = [w.text for w in doc.words[lo:hi]]
            letters = sum(map(len, texts))
            loud = sum(len(t) for t in filter(str.isupper, texts) if len(t) > 1)
            found = self._found[start] = \
                letters >= self.min_letters and loud >= self.share * letters
        return found


def _spelling_in_draft(ctx: Context, needed: set[str]) -> dict[str, str]:
    """How the draft itself writes the ``needed`` words when not in capitals, mid-sentence."""
    seen: dict[str, str] = {}
    ix = ctx.doc.index
    tokens = ix.tokens
    for i in sorted({i for key in needed for i in ix.positions(key)}):
        t, key = tokens[i], ix.keys[i]
        if t.kind != "word" or t.text.isupper() or key not in needed:
            continue
        if t.text.islower() or (key not in seen and not starts_sentence(ctx.text, tokens, i)):
            seen[key] = t.text
    return seen


class _Fixer:
    """Builds sentence-case replacements; reads the draft's own spellings only if needed."""

    def __init__(self, ctx: Context, lex: _Lexicon, needed: set[str]) -> None:
        self.ctx = ctx
        self.lex = lex
        self.needed = needed  # keys of every shouted word: the only spellings looked up
        self._seen: dict[str, str] | None = None

    def _known(self, token: Token) -> str | None:
        if self._seen is None:
            self._seen = _spelling_in_draft(self.ctx, self.needed)
        key = token_key(token.text)
        return self._seen.get(key) or self.lex.known.get(key)

    def replacement(self, run: list[tuple[int, int]], first: int, last: int) -> str | None:
        """``text[first..last]`` in sentence case, or None when a word's case is unsure.

        A shouted word whose spelling is not known (from the draft or ``known_words``) may
        be a name ("TIM DUNCAN", "PUTIN"): it is lower-cased only where the language allows
        it and most shouted words of the span are known, i.e. the span is ordinary prose.
        """
        text, tokens = self.ctx.text, self.ctx.doc.tokens
        kinds = dict(run)
        forms: dict[int, str | None] = {}
        known = unknown = 0
        for i in range(first, last + 1):
            t = tokens[i]
            if t.kind != "word":
                continue
            initial = starts_sentence(text, tokens, i)
            if kinds.get(i, NEUTRAL) == NEUTRAL:
                key = token_key(t.text)
                form = self.lex.known[key] if _letters(t.text) == 1 and key in self.lex.known \
                    else t.text
            else:
                form = self._known(t)
                if form is not None:
                    known += 1
                elif not initial:
                    unknown += 1
            if form is not None and initial:
                form = form[:1].upper() + form[1:]
            forms[i] = form
        if unknown and not (self.lex.fix_unknown and known >= unknown):
            return None
        pieces: list[str] = []
        pos = tokens[first].start
        for i in range(first, last + 1):
            t = tokens[i]
            pieces.append(text[pos:t.start])
            if i in forms:
                form = forms[i]
                if form is None:
                    form = t.text.lower()
                    if starts_sentence(text, tokens, i):
                        form = form[:1].upper() + form[1:]
                pieces.append(with_form_of(t.text, form))
            else:
                pieces.append(t.text)
            pos = t.end
        return "".join(pieces)


def _runs(ctx: Context, loud: list[Token]) -> Iterator[list[tuple[int, int]]]:
    """Runs of the ``loud`` words (in capitals) as lists of (token index, kind)."""
    params = ctx.params(RULE)
    max_short = int(params["acronym_max_letters"])
    text, tokens, starts = ctx.text, ctx.doc.tokens, ctx.doc.index.starts
    lines: _ShoutingLines | None = None  # made when an ambiguous word first needs it
    line_start = 0  # of the line of the current word, found as the words go
    run: list[tuple[int, int]] = []
    # Two words in capitals share a run when nothing but glue (punctuation, numbers,
    # emoji) and no line break stands between them.
    prev = -1
    for t in loud:
        i = bisect_left(starts, t.start)
        # "$AAPL" is a cashtag (a stock ticker), not a word.
        if text[t.start - 1:t.start] == "$":
            continue
        if run and not (all(tokens[k].kind in _RUN_GLUE for k in range(prev + 1, i))
                        and "\n" not in text[tokens[prev].start:t.start]):
            yield run
            run = []
        prev = i
        kind = _kind(ctx.pack, t.text, max_short)
        if kind == AMBIGUOUS:
            if lines is None:
                lines = _ShoutingLines(ctx.doc, float(params["shouting_line_share"]),
                                       int(params["shouting_line_min_letters"]))
            line_start = text.rfind("\n", line_start, t.start) + 1 or line_start
            if lines.shouting(line_start):
                kind = SHOUTED
        run.append((i, kind))
    if run:
        yield run


def _loud_words(doc: Doc) -> list[Token]:
    """The words written in capitals ("NOW", "I", "DON’T"; not "Now", "iPhone")."""
    return [w for w in doc.words if w.text.isupper()]


def run(ctx: Context) -> Iterator[Finding]:
    loud = _loud_words(ctx.doc)
    if not any(len(t.text) > 1 for t in loud):  # a capital "I" or "A" never shouts
        return
    tokens = ctx.doc.tokens
    loud_runs: list[tuple[list[tuple[int, int]], list[int]]] = []
    for words in _runs(ctx, loud):
        if any(k == SHOUTED for _, k in words):
            words = [(i, SHOUTED if k == AMBIGUOUS else k) for i, k in words]
            loud_runs.append((words, [i for i, k in words if k == SHOUTED]))
    if not loud_runs:
        return
    needed = {token_key(tokens[i].text) for _, loud in loud_runs for i in loud}
    fixer = _Fixer(ctx, _lexicon(ctx.pack), needed)
    for words, loud in loud_runs:
        first, last = loud[0], loud[-1]
        start, end = tokens[first].start, tokens[last].end
        found = ctx.text[start:end]
        if len(found) > _EXCERPT:
            found = found[: _EXCERPT - 1] + "…"
        fix = fixer.replacement(words, first, last)
        if len(loud) == 1:
            yield ctx.finding(RULE, start, end, key="one_word", fix=fix,
                              severity=Severity.SUGGESTION, found=found)
        else:
            yield ctx.finding(RULE, start, end, fix=fix, count=len(loud), found=found)


CHECK = Check(rules=(RULE,), run=run)
