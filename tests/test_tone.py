"""The tone checks beyond their own examples: caps, exclamations, hard sell, hostility,
emoji and stretched words, in the corners where precision matters (German nouns,
acronyms, hashtags, compounds, emoji sequences) and on inputs that must never break them."""

from __future__ import annotations

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.analysis import LANGUAGES, analyze
from coach.analysis.checks.tone_caps import AMBIGUOUS, NEUTRAL, SHOUTED, _lexicon, classify
from coach.analysis.checks.tone_common import starts_sentence
from coach.analysis.checks.tone_stretched import normal_spelling
from coach.analysis.profile import PHRASES, declarations, language_pack
from coach.analysis.text import tokenize

TONE = ("tone.caps", "tone.exclamations", "tone.hard_sell", "tone.hostile",
        "tone.emoji_overload", "tone.stretched")


def hits(text: str, rule: str, language: str = "en", **kwargs):
    report = analyze(text, language=language, **kwargs)
    return [f for f in report.findings if f.rule == rule]


def marked(text: str, rule: str, language: str = "en", **kwargs) -> list[str]:
    return [text[f.start:f.end] for f in hits(text, rule, language, **kwargs)]


# --- tone.caps ---------------------------------------------------------------------------

def test_german_nouns_and_sentence_starts_never_count_as_capitals():
    text = ("Unser Angebot für die Woche: Brot, Kuchen und Kaffee aus der Region. "
            "Die Bäckerei Müller GmbH freut sich auf Ihren Besuch am Wochenende.")
    assert hits(text, "tone.caps", "de") == []


@pytest.mark.parametrize(("language", "text"), [
    ("en", "The CEO of NASA met the FBI, the UN and the EU in the USA."),
    ("id", "UMKM binaan BUMN di DKI tampil di acara KPK dan BPJS."),
    ("es", "La UE y EEUU hablan con la ONU, la OTAN y la OMS sobre el IVA."),
    ("de", "Die KI-Pläne der EU, der CDU und der SPD betreffen auch den DFB und die USA."),
])
def test_known_acronyms_are_not_shouting(language, text):
    assert hits(text, "tone.caps", language) == []


def test_hashtags_mentions_urls_emails_and_cashtags_are_not_words():
    text = ("Follow #SUMMERSALE, ask @BAKERYUK, mail SHOP@EXAMPLE.COM, read "
            "https://example.com/BIG-SALE and watch $AAPL today.")
    assert hits(text, "tone.caps") == []


def test_single_letters_roman_numerals_and_laughs_are_not_shouting():
    assert hits("Part II and part XIV of the series: I loved both, A to Z.", "tone.caps") == []
    assert hits("HAHAHA, what a reply. LOL.", "tone.caps") == []
    assert hits("JAJAJA, qué bueno.", "tone.caps", "es") == []
    assert hits("Wkwkwk, lucu banget.", "tone.caps", "id") == []


def test_unknown_short_words_look_like_acronyms_unless_next_to_shouting():
    lex = _lexicon(language_pack("en"))
    assert classify("PSG", lex, 4) == NEUTRAL  # no vowel: an initialism
    assert classify("BPJSTK", lex, 4) == NEUTRAL  # no vowel, any length
    assert classify("OM", lex, 4) == AMBIGUOUS
    assert classify("NOW", lex, 4) == SHOUTED  # a known word
    assert classify("AMAZING", lex, 4) == SHOUTED  # longer than an acronym
    assert classify("US", lex, 4) == AMBIGUOUS  # an acronym that is also a word
    assert hits("Tickets for PSG vs OM are out.", "tone.caps") == []
    assert marked("WE LOVE US", "tone.caps") == ["WE LOVE US"]


def test_a_line_mostly_in_capitals_shouts_even_with_unknown_short_words():
    assert marked("UMA OLA EKO IDA UNO OTA", "tone.caps") == ["UMA OLA EKO IDA UNO OTA"]
    assert hits("We met Uma and OLA today.", "tone.caps") == []


def test_one_word_is_a_suggestion_a_run_is_a_warning():
    (one,) = hits("It was SO good.", "tone.caps")
    assert one.severity.label == "suggestion"
    (run,) = hits("It was SO SO good.", "tone.caps")
    assert run.severity.label == "warning"


def test_runs_stop_at_line_breaks_and_lowercase_words():
    assert marked("BIG NEWS\nHUGE SALE", "tone.caps") == ["BIG NEWS", "HUGE SALE"]
    assert marked("BIG news, HUGE sale", "tone.caps") == ["BIG", "HUGE"]


