"""House-style packs: the example pack's own examples, strict loading, profiles."""

from __future__ import annotations

import pytest

from coach.analysis import analyze
from coach.analysis.house import load_pack, parse_pack
from coach.analysis.packs import PackError
from coach.data import resource

EXAMPLE = resource("packs", "example-house-style.toml")


@pytest.fixture(scope="module")
def pack():
    return parse_pack(EXAMPLE.read_text(encoding="utf-8"), "example-house-style.toml")


def _examples(pack, which):
    for rule in pack.rules:
        for example in rule.examples.get(which, ()):
            yield rule, example


def test_example_pack_has_examples_for_every_entry(pack):
    assert all(rule.examples.get("bad") and rule.examples.get("good") for rule in pack.rules)


def test_example_pack_bad_examples_fire_at_span(pack):
    for rule, example in _examples(pack, "bad"):
        report = analyze(example.text, language=_lang(rule), packs=[pack])
        spans = [(f.start, f.end) for f in report.findings if f.rule == rule.rule]
        assert example.span in spans, (rule.rule, example.text, spans)


def test_example_pack_good_examples_do_not_fire(pack):
    for rule, example in _examples(pack, "good"):
        report = analyze(example.text, language=_lang(rule), packs=[pack])
        assert not [f for f in report.findings if f.rule == rule.rule], example.text


def _lang(rule):
    return min(rule.languages) if rule.languages else "en"


def test_avoid_offers_the_replacement_as_fix(pack):
    report = analyze("Our cheap lunch.", language="en", packs=[pack])
    (finding,) = [f for f in report.findings if f.rule == "house.avoid"]
    assert (finding.fix, report.text[finding.start:finding.end]) == ("good value", "cheap")
    assert "Kopi Senja house style" in finding.message


def test_require_fix_appends_the_phrase(pack):
    text = "Sponsored: our new oat latte.  "
    report = analyze(text, language="en", packs=[pack])
    (finding,) = [f for f in report.findings if f.rule == "house.require"]
    fixed = text[:finding.start] + finding.fix + text[finding.end:]
    assert fixed.rstrip().endswith("latte. #ad")


def test_case_respects_exact_spelling(pack):
    report = analyze("Kopi senja and KOPI SENJA and Kopi Senja", language="en", packs=[pack])
    hits = [report.text[f.start:f.end] for f in report.findings if f.rule == "house.case"]
    assert hits == ["Kopi senja", "KOPI SENJA"]


def test_language_scope(pack):
    report = analyze("Our cheap lunch.", language="de", packs=[pack])
    assert not [f for f in report.findings if f.rule == "house.avoid"
                and report.text[f.start:f.end] == "cheap"]


def test_profile_params_apply(pack):
    text = "Great! Thanks!"
    without = analyze(text, language="en")
    with_pack = analyze(text, language="en", packs=[pack])
    assert not [f for f in without.findings if f.rule == "tone.exclamations"]
    assert [f for f in with_pack.findings if f.rule == "tone.exclamations"]


def test_settings_override_packs(pack):
    report = analyze("Our cheap lunch!", language="en", packs=[pack],
                     settings={"disabled": {"house.avoid"}})
    assert not [f for f in report.findings if f.rule == "house.avoid"]


def test_load_pack_from_path(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text('[[avoid]]\nphrase = "synergy"\n', encoding="utf-8")
    pack = load_pack(path)
    assert pack.name == "p"
    report = analyze("Real synergy.", language="en", packs=[str(path)])
    assert [f.fix for f in report.findings if f.rule == "house.avoid"] == [None]


@pytest.mark.parametrize(("text", "line", "needle"), [
    ('[pack]\nname = "x"\ncolour = "red"\n', 3, "unknown key 'colour'"),
    ('[[avoid]]\nphrase = "a"\nreplacment = "b"\n', 3, "unknown key 'replacment'"),
    ('[[avoid]]\nphrase = 3\n', 2, "must be a non-empty string"),
    ('[[avoid]]\nreplacement = "b"\n', None, "exactly one of 'phrase' or 'phrases'"),
    ('[[case]]\nword = "X"\nlanguages = ["fr"]\n', 3, "must be one of en, id, es, de"),
    ('[settings]\ndisable = ["no.such"]\n', 2, "unknown rule 'no.such'"),
    ('[settings.params."tone.exclamations"]\nmax_per_post = "two"\n', 2,
     "must be a whole number from 0 to 1,000, not 'two'"),
    ('[settings.params."tone.exclamations"]\nmaximum = 2\n', 2, "unknown key 'maximum'"),
    ('[settings.platforms.myspace]\nlimit = 10\n', 1, "must be one of"),
    ('[pack]\nversion = 2\n', 2, "pack version 1"),
    ('avoid = [\n', 2, "not valid TOML"),
    ('[[avoid]]\nphrase = "x"\nexamples.bad = ["no span here"]\n', 3, "mark its span"),
])
def test_malformed_packs_name_file_line_and_key(text, line, needle):
    with pytest.raises(PackError) as caught:
        parse_pack(text, "house.toml")
    message = str(caught.value)
    assert needle in message
    assert message.startswith("house.toml:" + (f"{line}:" if line else ""))


def test_pack_phrases_are_literal_never_regex():
    pack = parse_pack('[[avoid]]\nphrase = "re:.*"\n', "p.toml")
    report = analyze("anything at all", language="en", packs=[pack])
    assert not [f for f in report.findings if f.rule == "house.avoid"]


@pytest.mark.parametrize("content", [b"\xff\xfe\x00bad", b"x" * 1_000_001])
def test_unreadable_pack_files(tmp_path, content):
    path = tmp_path / "bad.toml"
    path.write_bytes(content)
    with pytest.raises(PackError) as caught:
        load_pack(path)
    assert str(path) in str(caught.value)


def test_missing_pack_and_folder(tmp_path):
    with pytest.raises(PackError, match="no such file"):
        load_pack(tmp_path / "nope.toml")
    with pytest.raises(PackError, match="folder"):
        load_pack(tmp_path)
