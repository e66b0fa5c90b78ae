"""Import and export: a JSON bundle (everything, versions included), Markdown files with
front matter (one per draft), and CSV for spreadsheets. The formats are documented in
docs/library-format.md.

Reading is strict and all-or-nothing: a file is parsed and every entry validated before
anything is written, and a problem is reported with where it is (``drafts[3].planned``,
``row 12, column status``, ``post.md, line 4``). Writing goes to a temporary file that
replaces the target only when complete, so a failed export never leaves half a file in
place of a good one.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import json
import os
import re
import secrets
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from coach import __version__
from coach.textfile import UnreadableFile

from .errors import ImportRejected, LibraryError
from .model import (
    FIELDS,
    MAX_NAME,
    MAX_TEXT,
    DraftRecord,
    clean_field,
    clean_text,
    parse_datetime,
)

BUNDLE_FORMAT = "post-coach-library"
BUNDLE_VERSION = 1
FORMATS = ("json", "markdown", "csv")
MAX_IMPORT_BYTES = 1 << 30
# One draft as a Markdown file or a CSV row can never be longer than this: text and comment
# at their limits in the longest encoding (4 bytes a character in the text, a 6-byte \u
# escape in a Markdown comment, a doubled quote in CSV) come to 20 MB with the other fields.
MAX_DRAFT_BYTES = 24 << 20
MAX_CSV_CELLS = 10_000  # in one CSV row (a draft has 16 columns)
MAX_DRAFTS = 1_000_000
MAX_VERSIONS = 10_000  # per draft
MAX_PROBLEMS = 20

ENTRY_KEYS = (*FIELDS, "id", "created", "updated", "trashed", "versions")
VERSION_KEYS = ("number", "text", "title", "saved", "scores", "note")
BUNDLE_KEYS = ("format", "version", "exported", "app", "drafts")
CSV_COLUMNS = ("id", "title", "text", "client", "platform", "language", "language_pinned",
               "kind", "comment", "tags", "status", "planned", "created", "updated", "scores",
               "trashed")
MARKDOWN_KEYS = ("id", "title", "client", "platform", "language", "language_pinned", "kind",
                 "comment", "status", "tags", "planned", "created", "updated", "scores",
                 "trashed")

Progress = Callable[[int, int], object]


class _Problems:
    """Collects problems with their places; stops the read after too many."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}" if where else message)
        if len(self.items) >= MAX_PROBLEMS:
            raise ImportRejected(self.source, self.items)

    def check(self) -> None:
        if self.items:
            raise ImportRejected(self.source, self.items)


# --- one entry, whatever the file format ----------------------------------------------------

def _time(value: object) -> datetime | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"must be an ISO 8601 date-time text, not {type(value).__name__}")
    return parse_datetime(value)


def _uid(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f"must be text or a whole number, not {type(value).__name__}")
    uid = str(value).strip()
    if len(uid) > MAX_NAME or not uid.isprintable():
        raise ValueError("is not a usable id (at most 200 printable characters)")
    return uid


def record_from_entry(entry: Mapping[str, Any], where: str, problems: _Problems,
                      place: str = "{where}.{name}") -> DraftRecord | None:
    """Validate one bundle entry (or a Markdown/CSV row turned into one).

    ``place`` names a field in messages: ``drafts[3].planned``, ``row 4, column planned``.
    """
    unknown = [k for k in entry if k not in ENTRY_KEYS]
    for key in unknown[:3]:
        problems.add(where, f"unknown field {str(key)[:40]!r} (fields: {', '.join(ENTRY_KEYS)})")
    if "text" not in entry:
        problems.add(where, "has no text")
        return None
    fields: dict[str, Any] = {}
    ok = not unknown
    for name in FIELDS:
        if name not in entry:
            continue
        value = entry[name]
        if name == "status" and value is None:
            continue
        try:
            fields[name] = clean_field(name, value)
        except (ValueError, TypeError) as exc:
            problems.add(place.format(where=where, name=name), str(exc))
            ok = False
    record = DraftRecord(fields)
    for name in ("created", "updated", "trashed"):
        try:
            setattr(record, name, _time(entry.get(name)))
        except ValueError as exc:
            problems.add(place.format(where=where, name=name), str(exc))
            ok = False
    try:
        record.uid = _uid(entry.get("id"))
    except ValueError as exc:
        problems.add(place.format(where=where, name="id"), str(exc))
        ok = False
    history = entry.get("versions")
    if history is not None:
        if not isinstance(history, list):
            problems.add(f"{where}.versions", "must be a list")
            return None
        if len(history) > MAX_VERSIONS:
            problems.add(f"{where}.versions", f"{len(history):,} versions (at most "
                                              f"{MAX_VERSIONS:,})")
            return None
        for i, item in enumerate(history):
            version = _version(item, f"{where}.versions[{i}]", problems)
            if version is None:
                ok = False
            else:
                record.versions.append(version)
    return record if ok else None


