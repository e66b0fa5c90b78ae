"""Split a draft into the pieces every check needs, once per analysis.

Tokens keep their code-point offsets into the original text, so a finding can point at
exactly what it is about. URLs, @mentions, #hashtags, emails and emoji sequences are
tokens of their own kinds: checks that look at words (capitals, length, stretched
spelling) only ever see ``kind == "word"`` tokens, so they never flag those.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Iterator
from functools import cache, partial
from itertools import compress, repeat
from operator import attrgetter, contains, eq
from typing import Any, Generic, NamedTuple, TypeVar

import regex

# An emoji as people see it: a flag (two regional indicators), a keycap, or a pictograph
# with optional skin tone / variation selector, joined into ZWJ sequences, or a tag
# sequence (subdivision flags such as England's).
EMOJI_PATTERN = (
    r"(?:\p{RI}\p{RI}"
    r"|[#*0-9]\uFE0F?\u20E3"
    r"|\p{Extended_Pictographic}(?:\p{EMod}|\uFE0F|[\U000E0020-\U000E007E]+\U000E007F)?"
    r"(?:\u200D\p{Extended_Pictographic}(?:\p{EMod}|\uFE0F)?)*)"
)
_DOMAINS = r"(?i:com|org|net|id|es|de|co|io|ly|me|info|app|shop|store)"
URL_PATTERN = (
    r"(?:(?i:https?://|www\.)[^\s<>\"]+[^\s<>\"\.,;:!?\)\]'’”]"
    rf"|\b(?:[a-zA-Z0-9-]++\.(?=[a-zA-Z0-9-]))++{_DOMAINS}"
    r"(?:/[^\s<>\"]*[^\s<>\"\.,;:!?\)\]'’”])?(?!\w|\.\w|@))"
)
EMAIL_PATTERN = r"[\w.+-]++@[\w-]++(?:\.[\w-]++)+"
# Handles: @name and Mastodon's @name@server.social.
MENTION_PATTERN = r"(?<![\w@])@\w+(?:@[\w-]+(?:\.[\w-]+)+)?"
HASHTAG_PATTERN = r"(?<![\w#&])#[\p{L}\p{M}\p{N}_]*\p{L}[\p{L}\p{M}\p{N}_]*"
# A word: letters with marks, inner apostrophes or hyphens ("don't", "e-mail", "anak-anak").
WORD_PATTERN = r"\p{L}[\p{L}\p{M}]*(?:['’\-][\p{L}\p{M}]+)*"
NUMBER_PATTERN = r"\p{N}+(?:[.,:]\p{N}+)*%?"

_KINDS = (
    ("url", URL_PATTERN),
    ("email", EMAIL_PATTERN),
    ("mention", MENTION_PATTERN),
    ("hashtag", HASHTAG_PATTERN),
    ("emoji", EMOJI_PATTERN),
    ("word", WORD_PATTERN),
    ("number", NUMBER_PATTERN),
    ("punct", r"[^\s\p{L}\p{N}]"),
)
# The same kinds in a text of ASCII characters only (no marks, no emoji), written for the
# standard library's engine with ASCII classes: it finds them two to three times faster.
_WORD_ASCII = r"[A-Za-z]+(?:['\-][A-Za-z]+)*"
_ASCII_KINDS = (
    ("url", URL_PATTERN),
    ("email", EMAIL_PATTERN),
    ("mention", MENTION_PATTERN),
    ("hashtag", r"(?<![\w#&])#\w*[A-Za-z]\w*"),
    ("word", _WORD_ASCII),
    ("number", r"[0-9]+(?:[.,:][0-9]+)*%?"),
    ("punct", r"[^\sA-Za-z0-9]"),
)
_KIND = attrgetter("kind")
_TEXT = attrgetter("text")
_START = attrgetter("start")
_END = attrgetter("end")
# What ``\s`` matches: with re.ASCII, and in the regex module (Unicode White_Space).
_ASCII_SPACE = " \t\n\r\f\v"
_SPACE = _ASCII_SPACE + "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006" \
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
# A non-ASCII character, and what follows it up to white space (see _non_ascii_words()).
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
_WORD_REST_RE = re.compile(f"[^{re.escape(_SPACE)}]*")
# What a text must contain for a link or an e-mail address to be found in it.
# (Each starts with a literal character, which regex finds fast.)
_URL_HINT = rf"\.(?:(?<=[a-zA-Z0-9-]\.){_DOMAINS}|(?<=(?i:www)\.))"
_EMAIL_HINT = r"@(?<=[\w.+-]@)[\w-]+\.[\w-]"
# (For an ASCII text, the standard library's engine finds them about twice as fast.)
_HINTS = {True: (re.compile(_URL_HINT, re.ASCII), re.compile(_EMAIL_HINT, re.ASCII)),
          False: (regex.compile(_URL_HINT), regex.compile(_EMAIL_HINT, regex.VERSION1))}


# Letters that nothing after them goes on with ("don't", "e-mail") or joins to a link or
# an address (".", "@", ":", "+", a digit) are a word: most words are, and tried first this
# spares them the other kinds and the word pattern's repeat (which is slow in a regex engine).
_PLAIN_WORD = r"{}(?![\w'’\-{}])"


@cache
def _splitter(skipped: frozenset[str], ascii: bool) -> tuple[Any, tuple[str, ...], str]:
    """The pattern that splits a text (one numbered group per kind, in order of
    precedence) and the kind of each group."""
    kinds = [(kind, pattern) for kind, pattern in (_ASCII_KINDS if ascii else _KINDS)
             if kind not in skipped]
    letters = r"[A-Za-z]++" if ascii else r"\p{L}[\p{L}\p{M}]*+"
    joins = "" if {"url", "email"} <= skipped else ".@:+"
    kinds.insert(0, ("word", _PLAIN_WORD.format(letters, joins)))
    # Each match takes the white space before its token: the engine then never tries
    # every kind at every space (a third of the work). No kind starts with white space,
    # and every character that is not white space starts a token (punct takes the rest),
    # so the tokens are the same; the token is the matched group.
    source = r"\s*+(?:" + "|".join(f"({pattern})" for _, pattern in kinds) + ")"
    # No IGNORECASE: with full case folding the email branch backtracks catastrophically
    # on stretched words ("yupiiiiii..."); only URLs need it, inline.
    compiled = re.compile(source, re.ASCII) if ascii else regex.compile(source, regex.VERSION1)
    return compiled, ("", *(kind for kind, _ in kinds)), _ASCII_SPACE if ascii else _SPACE


# A sentence ends at ., !, ?, … (or runs of them, with closing quotes/brackets), at a line
# break, or after an emoji that ends a line of thought. Paragraphs end at blank lines.
# (Written to start with one set of characters, which the standard library's engine can
# skip to: a run of marks is "[.!?…。]+['\"’”)\]]*" before white space or the end.)
_SENTENCE_END_RE = re.compile(
    rf"[.!?…。\n](?:(?<=\n)|[.!?…。]*['\"’”)\]]*(?=[{re.escape(_SPACE)}]|$))")
# A character for which str.isalnum() is true: the standard library's \w without "_".
_ALNUM_RE = re.compile(r"[^\W_]")
_PARAGRAPH_RE = regex.compile(r"\n[ \t]*\n\s*")


# A named tuple: a long draft has thousands of tokens, and a tuple can be built without
# running any Python code (see _split()).
class Token(NamedTuple):
    kind: str  # url, email, mention, hashtag, emoji, word, number, punct
    start: int
    end: int
    text: str


# A Token from the tuple of its fields. (Token(...) would run the named tuple's __new__,
# a Python function, for every token: about a quarter of the time of splitting a text.)
_token = partial(tuple.__new__, Token)


class Span(NamedTuple):
    start: int
    end: int

    def contains(self, offset: int) -> bool:
        return self.start <= offset < self.end


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``, in order; together they cover every character but spaces."""
    # Most posts cannot hold a link, an e-mail, a mention or a hashtag: split without
    # trying those kinds at every word (the same tokens, found about twice as fast), and
    # with the ASCII patterns where the text is ASCII (tests/test_text.py checks both).
    ascii = text.isascii()
    url_hint, email_hint = _HINTS[ascii]
    skipped = set()
    if "://" not in text and not url_hint.search(text):
        skipped.add("url")
    if "@" not in text:
        skipped.update(("email", "mention"))
    elif not email_hint.search(text):
        skipped.add("email")
    if "#" not in text:
        skipped.add("hashtag")
    fast = _splitter(frozenset(skipped), True)
    if ascii:
        return _split(text, fast, 0, len(text))
    # No token spans white space, and every pattern reads white space as it reads the edge
    # of the text: the words holding a non-ASCII character can be split on their own with
    # the full patterns, the ASCII stretches between them with the fast ones.
    full = _splitter(frozenset(skipped), False)
    tokens: list[Token] = []
    pos = 0
    for start, end in _non_ascii_words(text):
        if pos < start:
            tokens += _split(text, fast, pos, start)
        tokens += _split(text, full, start, end)
        pos = end
    tokens += _split(text, fast, pos, len(text))
    return tokens


