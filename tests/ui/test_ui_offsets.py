"""Offsets: engine code points <-> Qt UTF-16 units, at the one place that converts."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from coach.ui.offsets import OffsetMap, utf16_len

HARD = "😀 👍🏽 🇮🇩 👩‍👩‍👧 e\u0301 Wow!!!"


def units(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def test_plain_text_is_identity():
    m = OffsetMap("hello")
    assert [m.to_utf16(i) for i in range(6)] == list(range(6))
    assert [m.to_codepoint(i) for i in range(6)] == list(range(6))


def test_astral_emoji_take_two_units():
    text = HARD
    m = OffsetMap(text)
    bang = text.index("!!!")
    assert m.to_utf16(bang) == units(text[:bang])
    assert m.to_codepoint(units(text[:bang])) == bang
    assert m.utf16_length == units(text) == utf16_len(text)


def test_unit_inside_a_surrogate_pair_maps_to_the_character_start():
    m = OffsetMap("a😀b")
    assert m.to_codepoint(1) == 1  # high surrogate
    assert m.to_codepoint(2) == 1  # low surrogate: still the emoji
    assert m.to_codepoint(3) == 2


def test_offsets_are_clamped():
    m = OffsetMap("😀x")
    assert m.to_utf16(-5) == 0
    assert m.to_utf16(99) == 3
    assert m.to_codepoint(99) == 2


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_round_trip_on_any_text(text):
    m = OffsetMap(text)
    for i in range(len(text) + 1):
        u = m.to_utf16(i)
        assert u == units(text[:i])
        assert m.to_codepoint(u) == i