def _version(item: object, where: str, problems: _Problems) -> dict[str, Any] | None:
    if not isinstance(item, dict):
        problems.add(where, f"must be an object, not {type(item).__name__}")
        return None
    unknown = [k for k in item if k not in VERSION_KEYS]
    if unknown:
        problems.add(where, f"unknown field {str(unknown[0])[:40]!r}")
        return None
    if "text" not in item:
        problems.add(where, "has no text")
        return None
    number = item.get("number")
    if number is not None and (isinstance(number, bool) or not isinstance(number, int)):
        problems.add(f"{where}.number", "must be a whole number")
        return None
    version: dict[str, Any] = {}
    try:
        version["text"] = clean_field("text", item["text"])
        if item.get("title"):
            version["title"] = clean_field("title", item["title"])
        version["scores"] = clean_field("scores", item.get("scores"))
        note = item.get("note") or ""
        if not isinstance(note, str) or len(note) > MAX_NAME:
            raise ValueError("note must be text of at most 200 characters")
        version["note"] = clean_text(note)
    except (ValueError, TypeError) as exc:
        problems.add(where, str(exc))
        return None
    try:
        version["saved"] = _time(item.get("saved"))
    except ValueError as exc:
        problems.add(f"{where}.saved", str(exc))
        return None
    return version


def _check_ids(records: list[tuple[str, DraftRecord]], problems: _Problems) -> None:
    seen: dict[str, str] = {}
    for where, record in records:
        if record.uid is None:
            continue
        if record.uid in seen:
            problems.add(where, f"duplicate id {record.uid[:40]!r} (also {seen[record.uid]})")
        else:
            seen[record.uid] = where


# --- JSON bundle -----------------------------------------------------------------------------

def _decode(raw: bytes, source: str) -> str:
    if len(raw) > MAX_IMPORT_BYTES:
        raise ImportRejected(source, [f"the file is {len(raw):,} bytes (at most "
                                      f"{MAX_IMPORT_BYTES:,})"])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportRejected(source, [f"not UTF-8 text (line {line}, byte {exc.start})"]
                             ) from None


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a valid JSON number")


class _Twice(dict):  # type: ignore[type-arg]
    """A JSON object that gives a key more than once (``key``: the first such key).

    json keeps the last value silently; an import refuses the object instead, as it refuses
    a key given twice in Markdown front matter.
    """

    key: str


def _load_json(text: str | bytes) -> tuple[Any, bool]:
    """Parse JSON strictly: NaN and Infinity are refused, nesting too deep for the parser is
    a ValueError, and an object that gives a key twice comes back as a _Twice. The flag says
    whether there is one anywhere (only then is it worth looking for)."""
    twice = False

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal twice
        obj = dict(items)
        if len(obj) == len(items):
            return obj
        twice = True
        repeated = _Twice(obj)
        seen: set[str] = set()
        for key, _ in items:
            if key in seen:
                repeated.key = key
                break
            seen.add(key)
        return repeated

    try:
        value = json.loads(text, object_pairs_hook=pairs, parse_constant=_reject_constant)
    except RecursionError:
        raise ValueError("the value is nested too deeply to be read") from None
    return value, twice


