"""An empty draft (nothing a reader can see) has no score: not 100 "strong".

Every consumer of the scores says so honestly: the engine's report, ``coach check`` (text
and JSON), the library's scorer, ``coach library add``, and sorting by score.
"""

from __future__ import annotations

import json

import pytest

from coach.analysis import analyze
from coach.cli import main
from coach.library import DraftStore, engine_scorer

EMPTY = ["", " ", "\n\n", " \t\r\n ", "\u3000\u00a0",
         # invisible: zero-width space and joiner, byte order mark, bidi marks, a blank
         # Hangul filler and braille pattern (pasted to fake an empty post)
         "\u200b", "\u200d\ufeff \u200e\u202e", "\u3164\u2800\n\x00"]


@pytest.mark.parametrize("text", EMPTY)
def test_an_empty_draft_has_no_scores(text):
    assert analyze(text).scores is None
    assert analyze(text, platform="x", kind="reply", comment="Why?").scores is None


@pytest.mark.parametrize("text", [".", "\u200b😀", "\u0301", "\ue000", "ـ"])
def test_a_draft_with_one_visible_character_is_scored(text):
    assert analyze(text).scores is not None


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_check_gives_null_scores_for_an_empty_post(tmp_path, capsys, fmt):
    path = tmp_path / "empty.txt"
    path.write_text("  \n", encoding="utf-8")
    status = main(["check", "--format", fmt, str(path)])
    out = capsys.readouterr().out
    data = json.loads(out)
    post = data[0] if fmt == "json" else data
    assert status == 0
    assert post["scores"] is None and post["findings"] == []


def test_check_text_says_there_was_nothing_to_check(tmp_path, capsys):
    path = tmp_path / "empty.txt"
    path.write_text("", encoding="utf-8")
    status = main(["check", str(path)])
    out = capsys.readouterr().out
    assert status == 0
    assert out == f"{path}: the post is empty, so there is nothing to check.\n"
    assert "100" not in out and "strong" not in out


def test_the_library_scorer_gives_an_empty_draft_no_scores(tmp_path):
    assert engine_scorer("   ", {}) is None
    with DraftStore(tmp_path / "lib.sqlite", scorer=engine_scorer, auto_backup=False) as store:
        empty = store.add("  ")
        good = store.add("Which launch surprised you most this year?")
        weak = store.add("BUY NOW!!! BIG SALE!!! CHEAP!!!")
        assert store.get(empty).score is None
        assert store.get(empty).scores is None
        # An empty draft sorts as having no score (last either way), never as 100.
        assert [d.id for d in store.search(sort="-score")] == [good, weak, empty]
        assert [d.id for d in store.search(sort="score")] == [weak, good, empty]
        store.update(good, text="")
        assert store.get(good).score is None


def test_library_add_stores_no_scores_for_an_empty_file(tmp_path, capsys):
    path = tmp_path / "empty.txt"
    path.write_text("\n", encoding="utf-8")
    library = tmp_path / "lib.sqlite"
    assert main(["library", "--library", str(library), "add", str(path)]) == 0
    capsys.readouterr()
    with DraftStore(library, auto_backup=False) as store:
        (draft,) = store.search()
        assert draft.scores is None and draft.score is None
