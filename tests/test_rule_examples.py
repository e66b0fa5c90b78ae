"""Every rule's own examples, in every language: bad ones fire at the marked span, good
ones do not fire at all. Examples live beside their phrase lists in resources/languages."""

from __future__ import annotations

import pytest

from coach.analysis import LANGUAGES, analyze
from coach.analysis.packs import catalogue
from coach.analysis.profile import language_pack

# House-style rules are tested from the example pack (tests/test_house_packs.py).
BUILT_IN = sorted(rule for rule in catalogue() if not rule.startswith("house."))


def _cases(which: str):
    for lang in LANGUAGES:
        for rule, sets in sorted(language_pack(lang).examples.items()):
            for i, example in enumerate(sets[which]):
                yield pytest.param(lang, rule, example, id=f"{lang}-{rule}-{which}{i}")


def _run(lang, example):
    return analyze(example.text, language=lang, platform=example.platform, kind=example.kind,
                   comment=example.comment)


@pytest.mark.parametrize(("lang", "rule", "example"), list(_cases("bad")))
def test_bad_example_fires_at_marked_span(lang, rule, example):
    report = _run(lang, example)
    hits = [f for f in report.findings if f.rule == rule]
    spans = [(f.start, f.end, example.text[f.start:f.end]) for f in hits]
    start, end = example.span
    assert (start, end) in [(s, e) for s, e, _ in spans], (
        f"{rule} should mark {example.text[start:end]!r} in {example.text!r}; it marked {spans}")
    if example.fix is not None:
        fixes = [f.fix for f in hits if (f.start, f.end) == (start, end)]
        assert example.fix in fixes, f"expected fix {example.fix!r}, got {fixes}"


@pytest.mark.parametrize(("lang", "rule", "example"), list(_cases("good")))
def test_good_example_does_not_fire(lang, rule, example):
    report = _run(lang, example)
    hits = [(f.start, f.end, example.text[f.start:f.end]) for f in report.findings
            if f.rule == rule]
    assert not hits, f"{rule} fired on a good example {example.text!r}: {hits}"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("rule", BUILT_IN)
def test_every_rule_has_examples_in_every_language(rule, lang):
    sets = language_pack(lang).examples.get(rule)
    assert sets and sets["bad"] and sets["good"], (
        f"{rule} has no bad and good examples in resources/languages/{lang}.toml")
