"""Hostile import and export files (issue 9): formulas in every CSV cell, dates at the edge
of the calendar, JSON nested beyond the parser, keys given twice, and files far larger than
a draft, each refused with one line naming the problem while the library stays untouched."""

from __future__ import annotations

import csv
import io
import json
import os
import threading
import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.cli import main
from coach.library import DraftStore, ImportRejected, LibraryError
from coach.library.formats import (
    _CSV_LINE,
    MAX_DRAFT_BYTES,
    MAX_IMPORT_BYTES,
    _count_cells,
    _csv_cell,
    _csv_value,
    read_import,
)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")


@pytest.fixture
def store(tmp_path):
    with DraftStore(tmp_path / "library.sqlite", auto_backup=False) as s:
        yield s


def library_bytes(store: DraftStore) -> dict[str, bytes]:
    """The library file and its WAL, to prove nothing changed."""
    folder = store.path.parent
    return {p.name: p.read_bytes() for p in folder.iterdir()
            if p.name.startswith(store.path.name)
            and not p.name.endswith("-shm")}  # SQLite's shared-memory index, not data


def refused(store: DraftStore, path: Path, *needles: str) -> str:
    """Import ``path``, expect a one-line refusal naming every needle, nothing written."""
    if not store.count():
        store.add("already here")
    count, before = store.count(), library_bytes(store)
    with pytest.raises(LibraryError) as info:
        store.import_file(path)
    message = str(info.value)
    assert "\n" not in message and len(message) < 600, message
    for needle in (str(path), *needles):
        assert needle in message, message
    assert library_bytes(store) == before
    assert store.count() == count
    return message


def bundle(*drafts: object, **top: object) -> str:
    return json.dumps({"format": "post-coach-library", "version": 1, "drafts": list(drafts),
                       **top})


def csv_cells(path: Path) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(path.read_text("utf-8-sig"), newline=""))
            for cell in row]


# --- 1. formulas: every CSV cell defused, and given back exactly ---------------------------

def test_tags_are_defused_like_every_other_cell(store, tmp_path):
    for tags in (["=1+1;cmd"], ["+x"], ["-5"], ["@anna"], ["=HYPERLINK(\"x\")", "b"]):
        store.add("a draft", tags=tags, client="-minus client", title="@title",
                  comment="=comment", kind="reply")
    target = tmp_path / "drafts.csv"
    store.export_file(target)
    starts = [cell for cell in csv_cells(target) if cell.startswith(FORMULA_STARTS)]
    assert starts == []
    with DraftStore(tmp_path / "other.sqlite", auto_backup=False) as other:
        other.import_file(target)
        assert sorted(d.tags for d in other.search()) == sorted(d.tags for d in store.search())


EDGE_VALUES = ["=1+1", "+x", "-5", "@anna", "\tindented", "\rreturn", "\0nul", "'quoted",
               "'=1+1", "''=1+1", "'", "''", "' =not", "plain", "", "=", "'\t", "x=1"]


@pytest.mark.parametrize("value", EDGE_VALUES)
def test_csv_round_trip_gives_every_value_back_exactly(store, tmp_path, value):
    """text and comment keep every character; the other text fields are tidied on the way
    in (spaces), so they get values that survive tidying."""
    tidy = value.strip() or "x"
    store.add(value, comment=value, kind="reply", title=tidy, client=tidy,
              tags=[tidy.replace(",", "")])
    target = tmp_path / "drafts.csv"
    store.export_file(target)
    assert not [c for c in csv_cells(target) if c.startswith(FORMULA_STARTS)]
    with DraftStore(tmp_path / "other.sqlite", auto_backup=False) as other:
        other.import_file(target)
        (theirs,) = other.search()
    (mine,) = store.search()
    assert (theirs.text, theirs.comment, theirs.title, theirs.client, theirs.tags) == \
        (mine.text, mine.comment, mine.title, mine.client, mine.tags)
    assert theirs.text == value


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("'=+-@\t\r\0ab ,\"\n"), max_size=8)
       | st.text(max_size=8))
