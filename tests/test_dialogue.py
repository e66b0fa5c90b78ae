"""The Dialogue checks (question.*, audience.*) and the question analyser they share.

The rule examples in resources/languages/*.toml are run by test_rule_examples.py;
these tests pin down the analyser's reading of questions and pronouns, and how the nine
rules speak together.
"""

from __future__ import annotations

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.analysis import Severity, analyze
from coach.analysis import questions as questions_module
from coach.analysis.checks.dialogue import pronouns
from coach.analysis.profile import language_pack
from coach.analysis.questions import questions
from coach.analysis.text import Doc


def _questions(text: str, lang: str):
    return questions(Doc(text, language=lang), language_pack(lang))


def _spans(text: str, lang: str) -> list[str]:
    return [text[q.start:q.end] for q in _questions(text, lang)]


def _rules(text: str, lang: str, **kwargs) -> list[str]:
    return [f.rule for f in analyze(text, language=lang, **kwargs).findings
            if f.rule.startswith(("question.", "audience."))]


# ---------------------------------------------------------------------------------------
# Where the questions are


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("en", "Read more at https://example.com/story?id=42&ref=home today.", []),
    ("en", "What do you think?😀 More photos soon.", ["What do you think?"]),
    ("en", "Love this 😍 What do you think?", ["What do you think?"]),
    ("en", "He asked me “why?” and walked off.", []),
    ("en", "Sure, that will work (?) if the weather holds.", []),
    ("en", "Why? Why not? ??? What now?!", ["Why?", "Why not?", "What now?!"]),
    ("en", "Hmm... what would you pick?", ["what would you pick?"]),
    ("en", "Did you see the final... ? Unreal.", ["Did you see the final... ?"]),
    ("en", "I don't follow comics, does this mean the hero is back?",
     ["does this mean the hero is back?"]),
    ("es", "Hola amigos, ¿qué opinan? Yo voto por el azul.", ["¿qué opinan?"]),
    ("es", "Me encanta esto ¿y a ti?", ["¿y a ti?"]),
    ("es", "Más info en https://ejemplo.es/tienda?id=42 desde hoy.", []),
    ("id", "Menu baru sudah datang. Apa pendapat kalian?", ["Apa pendapat kalian?"]),
    ("de", "Neue Sorte! Habt ihr sie schon probiert?", ["Habt ihr sie schon probiert?"]),
])
def test_where_the_questions_are(lang, text, expected):
    assert _spans(text, lang) == expected


# Where clauses end in a text without links or emoji: where this one pattern matches.
_REFERENCE_CLAUSE_END = regex.compile(
    r"[.!…。！]*[?？‽⁇⁈⁉][.!?…。？！‽⁇⁈⁉]*|[.!…。！]+(?![\p{L}\p{N}])|\n")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=".!…。！?？‽⁇⁈\n xY1١Ωé\u0301\u0558_-", max_size=30))
def test_clause_ends_are_where_the_reference_pattern_finds_them(text):
    # (No links, e-mails or emoji ("⁉" is one) in this alphabet: only the marks decide.
    # U+0558 is a letter that Python's own tables, older than regex's, do not know.)
    expected = [m.span() for m in _REFERENCE_CLAUSE_END.finditer(text)]
    assert questions_module._boundaries(Doc(text, language="en")) == expected


@pytest.mark.parametrize(("text", "ends"), [
    ("Read https://x.com/a?b=1. Or mail a..b@x.com.", [(24, 25), (44, 45)]),
    ("Big news 🐶 Are you ready", [(9, 9)]),
    ("Big news 🐶 are you ready", []),
    ("Big news 🐶\tÉtonnant", [(9, 9)]),
])
def test_clause_ends_outside_links_and_at_emoji_before_a_capital(text, ends):
    assert questions_module._boundaries(Doc(text, language="en")) == ends


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab ,;:-–\n.", max_size=40), st.data())
def test_last_part_is_the_last_of_the_parts(text, data):
    # last_part() looks from the last separator back; parts() splits at every one.
    view = questions_module.view(Doc(text, language="en"))
    n = len(view.tokens)
    lo = data.draw(st.integers(0, n))
    hi = data.draw(st.integers(lo, n))
    if hi > lo:
        assert view.last_part(lo, hi) == view.parts(lo, hi)[-1]


