"""Per-call control over the checks: switch rules off or on, change thresholds.

The app keeps one :class:`Settings` per draft; the command line builds one from its flags.
House-style packs carry the same kinds of choices (a profile); the order of precedence is
catalogue defaults < language pack < house packs (in the order given) < settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Any

from .model import LANGUAGES
from .packs import catalogue

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
        """Raise ValueError naming the first unknown rule, parameter or language."""
        known = catalogue()
        for rule in self.disabled | self.enabled:
            if rule not in known:
                raise ValueError(f"unknown rule {rule!r}")
        groups = [("", self.params)] + [(f"{lang}: ", p) for lang, p in
                                        self.language_params.items()]
        for lang in self.language_params:
            if lang not in LANGUAGES:
                raise ValueError(f"unknown language {lang!r}")
        for prefix, params in groups:
            for rule, values in params.items():
                if rule not in known:
                    raise ValueError(f"{prefix}unknown rule {rule!r}")
                for name in values:
                    if name not in known[rule].params:
                        allowed = ", ".join(sorted(known[rule].params)) or "none"
                        raise ValueError(f"{prefix}rule {rule!r} has no parameter {name!r} "
                                         f"(it has: {allowed})")

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


@cache
def _no_settings() -> Settings:
    """The empty Settings (shared: it is immutable, and validating it each call costs)."""
    return Settings()
