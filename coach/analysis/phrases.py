"""Find the phrases of a list (from a language pack or a house pack) in a draft.

A phrase is text matched token by token (see :mod:`coach.analysis.text`): words, numbers,
punctuation, #hashtags… compare by their keys (case-folded, ’ read as '), any run of
white space in the phrase matches any run of white space in the draft, and no space
matches no space ("¡compra ya!", "#ad", "30% off" all work). A trailing ``*`` matches the
rest of a word ("buruan*" finds "buruanlah"). Built-in packs may also give a raw regular
expression as ``re:...``, matched case-insensitively against the draft with ’ read as ';
it must start with a word (or a choice of words), a digit or a punctuation mark, because
that is where it is tried. House packs' phrases are always literal.

Where matches overlap, the one that starts first wins, and of those the longest. A phrase
is never found inside a word (after or before a letter, digit or "_"), inside a URL,
@mention, #hashtag or e-mail address, nor inside a hyphenated compound: "idiot" is not in
"idiot-proof". A list made with ``compounds=True`` looks at each part of a compound
instead: "Sommer-Sale" is a sale.

How: each phrase is filed under the key of its first token, and a Doc knows where each
key occurs (:class:`coach.analysis.text.TokenIndex`). A list costs one set intersection
per draft, and a phrase is checked only where its first word is. There the literal
phrases are read as one tree of their tokens, so a place costs the same whether the list
holds ten phrases that start with its word or twenty thousand (a house pack's).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from operator import methodcaller
from typing import NamedTuple

import regex

from .profile import Phrases
from .text import NUMBER_KEY, Doc, TokenIndex, split_compounds, token_key, tokenize

# Letters and digits on either side mean "inside a word": "sale" must not match "wholesale".
_BEFORE = r"(?<![\p{L}\p{M}\p{N}_])"
_AFTER = r"(?![\p{L}\p{M}\p{N}_])"
_WORD_CHAR = regex.compile(r"[\p{L}\p{M}\p{N}_]")
_LETTERS = regex.compile(r"[\p{L}\p{M}]+")
_ALNUM = regex.compile(r"[\p{L}\p{N}]")
_HYPHENS = ("-", "‐")
_PROTECTED = frozenset({"url", "email", "mention", "hashtag"})
# A search for a raw expression costs about as much as trying it at this many places.
_SEARCH_FROM = 8


class PhraseMatch(NamedTuple):
    start: int
    end: int
    phrase: str  # as written in the list


@dataclass(frozen=True, slots=True)
class _Literal:
    phrase: str
    keys: tuple[str, ...]
    spaced: tuple[bool, ...]  # spaced[k]: white space between token k - 1 and token k
    stem: bool  # the last key only starts the word ("buruan*")


@dataclass(frozen=True, slots=True)
class _Raw:
    phrase: str

    def end_at(self, ix: TokenIndex, i: int, endpos: int) -> int | None:
        """Where the expression ends if it starts at token ``i``, or None."""
        m = _raw_pattern(self.phrase).match(ix.text, ix.tokens[i].start, endpos)
        return None if m is None else m.end()

    def occurs_in(self, text: str) -> bool:
        """Whether the expression matches anywhere in ``text``."""
        return _raw_pattern(self.phrase).search(text) is not None


Step = tuple[bool, str]  # a token as a phrase reads it: white space before it, and its key


@dataclass(slots=True)
class _Node:
    """The literal phrases of a list as a tree of their tokens, read from the root one token
    at a time: however many phrases share a start, a place in a draft costs one look-up per
    token it matches."""

    next: dict[Step, _Node] = field(default_factory=dict)
    phrase: str | None = None  # the phrase that ends here (of equals, the one _best ranks first)
    stems: dict[Step, str] = field(default_factory=dict)  # the next word starts with the stem
    stem_lengths: tuple[int, ...] = ()  # of the stems

    def add(self, literal: _Literal) -> None:
        node = self
        steps = list(zip(literal.spaced, literal.keys, strict=True))
        for step in steps[:-1] if literal.stem else steps:
            node = node.next.setdefault(step, _Node())
        if literal.stem:
            step = steps[-1]
            node.stems[step] = _first(node.stems.get(step), literal.phrase)
            if len(step[1]) not in node.stem_lengths:
                node.stem_lengths = tuple(sorted((*node.stem_lengths, len(step[1]))))
        else:
            node.phrase = _first(node.phrase, literal.phrase)

    def ends(self, ix: TokenIndex, i: int, found: list[tuple[int, str]]) -> None:
        """Add (end, phrase) of each literal phrase that starts at token ``i`` to ``found``."""
        tokens, keys, node = ix.tokens, ix.keys, self
        k, spaced = i, False
        while True:
            if node.stems:
                letters = _LETTERS.match(ix.text, tokens[k].start, tokens[k].end)
                if letters is not None:
                    word = token_key(letters.group())
                    for n in node.stem_lengths:
                        phrase = node.stems.get((spaced, word[:n]))
                        if phrase is not None:
                            found.append((letters.end(), phrase))
            node = node.next.get((spaced, keys[k]))
            if node is None:
                return
            if node.phrase is not None:
                found.append((tokens[k].end, node.phrase))
            k += 1
            if k == len(tokens) or not node.next and not node.stems:
                return
            spaced = tokens[k].start > tokens[k - 1].end


def _first(held: str | None, phrase: str) -> str:
    """Of two phrases that match the same text, the one a match reports: the longer as
    written, then the greater (the order :meth:`PhraseList._best` ranks them in)."""
    return phrase if held is None or (len(phrase), phrase) > (len(held), held) else held


@dataclass(frozen=True, slots=True)
class _Group:
    """What may start at a token with one key: whether a phrase may end there or go on
    with any next token, the keys of the second tokens of longer phrases (in a long draft,
    "you" starts many words that no phrase goes on with), and the raw expressions."""

    anywhere: bool  # a phrase of one token, a stem, or a raw expression: tried wherever
    next_keys: frozenset[str]  # where the next token has one of these keys
    raws: tuple[_Raw, ...]
    raw_only: bool  # nothing but raw expressions is tried wherever the key is

    @classmethod
    def of(cls, node: _Node | None, raws: list[_Raw]) -> _Group:
        ends = node is not None and (node.phrase is not None or bool(node.stems))
        return cls(ends or bool(raws),
                   frozenset(key for _, key in node.next) if node is not None else frozenset(),
                   tuple(raws), bool(raws) and not ends)


# Where a token starts with a stem of the list (its literal phrases are read from the tree).
_STEM = _Group(True, frozenset(), (), False)
# Up to this many stems, the folded text is searched for each; past it (a house pack of
# thousands), each name of the draft is looked up by its own beginnings instead.
_FEW_STEMS = 64


@cache
def _raw_pattern(phrase: str) -> regex.Pattern[str]:
    # Compiled when first needed: most raw expressions are never tried in a session.
    # Simple case folding ((?-f)): full folding ("ß" = "ss") is slow and unneeded here.
    return regex.compile(f"(?-f){_BEFORE}(?:{phrase[3:]}){_AFTER}",
                         regex.VERSION1 | regex.IGNORECASE)


class PhraseList:
    """A list of phrases, ready to be found in any number of drafts (see the module doc)."""

    def __init__(self, phrases: Iterable[str], *, allow_regex: bool = True,
                 compounds: bool = False) -> None:
        self.compounds = compounds
        self._tree = _Node()
        raws: dict[str, list[_Raw]] = {}
        stems: set[str] = set()
        for phrase in dict.fromkeys(p for p in phrases if p.strip()):
            if allow_regex and phrase.startswith("re:"):
                entry = _Raw(phrase)
                for lead in raw_leads(phrase[3:]):
                    raws.setdefault(lead, []).append(entry)
                continue
            literal = _literal(phrase, compounds)
            if literal is not None:
                self._tree.add(literal)
                if literal.stem and len(literal.keys) == 1:
                    stems.add(literal.keys[0])
        firsts = {key for _, key in self._tree.next}
        self._by_key = {key: _Group.of(self._tree.next.get((False, key)), raws.get(key, []))
                        for key in firsts | raws.keys()}
        self._prefixes = tuple(sorted(stems))
        self._stem_set = frozenset(stems)
        self._stem_lengths = tuple(sorted({len(stem) for stem in stems}))

    def __bool__(self) -> bool:
        return bool(self._by_key or self._prefixes)

    def find(self, doc: Doc, start: int = 0, end: int | None = None) -> list[PhraseMatch]:
        """The phrases in ``doc.text[start:end]``, left to right, never overlapping.

        With ``end``, the text is read as if it ended there (like ``regex``'s ``endpos``).
        """
        ix = doc.piece_index if self.compounds else doc.index
        limit = len(ix.text) if end is None else min(end, len(ix.text))
        at: Mapping[int, list[_Group]]
        if start <= 0 and limit == len(ix.text):
            at = self._candidates(ix)
            if not at:
                return []  # most drafts hold no phrase of a given list
            positions: Iterable[int] = sorted(at)
        else:  # a part of the text: look at its tokens only
            positions = ix.between(start, limit)
            at = {i: self._groups_at(ix, i) for i in positions}
        found: list[PhraseMatch] = []
        reach = start
        for i in positions:
            first = ix.tokens[i].start
            if first >= reach and at[i]:
                best = self._best(ix, i, at[i], limit)
                if best is not None:
                    found.append(best)
                    reach = best.end
        return found

    def match_at(self, doc: Doc, start: int, end: int | None = None) -> PhraseMatch | None:
        """The longest phrase that starts exactly at offset ``start``, or None."""
        ix = doc.piece_index if self.compounds else doc.index
        limit = len(ix.text) if end is None else min(end, len(ix.text))
        for i in ix.between(start, start + 1):
            groups = self._groups_at(ix, i)
            return self._best(ix, i, groups, limit) if groups else None
        return None

    def _candidates(self, ix: TokenIndex) -> dict[int, list[_Group]]:
        """Where in the whole text a phrase may start, with the phrases filed under that
        token: one set intersection finds the keys, which most drafts have none of."""
        at: dict[int, list[_Group]] = {}
        keys = ix.keys
        for key in self._by_key.keys() & ix.names:
            group = self._by_key[key]
            anywhere, places = group.anywhere, None
            if group.raw_only:
                # A raw expression that occurs nowhere in the draft need not be tried at
                # each place of its key: where the key is frequent, one search is cheaper.
                places = ix.positions(key)
                if len(places) >= _SEARCH_FROM:
                    anywhere = any(entry.occurs_in(ix.text) for entry in group.raws)
            if not anywhere and group.next_keys.isdisjoint(ix.names):
                continue  # no phrase under this key can go on in this draft
            for i in ix.positions(key) if places is None else places:
                # Where only longer phrases may start, the next token must go on with one.
                if anywhere or (i + 1 < len(keys) and keys[i + 1] in group.next_keys):
                    at.setdefault(i, []).append(group)
        if self._prefixes:
            for name in self._stemmed(ix):
                for i in ix.positions(name):
                    at.setdefault(i, []).append(_STEM)
        return at

    def _stemmed(self, ix: TokenIndex) -> list[str]:
        """The names of the draft that start with a stem of the list, in order."""
        if len(self._prefixes) > _FEW_STEMS:
            stems = self._stem_set
            return sorted(name for name in ix.names
                          if any(name[:n] in stems for n in self._stem_lengths))
        # A name that starts with a stem is in the folded text: most drafts hold none.
        if not any(map(ix.folded.__contains__, self._prefixes)):
            return []
        prefixes = tuple(stem for stem in self._prefixes if stem in ix.folded)
        return sorted(filter(methodcaller("startswith", prefixes), ix.names))

    def _groups_at(self, ix: TokenIndex, i: int) -> list[_Group]:
        """The phrases filed under the names of token ``i``."""
        groups = [self._by_key[name] for name in ix.names_of(i) if name in self._by_key]
        key = ix.keys[i]
        if self._stem_lengths and any(key[:n] in self._stem_set for n in self._stem_lengths):
            groups.append(_STEM)
        return groups

    def _best(self, ix: TokenIndex, i: int, groups: Iterable[_Group],
              limit: int) -> PhraseMatch | None:
        """The longest match at token ``i`` (of equals, the longest phrase), or None."""
        first = ix.tokens[i].start
        best: tuple[int, int, str] | None = None
        found: list[tuple[int, str]] = []
        self._tree.ends(ix, i, found)
        for group in groups:
            for raw in group.raws:
                last = raw.end_at(ix, i, limit)
                if last is not None:
                    found.append((last, raw.phrase))
        for last, phrase in found:
            if not self._fits(ix, i, first, last, limit):
                continue
            rank = (last, len(phrase), phrase)
            if best is None or rank > best:
                best = rank
        return None if best is None else PhraseMatch(first, best[0], best[2])

    def _fits(self, ix: TokenIndex, i: int, start: int, end: int, limit: int) -> bool:
        """Whether a match stands on its own: not inside a word, a compound, a link…"""
        text = ix.text
        if end <= start or end > limit:
            return False
        if (start and _WORD_CHAR.match(text, start - 1)) \
                or (end < limit and _WORD_CHAR.match(text, end)):
            return False
        if not self.compounds and (
                (text[start - 1:start] in _HYPHENS and start > 1
                 and _ALNUM.match(text, start - 2))
                or (text[end:end + 1] in _HYPHENS and _ALNUM.match(text, end + 1))):
            return False
        tokens = ix.tokens
        while i < len(tokens) and tokens[i].start < end:
            if tokens[i].kind in _PROTECTED and tokens[i].end > end:
                return False  # the match would cut a link, a mention, a hashtag…
            i += 1
        return True


def _literal(phrase: str, compounds: bool) -> _Literal | None:
    body = phrase.strip()
    star = body.endswith("*")
    if star:
        body = body[:-1]
    tokens = tokenize(body)
    if compounds:
        tokens = split_compounds(tokens)
    if not tokens:
        return None
    return _Literal(
        phrase=phrase,
        keys=tuple(token_key(t.text, t.kind) for t in tokens),
        spaced=(False, *(b.start > a.end for a, b in zip(tokens, tokens[1:], strict=False))),
        stem=star and tokens[-1].kind == "word" and tokens[-1].end == len(body),
    )


@cache
def lexicon_phrases(phrases: Phrases, *, compounds: bool = False) -> PhraseList:
    """A phrase list of a language profile, compiled (once: profiles are read-only)."""
    return PhraseList(phrases, compounds=compounds)


# ---------------------------------------------------------------------------------------
# Where a raw expression can start


def raw_leads(source: str) -> frozenset[str]:
    """The keys of the tokens at which the expression ``source`` can start to match.

    These are the words it can start with ("(?:what|how)(?:'s|\\s+do)" gives "what" and
    "how", "cu[aá]l(?:es)?" gives "cual", "cuál", "cuales", "cuáles"), a punctuation mark
    ("(?:\\$|€)" gives "$" and "€"), or :data:`NUMBER_KEY` for a digit. A word with an
    apostrophe or a hyphen is found under its first part, so "don['’]t" gives "don".
    Raises ValueError when the start cannot be told ("\\p{L}+…").
    """
    leads: set[str] = set()
    for alternative in _alternatives(source):
        heads, ended = _scan(alternative, {""})
        leads |= heads | ended
    if not leads or "" in leads:
        raise ValueError(f"cannot tell where the expression re:{source} starts; begin it "
                         "with a word, a choice of words, a digit or a punctuation mark")
    return frozenset(token_key(lead) for lead in leads)


def _scan(seq: str, heads: set[str]) -> tuple[set[str], set[str]]:
    """Read ``seq`` on from each of ``heads`` (the letters read so far): the heads that
    read all of it, and the leads that ended inside it."""
    ended: set[str] = set()
    i = 0
    while i < len(seq) and heads:
        j = _item_end(seq, i)
        item = seq[i:j]
        i, optional, repeated = _quantifier(seq, j)
        before = heads
        if item.startswith(("(?=", "(?!", "(?<=", "(?<!")) or item in ("\\b", "^"):
            continue  # takes no text
        if item.startswith("(?:"):
            heads = set()
            for alternative in _alternatives(item[3:-1]):
                read, stopped = _scan(alternative, before)
                heads |= read
                ended |= stopped
        else:
            chars = _chars(item)
            if chars is None:
                raise ValueError(f"cannot tell which words {item!r} matches")
            if chars and all(ch.isalpha() for ch in chars) and not repeated:
                heads = {h + ch for h in before for ch in chars}
            elif any(ch.isalpha() for ch in chars):
                raise ValueError(f"cannot tell which words {item!r}{'+' if repeated else ''} "
                                 "matches")
            else:  # a digit, a space or a mark ends the word (or is the whole lead)
                ended |= before - {""}
                if "" in before:
                    ended |= _lead_marks(chars)
                heads = set()
        if optional:
            heads |= before
    return heads, ended


def _lead_marks(chars: frozenset[str]) -> set[str]:
    """The lead of an expression that starts with one of ``chars`` (not letters)."""
    if chars and all(ch.isdigit() for ch in chars):
        return {NUMBER_KEY}
    if chars and not any(ch.isspace() or ch.isdigit() for ch in chars):
        return set(chars)
    return {""}  # no token starts with white space: an error for the caller


_CLASS_ESCAPES = {"s": " ", "d": "0", "n": "\n", "t": "\t"}


def _chars(item: str) -> frozenset[str] | None:
    """The characters an item (one character, escape or class) can match, with " " for
    any white space and "0" for any digit; None when that is not a short list."""
    if item.startswith("["):
        if item.startswith("[^"):
            return None
        members: set[str] = set()
        k = 1
        while k < len(item) - 1:
            if item[k] == "\\":
                ch = item[k + 1]
                if ch.isalnum() and ch not in _CLASS_ESCAPES:
                    return None
                members.add(_CLASS_ESCAPES.get(ch, ch))
                k += 2
            elif item[k] == "-" and 1 < k < len(item) - 2:
                return None  # a range
            else:
                members.add(item[k])
                k += 1
        return frozenset(members)
    if item.startswith("\\"):
        ch = item[1]
        if ch in _CLASS_ESCAPES:
            return frozenset(_CLASS_ESCAPES[ch])
        return None if ch.isalnum() else frozenset(ch)
    if item in (".", "$") or item.startswith("("):
        return None
    return frozenset(item)


def _item_end(seq: str, i: int) -> int:
    """The index after the item (character, escape, class or group) at ``seq[i]``."""
    ch = seq[i]
    if ch == "\\":
        if seq[i + 1:i + 2] in ("p", "P", "N") and seq[i + 2:i + 3] == "{":
            return seq.index("}", i) + 1
        return i + 2
    if ch == "[":
        j = i + 1
        if seq[j:j + 1] == "^":
            j += 1
        if seq[j:j + 1] == "]":
            j += 1
        while seq[j] != "]":
            j += 2 if seq[j] == "\\" else 1
        return j + 1
    if ch == "(":
        depth, j = 0, i
        while True:
            if seq[j] == "\\":
                j += 2
                continue
            if seq[j] == "[":
                j = _item_end(seq, j)
                continue
            depth += {"(": 1, ")": -1}.get(seq[j], 0)
            j += 1
            if depth == 0:
                return j
    return i + 1


_QUANTIFIER_RE = regex.compile(r"(?:[?*+]|\{(\d*)(?:,(\d*))?\})[?+]?")


def _quantifier(seq: str, j: int) -> tuple[int, bool, bool]:
    """(index after the quantifier at ``seq[j]``, may be absent, may repeat)."""
    m = _QUANTIFIER_RE.match(seq, j)
    if m is None:
        return j, False, False
    q = seq[j]
    if q == "{":
        low, high = m.group(1) or "0", m.group(2)
        return m.end(), low == "0", high != low
    return m.end(), q in "?*", q in "*+"


def _alternatives(seq: str) -> list[str]:
    """``seq`` split at its top-level "|"."""
    parts, start, i = [], 0, 0
    while i < len(seq):
        if seq[i] == "|":
            parts.append(seq[start:i])
            start = i + 1
            i += 1
        else:
            i = _item_end(seq, i)
    parts.append(seq[start:])
    return parts
