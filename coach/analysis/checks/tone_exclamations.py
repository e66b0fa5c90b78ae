"""tone.exclamations: runs of "!" and posts that exclaim too often.

Spanish opening marks ("¡") are not counted: "¡Hola!" is one exclamation, not two. A run
of opening marks ("¡¡¡Hola!!!") is a run too. When a "!" past the limit closes a "¡", the
finding has no quick fix: turning it into "." would leave "¡Gracias." half-open.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from ..context import Check, Context
from ..model import Finding

RULE = "tone.exclamations"
# A run of terminal marks with at least two "!" ("!!", "?!!", "!?!") or the full-width "！".
_RUN_RE = regex.compile(r"[!?！？‼⁉]*(?:[!！‼][!?！？‼⁉]*){2,}|‼|⁉|[¡¿]*¡[¡¿]*¡[¡¿]*")
_BANGS = "!！‼⁉¡"  # a run holds one of these
_EXCLAMATION_RE = regex.compile(r"[!！]")
_MARK_RE = regex.compile(r"[¡!.?]")


def _collapsed(run: str) -> str:
    if "¡" in run:
        return "¿¡" if "¿" in run else "¡"
    return "?" if any(ch in "?？⁉" for ch in run) else "!"


def _closing_marks(text: str) -> set[int]:
    """Offsets of the "!" that close a Spanish "¡" of the same sentence (one pass)."""
    closing: set[int] = set()
    is_open = False
    for m in _MARK_RE.finditer(text):
        if m.group() == "¡":
            is_open = True
        else:
            if is_open and m.group() == "!":
                closing.add(m.start())
            is_open = False
    return closing


def run(ctx: Context) -> Iterator[Finding]:
    text = ctx.text
    if not any(map(text.__contains__, _BANGS)):
        return
    runs = list(_RUN_RE.finditer(text))
    for m in runs:
        yield ctx.finding(RULE, m.start(), m.end(), fix=_collapsed(m.group()),
                          run=m.group())
    if runs:
        return
    limit = int(ctx.params(RULE)["max_per_post"])
    marks = [m.start() for m in _EXCLAMATION_RE.finditer(text)]
    if len(marks) > limit:
        # Point at the marks past the limit: those are the ones to take out.
        closing = _closing_marks(text) if "¡" in text else set()
        for offset in marks[limit:]:
            fix = None if offset in closing else "."
            yield ctx.finding(RULE, offset, offset + 1, key="too_many", fix=fix,
                              count=len(marks), limit=limit)


CHECK = Check(rules=(RULE,), run=run)