def _non_ascii_words(text: str) -> Iterator[tuple[int, int]]:
    """Where the words (what lies between two spaces) that hold a non-ASCII character
    start and end, in order; a non-ASCII space may start or end one."""
    pos = 0
    search, rest = _NON_ASCII_RE.search, _WORD_REST_RE.match
    while (found := search(text, pos)) is not None:
        at = found.start()
        # text[pos:at] is ASCII: the word starts after its last ASCII space.
        start = max(pos, 1 + max(map(text.rfind, _ASCII_SPACE, repeat(pos), repeat(at))))
        pos = rest(text, at + 1).end()  # type: ignore[union-attr]
        yield start, pos


def _split(text: str, splitter: tuple[Any, tuple[str, ...], str], start: int,
           end: int) -> list[Token]:
    pattern, kinds, space = splitter
    # White space at the end would be matched again from each of its characters (the
    # match fails only at the end): leave it out, and a long run of spaces stays linear.
    end = start + len(text[start:end].rstrip(space))
    # Each match has one group set: the kind of token it found.
    return [_token((kinds[k := m.lastindex], m.start(k), m.end(), m[k]))
            for m in pattern.finditer(text, start, end)]


# A character a reader can see: not white space, not a control or format character (zero
# width spaces and joiners, bidi marks, a byte order mark), and not one of the blank
# letters pasted to fake an empty line (Hangul fillers, the blank braille pattern).
_VISIBLE = regex.compile(r"[^\s\p{Z}\p{Cc}\p{Cf}\u115f\u1160\u3164\uffa0\u2800]")


