"""A draft's text never drives the terminal (issue 9): `coach library` and `coach check`
print control characters as visible escapes, and JSON output keeps them as JSON escapes."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.cli import main
from coach.cli.terminal import safe_json, visible, visible_lines
from coach.library import DraftStore

HOSTILE = ("\x1b]0;pwned\x07", "\x1b]52;c;ZWNobyBwd25lZA==\x07", "\x1b[2J", "\x9b2J",
           "\x9d0;title\x9c", "\u202egnp.exe", "\r", "\x00", "\x7f", "\x08")
# What must never reach a terminal raw: C0 but tab and line feed, DEL, C1, bidi controls.
OBEYED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
TEXT = "Hello " + " ".join(HOSTILE) + "\nsecond line\r\nthird"


def unescape(shown: str) -> str:
    """Reads the escapes back: proof that the shown form is unambiguous."""
    return re.sub(r"\\(\\|x[0-9a-f]{2}|u[0-9a-f]{4})",
                  lambda m: "\\" if m.group(1) == "\\" else chr(int(m.group(1)[1:], 16)),
                  shown)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from("\\xu0a1b\x1b\x9b\u202e\r\n\t é😀"), max_size=12)
       | st.text(max_size=12))
def test_the_shown_form_is_unambiguous_and_obeys_nothing(text):
    for shown in (visible(text), visible_lines(text)):
        assert not OBEYED.search(shown.replace("\r\n", "\n"))
        assert unescape(shown) == text
    assert "\n" not in visible(text) and "\t" not in visible(text)


def test_ordinary_text_is_shown_as_it_is():
    for text in ("¯\\_(ツ)_/¯", "C:\\Temp", "Café 😀 👍🏽 🇮🇩", "tab\there", "שלום"):
        assert visible_lines(text) == text
    assert visible("a\\xb") == "a\\\\xb" and visible("\x1b[2J") == "\\x1b[2J"
    assert visible_lines("a\r\nb\rc") == "a\r\nb\\x0dc"


def test_safe_json_is_the_same_value():
    data = {"t": TEXT + "\ud800"}
    text = safe_json(json.dumps(data, ensure_ascii=False))
    assert not OBEYED.search(text) and json.loads(text) == data


@pytest.fixture
def library(tmp_path):
    path = tmp_path / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        first = store.add(TEXT, title="Title " + HOSTILE[0] + HOSTILE[3], kind="reply",
                          client="Client " + HOSTILE[5], tags=["tag" + HOSTILE[1]],
                          comment="Comment " + HOSTILE[2],
                          scores={"overall": 50, "x" + HOSTILE[0]: 1})
        store.update(first, text=TEXT + " edited " + HOSTILE[4])
        store.autosave(first, "Unsaved " + HOSTILE[0] + HOSTILE[3])
    with sqlite3.connect(path) as conn:  # left by an editor that is gone: offered back
        conn.execute("UPDATE autosaves SET owner = 'a process that crashed'")
    conn.close()
    return path


COMMANDS = [["list"], ["search", "Hello"], ["show", "1"], ["show", "1", "--versions"],
            ["versions", "1"], ["diff", "1", "1"], ["diff", "1", "1", "--words"],
            ["recover"], ["list", "--client", "Client " + HOSTILE[5]]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_library_text_output_obeys_nothing(library, capsys, command):
    assert main(["library", "--library", str(library), *command]) == 0
    out = capsys.readouterr().out
    assert "Hello" in out or "Title" in out or "Unsaved" in out
    assert not OBEYED.search(out.replace("\r\n", "\n")), repr(out)


@pytest.mark.parametrize("command", [["list"], ["show", "1", "--versions"], ["versions", "1"],
                                     ["recover"]])
def test_library_json_output_keeps_every_character(library, capsys, command):
    assert main(["library", "--library", str(library), *command, "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert not OBEYED.search(out)
    assert HOSTILE[0] in strings(json.loads(out))


def strings(value) -> str:
    if isinstance(value, dict):
        return "".join(strings(k) + strings(v) for k, v in value.items())
    if isinstance(value, list):
        return "".join(strings(v) for v in value)
    return value if isinstance(value, str) else ""


def test_show_prints_the_text_whole_with_its_lines(library, capsys):
    main(["library", "--library", str(library), "show", "1"])
    out = capsys.readouterr().out
    assert "\\x1b]0;pwned\\x07" in out and "\\x9b2J" in out and "\\u202egnp.exe" in out
    assert "\nsecond line\r\nthird" in out  # line breaks are the text's own


def test_add_prints_the_title_escaped(tmp_path, capsys):
    post = tmp_path / "post.txt"
    post.write_text("\x1b]0;pwned\x07 title line\nbody")
    code = main(["library", "--library", str(tmp_path / "l.sqlite"), "add", str(post),
                 "--no-score"])
    assert code == 0
    out = capsys.readouterr().out
    assert "\\x1b]0;pwned\\x07" in out and not OBEYED.search(out)


def test_check_text_output_obeys_nothing(tmp_path, capsys):
    post = tmp_path / "post\x1b[2J.txt"
    post.write_text("BUY\x1b]0;pwned\x07NOW!!! CHEAP\x9b2J DEALS \u202eHELLO THERE FRIENDS")
    main(["check", str(post)])
    out = capsys.readouterr().out
    assert "post\\x1b[2J.txt" in out and "\\x9b2J" in out
    assert not OBEYED.search(out), repr(out)


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_check_json_output_keeps_every_character_as_an_escape(tmp_path, capsys, fmt):
    text = "BUY NOW \x9b2J CHEAP \u202eDEALS!!! \x1b]0;pwned\x07 Tell us more?"
    post = tmp_path / "post.txt"
    post.write_text(text)
    main(["check", "--format", fmt, str(post)])
    out = capsys.readouterr().out
    assert not OBEYED.search(out), repr(out)
    [result] = json.loads(out) if fmt == "json" else [json.loads(out)]
    quoted = "".join(f["message"] + (f["suggestion"] or "") for f in result["findings"])
    assert "\u202e" in quoted or "\x9b" in quoted  # the same value, escaped only on the way


def test_check_says_an_empty_post_has_nothing_to_check_with_its_name_shown(tmp_path, capsys):
    post = tmp_path / "empty\x1b]0;pwned\x07.txt"
    post.write_text("  \n")
    main(["check", str(post)])
    out = capsys.readouterr().out
    assert "empty\\x1b]0;pwned\\x07.txt: the post is empty" in out
    assert not OBEYED.search(out), repr(out)
