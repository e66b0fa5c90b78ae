"""The phrase matcher every check uses (coach.analysis.phrases): its syntax, where a phrase
may and may not match, and the raw expressions of the shipped packs."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.analysis import LANGUAGES
from coach.analysis.phrases import PhraseList, _raw_pattern, raw_leads
from coach.analysis.profile import PHRASES, declarations, language_pack
from coach.analysis.text import NUMBER_KEY, Doc


def found(phrases: list[str], text: str, **kwargs) -> list[str]:
    doc = Doc(text, language="en")
    return [text[m.start:m.end] for m in PhraseList(phrases, **kwargs).find(doc)]


def test_case_and_white_space_are_flexible_but_a_space_must_be_there():
    assert found(["buy now"], "BUY\n  NOW, Buy now") == ["BUY\n  NOW", "Buy now"]
    assert found(["buy now"], "buynow buy-now") == []
    assert found(["2x1"], "2x1 y 2 x 1") == ["2x1"]


def test_never_inside_a_word():
    assert found(["sale"], "wholesale salesman sale_x x_sale") == []
    assert found(["covid"], "covid19 3covid") == []
    assert found(["don"], "don't") == []


def test_full_case_folding_and_typographic_apostrophes():
    assert found(["straße"], "STRASSE") == ["STRASSE"]
    assert found(["don't miss out"], "Don’t miss out") == ["Don’t miss out"]
    assert found(["donʼt"], "DONʼT") == ["DONʼT"]


def test_a_trailing_star_is_the_rest_of_a_word():
    assert found(["buruan*"], "Buruanlah! buruan") == ["Buruanlah", "buruan"]
    assert found(["share pengalaman*"], "share pengalamanmu") == ["share pengalamanmu"]
    assert found(["thank*"], "thank's") == ["thank"]
    assert found(["thank*"], "unthankful") == []
    # The rest of a word is read as keys are: capitals and "ß" fully case-folded.
    assert found(["strass*"], "STRAẞENFEST Straßenfest") == ["STRAẞENFEST", "Straßenfest"]


def test_longest_match_first_and_no_overlaps():
    phrases = ["limited time", "limited time only", "idiot", "time only"]
    text = "Limited time only! idiot-proof, the idiot"
    assert found(phrases, text) == ["Limited time only", "idiot"]
    assert found(["a b", "b c"], "a b c") == ["a b"]


def test_never_inside_links_mentions_hashtags_emails_or_compounds():
    text = "#idiots @idiots https://example.com/idiots x@idiots.com idiot-proof anti-idiots"
    assert found(["idiots", "idiot"], text) == []
    assert found(["idiot"], "idiot‐proof (with U+2010)") == []


def test_compounds_count_their_parts_when_asked():
    assert found(["sale"], "Sommer-Sale: 30% Rabatt", compounds=True) == ["Sale"]
    assert found(["e-mail me"], "please e-mail me", compounds=True) == ["e-mail me"]
    assert found(["sale"], "Sommer-Sale") == []


def test_phrases_that_start_with_marks_or_are_hashtags():
    assert found(["¡compra ya!"], "¡Compra ya! x¡compra ya!") == ["¡Compra ya!"]
    assert found(["#ad"], "Great cups #ad #ads") == ["#ad"]
    assert found(["👏"], "Bravo 👏🏽 👏") == ["👏🏽", "👏"]
    assert found(["❤️"], "I ❤ it") == ["❤"]


def test_raw_expressions():
    phrases = [r"re:\d+\s?%\s+off", r"re:(?:\$|€)\s?\d+", r"re:rp\.?\s?\d+",
               r"re:buy(?<!\b(?:can't|to)\s+buy)\s+now", r"re:(?:what|how)(?:'s|\s+do)\s+you"]
    text = "Get 30% off, $20 or Rp. 50 now. Buy now! I can’t buy now. What's you, how do you"
    assert found(phrases, text) == ["30% off", "$20", "Rp. 50", "Buy now", "What's you",
                                     "how do you"]
    assert found(["re:a+"], "re:a+ aaa", allow_regex=False) == ["re:a+"]


def test_raw_leads():
    assert raw_leads(r"(?:what|how)(?:['’]s|\s+do)") == {"what", "how"}
    assert raw_leads(r"cu[aá]l(?:es)?\s+") == {"cual", "cuál", "cuales", "cuáles"}
    assert raw_leads(r"don['’]t\s+") == {"don"}
    assert raw_leads(r"(?:se)?harusnya") == {"harusnya", "seharusnya"}
    assert raw_leads(r"(?<=^\s*)like\s+if") == {"like"}
    assert raw_leads(r"habt\s+ihr|hast\s+du") == {"habt", "hast"}
    assert raw_leads(r"(?:\$|£)\s?\d") == {"$", "£"}
    assert raw_leads(r"\d+\s?%") == {NUMBER_KEY}
    for source in (r"\p{L}+", r"\s+now", r"[a-z]+", r"l+ol", r"(?=x)"):
        with pytest.raises(ValueError):
            raw_leads(source)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_raw_expression_of_the_packs_has_a_start(language):
    profile = language_pack(language)
    for area, spec in declarations():
        values = getattr(getattr(profile, area), spec.name)
        if spec.metadata["kind"] is PHRASES and any(v.startswith("re:") for v in values):
            assert PhraseList(values), (area, spec.name)


CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"


def _raw_expressions(language):
    profile = language_pack(language)
    return sorted({v for area, spec in declarations() if spec.metadata["kind"] is PHRASES
                   for v in getattr(getattr(profile, area), spec.name) if v.startswith("re:")})


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_raw_expression_matches_only_at_its_leads(language):
    # The oracle of raw_leads(): trying each shipped expression at every token of real
    # posts, it matches only at tokens found by one of its leads (those it is tried at).
    texts = [example.text for rule in language_pack(language).examples.values()
             for which in ("bad", "good") for example in rule[which]]
    shared = CORPORA / f"{language}.txt"  # real posts, where the checkout has them
    if shared.is_file():
        texts += shared.read_text(encoding="utf-8").split("\n")[:400]
    for phrase in _raw_expressions(language):
        leads, pattern = raw_leads(phrase[3:]), _raw_pattern(phrase)
        for text in texts:
            ix = Doc(text, language=language).index
            for i, token in enumerate(ix.tokens):
                if pattern.match(ix.text, token.start) is not None:
                    assert not leads.isdisjoint(ix.names_of(i)), (phrase, text, token)


def test_range_reads_the_text_as_ending_there():
    doc = Doc("Do you know it", language="en")
    phrases = PhraseList([r"re:do\s+you(?!\s+know)", "know it"])
    assert phrases.find(doc, 0, 6) == [(0, 6, r"re:do\s+you(?!\s+know)")]
    assert phrases.find(doc) == [(7, 14, "know it")]
    assert phrases.match_at(doc, 7) == (7, 14, "know it")
    assert phrases.match_at(doc, 3) is None


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab -’'#@.é\u0301😀🏽\n", max_size=40))
def test_matches_are_ordered_disjoint_and_stand_on_their_own(text):
    phrases = PhraseList(["a", "a b", "b*", "é", "#a", "re:a\\s+a"])
    matches = phrases.find(Doc(text, language="en"))
    for m, after in zip(matches, matches[1:], strict=False):
        assert m.end <= after.start
    for m in matches:
        assert 0 <= m.start < m.end <= len(text)
        assert not text[m.start - 1:m.start].isalnum()
        assert not text[m.end:m.end + 1].isalnum()
