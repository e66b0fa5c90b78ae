"""Helpers shared by the tone checks.

Per-language word lists are compiled once (cached by the language's [tone] area: profiles
are read-only). Phrase lists are found with :mod:`coach.analysis.phrases`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

import regex

from ..profile import Tone, language_pack
from ..text import Token, plain_apostrophes, word_key

# Marks after which a new sentence starts, and marks that may open one ("¡Hola", "«Ja»").
SENTENCE_ENDS = frozenset(".!?…。！？‼⁉")
OPENERS = frozenset("¡¿\"'“”‘’«»„‚‹›([{*-–—•·|/>")
ROMAN_RE = regex.compile(
    r"(?=[MDCLXVI])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")


def strip_accents(word: str) -> str:
    """``word`` without combining marks ("sí" -> "si", "für" -> "fur")."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normal_forms(words: Sequence[str]) -> Mapping[str, str]:
    """A word list as ``{lookup key: the word as normally written}``."""
    forms: dict[str, str] = {}
    for word in words:
        forms.setdefault(word_key(word), plain_apostrophes(word))
    return MappingProxyType(forms)


def plain_forms(words: Sequence[str]) -> Mapping[str, str]:
    """Like :func:`normal_forms`, keyed without accents ("si" finds "sí")."""
    forms: dict[str, str] = {}
    for key, word in normal_forms(words).items():
        forms.setdefault(strip_accents(key), word)
    return MappingProxyType(forms)


def fullmatch_pattern(parts: Sequence[str]) -> regex.Pattern[str] | None:
    """A list of raw regular expressions, joined to match a whole word's key
    (:func:`~coach.analysis.text.word_key`: already case-folded, so the expressions are
    written in lower case and compiled without IGNORECASE, which is slow to build)."""
    parts = [p for p in parts if p.strip()]
    if not parts:
        return None
    return regex.compile("|".join(f"(?:{p})" for p in parts), regex.VERSION1)


@dataclass(frozen=True, slots=True)
class ToneWords:
    """The [tone] word lists of one language, ready for lookups."""

    acronyms: frozenset[str]  # the language's and the English ones (CEO, NASA, LOL…)
    known: Mapping[str, str]  # known_words by word key
    known_plain: Mapping[str, str]  # known_words by word key without accents
    stretched_plain: Mapping[str, str]  # stretched_words by word key without accents
    expressive: regex.Pattern[str] | None


@cache
def tone_words(tone: Tone) -> ToneWords:
    """The :class:`ToneWords` of a language's [tone] area (cached: profiles are read-only)."""
    return ToneWords(
        acronyms=tone.acronyms | language_pack("en").tone.acronyms,
        known=normal_forms(tone.known_words),
        known_plain=plain_forms(tone.known_words),
        stretched_plain=plain_forms(tone.stretched_words),
        expressive=fullmatch_pattern(tone.expressive),
    )


def with_form_of(original: str, form: str) -> str:
    """``form`` spelt with the apostrophe style of ``original`` ("I’m" stays curly)."""
    if "’" in original:
        return form.replace("'", "’")
    return form


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
