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
import io
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from coach import __version__
from coach.textfile import UnreadableFile, read_bytes

from .errors import ImportRejected, LibraryError
from .model import (
    FIELDS,
    MAX_NAME,
    MAX_TEXT,
    DraftRecord,
    clean_field,
    parse_datetime,
)

BUNDLE_FORMAT = "post-coach-library"
BUNDLE_VERSION = 1
FORMATS = ("json", "markdown", "csv")
MAX_IMPORT_BYTES = 1 << 30
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
        version["note"] = note
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


class _OtherLayout(Exception):
    """The bundle is not laid out one draft a line: read it as a whole instead."""


def _lines(raw: bytes) -> tuple[dict[str, Any], Iterator[Any]] | None:
    """Read a bundle laid out as Post Coach writes it (a header line, one draft a line, a
    closing line) line by line, so a big file never becomes one huge string in memory.

    Returns the header and an iterator over the drafts, or None for another layout; the
    iterator raises _OtherLayout when a line turns out not to be one whole draft.
    """
    end = raw.find(b"\n")
    head = raw[:end].rstrip() if end > 0 else b""
    if not head.endswith(b'"drafts": [') or not raw.rstrip().endswith(b"]}"):
        return None
    try:
        header = json.loads(head + b"]}", parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        return None
    if not isinstance(header, dict):
        return None

    def drafts() -> Iterator[Any]:
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
                yield json.loads(line, parse_constant=_reject_constant)
            except (ValueError, RecursionError):
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
        data = json.loads(raw, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise ImportRejected(source, [f"not JSON (line {exc.lineno}, column {exc.colno}: "
                                      f"{exc.msg})"]) from None
    except (ValueError, RecursionError) as exc:
        raise ImportRejected(source, [f"not usable JSON ({str(exc)[:100]})"]) from None
    if not isinstance(data, dict):
        raise ImportRejected(source, [f"a bundle is a JSON object, not {type(data).__name__}"])
    drafts = data.get("drafts")
    if not isinstance(drafts, list):
        drafts = None
    elif len(drafts) > MAX_DRAFTS:
        raise ImportRejected(source, [f"{len(drafts):,} drafts (at most {MAX_DRAFTS:,})"])
    return _validate(data, iter(drafts) if drafts is not None else None, source)


def _validate(data: dict[str, Any], drafts: Iterator[Any] | None, source: str
              ) -> list[DraftRecord]:
    problems = _Problems(source)
    if data.get("format") != BUNDLE_FORMAT:
        raise ImportRejected(source, [f"format must be {BUNDLE_FORMAT!r} "
                                      f"(found {str(data.get('format'))[:40]!r})"])
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ImportRejected(source, ["version must be a whole number"])
    if version > BUNDLE_VERSION:
        raise ImportRejected(source, [f"bundle version {version} was written by a newer Post "
                                      f"Coach (this one reads version {BUNDLE_VERSION})"])
    if version < 1:
        raise ImportRejected(source, [f"unknown bundle version {version}"])
    for key in data:
        if key not in BUNDLE_KEYS:
            problems.add("", f"unknown key {str(key)[:40]!r} (keys: {', '.join(BUNDLE_KEYS)})")
    if drafts is None:
        raise ImportRejected(source, ["drafts must be a list"])
    found: list[tuple[str, DraftRecord]] = []
    for i, entry in enumerate(drafts):
        where = f"drafts[{i}]"
        if i >= MAX_DRAFTS:
            raise ImportRejected(source, [f"more than {MAX_DRAFTS:,} drafts"])
        if not isinstance(entry, dict):
            problems.add(where, f"must be an object, not {type(entry).__name__}")
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
            return json.loads(value)
        except ValueError:
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

# A cell starting like a formula is run by spreadsheet programs: prefix it with ' on export,
# and take the ' off on import (only before such a start, so other texts are untouched).
_FORMULA = re.compile(r"^'*[=+\-@\t\r]")


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    text = str(value)
    return "'" + text if _FORMULA.match(text) else text


def _csv_value(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and _FORMULA.match(cell[1:]) else cell


def write_csv(entries: Iterable[Mapping[str, Any]], out: IO[str]) -> int:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for entry in entries:
        writer.writerow([_csv_cell(entry.get(column)) for column in CSV_COLUMNS])
        count += 1
    return count


def parse_csv(content: str, source: str) -> list[DraftRecord]:
    """Drafts from CSV with a header row; only the ``text`` column is required."""
    problems = _Problems(source)
    content = content.removeprefix("\ufeff")
    limit = csv.field_size_limit()
    rows = None
    try:
        csv.field_size_limit(MAX_TEXT + 1)
        rows = csv.reader(io.StringIO(content, newline=""))
        try:
            header = next(rows)
        except StopIteration:
            raise ImportRejected(source, ["the file is empty (a header row is needed)"]) from None
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
        found: list[tuple[str, DraftRecord]] = []
        for row in rows:
            where = f"row {rows.line_num}"
            if not any(cell.strip() for cell in row):
                continue
            if len(found) >= MAX_DRAFTS:
                problems.add(where, f"more than {MAX_DRAFTS:,} drafts")
                break
            if len(row) > len(columns):
                problems.add(where, f"{len(row)} cells but {len(columns)} columns")
                continue
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
                        entry[name] = json.loads(value)
                    except ValueError:
                        problems.add(f"{where}, column scores", "not a JSON object")
                else:
                    entry[name] = value
            record = record_from_entry(entry, where, problems, place="{where}, column {name}")
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


def _read_bytes(path: Path) -> bytes:
    if path.is_file() and path.stat().st_size > MAX_IMPORT_BYTES:
        raise ImportRejected(str(path), [f"the file is larger than {MAX_IMPORT_BYTES:,} bytes"])
    try:
        return read_bytes(path)
    except UnreadableFile as exc:
        raise LibraryError(str(exc)) from None


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
            raw = _read_bytes(member)
            if kind == "json":
                found = parse_bundle(raw, str(member))
            elif kind == "csv":
                found = parse_csv(_decode(raw, str(member)), str(member))
            else:
                found = [parse_markdown(_decode(raw, str(member)), str(member))]
            records.extend((str(member), r) for r in found)
    problems = _Problems("import")
    _check_ids(records, problems)
    problems.check()
    return [record for _, record in records]


@contextlib.contextmanager
def _atomic(path: Path) -> Iterator[IO[str]]:
    """A text file that replaces ``path`` only once it is completely written."""
    folder = path.parent
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=folder)
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
