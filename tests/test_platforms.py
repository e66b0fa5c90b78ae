"""Platform facts, exact counting, offsets and the platform.* checks."""

from __future__ import annotations

import time
import unicodedata
from itertools import chain

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.analysis import Severity, analyze
from coach.analysis.checks.platform import split_hashtag
from coach.analysis.house import parse_pack
from coach.analysis.platforms import (
    PLATFORMS,
    Measure,
    PlatformSpec,
    count,
    fold,
    fold_offset,
    label,
    lengths,
    limit,
    overflow_offset,
    spec,
)

GRIN, THUMB, FLAG, FAMILY = "😀", "👍🏽", "🇮🇩", "👨‍👩‍👧"
E_NFD, E_NFC = "e\u0301", "\u00e9"


def rules(report, rule):
    return [f for f in report.findings if f.rule == rule]


# ---------------------------------------------------------------------------------------
# Facts


def test_platform_names_and_limits():
    assert PLATFORMS == ("x", "linkedin", "instagram", "facebook", "threads", "bluesky",
                         "mastodon")
    assert [limit(p) for p in PLATFORMS] == [280, 3000, 2200, 63206, 500, 300, 500]
    assert [fold(p) for p in PLATFORMS] == [280, 210, 125, 125, None, None, None]
    assert label("linkedin") == "LinkedIn"
    assert spec("instagram").hashtags == 5 and spec("instagram").hashtags_enforced
    assert spec("threads").links == 5


# ---------------------------------------------------------------------------------------
# Counting, platform by platform


@pytest.mark.parametrize(("text", "expected"), [
    ("This is a test.", 15),
    (GRIN, 2), (THUMB, 2), (FLAG, 2), (FAMILY, 2),
    ("H🐱☺👨‍👩‍👧‍👦", 7),  # twitter-text conformance: emoji sequences weigh 2
    ("🙋🏽👨‍🎤", 4),
    ("日本語", 6),  # CJK weighs 2
    ("저찀", 4),
    (E_NFC, 1), (E_NFD, 1),  # counted after NFC: e + combining acute is one light character
    ("\u2014\u201c\u2032\u2013", 4),  # dashes, quotes and primes in the light ranges
    ("\u2030\u2038\u2026", 4 + 2),  # ‰ and ‸ are heavy, … (U+2026) is light
    ("http://test.com", 23),
    ("https://example.com/" + "x" * 200, 23),
    ("Test https://test.com test https://test.com test.com test", 86),
    ("Read www.example.org/guide now", 4 + 1 + 23 + 4),
])
def test_x_weighted_counting(text, expected):
    assert count(text, "x") == expected


def test_x_counts_nfc_and_nfd_alike():
    text = "Café crème, über Straße, año"
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text
    assert count(nfd, "x") == count(text, "x") == len(text)


@pytest.mark.parametrize(("text", "expected"), [
    (GRIN + THUMB + FLAG + FAMILY, 4),
    (E_NFD + E_NFC, 2),
    ("a\r\nb", 3),
    ("日本語", 3),
    ("ก้", 1),  # Thai consonant with a combining tone mark
])
def test_bluesky_counts_graphemes(text, expected):
    assert count(text, "bluesky") == expected


def test_bluesky_shortens_links_like_its_app():
    long_link = "https://Example.com/a/very/long/path/indeed?x=1"
    # host, 13 characters of path, "..."
    assert count(long_link, "bluesky") == len("example.com/a/very/long/...")
    assert count("https://example.com/", "bluesky") == len("example.com")
    assert count("https://example.com/short", "bluesky") == len("example.com/short")
    assert count("example.com/a/very/long/path/indeed", "bluesky") == 35  # bare: as written


def test_mastodon_counts_links_23_and_mentions_without_domain():
    assert count("Hi @ana@social.example.org!", "mastodon") == len("Hi @ana!")
    assert count("Hi @ana!", "mastodon") == len("Hi @ana!")
    assert count("https://example.com/" + "x" * 100, "mastodon") == 23
    assert count("example.com", "mastodon") == len("example.com")  # no scheme: plain text
    assert count(FAMILY + E_NFD, "mastodon") == 2


def test_threads_counts_emoji_as_utf8_bytes():
    assert count(GRIN, "threads") == 4
    assert count(THUMB, "threads") == 8
    assert count(FLAG, "threads") == 8
    assert count(FAMILY, "threads") == 18
    assert count("Hi " + GRIN, "threads") == 7
    assert count("日本語 é", "threads") == 5  # other characters count one each


