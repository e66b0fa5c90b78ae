"""The library's value types (drafts, versions, autosaves, backups) and field validation.

Everything here is plain data: the store builds these from rows, the importers build the
same field values from files, and both go through :func:`clean_fields` so that one set of
rules decides what the library can keep.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any

from coach.analysis.model import KINDS, LANGUAGES
from coach.analysis.platforms import PLATFORMS

from .errors import InvalidDraftError

STATUSES: tuple[str, ...] = ("draft", "in_review", "approved", "published", "archived")
STATUS_LABELS: Mapping[str, str] = MappingProxyType({
    "draft": "draft", "in_review": "in review", "approved": "approved",
    "published": "published", "archived": "archived"})

# Limits that keep one hostile import from filling the disk or the memory; generous for
# real drafts (a LinkedIn post is 3,000 characters; a 1 MB paste still fits).
MAX_TEXT = 2_000_000
MAX_TITLE = 500
MAX_NAME = 200  # client, platform, language, status, id
MAX_TAGS = 100
MAX_TAG = 100
MAX_SCORES = 50  # entries in a scores mapping
MAX_SCORE = 10**15  # either way: a score is kept as an SQLite integer or a float
TITLE_CHARS = 80

FIELDS: tuple[str, ...] = (
    "title", "text", "language", "language_pinned", "platform", "kind", "comment", "client",
    "tags", "status", "planned", "scores")

_SPACES = re.compile(r"\s+")
_STATUS_ALIASES = {"in review": "in_review", "in-review": "in_review", "review": "in_review",
                   "inreview": "in_review"}


@dataclass(frozen=True, slots=True)
class Draft:
    """One saved draft as it is in the library now. Immutable: ``update`` returns a new one."""

    id: int
    uid: str  # stable across export and import; the local ``id`` is not
    title: str
    text: str
    language: str | None  # en/id/es/de, or None when not known yet
    language_pinned: bool  # True when a person chose the language (no detection)
    platform: str | None
    kind: str  # "post" or "reply"
    comment: str  # for a reply: the comment it answers
    client: str | None
    tags: tuple[str, ...]
    status: str
    planned: date | None
    created: datetime
    updated: datetime
    scores: Mapping[str, Any] | None
    revision: int  # goes up on every change; pass it back as expected_revision
    trashed: datetime | None = None

    @property
    def score(self) -> int | None:
        """The overall conversation score of the last analysis, if there was one."""
        value = (self.scores or {}).get("overall")
        return value if isinstance(value, int | float) else None

    @property
    def in_trash(self) -> bool:
        return self.trashed is not None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO 8601 strings), as the command line prints it."""
        return {
            "id": self.id, "uid": self.uid, "title": self.title, "text": self.text,
            "language": self.language, "language_pinned": self.language_pinned,
            "platform": self.platform, "kind": self.kind, "comment": self.comment,
            "client": self.client, "tags": list(self.tags), "status": self.status,
            "planned": self.planned.isoformat() if self.planned else None,
            "created": self.created.isoformat(), "updated": self.updated.isoformat(),
            "scores": dict(self.scores) if self.scores is not None else None,
            "revision": self.revision,
            "trashed": self.trashed.isoformat() if self.trashed else None,
        }


@dataclass(frozen=True, slots=True)
class Version:
    """A saved text of a draft. Numbers start at 1; the highest is the current text."""

    draft_id: int
    number: int
    text: str
    title: str
    saved: datetime
    scores: Mapping[str, Any] | None
    note: str = ""  # why it was made: "created", "restored version 2", "imported"...

    @property
    def score(self) -> int | None:
        value = (self.scores or {}).get("overall")
        return value if isinstance(value, int | float) else None

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "text": self.text, "title": self.title,
                "saved": self.saved.isoformat(),
                "scores": dict(self.scores) if self.scores is not None else None,
                "note": self.note}


@dataclass(frozen=True, slots=True)
class Autosave:
    """An editor buffer kept without making a version, to bring it back after a crash."""

    slot: int
    draft_id: int | None  # None for a draft that was never saved
    text: str
    fields: Mapping[str, Any]  # other unsaved fields (title, client...) as the editor had them
    saved: datetime
    base_revision: int | None  # the draft's revision the editor started from
    owner: str

    def to_dict(self) -> dict[str, Any]:
        return {"slot": self.slot, "draft_id": self.draft_id, "text": self.text,
                "fields": dict(self.fields), "saved": self.saved.isoformat(),
                "base_revision": self.base_revision}