@pytest.mark.parametrize(("language", "text", "fix"), [
    ("en", "WE LOVE YOU AND I MISS YOU", "We love you and I miss you"),
    ("en", "DON’T STOP NOW", "Don’t stop now"),
    ("en", "We went to Leeds. VISIT LEEDS NOW", "Visit Leeds now"),
    ("en", "MARIELLA says hi.", "Mariella"),
    ("es", "¡HOLA A TODOS!", "Hola a todos"),
    ("de", "JETZT KAUFEN", "Jetzt kaufen"),
    ("de", "Heute GROSSER SALE im Laden.", "großer Sale"),
])
def test_sentence_case_fix(language, text, fix):
    assert [f.fix for f in hits(text, "tone.caps", language)] == [fix]


@pytest.mark.parametrize(("language", "text"), [
    ("en", "Gold card signed by TIM DUNCAN today."),  # names: unknown words, no prose
    ("en", "I met MARIELLA today."),
    ("de", "Heute NEUE TASCHEN im Laden."),  # "Taschen" is a noun German keeps capital
])
def test_no_fix_where_the_case_of_a_word_cannot_be_known(language, text):
    (finding,) = hits(text, "tone.caps", language)
    assert finding.fix is None


def test_sentence_starts_skip_emoji_opening_marks_and_leading_mentions():
    for text, word in (("@ana 🎉 ¡GRACIAS!", "GRACIAS"), ("Hi. 👋 THANKS", "THANKS"),
                       ("«JA» sagt er", "JA")):
        tokens = tokenize(text)
        index = next(i for i, t in enumerate(tokens) if t.text == word)
        assert starts_sentence(text, tokens, index), text
    tokens = tokenize("thanks @bob YOU ROCK")
    assert not starts_sentence("thanks @bob YOU ROCK", tokens, 2)


# --- tone.exclamations ----------------------------------------------------------------

def test_spanish_opening_marks_count_once_and_runs_of_them_collapse():
    assert hits("¡Hola! ¡Qué alegría! ¿Qué tal?", "tone.exclamations", "es") == []
    text = "¡¡¡Hola!!! ¿Qué tal?"
    assert sorted((text[f.start:f.end], f.fix) for f in
                  hits(text, "tone.exclamations", "es")) == [("!!!", "!"), ("¡¡¡", "¡")]


def test_a_mark_past_the_limit_that_closes_an_opening_mark_has_no_fix():
    text = "¡Hola! ¡Nuevos sabores! ¡Envío gratis!"
    (finding,) = hits(text, "tone.exclamations", "es")
    assert (finding.start, finding.fix) == (len(text) - 1, None)


# --- tone.hard_sell and tone.hostile ---------------------------------------------------

def test_hard_sell_ignores_customers_and_finds_curly_apostrophes():
    assert hits("I can't buy now, maybe on payday.", "tone.hard_sell") == []
    assert marked("Don’t miss out on the autumn menu.", "tone.hard_sell") == ["Don’t miss out"]
    assert hits("Aku mau beli sekarang tapi belum gajian.", "tone.hard_sell", "id") == []
    assert hits("Ich will das Konzert nicht verpassen.", "tone.hard_sell", "de") == []


def test_phrases_never_match_inside_hashtags_mentions_urls_or_compounds():
    text = "#idiots @idiots https://example.com/idiots idiot-proof and anti-idiots"
    assert hits(text, "tone.hostile") == []
    assert hits("#BuyNow or https://example.com/buy now", "tone.hard_sell") == []


def test_insults_fire_only_when_aimed():
    assert hits("This idiot-proof recipe works.", "tone.hostile") == []
    assert hits("I felt like an idiot yesterday.", "tone.hostile") == []
    assert hits("You know, that idiot of a printer jammed again.", "tone.hostile") == []
    assert marked("Honestly, you absolute idiot.", "tone.hostile") == ["you absolute idiot"]
    assert marked("Gitu aja, bego amat lu.", "tone.hostile", "id") == ["bego amat lu"]
    assert hits("No eres tonto por preguntar.", "tone.hostile", "es") == []
    assert marked("Qué tonto eres.", "tone.hostile", "es") == ["tonto eres"]
    assert hits("Bist du ein Opfer von Betrug geworden?", "tone.hostile", "de") == []
    assert hits("Ich brauche einen Idioten für Level 5.", "tone.hostile", "de") == []


def test_a_listed_insult_is_reported_once():
    assert marked("Hey you idiots, read it.", "tone.hostile") == ["idiots"]


# --- tone.emoji_overload ---------------------------------------------------------------

def test_emoji_sequences_count_as_one():
    family, flag, thumbs = "👨‍👩‍👧‍👦", "🇩🇪", "👍🏽"
    text = f"Us {family} at home {flag} with {thumbs} and 😀 and 🎉"
    assert hits(text, "tone.emoji_overload") == []  # five emoji, none in a row
    assert hits(f"{family}{flag}", "tone.emoji_overload") == []


