"""Per-call control over the checks: switch rules off or on, change thresholds.

The app keeps one :class:`Settings` per draft; the command line builds one from its flags.
House-style packs carry the same kinds of choices (a profile); the order of precedence is
catalogue defaults < language pack < house packs (in the order given) < settings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Any

from .model import LANGUAGES
from .packs import ParamSpec, RuleSpec, catalogue, close_match, shown
from .platforms import PLATFORMS, override_problem

Params = Mapping[str, Mapping[str, Any]]  # rule id -> {parameter: value}


def _freeze(params: Mapping[str, Mapping[str, Any]]) -> Params:
    return MappingProxyType({rule: MappingProxyType(dict(p)) for rule, p in params.items()})


@dataclass(frozen=True)
class Settings:
    """Choices for one analysis. All fields are optional and immutable."""

    disabled: frozenset[str] = frozenset()
    enabled: frozenset[str] = frozenset()  # switch back on what a pack switched off
    params: Params = field(default_factory=dict)  # every language
    language_params: Mapping[str, Params] = field(default_factory=dict)  # per language
    platforms: Params = field(default_factory=dict)  # platform -> overridden facts
    empty: bool = field(init=False, repr=False, compare=False)  # no choice made

    def __post_init__(self) -> None:
        object.__setattr__(self, "disabled", frozenset(self.disabled))
        object.__setattr__(self, "enabled", frozenset(self.enabled))
        object.__setattr__(self, "params", _freeze(self.params))
        object.__setattr__(self, "platforms", _freeze(self.platforms))
        object.__setattr__(self, "language_params", MappingProxyType(
            {lang: _freeze(p) for lang, p in self.language_params.items()}))
        self.validate()
        # (Not a field: analyses check it to skip the layering of nothing.)
        object.__setattr__(self, "empty", not (self.disabled or self.enabled or self.params
                                               or self.language_params or self.platforms))

    def validate(self) -> None:
        """Raise ValueError naming the first unknown rule, parameter, language or platform,
        or the first value out of its declared range (with the range)."""
        for rule in sorted(self.disabled | self.enabled):
            _known_rule(rule, "")
        for lang in self.language_params:
            if lang not in LANGUAGES:
                raise ValueError(f"unknown language {shown(lang)} "
                                 f"(expected one of {', '.join(LANGUAGES)})")
        groups = [("", self.params)] + [(f"{lang}: ", p) for lang, p in
                                        self.language_params.items()]
        for prefix, params in groups:
            for rule, values in params.items():
                _known_rule(rule, prefix)
                for name, value in values.items():
                    problem = param_spec(rule, name, prefix).problem(value)
                    if problem is not None:
                        raise ValueError(f"{prefix}{rule}.{name} {problem}")
        for platform, facts in self.platforms.items():
            if platform not in PLATFORMS:
                raise ValueError(_unknown("platform", platform, PLATFORMS, ""))
            for fact, value in facts.items():
                problem = override_problem(fact, value)
                if problem is not None:
                    raise ValueError(f"platforms.{platform}.{fact} {problem}")

    @classmethod
    def coerce(cls, value: Settings | Mapping[str, Any] | None) -> Settings:
        if value is None:
            return _no_settings()
        if isinstance(value, Settings):
            return value
        unknown = set(value) - {"disabled", "enabled", "params", "language_params", "platforms"}
        if unknown:
            raise ValueError(f"unknown settings key(s): {', '.join(sorted(unknown))}")
        return cls(**value)


def _unknown(what: str, name: Any, known: Iterable[str], prefix: str) -> str:
    """The message for an unknown rule, parameter… with a likely meaning if there is one."""
    close = close_match(name, known) if isinstance(name, str) else None
    if close is not None:
        return f"{prefix}unknown {what} {shown(name)}; did you mean {close!r}?"
    return f"{prefix}unknown {what} {shown(name)}"


def _known_rule(rule: Any, prefix: str = "") -> RuleSpec:
    known = catalogue()
    if rule not in known:
        raise ValueError(_unknown("rule", rule, known, prefix))
    return known[rule]


def param_spec(rule: Any, name: Any, prefix: str = "") -> ParamSpec:
    """What the parameter ``name`` of ``rule`` takes; ValueError (with a likely meaning, if
    there is one) for an unknown rule or parameter."""
    spec = _known_rule(rule, prefix)
    if name in spec.param_specs:
        return spec.param_specs[name]
    if not spec.param_specs:
        raise ValueError(f"{prefix}{spec.id} has no parameters")
    close = close_match(name, spec.param_specs) if isinstance(name, str) else None
    if close is not None:
        raise ValueError(f"{prefix}{spec.id} has no parameter {shown(name)}; "
                         f"did you mean {close!r}?")
    allowed = ", ".join(sorted(spec.param_specs))
    raise ValueError(f"{prefix}{spec.id} has no parameter {shown(name)} (it has: {allowed})")


@cache
def _no_settings() -> Settings:
    """The empty Settings (shared: it is immutable, and validating it each call costs)."""
    return Settings()
