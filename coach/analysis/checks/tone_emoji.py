"""tone.emoji_overload: too many emoji in a post, or runs of them ("🔥🔥🔥").

Counts what people see as one emoji: the tokenizer gives one ``emoji`` token per sequence
(ZWJ families, skin tones, flags, keycaps). Symbols that fonts show as text unless asked
otherwise (©, ®, ™, ‼, ↔) are typography, not emoji, and are not counted.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Check, Context
from ..model import Finding
from ..text import Token

RULE = "tone.emoji_overload"
# Below U+2300 the "pictographs" are letter-like symbols and arrows; with U+FE0F a person
# asked for the emoji picture, so it counts.
_FIRST_PICTURE = 0x2300


def is_picture(token: Token) -> bool:
    """True when an emoji token is drawn as a picture (not ©, ® or ™ in running text)."""
    return len(token.text) > 1 or ord(token.text) >= _FIRST_PICTURE


def emoji_runs(text: str, emoji: list[Token]) -> list[list[Token]]:
    """Groups of emoji with nothing but spaces (no line break) between them."""
    runs: list[list[Token]] = []
    for token in emoji:
        if runs:
            last = runs[-1][-1]
            gap = text[last.end:token.start]
            if not gap.strip() and "\n" not in gap:
                runs[-1].append(token)
                continue
        runs.append([token])
    return runs


def run(ctx: Context) -> Iterator[Finding]:
    emoji = [t for t in ctx.doc.emoji if is_picture(t)]
    if not emoji:
        return
    params = ctx.params(RULE)
    limit, longest = int(params["max_per_post"]), int(params["max_run"])
    in_runs: set[int] = set()
    for group in emoji_runs(ctx.text, emoji):
        if len(group) <= longest:
            continue
        in_runs.update(t.start for t in group)
        same = len({t.text for t in group}) == 1
        yield ctx.finding(RULE, group[0].start, group[-1].end,
                          fix=group[0].text if same else None,
                          count=len(group))
    if len(emoji) > limit:
        extra = next((t for t in emoji[limit:] if t.start not in in_runs), None)
        if extra is not None:
            yield ctx.finding(RULE, extra.start, extra.end, key="too_many",
                              count=len(emoji), limit=limit)


CHECK = Check(rules=(RULE,), run=run)
