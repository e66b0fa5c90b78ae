"""The analysis pipeline: text in, :class:`Report` out.

``analyze`` is a pure function. It builds a :class:`Doc` (the shared split of the text)
and a :class:`Context` (the resolved parameters for this call), runs every registered
check, and scores what they found. Nothing a call does changes what the next call sees:
the only module state is caches of the shipped, read-only data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from .checks import CHECKS
from .context import Check, Context
from .language import detect_language
from .model import KINDS, LANGUAGES, Finding, Report
from .packs import language_pack
from .platforms import PLATFORMS
from .scoring import score
from .settings import Settings
from .text import Doc, has_content

__all__ = ["Check", "Context", "analyze", "resolve_language"]


@lru_cache(maxsize=64)
def _runs(on: frozenset[str]) -> tuple[Callable[[Context], Iterable[Finding]], ...]:
    """The registered checks that have a rule in ``on`` or add metrics, in the order they
    run (metrics are facts about the text: they do not depend on which rules are on)."""
    return tuple(check.run for check in CHECKS
                 if check.metrics or not on.isdisjoint(check.rules))


def resolve_language(text: str, language: str | None) -> tuple[str, str]:
    if language is not None and language != "auto":
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r} "
                             f"(expected auto or one of {', '.join(LANGUAGES)})")
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
    findings = [f for f in findings if f.rule in ctx.on]
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
