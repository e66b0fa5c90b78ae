"""The texts of findings: ``{name}`` placeholders, filled with the values a check supplies.

A text from the rule catalogue, a platform's facts or a house pack may name a value
between braces: "“{match}” is on the avoid list of {pack}." Each rule declares the names it
fills (``placeholders`` in ``resources/rules/<area>.toml``). A pair of braces around
anything else (a format such as ``{match:>9}``, a conversion such as ``{match!r}``, an
attribute or an index such as ``{match.upper}``, or a name the rule does not fill) is an
error when the text is loaded, so a finding's text is never a surprise. A brace without a
partner (":-}") is text, and so are braces around a placeholder ("{{match}}" gives
"{cheap}"). A value goes in as it is: never formatted, never read as a template itself.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from functools import lru_cache
from typing import Any

# A brace, then anything but braces, then a brace: a placeholder, or an attempt at one.
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_SHOWN = 40  # characters of a wrong placeholder quoted in an error


def placeholder_problem(template: str, names: Collection[str], rule: str) -> str | None:
    """Why ``template`` is not a valid text for ``rule``, whose placeholders are ``names``;
    None when it is."""
    for match in _PLACEHOLDER.finditer(template):
        if match.group(1) not in names:
            wrong = match.group()
            if len(wrong) > _SHOWN:
                wrong = wrong[:_SHOWN - 2] + "…}"
            if not names:
                return (f"“{wrong}” is not a placeholder: {rule} fills none, so its texts "
                        "cannot have a name between braces.")
            known = ", ".join(f"{{{name}}}" for name in sorted(names))
            return (f"“{wrong}” is not a placeholder of {rule}: write one of {known} "
                    "as it stands, with nothing else between the braces.")
    return None


@lru_cache(maxsize=1024)
def _pieces(template: str) -> tuple[str, ...]:
    """``template`` split at its placeholders: text at even places, names at odd ones."""
    return tuple(_PLACEHOLDER.split(template))


def fill(template: str, values: Mapping[str, Any]) -> str:
    """``template`` with each ``{name}`` replaced by ``str(values[name])``; a placeholder
    without a value is left as it is written."""
    if "{" not in template:
        return template  # most texts have no placeholder
    pieces = _pieces(template)
    if len(pieces) == 1:
        return template
    out = list(pieces)
    for i in range(1, len(out), 2):
        name = out[i]
        out[i] = str(values[name]) if name in values else "{" + name + "}"
    return "".join(out)


# How a check formats a number it puts in a text: the one place, so that a translation
# (which writes 1.234 or 1 234) changes it once.
def whole(value: int) -> str:
    """A whole number with thousands separators: 25,000."""
    return f"{value:,}"


def rounded(value: float) -> str:
    """A measure rounded to a whole number: 23.6 words a sentence gives "24"."""
    return f"{value:.0f}"
