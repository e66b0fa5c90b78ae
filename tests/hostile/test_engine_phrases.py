"""A huge house pack stays linear: the phrase matcher's work per place in a draft does not
grow with the number of phrases (numbers, shared starts, stems, case variants), and the
fast matcher agrees with the obvious one (every phrase tried at every token)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from coach.analysis import analyze, text
from coach.analysis.house import parse_pack
from coach.analysis.text import TokenIndex


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
