"""Readability: syllables per language, the formulas against textstat, the score's words,
the short-post guard, and the readability.* checks' edges (fixes, hashtags, line breaks)."""

from __future__ import annotations

import math

import pytest

from coach.analysis import Settings, analyze
from coach.analysis.readability import (
    Counts,
    compile_syllable_rules,
    count,
    formulas,
    readability,
    syllables,
)
from coach.analysis.text import Doc
from coach.data import read_text

# Counts from dictionaries (CMU for English; the Duden, RAE and KBBI syllable breaks).
KNOWN_SYLLABLES = {
    "en": {"the": 1, "cat": 1, "table": 2, "people": 2, "jumped": 1, "wanted": 2, "makes": 1,
           "prices": 2, "video": 3, "idea": 3, "media": 3, "going": 2, "beautiful": 3,
           "everything": 3, "education": 4, "readability": 5, "syllable": 3, "doesn't": 2,
           "business": 2, "lovely": 2, "create": 2, "quiet": 2, "e-mail": 2, "café": 2,
           "hmm": 1, "Wednesday": 2, "Facebook": 2, "community": 4, "organization": 5},
    "de": {"Haus": 1, "heute": 2, "Bauer": 2, "Steuer": 2, "Feier": 2, "Theater": 3,
           "Nation": 3, "Januar": 3, "Kaffee": 2, "See": 1, "Quelle": 2, "aber": 2,
           "Zeitung": 2, "Abenteuer": 4, "Lösung": 2, "Situation": 5, "Kommunikation": 6,
           "Einkaufen": 3, "beobachten": 4, "Linien": 3, "schön": 1, "Deutschland": 2},
    "es": {"país": 2, "día": 2, "leía": 3, "hoy": 1, "muy": 1, "y": 1, "ayer": 2, "que": 1,
           "guerra": 2, "ciudad": 2, "aeropuerto": 5, "creo": 2, "acción": 2, "poeta": 3,
           "leer": 2, "cuidado": 3, "agua": 2, "pingüino": 3, "río": 2, "una": 2,
           "sinergia": 3, "Uruguay": 3},
    "id": {"sampai": 2, "kain": 2, "kalau": 2, "air": 2, "baik": 2, "daun": 2, "laut": 2,
           "pantai": 2, "saya": 2, "masyarakat": 4, "kereta": 3, "karena": 3, "pulau": 2,
           "dia": 2, "aku": 2, "sekolah": 3, "terintegrasi": 5},
}


@pytest.mark.parametrize("language", sorted(KNOWN_SYLLABLES))
def test_syllables_of_known_words(language):
    wrong = {word: (syllables(word, language), expected)
             for word, expected in KNOWN_SYLLABLES[language].items()
             if syllables(word, language) != expected}
    assert not wrong, f"(counted, expected): {wrong}"


@pytest.mark.parametrize("language", ["en", "id", "es", "de"])
@pytest.mark.parametrize("word", ["x", "zzz", "\x00", "\ud800", "'", "-", "😀", "İstanbul"])
def test_syllables_of_odd_words_are_at_least_one(language, word):
    assert syllables(word, language) >= 1


def test_english_exceptions_are_all_needed():
    """Every word in en.syllables.txt must differ from what the bare rules count; when the
    rules change, rebuild the file (resources/readability/build_en_syllables.py)."""
    bare = compile_syllable_rules("en", exceptions=False)
    full = compile_syllable_rules("en")
    assert len(full.exceptions) > 5000
    redundant = [w for w, n in full.exceptions.items() if bare.count(w) == n]
    assert not redundant, f"{len(redundant)} stale exceptions, e.g. {redundant[:10]}"
    assert "Carnegie Mellon University" in read_text("readability", "en.syllables.txt")


# ---------------------------------------------------------------------------------------
# The formulas are textstat's: same coefficients, same results from the same counts.

SAMPLES = {
    "en": "The city opened three new parks this summer. Families came from every part of "
          "town to see them. Which one should we visit next weekend?",
    "de": "Die Stadt hat diesen Sommer drei neue Parks eröffnet. Familien kamen aus allen "
          "Teilen der Stadt. Welchen Park besuchen wir am Wochenende?",
    "es": "La ciudad abrió tres parques nuevos este verano. Vinieron familias de todos los "
          "barrios. ¿Qué parque visitamos el fin de semana?",
    "id": "Kota membuka tiga taman baru musim ini. Keluarga datang dari seluruh penjuru "
          "kota. Taman mana yang kita kunjungi akhir pekan nanti?",
}


@pytest.fixture
def textstat_backend(monkeypatch):
    """textstat's functional backend, with NLTK's downloader made to fail loudly: English
    is reached through "en-US", a code whose root is not "en", so it never asks for cmudict."""
    textstat = pytest.importorskip("textstat")
    import nltk

    def no_download(*args, **kwargs):
        raise AssertionError("textstat tried to download NLTK data")

    monkeypatch.setattr(nltk, "download", no_download)
    return textstat.backend


