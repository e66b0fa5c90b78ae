"""Split a draft into the pieces every check needs, once per analysis.

Tokens keep their code-point offsets into the original text, so a finding can point at
exactly what it is about. URLs, @mentions, #hashtags, emails and emoji sequences are
tokens of their own kinds: checks that look at words (capitals, length, stretched
spelling) only ever see ``kind == "word"`` tokens, so they never flag those.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property

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
URL_PATTERN = (
    r"(?:(?i:https?://|www\.)[^\s<>\"]+[^\s<>\"\.,;:!?\)\]'’”]"
    r"|\b(?:[a-zA-Z0-9-]++\.)++(?i:com|org|net|id|es|de|co|io|ly|me|info|app|shop|store)"
    r"(?:/[^\s<>\"]*[^\s<>\"\.,;:!?\)\]'’”])?(?![\w.@]))"
)
EMAIL_PATTERN = r"[\w.+-]++@[\w-]++(?:\.[\w-]++)+"
# Handles: @name and Mastodon's @name@server.social.
MENTION_PATTERN = r"(?<![\w@])@\w+(?:@[\w-]+(?:\.[\w-]+)+)?"
HASHTAG_PATTERN = r"(?<![\w#&])#[\p{L}\p{M}\p{N}_]*\p{L}[\p{L}\p{M}\p{N}_]*"
# A word: letters with marks, inner apostrophes or hyphens ("don't", "e-mail", "anak-anak").
WORD_PATTERN = r"\p{L}[\p{L}\p{M}]*(?:['’\-][\p{L}\p{M}]+)*"
NUMBER_PATTERN = r"\p{N}+(?:[.,:]\p{N}+)*%?"

_TOKEN_RE = regex.compile(
    rf"(?P<url>{URL_PATTERN})"
    rf"|(?P<email>{EMAIL_PATTERN})"
    rf"|(?P<mention>{MENTION_PATTERN})"
    rf"|(?P<hashtag>{HASHTAG_PATTERN})"
    rf"|(?P<emoji>{EMOJI_PATTERN})"
    rf"|(?P<word>{WORD_PATTERN})"
    rf"|(?P<number>{NUMBER_PATTERN})"
    r"|(?P<punct>[^\s\p{L}\p{N}])",
    # No global IGNORECASE: with full case folding the email branch backtracks
    # catastrophically on stretched words ("yupiiiiii..."); only URLs need it, inline.
    regex.VERSION1,
)

# A sentence ends at ., !, ?, … (or runs of them, with closing quotes/brackets), at a line
# break, or after an emoji that ends a line of thought. Paragraphs end at blank lines.
_SENTENCE_END_RE = regex.compile(r"[.!?…。]+['\"’”)\]]*(?=\s|$)|\n")
_PARAGRAPH_RE = regex.compile(r"\n[ \t]*\n\s*")


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # url, email, mention, hashtag, emoji, word, number, punct
    start: int
    end: int
    text: str

    @property
    def lower(self) -> str:
        return self.text.casefold()


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int

    def contains(self, offset: int) -> bool:
        return self.start <= offset < self.end


def tokenize(text: str) -> list[Token]:
    return [
        Token(m.lastgroup or "punct", m.start(), m.end(), m.group())
        for m in _TOKEN_RE.finditer(text)
    ]


def plain_apostrophes(text: str) -> str:
    """``text`` with typographic apostrophes (’ ʼ) made plain ('); the length is kept."""
    return text.replace("’", "'").replace("ʼ", "'")


def token_key(text: str, kind: str = "word") -> str:
    """How word and phrase lists compare a token: case-folded, with ’ read as '; an
    emoji without skin tone or variation selector ("👏🏽" is "👏")."""
    key = plain_apostrophes(text).casefold()
    return _EMOJI_VARIANT_RE.sub("", key) if kind == "emoji" else key


def split_compounds(tokens: list[Token]) -> list[Token]:
    """``tokens`` with each hyphenated word split into its parts and hyphens."""
    out: list[Token] = []
    for t in tokens:
        if t.kind != "word" or "-" not in t.text:
            out.append(t)
            continue
        pos = t.start
        for part in _HYPHEN_RE.split(t.text):
            kind = "punct" if part == "-" else "word"
            out.append(Token(kind, pos, pos + len(part), part))
            pos += len(part)
    return out


_HYPHEN_RE = regex.compile(r"(-)")
_EMOJI_VARIANT_RE = regex.compile(r"[\p{EMod}\uFE0F]")
_HEAD_RE = regex.compile(r"['-]")
# Phrase lists find raw expressions that start with a digit at every number: numbers are
# also listed under this key, which no token's own key can be.
NUMBER_KEY = "\\d"


class TokenIndex:
    """Tokens with their lookup keys (:func:`token_key`) and where each key occurs.

    A word with an apostrophe or a hyphen is also listed under its first part ("what's"
    under "what", "limited-time" under "limited"), where a raw expression may start.
    """

    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.text = plain_apostrophes(text)  # what raw expressions are matched against
        folded = self.text.casefold()
        if len(folded) == len(text):  # the usual case: no "ß" and the like
            self.keys = [folded[t.start:t.end] if t.kind != "emoji" else token_key(t.text, t.kind)
                         for t in tokens]
        else:
            self.keys = [token_key(t.text, t.kind) for t in tokens]
        where: dict[str, list[int]] = {}
        for i, key in enumerate(self.keys):
            where.setdefault(key, []).append(i)
            if "'" in key or "-" in key:
                head = _HEAD_RE.split(key, 1)[0]
                if head and tokens[i].kind == "word":
                    where.setdefault(head, []).append(i)
            elif tokens[i].kind == "number":
                where.setdefault(NUMBER_KEY, []).append(i)
        self.where = where
        self._sorted: list[str] | None = None

    def starting_with(self, prefix: str) -> list[int]:
        """Indices of the tokens whose key starts with ``prefix``, in no particular order."""
        if self._sorted is None:
            self._sorted = sorted(self.where)
        found: list[int] = []
        i = bisect_left(self._sorted, prefix)
        while i < len(self._sorted) and self._sorted[i].startswith(prefix):
            found.extend(self.where[self._sorted[i]])
            i += 1
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
    for m in _SENTENCE_END_RE.finditer(text, start, end):
        span = _trimmed(text, cursor, m.end())
        if span is not None and any(ch.isalnum() for ch in text[span.start : span.end]):
            spans.append(span)
        elif span is not None and spans and text[span.start] in ".!?…":
            # A stray run of punctuation ("!!!" on its own) belongs to the sentence before.
            spans[-1] = Span(spans[-1].start, span.end)
        cursor = m.end()
    tail = _trimmed(text, cursor, end)
    if tail is not None and any(ch.isalnum() for ch in text[tail.start : tail.end]):
        spans.append(tail)
    return spans


def split_paragraphs(text: str) -> list[Span]:
    spans: list[Span] = []
    cursor = 0
    for m in _PARAGRAPH_RE.finditer(text):
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

    Built once per :func:`coach.analysis.analyze` call; everything is computed lazily so
    a check that needs only the raw text costs nothing extra.
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

    @cached_property
    def tokens(self) -> list[Token]:
        return tokenize(self.text)

    @cached_property
    def index(self) -> TokenIndex:
        """The tokens with their lookup keys, for word and phrase lists."""
        return TokenIndex(self.text, self.tokens)

    @cached_property
    def piece_index(self) -> TokenIndex:
        """Like :attr:`index`, with hyphenated words split ("Sommer-Sale": "sale")."""
        if not any(t.kind == "word" and "-" in t.text for t in self.tokens):
            return self.index
        return TokenIndex(self.text, split_compounds(self.tokens))

    @cached_property
    def words(self) -> list[Token]:
        return [t for t in self.tokens if t.kind == "word"]

    @cached_property
    def emoji(self) -> list[Token]:
        return [t for t in self.tokens if t.kind == "emoji"]

    @cached_property
    def hashtags(self) -> list[Token]:
        return [t for t in self.tokens if t.kind == "hashtag"]

    @cached_property
    def mentions(self) -> list[Token]:
        return [t for t in self.tokens if t.kind == "mention"]

    @cached_property
    def urls(self) -> list[Token]:
        return [t for t in self.tokens if t.kind == "url"]

    @cached_property
    def sentences(self) -> list[Span]:
        return split_sentences(self.text)

    @cached_property
    def paragraphs(self) -> list[Span]:
        return split_paragraphs(self.text)

    @cached_property
    def _word_starts(self) -> list[int]:
        return [w.start for w in self.words]

    def words_in(self, span: Span) -> list[Token]:
        """The words inside ``span`` (found by bisection: long drafts stay linear)."""
        lo = bisect_left(self._word_starts, span.start)
        hi = bisect_left(self._word_starts, span.end, lo)
        return [w for w in self.words[lo:hi] if w.end <= span.end]

    def sentence_at(self, offset: int) -> Span | None:
        i = bisect_right([s.start for s in self.sentences], offset) - 1
        if i >= 0 and self.sentences[i].contains(offset):
            return self.sentences[i]
        return None
