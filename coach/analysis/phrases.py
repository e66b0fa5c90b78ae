"""Match lists of phrases from the language packs against a draft, keeping offsets."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache

import regex

from .packs import language_pack

# Letters and digits on either side mean "inside a word": "sale" must not match "wholesale".
_BEFORE = r"(?<![\p{L}\p{M}\p{N}_])"
_AFTER = r"(?![\p{L}\p{M}\p{N}_])"


def phrase_pattern(phrase: str, *, allow_regex: bool = True) -> str:
    """A regular expression for one phrase.

    A phrase is literal text in which any run of spaces matches any run of white space,
    and a trailing ``*`` matches the rest of a word ("buruan*" finds "buruanlah").
    Built-in packs may also give a raw expression as ``re:...``; house packs may not.
    """
    if allow_regex and phrase.startswith("re:"):
        return f"{_BEFORE}(?:{phrase[3:]}){_AFTER}"
    stem = phrase.strip()
    tail = _AFTER
    if stem.endswith("*"):
        stem = stem[:-1]
        tail = r"[\p{L}\p{M}]*" + _AFTER
    body = r"\s+".join(regex.escape(part) for part in stem.split())
    return f"{_BEFORE}{body}{tail}"


def compile_phrases(phrases: Iterable[str], *, allow_regex: bool = True,
                    ignore_case: bool = True) -> regex.Pattern[str] | None:
    # Longest first, so "limited time only" wins over "limited time".
    ordered = sorted({p for p in phrases if p.strip()}, key=len, reverse=True)
    if not ordered:
        return None
    flags = regex.VERSION1 | (regex.IGNORECASE if ignore_case else 0)
    return regex.compile("|".join(phrase_pattern(p, allow_regex=allow_regex) for p in ordered),
                         flags)


@cache
def lexicon_phrases(code: str, area: str, name: str) -> regex.Pattern[str] | None:
    """The compiled phrase list ``[area] name`` of a language pack (None when empty)."""
    return compile_phrases(language_pack(code).get(area, name, ()))


def find_phrases(pattern: regex.Pattern[str] | None, text: str) -> Iterator[regex.Match[str]]:
    if pattern is None:
        return iter(())
    return pattern.finditer(text)
