"""Import and export: JSON keeps everything, Markdown and CSV keep what they can hold, and a
malformed or hostile file is refused with a message naming the problem, writing nothing."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

from coach.library import Cancelled, DraftStore, ImportRejected, LibraryError
from coach.library.formats import (
    markdown_document,
    parse_bundle,
    parse_csv,
    parse_markdown,
)
from coach.library.model import MAX_TEXT

FULL_FIELDS = ("title", "text", "language", "language_pinned", "platform", "kind", "comment",
               "client", "tags", "status", "planned", "created", "updated", "scores", "trashed")


@pytest.fixture
def filled(store):
    a = store.add("=SUM(A1) a formula-looking start\nand a second line", client="Acme",
                  tags=["launch", "Q3"], platform="linkedin", planned="2026-04-10",
                  scores={"overall": 61, "tone": 70}, status="approved")
    store.update(a, text="@anna, what surprised you?\n\nTell us 👇", scores={"overall": 77})
    b = store.add("¿Qué opinas del café? \"quoted\", commas, and; semicolons", kind="reply",
                  comment="Line one\nline two", language="es", language_pinned=True,
                  title="Café reply")
    c = store.add("In the trash: Müller, ß, 🇩🇪", client="Müller GmbH")
    store.trash(c)
    d = store.add("")  # an empty draft is still a draft
    return [a, b, c, d]


def entries(store: DraftStore, ids=None, versions=True) -> list[dict]:
    if ids is None:
        ids = store.search_ids(sort="id", trashed=None)
    return list(store.export_entries(ids, versions=versions))


def comparable(entry: dict, keys=FULL_FIELDS + ("id",)) -> dict:
    return {k: entry.get(k) for k in keys}


def test_json_round_trip_keeps_everything(store, filled, tmp_path):
    target = tmp_path / "drafts.json"
    assert store.export_file(target, trashed=None) == 4
    with DraftStore(tmp_path / "other.sqlite", auto_backup=False) as other:
        result = other.import_file(target)
        assert len(result.added) == 4 and result.versions == 5
        theirs = entries(other)
        mine = entries(store)
        assert [comparable(e, (*FULL_FIELDS, "id", "versions")) for e in theirs] == \
            [comparable(e, (*FULL_FIELDS, "id", "versions")) for e in mine]
        again = tmp_path / "again.json"
        other.export_file(again, trashed=None)
    first = json.loads(target.read_text())["drafts"]
    second = json.loads(again.read_text())["drafts"]
    assert first == second


def test_bundle_format_header(store, filled, tmp_path):
    target = tmp_path / "drafts.json"
    store.export_file(target)
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["format"] == "post-coach-library" and data["version"] == 1
    assert len(data["drafts"]) == 3  # the trash stays out unless asked for
    assert not target.read_bytes().startswith(b"\xef\xbb\xbf")


def test_the_documented_minimal_and_full_shapes_import(store):
    bundle = {"format": "post-coach-library", "version": 1, "drafts": [
        {"text": "only text"},
        {"text": "all of it", "title": "Full", "client": "Acme", "platform": "x",
         "language": "en", "kind": "reply", "tags": ["a", "b"], "status": "in review",
         "planned": "2026-06-01", "created": "2026-01-01T10:00:00Z",
         "updated": "2026-01-02T11:00:00+02:00",
         "versions": [{"text": "older", "saved": "2026-01-01T10:00:00Z"},
                      {"text": "all of it", "saved": "2026-01-02T09:00:00Z"}]},
    ]}
    records = parse_bundle(json.dumps(bundle))
    result = store.import_drafts(records)
    only, full = (store.get(i) for i in result.added)
    assert only.text == "only text" and only.title == "only text" and only.status == "draft"
    assert (full.title, full.client, full.kind, full.status, full.tags) == (
        "Full", "Acme", "reply", "in_review", ("a", "b"))
    assert full.created.isoformat() == "2026-01-01T10:00:00+00:00"
    assert full.updated.isoformat() == "2026-01-02T09:00:00+00:00"
    assert [v.text for v in store.versions(full.id)] == ["older", "all of it"]
    assert len(store.versions(only.id)) == 1


def test_markdown_round_trip_keeps_all_but_versions(store, filled, tmp_path):
    folder = tmp_path / "md"
    assert store.export_file(folder, format="markdown", trashed=None) == 4
    files = sorted(folder.glob("*.md"))
    assert len(files) == 4
    with DraftStore(tmp_path / "other.sqlite", auto_backup=False) as other:
        other.import_file(folder)
        theirs = {e["id"]: comparable(e) for e in entries(other, versions=False)}
    mine = {e["id"]: comparable(e) for e in entries(store, versions=False)}
    assert theirs == mine


def test_markdown_written_by_hand(tmp_path, store):
    (tmp_path / "a.md").write_text(
        "---\ntitle: Launch post\nclient: 'O''Brien & Co'\ntags: [launch, q3]\n"
        "status: in review\nplanned: 2026-05-01\n# a comment line\n---\n"
        "Which launch surprised you?\n")
    (tmp_path / "b.md").write_text("No front matter at all.\n\nJust text.")
    result = store.import_file(tmp_path / "a.md", tmp_path / "b.md")
    a, b = (store.get(i) for i in result.added)
    assert (a.title, a.client, a.tags, a.status, a.text) == (
        "Launch post", "O'Brien & Co", ("launch", "q3"), "in_review",
        "Which launch surprised you?")
    assert a.planned.isoformat() == "2026-05-01"
    assert b.text == "No front matter at all.\n\nJust text."
    assert b.title == "No front matter at all."


def test_markdown_keeps_text_exactly():
    for text in ["", "ends with newline\n", "---\nlooks like front matter\n---\n", "  spaces  ",
                 "\n\nleading blank lines", "crlf\r\nline"]:
        entry = {"id": "x1", "text": text, "title": "t"}
        record = parse_markdown(markdown_document(entry), "t.md")
        assert record.fields["text"] == text


def test_csv_round_trip_keeps_all_but_versions(store, filled, tmp_path):
    target = tmp_path / "drafts.csv"
    store.export_file(target, trashed=None)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # spreadsheet programs then read UTF-8 right
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert not any(cell[:1] in ("=", "+", "-", "@") for cell in cells)  # no live formulas
    with DraftStore(tmp_path / "other.sqlite", auto_backup=False) as other:
        other.import_file(target)
        theirs = {e["id"]: comparable(e) for e in entries(other, versions=False)}
    mine = {e["id"]: comparable(e) for e in entries(store, versions=False)}
    assert theirs == mine


def test_csv_from_a_spreadsheet(store):
    content = "Text,Client,Tags,Status,Planned\r\n" \
              "First post,Acme,\"a, b\",approved,2026-03-01\r\n" \
              "'=1+1 is not a formula,,,,\r\n\r\n" \
              "\"Multi\nline\",,,,\r\n"
    records = parse_csv(content, "sheet.csv")
    ids = store.import_drafts(records).added
    first, formula, multi = (store.get(i) for i in ids)
    assert (first.client, first.tags, first.status) == ("Acme", ("a", "b"), "approved")
    assert formula.text == "=1+1 is not a formula"
    assert multi.text == "Multi\nline"


def test_importing_the_same_file_twice_adds_nothing(store, filled, tmp_path):
    target = tmp_path / "drafts.json"
    store.export_file(target)
    result = store.import_file(target)
    assert result.added == () and result.skipped == 3
    store.update(filled[0], text="changed since the export")
    result = store.import_file(target)  # same id, different text: kept as a copy
    assert len(result.added) == 1 and result.copied == 1
    assert store.import_file(target, on_existing="skip").added == ()
    assert len(store.import_file(target, on_existing="copy").added) == 3


def test_import_is_one_transaction_with_progress(store, tmp_path):
    drafts = [{"text": f"draft {i}", "tags": ["bulk"]} for i in range(1200)]
    target = tmp_path / "bulk.json"
    target.write_text(json.dumps({"format": "post-coach-library", "version": 1,
                                  "drafts": drafts}))
    conn = sqlite3.connect(store.path)
    schema_before = conn.execute("SELECT sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
                                 "ORDER BY name").fetchall()
    seen = []
    store.import_file(target, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (1200, 1200) and all(t == 1200 for _, t in seen)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert store.count("draft", tag="bulk") == 1200  # the bulk index found them all
    assert conn.execute("SELECT sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
                                 "ORDER BY name").fetchall() == \
        schema_before
    assert store.check() == []
    conn.close()


def test_cancelling_an_import_writes_nothing(store, tmp_path):
    drafts = [{"text": f"draft {i}"} for i in range(1500)]
    target = tmp_path / "bulk.json"
    target.write_text(json.dumps({"format": "post-coach-library", "version": 1,
                                  "drafts": drafts}))
    with pytest.raises(Cancelled):
        store.import_file(target, progress=lambda done, total: done < 1000)
    assert store.count() == 0 and store.search("draft") == []
    store.add("still works")


def test_a_failed_export_keeps_the_previous_file(store, filled, tmp_path):
    target = tmp_path / "drafts.json"
    target.write_text("the previous export")

    def stop(done, total):
        raise RuntimeError("disk unplugged")

    with pytest.raises(RuntimeError):
        store.export_file(target, progress=stop)
    assert target.read_text() == "the previous export"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []
    with pytest.raises(Cancelled):
        store.export_file(target, progress=lambda done, total: False)
    assert target.read_text() == "the previous export"


def bundle(*drafts, **top) -> str:
    return json.dumps({"format": "post-coach-library", "version": 1, "drafts": list(drafts),
                       **top})


HOSTILE = [
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00binary", "not UTF-8", id="binary"),
    pytest.param("this is not json", "not JSON", id="not-json"),
    pytest.param("[1, 2, 3]", "JSON object", id="top-level-list"),
    pytest.param('{"format": "other", "version": 1, "drafts": []}', "format", id="format"),
    pytest.param('{"format": "post-coach-library", "version": 9, "drafts": []}', "newer",
                 id="newer-version"),
    pytest.param('{"format": "post-coach-library", "version": "1", "drafts": []}', "version",
                 id="version-type"),
    pytest.param('{"format": "post-coach-library", "version": 1, "drafts": {}}', "list",
                 id="drafts-type"),
    pytest.param(bundle({"text": 5}), "drafts[0].text", id="text-type"),
    pytest.param(bundle({"title": "no text"}), "no text", id="missing-text"),
    pytest.param(bundle({"text": "a", "tags": "x" * 200}), "drafts[0].tags", id="tag-long"),
    pytest.param(bundle({"text": "a", "tags": [1, 2]}), "drafts[0].tags", id="tags-type"),
    pytest.param(bundle({"text": "x" * (MAX_TEXT + 1)}), "at most", id="huge-text"),
    pytest.param(bundle({"text": "a", "title": "t" * 10_000}), "drafts[0].title",
                 id="huge-title"),
    pytest.param(bundle({"text": "a", "planned": "2026-02-30"}), "drafts[0].planned",
                 id="bad-date"),
    pytest.param(bundle({"text": "a", "planned": 20260101}), "drafts[0].planned",
                 id="date-type"),
    pytest.param(bundle({"text": "a", "created": "yesterday"}), "drafts[0].created",
                 id="bad-time"),
    pytest.param(bundle({"text": "a", "status": "done"}), "drafts[0].status", id="status"),
    pytest.param(bundle({"text": "a", "platform": "myspace"}), "drafts[0].platform",
                 id="platform"),
    pytest.param(bundle({"text": "a", "colour": "red"}), "colour", id="unknown-key"),
    pytest.param(bundle({"text": "a", "id": "same"}, {"text": "b", "id": "same"}),
                 "duplicate id", id="duplicate-ids"),
    pytest.param(bundle({"text": "a", "id": {"x": 1}}), "drafts[0].id", id="id-type"),
    pytest.param(bundle({"text": "a", "versions": "v1"}), "versions", id="versions-type"),
    pytest.param(bundle({"text": "a", "versions": [{"text": 1}]}), "versions[0]",
                 id="version-text"),
    pytest.param(bundle({"text": "a", "versions": [{"text": "x", "saved": "never"}]}),
                 "versions[0].saved", id="version-date"),
    pytest.param(bundle({"text": "a", "scores": {"overall": "NaN"}}), None, id="nan-text"),
    pytest.param('{"format": "post-coach-library", "version": 1, "drafts": '
                 '[{"text": "a", "scores": {"overall": NaN}}]}', "NaN", id="nan"),
    pytest.param("[" * 100_000 + "]" * 100_000, "JSON", id="deep-nesting"),
    pytest.param('{"format": "post-coach-library", "version": 1' + "1" * 5000 + ', "drafts": []}',
                 "JSON", id="huge-number"),
    pytest.param(bundle("just a string"), "drafts[0]", id="entry-type"),
    pytest.param(bundle({"text": "a"}, extra=True), "extra", id="unknown-top-key"),
]


@pytest.mark.parametrize(("content", "needle"), HOSTILE)
def test_hostile_bundles_are_refused_and_write_nothing(store, tmp_path, content, needle):
    store.add("already here")
    target = tmp_path / "hostile.json"
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")
    before = store.count(trashed=None)
    if needle is None:  # acceptable input (a score given as text is kept as text)
        store.import_file(target)
        return
    with pytest.raises(ImportRejected) as info:
        store.import_file(target)
    message = str(info.value)
    assert needle in message and "nothing was imported" in message
    assert "\n" not in message and len(message) < 600
    assert store.count(trashed=None) == before


def test_one_bad_draft_among_many_writes_none(store, tmp_path):
    drafts = [{"text": f"good {i}"} for i in range(999)] + [{"text": "bad", "status": "??"}]
    target = tmp_path / "mixed.json"
    target.write_text(bundle(*drafts))
    with pytest.raises(ImportRejected, match=r"drafts\[999\]\.status"):
        store.import_file(target)
    assert store.count() == 0


def test_many_problems_are_counted(store, tmp_path):
    target = tmp_path / "bad.json"
    target.write_text(bundle(*[{"text": i} for i in range(50)]))
    with pytest.raises(ImportRejected) as info:
        store.import_file(target)
    assert "more problems" in str(info.value) and len(info.value.problems) >= 10


@pytest.mark.parametrize(("content", "needle"), [
    ("title,client\nx,y\n", "no text column"),
    ("text,colour\nx,red\n", "colour"),
    ("text,text\nx,y\n", "twice"),
    ("text,planned\nx,someday\n", "row 2"),
    ("text\nx,extra cell\n", "row 2"),
    ("", "empty"),
    ("text\n" + "x" * (MAX_TEXT + 10) + "\n", "row 2"),
    ("text,id\na,1\nb,1\n", "duplicate id"),
])
def test_hostile_csv_is_refused(store, tmp_path, content, needle):
    target = tmp_path / "sheet.csv"
    target.write_text(content, encoding="utf-8")
    with pytest.raises(ImportRejected) as info:
        store.import_file(target)
    assert needle in str(info.value)
    assert store.count() == 0


@pytest.mark.parametrize(("content", "needle"), [
    ("---\ntitle: x\nno closing line\n", "not closed"),
    ("---\ncolour: red\n---\ntext\n", "colour"),
    ("---\ntitle: a\ntitle: b\n---\ntext\n", "twice"),
    ("---\njust words\n---\ntext\n", "key: value"),
    ("---\nstatus: done\n---\ntext\n", "status"),
    ("---\ntags: [\"unclosed\n---\ntext\n", "line 2"),
])
def test_hostile_markdown_is_refused(store, tmp_path, content, needle):
    target = tmp_path / "post.md"
    target.write_text(content)
    with pytest.raises(ImportRejected) as info:
        store.import_file(target)
    assert needle in str(info.value) and "post.md" in str(info.value)
    assert store.count() == 0


def test_duplicate_ids_across_files_are_refused(store, tmp_path):
    (tmp_path / "a.md").write_text("---\nid: same\n---\none")
    (tmp_path / "b.md").write_text("---\nid: same\n---\ntwo")
    with pytest.raises(ImportRejected, match="duplicate id"):
        store.import_file(tmp_path)
    assert store.count() == 0


def test_unknown_names_and_missing_files(store, tmp_path):
    with pytest.raises(LibraryError, match="format"):
        store.import_file(tmp_path / "drafts.xlsx")
    with pytest.raises(LibraryError, match="no such file"):
        store.import_file(tmp_path / "missing.json")


def test_big_bundles_stream_one_draft_a_line(store, tmp_path):
    for i in range(30):
        store.add(f"draft {i}")
    target = tmp_path / "drafts.json"
    store.export_file(target)
    lines = target.read_text().splitlines()
    assert len(lines) == 32  # header, one line per draft, footer
    assert Path(target).stat().st_size > 0


def test_any_json_layout_reads_the_same(store, filled, tmp_path):
    """Our one-draft-a-line layout is read line by line; any other layout as a whole."""
    target = tmp_path / "drafts.json"
    store.export_file(target, trashed=None)
    raw = target.read_bytes()
    ours = parse_bundle(raw, "ours")
    pretty = json.dumps(json.loads(raw), indent=2, ensure_ascii=True).encode()
    squashed = json.dumps(json.loads(raw), separators=(",", ":")).encode()
    for other in (pretty, squashed, raw.replace(b"\n", b"\r\n"), b"\xef\xbb\xbf" + raw):
        assert [(r.uid, r.fields, r.versions) for r in parse_bundle(other, "x")] == \
            [(r.uid, r.fields, r.versions) for r in ours]


def test_a_bundle_that_only_looks_like_ours_is_read_whole(store):
    content = ('{"format": "post-coach-library", "version": 1, "drafts": [\n'
               '{"text": "one"}, {"text": "two"}\n]}\n')
    assert [r.fields["text"] for r in parse_bundle(content.encode(), "x")] == ["one", "two"]
    broken = content.replace('"two"}', '"two"')
    with pytest.raises(ImportRejected, match="not JSON"):
        parse_bundle(broken.encode(), "x")