def test_questions_are_computed_once_per_doc():
    doc = Doc("What do you think? And you?", language="en")
    assert questions(doc) is questions(doc)


@pytest.mark.parametrize("text", ["", "?", "¿", "?!?!", "\x00?\ud800", "😀?" * 3,
                                  "¿" * 50, "What do you think" * 200])
@pytest.mark.parametrize("lang", ["en", "id", "es", "de"])
def test_awkward_input_does_not_raise(text, lang):
    for q in _questions(text, lang):
        assert 0 <= q.start < q.end <= len(text)


# ---------------------------------------------------------------------------------------
# Open, yes/no, or neither


@pytest.mark.parametrize(("lang", "text", "kind"), [
    ("en", "What do you think?", "open"),
    ("en", "So, which one would you pick?", "open"),
    ("en", "Do you like it?", "yes/no"),
    ("en", "Do you know what I mean?", "yes/no"),
    ("en", "Worth the climb, right?", "yes/no"),
    ("en", "Does anyone know where I can buy one?", "open"),
    ("en", "Coffee or tea?", "neither"),
    ("en", "Thoughts?", "neither"),
    # Indonesian: apa is "what", or the yes/no marker before a subject or an auxiliary.
    ("id", "Apa pendapat kalian?", "open"),
    ("id", "Apa kabar?", "open"),
    ("id", "Apa itu NFT?", "open"),
    ("id", "Kalian suka apa?", "open"),
    ("id", "Mau makan apa malam ini?", "open"),
    ("id", "Apa kamu suka kopi?", "yes/no"),
    ("id", "Apa ada yang tahu jalannya?", "yes/no"),
    ("id", "Apakah kamu suka?", "yes/no"),
    ("id", "Bisakah kalian datang lebih pagi?", "yes/no"),
    ("id", "Siapakah yang paling sering telat?", "open"),
    ("id", "Langkah pertama?", "neither"),
    ("id", "Besok libur kan?", "yes/no"),
    ("id", "Enak gak sih?", "yes/no"),
    ("id", "Kok bisa?", "open"),
    ("id", "Apa kalau hujan kalian tetap datang?", "yes/no"),
    # Spanish: accented question words anywhere, unaccented ones at the start.
    ("es", "¿Qué opinas?", "open"),
    ("es", "que opinan?", "open"),
    ("es", "¿Y eso por qué?", "open"),
    ("es", "¿Te gusta?", "yes/no"),
    ("es", "¿No es genial?", "yes/no"),
    ("es", "¿verdad?", "yes/no"),
    ("es", "¿Sabes que te quiero?", "yes/no"),
    ("es", "¿Café o té?", "neither"),
    ("es", "¿Lo mejor?", "neither"),
    # German: question word first, or a verb-first question.
    ("de", "Was denkt ihr?", "open"),
    ("de", "Weißt du, was ich meine?", "open"),
    ("de", "Habt ihr Lust?", "yes/no"),
    ("de", "Kennst du das?", "yes/no"),
    ("de", "Sind Sie dabei?", "yes/no"),
    ("de", "Gibt es hier WLAN?", "yes/no"),
    ("de", "Kommt der Bus bald?", "yes/no"),
    ("de", "Der Aufstieg lohnt sich, oder?", "yes/no"),
    ("de", "Klingt doch gut, oder nicht?", "yes/no"),
    ("de", "Kaffee oder Tee?", "neither"),
    ("de", "Mit ihr?", "neither"),
])
def test_open_or_yes_no(lang, text, kind):
    (q,) = _questions(text, lang)
    got = "open" if q.open else "yes/no" if q.yes_no else "neither"
    assert got == kind


@pytest.mark.parametrize(("lang", "text", "to_reader"), [
    ("en", "Why did I do that?", False),
    ("en", "What should I cook tonight?", True),
    ("en", "Why is the sky blue?", True),
    ("en", "Why did I agree, and would you have?", True),
    ("en", "@anna why did I agree to this?", True),
    ("id", "Kenapa aku selalu telat?", False),
    ("id", "Aku harus gimana dong?", True),
    ("es", "¿Por qué yo siempre llego tarde?", False),
    ("de", "Warum kaufe ich immer mehr Pflanzen, als auf mein Regal passen?", False),
    ("de", "Was soll ich auf den Balkon pflanzen?", True),
])
def test_to_reader(lang, text, to_reader):
    (q,) = _questions(text, lang)
    assert q.to_reader is to_reader


