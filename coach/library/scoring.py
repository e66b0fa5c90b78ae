"""The optional bridge from the library to the coaching engine: scores for a saved text."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def engine_scorer(text: str, fields: Mapping[str, Any]) -> dict[str, Any] | None:
    """Scores of ``coach.analysis.analyze`` for a draft, for ``DraftStore(scorer=...)``.

    Uses the draft's language (detected when it is not set), platform, kind and comment.
    An empty draft has no scores (None).
    """
    from coach.analysis import analyze

    report = analyze(text, language=fields.get("language"), platform=fields.get("platform"),
                     kind=fields.get("kind") or "post", comment=fields.get("comment") or "")
    return None if report.scores is None else report.scores.to_dict()