def _key_place(where: str, key: str) -> str:
    if key.isidentifier() and len(key) <= 40:
        return f"{where}.{key}" if where else key
    return f"{where}[{key[:40]!r}]"


def _repeated_key(value: Any, where: str) -> str | None:
    """The problem of the first object in ``value`` that gives a key twice, naming where it
    is (walked without recursion: the nesting may be as deep as the parser allows)."""
    stack: list[tuple[str, Any]] = [(where, value)]
    while stack:
        place, item = stack.pop()
        if isinstance(item, _Twice):
            return f"{place + ': ' if place else ''}the key {item.key[:40]!r} is given twice"
        if isinstance(item, dict):
            stack.extend((_key_place(place, k), v) for k, v in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend((f"{place}[{i}]", v) for i, v in reversed(list(enumerate(item))))
    return None


def _json_value(text: str) -> Any:
    """One JSON value inside another format (Markdown front matter, a CSV cell)."""
    value, twice = _load_json(text)
    problem = _repeated_key(value, "") if twice else None
    if problem:
        raise ValueError(problem)
    return value


def _shown(value: object) -> str:
    """A value found where another was expected, short enough for a message."""
    if isinstance(value, str):
        return repr(value[:40])
    if value is None or isinstance(value, bool) or (isinstance(value, int)
                                                   and abs(value) < 10**12):
        return repr(value)
    return f"a {type(value).__name__}"


class _OtherLayout(Exception):
    """The bundle is not laid out one draft a line: read it as a whole instead."""


def _lines(raw: bytes) -> tuple[dict[str, Any], Iterator[tuple[Any, bool]]] | None:
    """Read a bundle laid out as Post Coach writes it (a header line, one draft a line, a
    closing line) line by line, so a big file never becomes one huge string in memory.

    Returns the header and an iterator over the drafts (each with _load_json's flag), or
    None for another layout; the iterator raises _OtherLayout when a line turns out not to
    be one whole draft.
    """
    end = raw.find(b"\n")
    head = raw[:end].rstrip() if end > 0 else b""
    if not head.endswith(b'"drafts": [') or not raw.rstrip().endswith(b"]}"):
        return None
    try:
        header, twice = _load_json(head + b"]}")
    except ValueError:
        return None
    if not isinstance(header, dict) or twice:
        return None

    def drafts() -> Iterator[tuple[Any, bool]]:
        lines = raw[end + 1:].rstrip().split(b"\n")
        if lines[-1].strip() != b"]}":
            raise _OtherLayout
        for line in lines[:-1]:
            line = line.strip()
            if not line:
                continue
            if line.endswith(b","):
                line = line[:-1]
            try:
                yield _load_json(line)
            except ValueError:
                raise _OtherLayout from None

    return header, drafts()


def parse_bundle(raw: bytes | str, source: str = "bundle") -> list[DraftRecord]:
    """Validate a JSON bundle and return its drafts. Raises ImportRejected."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_IMPORT_BYTES:
            _decode(raw, source)  # raises with the size
        try:
            raw.decode("utf-8")  # one pass to name a bad byte with its line
        except UnicodeDecodeError:
            _decode(raw, source)
        raw = raw.removeprefix(b"\xef\xbb\xbf")
        fast = _lines(raw)
        if fast is not None:
            try:
                return _validate(fast[0], fast[1], source)
            except _OtherLayout:
                pass
        raw = raw.decode("utf-8")
    try:
        data, twice = _load_json(raw)
    except json.JSONDecodeError as exc:
        raise ImportRejected(source, [f"not JSON (line {exc.lineno}, column {exc.colno}: "
                                      f"{exc.msg})"]) from None
    except ValueError as exc:
        raise ImportRejected(source, [f"not usable JSON ({str(exc)[:100]})"]) from None
    if not isinstance(data, dict):
        raise ImportRejected(source, [f"a bundle is a JSON object, not {type(data).__name__}"])
    drafts = data.get("drafts")
    if not isinstance(drafts, list):
        drafts = None
    elif len(drafts) > MAX_DRAFTS:
        raise ImportRejected(source, [f"{len(drafts):,} drafts (at most {MAX_DRAFTS:,})"])
    return _validate(data, ((d, twice) for d in drafts) if drafts is not None else None,
                     source)


def _validate(data: dict[str, Any], drafts: Iterator[tuple[Any, bool]] | None, source: str
              ) -> list[DraftRecord]:
    """Check a bundle's header and drafts; each draft comes with _load_json's flag."""
    problems = _Problems(source)
    if isinstance(data, _Twice):
        problems.add("", f"the key {data.key[:40]!r} is given twice")
    if data.get("format") != BUNDLE_FORMAT:
        raise ImportRejected(source, [f"format must be {BUNDLE_FORMAT!r} "
                                      f"(found {_shown(data.get('format'))})"])
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ImportRejected(source, ["version must be a whole number"])
    if version > BUNDLE_VERSION:
        raise ImportRejected(source, [f"bundle version {_shown(version)} was written by a "
                                      f"newer Post Coach (this one reads version "
                                      f"{BUNDLE_VERSION})"])
    if version < 1:
        raise ImportRejected(source, [f"unknown bundle version {version}"])
    for key in data:
        if key not in BUNDLE_KEYS:
            problems.add("", f"unknown key {str(key)[:40]!r} (keys: {', '.join(BUNDLE_KEYS)})")
    if drafts is None:
        raise ImportRejected(source, ["drafts must be a list"])
    found: list[tuple[str, DraftRecord]] = []
    for i, (entry, twice) in enumerate(drafts):
        where = f"drafts[{i}]"
        if i >= MAX_DRAFTS:
            raise ImportRejected(source, [f"more than {MAX_DRAFTS:,} drafts"])
        if not isinstance(entry, dict):
            problems.add(where, f"must be an object, not {type(entry).__name__}")
            continue
        repeated = _repeated_key(entry, where) if twice else None
        if repeated:
            problems.add("", repeated)
            continue
        record = record_from_entry(entry, where, problems)
        if record is not None:
            found.append((where, record))
    _check_ids(found, problems)
    problems.check()
    return [record for _, record in found]


def write_bundle(entries: Iterable[Mapping[str, Any]], out: IO[str], *,
                 ascii_only: bool = False) -> int:
    """Write a bundle (one draft a line, so big bundles stream and diff well).

    ``ascii_only`` escapes every non-ASCII character (for a stream that is not UTF-8).
    """
    exported = datetime.now(UTC).isoformat(timespec="seconds")
    out.write(f'{{"format": "{BUNDLE_FORMAT}", "version": {BUNDLE_VERSION}, '
              f'"exported": "{exported}", "app": "Post Coach {__version__}", "drafts": [')
    count = 0
    for entry in entries:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(entry, ensure_ascii=ascii_only))
        count += 1
    out.write("\n]}\n")
    return count


# --- Markdown with front matter ---------------------------------------------------------------

_KEY_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*:(.*)$")


def _scalar(raw: str) -> Any:
    """A front-matter value: JSON (for quoted text, lists, objects), or plain text."""
    value = raw.strip()
    if not value or value in ("~", "null"):
        return None
    if value in ("true", "false"):
        return value == "true"
    if value[0] in "\"[{":
        try:
            return _json_value(value)
        except json.JSONDecodeError:
            if value[0] == "[" and value.endswith("]"):  # a YAML list of plain words
                return [item.strip().strip("'\"") for item in value[1:-1].split(",")]
            raise ValueError(f"cannot read the value {value[:40]!r}") from None
    if value[0] == "'" and value.endswith("'") and len(value) >= 2:
        return value[1:-1].replace("''", "'")
    return value


def parse_markdown(content: str, source: str) -> DraftRecord:
    """One draft from a Markdown file: optional ``---`` front matter, then the text."""
    problems = _Problems(source)
    content = content.removeprefix("\ufeff")
    entry: dict[str, Any] = {}
    body = content
    lines = content.splitlines(keepends=True)
    if lines and lines[0].rstrip("\r\n") == "---":
        end = next((i for i, line in enumerate(lines[1:], start=1)
                    if line.rstrip("\r\n") == "---"), None)
        if end is None:
            raise ImportRejected(source, ["the front matter (from the first ---) is not closed "
                                          "by a --- line"])
        body = "".join(lines[end + 1:])
        for number, line in enumerate(lines[1:end], start=2):
            line = line.rstrip("\r\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            m = _KEY_LINE.match(line)
            if not m:
                problems.add(f"line {number}", "expected 'key: value'")
                continue
            key = m.group(1).lower()
            if key not in MARKDOWN_KEYS:
                problems.add(f"line {number}", f"unknown key {key!r} "
                                               f"(keys: {', '.join(MARKDOWN_KEYS)})")
                continue
            if key in entry:
                problems.add(f"line {number}", f"{key} is given twice")
                continue
            try:
                value = _scalar(m.group(2))
            except ValueError as exc:
                problems.add(f"line {number}", str(exc))
                continue
            if key == "tags" and isinstance(value, str):
                value = [value]
            if key in ("id", "planned") and isinstance(value, int | float):
                value = str(value)
            entry[key] = value
    # The writer ends every file with one newline after the text; editors do too.
    entry["text"] = body[:-2] if body.endswith("\r\n") else body.removesuffix("\n")
    problems.check()
    record = record_from_entry(entry, "front matter", problems, place="{name}")
    problems.check()
    assert record is not None
    return record


def _front_value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def markdown_document(entry: Mapping[str, Any]) -> str:
    """A draft as a Markdown file with front matter (what ``parse_markdown`` reads back)."""
    lines = ["---"]
    for key in MARKDOWN_KEYS:
        value = entry.get(key)
        if value in (None, "", [], False) or (key == "kind" and value == "post"):
            continue
        lines.append(f"{key}: {_front_value(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n" + entry.get("text", "") + "\n"


def _slug(title: str) -> str:
    slug = re.sub(r"[^\w]+", "-", title.casefold(), flags=re.UNICODE).strip("-_")
    return slug[:50].strip("-_") or "draft"


def markdown_name(entry: Mapping[str, Any]) -> str:
    """A file name from the title and the id, so a new export updates the same files."""
    uid = re.sub(r"[^\w]", "", str(entry.get("id") or ""))[:8]
    return f"{_slug(str(entry.get('title') or ''))}{'-' + uid if uid else ''}.md"


# --- CSV --------------------------------------------------------------------------------------

# A cell starting like a formula is run by spreadsheet programs (=, +, -, @, a tab, a carriage
# return; NUL, which some of them skip). Every cell, whatever its column, is written with a '
# in front when it starts with one of these, or with 's and then one of these; reading takes
# exactly one ' off such a cell, so every value comes back as it was and no other is touched.
_FORMULA = re.compile(r"'*[=+\-@\t\r\0]")
_BOM = b"\xef\xbb\xbf"
# The line ends csv.reader knows: a string it is given must end at one of them.
_CSV_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _csv_cell(value: Any) -> str:
    """A value as a CSV cell, defused against formulas (the same for every column)."""
    text = _csv_text(value)
    return "'" + text if _FORMULA.match(text) else text


def _csv_value(cell: str) -> str:
    """A cell's value: the inverse of _csv_cell."""
    return cell[1:] if cell.startswith("'") and _FORMULA.match(cell, 1) else cell


def write_csv(entries: Iterable[Mapping[str, Any]], out: IO[str]) -> int:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for entry in entries:
        writer.writerow([_csv_cell(entry.get(column)) for column in CSV_COLUMNS])
        count += 1
    return count


# The inside of a quoted cell, up to its closing quote (a doubled quote is part of it).
_QUOTED = re.compile(r'[^"]*(?:""[^"]*)*')


def _count_cells(piece: str, quoted: bool, most: int) -> tuple[int, bool]:
    """How many cells a line of a row ends (counting stops past ``most``), and whether it
    ends inside a quoted cell; read as csv.reader reads the default dialect (a quote opens
    a cell only at its start, and what follows a closing quote up to the next comma is
    still in the cell)."""
    cells = pos = 0
    while cells <= most:
        if quoted:
            pos = _QUOTED.match(piece, pos).end()  # type: ignore[union-attr]
            if pos == len(piece):
                return cells, True
            pos += 1
            quoted = False
        elif piece.startswith('"', pos):
            quoted = True
            pos += 1
            continue
        comma = piece.find(",", pos)
        cells += 1
        if comma < 0:
            return cells, False
        pos = comma + 1
    return cells, quoted


class _CsvLines:
    """The lines of a CSV file for csv.reader, decoded one at a time so that memory stays
    bounded whatever the file holds: a row (a line, or the lines of a quoted cell) longer
    than MAX_DRAFT_BYTES, or of more than MAX_CSV_CELLS cells, is refused as soon as it
    gets there. The reader of rows calls ``new_row()`` after each row."""

    def __init__(self, raw: IO[bytes], source: str) -> None:
        self.raw = raw
        self.source = source
        self.lines = 0  # lines of the file read so far
        self.offset = 0  # bytes of the file read so far
        self.new_row()

    def new_row(self) -> None:
        self.row_bytes = 0
        # Cells are counted exactly only in a row with many commas (most rows have 16
        # cells): until then the row's lines are kept, to count from its start.
        self.commas = 0
        self.kept: list[str] = []
        self.cells: int | None = None
        self.quoted = False

    def _count(self, piece: str) -> None:
        if self.cells is None:
            self.commas += piece.count(",")
            self.kept.append(piece)
            if self.commas + len(self.kept) <= MAX_CSV_CELLS:
                return
            pieces, self.kept, self.cells = self.kept, [], 0
        else:
            pieces = [piece]
        for item in pieces:
            cells, self.quoted = _count_cells(item, self.quoted, MAX_CSV_CELLS - self.cells)
            self.cells += cells
            if self.cells > MAX_CSV_CELLS:
                raise ImportRejected(self.source, [
                    f"line {self.lines}: a row has more than {MAX_CSV_CELLS:,} cells (a "
                    f"draft has {len(CSV_COLUMNS)} columns)"])

    def __iter__(self) -> Iterator[str]:
        while True:
            budget = MAX_DRAFT_BYTES - self.row_bytes
            data = self.raw.readline(budget + 1)
            if not data:
                return
            if len(data) > budget:
                raise ImportRejected(self.source, [
                    f"line {self.lines + 1}: a row is longer than {MAX_DRAFT_BYTES:,} "
                    "bytes, more than one draft can hold"])
            start = self.offset
            if start == 0 and data.startswith(_BOM):
                data, start = data[len(_BOM):], len(_BOM)
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ImportRejected(self.source, [
                    f"not UTF-8 text (line {self.lines + 1}, byte {start + exc.start})"]
                                     ) from None
            self.row_bytes += len(data)
            self.offset = start + len(data)
            self.lines += 1
            for piece in _CSV_LINE.findall(text):
                self._count(piece)
                yield piece


def parse_csv(content: str | bytes | IO[bytes], source: str) -> list[DraftRecord]:
    """Drafts from CSV with a header row; only the ``text`` column is required.

    ``content`` is the text, its UTF-8 bytes, or a binary file, which is read a line at a
    time (a cell longer than the text limit is refused while it is read).
    """
    if isinstance(content, str):
        content = content.encode("utf-8", "surrogatepass")
    if isinstance(content, bytes):
        content = io.BytesIO(content)
    problems = _Problems(source)
    lines = _CsvLines(content, source)
    limit = csv.field_size_limit()
    rows = None
    try:
        csv.field_size_limit(MAX_TEXT + 1)
        rows = csv.reader(lines)
        try:
            header = next(rows)
        except StopIteration:
            raise ImportRejected(source, ["the file is empty (a header row is needed)"]) from None
        lines.new_row()
        columns = _csv_columns(header, problems)
        found: list[tuple[str, DraftRecord]] = []
        for row in rows:
            lines.new_row()
            where = f"row {rows.line_num}"
            if not any(cell.strip() for cell in row):
                continue
            if len(found) >= MAX_DRAFTS:
                problems.add(where, f"more than {MAX_DRAFTS:,} drafts")
                break
            if len(row) > len(columns):
                problems.add(where, f"{len(row)} cells but {len(columns)} columns")
                continue
            record = record_from_entry(_csv_entry(columns, row, where, problems), where,
                                       problems, place="{where}, column {name}")
            if record is not None:
                found.append((where, record))
    except csv.Error as exc:
        where = f"row {rows.line_num}: " if rows is not None else ""
        reason = (f"a cell is longer than {MAX_TEXT:,} characters"
                  if "field limit" in str(exc) else str(exc))
        raise ImportRejected(source, [f"{where}not readable as CSV ({reason})"]) from None
    finally:
        csv.field_size_limit(limit)
    _check_ids(found, problems)
    problems.check()
    return [record for _, record in found]


def _csv_columns(header: list[str], problems: _Problems) -> list[str]:
    columns = [h.strip().lower() for h in header]
    for i, name in enumerate(columns):
        if name not in CSV_COLUMNS:
            problems.add(f"column {i + 1}", f"unknown column {header[i][:40]!r} "
                                            f"(columns: {', '.join(CSV_COLUMNS)})")
        elif columns.index(name) != i:
            problems.add(f"column {i + 1}", f"column {name!r} appears twice")
    if "text" not in columns:
        problems.add("header", "there is no text column")
    problems.check()
    return columns


def _csv_entry(columns: list[str], row: list[str], where: str, problems: _Problems
               ) -> dict[str, Any]:
    """One row as a bundle entry (cells as they are; record_from_entry checks them)."""
    entry: dict[str, Any] = {}
    for name, cell in zip(columns, row, strict=False):
        value = _csv_value(cell)
        if name == "text":
            entry[name] = value
        elif value.strip() == "":
            continue
        elif name == "language_pinned":
            flag = value.strip().lower()
            entry[name] = flag in ("true", "yes", "1") if flag in (
                "true", "false", "yes", "no", "1", "0") else value
        elif name == "scores":
            try:
                entry[name] = _json_value(value)
            except json.JSONDecodeError:
                problems.add(f"{where}, column scores", "not a JSON object")
            except ValueError as exc:
                problems.add(f"{where}, column scores", str(exc))
        else:
            entry[name] = value
    return entry


# --- files ------------------------------------------------------------------------------------

def guess_format(path: Path) -> str:
    """The import format of a path, from its suffix (a folder means Markdown files)."""
    if path.is_dir():
        return "markdown"
    suffix = path.suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix in (".md", ".markdown", ".txt"):
        return "markdown"
    raise LibraryError(f"{path}: cannot tell the format from the name; say json, markdown or "
                       "csv")


@contextlib.contextmanager
def _opened(path: Path, limit: int) -> Iterator[IO[bytes]]:
    """An import file opened for reading, refused before a byte is read when it is larger
    than ``limit`` (one that does not tell its size, a pipe, is read up to the limit)."""
    name = str(path)
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size > limit:
                raise ImportRejected(name, [f"the file is larger than {limit:,} bytes"])
            yield handle
    except FileNotFoundError:
        raise LibraryError(str(UnreadableFile(name, "no such file"))) from None
    except IsADirectoryError:
        raise LibraryError(str(UnreadableFile(name, "is a folder, not a file"))) from None
    except OSError as exc:
        raise LibraryError(str(UnreadableFile(
            name, f"cannot be read ({exc.strerror or exc})"))) from None


def _read_bytes(path: Path, limit: int) -> bytes:
    with _opened(path, limit) as handle:
        if stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raw = handle.read()  # its size is known to be within the limit
        else:
            buffer = bytearray()
            while chunk := handle.read(min(1 << 20, limit + 1 - len(buffer))):
                buffer += chunk
            raw = bytes(buffer)
    if len(raw) > limit:
        raise ImportRejected(str(path), [f"the file is larger than {limit:,} bytes"])
    return raw


def _read_file(path: Path, kind: str) -> list[DraftRecord]:
    name = str(path)
    if kind == "csv":
        with _opened(path, MAX_IMPORT_BYTES) as handle:
            return parse_csv(handle, name)
    if kind == "json":
        return parse_bundle(_read_bytes(path, MAX_IMPORT_BYTES), name)
    # A Markdown file is one draft: anything longer cannot be one.
    return [parse_markdown(_decode(_read_bytes(path, MAX_DRAFT_BYTES), name), name)]


def read_import(paths: Iterable[str | os.PathLike[str]], fmt: str | None = None
                ) -> list[DraftRecord]:
    """Read and validate import files (a folder holds Markdown files). Nothing is written."""
    records: list[tuple[str, DraftRecord]] = []
    for item in paths:
        path = Path(item)
        kind = fmt or guess_format(path)
        if kind not in FORMATS:
            raise LibraryError(f"unknown import format {kind!r} (expected {', '.join(FORMATS)})")
        if kind == "markdown" and path.is_dir():
            members = sorted(p for p in path.iterdir()
                             if p.suffix.lower() in (".md", ".markdown") and p.is_file())
        else:
            members = [path]
        for member in members:
            records.extend((str(member), r) for r in _read_file(member, kind))
    problems = _Problems("import")
    _check_ids(records, problems)
    problems.check()
    return [record for _, record in records]


def _new_partial(path: Path) -> tuple[int, str]:
    """A new file beside ``path`` to write it in, open for writing.

    An export is the person's own file: it gets the mode of the file it replaces, or the
    mode their umask gives a new file (``mkstemp`` would make it 0600, unlike every other
    program's output).
    """
    try:
        kept: int | None = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        kept = None
    for _ in range(100):
        temp = str(path.parent / f".{path.name}.{secrets.token_hex(4)}.partial")
        try:
            # 0666 less the umask, as for any new file a program writes
            handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        if kept is not None:
            os.fchmod(handle, kept)
        return handle, temp
    raise FileExistsError(errno.EEXIST, "no free name for a temporary file", str(path.parent))


@contextlib.contextmanager
def _atomic(path: Path) -> Iterator[IO[str]]:
    """A text file that replaces ``path`` only once it is completely written."""
    folder = path.parent
    try:
        handle, temp = _new_partial(path)
    except OSError as exc:
        raise LibraryError(f"cannot write to {folder}: {exc.strerror or exc}") from None
    try:
        # utf-8-sig would put a BOM in JSON; only CSV (for spreadsheet programs) gets one.
        encoding = "utf-8-sig" if path.suffix.lower() == ".csv" else "utf-8"
        with os.fdopen(handle, "w", encoding=encoding, newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise LibraryError(f"cannot write {path}: {exc.strerror or exc}; nothing was "
                           "replaced") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def write_export(entries: Iterable[Mapping[str, Any]], path: str | os.PathLike[str],
                 fmt: str) -> int:
    """Write entries to a bundle, a CSV file, or a folder of Markdown files."""
    target = Path(path)
    if fmt == "json":
        with _atomic(target) as out:
            return write_bundle(entries, out)
    if fmt == "csv":
        with _atomic(target) as out:
            return write_csv(entries, out)
    if fmt != "markdown":
        raise LibraryError(f"unknown export format {fmt!r} (expected {', '.join(FORMATS)})")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LibraryError(f"cannot make the folder {target}: {exc.strerror or exc}") from None
    count = 0
    used: set[str] = set()
    for count, entry in enumerate(entries, start=1):
        name = markdown_name(entry)
        if name.casefold() in used:
            name = f"{name[:-3]}-{count}.md"
        used.add(name.casefold())
        with _atomic(target / name) as out:
            out.write(markdown_document(entry))
    return count


def export_format(path: str | os.PathLike[str]) -> str:
    """The export format for a target path: .json, .csv, else a folder of Markdown files."""
    suffix = Path(path).suffix.lower()
    return {"json": "json", "csv": "csv"}.get(suffix.lstrip("."), "markdown")
