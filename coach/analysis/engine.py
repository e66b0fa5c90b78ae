"""The analysis pipeline: text in, :class:`Report` out.

``analyze`` is a pure function. It builds a :class:`Doc` (the shared split of the text)
and a :class:`Context` (the resolved parameters for this call), runs every registered
check, and scores what they found. Nothing a call does changes what the next call sees:
the only module state is caches of the shipped, read-only data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from types import MappingProxyType
from typing import Any

from .language import detect_language
from .model import KINDS, Finding, Report, Severity
from .packs import RuleSpec, catalogue
from .platforms import PLATFORMS
from .profile import LanguagePack, language_codes, language_pack
from .scoring import score
from .settings import Settings
from .templates import fill
from .text import Doc, has_content


class Context:
    """What a check may read for one analysis: the draft, its language, its parameters."""

    def __init__(self, doc: Doc, pack: LanguagePack, settings: Settings,
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
            return _pack_params(rule, self.pack)
        found = self._params.get(rule)
        if found is None:
            found = _pack_params(rule, self.pack)
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
def _registered_checks() -> tuple[Check, ...]:
    from .checks import registered  # imported late: the checks import this module

    return registered()


@lru_cache(maxsize=64)
def _runs(on: frozenset[str]) -> tuple[Callable[[Context], Iterable[Finding]], ...]:
    """The registered checks that have a rule in ``on``, in the order they run."""
    return tuple(check.run for check in _registered_checks() if not on.isdisjoint(check.rules))


@cache
def _kind_rules(kind: str) -> frozenset[str]:
    """The rules that apply to a kind of draft (a post or a reply)."""
    return frozenset(rule for rule, spec in catalogue().items() if kind in spec.kinds)


@cache
def _pack_params(rule: str, pack: LanguagePack) -> Mapping[str, Any]:
    """A rule's parameters in a language before any house pack or setting."""
    params = {**catalogue()[rule].params, **pack.params.get(rule, {})}
    return MappingProxyType(params)


@cache
def _silencers() -> Mapping[str, tuple[tuple[str, str], ...]]:
    """Precedence, from the catalogue's ``silences`` and ``defers_to``: for each rule that
    may be silenced, the rules that silence it and where ("draft" or "overlap")."""
    found: dict[str, list[tuple[str, str]]] = {}
    for spec in catalogue().values():
        for quiet in spec.silences:
            found.setdefault(quiet, []).append((spec.id, spec.precedence))
        for loud in spec.defers_to:
            found.setdefault(spec.id, []).append((loud, spec.precedence))
    return MappingProxyType({rule: tuple(by) for rule, by in found.items()})


def silenced_out(findings: list[Finding]) -> list[Finding]:
    """``findings`` without the ones another finding silences (the catalogue's precedence).
    Every finding the checks made speaks for its rule, a silenced one too, so the order in
    which rules are weighed does not matter."""
    silencers = _silencers()
    targets = [f for f in findings if f.rule in silencers]
    if not targets:
        return findings
    present = {f.rule for f in findings}
    quiet = [f for f in targets if any(
        rule in present and (where == "draft" or _overlapped(f, rule, findings))
        for rule, where in silencers[f.rule])]
    return [f for f in findings if f not in quiet] if quiet else findings


def _overlapped(f: Finding, rule: str, findings: list[Finding]) -> bool:
    """Whether a finding of ``rule`` overlaps ``f`` (or marks the same empty span)."""
    return any(g.rule == rule and ((g.start < f.end and f.start < g.end)
                                   or (g.start, g.end) == (f.start, f.end))
               for g in findings)


@dataclass(frozen=True, slots=True)
class Check:
    """A small check with one job. ``rules`` are the ids it may report."""

    rules: tuple[str, ...]
    run: Callable[[Context], Iterable[Finding]]


def resolve_language(text: str, language: str | None) -> tuple[str, str]:
    if language is not None and language != "auto":
        if language not in language_codes():
            raise ValueError(f"unknown language {language!r} "
                             f"(expected auto or one of {', '.join(language_codes())})")
        return language, "given"
    return detect_language(text), "detected"


def analyze(
    text: str,
    *,
    language: str | None = None,
    platform: str | None = None,
    kind: str = "post",
    packs: Sequence[Any] = (),
    settings: Settings | Mapping[str, Any] | None = None,
    comment: str = "",
) -> Report:
    """Check one draft and return its findings, metrics and scores.

    An empty draft (nothing a reader can see: white space, zero-width and other invisible
    characters) has no scores: ``Report.scores`` is None.

    ``language`` is one of en/id/es/de, or None/"auto" to detect it. ``platform`` is a
    platform name (see ``coach.analysis.platforms.PLATFORMS``) or None. ``kind`` is "post"
    or "reply"; for a reply, ``comment`` is the comment being answered. ``packs`` are
    house-style packs (:class:`coach.analysis.house.HousePack` or paths to pack files).
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r} (expected one of {', '.join(KINDS)})")
    if platform in ("", "none"):
        platform = None
    if platform is not None and platform not in PLATFORMS:
        raise ValueError(f"unknown platform {platform!r} "
                         f"(expected one of {', '.join(PLATFORMS)})")
    house: tuple[Any, ...] = ()
    if packs:
        from .house import HousePack, load_pack

        house = tuple(p if isinstance(p, HousePack) else load_pack(p) for p in packs)
    settings = Settings.coerce(settings)
    code, source = resolve_language(text, language)

    doc = Doc(text, language=code, platform=platform, kind=kind, comment=comment or "")
    ctx = Context(doc, language_pack(code), settings, house)
    findings: list[Finding] = []
    for run in _runs(ctx.on) + tuple(h.check.run for h in house
                                     if not ctx.on.isdisjoint(h.check.rules)):
        findings += run(ctx)
    # A check may report a rule it was not asked for: only the rules that are on are kept.
    findings = silenced_out([f for f in findings if f.rule in ctx.on])
    findings.sort(key=lambda f: (f.start, f.end, -f.severity, f.rule))
    ctx.metrics.setdefault("characters", len(text))
    ctx.metrics.setdefault("words", len(doc.words))
    ctx.metrics.setdefault("sentences", len(doc.sentences))
    return Report(
        text=text,
        language=code,
        language_source=source,
        platform=platform,
        kind=kind,
        findings=tuple(findings),
        scores=score(findings) if has_content(text) else None,  # nothing to read, no score
        metrics=ctx.metrics,
    )