@pytest.mark.parametrize("platform", ["linkedin", "instagram", "facebook"])
def test_characters_are_utf16_code_units(platform):
    assert count(GRIN, platform) == 2
    assert count(FAMILY, platform) == 8
    assert count(THUMB + FLAG, platform) == 8
    assert count("日本語" + E_NFC, platform) == 4
    assert count(E_NFD, platform) == 2  # what the platform receives is what it counts
    assert count("https://example.com/abc", platform) == 23  # links as written


def test_lengths_covers_every_platform_at_once():
    text = f"Hello {GRIN} https://example.com/a/very/long/path/indeed"
    result = lengths(text)
    assert set(result) == set(PLATFORMS)
    assert result == {p: count(text, p) for p in PLATFORMS}
    assert result["x"] == 6 + 2 + 1 + 23


def test_never_raises_on_awkward_text():
    for text in ["", "\x00", "\ud800", "a\udfff" + GRIN, "\u202e" + "مرحبا", "#" * 50, "@" * 9,
                 "https://", "http://[::1]/x", "https://ä.example/ü"]:
        for p in PLATFORMS:
            assert count(text, p) >= 0
            assert overflow_offset(text, p) is None or 0 <= overflow_offset(text, p) <= len(text)


# ---------------------------------------------------------------------------------------
# Overrides


def test_overrides_change_the_facts():
    assert limit("x", {"limit": 25000}) == 25000
    assert limit("x", {"limit": 0}) is None
    assert fold("linkedin", {"fold": 140}) == 140
    assert fold("linkedin", {"fold": 0}) is None
    assert count("https://example.com/abc", "linkedin", {"url_length": 23}) == 23
    assert count(GRIN, "x", {"counting": "code_points"}) == 1
    assert count(GRIN, "bluesky", {"counting": "utf16"}) == 2
    assert spec("x", {"hashtags": 1}).hashtags == 1


@pytest.mark.parametrize("overrides", [
    {"colour": 1}, {"limit": -1}, {"limit": "280"}, {"limit": True}, {"counting": "bytes"},
])
def test_bad_overrides_are_refused(overrides):
    with pytest.raises(ValueError):
        spec("x", overrides)


def test_unknown_platform_is_refused():
    with pytest.raises(ValueError):
        count("hi", "myspace")


def test_settings_and_house_packs_override_in_analysis():
    text = "word " * 70  # 350 characters
    assert rules(analyze(text, language="en", platform="x"), "platform.too_long")
    premium = analyze(text, language="en", platform="x",
                      settings={"platforms": {"x": {"limit": 25000}}})
    assert not rules(premium, "platform.too_long")
    assert premium.metrics["limit"] == 25000
    pack = parse_pack('[pack]\nname = "Premium"\n[settings.platforms.x]\nlimit = 25000\n',
                      "premium.toml")
    assert not rules(analyze(text, language="en", platform="x", packs=[pack]),
                     "platform.too_long")


# ---------------------------------------------------------------------------------------
# Offsets: where the limit and the fold fall in the text


def test_overflow_offset_is_the_first_character_past_the_limit():
    assert overflow_offset("a" * 280, "x") is None
    assert overflow_offset("a" * 281, "x") == 280
    # An emoji straddling the limit is marked whole.
    assert overflow_offset("a" * 279 + GRIN, "x") == 279
    assert overflow_offset("a" * 278 + FAMILY + "b", "x") == 278 + len(FAMILY)
    assert overflow_offset("a" * 279 + FAMILY, "x") == 279
    # A link counts 23 as a whole: the whole link goes past the limit.
    text = "a" * 270 + " https://example.com/page"
    assert overflow_offset(text, "x") == 271
    # Graphemes: a ZWJ family is one character on Bluesky.
    assert overflow_offset("a" * 299 + FAMILY, "bluesky") is None
    assert overflow_offset("a" * 299 + FAMILY + "b", "bluesky") == 299 + len(FAMILY)
    assert overflow_offset("a" * 300 + E_NFD, "bluesky") == 300


def test_fold_offset():
    assert fold_offset("a" * 125, "instagram") is None
    assert fold_offset("a" * 200, "instagram") == 125
    assert fold_offset(GRIN * 100, "instagram") == 62  # each 😀 is two UTF-16 units
    assert fold_offset("a" * 600, "threads") is None  # Threads has no fold
    assert fold_offset("a" * 300, "linkedin", {"fold": 100}) == 100


