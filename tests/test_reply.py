"""The reply checks: they run only on replies, judge the draft against the comment it
answers, and mark where an acknowledgement or a next step belongs."""

from __future__ import annotations

import pytest

from coach.analysis import LANGUAGES, analyze

REPLY = ("reply.no_acknowledgement", "reply.defensive", "reply.no_next_step")


def hits(text: str, rule: str, comment: str = "", language: str = "en", **kwargs):
    report = analyze(text, language=language, kind="reply", comment=comment, **kwargs)
    return [text[f.start:f.end] for f in report.findings if f.rule == rule]


@pytest.mark.parametrize("language", LANGUAGES)
def test_reply_rules_never_run_on_a_post(language):
    report = analyze("Actually, as we already said, you are wrong.", language=language)
    assert not [f for f in report.findings if f.rule in REPLY]


def test_an_empty_reply_has_nothing_to_report():
    for text in ("", "   ", "🙂"):
        assert [r for r in REPLY if hits(text, r, "Where is my order?")] == []


def test_acknowledgement_anywhere_counts_and_its_absence_marks_the_first_sentence():
    comment = "My parcel is late."
    assert hits("The parcel left on Monday. Sorry about the wait!",
                "reply.no_acknowledgement", comment) == []
    assert hits("The parcel left on Monday. It should arrive soon.",
                "reply.no_acknowledgement", comment) == ["The parcel left on Monday."]


def test_actually_is_defensive_only_when_it_opens_a_sentence():
    assert hits("Actually, the price is the same.", "reply.defensive") == ["Actually"]
    assert hits("Thanks! Well, actually the price is the same.", "reply.defensive") \
        == ["Well, actually"]
    assert hits("Thanks! We actually tested it twice.", "reply.defensive") == []


def test_a_question_back_or_a_link_is_a_next_step():
    comment = "The lid broke."
    assert hits("Sorry! Which lid was it?", "reply.no_next_step", comment) == []
    assert hits("Sorry! Here is the spare part: https://example.com/lids",
                "reply.no_next_step", comment) == []
    assert hits("Sorry about the lid. It happens.", "reply.no_next_step", comment) \
        == ["It happens."]


@pytest.mark.parametrize(("language", "comment"), [
    ("en", "Love the new cake, best bakery in town!"),
    ("id", "Kuenya enak banget, mantap!"),
    ("es", "¡Me encanta la tarta nueva!"),
    ("de", "Der Kuchen ist super lecker!"),
])
def test_praise_needs_no_next_step(language, comment):
    report = analyze("😊", language=language, kind="reply", comment=comment)
    assert not [f for f in report.findings if f.rule == "reply.no_next_step"]
    thanks = {"en": "Thank you so much!", "id": "Makasih banyak!", "es": "¡Mil gracias!",
              "de": "Vielen Dank!"}[language]
    report = analyze(thanks, language=language, kind="reply", comment=comment)
    assert [f.rule for f in report.findings if f.rule in REPLY] == []


def test_praise_with_a_complaint_or_a_question_still_needs_a_next_step():
    for comment in ("Love the cake but it arrived broken.", "Love it! Do you deliver?", ""):
        assert hits("Thank you so much!", "reply.no_next_step", comment) \
            == ["Thank you so much!"], comment


def test_reply_rules_can_be_switched_off():
    off = {"disabled": {"reply.no_next_step", "reply.no_acknowledgement"}}
    report = analyze("The shop opens at nine.", language="en", kind="reply",
                     comment="When do you open?", settings=off)
    assert not [f for f in report.findings if f.rule in REPLY]


@pytest.mark.parametrize(("language", "reply", "comment"), [
    ("en", "Sorry, Tom! Send us a DM with your order number and we'll check it today.",
     "Still waiting for my parcel!"),
    ("id", "Maaf ya, Kak. Kirim nomor pesanan lewat DM, kami cek hari ini.",
     "Paket saya belum sampai!"),
    ("es", "Lo sentimos, Ana. Escríbenos por MD con tu número de pedido y lo revisamos hoy.",
     "¡Sigo esperando mi paquete!"),
    ("de", "Das tut uns leid, Jonas. Schreib uns eine DM mit der Bestellnummer, "
           "wir prüfen es heute.", "Ich warte immer noch auf mein Paket!"),
])
def test_a_good_reply_is_clean_in_every_language(language, reply, comment):
    report = analyze(reply, language=language, kind="reply", comment=comment)
    assert [f.rule for f in report.findings if f.rule in REPLY] == []
