"""The store's basic promises: what goes in comes out, validation names the bad field,
trash and autosave work, and the file is set up the way the rest relies on."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import date, timedelta

import pytest

from coach.library import (
    FIELDS,
    SCHEMA_VERSION,
    DraftNotFound,
    DraftStore,
    InvalidDraftError,
    LibraryError,
    default_library_path,
    derive_title,
)
from coach.library.model import MAX_TEXT
from coach.library.schema import APPLICATION_ID


def test_add_and_get_keep_every_field(store):
    draft_id = store.add(
        "Which launch surprised you most?\nTell us below.", title="Launch question",
        language="en", language_pinned=True, platform="linkedin", kind="reply",
        comment="Loved the new app!", client="Acme", tags=["launch", "Q3"],
        status="approved", planned="2026-05-04", scores={"overall": 71, "tone": 80})
    d = store.get(draft_id)
    assert (d.title, d.language, d.language_pinned, d.platform, d.kind) == (
        "Launch question", "en", True, "linkedin", "reply")
    assert d.text == "Which launch surprised you most?\nTell us below."
    assert d.comment == "Loved the new app!"
    assert (d.client, d.tags, d.status, d.planned) == ("Acme", ("launch", "Q3"), "approved",
                                                       date(2026, 5, 4))
    assert dict(d.scores) == {"overall": 71, "tone": 80} and d.score == 71
    assert d.revision == 1 and d.trashed is None and d.created == d.updated
    assert d.created.tzinfo is not None
    json.dumps(d.to_dict())  # JSON-ready for the command line


def test_defaults_for_a_bare_draft(store):
    d = store.get(store.add("Hello"))
    assert (d.language, d.language_pinned, d.platform, d.kind, d.comment, d.client) == (
        None, False, None, "post", "", None)
    assert (d.tags, d.status, d.planned, d.scores) == ((), "draft", None, None)
    assert len(d.uid) >= 16


def test_title_is_derived_from_the_first_line_and_follows_it(store):
    draft_id = store.add("\n\n  What  do you think?  \nmore text")
    assert store.get(draft_id).title == "What do you think?"
    store.update(draft_id, text="A new first line\nmore")
    assert store.get(draft_id).title == "A new first line"
    store.update(draft_id, title="My own title")
    store.update(draft_id, text="Another first line")
    assert store.get(draft_id).title == "My own title"  # a chosen title stays


def test_long_first_line_title_is_cut_at_a_word():
    title = derive_title("word " * 40)
    assert title.endswith("…") and len(title) <= 81 and " wor…" not in title
    assert derive_title("") == ""
    assert derive_title("x" * 200) == "x" * 80 + "…"


@pytest.mark.parametrize(("field", "value", "needle"), [
    ("status", "done", "status"),
    ("platform", "myspace", "platform"),
    ("language", "fr", "language"),
    ("kind", "thread", "kind"),
    ("planned", "2026-02-30", "planned"),
    ("planned", "next week", "planned"),
    ("tags", 5, "tags"),
    ("tags", ["x" * 101], "tags"),
    ("scores", {"overall": float("nan")}, "scores"),
    ("scores", "high", "scores"),
    ("client", 12, "client"),
    ("language_pinned", "yes", "language_pinned"),
    ("title", "t" * 501, "title"),
    ("colour", "red", "colour"),
])
def test_bad_fields_are_refused_with_their_name(store, field, value, needle):
    with pytest.raises(InvalidDraftError, match=needle):
        store.add("text", **{field: value})
    assert store.count() == 0


def test_text_must_be_text_and_not_huge(store):
    with pytest.raises(InvalidDraftError, match="text"):
        store.add(None)
    with pytest.raises(InvalidDraftError, match="at most"):
        store.add("x" * (MAX_TEXT + 1))


def test_status_and_tags_are_normalised(store):
    d = store.get(store.add("t", status="In Review", tags="#Launch, q3 ,launch,, Q3"))
    assert d.status == "in_review"
    assert d.tags == ("Launch", "q3")


def test_unusual_text_survives(store):
    texts = ["emoji 👩🏽‍💻🇩🇪 and ZWJ", "nul\x00inside", "rtl שלום مرحبا", "a" * 1_000_000,
             "tab\tand\r\nwindows lines"]
    for text in texts:
        assert store.get(store.add(text)).text == text


def test_lone_surrogates_are_kept_as_replacement_characters(store):
    d = store.get(store.add("broken \ud83d paste and a pair \ud83d\ude00"))
    assert d.text == "broken \ufffd paste and a pair 😀"


def test_update_changes_revision_and_updated(store, clock, library_path):
    with DraftStore(library_path.with_name("clocked.sqlite"), clock=clock,
                    auto_backup=False) as s:
        draft_id = s.add("one")
        before = s.get(draft_id)
        clock.advance(minutes=5)
        after = s.update(draft_id, status="approved", client="Acme")
        assert after.revision == before.revision + 1
        assert after.updated > before.updated and after.created == before.created
        assert s.update(draft_id, status="approved") == after  # nothing changed: no new revision


def test_scores_only_update_is_not_an_edit(store):
    draft_id = store.add("text")
    before = store.get(draft_id)
    after = store.update(draft_id, scores={"overall": 42})
    assert after.revision == before.revision and after.updated == before.updated
    assert after.score == 42
    assert store.versions(draft_id)[-1].score == 42  # the version of that text has them too


def test_new_text_without_scores_drops_the_stale_scores(store):
    draft_id = store.add("text", scores={"overall": 90})
    assert store.update(draft_id, text="other text").scores is None


def test_scorer_hook_scores_new_texts(library_path):
    seen = []

    def scorer(text, fields):
        seen.append((text, fields.get("platform")))
        return {"overall": len(text)}

    with DraftStore(library_path, scorer=scorer, auto_backup=False) as s:
        draft_id = s.add("four", platform="x")
        assert s.get(draft_id).score == 4
        assert s.update(draft_id, text="seven!!").score == 7
        assert s.update(draft_id, text="given", scores={"overall": 1}).score == 1
    assert seen == [("four", "x"), ("seven!!", "x")]


def test_missing_draft(store):
    with pytest.raises(DraftNotFound) as info:
        store.get(99)
    assert isinstance(info.value, LookupError) and "99" in str(info.value)
    with pytest.raises(DraftNotFound):
        store.update(99, text="x")


def test_update_refuses_unknown_fields(store):
    draft_id = store.add("x")
    with pytest.raises(InvalidDraftError, match="colour"):
        store.update(draft_id, colour="red")
    assert set(FIELDS) >= {"text", "title", "tags", "status", "planned", "scores"}


def test_trash_restore_and_empty(store, clock, library_path):
    with DraftStore(library_path.with_name("t.sqlite"), clock=clock, auto_backup=False) as s:
        keep, old, new = (s.add(t) for t in ("keep", "old", "new"))
        s.trash(old)
        clock.advance(days=40)
        s.trash(new)
        assert [d.id for d in s.search()] == [keep]
        assert {d.id for d in s.search(trashed=True)} == {old, new}
        assert s.count(trashed=None) == 3
        assert s.get(old).in_trash  # still readable
        assert s.empty_trash(older_than=timedelta(days=30)) == 1
        with pytest.raises(DraftNotFound):
            s.get(old)
        s.restore(new)
        assert s.count() == 2 and s.empty_trash() == 0


def test_trash_bumps_the_revision_and_purge_needs_the_trash(store):
    draft_id = store.add("x")
    assert store.trash(draft_id).revision == 2
    other = store.add("y")
    with pytest.raises(LibraryError, match="not in the trash"):
        store.purge(other)
    store.purge(draft_id)
    assert store.count(trashed=None) == 1


def test_duplicate_copies_fields_and_resets_status(store):
    source = store.add("text", client="Acme", tags=["a"], status="published",
                       scores={"overall": 5})
    copy = store.get(store.duplicate(source))
    assert (copy.text, copy.client, copy.tags, copy.status) == ("text", "Acme", ("a",), "draft")
    assert copy.title == "text (copy)" and copy.uid != store.get(source).uid
    other = store.get(store.duplicate(source, text="changed", client="Beta"))
    assert (other.text, other.client, other.scores) == ("changed", "Beta", None)


def test_autosave_keeps_the_buffer_without_a_version(store):
    draft_id = store.add("saved text")
    slot = store.autosave(draft_id, "saved text and more typing", base_revision=1,
                          title="Draft title")
    assert store.autosave(draft_id, "saved text and even more", slot=slot) == slot
    assert len(store.versions(draft_id)) == 1
    assert store.recover() == []  # our own process is alive: a live editor, not a crash
    (found,) = store.recover(include_live=True)
    assert (found.slot, found.draft_id, found.text) == (slot, draft_id,
                                                       "saved text and even more")
    new_slot = store.autosave(None, "a draft never saved", client="Acme")
    assert new_slot != slot
    store.discard_autosave(slot)
    assert [a.slot for a in store.recover(include_live=True)] == [new_slot]


def test_autosave_of_the_saved_text_is_not_offered(store):
    draft_id = store.add("same")
    store.autosave(draft_id, "same")
    assert store.recover(include_live=True) == []


def test_apply_autosave_saves_as_version_or_new_draft(store):
    draft_id = store.add("old text")
    slot = store.autosave(draft_id, "recovered text", client="Acme", status="approved")
    assert store.apply_autosave(slot) == draft_id
    d = store.get(draft_id)
    assert (d.text, d.client, d.status) == ("recovered text", "Acme", "approved")
    assert [v.text for v in store.versions(draft_id)] == ["old text", "recovered text"]
    fresh = store.apply_autosave(store.autosave(None, "new one", colour="ignored"))
    assert store.get(fresh).text == "new one"
    assert store.recover(include_live=True) == []


def test_autosave_for_a_deleted_draft_is_kept_as_new(store):
    draft_id = store.add("x")
    slot = store.autosave(draft_id, "typing")
    store.trash(draft_id)
    store.empty_trash()
    (found,) = store.recover(include_live=True)
    assert found.slot == slot and found.draft_id is None and found.text == "typing"


def test_file_setup(store, library_path):
    conn = sqlite3.connect(library_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()


def test_default_path_uses_the_data_folder_and_the_environment(monkeypatch, tmp_path,
                                                               isolated_home):
    path = default_library_path()
    assert path.name == "library.sqlite" and str(isolated_home) in str(path)
    with DraftStore(auto_backup=False) as s:
        s.add("x")
    assert path.exists()
    monkeypatch.setenv("COACH_LIBRARY", str(tmp_path / "elsewhere.sqlite"))
    assert default_library_path() == tmp_path / "elsewhere.sqlite"
    with DraftStore(auto_backup=False) as s:
        assert s.path == tmp_path / "elsewhere.sqlite" and s.count() == 0


def test_closed_store_says_so(library_path):
    s = DraftStore(library_path, auto_backup=False)
    s.close()
    s.close()  # twice is fine
    assert s.closed
    with pytest.raises(LibraryError, match="closed"):
        s.add("x")


def test_a_folder_is_not_a_library(tmp_path):
    with pytest.raises(LibraryError, match="folder"):
        DraftStore(tmp_path)


def test_threads_can_share_one_store(store):
    def work(n):
        for i in range(50):
            store.add(f"thread {n} draft {i}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.count() == 200


def test_stats_clients_and_tags(store):
    store.add("a", client="Acme", tags=["x"], status="approved")
    store.add("b", client="acme", tags=["X", "y"])
    trashed = store.add("c", client="Beta", tags=["z"])
    store.trash(trashed)
    assert store.clients() == [("Acme", 2)]
    assert dict(store.tags()) == {"x": 2, "y": 1}
    stats = store.stats()
    assert stats["drafts"] == 2 and stats["trash"] == 1
    assert stats["by_status"] == {"approved": 1, "draft": 1}
    assert stats["versions"] == 3


def test_check_finds_a_healthy_file_healthy(store):
    store.add("x")
    assert store.check() == []
