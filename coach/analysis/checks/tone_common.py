"""Helpers shared by the tone and reply checks.

Per-language word lists are compiled once (cached by language code: the shipped packs are
read-only), and phrase matches are filtered so that a phrase is never found inside a URL,
an @mention, a #hashtag, an e-mail address or a hyphenated compound ("idiot-proof").
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from types import MappingProxyType

import regex

from ..packs import language_pack
from ..phrases import find_phrases
from ..text import Doc, Token

# Marks after which a new sentence starts, and marks that may open one ("¡Hola", "«Ja»").
SENTENCE_ENDS = frozenset(".!?…。！？‼⁉")
OPENERS = frozenset("¡¿\"'“”‘’«»„‚‹›([{*-–—•·|/>")
_PROTECTED = frozenset({"url", "mention", "hashtag", "email"})
ROMAN_RE = regex.compile(
    r"(?=[MDCLXVI])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'"})
_IN_COMPOUND_BEFORE = regex.compile(r"[\p{L}\p{N}][-‐]\Z")
_IN_COMPOUND_AFTER = regex.compile(r"[-‐][\p{L}\p{N}]")


def word_key(word: str) -> str:
    """The lookup key of a word: case-folded, with typographic apostrophes made plain."""
    return word.translate(_APOSTROPHES).casefold()


def strip_accents(word: str) -> str:
    """``word`` without combining marks ("sí" -> "si", "für" -> "fur")."""
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def normal_forms(code: str, area: str, name: str) -> Mapping[str, str]:
    """A word list of a pack as ``{lookup key: the word as normally written}``."""
    forms: dict[str, str] = {}
    for word in language_pack(code).get(area, name, ()):
        forms.setdefault(word_key(str(word)), str(word).translate(_APOSTROPHES))
    return MappingProxyType(forms)


@cache
def plain_forms(code: str, area: str, name: str) -> Mapping[str, str]:
    """Like :func:`normal_forms`, keyed without accents ("si" finds "sí")."""
    forms: dict[str, str] = {}
    for key, word in normal_forms(code, area, name).items():
        forms.setdefault(strip_accents(key), word)
    return MappingProxyType(forms)


@cache
def fullmatch_pattern(code: str, area: str, name: str) -> regex.Pattern[str] | None:
    """A list of raw regular expressions from a pack, joined to match a whole (folded) word."""
    parts = [str(p) for p in language_pack(code).get(area, name, ()) if str(p).strip()]
    if not parts:
        return None
    return regex.compile("|".join(f"(?:{p})" for p in parts), regex.VERSION1 | regex.IGNORECASE)


def with_form_of(original: str, form: str) -> str:
    """``form`` spelt with the apostrophe style of ``original`` ("I’m" stays curly)."""
    if "’" in original:
        return form.replace("'", "’")
    return form


def protected_spans(doc: Doc) -> list[tuple[int, int]]:
    """Spans of URLs, @mentions, #hashtags and e-mails: phrases never match inside them."""
    return [(t.start, t.end) for t in doc.tokens if t.kind in _PROTECTED]


def _overlaps(spans: Sequence[tuple[int, int]], starts: Sequence[int], start: int,
              end: int) -> bool:
    i = bisect_right(starts, end - 1) - 1
    return i >= 0 and spans[i][1] > start


def phrase_hits(doc: Doc, pattern: regex.Pattern[str] | None,
                text: str | None = None) -> Iterator[regex.Match[str]]:
    """Matches of a compiled phrase list in the draft (or in ``text``, e.g. the comment).

    A match inside a URL, @mention, #hashtag or e-mail, or one that is only part of a
    hyphenated compound ("idiot-proof", "anti-buy now"), is skipped.
    """
    if pattern is None:
        return
    source = doc.text if text is None else text
    spans: list[tuple[int, int]] | None = None
    starts: list[int] = []
    for m in find_phrases(pattern, source):
        start, end = m.start(), m.end()
        if start == end:
            continue
        if _IN_COMPOUND_BEFORE.search(source, max(0, start - 2), start) \
                or _IN_COMPOUND_AFTER.match(source, end):
            continue
        if text is None:
            if spans is None:
                spans = protected_spans(doc)
                starts = [s for s, _ in spans]
            if spans and _overlaps(spans, starts, start, end):
                continue
        yield m


def starts_sentence(text: str, tokens: Sequence[Token], index: int) -> bool:
    """True when ``tokens[index]`` opens a sentence or a line.

    Emoji, opening marks ("¡", "«", a bullet dash) and leading @mentions in front of it do
    not count: "@ana 🎉 ¡GRACIAS!" starts its sentence at "GRACIAS".
    """
    pos = tokens[index].start
    j = index - 1
    while True:
        gap_start = tokens[j].end if j >= 0 else 0
        if "\n" in text[gap_start:pos] or j < 0:
            return True
        token = tokens[j]
        if token.kind in ("emoji", "mention"):
            pass
        elif token.kind == "punct" and token.text in SENTENCE_ENDS:
            return True
        elif not (token.kind == "punct" and token.text in OPENERS):
            return False
        pos = token.start
        j -= 1
