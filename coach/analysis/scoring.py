"""Turn findings into the conversation score and its four meters.

The rules, so that a person can check a score by hand:

* Each meter (Dialogue, Tone, Readability, Platform fit) starts at 100.
* Every rule that fired takes off the weight of its worst finding:
  error 45, warning 25, suggestion 12, info 3. Each further finding of the same rule
  takes off a quarter of that weight, for at most three more (so one noisy rule cannot
  empty a meter on its own). A meter never goes below 0.
* The overall score is the weighted mean of the meters: Dialogue 35 %, Tone 25 %,
  Readability 20 %, Platform fit 20 % (starting conversations is the point).
* A post is only as good as its weakest area: the overall score is at most 30 points
  above the lowest meter (a shouting hard sell with a good question is still "fair").
* A post with an error cannot be published as it is, so its overall score is at most 40.
* An empty draft (nothing but white space) has no score at all, not full marks: the
  engine gives it none (``Report.scores`` is None).

The same findings always give the same scores.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from operator import attrgetter, mul

from .model import AREAS, Finding, Scores, Severity

WEIGHTS = {Severity.ERROR: 45, Severity.WARNING: 25, Severity.SUGGESTION: 12, Severity.INFO: 3}
REPEAT_SHARE = 0.25
MAX_REPEATS = 3
METER_WEIGHTS = {"dialogue": 0.35, "tone": 0.25, "readability": 0.20, "platform": 0.20}
ERROR_CAP = 40
WEAKEST_MARGIN = 30

_FULL_MARKS = Scores(overall=100, **dict.fromkeys(AREAS, 100))
_METER_SHARES = tuple(METER_WEIGHTS[area] for area in AREAS)
_SEVERITY = attrgetter("severity")

# The words that go with a score, so nobody has to interpret a bare number.
BANDS = ((85, "strong"), (70, "good"), (50, "fair"), (0, "weak"))


def label(value: int) -> str:
    """The word for a 0-100 score: strong, good, fair or weak."""
    for floor, word in BANDS:
        if value >= floor:
            return word
    return BANDS[-1][1]


def penalties(findings: Iterable[Finding]) -> dict[str, float]:
    """Points taken off each meter, by area."""
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_rule[f.rule].append(f)
    lost: dict[str, float] = defaultdict(float)
    for group in by_rule.values():
        weight = WEIGHTS[max(map(_SEVERITY, group))]
        repeats = min(len(group) - 1, MAX_REPEATS)
        lost[group[0].area] += weight + repeats * weight * REPEAT_SHARE
    return lost


def score(findings: Iterable[Finding]) -> Scores:
    findings = tuple(findings)  # (the engine's tuple itself: no copy)
    if not findings:
        return _FULL_MARKS
    lost = penalties(findings)
    meters = [max(0, round(100 - lost.get(area, 0.0))) for area in AREAS]
    overall = round(sum(map(mul, meters, _METER_SHARES)))
    overall = min(overall, min(meters) + WEAKEST_MARGIN)
    if any(f.severity is Severity.ERROR for f in findings):
        overall = min(overall, ERROR_CAP)
    return Scores(overall, *meters)  # the meters in the order of AREAS, as Scores has them
