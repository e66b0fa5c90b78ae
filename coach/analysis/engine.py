"""The analysis pipeline: text in, :class:`Report` out.

``analyze`` is a pure function. It builds a :class:`Doc` (the shared split of the text)
and a :class:`Context` (the resolved parameters for this call), runs every registered
check, and scores what they found. Nothing a call does changes what the next call sees:
the only module state is caches of the shipped, read-only data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache, lru_cache
from types import MappingProxyType
from typing import Any

from .checks import registered
from .context import Check, Context
from .language import detect_language
from .model import KINDS, Finding, Report
from .packs import catalogue
from .platforms import PLATFORMS
from .profile import language_codes, language_pack
from .scoring import score
from .settings import Settings
from .text import Doc, has_content

__all__ = ["Check", "Context", "analyze", "resolve_language"]


@cache
def _registered_checks() -> tuple[Check, ...]:
    return registered()


@lru_cache(maxsize=64)
def _runs(on: frozenset[str]) -> tuple[Callable[[Context], Iterable[Finding]], ...]:
    """The registered checks that have a rule in ``on`` or add metrics, in the order they
    run (metrics are facts about the text: they do not depend on which rules are on)."""
    return tuple(check.run for check in _registered_checks()
                 if check.metrics or not on.isdisjoint(check.rules))


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
