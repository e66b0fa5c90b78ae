"""Search requests: what a person types in a search box, turned into safe SQL.

A query is words (each matches as a prefix: ``conv`` finds "conversation"), "quoted
phrases" (matched as written), and ``-word`` to leave drafts out. Accents and case never
matter: the index folds them (é = e, ü = u). Nothing typed can reach FTS5 unescaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .errors import InvalidDraftError
from .model import (
    clean_field,
    clean_text,
    day_end,
    day_start,
    parse_date,
    to_db_time,
)

# What the unicode61 tokenizer keeps as token characters: letters and digits.
_PIECES = re.compile(r"[^\W_]+")
_TERMS = re.compile(r'(-?)"([^"]*)"?|(\S+)')
MAX_QUERY_TERMS = 32
MIN_PREFIX = 2  # a one-letter prefix would match most of the index: match it whole

SORTS: dict[str, str] = {
    "updated": "d.updated", "created": "d.created", "planned": "d.planned",
    "title": "d.title COLLATE NOCASE", "client": "d.client COLLATE NOCASE",
    "platform": "d.platform", "status": "d.status", "language": "d.language",
    "score": "d.score", "id": "d.id", "relevance": "relevance",
}


@dataclass(frozen=True, slots=True)
class TextQuery:
    """A parsed search box: an FTS5 expression for what must match and for what must not."""

    match: str | None
    exclude: str | None
    literal: tuple[str, ...] = ()  # terms without letters or digits (emoji): plain substring


def _phrase(text: str, prefix: bool) -> str | None:
    pieces = _PIECES.findall(text)
    if not pieces:
        return None
    quoted = '"' + " ".join(pieces) + '"'
    return quoted + "*" if prefix and len(pieces[-1]) >= MIN_PREFIX else quoted


def parse_query(query: str) -> TextQuery:
    """Turn a search box into FTS5 expressions (every term quoted, so nothing is syntax).

    A lone surrogate (half an emoji from a broken paste, or a byte that was not UTF-8 on
    a command line) is searched as U+FFFD, which is what saving such a text stores.
    """
    include: list[str] = []
    exclude: list[str] = []
    literal: list[str] = []
    for match in _TERMS.finditer(clean_text(query or "")):
        negative, quoted, bare = match.group(1), match.group(2), match.group(3)
        if len(include) + len(exclude) + len(literal) >= MAX_QUERY_TERMS:
            break
        if quoted is not None:
            expr = _phrase(quoted, prefix=False)
            target = exclude if negative else include
        else:
            negative = "-" if bare.startswith("-") and len(bare) > 1 else ""
            term = bare[1:] if negative else bare
            expr = _phrase(term, prefix=True)
            target = exclude if negative else include
            if expr is None and not negative and term.strip():
                literal.append(term)
                continue
        if expr is not None:
            target.append(expr)
    return TextQuery(" AND ".join(include) or None, " OR ".join(exclude) or None,
                     tuple(literal))


def _values(name: str, value: Any) -> list[Any]:
    items = list(value) if isinstance(value, list | tuple | set | frozenset) else [value]
    try:
        return [clean_field(name, item) for item in items]
    except ValueError as exc:
        raise InvalidDraftError(f"{name} filter: {exc}") from None


@dataclass(slots=True)
class Filters:
    """The WHERE clause of a search, built from keyword filters (see ``DraftStore.search``)."""

    clauses: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)
    match: str | None = None  # the FTS5 expression every result must match, if any
    exclude: str | None = None  # the FTS5 expression no result may match, if any
    trashed: bool | None = False

    def add(self, clause: str, *params: Any) -> None:
        self.clauses.append(clause)
        self.params.extend(params)

    @property
    def where(self) -> str:
        return " AND ".join(self.clauses) if self.clauses else "1"


def _in(column: str, values: Iterable[Any], collate: str = "") -> str:
    marks = ", ".join("?" for _ in values)
    return f"{column}{collate} IN ({marks})"


def _add_time(f: Filters, column: str, value: date | datetime | str, *, end: bool) -> None:
    """``column >= start`` or ``column < end`` (the end is exclusive: after the last day).

    A bound that Python's datetime cannot hold (before year 1 or after 9999, where a
    time zone or the day after pushes it) has every draft on one side of it: it is left
    out when all drafts pass it, and matches nothing when none can.
    """
    moment = parse_date(value) if isinstance(value, str) else value
    try:
        bound = to_db_time(day_end(moment) if end else day_start(moment))
    except (OverflowError, ValueError):
        past_the_last_year = moment.year > 1
        if past_the_last_year != end:
            f.add("0")  # no draft is that late (or that early)
        return
    f.add(f"{column} {'<' if end else '>='} ?", bound)


def build_filters(query: str = "", *, client: Any = None, platform: Any = None,
                  status: Any = None, language: Any = None, kind: Any = None, tag: Any = None,
                  planned_from: date | str | None = None, planned_to: date | str | None = None,
                  updated_from: date | datetime | str | None = None,
                  updated_to: date | datetime | str | None = None,
                  created_from: date | datetime | str | None = None,
                  created_to: date | datetime | str | None = None,
                  trashed: bool | None = False) -> Filters:
    """The SQL conditions for a search. A list for a filter means "any of these"."""
    f = Filters(trashed=trashed)
    text = parse_query(query)
    # The store decides how to use the index for these (see DraftStore._select).
    f.match, f.exclude = text.match, text.exclude
    for term in text.literal:
        escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        f.add("(instr(d.title, ?) > 0 OR d.tags LIKE ? ESCAPE '\\' OR d.id IN "
              "(SELECT id FROM bodies WHERE instr(text, ?) > 0))", term, f"%{escaped}%", term)
    for name, value, collate in (("client", client, " COLLATE NOCASE"),
                                 ("platform", platform, ""), ("status", status, ""),
                                 ("language", language, ""), ("kind", kind, "")):
        column = f"d.{name}"
        if value is None:
            continue
        values = [v for v in _values(name, value) if v is not None]
        if values:
            f.add(_in(column, values, collate), *values)
    if tag is not None:
        tags = [t for v in _values("tags", tag) for t in v]
        if tags:
            f.add("d.id IN (SELECT draft_id FROM draft_tags WHERE " + _in("tag", tags) + ")",
                  *tags)
    try:
        if planned_from is not None:
            f.add("d.planned >= ?", parse_date(planned_from).isoformat())
        if planned_to is not None:
            f.add("d.planned <= ?", parse_date(planned_to).isoformat())
        for column, start, end in (("d.updated", updated_from, updated_to),
                                   ("d.created", created_from, created_to)):
            if start is not None:
                _add_time(f, column, start, end=False)
            if end is not None:
                _add_time(f, column, end, end=True)
    except ValueError as exc:
        raise InvalidDraftError(f"date filter: {exc}") from None
    return f


def order_by(sort: str, has_match: bool) -> tuple[str, bool]:
    """The ORDER BY clause for a sort key such as ``-updated`` (a leading - is descending).

    Returns the clause and whether it ranks by relevance (which needs the index joined).
    """
    descending = sort.startswith("-")
    key = sort.lstrip("-+").strip().lower()
    if key not in SORTS:
        raise InvalidDraftError(f"unknown sort {sort!r} (expected one of: "
                                f"{', '.join(SORTS)}, with - for descending)")
    if key == "relevance":
        if not has_match:
            return "d.updated DESC, d.id DESC", False
        # bm25 is smaller for better matches; title counts most, then tags and client.
        return "bm25(drafts_fts, 5.0, 1.0, 3.0, 2.0, 0.0), d.id DESC", True
    direction = "DESC" if descending else "ASC"
    nulls = f"{SORTS[key]} IS NULL, " if key in ("planned", "client", "platform", "score",
                                                  "language") else ""
    return f"{nulls}{SORTS[key]} {direction}, d.id {direction}", False
