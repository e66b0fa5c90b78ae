"""``coach library``: every command through main(argv), and one real process for stdin."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import coach.analysis
import coach.cli.check  # noqa: F401 - imported before any test swaps the engine
from coach.cli import main
from coach.library import DraftStore


@pytest.fixture
def lib(tmp_path, monkeypatch):
    path = tmp_path / "library.sqlite"
    monkeypatch.setenv("COACH_LIBRARY", str(path))
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["library", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def add(capsys, tmp_path, text: str, *options: str) -> int:
    post = tmp_path / "post.txt"
    post.write_text(text + "\n", encoding="utf-8")
    code, out, err = run(capsys, "add", str(post), "--format", "json", *options)
    assert code == 0, err
    return json.loads(out)["id"]


class FakeReport:
    language = "en"

    class scores:  # noqa: N801 - stands in for coach.analysis.Scores
        @staticmethod
        def to_dict():
            return {"overall": 64, "dialogue": 70}


@pytest.fixture
def engine(monkeypatch):
    """The coaching engine, replaced by a stand-in: these tests are about the library."""
    calls = []

    def analyze(text, **kw):
        calls.append((text, kw))
        return FakeReport()

    monkeypatch.setattr(coach.analysis, "analyze", analyze)
    return calls


def test_add_from_a_file_with_fields(capsys, tmp_path, lib, engine):
    draft_id = add(capsys, tmp_path, "Which launch surprised you most?", "--title", "Launch",
                   "--client", "Acme", "--platform", "linkedin", "--tags", "launch, q3",
                   "--status", "in review", "--planned", "2026-05-01", "--language", "en")
    with DraftStore(lib, auto_backup=False) as store:
        d = store.get(draft_id)
    assert d.text == "Which launch surprised you most?"  # the file's final newline is dropped
    assert (d.title, d.client, d.platform, d.tags, d.status) == (
        "Launch", "Acme", "linkedin", ("launch", "q3"), "in_review")
    assert d.planned.isoformat() == "2026-05-01" and d.language_pinned
    assert dict(d.scores) == {"overall": 64, "dialogue": 70}  # scored by the engine
    assert engine[0][1]["language"] == "en" and engine[0][1]["platform"] == "linkedin"


def test_add_detects_the_language_and_survives_a_failing_engine(capsys, tmp_path, lib,
                                                                 engine, monkeypatch):
    draft_id = add(capsys, tmp_path, "Hello there")
    with DraftStore(lib, auto_backup=False) as store:
        d = store.get(draft_id)
    assert d.language == "en" and not d.language_pinned  # detected, not chosen

    def broken(text, **kw):
        raise RuntimeError("engine under construction")

    monkeypatch.setattr(coach.analysis, "analyze", broken)
    post = tmp_path / "post.txt"
    post.write_text("Still saved")
    code, out, err = run(capsys, "add", str(post))
    assert code == 0 and out.startswith("added draft #2")
    assert "warning: no scores" in err


def test_add_from_standard_input_in_a_real_process(tmp_path, lib):
    proc = subprocess.run([sys.executable, "-m", "coach", "library", "add", "-", "--client",
                           "Acme", "--no-score"], input="Ein Entwurf über Kaffee ☕\n",
                          capture_output=True, text=True, encoding="utf-8", timeout=60,
                          env={**os.environ, "COACH_LIBRARY": str(lib)})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("added draft #1: Ein Entwurf")
    with DraftStore(lib, auto_backup=False) as store:
        d = store.get(1)
    assert d.text == "Ein Entwurf über Kaffee ☕" and d.scores is None


def test_list_search_and_show(capsys, tmp_path, lib):
    first = add(capsys, tmp_path, "Start a conversation about coffee", "--client", "Acme")
    second = add(capsys, tmp_path, "Café talk on Friday", "--client", "Beta", "--status",
                 "approved")
    code, out, _ = run(capsys, "list")
    assert code == 0 and out.splitlines()[0].split()[:3] == ["ID", "STATUS", "UPDATED"]
    assert out.index("Café talk") < out.index("Start a conversation")  # newest first
    code, out, _ = run(capsys, "list", "--format", "json", "--status", "approved")
    assert [d["id"] for d in json.loads(out)] == [second]
    code, out, _ = run(capsys, "search", "conv", "--format", "json")
    assert [d["id"] for d in json.loads(out)] == [first]
    code, out, _ = run(capsys, "search", "cafe", "--client", "Beta", "--format", "json")
    assert [d["id"] for d in json.loads(out)] == [second]
    code, out, _ = run(capsys, "list", "--sort", "title", "--limit", "1", "--format", "json")
    assert [d["id"] for d in json.loads(out)] == [second]
    code, out, _ = run(capsys, "show", str(first))
    assert "client:      Acme" in out and out.rstrip().endswith("Start a conversation about coffee")
    code, out, _ = run(capsys, "show", str(first), "--versions", "--format", "json")
    assert json.loads(out)["versions"][0]["number"] == 1
    code, out, _ = run(capsys, "search", "nothing-matches")
    assert out == "no drafts\n"


def test_edit_versions_diff_and_revert(capsys, tmp_path, lib):
    draft_id = add(capsys, tmp_path, "Old text here")
    new = tmp_path / "new.txt"
    new.write_text("New text here\n")
    code, out, err = run(capsys, "edit", str(draft_id), str(new), "--status", "approved",
                         "--no-score")
    assert code == 0 and "revision 2" in out, err
    code, out, _ = run(capsys, "versions", str(draft_id), "--format", "json")
    assert [v["text"] for v in json.loads(out)] == ["Old text here", "New text here"]
    code, out, _ = run(capsys, "diff", str(draft_id), "1")
    assert "-Old text here" in out and "+New text here" in out
    code, out, _ = run(capsys, "diff", str(draft_id), "1", "2", "--words")
    assert out == "[-Old-]{+New+} text here\n"
    code, out, _ = run(capsys, "revert", str(draft_id), "1")
    assert code == 0
    with DraftStore(lib, auto_backup=False) as store:
        assert store.get(draft_id).text == "Old text here"
        assert len(store.versions(draft_id)) == 3
    code, _, err = run(capsys, "edit", str(draft_id), "--status", "published",
                       "--expect-revision", "1")
    assert code == 2 and "changed elsewhere" in err
    code, _, err = run(capsys, "edit", str(draft_id))
    assert code == 2 and "nothing to change" in err


def test_trash_untrash_duplicate_and_empty(capsys, tmp_path, lib):
    draft_id = add(capsys, tmp_path, "To be trashed")
    code, out, _ = run(capsys, "duplicate", str(draft_id))
    assert code == 0 and "to #2" in out
    assert run(capsys, "trash", str(draft_id))[0] == 0
    code, out, _ = run(capsys, "list", "--trash", "--format", "json")
    assert [d["id"] for d in json.loads(out)] == [draft_id]
    assert run(capsys, "untrash", str(draft_id))[0] == 0
    run(capsys, "trash", str(draft_id))
    code, out, _ = run(capsys, "empty-trash")
    assert "deleted 1" in out
    code, _, err = run(capsys, "show", str(draft_id))
    assert code == 2 and err == f"coach library: no draft #{draft_id} in the library\n"


def test_export_and_import(capsys, tmp_path, lib):
    add(capsys, tmp_path, "One", "--client", "Acme")
    add(capsys, tmp_path, "Two", "--client", "Beta")
    bundle = tmp_path / "out.json"
    code, _, err = run(capsys, "export", str(bundle), "--client", "Acme")
    assert code == 0 and "exported 1" in err
    code, out, _ = run(capsys, "export", "-", "--format", "csv")
    assert out.splitlines()[0].startswith("id,title,text") and len(out.splitlines()) == 3
    code, out, _ = run(capsys, "export", "-")
    assert len(json.loads(out)["drafts"]) == 2
    other = tmp_path / "other.sqlite"
    code, out, _ = run(capsys, "--library", str(other), "import", str(bundle), "--dry-run")
    assert "1 draft(s) can be imported" in out and not other.exists()
    code, out, _ = run(capsys, "import", str(bundle), "--library", str(other))
    assert code == 0 and out == "imported 1 draft(s)\n"
    code, out, _ = run(capsys, "import", str(bundle), "--library", str(other))
    assert "1 already there" in out
    folder = tmp_path / "md"
    assert run(capsys, "export", str(folder))[0] == 0
    assert len(list(folder.glob("*.md"))) == 2


def test_unreadable_input_exits_2_with_one_line(capsys, tmp_path, lib):
    for argv in (["add", str(tmp_path / "missing.txt")], ["add", str(tmp_path)],
                 ["import", str(tmp_path / "missing.json")]):
        code, out, err = run(capsys, *argv)
        assert code == 2 and err.count("\n") == 1 and err.startswith("coach library: ")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    code, _, err = run(capsys, "add", str(binary))
    assert code == 2 and "not UTF-8" in err
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "post-coach-library", "version": 1, "drafts": [{"text": 1}]}')
    code, _, err = run(capsys, "import", str(bad))
    assert code == 2 and "drafts[0].text" in err and "nothing was imported" in err


def test_missing_library_is_explained(capsys, lib):
    code, _, err = run(capsys, "list")
    assert code == 2 and "no library" in err and not lib.exists()


def test_backup_restore_recover_info_check(capsys, tmp_path, lib):
    draft_id = add(capsys, tmp_path, "Keep me safe")
    code, out, _ = run(capsys, "backup", "--format", "json")
    backup = json.loads(out)["path"]
    code, out, _ = run(capsys, "backup", "--list")
    assert backup in out
    add(capsys, tmp_path, "Added after the backup")
    code, out, _ = run(capsys, "restore", "--newest")
    assert code == 0 and "kept as" in out
    code, out, _ = run(capsys, "list", "--format", "json")
    assert [d["id"] for d in json.loads(out)] == [draft_id]
    # An editor that autosaved and then died (its process is gone).
    code = ("import sys; from coach.library import DraftStore; "
            "DraftStore(sys.argv[1], auto_backup=False).autosave(1, 'Keep me safe, typed more')")
    subprocess.run([sys.executable, "-c", code, str(lib)], check=True, timeout=60)
    proc = subprocess.run([sys.executable, "-m", "coach", "library", "recover", "--format",
                           "json"], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "COACH_LIBRARY": str(lib)})
    assert proc.returncode == 0, proc.stderr
    assert [a["text"] for a in json.loads(proc.stdout)] == ["Keep me safe, typed more"]
    code, out, _ = run(capsys, "recover", "--save", "1")
    assert code == 0 and f"#{draft_id}" in out
    code, out, _ = run(capsys, "info", "--format", "json")
    info = json.loads(out)
    assert info["drafts"] == 1 and info["versions"] == 2 and info["backups"]
    code, out, _ = run(capsys, "info")
    assert out.startswith("library:")
    code, out, _ = run(capsys, "check")
    assert code == 0 and "no damage" in out
    code, _, err = run(capsys, "restore")
    assert code == 2 and "--newest" in err


def test_help_and_no_command(capsys):
    assert main(["library"]) == 2
    assert "COMMAND" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["library", "add", "--help"])
    assert info.value.code == 0
    assert "--planned" in capsys.readouterr().out


def test_a_comment_makes_the_draft_a_reply_and_cannot_go_with_a_post(capsys, tmp_path, lib):
    draft = add(capsys, tmp_path, "Sorry about the wait: DM us your order number?", "--no-score",
                "--comment", "Where is my order?!")
    with DraftStore(lib) as store:
        assert store.get(draft).kind == "reply"
    other = add(capsys, tmp_path, "Our summer menu is here.", "--no-score")
    code, _, _ = run(capsys, "edit", str(other), "--comment", "Is it vegan?", "--no-score")
    assert code == 0
    post = tmp_path / "post.txt"
    code, out, err = run(capsys, "add", str(post), "--kind", "post", "--comment", "Hm?")
    assert code == 2 and not out
    assert err.count("\n") == 1 and "--comment" in err and "--kind post" in err
    with DraftStore(lib) as store:
        assert store.get(other).kind == "reply" and store.count() == 2
