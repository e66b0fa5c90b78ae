"""Language detection among en, id, es, de. (Placeholder until the detector lands.)"""

from __future__ import annotations


def detect_language(text: str) -> str:
    return "en"
