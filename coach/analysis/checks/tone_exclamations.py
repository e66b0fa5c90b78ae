"""tone.exclamations: runs of "!" and posts that exclaim too often.

Spanish opening marks ("¡") are not counted: "¡Hola!" is one exclamation, not two.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from ..engine import Check, Context
from ..model import Finding

RULE = "tone.exclamations"
# A run of terminal marks with at least two "!" ("!!", "?!!", "!?!") or the full-width "！".
_RUN_RE = regex.compile(r"[!?！？‼⁉]*(?:[!！‼][!?！？‼⁉]*){2,}|‼|⁉")
_SINGLE_RE = regex.compile(r"[!！]")


def _collapsed(run: str) -> str:
    return "?" if any(ch in "?？⁉" for ch in run) else "!"


def run(ctx: Context) -> Iterator[Finding]:
    text = ctx.text
    runs = list(_RUN_RE.finditer(text))
    for m in runs:
        yield ctx.finding(RULE, m.start(), m.end(), fix=_collapsed(m.group()),
                          detail=f"“{m.group()}” reads as shouting.")
    if runs:
        return
    marks = [m.start() for m in _SINGLE_RE.finditer(text)]
    limit = int(ctx.params(RULE)["max_per_post"])
    if len(marks) > limit:
        # Point at the marks past the limit: those are the ones to take out.
        for offset in marks[limit:]:
            yield ctx.finding(RULE, offset, offset + 1, fix=".",
                              detail=f"{len(marks)} exclamation marks in one post; "
                                     f"{limit} at most keeps them meaningful.")


CHECK = Check(rules=(RULE,), run=run)
