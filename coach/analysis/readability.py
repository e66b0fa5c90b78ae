"""How hard a draft is to read: the published formula for its language, and its words.

en uses Flesch reading ease, de Amstad's German Flesch, es Szigriszt-Pazos on the INFLESZ
scale; Indonesian has no calibrated formula, so it gets LIX (sentence length and share of
long words) and the result says so. The formulas and their scales are data
(resources/readability/formulas.toml); the syllable rules are data per language
(the ``[readability]`` table of each language pack).

Why the counts are made here and not by calling textstat at run time (measured on the
project's 2-core machine): ``import textstat`` imports NLTK (about 230 ms); its English
syllable counter loads NLTK's cmudict, downloading it when it is missing (the app must
never touch the network) and parsing it takes about 0.8 s; its other languages load Pyphen
hyphenation dictionaries (50 ms for en/es/id, 500 ms for de) whose hyphen points undercount
syllables (Pyphen never splits off a one-letter syllable: "una", "aber", "aku" come out as
one). The engine's whole first call has 300 ms. So the words and sentences come from the
shared :class:`~coach.analysis.text.Doc` split (the same words every other check sees:
never @mentions, #hashtags, URLs or emoji), syllables from small per-language rules plus,
for English, the CMU Pronouncing Dictionary's counts for the words the rules get wrong
(resources/readability/en.syllables.txt), and the scores from textstat's published
coefficients. tests/test_readability.py checks every formula against
``textstat.backend.metrics`` so the two cannot drift apart.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any, NamedTuple

from coach.data import read_text

from .formulas import Counts, Formula, formulas
from .profile import LanguageProfile, language_pack, rule_params
from .text import Doc, Span, word_key

HARD_RULE = "readability.hard"


# ---------------------------------------------------------------------------------------
# Syllables


@dataclass(frozen=True, slots=True)
class SyllableRules:
    """Count syllables as vowel groups, plus splits (two-syllable vowel pairs such as the
    "ia" of "media"), minus merges (a silent final "e"), with a table of exceptions."""

    vowels: re.Pattern[str]
    split: re.Pattern[str] | None
    merge: re.Pattern[str] | None
    exceptions: Mapping[str, int]

    def count(self, word: str) -> int:
        word = word_key(word)
        known = self.exceptions.get(word)
        if known is not None:
            return known
        total = 0
        for part in word.replace("'", "").split("-"):
            if part:
                n = len(self.vowels.findall(part))
                if self.split is not None:
                    n += len(self.split.findall(part))
                if self.merge is not None:
                    n -= len(self.merge.findall(part))
                total += max(n, 1)
        return max(total, 1)


# The syllable rules use the standard library's re: for these short patterns it runs about
# twice as fast as the regex module, and a new word costs three scans.
def _alternation(patterns: Sequence[str]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def _exception_table(name: str) -> dict[str, int]:
    """Read ``<count> word word ...`` lines (one line per syllable count)."""
    table: dict[str, int] = {}
    for line in read_text("readability", name).splitlines():
        count, _, words = line.partition(" ")
        if count.isdigit():
            table.update(dict.fromkeys(words.split(), int(count)))
    return table


def compile_syllable_rules(code: str, *, exceptions: bool = True) -> SyllableRules:
    """The syllable rules of one language; without ``exceptions``, the bare rules (what
    resources/readability/build_en_syllables.py compares with the dictionary)."""
    return _compile(language_pack(code), exceptions=exceptions)


def _compile(profile: LanguageProfile, *, exceptions: bool) -> SyllableRules:
    table = profile.readability
    name = table.syllable_exceptions if exceptions else None
    return SyllableRules(
        vowels=re.compile(table.syllable_vowels),
        split=_alternation(table.syllable_split),
        merge=_alternation(table.syllable_merge),
        exceptions=MappingProxyType(_exception_table(name) if name else {}),
    )


def syllable_rules(code: str) -> SyllableRules:
    """The compiled syllable rules of one language, with its exceptions (read once)."""
    return _syllable_rules(language_pack(code))


@cache
def _syllable_rules(profile: LanguageProfile) -> SyllableRules:
    return _compile(profile, exceptions=True)


class _Memo(dict):
    """A bounded memo of one language's syllable counts, filled on a miss. Looking a word
    up is a plain dict look-up (~30 ns) instead of lru_cache's (~100 ns): a 3,000-character
    post has ~500 words. Cleared when full, so a 1 MB paste cannot grow it without end."""

    def __init__(self, count: Callable[[str], int], limit: int = 1 << 16) -> None:
        super().__init__()
        self._count = count
        self._limit = limit

    def __missing__(self, word: str) -> int:
        if len(self) >= self._limit:
            self.clear()
        value = self[word] = self._count(word)
        return value


def syllable_counter(language: str) -> Callable[[str], int]:
    """``word -> syllables`` for one language, memoised: a draft repeats its words, and
    the live editor re-analyses the same words on every keystroke."""
    return _syllable_counter(language_pack(language))


@cache
def _syllable_counter(profile: LanguageProfile) -> Callable[[str], int]:
    return _Memo(_syllable_rules(profile).count).__getitem__


def syllables(word: str, language: str) -> int:
    """Syllables in one word of ``language`` (en, id, es, de); at least 1."""
    return syllable_counter(language)(word)


# ---------------------------------------------------------------------------------------
# Counts and the result


def sentence_lengths(doc: Doc) -> list[tuple[Span, int]]:
    """Every sentence of ``doc`` with its number of words, in one pass."""
    starts = doc.word_starts
    lengths = []
    lo = 0
    for span in doc.sentences:
        if lo < len(starts) and starts[lo] < span.start:  # words between two sentences
            lo = bisect_left(starts, span.start, lo)
        hi = bisect_left(starts, span.end, lo)
        lengths.append((span, hi - lo))
        lo = hi
    return lengths


def count(doc: Doc, *, long_word: int | None = None,
          lengths: Sequence[tuple[Span, int]] | None = None) -> Counts:
    """Words, sentences, syllables and letters of a draft, from its shared split.

    Only ``kind == "word"`` tokens count, so @mentions, #hashtags, URLs, numbers and emoji
    neither lengthen sentences nor add syllables; a "sentence" without a word (a line of
    hashtags, a lone emoji) is not counted either. Long words (more than ``long_word``
    letters) are counted only when asked for. ``lengths`` is :func:`sentence_lengths`
    when the caller already has it.
    """
    texts = [w.text for w in doc.words]
    if lengths is None:
        lengths = sentence_lengths(doc)
    sentences = sum(1 for _, n in lengths if n)
    return Counts(
        words=len(texts),
        sentences=max(sentences, 1 if texts else 0),
        syllables=sum(map(syllable_counter(doc.language), texts)),
        letters=len("".join(texts)),
        long_words=0 if long_word is None else len([t for t in texts if len(t) > long_word]),
    )


class Readability(NamedTuple):
    """A draft's readability: the score on its formula's scale, always with the words.

    ``label`` is "easy", "plain" or "hard" (the thresholds are the parameters of
    readability.hard for the language); ``band`` is the scale's own finer word.
    ``reliable`` is False when the draft has fewer words than ``min_words``: a short post
    swings a formula by many points per word, so readability.hard stays quiet then.
    """

    language: str
    formula: str  # e.g. "Flesch reading ease"
    formula_id: str  # e.g. "flesch" (resources/readability/formulas.toml)
    score: float
    label: str
    band: str
    scale: str
    note: str  # e.g. that no formula is calibrated for Indonesian
    calibrated: bool
    reliable: bool
    words: int
    sentences: int
    words_per_sentence: float
    syllables_per_word: float
    letters_per_word: float

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()


def _label(formula: Formula, score: float, easy: float, hard: float) -> str:
    sign = 1.0 if formula.higher_is_easier else -1.0
    if sign * score >= sign * easy:
        return "easy"
    if sign * score < sign * hard:
        return "hard"
    return "plain"


def _number(params: Mapping[str, Any], name: str, default: float) -> float:
    """A numeric parameter; a setting that is not a finite number falls back to default."""
    try:
        value = float(params.get(name, default))
    except (TypeError, ValueError):
        return float(default)
    return value if math.isfinite(value) else float(default)


@cache
def _language_scoring(profile: LanguageProfile) -> tuple[Formula, Mapping[str, Any], str, bool]:
    """A language's formula, readability.hard defaults, note and whether it is calibrated."""
    settings = profile.readability
    return (formulas()[settings.formula], rule_params(HARD_RULE, profile), settings.note,
            settings.calibrated)


