"""A person's text (a draft's title, text, client or tags, the words a check found) as the
command line prints it: characters a terminal would obey are shown, never obeyed.

A draft can hold anything an import or a paste put there, including escape sequences that
retitle the window, clear the screen or write to the clipboard (OSC 52). The text output
shows such characters as escapes (``\\x1b``, ``\\x9b``, ``\\u202e``), on a terminal and in a
pipe or file alike: text output is for people and reaches a terminal sooner or later
(``| cat``, ``less -R``, a CI log), and the exact text is what ``--format json`` and
``export`` are for. JSON output keeps every character, as a JSON escape.
"""

from __future__ import annotations

import re

# C0 controls but tab and line feed (ESC starts every escape sequence), DEL, C1 controls
# (U+009B is a one-character CSI), the bidi embeddings, overrides and isolates (they reorder
# the rest of the line, the columns we print after a title included) and lone surrogates
# (a file name that is not UTF-8; they cannot be written to a UTF-8 stream).
_OBEYED = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
# A backslash is doubled only where it could be read as the start of an escape, so that
# the output stays unambiguous while ¯\_(ツ)_/¯ and C:\path stay as they are.
_LINE = re.compile(rf"[{_OBEYED}\t\n\r]|\\(?=[\\xu{_OBEYED}\t\n\r])")
_LINES = re.compile(rf"[{_OBEYED}]|\r(?!\n)|\\(?=[\\xu{_OBEYED}]|\r(?!\n))")
_JSON = re.compile(f"[{_OBEYED}]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char == "\\":
        return "\\\\"
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """One line of a person's text, every control character (tab and line breaks too)
    shown as an escape."""
    return _LINE.sub(_escape, text)


def visible_lines(text: str) -> str:
    """A person's text of several lines: line breaks and tabs kept, every other control
    character (a lone carriage return too: it would overwrite the line) shown as an
    escape."""
    return _LINES.sub(_escape, text)


def safe_json(text: str) -> str:
    """JSON text with the characters a terminal would obey written as ``\\u`` escapes: the
    same JSON value (JSON itself escapes only the C0 controls)."""
    return _JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