def test_a_cell_is_never_a_formula_and_always_reads_back(value):
    for cell_value in (value, [value] if value else [], {"k": value}):
        cell = _csv_cell(cell_value)
        assert not cell.startswith(FORMULA_STARTS)
    assert _csv_value(_csv_cell(value)) == value


# --- 3. dates at the edge of the calendar --------------------------------------------------

EDGE_DATES = ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00",
              "0001-01-01T00:10:00Z",  # valid UTC, but not a date any more west of Greenwich
              "9999-12-31T23:00:00Z", "0001-01-01", "9999-12-31"]


@pytest.mark.parametrize("date", EDGE_DATES)
@pytest.mark.parametrize("field", ["created", "updated", "trashed", "saved"])
def test_json_dates_beyond_the_calendar_are_refused(store, tmp_path, date, field):
    draft: dict = {"text": "hello"}
    if field == "saved":
        draft["versions"] = [{"text": "old", "saved": date}]
        needle = "drafts[0].versions[0].saved"
    else:
        draft[field] = date
        needle = f"drafts[0].{field}"
    target = tmp_path / "dates.json"
    target.write_text(bundle(draft))
    refused(store, target, needle, "outside the dates")


@pytest.mark.parametrize("date", EDGE_DATES)
def test_csv_and_markdown_dates_beyond_the_calendar_are_refused(store, tmp_path, date):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(f"text,created\nfine,2026-01-01\nhello,{date}\n")
    refused(store, sheet, "row 3, column created", "outside the dates")
    post = tmp_path / "post.md"
    post.write_text(f"---\nupdated: {date}\n---\nhello\n")
    refused(store, post, "updated", "outside the dates")


@pytest.mark.parametrize("date", ["10000-01-01T00:00:00Z", "0000-01-01T00:00:00Z",
                                  "-0001-01-01", "99999999999999999999-01-01", "2026-13-01"])
def test_absurd_years_are_refused(store, tmp_path, date):
    target = tmp_path / "dates.json"
    target.write_text(bundle({"text": "x", "created": date}))
    refused(store, target, "drafts[0].created")


@pytest.mark.parametrize("zone", ["XXX+12", "XXX-14"])  # POSIX TZ: UTC-12 and UTC+14
def test_the_earliest_and_latest_kept_dates_show_in_every_time_zone(
        tmp_path, capsys, monkeypatch, zone):
    library = tmp_path / "library.sqlite"
    target = tmp_path / "edges.json"
    target.write_text(bundle({"text": "first", "created": "0001-01-02T00:00:00Z"},
                             {"text": "last", "created": "9999-12-30T23:59:59.999999Z"}))
    assert main(["library", "--library", str(library), "import", str(target)]) == 0
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        for command in (["list"], ["show", "1"], ["show", "2"], ["versions", "1"]):
            capsys.readouterr()
            assert main(["library", "--library", str(library), *command]) == 0, command
    finally:
        monkeypatch.undo()
        time.tzset()


# --- 4. JSON nested deeper than the parser goes --------------------------------------------

DEEP = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"a": ' * 100_000 + "1" + "}" * 100_000


@pytest.mark.parametrize("deep", [DEEP, DEEP_OBJECT], ids=["list", "object"])
def test_deep_nesting_in_front_matter_and_csv_is_a_message(store, tmp_path, deep):
    for key in ("scores", "tags", "title"):
        post = tmp_path / "post.md"
        post.write_text(f"---\n{key}: {deep}\n---\nhello\n")
        refused(store, post, "line 2", "nested too deeply")
    sheet = tmp_path / "sheet.csv"
    sheet.write_text('text,scores\nhello,"' + deep.replace('"', '""') + '"\n')
    refused(store, sheet, "row 2, column scores", "nested too deeply")


