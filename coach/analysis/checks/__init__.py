"""The registered checks, in the order they run. Add a new check here and nowhere else."""

from __future__ import annotations

from ..engine import Check
from . import dialogue, platform, readability, tone_exclamations

CHECKS: tuple[Check, ...] = (
    tone_exclamations.CHECK,
    dialogue.CHECK,
    platform.CHECK,
    readability.CHECK,
)
