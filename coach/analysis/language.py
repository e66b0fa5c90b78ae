"""Tell which of en, id, es, de a draft is written in: offline, fast and deterministic.

A character-trigram Markov model over the draft's words (naive Bayes with four classes).
The cost of each gram per language comes from Lingua's language models, trimmed to our four
languages and shipped as resources/languages/detect/trigrams.txt (see make_table.py there).
Links, @handles and e-mail addresses are skipped; a hashtag's words count.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from itertools import repeat
from operator import lshift, or_
from types import MappingProxyType

from ..data import read_text, resource
from .packs import parse_toml

DEFAULT_LANGUAGE = "en"


@cache
def detected_languages() -> tuple[str, ...]:
    """The languages the detector knows: the columns of its table (``# gram en id …``), in
    that order. A language file without a column is never detected, only chosen."""
    with resource("languages", "detect", "trigrams.txt").open(encoding="utf-8") as table:
        return tuple(table.readline().split()[2:])

# A guess whose probability is below this is shown as "low confidence". On the real-post
# corpora, guesses at or above it are right about 99% of the time.
RELIABLE = 0.9
# Only the start of a long draft is read: 1,000 characters (some 150 words) settle the
# language, and detection costs the same for a 3,000-character post and a 1 MB paste.
SAMPLE_CHARS = 1_000

# The costs of a gram, one per detected language, are packed side by side into one int,
# _FIELD bits each (the table's order, the first in the low bits), so that one dict lookup
# and one integer addition score a gram for every language.
_FIELD = 24
_MASK = (1 << _FIELD) - 1
# The largest cost of a gram in trigrams.txt, in tenths of a nat (FLOOR in make_table.py).
# With SAMPLE_CHARS at most ~1,000 grams and 500 words are scored, so sums fit in _FIELD bits.
_MAX_COST = 100
# Costs are in tenths of a nat. The grams of a text are not independent, so the raw Bayes
# posterior is overconfident; dividing cost gaps by this temperature calibrates it (fitted
# on the real-post corpora: a 10-nat gap between the two best is right ~95% of the time).
_TEMPERATURE = 35.0

# A run of letters is a word. Digits and "_" split words ("temen2" -> "temen").
_LETTERS_RE = re.compile(r"[^\W\d_]+")
# For the same words in a lower-cased ASCII text: every byte but a-z made a space.
_ONLY_ASCII_LETTERS = bytes(c if 0x61 <= c <= 0x7A else 0x20 for c in range(256))
# What marks a handle, an e-mail address or a link, and what is not white space.
_ADDRESS_MARK_RE = re.compile(r"@|://|www\.")
_NOT_SPACE_RE = re.compile(r"\S*")


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """The detected language, how sure the detector is, and each language's probability."""

    language: str
    confidence: float
    scores: Mapping[str, float]

    @property
    def reliable(self) -> bool:
        """False when the UI should say "detected (low confidence)"."""
        return self.confidence >= RELIABLE


def _pack(columns: list[Iterable[int]]) -> Iterator[int]:
    """Pack one cost per language (the table's order, first in the low bits) into ints."""
    packed: Iterator[int] = iter(columns[0])
    for i, column in enumerate(columns[1:], 1):
        packed = map(or_, packed, map(lshift, column, repeat(_FIELD * i)))
    return packed


@cache
def _grams() -> dict[tuple[str, str, str], int]:
    """Gram -> packed costs, from the shipped table ("_" in a gram is a word boundary).

    Keys are tuples of three characters: zip() makes those from a line without slicing a
    string per gram, which halves the cost of scoring."""
    text = read_text("languages", "detect", "trigrams.txt")
    # Rows are a three-character gram and a cost (0..100) per language, whitespace-separated.
    # Everything below runs in C (split, join, zip, map over builtins): ~26,000 rows load in
    # a few milliseconds.
    fields = text.split("\n", 1)[1].split()
    width = len(detected_languages()) + 1
    grams = "".join(fields[::width]).replace("_", " ")
    keys = zip(grams[0::3], grams[1::3], grams[2::3], strict=True)
    cost = {str(c): c for c in range(_MAX_COST + 1)}  # faster than int() per field
    columns = [map(cost.__getitem__, fields[i::width]) for i in range(1, width)]
    return dict(zip(keys, _pack(columns), strict=True))


@cache
def _words() -> dict[str, int]:
    """Word -> packed costs: ``bonus`` for each language that does not list the word."""
    data = parse_toml(read_text("languages", "detect", "words.toml"),
                      "resources/languages/detect/words.toml")
    bonus = int(data["bonus"])
    lists = [frozenset(data["words"][code]) for code in detected_languages()]
    words = sorted(frozenset().union(*lists))
    costs = [[0 if w in listed else bonus for w in words] for listed in lists]
    return dict(zip(words, _pack(costs), strict=True))


class _WordCosts(dict[str, int]):
    """Word -> packed costs of its grams (" word ", " " marking its ends) and of the word
    list. Grams spanning two words are in no table, so a draft's cost is the sum of its
    words' costs. Filled on a miss, cleared when full: a draft is mostly words seen
    before, and one look-up here replaces a look-up per gram in the large gram table
    (which, out of the processor's caches, is what detection spends its time on)."""

    def __missing__(self, word: str) -> int:
        if len(self) >= 1 << 16:
            self.clear()
        line = f" {word} "
        grams = zip(line, line[1:], line[2:], strict=False)
        value = self[word] = sum(map(_grams().get, grams, repeat(0))) + _words().get(word, 0)
        return value


_WORD_COSTS = _WordCosts()


def _without_addresses(sample: str) -> str:
    """``sample`` without the whitespace-delimited tokens that hold "@", "://" or "www."
    (handles, e-mail addresses, links): their letters do not vote."""
    n = len(sample)
    backwards = sample[::-1]  # to find where a token starts with a forward match
    kept, pos = [], 0
    for mark in _ADDRESS_MARK_RE.finditer(sample):
        if mark.start() < pos:
            continue  # in the token just left out
        start = n - _NOT_SPACE_RE.match(backwards, n - mark.start()).end()  # type: ignore[union-attr]
        kept.append(sample[pos:start])
        pos = _NOT_SPACE_RE.match(sample, mark.end()).end()  # type: ignore[union-attr]
    kept.append(sample[pos:])
    return " ".join(kept)


def _ascii_words(sample: str) -> list[str]:
    """The runs of a-z in a lower-cased ASCII text (bytes.translate is a table look-up
    per byte: three times faster than a pattern, or than str.translate)."""
    return sample.encode("ascii").translate(_ONLY_ASCII_LETTERS).decode("ascii").split()


def _costs(text: str) -> list[int]:
    """Each language's cost (tenths of a nat) of the draft's letters, in the table's order."""
    sample = unicodedata.normalize("NFC", text[:SAMPLE_CHARS]).lower()
    if "@" in sample or "://" in sample or "www." in sample:
        sample = _without_addresses(sample)
    words = _ascii_words(sample) if sample.isascii() else _LETTERS_RE.findall(sample)
    total = sum(map(_WORD_COSTS.__getitem__, words))
    return [(total >> (_FIELD * i)) & _MASK for i in range(len(detected_languages()))]


def guess_language(text: str, default: str = DEFAULT_LANGUAGE) -> LanguageGuess:
    """The language of ``text`` with its probability; ``default`` when nothing tells.

    Text without letters (empty, emoji, links only) gets ``default`` with a uniform 0.25.
    Ties go to ``default``, then to the first in the table's order, so the answer is stable.
    """
    known = detected_languages()
    if default not in known:
        raise ValueError(f"unknown language {default!r} (expected one of {', '.join(known)})")
    costs = _costs(text)
    best = min(costs)
    weights = [math.exp((best - c) / _TEMPERATURE) for c in costs]
    total = sum(weights)
    scores = {code: w / total for code, w in zip(detected_languages(), weights, strict=True)}
    language = _cheapest(costs, default)
    return LanguageGuess(language, scores[language], MappingProxyType(scores))


def _cheapest(costs: list[int], default: str) -> str:
    best = min(costs)
    tied = [code for code, c in zip(detected_languages(), costs, strict=True) if c == best]
    return default if default in tied else tied[0]


def detect_language(text: str) -> str:
    """The most likely of en, id, es, de for ``text`` ("en" when it has no letters)."""
    return _cheapest(_costs(text), DEFAULT_LANGUAGE)


def detect_language_scores(text: str) -> dict[str, float]:
    """Each language's probability for ``text`` (they sum to 1; uniform without letters)."""
    return dict(guess_language(text).scores)