@pytest.mark.parametrize("layout", ["ours", "whole"])
def test_deep_nesting_in_a_bundle_is_a_message(store, tmp_path, layout):
    sep = "\n" if layout == "ours" else ""
    target = tmp_path / "deep.json"
    target.write_text('{"format": "post-coach-library", "version": 1, "drafts": [' + sep
                      + '{"text": "x", "scores": ' + DEEP + "}" + sep + "]}\n")
    refused(store, target, "nested too deeply")
    target.write_text(DEEP)
    refused(store, target, "nested too deeply")


# --- 5. a key given twice, at every level ---------------------------------------------------

TWICE = [
    ('{"format": "post-coach-library", "format": "post-coach-library", "version": 1, '
     '"drafts": []}', "'format'"),
    ('{"format": "post-coach-library", "version": 1, "drafts": [\n'
     '{"text": "a", "status": "draft", "status": "published"}\n]}', "drafts[0]: the key "
     "'status' is given twice"),
    ('{"format": "post-coach-library", "version": 1, "drafts": [\n{"text": "ok"},\n'
     '{"text": "a", "scores": {"overall": 10, "overall": 90}}\n]}',
     "drafts[1].scores: the key 'overall'"),
    ('{"format": "post-coach-library", "version": 1, "drafts": [\n'
     '{"text": "a", "versions": [{"text": "v", "text": "w"}]}\n]}',
     "drafts[0].versions[0]: the key 'text'"),
    ('{"format": "post-coach-library", "version": 1, "drafts": [\n'
     '{"text": "a", "versions": [{"text": "v", "scores": {"tone": 1, "tone": 2}}]}\n]}',
     "drafts[0].versions[0].scores: the key 'tone'"),
    ('{"format": "post-coach-library", "version": 1, "drafts": [\n'
     '{"text": "a", "text": "b"}\n]}', "drafts[0]: the key 'text'"),
]


@pytest.mark.parametrize(("content", "needle"), TWICE)
@pytest.mark.parametrize("layout", ["ours", "pretty"])
def test_a_bundle_key_given_twice_is_refused(store, tmp_path, content, needle, layout):
    if layout == "pretty":  # not one draft a line: read as a whole
        content = content.replace("\n", "\n    ").replace("[{", "[\n  {")
    target = tmp_path / "twice.json"
    target.write_text(content)
    refused(store, target, needle, "given twice")


def test_front_matter_and_csv_json_values_refuse_a_key_given_twice(store, tmp_path):
    post = tmp_path / "post.md"
    post.write_text('---\nscores: {"overall": 10, "overall": 90}\n---\nhello\n')
    refused(store, post, "line 2", "'overall' is given twice")
    sheet = tmp_path / "sheet.csv"
    sheet.write_text('text,scores\nhello,"{""overall"": 1, ""overall"": 2}"\n')
    refused(store, sheet, "row 2, column scores", "'overall' is given twice")


# --- 6. huge files: refused while reading, in bounded memory --------------------------------

def peak_while(read) -> tuple[int, BaseException | None]:
    """The peak of traced memory while ``read()`` runs, and what it raised."""
    tracemalloc.start()
    try:
        read()
        error = None
    except LibraryError as exc:
        error = exc
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak, error


