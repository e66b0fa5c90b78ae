"""Language detection among en, id, es, de: examples, edge cases, the engine's override,
the shipped data, and (where ../shared/corpora exists) accuracy on real posts."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
import tomllib
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.analysis import analyze
from coach.analysis.language import (
    DEFAULT_LANGUAGE,
    SAMPLE_CHARS,
    _ascii_words,
    _without_addresses,
    detect_language,
    detect_language_scores,
    guess_language,
)
from coach.analysis.model import LANGUAGES
from coach.data import read_text

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"

EXAMPLES = {
    "en": [
        "Just finished my first half marathon and my legs feel like jelly!",
        "Does anyone know a good place for brunch near the old harbour? @anna_b",
        "We are hiring! Come and build the future of farming with us 🚜 https://example.com/jobs",
        "Honestly the new season is way better than I expected #nospoilers",
        "Thank you all so much for the birthday wishes, you made my day ❤️",
        "Can't believe it's already Friday, where did this week go?",
    ],
    "id": [
        "Akhirnya selesai juga skripsiku, terima kasih buat semua yang sudah mendukung!",
        "Ada yang tahu tempat makan enak di sekitar Bandung? Lagi pengen sate nih 😋",
        "gw udah nunggu dari jam 7 tapi busnya belum dateng juga, capek banget",
        "Selamat pagi semuanya, jangan lupa sarapan dan minum air putih ya",
        "Promo akhir bulan! Diskon 50% untuk semua produk di toko kami https://toko.example.id",
        "Kenapa sih hujan terus tiap aku mau keluar rumah #galau",
    ],
    "es": [
        "Por fin terminé el maratón y no puedo ni caminar, pero qué felicidad",
        "¿Alguien sabe dónde venden churros buenos por el centro? @luisito",
        "Mañana empiezan las rebajas en nuestra tienda, ¡no te lo pierdas! 🛍️",
        "No me puedo creer que ya sea viernes, esta semana se me pasó volando",
        "Gracias a todos por las felicitaciones, sois los mejores ❤️ #cumpleaños",
        "Hoy toca paella con la familia y después una siesta bien larga",
    ],
    "de": [
        "Endlich habe ich meinen ersten Halbmarathon geschafft, meine Beine sind Pudding!",
        "Kennt jemand ein gutes Café für ein Frühstück in der Altstadt? @mia_k",
        "Wir suchen Verstärkung für unser Team in Köln 🚀 https://example.com/jobs",
        "Ehrlich gesagt ist die neue Staffel viel besser, als ich erwartet hatte #keinespoiler",
        "Danke euch allen für die lieben Geburtstagsgrüße, ihr seid die Besten ❤️",
        "Schon wieder Montag und der Zug hat natürlich Verspätung",
    ],
}

SHORT = [
    ("Thank you so much!", "en"),
    ("good morning", "en"),
    ("Danke schön!", "de"),
    ("Guten Morgen", "de"),
    ("¡Muchas gracias!", "es"),
    ("buenos días", "es"),
    ("makasih ya", "id"),
    ("selamat pagi", "id"),
]

NO_LETTERS = ["", "   \n\t ", "😀🎉👍🏽", "https://example.com/a/b?c=d", "@someone @else",
              "12:30 !!! ??? 100%", "info@example.com", "\x00\x00"]


@pytest.mark.parametrize(("lang", "text"),
                         [(lang, text) for lang, texts in EXAMPLES.items() for text in texts])
def test_own_examples_are_detected_confidently(lang, text):
    guess = guess_language(text)
    assert guess.language == lang, dict(guess.scores)
    assert detect_language(text) == lang
    assert guess.reliable


@pytest.mark.parametrize(("text", "lang"), SHORT)
def test_short_greetings(text, lang):
    assert detect_language(text) == lang


@pytest.mark.parametrize("text", NO_LETTERS)
def test_text_without_letters_gets_the_default_with_no_confidence(text):
    guess = guess_language(text)
    assert guess.language == DEFAULT_LANGUAGE == "en"
    assert guess.confidence == pytest.approx(0.25)
    assert not guess.reliable
    assert detect_language_scores(text) == pytest.approx(dict.fromkeys(LANGUAGES, 0.25))


def test_default_is_used_only_when_nothing_tells():
    assert guess_language("", default="de").language == "de"
    assert guess_language("🙂", default="id").language == "id"
    assert guess_language("Wie geht es dir heute?", default="es").language == "de"
    with pytest.raises(ValueError):
        guess_language("hello", default="fr")


def test_a_single_word_is_low_confidence():
    guess = guess_language("ok")
    assert guess.language in LANGUAGES
    assert not guess.reliable


def test_scores_are_probabilities_and_agree_with_the_answer():
    text = "Ich liebe this song so much, es ist einfach der beste!"
    scores = detect_language_scores(text)
    assert list(scores) == list(LANGUAGES)
    assert math.fsum(scores.values()) == pytest.approx(1.0)
    assert all(0.0 <= p <= 1.0 for p in scores.values())
    guess = guess_language(text)
    assert max(scores, key=scores.get) == guess.language
    assert guess.confidence == pytest.approx(scores[guess.language])
    assert sorted(scores, key=scores.get)[-2:] in (["en", "de"], ["de", "en"])


def test_links_handles_and_addresses_do_not_vote():
    text = "Danke für alles! @thebestcoffeeshopintown https://www.the-coffee-house.com/thank-you"
    assert detect_language(text) == "de"
    assert detect_language("Gracias por todo mail: thank.you.all@wonderful-company.com") == "es"


# What _without_addresses() replaced: one pattern whose first branch takes a whole
# whitespace-delimited token holding "@", "://" or "www.", the second a word's letters.
_REFERENCE_WORDS = re.compile(r"(?<!\S)\S*?(?:@|://|www\.)\S*|([^\W\d_]+)")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["a", "bc", "é", "@", "://", "www.", "w", ".", ":", "/", "2",
                                 " ", "\n", "\u3000", "\xa0", "x@y", "_"]), max_size=30)
       .map("".join))
def test_addresses_are_left_out_token_by_token(text):
    kept = re.findall(r"[^\W\d_]+", _without_addresses(text))
    assert kept == [w for w in _REFERENCE_WORDS.findall(text) if w]


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(max_codepoint=127), max_size=40))
def test_ascii_words_are_split_like_letters(text):
    sample = text.lower()
    assert _ascii_words(sample) == re.findall(r"[^\W\d_]+", sample)


def test_hashtag_words_count():
    assert detect_language("#terimakasih #selamatpagi #semangat") == "id"
    assert detect_language("#thankyou #goodmorning #weekendvibes") == "en"


def test_mixed_posts_follow_the_main_language():
    assert detect_language("Heute war ein langer Tag im Büro, aber egal: weekend vibes!") == "de"
    assert detect_language("Aku suka banget lagu ini, the best song ever sih menurutku") == "id"
    assert detect_language("Qué día tan bonito para ir a la playa con mis amigos, so happy") == "es"


def test_decomposed_accents_read_like_composed_ones():
    composed = "Mañana vamos a la montaña con mi abuelo"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert guess_language(decomposed) == guess_language(composed)


def test_capitals_do_not_change_the_answer():
    text = "Endlich Wochenende, jetzt erst mal ausschlafen"
    assert detect_language(text.upper()) == detect_language(text) == "de"


def test_only_the_start_of_a_long_text_is_read():
    german = EXAMPLES["de"][0] + " "
    head = (german * (SAMPLE_CHARS // len(german) + 1))[:SAMPLE_CHARS]
    english = " ".join(EXAMPLES["en"]) * 50
    assert guess_language(head + english) == guess_language(head)
    assert detect_language(head + english) == "de"


@pytest.mark.parametrize("text", [
    "\x00" * 10 + "hola amigos",
    "\ud800\udfff lone surrogates \udc00 hello",
    "שלום עולם مرحبا بالعالم",
    "e\u0301\u0301\u0301 z\u0336a\u0336",
    "a" * 1_000_000,
    ("Das ist ein langer Text. " * 40_000),
    "\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F" * 1000,
])
def test_never_raises_on_odd_text(text):
    guess = guess_language(text)
    assert guess.language in LANGUAGES
    assert math.fsum(guess.scores.values()) == pytest.approx(1.0)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_string_gives_a_stable_answer(text):
    first = guess_language(text)
    assert first.language in LANGUAGES
    assert 0.25 <= first.confidence <= 1.0
    assert guess_language(text) == first


def test_answers_do_not_depend_on_the_hash_seed():
    code = ("from coach.analysis.language import guess_language as g\n"
            "for t in ('Wie geht es dir?', 'ok', 'sama sama', 'no', 'Hola'):\n"
            "    r = g(t); print(r.language, repr(r.confidence))\n")
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        outputs.add(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                                   text=True, check=True).stdout)
    assert len(outputs) == 1


def test_engine_detects_unless_a_language_is_given():
    text = EXAMPLES["es"][0]
    report = analyze(text)
    assert (report.language, report.language_source) == ("es", "detected")
    report = analyze(text, language="auto")
    assert (report.language, report.language_source) == ("es", "detected")
    report = analyze(text, language="de")
    assert (report.language, report.language_source) == ("de", "given")
    with pytest.raises(ValueError):
        analyze(text, language="fr")


def test_shipped_word_lists_are_clean():
    data = tomllib.loads(read_text("languages", "detect", "words.toml"))
    assert set(data["words"]) == set(LANGUAGES)
    assert 0 < data["bonus"] <= 50
    for code, words in data["words"].items():
        assert len(words) == len(set(words)), f"duplicates in {code}"
        bad = [w for w in words if w != w.lower() or not w.isalpha()]
        assert not bad, f"{code}: not lowercase letters only: {bad}"


def test_shipped_gram_table_is_well_formed():
    lines = read_text("languages", "detect", "trigrams.txt").splitlines()
    assert lines[0].split("\t") == ["# gram", *LANGUAGES]
    for line in lines[1:]:
        gram, *costs = line.split("\t")
        values = [int(c) for c in costs]
        assert len(gram) == 3 and len(values) == len(LANGUAGES), line
        assert min(values) == 0 and max(values) <= 100, line


def _corpus_posts(lang: str) -> list[str]:
    # The id file stands "[USERNAME]"/"[URL]" where the others keep "@user" and a link.
    text = (CORPORA / f"{lang}.txt").read_text(encoding="utf-8")
    text = text.replace("[USERNAME]", "@user").replace("[URL]", "https://t.co/x")
    return [line for line in text.split("\n") if len(line) >= 40]


@pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora not present")
@pytest.mark.parametrize("lang", LANGUAGES)
def test_accuracy_on_real_posts(lang):
    posts = _corpus_posts(lang)
    assert len(posts) > 1000
    right = sum(detect_language(post) == lang for post in posts)
    assert right / len(posts) >= 0.95, f"{lang}: {right}/{len(posts)}"