@pytest.mark.parametrize(("formula", "language", "textstat_lang", "metric"), [
    ("flesch", "en", "en-US", "flesch_reading_ease"),
    ("amstad", "de", "de", "flesch_reading_ease"),
    ("szigriszt_pazos", "es", "es", "szigriszt_pazos"),
    ("fernandez_huerta", "es", "es", "fernandez_huerta"),
    ("lix", "id", None, "lix"),
])
def test_formula_matches_textstat(textstat_backend, formula, language, textstat_lang, metric):
    counts_api, metrics_api = textstat_backend.counts, textstat_backend.metrics
    text = SAMPLES[language]
    syllable_lang = textstat_lang or "id"
    counts = Counts(
        words=counts_api.count_words(text),
        sentences=counts_api.count_sentences(text),
        syllables=counts_api.count_syllables(text, syllable_lang),
        letters=0,
        long_words=counts_api.count_long_words(text),
    )
    expected = (metrics_api.lix(text) if textstat_lang is None
                else getattr(metrics_api, metric)(text, textstat_lang))
    assert 0 < expected < 100  # inside the scale, where our 0-100 clamp does not apply
    # textstat's Spanish base is 206.84 where Szigriszt-Pazos published 206.835.
    assert formulas()[formula].score(counts) == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_words_and_sentences_counted_like_textstat(textstat_backend, language):
    text = SAMPLES[language]
    ours = count(Doc(text, language=language))
    assert ours.words == textstat_backend.counts.count_words(text)
    assert ours.sentences == textstat_backend.counts.count_sentences(text)


# ---------------------------------------------------------------------------------------
# The score as people see it


def test_metrics_carry_the_score_with_its_words():
    report = analyze(SAMPLES["en"], language="en")
    metric = report.metrics["readability"]
    for key in ("formula", "score", "label", "scale", "band", "words_per_sentence",
                "syllables_per_word"):
        assert key in metric
    assert metric["formula"] == "Flesch reading ease"
    assert metric["label"] == "easy"
    assert isinstance(metric["score"], float) and 60 <= metric["score"] <= 100
    assert metric["words"] == 25 and metric["sentences"] == 3


@pytest.mark.parametrize(("language", "formula"), [
    ("en", "flesch"), ("de", "amstad"), ("es", "szigriszt_pazos"), ("id", "lix")])
def test_each_language_uses_its_formula(language, formula):
    result = readability(Doc(SAMPLES[language], language=language))
    assert result.formula_id == formula
    assert result.label in ("easy", "plain")
    assert result.band and result.scale and result.formula


def test_indonesian_says_it_has_no_calibrated_formula():
    result = readability(Doc(SAMPLES["id"], language="id"))
    assert not result.calibrated
    assert "calibrated" in result.note
    for language in ("en", "de", "es"):
        assert readability(Doc(SAMPLES[language], language=language)).calibrated


def test_hard_message_names_the_scale_not_a_bare_number():
    text = ("Notwithstanding considerable organizational complexity, our interdisciplinary "
            "implementation methodology systematically facilitates comprehensive stakeholder "
            "alignment, operational optimization and sustainable institutional transformation "
            "across heterogeneous international environments and multinational subsidiaries. "
            "Consequently, participating organizations experience considerable improvements.")
    [finding] = [f for f in analyze(text, language="en").findings
                 if f.rule == "readability.hard"]
    assert "Flesch reading ease 0" in finding.message  # clamped to the scale, not -150
    assert "very difficult" in finding.message and "higher is easier" in finding.message
    assert "{" not in finding.message + finding.suggestion
    assert (finding.start, finding.end) == (0, len(text))


def test_short_posts_are_never_called_hard():
    short = "Unprecedented organizational transformation accelerates institutional innovation."
    result = readability(Doc(short, language="en"))
    assert result.label == "hard" and not result.reliable
    assert not [f for f in analyze(short, language="en").findings
                if f.rule == "readability.hard"]
    longer = " ".join([short] * 6)  # 36 words of the same
    assert [f for f in analyze(longer, language="en").findings if f.rule == "readability.hard"]


def test_thresholds_are_parameters():
    text = SAMPLES["en"] + " " + SAMPLES["en"]
    assert not [f for f in analyze(text, language="en").findings
                if f.rule == "readability.hard"]
    strict = Settings(params={"readability.hard": {"hard_score": 99.0, "easy_score": 100.0}})
    hits = [f for f in analyze(text, language="en", settings=strict).findings
            if f.rule == "readability.hard"]
    assert hits
    report = analyze(text, language="en", settings=strict)
    assert report.metrics["readability"]["label"] == "hard"