# ---------------------------------------------------------------------------------------
# Missing marks


@pytest.mark.parametrize(("lang", "text", "span", "missing", "fix"), [
    ("en", "What do you think.", "What do you think.", "?", "What do you think?"),
    ("en", "How was your weekend 😀", "How was your weekend", "?", "How was your weekend?"),
    ("es", "Qué opinan.", "Qué opinan.", "¿?", "¿Qué opinan?"),
    ("es", "¿Qué opinan.", "¿Qué opinan.", "?", "¿Qué opinan?"),
    ("es", "Hola amigos, qué opinan?", "qué opinan?", "¿", "¿qué opinan?"),
    ("es", "Te gusta?", "Te gusta?", "¿", "¿Te gusta?"),
    ("id", "Apa pendapat kalian.", "Apa pendapat kalian.", "?", "Apa pendapat kalian?"),
    ("de", "Was denkt ihr.", "Was denkt ihr.", "?", "Was denkt ihr?"),
    # Found at the first part of a word ("what" of "what's"), and by shape alone (no
    # listed phrase starts with "siehst"): a draft is searched wherever either can be.
    ("en", "What's your favourite flavour.", "What's your favourite flavour.", "?",
     "What's your favourite flavour?"),
    ("de", "Siehst du das Schild.", "Siehst du das Schild.", "?", "Siehst du das Schild?"),
])
def test_missing_marks(lang, text, span, missing, fix):
    (q,) = _questions(text, lang)
    assert (text[q.start:q.end], q.missing, q.fix) == (span, missing, fix)


def test_no_fix_where_the_place_of_the_mark_is_a_guess():
    # A comma and no question word: "¿Hola, te gusta?" would be wrong.
    (q,) = _questions("Hola, te gusta?", "es")
    assert q.missing == "¿" and q.fix is None


def test_a_question_that_trails_off_counts_but_lacks_nothing():
    (q,) = _questions("What do you think…", "en")
    assert not q.marked and q.missing == ""
    assert "question.none" not in _rules("We tried the new roastery on Elm Street today, "
                                         "and honestly? What do you think…", "en")


def test_spanish_opening_mark_is_info_and_closing_mark_a_suggestion():
    info = [f for f in analyze("Te gusta el nuevo diseño?", language="es").findings
            if f.rule == "question.unmarked"]
    plain = [f for f in analyze("¿Te gusta el nuevo diseño.", language="es").findings
             if f.rule == "question.unmarked"]
    assert [f.severity for f in info] == [Severity.INFO]
    assert [f.severity for f in plain] == [Severity.SUGGESTION]


def test_unmarked_fix_applies_cleanly():
    text = "New trail shoes arrived today. What do you think."
    (f,) = [f for f in analyze(text, language="en").findings if f.rule == "question.unmarked"]
    assert text[:f.start] + f.fix + text[f.end:] == \
        "New trail shoes arrived today. What do you think?"


# ---------------------------------------------------------------------------------------
# Pronouns


def _pronouns(text: str, lang: str) -> tuple[list[str], list[str]]:
    selves, readers = pronouns(Doc(text, language=lang))
    return [w.text for w in selves], [w.text for w in readers]