def write_huge(path: Path, head: bytes, size: int, tail: bytes = b"\n") -> None:
    chunk = b"x" * (1 << 20)
    with open(path, "wb") as out:
        out.write(head)
        for _ in range(size // len(chunk)):
            out.write(chunk)
        out.write(tail)


def test_a_200_mb_csv_field_is_refused_in_bounded_memory(store, tmp_path):
    target = tmp_path / "huge.csv"
    write_huge(target, b"title,text\nhuge,", 200 << 20)
    peak, error = peak_while(lambda: read_import([target]))
    assert peak < 3 * MAX_DRAFT_BYTES, f"{peak / 1e6:.0f} MB"  # 51 MB measured; was 1.4 GB
    assert isinstance(error, ImportRejected) and "line 2: a row is longer" in str(error)


@pytest.mark.parametrize("cell", [b"ab,", b'"a\nb",', b'"a""b"x,'],
                         ids=["one-line", "quoted-lines", "quotes"])
def test_a_csv_row_of_endless_cells_is_refused_in_bounded_memory(tmp_path, cell):
    """Millions of tiny cells in one row (on one line, or over many lines inside quoted
    cells) would each become an object: the cells of a row are counted while it is read."""
    target = tmp_path / "cells.csv"
    with open(target, "wb") as out:
        out.write(b"text,client\n")
        out.write(cell * ((12 << 20) // len(cell)))  # 12 MB: within the length of a row
        out.write(b"\n")
    peak, error = peak_while(lambda: read_import([target]))
    assert peak < 3 * MAX_DRAFT_BYTES, f"{peak / 1e6:.0f} MB"  # was 470 MB with 24 MB rows
    assert isinstance(error, ImportRejected) and "more than 10,000 cells" in str(error)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet='a,"\r\n', max_size=30),
       st.lists(st.text(alphabet='a,"\r\n', max_size=6), min_size=1, max_size=6))
def test_cells_are_counted_as_csv_reads_them(line, cells):
    """The row guard counts a row's cells exactly as csv.reader splits them."""
    single = line.replace("\r", "").replace("\n", "")
    count, quoted = _count_cells(single, False, 1000)
    # csv ends a quote left open at the end; an empty line is a row of no cells, not one.
    assert count + quoted == len(next(csv.reader([single]))) or (single, count) == ("", 1)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    pieces = _CSV_LINE.findall(buffer.getvalue())
    total, quoted = 0, False
    for piece in pieces:
        found, quoted = _count_cells(piece, quoted, 1000)
        total += found
    assert (total, quoted) == (len(cells), False)


def test_long_but_valid_csv_rows_are_read(store, tmp_path):
    text = "😀," * 1_000_000  # the longest text, 6 MB of UTF-8 and a million commas
    comment = '"' * 2_000_000  # the longest comment, every quote doubled in CSV
    store.add(text, comment=comment, kind="reply", title="long")
    store.add("a, b, c " * 200_000, title="many commas")
    target = tmp_path / "long.csv"
    store.export_file(target)
    first, second = read_import([target])
    assert first.fields["text"] == text and first.fields["comment"] == comment
    assert second.fields["text"] == "a, b, c " * 200_000


def test_a_huge_markdown_file_is_refused_before_it_is_read(store, tmp_path):
    target = tmp_path / "huge.md"
    write_huge(target, b"---\ntitle: t\n---\n", 200 << 20)
    peak, error = peak_while(lambda: read_import([target]))
    assert peak < 1 << 20, f"{peak / 1e6:.0f} MB"  # nothing read; was 800 MB
    assert isinstance(error, ImportRejected) and f"{MAX_DRAFT_BYTES:,} bytes" in str(error)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_markdown_pipe_is_read_only_up_to_the_limit(tmp_path):
    """A pipe cannot tell its size: it is read up to the limit and refused there."""
    pipe = tmp_path / "endless.md"
    os.mkfifo(pipe)
    stop = threading.Event()

    def endless() -> None:  # 64 MB: far past the limit, and an end for a reader without one
        with open(pipe, "wb") as out:
            try:
                for _ in range(64):
                    if stop.is_set():
                        break
                    out.write(b"x" * (1 << 20))
            except BrokenPipeError:
                pass

    writer = threading.Thread(target=endless, daemon=True)
    writer.start()
    try:
        peak, error = peak_while(lambda: read_import([pipe]))
    finally:
        stop.set()
        writer.join(10)
    assert peak < 3 * MAX_DRAFT_BYTES, f"{peak / 1e6:.0f} MB"  # was 256 MB for 64 MB
    assert isinstance(error, ImportRejected) and "larger than" in str(error)


def test_a_bundle_over_the_size_limit_is_refused_before_it_is_read(store, tmp_path):
    target = tmp_path / "huge.json"
    with open(target, "wb") as out:
        out.truncate(MAX_IMPORT_BYTES + 1)  # sparse: no disk used
    peak, error = peak_while(lambda: read_import([target]))
    assert peak < 1 << 20
    assert isinstance(error, ImportRejected) and "larger than" in str(error)
