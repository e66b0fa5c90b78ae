"""The split of a draft into tokens (coach.analysis.text): token kinds, the shortcuts (kinds
a text cannot hold left out, plain words first, ASCII patterns for ASCII text), and the
lookup keys of the tokens."""

from __future__ import annotations

import gc

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.analysis import analyze
from coach.analysis.text import (
    _KINDS,
    _SENTENCE_END_RE,
    NUMBER_KEY,
    Doc,
    split_compounds,
    token_key,
    tokenize,
)

# Every kind tried at every position, in order: what tokenize() must always agree with.
_REFERENCE = regex.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _KINDS),
                           regex.VERSION1)


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
                           ".com", ".de", "-", "_", "+", "’", "'", " ", "\n", "😀", "🏽", "🇮🇩",
                           ":", "don't", "Clock’https", "\xa0", "\u3000", "\x85", "\x1c",
                           "\t", "ß"])


_ASCII_PIECES = st.sampled_from(["a", "Ab", "x1", "3", ".", "@", "#", "://", "http", "www.",
                                 ".com", ".de", "-", "_", "+", "'", " ", "\n", ":", "don't",
                                 "\x1c", "&", "*", "5.5", "%", "a.b@c.io", "e-mail"])


def _same_tokens_as_reference(text: str) -> None:
    full = [(m.lastgroup, m.start(), m.end()) for m in _REFERENCE.finditer(text)]
    assert [(t.kind, t.start, t.end) for t in tokenize(text)] == full


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=25).map("".join))
def test_shortcuts_change_no_token(text):
    """Kinds a text cannot hold are left out, plain words are tried first: same tokens."""
    _same_tokens_as_reference(text)


@settings(max_examples=500, deadline=None)
@given(st.lists(_ASCII_PIECES, max_size=25).map("".join))
def test_ascii_patterns_find_the_same_tokens(text):
    """An ASCII text is split with ASCII patterns by the standard library: same tokens."""
    _same_tokens_as_reference(text)


def test_keys_fold_case_apostrophes_and_skin_tones():
    index = Doc("Don’t STRASSE Straße 👍🏽 👍 It's 12", language="en").index
    assert index.keys == ["don't", "strasse", "strasse", "👍", "👍", "it's", "12"]
    assert index.names >= {"don", "it", NUMBER_KEY}  # first parts of words, numbers
    assert index.positions("strasse") == [1, 2]
    assert (index.positions("don"), index.positions(NUMBER_KEY)) == ([0], [6])


def test_compounds_split_into_parts():
    parts = split_compounds(tokenize("Sommer-Sale now"))
    assert [(t.kind, t.text, t.start) for t in parts] == [
        ("word", "Sommer", 0), ("punct", "-", 6), ("word", "Sale", 7), ("word", "now", 12)]


def test_an_analysis_leaves_no_reference_cycles():
    """A cycle (say, something in Doc.memo pointing back at its Doc) would leave every
    draft's tokens to the garbage collector, which then costs more than the analysis."""
    texts = ["Hi @ana! What do you think? #poll https://x.com 😀", "Wir haben's. Sommer-Sale!",
             "¿Qué opinas? ¡Compra ya!", "Apa kabar kalian? Diskon 50% hari ini."]
    for text in texts:  # load the packs and caches first
        analyze(text, platform="x")
    gc.collect()
    gc.disable()
    try:
        for text in texts:
            analyze(text, platform="x")
            analyze(text, kind="reply", comment="Thanks! #love")
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_index_keys_are_token_keys():
    """Word lists are keyed with token_key(); the index must give every token the same key
    (case folding can make an apostrophe: "ŉ" folds to "ʼn")."""
    for text in ("ŉ Don’t STRASSE ǅ İstanbul 👍🏽 #Tag", "ŉ alone", "Cafe\u0301 ǰ Ǆ café"):
        index = Doc(text, language="en").index
        assert index.keys == [token_key(t.text, t.kind) for t in tokenize(text)]


def test_a_bare_domain_ends_before_the_full_stop():
    """A sentence may end right after a link written without https://; its path stays."""
    assert kinds("Visit shop.example.com. Or SalesExpert.me/team.") == [
        ("word", "Visit"), ("url", "shop.example.com"), ("punct", "."), ("word", "Or"),
        ("url", "SalesExpert.me/team"), ("punct", "."),
    ]
    assert ("url", "example.com") not in kinds("example.com.au example.company")


# The sentence-end pattern before it was rewritten for speed.
_SENTENCE_END_REFERENCE = regex.compile(r"[.!?…。]+['\"’”)\]]*(?=\s|$)|\n")


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", ".", "!", "?", "…", "。", "'", "”", ")", "]", " ", "\n",
                                 "\t", "\xa0", "\u3000", "\x1c", "b."]), max_size=25)
       .map("".join))
def test_sentence_ends_are_found_as_before(text):
    assert [m.span() for m in _SENTENCE_END_RE.finditer(text)] == \
        [m.span() for m in _SENTENCE_END_REFERENCE.finditer(text)]
