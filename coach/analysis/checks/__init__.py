"""The registered checks, in the order they run. Add a new check here and nowhere else;
a rule that is only data (a ``kind`` in the catalogue) needs no check of its own."""

from __future__ import annotations

from .. import kinds
from ..context import Check
from . import (
    dialogue,
    platform,
    readability,
    reply,
    tone_caps,
    tone_emoji,
    tone_exclamations,
    tone_phrases,
    tone_stretched,
)

CHECKS: tuple[Check, ...] = (
    tone_exclamations.CHECK,
    tone_caps.CHECK,
    tone_phrases.CHECK,
    tone_emoji.CHECK,
    tone_stretched.CHECK,
    reply.CHECK,
    dialogue.CHECK,
    platform.CHECK,
    readability.CHECK,
)


def registered() -> tuple[Check, ...]:
    """Every check: the ones above, then the one that runs the rules declared as data
    (built from the catalogue when asked: the catalogue says which rules those are)."""
    return (*CHECKS, kinds.check())
