"""Rule kinds as data (coach/analysis/kinds.py) and precedence as data (``silences``,
``defers_to``): a rule declared only in the catalogue runs with no Python of its own,
precedence silences as declared, and the catalogue loader refuses what it cannot apply."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coach.analysis import context, engine, kinds, language_files, packs, profile
from coach.analysis.engine import analyze
from coach.analysis.packs import PackError, catalogue, parse_catalogue

_TEXTS = '''area = "tone"
severity = "suggestion"
title = "Test rule"
why = "Only in a test."
suggestion = "Say it another way."
'''


def _clear() -> None:
    for cached in (packs.catalogue, profile._profile, profile._load, profile._codes,
                   profile.rule_lists, language_files.shipped_folder,
                   language_files._language_files, engine._registered_checks,
                   engine._runs, context._kind_rules, profile.rule_params, engine._silencers,
                   kinds.declared_rules, kinds.declared):
        cached.cache_clear()


@pytest.fixture
def resources(tmp_path, monkeypatch):
    """A copy of the shipped rules and language files for one test, changed by
    ``edit(folder, name, change)`` (``change``: the file's text -> its new text)."""
    shipped = packs.resource
    for folder in ("rules", "languages"):
        (tmp_path / folder).mkdir()
        for entry in shipped(folder).iterdir():
            if entry.name.endswith(".toml"):
                (tmp_path / folder / entry.name).write_text(
                    entry.read_text(encoding="utf-8"), encoding="utf-8")

    def edit(folder: str, name: str, change) -> None:
        path = tmp_path / folder / name
        path.write_text(change(path.read_text(encoding="utf-8") if path.exists() else ""),
                        encoding="utf-8")
        copies = lambda *parts: (  # noqa: E731
            tmp_path.joinpath(*parts) if parts[:1] in (("rules",), ("languages",))
            else shipped(*parts))
        monkeypatch.setattr(packs, "resource", copies)
        monkeypatch.setattr(language_files, "resource", copies)
        _clear()

    yield edit
    monkeypatch.undo()
    _clear()


@pytest.fixture
def with_rules(resources):
    """Add catalogue entries (TOML text) to the shipped catalogue for one test."""
    return lambda text: resources("rules", "zz-test.toml", lambda _: text)


def _found(text: str, language: str = "en", **kw) -> list[tuple[str, str, str | None]]:
    report = analyze(text, language=language, **kw)
    return [(f.rule, text[f.start:f.end], f.fix) for f in report.findings]


def _messages(text: str, rule: str, language: str = "en") -> list[str]:
    return [f.message for f in analyze(text, language=language).findings if f.rule == rule]


# ---------------------------------------------------------------------------------------
# Rules declared only as data


def test_an_existence_rule_declared_only_in_the_catalogue_runs(with_rules):
    with_rules('["tone.test_pressure"]\n' + _TEXTS + '''message = "Test: “{phrase}”."
placeholders = ["phrase"]
kind = "existence"
phrases = "tone.hard_sell"
''')
    assert "tone.test_pressure" in catalogue()
    assert ("tone.test_pressure", "Buy now", None) in _found("Buy now, it is good.")
    assert _messages("Buy now, it is good.", "tone.test_pressure") == ["Test: “Buy now”."]
    # Every language has the list: the rule speaks in each, with no code of its own.
    assert ("tone.test_pressure", "Beli sekarang", None) in _found(
        "Beli sekarang, enak sekali.", "id")
    assert not [f for f in _found("A calm post about bread.") if f[0] == "tone.test_pressure"]


def test_a_substitution_rule_declared_only_in_the_catalogue_offers_its_fix(with_rules):
    with_rules('["tone.test_plain"]\n' + _TEXTS + '''message = "“{phrase}”: say “{plain}”."
placeholders = ["phrase", "plain"]
kind = "substitution"
phrases = "readability.jargon"
''')
    found = [f for f in _found("Utilize the form.") if f[0] == "tone.test_plain"]
    assert found == [("tone.test_plain", "Utilize", "Use")]
    assert _messages("Utilize the form.", "tone.test_plain") == ["“Utilize”: say “Use”."]


def test_a_declared_rule_can_fill_a_placeholder_from_the_language_file():
    [suggestion] = [f.suggestion for f in analyze("Tag a friend!", language="en").findings
                    if f.rule == "audience.engagement_bait"]
    sample = profile.language_pack("en").dialogue.sample_question
    assert suggestion.endswith(f"“{sample}”")


_CALL_TO_ACTION = '["dialogue.test_no_call"]\n' + _TEXTS.replace("tone", "dialogue") + \
    '''message = "The post ends without asking the reader to do anything."
kinds = ["post"]
kind = "absence"
phrases = "dialogue.invitations"
search = "last_sentence"
params.min_chars = { type = "int", default = 40, min = 0, max = 100_000 }
'''


@pytest.mark.parametrize(("language", "asks", "ends"), [
    ("en", "We baked rye bread all week for the market. Tell us in the comments!",
     "Tell us in the comments! We baked rye bread all week for the market."),
    ("id", "Kami memanggang roti gandum untuk pasar minggu ini. Ceritakan di kolom komentar!",
     "Ceritakan di kolom komentar! Kami memanggang roti gandum untuk pasar minggu ini."),
    ("es", "Horneamos pan de centeno toda la semana para el mercado. ¡Cuéntanos!",
     "¡Cuéntanos! Horneamos pan de centeno toda la semana para el mercado."),
    ("de", "Wir haben die ganze Woche Roggenbrot für den Markt gebacken. Erzählt uns davon!",
     "Erzählt uns davon! Wir haben die ganze Woche Roggenbrot für den Markt gebacken."),
])
def test_an_absence_rule_declared_only_as_data(with_rules, language, asks, ends):
    # "The post ends without a call to action", in four languages with no code (here on
    # the invitation lists the language files already have).
    with_rules(_CALL_TO_ACTION)
    assert "dialogue.test_no_call" not in {rule for rule, _, _ in _found(asks, language)}
    [(_, span, _)] = [f for f in _found(ends, language) if f[0] == "dialogue.test_no_call"]
    assert ends.endswith(span)
    assert "dialogue.test_no_call" not in {rule for rule, _, _ in _found("Rye bread.",
                                                                         language)}


def test_the_phrase_lists_of_built_in_rules_declared_as_data():
    declared = {spec.id: (spec.kind, spec.phrases) for spec in kinds.declared_rules()}
    assert declared == {
        "tone.hard_sell": ("existence", "tone.hard_sell"),
        "reply.defensive": ("existence", "reply.defensive"),
        "readability.jargon": ("substitution", "readability.jargon"),
        "audience.engagement_bait": ("existence", "dialogue.bait"),
        "reply.no_acknowledgement": ("absence", "reply.acknowledgement"),
    }


@pytest.mark.parametrize("code", ["en", "id", "es", "de"])
def test_every_declared_rule_has_its_lists_in_every_language(code):
    for spec in kinds.declared_rules():
        for key in (spec.phrases, *spec.values.values()):
            assert kinds.language_value(profile.language_pack(code), key), \
                f"{spec.id}: no {key} in {code}.toml"


# ---------------------------------------------------------------------------------------
# Precedence as data


def test_a_declared_silence_applies_in_the_same_draft(with_rules):
    with_rules('["tone.test_calm"]\n' + _TEXTS + '''message = "Test: “{phrase}”."
placeholders = ["phrase"]
kind = "existence"
phrases = "reply.defensive"
silences = ["tone.hard_sell"]
''')
    text = "Buy now. You are wrong about the bread."
    rules = [rule for rule, _, _ in _found(text)]
    assert "tone.test_calm" in rules and "tone.hard_sell" not in rules
    # Switch the silencing rule off and the silenced one speaks again.
    report = analyze(text, language="en", settings={"disabled": ["tone.test_calm"]})
    assert "tone.hard_sell" in {f.rule for f in report.findings}


def test_a_declared_silence_over_overlapping_spans_only(with_rules):
    with_rules('["tone.test_now"]\n' + _TEXTS + '''message = "Test: “{phrase}”."
placeholders = ["phrase"]
kind = "existence"
phrases = "tone.hard_sell"
defers_to = ["house.avoid"]
precedence = "overlap"
''')
    from coach.analysis.house import parse_pack

    pack = parse_pack('[[avoid]]\nphrase = "buy now"\n', "p.toml")
    text = "Buy now. Limited time only."
    found = _found(text, packs=[pack])
    assert ("house.avoid", "Buy now", None) in found
    assert ("tone.test_now", "Limited time only", None) in found
    assert ("tone.test_now", "Buy now", None) not in found  # it overlaps house.avoid


def test_engagement_bait_silences_the_general_rules_and_only_while_it_is_on():
    text = "Our new bakery opens on Monday with fresh bread for everyone. Tag a friend!"
    rules = {rule for rule, _, _ in _found(text)}
    assert "audience.engagement_bait" in rules
    assert not rules & {"question.none", "audience.no_invitation", "audience.one_way_ad"}
    off = analyze(text, language="en", settings={"disabled": ["audience.engagement_bait"]})
    assert "question.none" in {f.rule for f in off.findings}


def test_question_none_silences_no_invitation():
    text = "Our new bakery opens on Monday with fresh bread and coffee for everyone in town."
    assert "question.none" in {rule for rule, _, _ in _found(text)}
    assert "audience.no_invitation" not in {rule for rule, _, _ in _found(text)}
    off = analyze(text, language="en", settings={"disabled": ["question.none"]})
    assert "audience.no_invitation" in {f.rule for f in off.findings}


# ---------------------------------------------------------------------------------------
# The loader is strict about the new keys

_RULE = '["tone.a"]\n' + _TEXTS + 'message = "A."\n'


@pytest.mark.parametrize(("extra", "message"), [
    ('silences = ["tone.b", "question.nnone"]\n',
     "x.toml:8: [tone.a.silences] unknown rule 'question.nnone'"),
    ('defers_to = ["tone.bb"]\n',
     "x.toml:8: [tone.a.defers_to] unknown rule 'tone.bb'; did you mean 'tone.b'?"),
    ('silences = ["tone.a"]\n', "x.toml:8: [tone.a.silences] a rule cannot silence itself"),
    ('precedence = "span"\n', "x.toml:8: [tone.a.precedence] must be one of draft, overlap"),
    ('kind = "existance"\nphrases = "tone.x"\n',
     "x.toml:8: [tone.a.kind] must be one of existence, substitution, absence, not 'existance'; "
     "did you mean 'existence'?"),
    ('kind = "existence"\n', "x.toml:8: [tone.a.kind] a rule with a `kind` names its"),
    ('kind = "existence"\nphrases = "hard_sell"\n',
     "x.toml:9: [tone.a.phrases] must name a language-file list as \"area.name\""),
    ('phrases = "tone.hard_sell"\n', "x.toml:8: [tone.a.phrases] only a rule with a `kind`"),
    ('kind = "existence"\nphrases = "tone.x"\nsearch = "draft"\n',
     "x.toml:10: [tone.a.search] only a rule of kind \"absence\" takes this key"),
    ('kind = "absence"\nphrases = "tone.x"\nspan = "first_line"\n',
     "x.toml:10: [tone.a.span] must be one of first_sentence, last_sentence"),
    ('kind = "existence"\nphrases = "tone.x"\nvalues = { example = "dialogue.sample" }\n',
     "x.toml:10: [tone.a.values.example] 'example' is not one of the rule's placeholders"),
    ('kind = "existence"\nphrases = "tone.x"\nplaceholders = ["phrase"]\n'
     'values = { phrase = "dialogue.sample_question" }\n',
     "x.toml:11: [tone.a.values.phrase] 'phrase' is filled by the existence kind itself"),
])
def test_the_catalogue_refuses_what_it_cannot_apply(extra, message):
    text = _RULE + extra + '\n["tone.b"]\n' + _TEXTS + 'message = "B."\n'
    with pytest.raises(PackError) as caught:
        parse_catalogue([("x.toml", text)])
    assert str(caught.value).startswith(message)


def test_the_shipped_catalogue_loads_with_its_precedence():
    rules = catalogue()
    assert rules["audience.engagement_bait"].silences == (
        "question.none", "audience.no_invitation", "audience.one_way_ad")
    assert rules["question.none"].silences == ("audience.no_invitation",)
    assert parse_catalogue([]) == {}


# ---------------------------------------------------------------------------------------
# The worked example of docs/extending.md, as written there


def _doc_blocks() -> list[str]:
    text = (Path(__file__).parents[1] / "docs" / "extending.md").read_text(encoding="utf-8")
    part = text.split("### Worked example", 1)[1]
    return re.findall(r"```toml\n(.*?)```", part, re.S)


def test_the_worked_example_of_adding_a_check_works_as_written(resources):
    entry, *language_files = _doc_blocks()
    rule = "audience.no_call_to_action"
    resources("rules", "dialogue.toml", lambda text: text + "\n" + entry)
    for code, block in zip(("en", "id", "es", "de"), language_files, strict=True):
        lists, examples = block.split("[examples.", 1)
        resources("languages", f"{code}.toml", lambda text, lists=lists, examples=examples:
                  text.replace("\n[dialogue]\n", "\n[dialogue]\n" + lists, 1)
                  + "\n[examples." + examples)
    for code in ("en", "id", "es", "de"):
        sets = profile.language_pack(code).examples[rule]
        assert sets["bad"] and sets["good"]
        for example in sets["bad"]:
            spans = [(f.start, f.end) for f in analyze(example.text, language=code).findings
                     if f.rule == rule]
            assert spans == [example.span], (code, example.text, spans)
        for example in sets["good"]:
            assert rule not in {f.rule for f in analyze(example.text, language=code).findings}