def test_hashtags_mentions_links_and_emoji_are_not_words():
    plain = "We opened a new park today. Come and see it."
    noisy = ("@cityofoakland We opened a new park today 🌳🌳 #UrbanRegenerationInitiative. "
             "Come and see it https://example.org/parks/announcement-of-the-new-park")
    a, b = readability(Doc(plain, language="en")), readability(Doc(noisy, language="en"))
    assert (a.words, a.sentences, a.syllables_per_word) == \
        (b.words, b.sentences, b.syllables_per_word)


def test_no_words_no_score():
    for text in ("", "   ", "😀😀", "#tag @user https://example.org", "12 34"):
        assert readability(Doc(text, language="en")) is None
        assert "readability" not in analyze(text, language="en").metrics


def test_a_line_without_words_is_not_a_sentence():
    result = readability(Doc("We opened a park.\n#parks #city\n😀", language="en"))
    assert result.sentences == 1


@pytest.mark.parametrize("text", ["\x00word" * 50, "\ud800 word " * 40, "a " * 5000,
                                  "Ünïcödé wörds ünd ßtraße. " * 100])
def test_odd_text_scores_finite(text):
    result = readability(Doc(text, language="de"))
    assert result is not None and math.isfinite(result.score)
    assert 0 <= result.score <= 100


# ---------------------------------------------------------------------------------------
# The other readability checks


def _hits(text, rule, language="en", settings=None):
    report = analyze(text, language=language, settings=settings)
    return [(f.start, f.end, f.fix, f.message) for f in report.findings if f.rule == rule]


def test_long_sentence_limit_is_per_language():
    sentence = ("We asked our neighbours what they would change first in the park if the "
                "city gave them the money to do it.")  # 22 words
    assert not _hits(sentence, "readability.long_sentence", "en")
    german = ("Wir haben unsere Nachbarn gefragt, was sie im Park zuerst ändern würden, wenn "
              "die Stadt ihnen dafür Geld und genug Zeit geben würde.")  # 23 words
    [(start, end, _, message)] = _hits(german, "readability.long_sentence", "de")
    assert (start, end) == (0, len(german)) and "23 words" in message and "20" in message
    loose = Settings(language_params={"de": {"readability.long_sentence": {"max_words": 30}}})
    assert not _hits(german, "readability.long_sentence", "de", loose)


def test_jargon_fix_keeps_the_capitals():
    [(_, _, fix, message)] = _hits("UTILIZE the form.", "readability.jargon")
    assert fix == "USE" and "“UTILIZE” is jargon" in message
    [(_, _, fix, _)] = _hits("Utilized well, it helps.", "readability.jargon")
    assert fix == "Used"
    [(_, _, fix, _)] = _hits("Die Implementierung läuft.", "readability.jargon", "de")
    assert fix == "Umsetzung"


def test_jargon_phrases_span_spaces_but_not_punctuation():
    text = "A real paradigm \n shift, they said."
    [(start, end, fix, message)] = _hits(text, "readability.jargon")
    assert text[start:end] == "paradigm \n shift" and fix == "big change"
    assert "“paradigm shift”" in message
    assert not _hits("A paradigm, shift.", "readability.jargon")
    assert not _hits("Synergyfest and leverages are fine here.", "readability.jargon")


def test_jargon_without_a_safe_replacement_only_suggests():
    [(_, _, fix, message)] = _hits("Leverage your network.", "readability.jargon")
    assert fix is None and "“Use”" in message


def test_wall_of_text_counts_each_line_as_a_break():
    block = "This is one sentence of a long post that goes on and on. " * 8
    lines = "\n".join(["This is one sentence of a long post that goes on and on."] * 8)
    assert _hits(block.strip(), "readability.wall_of_text")
    assert not _hits(lines, "readability.wall_of_text")
    crlf = "Intro line.\r\n" + block.strip() + "\r\nThe end."
    [(start, end, _, message)] = _hits(crlf, "readability.wall_of_text")
    assert crlf[start:end] == block.strip() and "8 sentences" in message


def test_every_rule_can_be_switched_off():
    text = ("We [[utilize]] synergy. " * 60).replace("[[", "").replace("]]", "")
    rules = ("readability.hard", "readability.long_sentence", "readability.jargon",
             "readability.wall_of_text")
    off = Settings(disabled=frozenset(rules))
    report = analyze(text, language="en", settings=off)
    assert not [f for f in report.findings if f.rule in rules]


def test_a_malformed_threshold_is_refused_naming_the_rule_parameter_and_range():
    with pytest.raises(ValueError, match=r"^readability.long_sentence.max_words must be a "
                                         r"whole number from 1 to 1,000, not 'many'$"):
        Settings(params={"readability.long_sentence": {"max_words": "many"}})
    with pytest.raises(ValueError, match="readability.hard.hard_score must be a number"):
        Settings(params={"readability.hard": {"hard_score": "n/a"}})
