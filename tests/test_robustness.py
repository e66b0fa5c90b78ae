"""analyze() never raises on any str, keeps spans in bounds, and is deterministic."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.analysis import LANGUAGES, analyze
from coach.analysis.platforms import PLATFORMS

# Pieces that break naive text code: astral emoji, skin tones, ZWJ families, flags, keycaps,
# combining marks, RTL and bidi controls, NUL and control characters, lone surrogates.
AWKWARD = ["😀", "👍🏽", "🇮🇩", "👨‍👩‍👧", "🏴󠁧󠁢󠁥󠁮󠁧󠁿", "1️⃣", "e\u0301", "\u200f", "\u202e", "مرحبا بالعالم",
           "שלום", "\x00", "\x1b[31m", "\ufeff", "\ud800", "\udfff", "!!!", "?!", "¿", "¡",
           "#tag", "@user", "https://x.co/a?b=1", "\n\n", "\t", "Ǆ", "ß", "İ", "ﬃ", "ＡＢＣ",
           "WE LOVE IT", "apakah", "¿Qué?", "Was denkst du?", " " * 50]

texts = st.one_of(
    st.text(),
    st.lists(st.sampled_from(AWKWARD) | st.text(max_size=8), max_size=40).map("".join),
)


# Blank letters pasted to fake an empty line: Hangul fillers and the blank braille pattern.
_BLANK_LETTERS = "\u115f\u1160\u3164\uffa0\u2800"


def _visible(text):
    """Whether a reader sees anything in ``text``: the oracle for "an empty draft"."""
    return any(not ch.isspace() and ch not in _BLANK_LETTERS
               and unicodedata.category(ch) not in ("Zs", "Zl", "Zp", "Cc", "Cf") for ch in text)


def _check(report, text):
    assert report.text == text
    for f in report.findings:
        assert 0 <= f.start <= f.end <= len(text), f
        assert isinstance(f.message, str) and f.message
    assert (report.scores is None) == (not _visible(text))  # an empty draft has no score
    for value in (report.scores or ()):
        assert 0 <= value <= 100


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, language=st.sampled_from((None, *LANGUAGES)),
       platform=st.sampled_from((None, *PLATFORMS)), kind=st.sampled_from(("post", "reply")))
def test_any_text_any_options(text, language, platform, kind):
    report = analyze(text, language=language, platform=platform, kind=kind, comment=text[:20])
    _check(report, text)
    again = analyze(text, language=language, platform=platform, kind=kind, comment=text[:20])
    assert again == report


@pytest.mark.parametrize("piece", ["Hello world. ", "😀👍🏽🇮🇩 ", "\x00\x01", "مرحبا ", "WOW!!! "])
def test_one_megabyte(piece):
    text = piece * (1_000_000 // len(piece))
    report = analyze(text, platform="x")
    _check(report, text)


def test_fixes_apply_cleanly():
    text = "WE DID IT!!! Buy now, limited time only!!! 😀😀😀😀😀😀 #socialmediatips"
    for platform in (None, *PLATFORMS):
        report = analyze(text, language="en", platform=platform)
        for f in report.findings:
            if f.fix is not None:
                fixed = text[:f.start] + f.fix + text[f.end:]
                assert isinstance(fixed, str)


def test_analysis_has_no_state_between_calls():
    first = analyze("Was denkst du? Wir freuen uns!!!", language="de")
    analyze("WE ARE SHOUTING!!! " * 50, language="en", platform="x",
            settings={"disabled": {"tone.exclamations"}})
    assert analyze("Was denkst du? Wir freuen uns!!!", language="de") == first


def test_bad_arguments_are_clear_errors():
    with pytest.raises(ValueError, match="unknown language"):
        analyze("x", language="fr")
    with pytest.raises(ValueError, match="unknown platform"):
        analyze("x", platform="myspace")
    with pytest.raises(ValueError, match="unknown kind"):
        analyze("x", kind="story")
    with pytest.raises(TypeError):
        analyze(b"bytes")  # type: ignore[arg-type]