def has_content(text: str) -> bool:
    """Whether ``text`` holds anything a reader can see (a draft without is empty)."""
    return _VISIBLE.search(text) is not None


def plain_apostrophes(text: str) -> str:
    """``text`` with typographic apostrophes (’ ʼ) made plain ('); the length is kept."""
    return text.replace("’", "'").replace("ʼ", "'")


def word_key(text: str) -> str:
    """The one normalisation of words, for every word and phrase list and every lookup in
    one: NFC, case-folded, with typographic apostrophes (’ ʼ) read as '."""
    key = text.casefold()
    if not key.isascii():
        key = unicodedata.normalize("NFC", key)  # (folding may decompose: "ǰ")
    return plain_apostrophes(key)  # after folding: "ŉ" folds to "ʼn"


def token_key(text: str, kind: str = "word") -> str:
    """How word and phrase lists compare a token: its :func:`word_key`; an emoji without
    skin tone or variation selector ("👏🏽" is "👏")."""
    key = text.casefold()  # word_key, written out: a hot path
    if not key.isascii():
        key = unicodedata.normalize("NFC", key)
    key = plain_apostrophes(key)
    return _EMOJI_VARIANT_RE.sub("", key) if kind == "emoji" else key


def split_compounds(tokens: list[Token]) -> list[Token]:
    """``tokens`` with each hyphenated word split into its parts and hyphens."""
    out: list[Token] = []
    done = 0  # tokens[:done] are in out
    for i in compress(range(len(tokens)), map(contains, map(_TEXT, tokens), repeat("-"))):
        t = tokens[i]
        if t.kind != "word":
            continue
        out += tokens[done:i]
        pos = t.start
        for part in _HYPHEN_RE.split(t.text):
            kind = "punct" if part == "-" else "word"
            out.append(Token(kind, pos, pos + len(part), part))
            pos += len(part)
        done = i + 1
    out += tokens[done:]
    return out


def _where(items: list[str], item: str) -> list[int]:
    """Where ``item`` is in ``items``, in order: C scans, for an item that is rare."""
    found: list[int] = []
    i = -1
    for _ in range(items.count(item)):
        i = items.index(item, i + 1)
        found.append(i)
    return found


def _places(items: list[str]) -> dict[str, list[int]]:
    """Where each item is in ``items``, in order: one pass for all of them."""
    places: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        places.setdefault(item, []).append(i)
    return places