@dataclass(frozen=True, slots=True)
class BackupInfo:
    """One backup file of a library."""

    path: Path
    created: datetime  # local time, from the file name
    kind: str  # "auto", "manual" or "pre-migration"
    size: int

    def to_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "created": self.created.isoformat(),
                "kind": self.kind, "size": self.size}


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did: the new drafts' ids, and how many entries were already there."""

    added: tuple[int, ...]
    skipped: int = 0
    copied: int = 0  # entries whose id was taken by a different draft: imported as copies
    versions: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"added": len(self.added), "ids": list(self.added), "skipped": self.skipped,
                "copied": self.copied, "versions": self.versions}


@dataclass(slots=True)
class DraftRecord:
    """A draft read from an import file, validated, before it gets a local id."""

    fields: dict[str, Any]
    uid: str | None = None
    created: datetime | None = None
    updated: datetime | None = None
    trashed: datetime | None = None
    versions: list[dict[str, Any]] = field(default_factory=list)  # text/title/saved/scores/note


# --- time ----------------------------------------------------------------------------------

def utc_now() -> datetime:
    return datetime.now(UTC)


def to_db_time(value: datetime) -> str:
    """A fixed-width UTC ISO 8601 string, so that text order is time order in SQL."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def from_db_time(value: str) -> datetime:
    return datetime.fromisoformat(value)


# A moment at least a day inside what datetime can hold: shown in any time zone, it stays a
# valid date (0001-01-01T00:00+01:00 is a moment before the year 1 in UTC).
EARLIEST = datetime(1, 1, 2, tzinfo=UTC)
LATEST = datetime(9999, 12, 30, 23, 59, 59, 999999, tzinfo=UTC)


def parse_datetime(value: str) -> datetime:
    """An ISO 8601 date-time (or a bare date, taken as midnight UTC). Naive means UTC.

    Raises ValueError for a text that is not one, and for a moment outside EARLIEST..LATEST.
    """
    if not isinstance(value, str) or len(value) > 64:
        raise ValueError("not an ISO 8601 date-time")
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{value[:40]!r} is not an ISO 8601 date-time") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        parsed = parsed.astimezone(UTC)
        if EARLIEST <= parsed <= LATEST:
            return parsed
    except OverflowError:
        pass
    raise ValueError(f"{value[:40]!r} is outside the dates the library can keep "
                     f"(from {EARLIEST.date()} to {LATEST.date()})")


def parse_date(value: object) -> date:
    """A calendar date from a ``date`` or a ``YYYY-MM-DD`` string."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    if not isinstance(value, str):
        raise ValueError(f"must be a date (YYYY-MM-DD), not {type(value).__name__}")
    raise ValueError(f"{value[:40]!r} is not a date (YYYY-MM-DD)")


def day_start(value: date | datetime) -> datetime:
    """The first moment of a local calendar day (a datetime is taken as it is)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.astimezone()
    return datetime.combine(value, time()).astimezone()


def day_end(value: date | datetime) -> datetime:
    """The first moment after a local calendar day (exclusive end; a datetime as it is)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.astimezone()
    return datetime.combine(value + timedelta(days=1), time()).astimezone()


# --- fields --------------------------------------------------------------------------------

def clean_text(value: str) -> str:
    """The text as SQLite can store it: lone surrogates (broken pastes) become U+FFFD."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # utf-16 with surrogatepass re-pairs split pairs; only true strays are replaced.
        value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return value


_NOT_SPACE = re.compile(r"\S")
# The line boundaries of str.splitlines().
_LINE_BREAK = re.compile(r"[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def derive_title(text: str) -> str:
    """A title from the first non-blank line, cut at a word boundary."""
    first = _NOT_SPACE.search(text)
    if first is None:
        return ""
    end = _LINE_BREAK.search(text, first.start())
    line = text[first.start():end.start() if end else len(text)][: TITLE_CHARS * 4]
    line = _SPACES.sub(" ", line).strip()
    if len(line) <= TITLE_CHARS:
        return line
    head = line[:TITLE_CHARS]
    cut = head.rsplit(" ", 1)[0] if " " in head else head
    return cut.rstrip() + "…"


def normalize_status(value: str) -> str:
    key = _SPACES.sub(" ", value.strip().lower().replace("_", " "))
    key = _STATUS_ALIASES.get(key, key)
    if key not in STATUSES:
        raise ValueError(f"{value[:40]!r} is not a status (expected one of: "
                         f"{', '.join(STATUS_LABELS.values())})")
    return key


def normalize_tags(value: str | Iterable[str]) -> tuple[str, ...]:
    """Tags as a tuple: commas split, spaces tidied, a leading # dropped, no duplicates."""
    if isinstance(value, str):
        value = [value]
    tags: list[str] = []
    seen: set[str] = set()
    for item in value:
        if not isinstance(item, str):
            raise ValueError(f"a tag must be text, not {type(item).__name__}")
        for part in item.split(","):
            tag = _SPACES.sub(" ", clean_text(part)).strip().lstrip("#").strip()
            if not tag:
                continue
            if len(tag) > MAX_TAG:
                raise ValueError(f"tag {tag[:20]!r}… is longer than {MAX_TAG} characters")
            if tag.casefold() not in seen:
                seen.add(tag.casefold())
                tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ValueError(f"{len(tags)} tags (at most {MAX_TAGS})")
    return tuple(tags)


