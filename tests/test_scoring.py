"""The conversation score follows the documented weights (coach/analysis/scoring.py)."""

from __future__ import annotations

import pytest

from coach.analysis import Finding, Severity, analyze
from coach.analysis.scoring import label, score


def f(rule: str, area: str, severity: Severity, start: int = 0) -> Finding:
    return Finding(rule=rule, severity=severity, start=start, end=start + 1, message="m",
                   suggestion="s", area=area)


def test_no_findings_is_full_marks():
    assert score([]).to_dict() == dict.fromkeys(
        ("overall", "dialogue", "tone", "readability", "platform"), 100)


def test_weights_by_severity_per_rule():
    scores = score([f("question.none", "dialogue", Severity.SUGGESTION),
                    f("tone.caps", "tone", Severity.WARNING),
                    f("tone.stretched", "tone", Severity.INFO)])
    assert (scores.dialogue, scores.tone, scores.readability, scores.platform) == (
        88, 72, 100, 100)
    # 0.35 * 88 + 0.25 * 72 + 0.2 * 100 + 0.2 * 100 = 88.8
    assert scores.overall == 89


def test_repeats_take_a_quarter_each_for_at_most_three_more():
    once = score([f("tone.caps", "tone", Severity.WARNING)])
    many = score([f("tone.caps", "tone", Severity.WARNING, start=i) for i in range(10)])
    assert once.tone == 75
    assert many.tone == round(100 - 25 - 3 * 25 * 0.25)  # 56, however many more


def test_the_worst_finding_of_a_rule_sets_its_weight():
    scores = score([f("tone.caps", "tone", Severity.SUGGESTION),
                    f("tone.caps", "tone", Severity.WARNING, start=3)])
    assert scores.tone == round(100 - 25 - 25 * 0.25)


def test_meters_never_go_below_zero():
    findings = [f(f"tone.r{i}", "tone", Severity.ERROR) for i in range(5)]
    assert score(findings).tone == 0


def test_overall_is_at_most_thirty_above_the_weakest_meter():
    findings = [f(f"tone.r{i}", "tone", Severity.WARNING) for i in range(3)]
    scores = score(findings)
    assert scores.tone == 25
    assert scores.overall == 25 + 30  # the weighted mean would be 81


def test_an_error_caps_overall_at_forty():
    scores = score([f("platform.too_long", "platform", Severity.ERROR)])
    assert scores.platform == 55 and scores.overall == 40


@pytest.mark.parametrize(("value", "word"), [(100, "strong"), (85, "strong"), (84, "good"),
                                             (70, "good"), (69, "fair"), (50, "fair"),
                                             (49, "weak"), (0, "weak")])
def test_words(value, word):
    assert label(value) == word


def test_a_shouting_hard_sell_is_not_called_good():
    report = analyze("BIG NEWS!!! Our garden is finally here. Buy now, limited time only! "
                     "#sale Tell us below!", language="en", platform="linkedin")
    assert label(report.scores.overall) in ("fair", "weak")
    assert analyze("BIG NEWS!!! Our garden is finally here.", language="en") == analyze(
        "BIG NEWS!!! Our garden is finally here.", language="en")