_GRAPHEME = regex.compile(r"\X")


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(
    ["a", " ", "\r", "\n", E_NFC, "\u0301", "\u200d", "\ufe0f", "\U0001F3FD", "\U0001F1EE",
     "\U0001F468", "\u0600", "\u0915", "\u094d", "\u1100", "\u1161", "\u11a8", "\u0903", "日"]),
    max_size=30))
def test_grapheme_count_matches_regex_x(text):
    # The fast path must agree with counting \X matches one by one.
    assert count(text, "bluesky") == len(_GRAPHEME.findall(text))
# Texts that mix characters below and above U+0300 (the grapheme count looks up cluster
# properties only around the latter): each counting must agree with its plain definition.
STRETCHY = ["plain words ", "a", " ", "\r", "\n", "\r\n", E_NFD, E_NFC, "\u0301", "\u200d",
            "\ufe0f", "\U0001F3FD", "\U0001F1EE", GRIN, FAMILY, "\u0600", "\u0915\u094d\u0937",
            "\u1100\u1161\u11a8", "\u0903", "日", "\u212b", "\u0344", "\u2026", "\u2030",
            "\ud800", "©", "\u00bf"]


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(st.sampled_from(STRETCHY), max_size=40))
def test_whole_text_counts_agree_with_their_definitions(pieces):
    joined = "".join(pieces)
    for text in (joined, joined + " " * 2 * len(joined)):  # mostly high, then mostly low
        measure = Measure(text, tokens=[])
        assert measure._units("code_points") == len(text)
        assert measure._units("graphemes") == len(_GRAPHEME.findall(text))
        assert measure._units("utf16") == len(text.encode("utf-16-le", "surrogatepass")) // 2


AWKWARD = [GRIN, THUMB, FLAG, FAMILY, E_NFD, E_NFC, "日本", "\r\n", " ", "a", "#tag", "@ana",
           "@ana@social.example", "https://example.com/some/long/path", "example.com", "\u0301",
           "\u200d", "\ud800", "ก้"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(st.sampled_from(AWKWARD) | st.text(max_size=5), max_size=60),
       platform=st.sampled_from(PLATFORMS), units=st.integers(0, 120))
def test_offsets_agree_with_counts(pieces, platform, units):
    text = "".join(pieces)
    measure = Measure(text)
    sp = spec(platform)
    offset = measure.offset_past(sp, units)
    total = measure.count(sp)
    if total <= units:
        assert offset is None
    else:
        assert offset is not None and 0 <= offset < len(text)
        boundaries = {m.start() for m in _GRAPHEME.finditer(text)}
        token_starts = {t.start for t in chain.from_iterable(measure._entities)}
        assert offset in boundaries | token_starts  # never inside what a reader sees as one


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(st.sampled_from(AWKWARD + STRETCHY + ["\u00e9t\u00e9 ", "\r\n"]),
                       max_size=30))
def test_lengths_agree_with_counting_each_platform(pieces):
    # lengths() counts each counting once for all platforms: each platform's length must
    # still be its own count.
    text = "".join(pieces)
    assert lengths(text) == {p: count(text, p) for p in PLATFORMS}


# ---------------------------------------------------------------------------------------
# The checks


def test_too_long_marks_exactly_the_overflow_with_figures():
    text = "a" * 300 + " " + GRIN * 6
    report = analyze(text, language="en", platform="x")
    (f,) = rules(report, "platform.too_long")
    assert f.severity is Severity.ERROR
    assert (f.start, f.end) == (280, len(text))
    assert f.message.startswith("313 of 280 characters on X")
    assert report.metrics["length"]["x"] == 313
    assert report.metrics["limit"] == 280


def test_too_long_uses_thousands_separators():
    report = analyze("word " * 700, language="en", platform="linkedin")
    (f,) = rules(report, "platform.too_long")
    assert "3,500 of 3,000 characters on LinkedIn" in f.message


def test_threads_refuses_more_than_five_links():
    links = " ".join(f"https://example.com/{i}" for i in range(7))
    report = analyze(f"Our guides: {links}", language="en", platform="threads")
    hits = rules(report, "platform.too_long")
    assert [report.text[f.start:f.end] for f in hits] == ["https://example.com/5",
                                                          "https://example.com/6"]
    assert hits[0].message == "7 links: Threads allows 5 in one post."


