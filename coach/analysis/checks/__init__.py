"""The registered checks, in the order they run. Add a new check here and nowhere else."""

from __future__ import annotations

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
    *tone_phrases.CHECKS,
    tone_emoji.CHECK,
    tone_stretched.CHECK,
    reply.CHECK,
    dialogue.CHECK,
    platform.CHECK,
    readability.CHECK,
)