@pytest.mark.parametrize(("lang", "text", "selves", "readers"), [
    ("en", "The US team and us: you and your friends.", ["us"], ["you", "your"]),
    ("en", "Let's go! We’re ready.", ["We’re"], []),
    # Indonesian: kita includes the reader and counts for neither side; kami is self.
    ("id", "Kita bisa! Kami bangga pada kalian dan bajumu.", ["Kami"], ["kalian", "bajumu"]),
    ("id", "Ilmu itu penting, ketemu tamu setiap hari.", [], []),
    ("es", "Nosotros lo hicimos para ti y para ustedes.", ["Nosotros"], ["ti", "ustedes"]),
    ("es", "Tenemos nuestra parte de suerte: me encanta verte.", ["nuestra"], ["verte"]),
    # German: Sie inside a sentence is the formal you; at the start it is "you" only when
    # the post is formal elsewhere; ihr is "you" next to a verb, "her" after a preposition.
    ("de", "Besuchen Sie uns am Samstag.", ["uns"], ["Sie"]),
    ("de", "Sie ist toll. Wir lieben sie.", ["Wir"], []),
    ("de", "Sie sind herzlich eingeladen. Wir freuen uns auf Ihren Besuch.",
     ["Wir", "uns"], ["Sie", "Ihren"]),
    ("de", "Habt ihr Zeit? Ihr seid die Besten.", [], ["ihr", "Ihr"]),
    ("de", "Ich habe mit ihr telefoniert und ihr Auto gesehen.", [], []),
    ("de", "Ich habe ihr gesagt, dass wir kommen.", ["wir"], []),
    ("de", "WIR LIEBEN SIE", ["WIR"], []),
])
def test_pronouns(lang, text, selves, readers):
    assert _pronouns(text, lang) == (selves, readers)


def test_self_focus_says_what_it_counted():
    text = "We built our new app for busy parents, and we tested it with our kids. You'll love it."
    (f,) = [f for f in analyze(text, language="en").findings if f.rule == "audience.self_focus"]
    assert f.message.startswith("4 of your 5 pronouns are “we/our”")


def test_self_focus_threshold_is_a_parameter():
    text = "We love our city. You make it."
    assert "audience.self_focus" not in _rules(text, "en")
    settings = {"params": {"audience.self_focus": {"min_self": 2, "ratio": 1.0}}}
    assert "audience.self_focus" in _rules(text, "en", settings=settings)


# ---------------------------------------------------------------------------------------
# How the rules speak together


PLAIN = "We are closed on Monday for the bank holiday and back on Tuesday at nine."


def test_a_plain_post_gets_question_none_only():
    assert _rules(PLAIN, "en") == ["question.none"]


def test_no_invitation_speaks_when_question_none_is_off():
    rules = _rules(PLAIN, "en", settings={"disabled": ["question.none"]})
    assert rules == ["audience.no_invitation"]


def test_an_invitation_counts_as_asking():
    assert _rules(PLAIN + " Tell us your plans in the comments.", "en") == []


def test_bait_speaks_for_the_post():
    rules = _rules(PLAIN + " Tag a friend who needs a day off!", "en")
    assert rules == ["audience.engagement_bait"]


def test_one_way_ad_speaks_for_the_post():
    text = "Our new winter jackets are finally here, in six colours. Shop now at the link in bio."
    assert _rules(text, "en") == ["audience.one_way_ad"]
    rules = _rules(text, "en", settings={"disabled": ["audience.one_way_ad"]})
    assert rules == ["question.none"]


def test_short_posts_and_replies_are_not_asked_for_a_question():
    assert _rules("New menu today!", "en") == []
    assert _rules(PLAIN, "en", kind="reply", comment="When are you open?") == []


def test_too_many_marks_every_question_past_the_limit():
    text = "Why? Who? Where? When? How?"
    hits = [text[f.start:f.end] for f in analyze(text, language="en").findings
            if f.rule == "question.too_many"]
    assert hits == ["When?", "How?"]
    settings = {"language_params": {"en": {"question.too_many": {"max_questions": 4}}}}
    hits = [f for f in analyze(text, language="en", settings=settings).findings
            if f.rule == "question.too_many"]
    assert len(hits) == 1


def test_closed_marks_the_last_question_when_all_are_yes_no():
    text = "New flavour out today. Have you tried it? Is it better than the classic?"
    (f,) = [f for f in analyze(text, language="en").findings if f.rule == "question.closed"]
    assert text[f.start:f.end] == "Is it better than the classic?"
    assert "and so can your other 1" in f.message


def test_question_metrics():
    report = analyze("What do you think? Do you like it?", language="en")
    assert report.metrics["questions"] == 2
    assert report.metrics["open_questions"] == 1


def test_long_text_stays_quick_enough_to_finish():
    text = ("We tried it. Do you like it? " * 5000) + "What do you think."
    report = analyze(text, language="en")
    assert sum(f.rule == "question.too_many" for f in report.findings) == 5001 - 3