def test_platform_rules_without_a_platform():
    text = "word " * 100 + "#one #two #three #four @a @b @c @d @e @f"
    report = analyze(text, language="en")
    assert not rules(report, "platform.too_long") and not rules(report, "platform.fold")
    assert "limit" not in report.metrics
    assert set(report.metrics["length"]) == set(PLATFORMS)
    # General defaults: more than 3 hashtags, more than 5 mentions.
    assert [report.text[f.start:f.end] for f in rules(report, "platform.hashtags")] == ["#four"]
    assert [report.text[f.start:f.end] for f in rules(report, "platform.mentions")] == ["@f"]


def test_hashtag_allowances_per_platform():
    text = "Fresh bread today. #bread #bakery #sourdough #bandung #breakfast #cafe"
    insta = rules(analyze(text, language="en", platform="instagram"), "platform.hashtags")
    assert [(f.severity, text[f.start:f.end]) for f in insta] == [(Severity.ERROR, "#cafe")]
    assert "Instagram allows 5 per post" in insta[0].message
    x = rules(analyze(text, language="en", platform="x"), "platform.hashtags")
    assert len(x) == 4 and all(f.severity is Severity.SUGGESTION for f in x)
    # Every tag past the allowance is marked, each with the same texts.
    many = text + " #rye #oven #crumb"
    insta = rules(analyze(many, language="en", platform="instagram"), "platform.hashtags")
    assert [many[f.start:f.end] for f in insta] == ["#cafe", "#rye", "#oven", "#crumb"]
    assert len({(f.message, f.suggestion, f.severity, f.fix, f.area) for f in insta}) == 1
    assert "9 hashtags" in insta[-1].message
    threads = rules(analyze("Bread! #bread #bakery", language="en", platform="threads"),
                    "platform.hashtags")
    assert [f.start for f in threads] == [14]
    assert not rules(analyze("Bread! #bread #bakery", language="en", platform="x"),
                     "platform.hashtags")


def test_lowercase_multiword_hashtag_gets_camel_case_fix():
    text = "Tips for answering comments. What works for you? #socialmediatips"
    (f,) = rules(analyze(text, language="en"), "platform.hashtags")
    assert text[f.start:f.end] == "#socialmediatips" and f.fix == "#SocialMediaTips"
    assert "#SocialMediaTips" in f.suggestion
    (unsure,) = rules(analyze("New today #appsnow", language="en"), "platform.hashtags")
    assert unsure.fix is None  # apps·now or app·snow: no safe fix


@pytest.mark.parametrize(("tag", "language", "fixed"), [
    ("#socialmediatips", "en", "#SocialMediaTips"),
    ("#photooftheday", "en", "#PhotoOfTheDay"),
    ("#100daysofcode", "en", "#100DaysOfCode"),
    ("#christmasgifts", "en", "#ChristmasGifts"),
    ("#kulinerjakarta", "id", "#KulinerJakarta"),
    ("#ceritahariini", "id", "#CeritaHariIni"),
    ("#felizlunes", "es", "#FelizLunes"),
    ("#últimodíadenavidad", "es", "#ÚltimoDíaDeNavidad"),
    ("#machdeinding", "de", "#MachDeinDing"),
    ("#frohefeiertage", "de", "#FroheFeiertage"),
    ("#socialmedia", "de", "#SocialMedia"),  # English tags in a German post
])
def test_hashtag_splits(tag, language, fixed):
    split = split_hashtag(tag, language)
    assert split is not None and split.confident
    assert split.camel_case == fixed


@pytest.mark.parametrize(("tag", "language"), [
    ("#weekend", "en"), ("#together", "en"), ("#facebook", "en"), ("#because", "en"),
    ("#something", "en"), ("#carpet", "en"), ("#love", "en"), ("#SocialMediaTips", "en"),
    ("#SOCIALMEDIA", "en"), ("#social_media", "en"), ("#sommerurlaub", "de"),
    ("#wochenende", "de"), ("#werden", "de"), ("#países", "es"), ("#makanan", "id"),
    ("#zzzqqq", "en"), ("#2024", "en"), ("#summer2025", "en"), ("#日本語", "en"),
])
def test_hashtags_that_are_not_split(tag, language):
    assert split_hashtag(tag, language) is None


def test_link_only_and_opening_link():
    (bare,) = rules(analyze("New post: https://example.com/blog", language="en"),
                    "platform.link_only")
    assert "words besides it: 2" in bare.message
    text = "https://example.com/blog Five ways to answer a hard comment without losing it."
    (opens,) = rules(analyze(text, language="en"), "platform.link_only")
    assert (opens.start, opens.end) == (0, 24) and "opens with a link" in opens.message
    assert not rules(analyze("No links in this short one.", language="en"), "platform.link_only")