T = TypeVar("T")
_MISSING = object()
_HYPHEN_RE = regex.compile(r"(-)")
_EMOJI_VARIANT_RE = regex.compile(r"[\p{EMod}\uFE0F]")
_HEAD_RE = regex.compile(r"['-]")
# Phrase lists find raw expressions that start with a digit at every number: numbers are
# also listed under this key, which no token's own key can be.
NUMBER_KEY = "\\d"
# A token index scans its keys in C for each name a phrase list asks about (an analysis
# asks about one or two as a rule, 30 at most in the corpora); past this many names, one
# pass that lists every key's places costs less, and keeps a huge house pack linear.
_SCANS_BEFORE_INDEX = 32


class once(Generic[T]):
    """Like :func:`functools.cached_property`, without its lock: Python 3.11 takes one lock,
    shared by all instances, on every first access (costly per call, and it makes analyses
    in different threads wait for each other). A Doc belongs to one analysis."""

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __get__(self, instance: Any, owner: type | None = None) -> T:
        if instance is None:
            return self  # type: ignore[return-value]
        value = instance.__dict__[self.name] = self.func(instance)
        return value


class TokenIndex:
    """Tokens with their lookup keys (:func:`token_key`), and the names they are found by.

    A token is found by its key; a word with an apostrophe or a hyphen also by its first
    part ("what's" by "what", "limited-time" by "limited"), and a number by
    :data:`NUMBER_KEY`: that is where raw expressions in phrase lists may start.
    """

    def __init__(self, text: str, tokens: list[Token], kinds: list[str] | None = None) -> None:
        self.tokens = tokens
        self.text = plain_apostrophes(text)  # what raw expressions are matched against
        keys = list(map(str.casefold, map(_TEXT, tokens)))
        if not text.isascii() and not unicodedata.is_normalized("NFC", "".join(keys)):
            keys = [unicodedata.normalize("NFC", key) for key in keys]  # as word_key has them
        if self.text != text or "\u0149" in text:  # "ŉ" folds to "ʼn"
            keys = list(map(plain_apostrophes, keys))
        self.keys = keys
        self._also: dict[str, list[int]] = {}  # first parts of words, and numbers
        # A word with an apostrophe or a hyphen is also found by its first part.
        if "'" in self.text or "-" in text:
            for i, key in enumerate(keys):
                if ("'" in key or "-" in key) and tokens[i].kind == "word":
                    self._also.setdefault(_HEAD_RE.split(key, 1)[0], []).append(i)
        kinds = list(map(_KIND, tokens)) if kinds is None else kinds
        if numbers := _where(kinds, "number"):
            self._also[NUMBER_KEY] = numbers
        if not text.isascii():
            for i in _where(kinds, "emoji"):
                keys[i] = token_key(tokens[i].text, "emoji")  # without skin tone
        self.names = set(keys).union(self._also)
        self._positions: dict[str, list[int]] = {}
        self._every: dict[str, list[int]] | None = None  # every key's places, when many asked
        self._starts: list[int] | None = None

    def names_of(self, i: int) -> list[str]:
        """The names token ``i`` is found by."""
        key = self.keys[i]
        names = [key]
        if "'" in key or "-" in key:
            if self.tokens[i].kind == "word":
                names.append(_HEAD_RE.split(key, 1)[0])
        elif self.tokens[i].kind == "number":
            names.append(NUMBER_KEY)
        return names

    @once
    def folded(self) -> str:
        """The text as keys are: case-folded, with plain apostrophes. Every name but
        :data:`NUMBER_KEY` is in it (folding goes character by character)."""
        return plain_apostrophes(self.text.casefold())

    @property
    def starts(self) -> list[int]:
        """Where each token starts (for bisection)."""
        if self._starts is None:
            self._starts = list(map(_START, self.tokens))
        return self._starts

    def between(self, start: int, end: int) -> range:
        """Indices of the tokens that start in ``[start, end)``."""
        starts = self.starts
        lo = bisect_left(starts, start)
        return range(lo, bisect_left(starts, end, lo))

    def positions(self, name: str) -> list[int]:
        """Indices of the tokens found by ``name``, in no particular order (the list is
        kept for the next phrase list that asks: do not change it)."""
        found = self._positions.get(name)
        if found is None:
            if self._every is None and len(self._positions) >= _SCANS_BEFORE_INDEX:
                self._every = _places(self.keys)
            places = _where(self.keys, name) if self._every is None else self._every.get(name, ())
            found = self._positions[name] = [*self._also.get(name, ()), *places]
        return found