@cache
def _default_thresholds(profile: LanguageProfile) -> tuple[float, float, float]:
    defaults = rule_params(HARD_RULE, profile)
    return _thresholds(defaults, defaults)


def _thresholds(params: Mapping[str, Any], defaults: Mapping[str, Any]
                ) -> tuple[float, float, float]:
    """easy_score, hard_score and min_words, each falling back to its default."""
    return (_number(params, "easy_score", defaults["easy_score"]),
            _number(params, "hard_score", defaults["hard_score"]),
            _number(params, "min_words", defaults["min_words"]))


def readability(doc: Doc, params: Mapping[str, Any] | None = None, *,
                lengths: Sequence[tuple[Span, int]] | None = None) -> Readability | None:
    """Score ``doc`` with its language's formula; None when it has no words.

    ``params`` are readability.hard's (min_words, easy_score, hard_score), as resolved by
    the engine for this call; without them the language's defaults are used.
    ``lengths`` is :func:`sentence_lengths` when the caller already has it.
    """
    profile = language_pack(doc.language)
    formula, defaults, note, calibrated = _language_scoring(profile)
    params = defaults if params is None else params
    counts = count(doc, long_word=formula.long_word if formula.kind == "lix" else None,
                   lengths=lengths)
    if not counts.words:
        return None
    score = formula.score(counts)
    if params == defaults:  # as a rule: no setting changes them
        easy, hard, min_words = _default_thresholds(profile)
    else:
        easy, hard, min_words = _thresholds(params, defaults)
    return Readability(
        language=doc.language,
        formula=formula.name,
        formula_id=formula.id,
        score=round(score, 1),
        label=_label(formula, score, easy, hard),
        band=formula.band(score),
        scale=formula.scale,
        note=note,
        calibrated=calibrated,
        reliable=counts.words >= min_words,
        words=counts.words,
        sentences=counts.sentences,
        words_per_sentence=round(counts.words_per_sentence, 2),
        syllables_per_word=round(counts.syllables_per_word, 3),
        letters_per_word=round(counts.letters_per_word, 2),
    )