def test_mentions_only_in_posts():
    text = "Thanks @a @b @c @d @e @f @g!"
    assert len(rules(analyze(text, language="en"), "platform.mentions")) == 2
    assert not rules(analyze(text, language="en", kind="reply"), "platform.mentions")
    assert not rules(analyze(text, language="en", platform="x",
                             settings={"platforms": {"x": {"mentions": 10}}}),
                     "platform.mentions")


def test_fold_question_and_hook():
    filler = "We tried three ways to answer comments this month and wrote down what happened. "
    text = filler * 2 + "Which one do you use?"
    (f,) = rules(analyze(text, language="en", platform="instagram"), "platform.fold")
    assert text[f.start:f.end] == "Which one do you use?"
    assert "125 characters on Instagram" in f.message
    # A first sentence that only runs on past the fold is seen where it starts: not flagged,
    # but the question after the fold is.
    long_first = "We " + "really " * 30 + "tried it. What do you think?"
    found = rules(analyze(long_first, language="en", platform="instagram"), "platform.fold")
    assert [long_first[f.start:f.end] for f in found] == ["What do you think?"]
    # The opening hidden behind tags.
    tags = " ".join(f"#tag{i}" for i in range(25))
    hook = tags + " Our new menu is out. What should we add?"
    found = rules(analyze(hook, language="en", platform="instagram"), "platform.fold")
    assert any(hook[f.start:f.end] == "Our new menu is out." for f in found)


def test_the_fold_finds_the_first_question_as_the_dialogue_checks_do():
    filler = "We tried three ways to answer comments this month and wrote down what happened. "
    # A question run into the next words ("?Tell") is still the question it asks …
    run_on = filler * 2 + "Which one do you use?Tell us below."
    (f,) = rules(analyze(run_on, language="en", platform="instagram"), "platform.fold")
    assert run_on[f.start:f.end] == "Which one do you use?"
    # … and a question in quotes asks the reader nothing: no question is behind the fold.
    quoted = filler * 2 + 'A reader wrote to us: "Why bother?"'
    assert not rules(analyze(quoted, language="en", platform="instagram"), "platform.fold")


def test_fold_on_x_only_matters_when_the_limit_is_raised():
    text = "We changed a lot this year. " * 12 + "What should we change next?"
    assert not rules(analyze(text, language="en", platform="x"), "platform.fold")
    premium = analyze(text, language="en", platform="x",
                      settings={"platforms": {"x": {"limit": 25000}}})
    (f,) = rules(premium, "platform.fold")
    assert text[f.start:f.end] == "What should we change next?"
    assert premium.metrics["fold_offset"] == 280


def test_spans_in_bounds_and_fixes_are_strings():
    for platform in (None, *PLATFORMS):
        for text in ["", GRIN * 400, "#a " * 300, "@b " * 300, "https://x.co/a " * 100,
                     "¿Qué? " * 200, E_NFD * 400]:
            report = analyze(text, language="en", platform=platform)
            for f in report.findings:
                if f.area == "platform":
                    assert 0 <= f.start <= f.end <= len(text)
                    assert f.fix is None or isinstance(f.fix, str)


# ---------------------------------------------------------------------------------------
# Speed (figures are printed, never asserted)


def test_one_megabyte_stays_fast(capsys):
    text = ("Hello world 😀 https://example.com/a/b #socialmediatips @ana@social.example "
            "日本語 e\u0301. ") * 14_000
    assert len(text) > 1_000_000
    started = time.perf_counter()
    measure = Measure(text)
    result = {p: measure.count(spec(p)) for p in PLATFORMS}
    counted = time.perf_counter()
    offsets = {p: measure.offset_past(spec(p), limit(p) or 0) for p in PLATFORMS}
    done = time.perf_counter()
    quick = time.perf_counter()
    count(text, "linkedin")
    linkedin = time.perf_counter() - quick
    assert all(v > 0 for v in result.values())
    assert all(o is not None for o in offsets.values())
    with capsys.disabled():
        print(f"\n1 MB: count 7 platforms {(counted - started) * 1000:.0f} ms (tokenizing once "
              f"included), 7 overflow offsets {(done - counted) * 1000:.0f} ms, LinkedIn "
              f"alone {linkedin * 1000:.0f} ms")


@pytest.mark.parametrize("text", ["plain", "café ☕"])
def test_an_unknown_counting_is_an_error_not_a_guess(text):
    made_up = PlatformSpec(name="new", label="New", limit=10, counting="syllables")
    with pytest.raises(ValueError, match="unknown counting 'syllables'"):
        Measure(text).count(made_up)
