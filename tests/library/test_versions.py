"""Versions: every new text is kept with its scores, versions compare readably, and an old
one can come back without losing the newer ones."""

from __future__ import annotations

import random

import pytest

from coach.library import ConflictError, LibraryError, word_changes


def test_every_new_text_keeps_a_version(store):
    draft_id = store.add("one", scores={"overall": 10})
    store.update(draft_id, text="two", scores={"overall": 20})
    store.update(draft_id, status="approved", client="Acme")  # not a text change
    store.update(draft_id, text="two")  # the same text
    store.update(draft_id, text="three")
    versions = store.versions(draft_id)
    assert [(v.number, v.text) for v in versions] == [(1, "one"), (2, "two"), (3, "three")]
    assert [v.score for v in versions] == [10, 20, None]
    assert versions[0].note == "created"
    assert versions[-1].text == store.get(draft_id).text
    assert versions[0].saved < versions[1].saved < versions[2].saved


def test_versions_of_a_missing_draft(store):
    with pytest.raises(LibraryError):
        store.versions(7)
    draft_id = store.add("x")
    with pytest.raises(LibraryError, match="no version 5"):
        store.version(draft_id, 5)


def test_diff_is_a_readable_unified_diff(store):
    draft_id = store.add("Line one\nLine two\nLine three")
    store.update(draft_id, text="Line one\nLine 2\nLine three\nLine four")
    text = store.diff(draft_id, 1, 2)
    lines = text.splitlines()
    assert lines[0].startswith(f"--- #{draft_id} version 1 (")
    assert lines[1].startswith(f"+++ #{draft_id} version 2 (")
    assert "-Line two" in lines and "+Line 2" in lines and "+Line four" in lines
    assert " Line one" in lines
    assert store.diff(draft_id, 1) == text  # the default is the current text
    assert store.diff(draft_id, 2, 2) == ""


def test_word_diff_rebuilds_both_texts(store):
    old = "Which launch surprised you most this year? Tell us 👇"
    new = "Which launch surprised you this year, and why? Tell us 👇"
    draft_id = store.add(old)
    store.update(draft_id, text=new)
    pieces = store.word_diff(draft_id, 1)
    assert "".join(t for op, t in pieces if op != "insert") == old
    assert "".join(t for op, t in pieces if op != "delete") == new
    assert ("delete", "most") in pieces or any(op == "delete" and "most" in t for op, t in pieces)


@pytest.mark.parametrize("case", ["repeated", "random", "lines"])
def test_word_changes_of_long_texts_stay_correct_and_bounded(case):
    rng = random.Random(4)
    vocab = [f"w{i}" for i in range(300)]
    if case == "repeated":
        old = "word " * 20_000
        new = old.replace("word", "bird", 3)
    elif case == "random":  # the quadratic worst case of a plain word diff
        old = " ".join(rng.choice(vocab) for _ in range(20_000))
        new = " ".join(rng.choice(vocab) for _ in range(20_000))
    else:
        old = "\n".join(" ".join(rng.choice(vocab) for _ in range(8)) for _ in range(3000))
        new = old.replace("w1 ", "w2 ", 40)
    pieces = word_changes(old, new)
    assert "".join(t for op, t in pieces if op != "insert") == old
    assert "".join(t for op, t in pieces if op != "delete") == new
    if case == "lines":  # a few changed lines, not the whole text
        assert sum(len(t) for op, t in pieces if op == "delete") < len(old) / 10


def test_restore_version_keeps_everything(store):
    draft_id = store.add("first", scores={"overall": 50})
    store.update(draft_id, text="second")
    restored = store.restore_version(draft_id, 1)
    assert restored.text == "first" and restored.score == 50
    versions = store.versions(draft_id)
    assert [v.text for v in versions] == ["first", "second", "first"]
    assert versions[-1].note == "restored version 1"


def test_restore_version_respects_the_revision(store):
    draft_id = store.add("first")
    seen = store.update(draft_id, text="second")
    store.update(draft_id, text="third by someone else")
    with pytest.raises(ConflictError):
        store.restore_version(draft_id, 1, expected_revision=seen.revision)
    assert store.get(draft_id).text == "third by someone else"


def test_title_follows_the_restored_text(store):
    draft_id = store.add("Old first line\nbody")
    store.update(draft_id, text="New first line\nbody")
    assert store.restore_version(draft_id, 1).title == "Old first line"
