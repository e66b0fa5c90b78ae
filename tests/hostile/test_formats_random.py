"""Random import files with hostile values mixed in (issue 9): JSON bundles, CSV files and
Markdown files that look valid, with bad dates, deep nesting, keys given twice, control
characters, lone surrogates, huge numbers, wrong types and binary junk. Whatever the file,
an import either takes every draft or refuses with one line naming the problem and leaves
the library file byte for byte as it was; it never ends in a traceback."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.library import DraftStore, LibraryError
from coach.library.formats import CSV_COLUMNS, ENTRY_KEYS, MARKDOWN_KEYS, VERSION_KEYS

DATES = ["2026-05-04", "2026-05-04T10:00:00Z", "0001-01-01T00:00:00+01:00",
         "9999-12-31T23:59:59-01:00", "0001-01-01T00:10:00Z", "99999-01-01", "2026-02-30",
         "yesterday", "2026-05-04T25:00:00", ""]
DATE_KEYS = ("created", "updated", "trashed", "saved", "planned")
WORDS = ["draft", "in review", "published", "linkedin", "en", "reply", "post", "true",
         "=1+1;cmd", "+x", "-5", "@anna", "'=x", "\x1b]0;pwned\x07", "\x1b]52;c;eA==\x07",
         "\x9b2J", "\u202e", "\ud83d", "\udfff", "\x00", "\r", "\t", "\n", "---", '"', ",",
         "\ufeff", "a, b", "#tag", "x" * 300]
NESTED = ["[" * 100_000 + "]" * 100_000, '{"a": ' * 3_000 + "1" + "}" * 3_000,
          "[" * 500 + "]" * 500]

texts = st.one_of(st.sampled_from(WORDS), st.sampled_from(DATES), st.text(max_size=12))
numbers = st.one_of(st.integers(-5, 200), st.integers(10**15, 10**400), st.floats())
plain = st.one_of(texts, numbers, st.booleans(), st.none())
values = st.recursive(plain, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(texts, inner, max_size=3), max_leaves=6)


def as_json(value: object) -> str:
    return json.dumps(value)  # NaN and Infinity come out as such: refused on reading


raw_values = st.one_of(values.map(as_json), st.sampled_from(NESTED))


def obj(draw, keys: tuple[str, ...], required: str = "text") -> str:
    """An object as JSON text, with its keys given possibly twice, in any order."""
    names = draw(st.lists(st.sampled_from((*keys, "colour")), max_size=5))
    if draw(st.integers(0, 9)):
        names.insert(draw(st.integers(0, len(names))), required)
    pairs = []
    for name in names:
        if name == "versions" and draw(st.booleans()):
            count = draw(st.integers(0, 2))
            value = "[" + ", ".join(obj(draw, VERSION_KEYS) for _ in range(count)) + "]"
        elif name == "scores" and draw(st.booleans()):
            value = as_json(draw(st.dictionaries(st.sampled_from(["overall", "tone", "\ud800"]),
                                                 numbers, max_size=3)))
        elif name in DATE_KEYS and draw(st.booleans()):
            value = as_json(draw(st.sampled_from(DATES)))
        else:
            value = draw(raw_values)
        pairs.append(f"{json.dumps(name)}: {value}")
    return "{" + ", ".join(pairs) + "}"


def junk(draw, data: bytes) -> bytes:
    """Sometimes a few bytes of binary junk somewhere in the file."""
    if data and not draw(st.integers(0, 5)):
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
    return data


@st.composite
def bundles(draw) -> bytes:
    drafts = [obj(draw, ENTRY_KEYS) for _ in range(draw(st.integers(0, 4)))]
    header = '{"format": "post-coach-library", "version": 1, "drafts": ['
    if draw(st.integers(0, 9)) == 0:
        header = "{" + draw(st.sampled_from(['"format": 1, ', '"version": "1", ', ""])) + \
                 '"format": "post-coach-library", "version": 1, "drafts": ['
    sep = draw(st.sampled_from([",\n", ", "]))  # our layout, or another one
    text = header + "\n" + sep.join(drafts) + "\n]}\n"
    return junk(draw, text.encode("utf-8", "surrogatepass"))


@st.composite
def sheets(draw) -> bytes:
    columns = draw(st.lists(st.sampled_from((*CSV_COLUMNS, "colour", *DATE_KEYS[:3],
                                             "scores", "tags")), min_size=1, max_size=6))
    if "text" not in columns and draw(st.integers(0, 9)):
        columns.append("text")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=draw(st.sampled_from(["\r\n", "\n", "\r"])))
    writer.writerow(columns)
    cells = st.one_of(texts, raw_values, numbers.map(str), st.sampled_from(DATES))
    for _ in range(draw(st.integers(0, 4))):
        writer.writerow(draw(st.lists(cells, min_size=len(columns) - 1,
                                      max_size=len(columns) + 1)))
    return junk(draw, out.getvalue().encode("utf-8", "surrogatepass"))


@st.composite
def markdown_files(draw) -> bytes:
    lines = []
    for _ in range(draw(st.integers(0, 5))):
        key = draw(st.sampled_from((*MARKDOWN_KEYS, "colour", "versions")))
        value = draw(st.one_of(raw_values, texts, st.sampled_from(DATES)))
        lines.append(f"{key}: {value}")
    body = draw(texts)
    text = ("---\n" + "\n".join(lines) + "\n---\n" if lines or draw(st.booleans()) else "")
    return junk(draw, (text + body + "\n").encode("utf-8", "surrogatepass"))


def library_files(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in path.parent.iterdir()
            if p.name.startswith(path.name)
            and not p.name.endswith("-shm")}  # SQLite's shared-memory index, not data


def import_once(content: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "library.sqlite"
        source = Path(folder) / name
        source.write_bytes(content)
        with DraftStore(path, auto_backup=False) as store:
            store.add("a draft that was there before", tags=["before"])
            before = library_files(path)
            count = store.count(trashed=None)
            try:
                result = store.import_file(source)
            except LibraryError as exc:
                message = str(exc)
                assert "\n" not in message and "\r" not in message, message
                assert message.startswith(str(source)), message
                assert library_files(path) == before
                assert store.count(trashed=None) == count
                return
            assert store.count(trashed=None) == count + len(result.added)
            for draft_id in result.added:  # every accepted draft is whole and readable
                assert store.get(draft_id).id == draft_id
            assert store.search("before")  # and the search index still finds the old one


SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(bundles())
def test_random_bundles_import_whole_or_not_at_all(content):
    import_once(content, "drafts.json")


@SETTINGS
@given(sheets())
def test_random_csv_files_import_whole_or_not_at_all(content):
    import_once(content, "drafts.csv")


@SETTINGS
@given(markdown_files())
def test_random_markdown_files_import_whole_or_not_at_all(content):
    import_once(content, "draft.md")