def _trimmed(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if end > start else None


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentences of ``text[start:end]`` as trimmed spans into ``text``."""
    end = len(text) if end is None else end
    spans: list[Span] = []
    cursor = start
    alnum = _ALNUM_RE.search
    for m in _SENTENCE_END_RE.finditer(text, start, end):
        span = _trimmed(text, cursor, m.end())
        if span is not None and alnum(text, span.start, span.end):
            spans.append(span)
        elif span is not None and spans and text[span.start] in ".!?…":
            # A stray run of punctuation ("!!!" on its own) belongs to the sentence before.
            spans[-1] = Span(spans[-1].start, span.end)
        cursor = m.end()
    tail = _trimmed(text, cursor, end)
    if tail is not None and alnum(text, tail.start, tail.end):
        spans.append(tail)
    return spans


def split_paragraphs(text: str) -> list[Span]:
    spans: list[Span] = []
    cursor = 0
    for m in _PARAGRAPH_RE.finditer(text) if "\n" in text else ():
        span = _trimmed(text, cursor, m.start())
        if span is not None:
            spans.append(span)
        cursor = m.end()
    span = _trimmed(text, cursor, len(text))
    if span is not None:
        spans.append(span)
    return spans


class Doc:
    """A draft split into tokens, sentences and paragraphs, shared by all checks.

    Built once per :func:`coach.analysis.analyze` call. Every analysis reads the tokens
    and the tokens of each kind: those are split and sorted at once, and are plain
    attributes. The rest (keys, sentences, paragraphs...) is computed when first asked for.
    """

    def __init__(
        self,
        text: str,
        *,
        language: str,
        platform: str | None = None,
        kind: str = "post",
        comment: str = "",
    ) -> None:
        self.text = text
        self.language = language
        self.platform = platform
        self.kind = kind
        self.comment = comment
        self._memo: dict[tuple[Any, ...], Any] = {}
        self.tokens = tokens = tokenize(text)
        self.kinds = list(map(_KIND, tokens))  # the kind of each token, in order
        self._is_word = list(map(eq, self.kinds, repeat("word")))
        self.words = list(compress(tokens, self._is_word))
        # The other kinds need a character the text may not hold: most drafts have none.
        self.emoji = [] if text.isascii() else self._of_kind("emoji")
        self.hashtags = self._of_kind("hashtag") if "#" in text else []
        self.mentions = self._of_kind("mention") if "@" in text else []
        self.urls = self._of_kind("url") if "." in text or "://" in text else []

    def memo(self, make: Callable[..., T], *args: Hashable) -> T:
        """``make(self, *args)``, computed once per Doc: for analysers built on top of it.

        What ``make`` returns must not refer back to the Doc: the cycle would leave every
        analysed draft to the garbage collector (tests/test_text.py checks).
        """
        key = (make, *args)
        found = self._memo.get(key, _MISSING)
        if found is _MISSING:
            found = self._memo[key] = make(self, *args)
        return found

    @once
    def index(self) -> TokenIndex:
        """The tokens with their lookup keys, for word and phrase lists."""
        return TokenIndex(self.text, self.tokens, self.kinds)

    @once
    def piece_index(self) -> TokenIndex:
        """Like :attr:`index`, with hyphenated words split ("Sommer-Sale": "sale")."""
        if "-" not in self.text:
            return self.index
        pieces = split_compounds(self.tokens)
        return self.index if len(pieces) == len(self.tokens) else TokenIndex(self.text, pieces)

    def _of_kind(self, kind: str) -> list[Token]:
        return list(map(self.tokens.__getitem__, _where(self.kinds, kind)))

    @once
    def word_keys(self) -> list[str]:
        """The lookup keys (:func:`token_key`) of :attr:`words`, in the same order."""
        return list(compress(self.index.keys, self._is_word))

    @once
    def sentences(self) -> list[Span]:
        return split_sentences(self.text)

    @once
    def paragraphs(self) -> list[Span]:
        return split_paragraphs(self.text)

    @once
    def word_starts(self) -> list[int]:
        """Where each word starts (for bisection)."""
        return list(map(_START, self.words))

    @once
    def word_ends(self) -> list[int]:
        """Where each word ends (words do not overlap: these are in order too)."""
        return list(map(_END, self.words))

    def words_in(self, span: Span) -> list[Token]:
        """The words inside ``span`` (found by bisection: long drafts stay linear)."""
        lo = bisect_left(self.word_starts, span.start)
        return self.words[lo:bisect_right(self.word_ends, span.end, lo)]
