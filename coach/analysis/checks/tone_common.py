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
from ..phrases import phrase_pattern
from ..text import Doc, Token

# Marks after which a new sentence starts, and marks that may open one ("¡Hola", "«Ja»").
SENTENCE_ENDS = frozenset(".!?…。！？‼⁉")
OPENERS = frozenset("¡¿\"'“”‘’«»„‚‹›([{*-–—•·|/>")
_PROTECTED = frozenset({"url", "mention", "hashtag", "email"})
ROMAN_RE = regex.compile(
    r"(?=[MDCLXVI])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
def plain_apostrophes(text: str) -> str:
    """``text`` with typographic apostrophes (’ ʼ) made plain ('); the length is kept.

    ``str.replace`` is used on purpose: ``str.translate`` with a table is several times
    slower on long texts.
    """
    return text.replace("’", "'").replace("ʼ", "'")
_IN_COMPOUND_BEFORE = regex.compile(r"[\p{L}\p{N}][-‐]\Z")
_IN_COMPOUND_AFTER = regex.compile(r"[-‐][\p{L}\p{N}]")


def word_key(word: str) -> str:
    """The lookup key of a word: case-folded, with typographic apostrophes made plain."""
    return plain_apostrophes(word).casefold()


def strip_accents(word: str) -> str:
    """``word`` without combining marks ("sí" -> "si", "für" -> "fur")."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def normal_forms(code: str, area: str, name: str) -> Mapping[str, str]:
    """A word list of a pack as ``{lookup key: the word as normally written}``."""
    forms: dict[str, str] = {}
    for word in language_pack(code).get(area, name, ()):
        forms.setdefault(word_key(str(word)), plain_apostrophes(str(word)))
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


class PhraseList:
    """Phrases compiled one pattern each, every pattern gated by a word it must contain.

    One alternation of many phrases makes the regex engine try every phrase at every
    position of the text; here a fast substring test on the case-folded text first picks
    the few phrases that can match at all. Matches are the same as for
    :func:`coach.analysis.phrases.compile_phrases` (longest first where they overlap),
    except that a typographic apostrophe in the text matches a plain one in a phrase.
    """

    def __init__(self, entries: Sequence[tuple[tuple[str, ...] | None, regex.Pattern[str]]]):
        self._entries = tuple(entries)
        self._always = tuple(i for i, (needles, _) in enumerate(entries) if needles is None)
        by_needle: dict[str, list[int]] = {}
        for i, (needles, _) in enumerate(entries):
            for needle in needles or ():
                by_needle.setdefault(needle, []).append(i)
        self._by_needle = {n: tuple(ids) for n, ids in by_needle.items()}
        self._needles = tuple(by_needle)

    @classmethod
    def of(cls, phrases: Sequence[str]) -> PhraseList:
        flags = regex.VERSION1 | regex.IGNORECASE
        entries = []
        for phrase in sorted({p for p in phrases if p.strip()}, key=len, reverse=True):
            entries.append((phrase_needles(phrase), regex.compile(phrase_pattern(phrase), flags)))
        return cls(entries)

    def __bool__(self) -> bool:
        return bool(self._entries)

    def spans(self, text: str, folded: str | None = None) -> list[tuple[int, int]]:
        """Non-overlapping ``(start, end)`` of the phrases in ``text``, left to right.

        ``folded`` is ``fold(text)`` when the caller has it already. A phrase that is only
        part of a hyphenated compound ("idiot-proof") is not a match.
        """
        if not self._entries:
            return []
        folded = fold(text) if folded is None else folded
        chosen = set(self._always)
        for needle in [n for n in self._needles if n in folded]:
            chosen.update(self._by_needle[needle])
        if not chosen:
            return []
        plain = plain_apostrophes(text)  # same length: offsets stay valid
        found: list[tuple[int, int]] = []
        for i in chosen:
            found.extend((m.start(), m.end()) for m in self._entries[i][1].finditer(plain)
                         if m.end() > m.start())
        if not found:
            return found
        found.sort(key=lambda span: (span[0], -span[1]))
        kept: list[tuple[int, int]] = []
        for start, end in found:
            if kept and start < kept[-1][1]:
                continue
            if _IN_COMPOUND_BEFORE.search(text, max(0, start - 2), start) \
                    or _IN_COMPOUND_AFTER.match(text, end):
                continue
            kept.append((start, end))
        return kept


def fold(text: str) -> str:
    """The text as phrase needles are compared with it: case-folded, plain apostrophes."""
    return plain_apostrophes(text).casefold()


def phrase_needles(phrase: str) -> tuple[str, ...] | None:
    """Pieces of text of which every match of ``phrase`` contains one (case-folded).

    For a literal phrase it is its longest word. For a ``re:`` phrase it is the longest
    run of letters that the expression requires outside groups, classes and lookarounds
    ("re:calm(?<!to\\s+calm)\\s+down" gives "calm"), or else the alternatives of a
    required group ("re:(?:sisa|tinggal)\\s+\\d+" gives "sisa" and "tinggal").
    None when nothing is certain: such a phrase is always tried.
    """
    if not phrase.startswith("re:"):
        words = fold(phrase.strip().rstrip("*")).split()
        return (max(words, key=len),) if words else None
    return _regex_needles(phrase[3:])


def _regex_needles(source: str) -> tuple[str, ...] | None:
    best, run, i = "", "", 0
    group: tuple[str, ...] | None = None
    while i < len(source):
        ch = source[i]
        nxt = source[i + 1] if i + 1 < len(source) else ""
        if ch.isalpha() or ch == "'":
            if nxt in ("?", "*") or (nxt == "{" and source[i + 2:i + 3] == "0"):
                best, run = max(best, run, key=len), ""
                i += 2
                continue
            run += ch
            if nxt in ("+", "{"):
                best, run = max(best, run, key=len), ""
            i += 1
            continue
        best, run = max(best, run, key=len), ""
        if ch == "|":
            return None  # a top-level alternative: no letter is certain
        if ch == "\\":
            i += 2
        elif ch == "[":
            i = _skip_class(source, i)
        elif ch == "(":
            end = _skip_group(source, i)
            after = source[end:end + 2]
            optional = after[:1] in ("?", "*") or after == "{0"
            if group is None and not optional and not source.startswith(("(?=", "(?!", "(?<"), i):
                group = _group_needles(source[i + 1:end - 1])
            i = end
        else:
            i += 1
    best = max(best, run, key=len)
    if len(best) >= 4 or (best and (group is None or len(best) >= min(map(len, group)))):
        return (fold(best),) if len(best) >= 2 else group
    return group


def _group_needles(inner: str) -> tuple[str, ...] | None:
    """Needles of a group's body: one per alternative, or None if one has none."""
    if inner.startswith("?:"):
        inner = inner[2:]
    elif inner.startswith("?"):
        return None  # a flag group, a named group or the like: not worth parsing
    alternatives, depth, start, i = [], 0, 0, 0
    while i < len(inner):
        ch = inner[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = _skip_class(inner, i)
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            alternatives.append(inner[start:i])
            start = i + 1
        i += 1
    alternatives.append(inner[start:])
    needles: list[str] = []
    for alternative in alternatives:
        found = _regex_needles(alternative)
        if not found:
            return None
        needles.extend(found)
    return tuple(dict.fromkeys(needles))


def _skip_class(source: str, i: int) -> int:
    """The index after the character class that starts at ``source[i] == "["``."""
    j = i + 1
    if source[j:j + 1] == "^":
        j += 1
    if source[j:j + 1] == "]":
        j += 1
    while j < len(source) and source[j] != "]":
        j += 2 if source[j] == "\\" else 1
    return j + 1


def _skip_group(source: str, i: int) -> int:
    """The index after the group that starts at ``source[i] == "("``."""
    depth, j = 0, i
    while j < len(source):
        ch = source[j]
        if ch == "\\":
            j += 2
            continue
        if ch == "[":
            j = _skip_class(source, j)
            continue
        depth += 1 if ch == "(" else -1 if ch == ")" else 0
        j += 1
        if depth == 0:
            break
    return j


@cache
def phrase_list(code: str, area: str, name: str) -> PhraseList:
    """The phrase list ``[area] name`` of a language pack, ready to search."""
    return PhraseList.of([str(p) for p in language_pack(code).get(area, name, ())])


def protected_spans(doc: Doc) -> list[tuple[int, int]]:
    """Spans of URLs, @mentions, #hashtags and e-mails: phrases never match inside them."""
    return [(t.start, t.end) for t in doc.tokens if t.kind in _PROTECTED]


def overlaps(spans: Sequence[tuple[int, int]], starts: Sequence[int], start: int,
             end: int) -> bool:
    """True when ``[start, end)`` overlaps one of the sorted, disjoint ``spans``."""
    i = bisect_right(starts, end - 1) - 1
    return i >= 0 and spans[i][1] > start


def phrase_hits(doc: Doc, phrases: PhraseList, text: str | None = None,
                folded: str | None = None) -> Iterator[tuple[int, int]]:
    """Spans of the phrases in the draft (or in ``text``, e.g. the comment being answered).

    In the draft, a match inside a URL, @mention, #hashtag or e-mail is skipped.
    """
    source = doc.text if text is None else text
    found = phrases.spans(source, folded)
    if not found or text is not None:
        yield from found
        return
    spans = protected_spans(doc)
    starts = [s for s, _ in spans]
    for start, end in found:
        if not overlaps(spans, starts, start, end):
            yield start, end


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