def normalize_scores(value: object) -> dict[str, Any] | None:
    """Scores as a small JSON-ready dict (a :class:`coach.analysis.Scores` works too)."""
    if value is None:
        return None
    if hasattr(value, "to_dict") and not isinstance(value, Mapping):
        value = value.to_dict()
    if not isinstance(value, Mapping):
        raise ValueError(f"must be a mapping of names to numbers, not {type(value).__name__}")
    if len(value) > MAX_SCORES:
        raise ValueError(f"has {len(value)} entries (at most {MAX_SCORES})")
    scores: dict[str, Any] = {}
    for key, item in value.items():
        if not isinstance(key, str) or len(key) > MAX_NAME:
            raise ValueError("score names must be short text")
        if isinstance(item, bool) or not isinstance(item, int | float | str | None):
            raise ValueError(f"score {key[:40]!r} must be a number")
        if isinstance(item, float) and not math.isfinite(item):
            raise ValueError(f"score {key[:40]!r} is not a finite number")
        if isinstance(item, int | float) and abs(item) > MAX_SCORE:
            raise ValueError(f"score {key[:40]!r} is out of range (at most {MAX_SCORE:,} "
                             "either way)")
        if isinstance(item, str):
            if len(item) > MAX_NAME:
                raise ValueError(f"score {key[:40]!r} is too long")
            item = clean_text(item)
        scores[clean_text(key)] = item
    return scores


def _optional_name(name: str, value: object, allowed: tuple[str, ...] | None = None
                   ) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"must be text, not {type(value).__name__}")
    value = _SPACES.sub(" ", clean_text(value)).strip()
    if not value or (allowed is not None and value.lower() in ("none", "auto")):
        return None
    if len(value) > MAX_NAME:
        raise ValueError(f"is longer than {MAX_NAME} characters")
    if allowed is not None:
        value = value.lower()
        if value not in allowed:
            raise ValueError(f"{value[:40]!r} is not a known {name} "
                             f"(expected one of: {', '.join(allowed)})")
    return value


def _long_text(name: str, value: object, limit: int) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be text, not {type(value).__name__}")
    if len(value) > limit:
        raise ValueError(f"has {len(value):,} characters (at most {limit:,})")
    return clean_text(value)


def clean_field(name: str, value: Any) -> Any:
    """One field value as the library keeps it. Raises ValueError naming the problem."""
    if name == "text":
        return _long_text("text", value, MAX_TEXT)
    if name == "comment":
        return _long_text("comment", "" if value is None else value, MAX_TEXT)
    if name == "title":
        if value is None:
            return None
        return _SPACES.sub(" ", _long_text("title", value, MAX_TITLE)).strip()
    if name == "language":
        return _optional_name("language", value, LANGUAGES)
    if name == "platform":
        return _optional_name("platform", value, PLATFORMS)
    if name == "client":
        return _optional_name("client", value)
    if name == "kind":
        kind = _optional_name("kind", value, KINDS)
        return kind or "post"
    if name == "status":
        if not isinstance(value, str):
            raise ValueError(f"must be text, not {type(value).__name__}")
        return normalize_status(value)
    if name == "tags":
        if value is None:
            return ()
        if not isinstance(value, str | list | tuple | set | frozenset):
            raise ValueError(f"must be a list of text, not {type(value).__name__}")
        return normalize_tags(value)
    if name == "planned":
        return None if value in (None, "") else parse_date(value)
    if name == "language_pinned":
        if not isinstance(value, bool):
            raise ValueError("must be true or false")
        return value
    if name == "scores":
        return normalize_scores(value)
    raise ValueError(f"unknown field {name!r}")


def clean_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Validated field values; raises :class:`InvalidDraftError` naming the first bad one."""
    unknown = sorted(set(fields) - set(FIELDS))
    if unknown:
        raise InvalidDraftError(f"unknown draft field {unknown[0]!r} "
                                f"(fields: {', '.join(FIELDS)})")
    cleaned: dict[str, Any] = {}
    for name, value in fields.items():
        try:
            cleaned[name] = clean_field(name, value)
        except ValueError as exc:
            raise InvalidDraftError(f"{name}: {exc}") from None
    return cleaned
