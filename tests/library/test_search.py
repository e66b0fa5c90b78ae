"""Search: prefix- and accent-aware words, phrases, exclusions, filters and sorting, and no
query string that can break it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.library import DraftStore, InvalidDraftError
from coach.library.query import parse_query


@pytest.fixture
def drafts(store):
    ids = {
        "conv": store.add("Start a conversation about your morning coffee", client="Acme",
                          platform="x", language="en", tags=["coffee"]),
        "cafe": store.add("Un café con leche, ¿qué opinas?", client="Café Sol",
                          platform="instagram", language="es", status="approved"),
        "muller": store.add("Herr Müller trinkt Kaffee", client="Müller GmbH",
                            language="de", kind="reply", tags=["Kunde"]),
        "launch": store.add("Our launch day recap", title="Launch recap", client="Acme",
                            platform="linkedin", language="en", tags=["launch", "q3"],
                            planned="2026-04-10"),
        "id": store.add("Apa pendapatmu tentang kopi pagi ini?", client="Kopi Kita",
                        language="id", planned="2026-05-20", status="in review"),
    }
    return ids


def ids(results):
    return {d.id for d in results}


def test_words_match_as_prefixes(store, drafts):
    assert ids(store.search("conv")) == {drafts["conv"]}
    assert ids(store.search("conversation")) == {drafts["conv"]}
    assert ids(store.search("launc")) == {drafts["launch"]}


def test_accents_and_case_do_not_matter(store, drafts):
    assert ids(store.search("cafe")) == {drafts["cafe"]}
    assert ids(store.search("CAFÉ")) == {drafts["cafe"]}
    assert ids(store.search("muller")) == {drafts["muller"]}
    assert ids(store.search("Müller")) == {drafts["muller"]}
    assert ids(store.search("que opinas")) == {drafts["cafe"]}


def test_every_word_must_match(store, drafts):
    assert ids(store.search("coffee morning")) == {drafts["conv"]}
    assert ids(store.search("coffee launch")) == set()


def test_phrases_match_as_written(store, drafts):
    assert ids(store.search('"morning coffee"')) == {drafts["conv"]}
    assert ids(store.search('"coffee morning"')) == set()
    assert ids(store.search('"morn coff"')) == set()  # a phrase is not a prefix search


def test_minus_leaves_drafts_out(store, drafts):
    assert ids(store.search("acme -launch")) == {drafts["conv"]}
    assert ids(store.search("-launch")) == set(drafts.values()) - {drafts["launch"]}
    assert ids(store.search('-"launch day"')) == set(drafts.values()) - {drafts["launch"]}


def test_title_tags_and_client_are_searched(store, drafts):
    assert ids(store.search("recap")) == {drafts["launch"]}
    assert ids(store.search("kunde")) == {drafts["muller"]}
    assert ids(store.search("gmbh")) == {drafts["muller"]}
    assert ids(store.search("#q3")) == {drafts["launch"]}


def test_emoji_and_symbols_match_as_text(store):
    party = store.add("party time 🎉")
    store.add("no emoji here")
    assert ids(store.search("🎉")) == {party}


def test_empty_query_lists_everything_newest_first(store, drafts):
    assert [d.id for d in store.search()] == sorted(drafts.values(), reverse=True)
    assert [d.id for d in store.search("   ")] == sorted(drafts.values(), reverse=True)


@pytest.mark.parametrize("query", [
    '"', '""', "AND", "OR", "NOT", "NEAR(a b)", "*", "^start", "title:coffee", "(coffee",
    "coffee)", "'", "a-b", "-", "--", "- -", "\\", "%", "_", "\x00", "🎉*", "c*", "{}", "[]",
    "col : x", "x" * 10_000, "a " * 1000,
])
def test_no_query_breaks_search(store, drafts, query):
    results = store.search(query)
    assert store.count(query) == len(results)


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory):
    with DraftStore(tmp_path_factory.mktemp("hyp") / "l.sqlite", auto_backup=False) as s:
        s.add("Start a conversation über Kaffee 🎉 #launch @anna")
        yield s


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_typed_text_is_a_valid_search(shared_store, query):
    assert shared_store.count(query) == len(shared_store.search(query))


def test_parse_query_quotes_every_term():
    q = parse_query('conv "exact words" -skip OR NEAR(x)')
    assert q.match == '"conv"* AND "exact words" AND "OR"* AND "NEAR x"'
    assert q.exclude == '"skip"*'
    assert parse_query("a").match == '"a"'  # a one-letter prefix would match half the index


def test_filters(store, drafts):
    assert ids(store.search(client="acme")) == {drafts["conv"], drafts["launch"]}
    assert ids(store.search(client=["Acme", "Kopi Kita"])) == {
        drafts["conv"], drafts["launch"], drafts["id"]}
    assert ids(store.search(platform="instagram")) == {drafts["cafe"]}
    assert ids(store.search(status="in_review")) == {drafts["id"]}
    assert ids(store.search(status=["approved", "in review"])) == {drafts["cafe"], drafts["id"]}
    assert ids(store.search(language="de")) == {drafts["muller"]}
    assert ids(store.search(kind="reply")) == {drafts["muller"]}
    assert ids(store.search(tag="LAUNCH")) == {drafts["launch"]}
    assert ids(store.search(tag=["coffee", "kunde"])) == {drafts["conv"], drafts["muller"]}
    assert ids(store.search(planned_from="2026-04-01", planned_to="2026-04-30")) == {
        drafts["launch"]}
    assert ids(store.search(planned_from=date(2026, 5, 20))) == {drafts["id"]}
    assert ids(store.search("coffee", client="Acme", platform="x")) == {drafts["conv"]}


def test_bad_filters_are_refused(store):
    with pytest.raises(InvalidDraftError, match="status"):
        store.search(status="done")
    with pytest.raises(InvalidDraftError, match="date"):
        store.search(planned_from="soon")
    with pytest.raises(TypeError):
        store.search(colour="red")
    with pytest.raises(InvalidDraftError, match="sort"):
        store.search(sort="colour")


def test_updated_and_created_ranges(clock, tmp_path):
    with DraftStore(tmp_path / "c.sqlite", clock=clock, auto_backup=False) as s:
        first = s.add("first")
        clock.advance(days=3)
        second = s.add("second")
        day = clock.now.date()
        assert ids(s.search(updated_from=day - timedelta(days=1))) == {second}
        assert ids(s.search(updated_to=day - timedelta(days=1))) == {first}
        assert ids(s.search(created_from=clock.now - timedelta(hours=1))) == {second}
        clock.advance(days=1)
        s.update(first, text="first, edited")
        assert ids(s.search(updated_from=clock.now.date() - timedelta(days=0))) == {first}


def test_sorting(store, drafts):
    titles = [d.title for d in store.search(sort="title")]
    assert titles == sorted(titles, key=str.casefold)
    planned = [d.id for d in store.search(sort="planned")]
    assert planned[:2] == [drafts["launch"], drafts["id"]]  # undated drafts come last
    assert [d.id for d in store.search(sort="-planned")][:2] == [drafts["id"], drafts["launch"]]
    assert [d.id for d in store.search(sort="id")] == sorted(drafts.values())
    store.update(drafts["conv"], text="conversation edited")
    assert store.search()[0].id == drafts["conv"]  # newest change first


def test_relevance_puts_title_matches_first(store):
    body = store.add("A long post that mentions recap once among many other words here")
    titled = store.add("Something", title="Recap of the week")
    store.add("unrelated")
    assert [d.id for d in store.search("recap", sort="relevance")] == [titled, body]
    assert len(store.search("", sort="relevance")) == 3  # no words: newest first


def test_score_sort(store):
    low = store.add("a", scores={"overall": 10})
    high = store.add("b", scores={"overall": 90})
    none = store.add("c")
    assert [d.id for d in store.search(sort="-score")] == [high, low, none]


def test_paging_and_ids(store):
    for i in range(25):
        store.add(f"draft number {i}")
    page1 = store.search(limit=10)
    page3 = store.search(limit=10, offset=20)
    assert len(page1) == 10 and len(page3) == 5
    all_ids = store.search_ids()
    assert [d.id for d in page1] == all_ids[:10] and [d.id for d in page3] == all_ids[20:]
    assert [d.id for d in store.get_many(all_ids[3:6])] == all_ids[3:6]
    assert store.get_many([all_ids[0], 999]) == [store.get(all_ids[0])]
    assert store.count("number") == 25


def test_index_follows_edits_and_deletes(store):
    draft_id = store.add("alpha words", client="Old Client", tags=["oldtag"])
    store.update(draft_id, text="beta words", client="New Client", tags=["newtag"])
    assert store.search("alpha") == [] and store.search("oldtag") == []
    assert ids(store.search("beta newtag new client")) == {draft_id}
    store.trash(draft_id)
    assert store.search("beta") == [] and ids(store.search("beta", trashed=True)) == {draft_id}
    store.empty_trash()
    assert store.search("beta", trashed=None) == []
    assert store.check() == []


@pytest.mark.parametrize("few", [0, 5, 10_000])
@pytest.mark.parametrize("sort", ["-updated", "updated", "title", "-planned"])
def test_every_way_of_running_a_search_agrees(store, monkeypatch, few, sort):
    """A search starts from the hits or from the sorted list; the answer is the same."""
    for i in range(30):
        draft_id = store.add(f"coffee talk number {i}", client="Acme" if i % 3 else "Beta",
                             status="approved" if i % 2 else "draft")
        if i % 7 == 0:
            store.trash(draft_id)
    store.add("tea only")
    monkeypatch.setattr(DraftStore, "_FEW_HITS", few)

    def wanted(d, query, filters):
        words = query.split()
        trashed = filters.get("trashed", False)
        return (all(w in d.text for w in words if not w.startswith("-"))
                and not any(w[1:] in d.text for w in words if w.startswith("-"))
                and (trashed is None or d.in_trash == trashed)
                and all(getattr(d, k) == v for k, v in filters.items() if k != "trashed"))

    for query, filters in [("coffee", {}), ("coffee", {"client": "Acme"}),
                           ("coffee -number", {}), ("talk", {"status": "approved"}),
                           ("tea", {}), ("nothing", {}), ("coffee", {"trashed": True}),
                           ("coffee", {"trashed": None}), ("-tea", {}),
                           ("-tea", {"trashed": True}), ("talk", {"trashed": True,
                                                                  "client": "Beta"})]:
        ids = [i for i in store.search_ids(sort=sort, trashed=None)
               if wanted(store.get(i), query, filters)]
        assert store.search_ids(query, sort=sort, **filters) == ids
        assert [d.id for d in store.search(query, sort=sort, limit=50, **filters)] == ids[:50]
        assert store.count(query, **filters) == len(ids), (query, filters)
        assert [d.id for d in store.search(query, sort=sort, limit=5, offset=5, **filters)
                ] == ids[5:10]
        assert store.search(query, sort=sort, limit=0, **filters) == []


def test_relevance_is_the_same_with_and_without_filters(store):
    for i in range(12):
        store.add("coffee " * (i % 4 + 1) + f"note {i}", title="coffee" if i == 5 else "",
                  client="Acme")
    plain = [d.id for d in store.search("coffee", sort="relevance")]
    filtered = [d.id for d in store.search("coffee", sort="relevance", client="Acme")]
    assert plain == filtered and len(plain) == 12
    assert [d.id for d in store.search("coffee", sort="relevance", limit=3, offset=2)] == \
        plain[2:5]
