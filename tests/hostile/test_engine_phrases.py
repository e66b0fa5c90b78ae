"""A huge house pack stays linear: the phrase matcher's work per place in a draft does not
grow with the number of phrases (numbers, shared starts, stems, case variants), and the
fast matcher agrees with the obvious one (every phrase tried at every token)."""

from __future__ import annotations

import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from coach.analysis import analyze, text
from coach.analysis.house import parse_pack
from coach.analysis.phrases import _LETTERS, PhraseList, _literal
from coach.analysis.text import Doc, TokenIndex, token_key


def _pack(phrases: list[str]) -> str:
    return "[[avoid]]\nphrases = [" + ", ".join(f'"{p}"' for p in phrases) + "]\n"


def test_numeric_phrases_scan_the_draft_a_bounded_number_of_times(monkeypatch):
    # 2,000 numbers against 2,000 numeric phrases: a scan of the draft per phrase key is
    # quadratic (20,000 of each took 12 s). One pass lists every key's places instead.
    scans = []
    real = text._where
    monkeypatch.setattr(text, "_where", lambda items, item: scans.append(item)
                        or real(items, item))
    n = 2000
    pack = parse_pack(_pack([str(i) for i in range(n)]), "numbers.toml")
    report = analyze(" ".join(str(i) for i in range(n)), language="en", packs=[pack])
    assert sum(f.rule == "house.avoid" for f in report.findings) == n
    assert len(scans) < 100  # a few dozen scans, then one pass: not one scan per phrase


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "1", "2", "a'b", "-", "x-y"]), max_size=60),
       st.lists(st.sampled_from(["a", "b", "1", "2", "a'b", "x", "y", "\\d"]), max_size=50))
def test_token_positions_agree_with_a_scan(tokens, names):
    ix = TokenIndex(" ".join(tokens), text.tokenize(" ".join(tokens)))
    for name in names:
        expected = [*ix._also.get(name, ()),
                    *(i for i, key in enumerate(ix.keys) if key == name)]
        assert ix.positions(name) == expected


def _traced_lines(phrases: list[str], post: str) -> int:
    """Lines of Python run to find ``phrases`` in ``post``: deterministic, unlike time."""
    phrase_list, doc = PhraseList(phrases, allow_regex=False), Doc(post, language="en")
    doc.index.names  # noqa: B018 - the split of the draft is not what is measured
    lines = 0

    def trace(frame, event, arg):
        nonlocal lines
        lines += event == "line"
        return trace

    sys.settrace(trace)
    try:
        found = phrase_list.find(doc)
    finally:
        sys.settrace(None)
    assert found
    return lines


def _growth(make) -> float:
    small, large = (_traced_lines(*make(n)) for n in (200, 400))
    return large / small


def test_phrases_with_a_shared_start_are_read_once_per_token():
    # "a b 0", "a b 1", … against "a b 0 a b 1 …": each place was tried with every phrase.
    def make(n):
        return [f"a b {i}" for i in range(n)], " ".join(f"a b {i}" for i in range(n))
    assert _growth(make) < 2.5  # linear: twice the input, twice the work (quadratic: 4)


def test_many_stems_cost_a_look_up_per_name():
    def make(n):
        words = [f"w{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}{chr(97 + i // 676)}"
                 for i in range(n)]
        return [w + "*" for w in words], " ".join(w + "s" for w in words)
    assert _growth(make) < 2.5


def test_many_spellings_of_one_word_are_one_place_to_try():
    def make(n):
        variants = [format(i, "012b").replace("0", "o").replace("1", "O") for i in range(n)]
        return [f"w{v}" for v in variants], " ".join(f"w{v}" for v in variants)
    assert _growth(make) < 2.5


# ---------------------------------------------------------------------------------------
# The obvious matcher: every phrase tried at every token, the longest match first.


def _ends_slowly(phrase: str, ix: TokenIndex, i: int) -> int | None:
    lit = _literal(phrase, False)
    keys, tokens, n = ix.keys, ix.tokens, len(lit.keys)
    if i + n > len(tokens):
        return None
    for k in range(n):
        if k and lit.spaced[k] != (tokens[i + k].start > tokens[i + k - 1].end):
            return None
        if (k < n - 1 or not lit.stem) and keys[i + k] != lit.keys[k]:
            return None
    token = tokens[i + n - 1]
    if not lit.stem:
        return token.end
    letters = _LETTERS.match(ix.text, token.start, token.end)
    if letters is None or not token_key(letters.group()).startswith(lit.keys[-1]):
        return None
    return letters.end()


def _find_slowly(phrases: list[str], doc: Doc) -> list[tuple[int, int, str]]:
    phrase_list, ix = PhraseList(phrases, allow_regex=False), doc.index
    found, reach = [], 0
    for i, token in enumerate(ix.tokens):
        if token.start < reach:
            continue
        best = None
        for phrase in phrases:
            if _literal(phrase, False) is None:
                continue
            end = _ends_slowly(phrase, ix, i)
            if end is not None and phrase_list._fits(ix, i, token.start, end, len(ix.text)):
                rank = (end, len(phrase), phrase)
                best = rank if best is None or rank > best else best
        if best is not None:
            found.append((token.start, best[0], best[2]))
            reach = best[0]
    return found


_WORDS = st.sampled_from(["a", "A", "ab", "b", "abc", "1", "#a", "-", "'", "’", "x-y"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_WORDS, min_size=1, max_size=3).flatmap(
           lambda ws: st.tuples(st.just(ws), st.lists(st.sampled_from([" ", ""]),
                                                      min_size=len(ws), max_size=len(ws)),
                                st.booleans())), min_size=1, max_size=8),
       st.lists(st.sampled_from(["a", "A", "ab", "abcd", "b", "1", "#a", "-", "'", "’",
                                 "x-y", " ", "  ", "\n", "."]), max_size=30))
def test_the_tree_finds_what_every_phrase_tried_everywhere_finds(specs, pieces):
    phrases = []
    for words, gaps, star in specs:
        phrase = "".join(w + g for w, g in zip(words, gaps, strict=True)).strip()
        phrases.append(phrase + "*" if star and phrase[-1:].isalpha() else phrase)
    phrases = [p for p in dict.fromkeys(phrases) if p.strip()]
    doc = Doc("".join(pieces), language="en")
    found = [tuple(m) for m in PhraseList(phrases, allow_regex=False).find(doc)]
    assert found == _find_slowly(phrases, doc)
