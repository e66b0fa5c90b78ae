"""Platform facts and exact counting: how many characters a platform sees in a post.

Each platform counts its own way (see resources/platforms.toml, where the facts live as
data): X weighs code points and counts every link as 23, Bluesky and Mastodon count what a
reader sees as one character (grapheme clusters), Threads counts an emoji as its UTF-8
bytes. :func:`count` is what the live counter and ``platform.too_long`` use;
:func:`fold_offset` and :func:`overflow_offset` turn a count back into a code-point offset,
so the editor can draw the "see more" line and mark exactly what does not fit.

Every function takes ``overrides``: the platform facts a user's settings or house packs
change (``Context.platform_overrides(name)``), with the keys in :data:`OVERRIDABLE`.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from itertools import chain
from operator import attrgetter
from types import MappingProxyType
from typing import Any, NamedTuple
from urllib.parse import quote

import regex

from coach.data import resource

from .packs import ParamSpec, Validator, close_match, parse_param_spec, parse_toml, shown
from .text import Token, once, tokenize

PLATFORMS: tuple[str, ...] = ("x", "linkedin", "instagram", "facebook", "threads", "bluesky",
                              "mastodon")
COUNTING: tuple[str, ...] = ("weighted", "graphemes", "code_points", "utf16", "utf8_emoji")
OVERRIDABLE: tuple[str, ...] = ("limit", "fold", "hashtags", "mentions", "links", "url_length",
                                "counting")

_SOURCE = "resources/platforms.toml"
_INT_FACTS = ("limit", "fold", "url_length", "hashtags", "mentions", "links")
_BOOL_FACTS = ("links_need_scheme", "shorten_links", "mention_domain_counts",
               "hashtags_enforced")
_TEXT_FACTS = ("label", "note")
_GRAPHEME_RE = regex.compile(r"\X")
# Two characters belong to one grapheme cluster only if one of them is "hard": a combining
# or spacing mark, a joiner, a Prepend mark, a regional indicator or a Hangul jamo (UAX #29,
# rules GB6-GB13), or they are CR LF. So only the stretches around hard characters (with one
# character either side) need \X; every other character counts one.
_HARD = (r"[\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}\p{GCB=Prepend}"
         r"\p{GCB=Regional_Indicator}\p{GCB=L}\p{GCB=V}\p{GCB=T}\p{GCB=LV}\p{GCB=LVT}]")
_COMPLEX_RE = regex.compile(rf"(?s){_HARD}+(?:.{_HARD}+)*.?")
_HARD_RE = regex.compile(_HARD)
# Every hard character is at U+0300 or above: only runs of those need the (slow) look-up
# of grapheme properties.
_HIGH_RE = regex.compile(r"[^\x00-\u02ff]+")
_SCHEME_RE = regex.compile(r"https?://", regex.IGNORECASE)
_DEFAULT_PORTS = {"http": ":80", "https": ":443"}


class _PieceRule(NamedTuple):
    """The facts of a platform that decide what a link, an emoji or a mention with a domain
    counts as a whole there (see :func:`_whole_units`)."""

    counting: str
    url_length: int | None
    links_need_scheme: bool
    shorten_links: bool
    mention_domain_counts: bool


@dataclass(frozen=True, slots=True)
class PlatformSpec:
    """What one platform allows and how it counts, after any overrides.

    ``limit`` and ``fold`` are in the platform's own counting (see :func:`count`); None
    means the platform has no limit or no "see more" fold. ``hashtags``, ``mentions`` and
    ``links`` are how many the platform allows or rewards (None: it has no figure).
    """

    name: str
    label: str
    limit: int | None
    counting: str
    fold: int | None = None
    url_length: int | None = None  # a link counts this many, however long (None: as written)
    links_need_scheme: bool = False  # only links with http(s):// count as url_length
    shorten_links: bool = False  # Bluesky: links are shortened in the text before counting
    mention_domain_counts: bool = True  # False: "@ana@server" counts as "@ana" (Mastodon)
    hashtags: int | None = None
    hashtags_enforced: bool = False  # more than `hashtags` is refused, not merely unwise
    mentions: int | None = None
    links: int | None = None
    note: str = ""
    # What decides how its links, emoji and mentions count; None when they count as the
    # text they are (LinkedIn). Made once per spec: counts are looked up by it.
    pieces: _PieceRule | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        counts = (self.url_length is not None or self.shorten_links
                  or not self.mention_domain_counts or self.counting in ("weighted", "utf8_emoji"))
        rule = _PieceRule(self.counting, self.url_length, self.links_need_scheme,
                          self.shorten_links, self.mention_domain_counts) if counts else None
        object.__setattr__(self, "pieces", rule)  # frozen: set as dataclasses do


@dataclass(frozen=True, slots=True)
class _Facts:
    specs: Mapping[str, PlatformSpec]
    light_re: regex.Pattern[str]  # runs of light code points (X's weighted counting)
    light: int
    heavy: int
    emoji: int
    overrides: Mapping[str, ParamSpec]  # the numbers settings may change, and their range


@cache
def _facts() -> _Facts:
    text = resource("platforms.toml").read_text(encoding="utf-8")
    data = parse_toml(text, _SOURCE)
    v = Validator(_SOURCE, text)
    v.keys(data, {*PLATFORMS, "counting", "overrides"}, "")
    overrides = _override_specs(v, v.table(data.get("overrides"), "overrides"))
    counting = v.table(data.get("counting", {}), "counting")
    v.keys(counting, {"weighted"}, "counting")
    weighted = v.table(counting.get("weighted", {}), "counting.weighted")
    v.keys(weighted, {"light_ranges", "light", "heavy", "emoji"}, "counting.weighted")
    ranges = []
    for pair in weighted.get("light_ranges", []):
        if (not isinstance(pair, list) or len(pair) != 2
                or not all(isinstance(n, int) and 0 <= n <= 0x10FFFF for n in pair)):
            raise v.error("counting.weighted.light_ranges",
                          "must be a list of [first, last] code points")
        ranges.append(f"\\U{pair[0]:08x}-\\U{pair[1]:08x}")
    light_re = regex.compile(f"[{''.join(ranges)}]+" if ranges else r"(?!)")
    specs = {}
    for name in PLATFORMS:
        key = name
        table = v.table(data.get(name), key)
        v.keys(table, {"counting", *_INT_FACTS, *_BOOL_FACTS, *_TEXT_FACTS}, key)
        values: dict[str, Any] = {"name": name}
        for fact in _INT_FACTS:
            if fact in table:
                values[fact] = _whole(v, table[fact], f"{key}.{fact}")
                problem = overrides[fact].problem(table[fact])
                if problem is not None:
                    raise v.error(f"{key}.{fact}", problem)
        for fact in _BOOL_FACTS:
            if fact in table:
                if not isinstance(table[fact], bool):
                    raise v.error(f"{key}.{fact}", "must be true or false")
                values[fact] = table[fact]
        for fact in _TEXT_FACTS:
            if fact in table:
                values[fact] = v.string(table[fact], f"{key}.{fact}")
        values["counting"] = v.choice(table.get("counting"), f"{key}.counting", COUNTING)
        values.setdefault("label", name)
        values.setdefault("limit", None)
        specs[name] = _with_zero_as_none(PlatformSpec(**values))
    return _Facts(specs=MappingProxyType(specs), light_re=light_re,
                  light=_whole(v, weighted.get("light", 1), "counting.weighted.light"),
                  heavy=_whole(v, weighted.get("heavy", 2), "counting.weighted.heavy"),
                  emoji=_whole(v, weighted.get("emoji", 2), "counting.weighted.emoji"),
                  overrides=overrides)


def _override_specs(v: Validator, table: dict[str, Any]) -> Mapping[str, ParamSpec]:
    """[overrides]: the values each number a setting may change can take."""
    numbers = [fact for fact in OVERRIDABLE if fact != "counting"]
    v.keys(table, numbers, "overrides")
    return MappingProxyType({
        fact: parse_param_spec(v, table.get(fact), f"overrides.{fact}", with_default=False)
        for fact in numbers})


def override_spec(fact: str) -> ParamSpec:
    """The values a setting may give the number ``fact`` (limit, fold, …) of a platform."""
    return _facts().overrides[fact]


def override_problem(fact: str, value: Any) -> str | None:
    """Why a setting cannot give a platform's ``fact`` this ``value``, or None if it can."""
    if fact == "counting":
        if isinstance(value, str) and value in COUNTING:
            return None
        return f"must be one of {', '.join(COUNTING)}, not {shown(value)}"
    if fact not in OVERRIDABLE:
        close = close_match(fact, OVERRIDABLE)
        if close is not None:
            return (f"is not a fact a setting can change; did you mean {close!r}? "
                    f"(expected one of {', '.join(OVERRIDABLE)})")
        return f"is not a fact a setting can change (expected one of {', '.join(OVERRIDABLE)})"
    return override_spec(fact).problem(value)


