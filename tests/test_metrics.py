"""Metrics are facts about the text: which rules are on does not change them."""

from __future__ import annotations

import pytest

from coach.analysis import Settings, analyze
from coach.analysis.packs import catalogue

TEXT = ("Have you tried our new planner? It keeps every task in one place, and it syncs "
        "with your calendar. What would you add to it? https://example.com #planning")


@pytest.mark.parametrize("platform", [None, "x", "linkedin"])
@pytest.mark.parametrize("area", ["platform", "readability", "dialogue", "tone", "all"])
def test_switching_rules_off_keeps_every_metric(area, platform):
    rules = frozenset(rule for rule, spec in catalogue().items()
                      if area == "all" or spec.area == area)
    every = analyze(TEXT, language="en", platform=platform)
    off = analyze(TEXT, language="en", platform=platform, settings=Settings(disabled=rules))
    assert {"length", "readability", "questions", "characters"} <= set(every.metrics)
    assert off.metrics == every.metrics
    if area == "all":
        assert not off.findings


def test_a_reply_has_the_same_metrics_as_a_post_of_the_same_text():
    post = analyze(TEXT, language="en", platform="x")
    reply = analyze(TEXT, language="en", platform="x", kind="reply", comment="Nice.")
    assert reply.metrics == post.metrics
