"""What a check is and what it may read: :class:`Check` and :class:`Context`.

The checks (coach.analysis.checks, house packs) and the engine that runs them all import
this module; it imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from .model import Finding, Severity
from .packs import RuleSpec, catalogue
from .profile import LanguageProfile, rule_params
from .settings import Settings
from .templates import fill
from .text import Doc


@dataclass(frozen=True, slots=True)
class Check:
    """A small check with one job. ``rules`` are the ids it may report; ``metrics`` the
    names it adds to the report's metrics. A check with metrics runs for every draft, even
    with all its rules off, and reports findings only for the rules that are on."""

    rules: tuple[str, ...]
    run: Callable[[Context], Iterable[Finding]]
    metrics: tuple[str, ...] = ()


class Context:
    """What a check may read for one analysis: the draft, its language, its parameters."""

    def __init__(self, doc: Doc, pack: LanguageProfile, settings: Settings,
                 house: Sequence[Any] = ()) -> None:
        self.doc = doc
        self.text = doc.text
        self.language = doc.language
        self.pack = pack
        self.rules = catalogue()
        self.metrics: dict[str, Any] = {}
        self._params: dict[str, Mapping[str, Any]] = {}
        # Checks ask often: which rules are on is worked out once per analysis.
        self.on: frozenset[str] = _kind_rules(doc.kind)  # the rules that run for this draft
        layers = (*house, settings) if house or not settings.empty else ()
        self._platform_layers = tuple(layer for layer in layers if layer.platforms)
        self._overrides = tuple(layer for layer in layers
                                if layer.params or layer.language_params)
        for layer in layers:
            if layer.disabled or layer.enabled:
                self.on = (self.on - layer.disabled) | (layer.enabled & _kind_rules(doc.kind))

    @property
    def platforms_overridden(self) -> bool:
        """Whether a house pack or the settings change any platform's facts."""
        return bool(self._platform_layers)

    def platform_overrides(self, platform: str) -> Mapping[str, Any]:
        merged: dict[str, Any] = {}
        for layer in self._platform_layers:
            merged.update(layer.platforms.get(platform, {}))
        return merged

    def enabled(self, rule: str) -> bool:
        """Whether ``rule`` runs for this draft: its kind of post, then every layer's choice."""
        return rule in self.on

    def params(self, rule: str) -> Mapping[str, Any]:
        """The rule's parameters after every layer of overrides, for this language."""
        if not self._overrides:
            return rule_params(rule, self.pack)
        found = self._params.get(rule)
        if found is None:
            found = rule_params(rule, self.pack)
            for layer in self._overrides:
                for overrides in (layer.params.get(rule),
                                  layer.language_params.get(self.language, {}).get(rule)):
                    if overrides:
                        found = {**found, **overrides}
            self._params[rule] = found
        return found

    def finding(self, rule: str, start: int, end: int, *, key: str = "",
                fix: str | None = None, severity: Severity | None = None,
                message: str | None = None, suggestion: str | None = None,
                **values: Any) -> Finding:
        """A finding for ``rule`` with the catalogue's texts of the form ``key`` (the main
        form when empty; an unknown key is a KeyError), their ``{name}`` placeholders filled
        from ``values`` (see :mod:`.templates`). ``message`` and ``suggestion`` are a house
        pack's own texts, which take the catalogue's place."""
        spec: RuleSpec = self.rules[rule]
        own_message, own_suggestion = spec.texts(key)
        message = fill(message or own_message, values)
        suggestion = fill(suggestion or own_suggestion, values)
        return Finding(rule, spec.severity if severity is None else severity, start, end,
                       message, suggestion, fix, spec.area)


@cache
def _kind_rules(kind: str) -> frozenset[str]:
    """The rules that apply to a kind of draft (a post or a reply)."""
    return frozenset(rule for rule, spec in catalogue().items() if kind in spec.kinds)