def _whole(v: Validator, value: Any, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise v.error(key, f"must be a whole number, 0 or more, not {value!r}")
    return value


def _with_zero_as_none(spec: PlatformSpec) -> PlatformSpec:
    # A limit or fold of 0 means "none", so that a setting can switch either off.
    return replace(spec, limit=spec.limit or None, fold=spec.fold or None)


def spec(platform: str, overrides: Mapping[str, Any] | None = None) -> PlatformSpec:
    """The facts of ``platform`` with ``overrides`` applied (keys in :data:`OVERRIDABLE`).

    Raises ValueError for an unknown platform, an unknown key or a value of the wrong kind.
    """
    facts = _facts().specs
    if platform not in facts:
        raise ValueError(f"unknown platform {platform!r} (expected one of {', '.join(PLATFORMS)})")
    base = facts[platform]
    if not overrides:
        return base
    for key, value in overrides.items():
        problem = override_problem(key, value)
        if problem is not None:
            raise ValueError(f"{platform}.{key} {problem}")
    return _with_zero_as_none(replace(base, **overrides))


def specs(overrides: Mapping[str, Mapping[str, Any]] | None = None
          ) -> Mapping[str, PlatformSpec]:
    """Every platform's facts; ``overrides`` maps a platform name to its overrides."""
    if not overrides or not any(overrides.values()):
        return _facts().specs
    return MappingProxyType({name: spec(name, overrides.get(name)) for name in PLATFORMS})


def limit(platform: str, overrides: Mapping[str, Any] | None = None) -> int | None:
    """The platform's length limit in its own counting (None: no limit)."""
    return spec(platform, overrides).limit


def fold(platform: str, overrides: Mapping[str, Any] | None = None) -> int | None:
    """Where the platform folds a long post behind "see more", in its own counting."""
    return spec(platform, overrides).fold


def label(platform: str) -> str:
    """The platform's display name ("X", "LinkedIn")."""
    return spec(platform).label


# ---------------------------------------------------------------------------------------
# Counting


def _code_units(piece: str, mode: str) -> int:
    """The count of ``piece`` in ``mode``, with no special handling of links or emoji."""
    if mode == "code_points" or mode == "utf8_emoji":
        return len(piece)
    if mode == "graphemes":
        total = len(piece) - piece.count("\r\n")
        if piece.isascii():
            return total
        end = 0
        for run in _HIGH_RE.finditer(piece):
            pos = max(run.start(), end)
            while pos < run.end():
                hard = _HARD_RE.search(piece, pos, run.end())
                if hard is None:
                    break
                # The stretch from there, wherever it ends (a hard character always starts one).
                m = _COMPLEX_RE.match(piece, hard.start())
                start = max(end, hard.start() - 1)  # the character before the stretch
                pos = end = m.end() if m is not None else hard.end()
                total += len(_GRAPHEME_RE.findall(piece, start, end)) - (end - start)
        return total
    if mode == "utf16":
        if piece.isascii():
            return len(piece)
        return len(piece.encode("utf-16-le", "surrogatepass")) // 2
    if mode != "weighted":
        raise ValueError(f"unknown counting {mode!r} (expected one of {', '.join(COUNTING)})")
    # weighted (X): after NFC, light code points weigh `light`, all others `heavy`.
    facts = _facts()
    if piece.isascii():
        return len(piece) * facts.light
    if not unicodedata.is_normalized("NFC", piece):
        piece = unicodedata.normalize("NFC", piece)
    heavy = len(facts.light_re.sub("", piece))
    return (len(piece) - heavy) * facts.light + heavy * facts.heavy


@lru_cache(maxsize=8192)
def _entity_units(piece: str, mode: str) -> int:
    """:func:`_code_units` for a short, often repeated piece (a link, an emoji, a name)."""
    return _code_units(piece, mode)


def _has_scheme(url: str) -> bool:
    return url[:4].lower() == "http" and _SCHEME_RE.match(url) is not None


@lru_cache(maxsize=4096)
def _short_url(url: str) -> str:
    """A link as the Bluesky app writes it into the post: host, then at most 13 characters
    of path, query and fragment, then "..." (its toShortUrl, using the browser's URL)."""
    scheme = _SCHEME_RE.match(url)
    if scheme is None:
        return url
    rest = url[scheme.end():]
    cut = min((i for i in (rest.find("/"), rest.find("?"), rest.find("#")) if i >= 0),
              default=len(rest))
    host, tail = rest[:cut].rsplit("@", 1)[-1].lower(), rest[cut:]
    port = _DEFAULT_PORTS[scheme.group().lower()[:-3]]
    if host.endswith(port):
        host = host[: -len(port)]
    if not host.isascii():
        with suppress(UnicodeError):
            host = host.encode("idna").decode("ascii")
    if tail.startswith("/") and len(tail) > 1 and tail[1] in "?#":
        tail = tail[1:]
    elif tail == "/":
        tail = ""
    if not tail.isascii():
        # The browser percent-encodes non-ASCII path characters as UTF-8 bytes.
        tail = "".join(ch if ch.isascii() else quote(ch, safe="", errors="surrogatepass")
                       for ch in tail)
    return host + (tail[:13] + "..." if len(tail) > 15 else tail)


# A piece of text that counts as a whole (a link, an emoji, a Mastodon mention):
# (start, end, units).
_Piece = tuple[int, int, int]
_start = attrgetter("start")
_kind_and_text = attrgetter("kind", "text")


def _whole_units(rule: _PieceRule, kind: str, text: str) -> int | None:
    """What a link, an emoji or a mention with a domain counts as a whole on a platform
    with ``rule`` (None: it counts as the text it is)."""
    mode = rule.counting
    if kind == "url":
        counted = rule.url_length is not None
        if counted and not rule.links_need_scheme:
            return rule.url_length
        if (counted or rule.shorten_links) and _has_scheme(text):
            return rule.url_length if counted else _entity_units(_short_url(text), mode)
    elif kind == "emoji":
        if mode == "weighted":
            return _facts().emoji
        if mode == "utf8_emoji":
            return len(text.encode("utf-8", "surrogatepass"))
    elif not rule.mention_domain_counts:
        return _entity_units(text[: text.index("@", 1)], mode)
    return None


@lru_cache(maxsize=8192)
def _piece_delta(rule: _PieceRule, kind: str, text: str) -> int:
    """How much more a link, an emoji or a mention counts as a whole on a platform with
    ``rule`` than as plain text (a post repeats its link or emoji; so do posts)."""
    units = _whole_units(rule, kind, text)
    return 0 if units is None else units - _entity_units(text, rule.counting)


class Measure:
    """One text, measured for any platform: its links, emoji and mentions are found once,
    and only if a platform needs them (LinkedIn, Instagram and Facebook do not).

    ``tokens`` are the text's tokens if the caller already has them (``Doc.tokens``);
    otherwise they are made here when first needed. The live counter can keep one Measure
    per text for :meth:`count` and :meth:`offset_past` (the fold line) together.
    """

    def __init__(self, text: str, tokens: Sequence[Token] | None = None) -> None:
        self.text = text
        self._tokens = tokens
        # The whole text in each counting made so far.
        self._whole: dict[str, int] = {}
        self._deltas: dict[_PieceRule, int] = {}

    @classmethod
    def of(cls, text: str, urls: Sequence[Token], emoji: Sequence[Token],
           mentions: Sequence[Token]) -> Measure:
        """A measure from tokens already sorted by kind (``Doc.urls``, ``Doc.emoji``,
        ``Doc.mentions``), so an analysis does not walk its tokens again."""
        measure = cls(text)
        # (No mentions is the usual case: nothing to look through.)
        measure._entities = (urls, emoji,
                             [t for t in mentions if "@" in t.text[1:]] if mentions else mentions)
        return measure

    @once
    def _entities(self) -> tuple[Sequence[Token], Sequence[Token], Sequence[Token]]:
        """The links, the emoji and the mentions with a domain, each in order."""
        toks: Iterable[Token] = tokenize(self.text) if self._tokens is None else self._tokens
        return ([t for t in toks if t.kind == "url"], [t for t in toks if t.kind == "emoji"],
                [t for t in toks if t.kind == "mention" and "@" in t.text[1:]])

    @once
    def _in_order(self) -> list[Token]:
        """The links, emoji and mentions with a domain, in the order of the text (each list
        is in order: sorting merges them)."""
        return sorted(chain.from_iterable(self._entities), key=_start)

    @once
    def _distinct(self) -> Counter[tuple[str, str]]:
        """The kind and text of each piece, with how often it comes (a post repeats its link
        or emoji): the counts only need each once."""
        return Counter(map(_kind_and_text, chain.from_iterable(self._entities)))

    def _units(self, mode: str) -> int:
        """The count of the whole text in ``mode``, with no special handling of pieces."""
        found = self._whole.get(mode)
        if found is None:
            found = self._whole[mode] = _code_units(self.text, mode)
        return found

    def _delta(self, sp: PlatformSpec) -> int:
        """How much more the pieces that count as a whole on ``sp``'s platform count than
        as plain text."""
        rule = sp.pieces
        if rule is None or not self._distinct:
            return 0
        found = self._deltas.get(rule)
        if found is None:
            found = self._deltas[rule] = sum(n * _piece_delta(rule, kind, text)
                                             for (kind, text), n in self._distinct.items())
        return found

    def _pieces(self, sp: PlatformSpec) -> Iterator[_Piece]:
        """The pieces that count as a whole on ``sp``'s platform, in order, each worked out
        when it is reached (an offset near the start of a long text needs only the first)."""
        rule = sp.pieces
        if rule is None:
            return
        for t in self._in_order:
            units = _whole_units(rule, t.kind, t.text)
            if units is not None:
                yield t.start, t.end, units

    def count(self, sp: PlatformSpec) -> int:
        """The length of the text as ``sp``'s platform counts it."""
        return self._units(sp.counting) + self._delta(sp)

    def lengths(self, specs: Mapping[str, PlatformSpec]) -> dict[str, int]:
        """The length of the text on each platform of ``specs``, by name (each counting
        is made once)."""
        return {name: self.count(sp) for name, sp in specs.items()}

    def offset_past(self, sp: PlatformSpec, units: int) -> int | None:
        """The code-point offset where the count first goes past ``units`` (None: it never
        does). It is always the start of a grapheme cluster, a link or an emoji, so a mark
        from there to the end never splits what a reader sees as one character."""
        text, mode = self.text, sp.counting
        if self.count(sp) <= units:
            return None
        used = 0
        pos = 0
        before = 0  # where the last piece started
        for start, end, weight in chain(self._pieces(sp), [(len(text), len(text), 0)]):
            if pos < start:
                gap = _code_units(text[pos:start], mode)
                if used + gap > units:
                    offset = _first_past(text, pos, start, mode, units - used)
                    if offset == pos > 0 and (_HARD_RE.match(text, pos)
                                              or _HARD_RE.match(text, pos - 1)):
                        return before  # a mark joined to the emoji or link before it
                    return offset
                used += gap
            if used + weight > units and end > start:
                return start
            used += weight
            pos = max(pos, end)
            before = start
        # Only when a cluster straddles a link or mention (a Prepend mark before it) do the
        # parts come to one less than the whole: the last character is the one too many.
        return max((m.start() for m in _GRAPHEME_RE.finditer(text)), default=0)


def _first_past(text: str, a: int, b: int, mode: str, budget: int) -> int:
    """The start of the grapheme cluster in ``text[a:b]`` where the count of ``text[a:]``
    first goes past ``budget`` (the caller knows that it does)."""
    def units(k: int) -> int:
        return _code_units(text[a : a + k], mode)

    # ASCII (without CR) counts the same for each character: the answer is known at once.
    weight = _code_units("a", mode)
    if weight > 0 and (k := budget // weight + 1) <= b - a:  # the shortest prefix too long
        head = text[a : a + k]
        if head.isascii() and "\r" not in head:
            return a + k - 1
    # The shortest prefix that is too long, found by doubling, then halving: each step is
    # one count at C speed, so a fold at 125 in a 1 MB paste costs a few dozen steps.
    lo, hi = 0, min(b - a, budget + 1)
    while hi < b - a and units(hi) <= budget:
        lo, hi = hi, min(b - a, hi * 2)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if units(mid) > budget:
            hi = mid
        else:
            lo = mid
    i = a + hi - 1  # the character that does not fit
    if i == a or not (_HARD_RE.match(text, i - 1) or _HARD_RE.match(text, i)
                      or text[i - 1 : i + 1] == "\r\n"):
        return i  # a cluster starts here: neither neighbour joins the two
    used = 0
    for m in _GRAPHEME_RE.finditer(text, a, b):
        used += _code_units(m.group(), mode)
        if used > budget:
            return m.start()
    return b  # only if counting the whole and the parts disagree


def count(text: str, platform: str, overrides: Mapping[str, Any] | None = None) -> int:
    """The length of ``text`` as ``platform`` counts it (what its composer's counter says)."""
    return Measure(text).count(spec(platform, overrides))


def lengths(text: str, overrides: Mapping[str, Mapping[str, Any]] | None = None, *,
            tokens: Sequence[Token] | None = None) -> dict[str, int]:
    """The length of ``text`` on every platform at once, e.g. ``{"x": 212, ...}``.

    ``overrides`` maps a platform name to its overrides; ``tokens`` may be passed when the
    caller already tokenized the text.
    """
    return Measure(text, tokens).lengths(specs(overrides))


def overflow_offset(text: str, platform: str, overrides: Mapping[str, Any] | None = None
                    ) -> int | None:
    """The code-point offset where ``text`` goes past the platform's limit (None: it fits)."""
    sp = spec(platform, overrides)
    if sp.limit is None:
        return None
    return Measure(text).offset_past(sp, sp.limit)


def fold_offset(text: str, platform: str, overrides: Mapping[str, Any] | None = None
                ) -> int | None:
    """The code-point offset in ``text`` where the platform's "see more" fold falls: the
    first character readers do not see until they tap. None when the platform has no fold
    or the whole post shows."""
    sp = spec(platform, overrides)
    if sp.fold is None:
        return None
    return Measure(text).offset_past(sp, sp.fold)


__all__ = ["COUNTING", "OVERRIDABLE", "PLATFORMS", "Measure", "PlatformSpec", "count", "fold",
           "fold_offset", "label", "lengths", "limit", "overflow_offset", "spec",
           "specs"]
