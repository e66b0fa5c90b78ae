"""The split of a draft into tokens (coach.analysis.text): token kinds, the shortcut that
leaves out kinds a text cannot hold, and the lookup keys of the tokens."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from coach.analysis.text import NUMBER_KEY, Doc, _token_re, split_compounds, tokenize


def kinds(text: str) -> list[tuple[str, str]]:
    return [(t.kind, t.text) for t in tokenize(text)]


def test_token_kinds():
    text = ("Don't e-mail @ana or @bob@mastodon.social: see https://x.com/a?b=1, www.Ex.org "
            "and shop.example.com/sale Write ana.b+x@mail.co.id #Sale2024 3,5% 👨‍👩‍👧 🇩🇪 👍🏽 #️⃣!")
    assert kinds(text) == [
        ("word", "Don't"), ("word", "e-mail"), ("mention", "@ana"), ("word", "or"),
        ("mention", "@bob@mastodon.social"), ("punct", ":"), ("word", "see"),
        ("url", "https://x.com/a?b=1"), ("punct", ","), ("url", "www.Ex.org"),
        ("word", "and"), ("url", "shop.example.com/sale"), ("word", "Write"),
        ("email", "ana.b+x@mail.co.id"), ("hashtag", "#Sale2024"), ("number", "3,5%"),
        ("emoji", "👨‍👩‍👧"), ("emoji", "🇩🇪"), ("emoji", "👍🏽"), ("emoji", "#️⃣"),
        ("punct", "!"),
    ]


def test_tokens_cover_everything_but_white_space():
    text = "a\u00a0b\t¿c? ٣ 𝔘 \x00"
    covered = "".join(t.text for t in tokenize(text))
    assert covered == "".join(ch for ch in text if not ch.isspace())


_PIECES = st.sampled_from(["a", "Ab", "é", "x1", "3", ".", "@", "#", "://", "http", "www.",
                           ".com", ".de", "-", "_", "+", "’", "'", " ", "\n", "😀", "🏽", "🇮🇩"])


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=25).map("".join))
def test_leaving_out_kinds_a_text_cannot_hold_changes_no_token(text):
    full = [(m.lastgroup, m.start(), m.end()) for m in _token_re(frozenset()).finditer(text)]
    assert [(t.kind, t.start, t.end) for t in tokenize(text)] == full


def test_keys_fold_case_apostrophes_and_skin_tones():
    index = Doc("Don’t STRASSE Straße 👍🏽 👍 It's 12", language="en").index
    assert index.keys == ["don't", "strasse", "strasse", "👍", "👍", "it's", "12"]
    assert index.names >= {"don", "it", NUMBER_KEY}  # first parts of words, numbers
    assert index.positions("strasse") == [1, 2]
    assert (index.positions("don"), index.positions(NUMBER_KEY)) == ([0], [6])
    assert sorted(index.starting_with("str")) == [1, 2]


def test_compounds_split_into_parts():
    parts = split_compounds(tokenize("Sommer-Sale now"))
    assert [(t.kind, t.text, t.start) for t in parts] == [
        ("word", "Sommer", 0), ("punct", "-", 6), ("word", "Sale", 7), ("word", "now", 12)]
