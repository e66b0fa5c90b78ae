"""What the UI shows about platforms, languages and rules, read from the engine.

A thin, Qt-free layer over coach.analysis: display names, the live counter and the fold.
Every platform fact comes from coach.analysis.platforms.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from coach.analysis import AREAS, LANGUAGES
from coach.analysis import platforms as _platforms
from coach.analysis.packs import RuleSpec, catalogue
from coach.analysis.profile import language_pack

# Each language's name for people, from its profile ([language] name).
LANGUAGE_NAMES: dict[str, str] = {code: language_pack(code).name for code in LANGUAGES}
AREA_TITLES: dict[str, str] = {
    "dialogue": "Dialogue", "tone": "Tone", "readability": "Readability",
    "platform": "Platform fit",
}


def platforms() -> tuple[str, ...]:
    """The platform ids the engine knows, in its order."""
    return tuple(_platforms.PLATFORMS)


def platform_name(platform: str | None) -> str:
    if not platform:
        return "No platform"
    if platform not in _platforms.PLATFORMS:  # a draft saved for a platform since dropped
        return platform.title()
    return _platforms.label(platform)


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


@dataclass(frozen=True, slots=True)
class Count:
    """The live counter: how the platform counts this text, against its limit."""

    used: int
    limit: int | None
    exact: bool = True  # False: an estimate (characters), for texts far past any limit

    @property
    def over(self) -> int:
        return max(0, self.used - self.limit) if self.limit else 0


EXACT_LIMIT = 100_000  # past this, counting exactly would cost more than it tells


Overrides = Mapping[str, Any] | None  # a platform's facts changed in the preferences


def count(text: str, platform: str | None, overrides: Overrides = None) -> Count:
    """Count ``text`` as ``platform`` does (characters when no platform is chosen)."""
    if not platform:
        return Count(len(text), None)
    if len(text) > EXACT_LIMIT:
        return Count(len(text), limit(platform, overrides), exact=False)
    return Count(_platforms.count(text, platform, overrides), limit(platform, overrides))


def limit(platform: str | None, overrides: Overrides = None) -> int | None:
    if not platform:
        return None
    return _platforms.limit(platform, overrides) or None


def fold_chars(platform: str | None, overrides: Overrides = None) -> int | None:
    """Where the platform folds a long post, in its own counting (None: it shows it all)."""
    if not platform:
        return None
    return _platforms.fold(platform, overrides) or None


def fact_range(fact: str) -> tuple[int, int]:
    """The lowest and highest value the preferences may give a platform's ``fact``
    (limit, fold): the range the engine declares for it."""
    spec = _platforms.override_spec(fact)
    return int(spec.low), int(spec.high)


def override_problem(fact: str, value: Any) -> str | None:
    """Why a platform's ``fact`` cannot be ``value`` (None: it can), as the engine says."""
    return _platforms.override_problem(fact, value)


def fold_offset(text: str, platform: str | None, overrides: Overrides = None) -> int | None:
    """The code-point offset of the "see more" fold, or None when the post shows whole."""
    if not platform:
        return None
    chars = fold_chars(platform, overrides)
    if chars and len(text) > chars * 4 + 400:
        # The fold falls early in the post, so the opening decides it: look there first
        # (every folding platform counts at least one per code point). When the answer
        # lands near the end of the opening (long links count as fewer), look at it all.
        head = text[:chars * 4]
        try:
            value = _platforms.fold_offset(head, platform, overrides)
        except (TypeError, ValueError):
            return None
        if value is not None and value < len(head) - 200:
            return int(value)
        if len(text) > EXACT_LIMIT:
            return None if value is None else int(value)
    try:
        value = _platforms.fold_offset(text, platform, overrides)
    except (TypeError, ValueError):
        return None
    return None if value is None else int(value)


@cache
def rules() -> dict[str, RuleSpec]:
    return dict(catalogue())


def rule_spec(rule: str) -> RuleSpec | None:
    return rules().get(rule)


__all__ = ["AREAS", "AREA_TITLES", "LANGUAGES", "Count", "count", "fact_range", "fold_offset",
           "language_name", "limit", "override_problem", "platform_name", "platforms",
           "rule_spec", "rules"]