def test_typographic_symbols_are_not_emoji():
    assert hits("Brand™ ® © Brand™ ® © Brand™", "tone.emoji_overload") == []


def test_runs_are_spans_and_identical_runs_collapse():
    text = "Done 🎉🎉🎉 and 🔥 🥳 🎈"
    found = sorted((text[f.start:f.end], f.fix) for f in hits(text, "tone.emoji_overload"))
    assert found == [("🎉🎉🎉", "🎉"), ("🔥 🥳 🎈", None)]
    assert hits("Done 🎉🎉\n🎉", "tone.emoji_overload") == []  # a line break ends a run


def test_too_many_emoji_points_at_the_first_one_past_the_limit():
    text = "a 😀 b 😁 c 😂 d 🤣 e 😃 f 😄 g 😅"
    (finding,) = hits(text, "tone.emoji_overload")
    assert text[finding.start:finding.end] == "😄"
    relaxed = {"params": {"tone.emoji_overload": {"max_per_post": 10}}}
    assert hits(text, "tone.emoji_overload", settings=relaxed) == []


# --- tone.stretched ------------------------------------------------------------------------

@pytest.mark.parametrize(("language", "word", "fix"), [
    ("en", "soooo", "so"), ("en", "Pleaseeee", "Please"), ("en", "YESSSS", "YES"),
    ("en", "goooood", "good"), ("id", "kereeen", "keren"), ("es", "siiii", "sí"),
    ("es", "Holaaa", "Hola"), ("de", "jaaaa", "ja"), ("de", "lieeeebe", "liebe"),
    ("en", "wooohooo", None),
])
def test_normal_spelling(language, word, fix):
    assert normal_spelling(language_pack(language), word) == fix


def test_real_words_with_three_letters_laughs_and_codes_do_not_fire():
    de = "Die Schifffahrt ruht, Kaffeeersatz und Brennnesseltee gibt es trotzdem."
    assert hits(de, "tone.stretched", "de") == []
    assert hits("Hahahaha, hmmm, zzz, brrr, xDDD", "tone.stretched") == []
    assert hits("www.example.com, WWW, AAA batteries, Chapter XXX", "tone.stretched") == []
    assert hits("InshaaAllah besok kita ketemu.", "tone.stretched", "id") == []
    assert marked("Der Kuchen ist sooo lecker.", "tone.stretched", "de") == ["sooo"]


def test_stretched_threshold_is_a_parameter():
    strict = {"language_params": {"en": {"tone.stretched": {"min_run": 5}}}}
    assert marked("Jiaaaan is here", "tone.stretched") == ["Jiaaaan"]
    assert hits("Jiaaan is here", "tone.stretched", settings=strict) == []


# --- shared machinery ------------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_regex_phrases_are_written_to_be_fast(language):
    """A look-behind in front of a phrase is tried at every position of the text."""
    pack = language_pack(language)
    for area, spec in declarations():
        if area not in ("tone", "reply") or spec.metadata["kind"] is not PHRASES:
            continue
        for value in getattr(getattr(pack, area), spec.name):
            assert not value.startswith("re:(?<"), f"{language} [{area}] {spec.name}: {value}"


@pytest.mark.parametrize("text", [
    "", " ", "\x00", "\ud800 lone surrogate SHOUT", "مرحبا NOW !!!", "A" * 50_000,
    "AAAA " * 5_000, "¡a! " * 5_000, "😀" * 5_000, "soooo " * 5_000, "you idiot " * 5_000,
    "👨‍👩‍👧‍👦" * 1_000, "\u200d\ufe0f\u20e3" * 1_000,
])
@pytest.mark.parametrize("language", LANGUAGES)
def test_odd_and_huge_inputs_do_not_break_the_checks(text, language):
    report = analyze(text, language=language, kind="reply", comment=text[:100])
    for f in report.findings:
        assert 0 <= f.start <= f.end <= len(text)


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=300), language=st.sampled_from(LANGUAGES))
def test_any_text_gives_findings_in_bounds(text, language):
    report = analyze(text, language=language)
    for f in report.findings:
        if f.rule in TONE:
            assert 0 <= f.start < f.end <= len(text)
            assert f.fix is None or isinstance(f.fix, str)


@pytest.mark.parametrize("language", LANGUAGES)
def test_expressive_patterns_are_written_in_lower_case(language):
    """They are matched against case-folded words, without IGNORECASE."""
    for pattern in language_pack(language).tone.expressive:
        literal = regex.sub(r"\\[pPN]\{[^}]*\}|\\.", "", str(pattern))
        assert literal == literal.casefold(), pattern
