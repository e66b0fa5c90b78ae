"""coach check: formats, exit statuses, unreadable inputs, --lines, packs and settings."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from coach.cli import main


def run(argv, stdin: bytes = b"", monkeypatch=None, capsys=None):
    if monkeypatch is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def draft(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text("We did it!!! Thanks to everyone.\n", encoding="utf-8")
    return path


def test_text_format_names_file_line_column_rule(draft, capsys):
    status, out, _ = run(["check", str(draft)], capsys=capsys)
    assert status == 0  # default --fail-on error; exclamations are a suggestion
    assert f"{draft}:1:10: suggestion tone.exclamations:" in out
    assert "conversation score" in out and "(detected)" in out


def test_json_object_fields_and_offsets(draft, capsys):
    status, out, _ = run(["check", "--format", "json", "--lang", "en", str(draft)],
                         capsys=capsys)
    data = json.loads(out)
    assert isinstance(data, list) and len(data) == 1
    post = data[0]
    assert post["path"] == str(draft) and post["line"] is None
    assert post["language"] == "en" and post["language_source"] == "given"
    assert set(post["scores"]) == {"overall", "dialogue", "tone", "readability", "platform"}
    text = draft.read_text(encoding="utf-8")
    for f in post["findings"]:
        assert set(f) == {"rule", "severity", "start", "end", "line", "column", "match",
                          "message", "suggestion", "fix"}
        assert text[f["start"]:f["end"]] == f["match"]
    bang = next(f for f in post["findings"] if f["rule"] == "tone.exclamations")
    assert (bang["line"], bang["column"], bang["match"], bang["fix"]) == (1, 10, "!!!", "!")


def test_lines_makes_one_post_per_non_empty_line(tmp_path, capsys):
    path = tmp_path / "batch.txt"
    path.write_text("First post!!\n\n   \nSecond 😀 post!!\r\n", encoding="utf-8")
    status, out, _ = run(["check", "--lines", "--format", "jsonl", str(path)], capsys=capsys)
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["line"] for r in rows] == [1, 4]
    second = rows[1]
    bang = next(f for f in second["findings"] if f["rule"] == "tone.exclamations")
    # Offsets are code points into the line as read: the emoji is one code point.
    assert (bang["start"], bang["end"], bang["line"], bang["column"]) == (13, 15, 4, 14)


def test_stdin_and_dash(monkeypatch, capsys):
    status, out, _ = run(["check", "--format", "json", "-"], stdin=b"Hello!!",
                         monkeypatch=monkeypatch, capsys=capsys)
    assert json.loads(out)[0]["path"] == "<stdin>"


@pytest.mark.parametrize(("fail_on", "expected"), [("error", 0), ("warning", 0),
                                                    ("suggestion", 1), ("never", 0)])
def test_fail_on_thresholds(draft, capsys, fail_on, expected):
    status, _, _ = run(["check", "--fail-on", fail_on, "--disable", "question.none",
                        "--disable", "audience.no_invitation", str(draft)], capsys=capsys)
    assert status == expected


def test_unreadable_inputs_exit_2_and_others_still_checked(tmp_path, draft, capsys):
    binary = tmp_path / "latin1.txt"
    binary.write_bytes("caf\xe9 !!".encode("latin-1"))
    status, out, err = run(["check", "--format", "jsonl", str(tmp_path / "missing.txt"),
                            str(binary), str(tmp_path), str(draft)], capsys=capsys)
    assert status == 2
    lines = err.strip().splitlines()
    assert len(lines) == 3
    assert "missing.txt: no such file" in lines[0]
    assert "latin1.txt: not UTF-8 text (line 1" in lines[1]
    assert "is a folder" in lines[2]
    assert json.loads(out.strip())["path"] == str(draft)


def test_disable_switches_a_rule_off(draft, capsys):
    _, out, _ = run(["check", "--format", "json", "--disable", "tone.exclamations", str(draft)],
                    capsys=capsys)
    assert all(f["rule"] != "tone.exclamations" for f in json.loads(out)[0]["findings"])


@pytest.mark.parametrize("argv", [
    ["check", "--disable", "no.such.rule", "-"],
    ["check", "--set", "tone.exclamations.nope=3", "-"],
    ["check", "--set", "garbage", "-"],
])
def test_bad_settings_are_usage_errors(argv, monkeypatch, capsys):
    status, _, err = run(argv, stdin=b"hi", monkeypatch=monkeypatch, capsys=capsys)
    assert status == 2 and err.startswith("coach check: ") and len(err.splitlines()) == 1


def test_set_changes_a_threshold(tmp_path, capsys):
    path = tmp_path / "p.txt"
    path.write_text("One! Two! Three!", encoding="utf-8")
    _, out, _ = run(["check", "--format", "json", str(path)], capsys=capsys)
    assert any(f["rule"] == "tone.exclamations" for f in json.loads(out)[0]["findings"])
    _, out, _ = run(["check", "--format", "json", "--set", "tone.exclamations.max_per_post=3",
                     str(path)], capsys=capsys)
    assert not any(f["rule"] == "tone.exclamations" for f in json.loads(out)[0]["findings"])


def test_malformed_pack_is_a_clear_usage_error(tmp_path, monkeypatch, capsys):
    pack = tmp_path / "pack.toml"
    pack.write_text('[pack]\nname = "x"\n\n[[avoid]]\nphrase = "cheap"\nreplacment = "y"\n',
                    encoding="utf-8")
    status, _, err = run(["check", "--pack", str(pack), "-"], stdin=b"cheap",
                         monkeypatch=monkeypatch, capsys=capsys)
    assert status == 2
    assert f"{pack}:6:" in err and "replacment" in err


def test_list_rules(capsys):
    status, out, _ = run(["check", "--list-rules"], capsys=capsys)
    assert status == 0 and "tone.exclamations" in out


def test_version_and_entry_point():
    result = subprocess.run([sys.executable, "-m", "coach", "--version"],
                            capture_output=True, text=True, check=True)
    assert result.stdout.startswith("Post Coach ")
