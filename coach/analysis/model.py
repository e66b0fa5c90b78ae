"""The result types of an analysis: small, immutable, and plain to serialise."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from types import MappingProxyType
from typing import Any, NamedTuple

from .language_files import shipped_codes

# The shipped languages: the files resources/languages/<code>.toml, by their [language] order.
LANGUAGES: tuple[str, ...] = shipped_codes()
KINDS: tuple[str, ...] = ("post", "reply")
AREAS: tuple[str, ...] = ("dialogue", "tone", "readability", "platform")


class Severity(IntEnum):
    """How much a finding matters; ordered so that ``max()`` gives the worst."""

    INFO = 0
    SUGGESTION = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls[value.upper()]
        except KeyError:
            names = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {value!r} (expected one of: {names})") from None


# Findings and scores are named tuples: immutable records, built without running a
# generated __init__ (a long draft has dozens of findings, and every analysis has scores).
class Finding(NamedTuple):
    """One thing to look at in a draft.

    ``start``/``end`` are code-point offsets into the analysed text (Python string
    indices). ``fix`` replaces ``text[start:end]`` when it is safe to apply without a
    person's judgement; it is ``None`` otherwise.
    """

    rule: str
    severity: Severity
    start: int
    end: int
    message: str
    suggestion: str
    fix: str | None = None
    area: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = self._asdict()
        data["severity"] = self.severity.label
        return data


class Scores(NamedTuple):
    """The 0-100 conversation score and its four meters (see coach.analysis.scoring)."""

    overall: int
    dialogue: int
    tone: int
    readability: int
    platform: int

    def to_dict(self) -> dict[str, int]:
        return self._asdict()


def _frozen(mapping: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True, slots=True)
class Report:
    """What :func:`coach.analysis.analyze` says about one draft."""

    text: str
    language: str
    language_source: str  # "detected" or "given"
    platform: str | None
    kind: str
    findings: tuple[Finding, ...]
    scores: Scores | None  # None for an empty draft: there is nothing to score
    metrics: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "metrics", _frozen(self.metrics))

    def by_area(self, area: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.area == area)

    @property
    def worst(self) -> Severity | None:
        return max((f.severity for f in self.findings), default=None)
