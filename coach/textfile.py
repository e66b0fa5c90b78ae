"""Read a person's file (a draft, a pack, an import) with one clear message when it can't be.

Shared by the command line, house-style packs, library imports and the app, so that a
missing file, a folder, an oversized file or text that is not UTF-8 is said the same way
everywhere: ``<file>: <what is wrong>``. No Qt, standard library only.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

STDIN = "-"


class UnreadableFile(ValueError):
    """A file that cannot be read as asked. ``str()`` is ``"<name>: <problem>"``."""

    def __init__(self, name: str, problem: str, *, line: int | None = None) -> None:
        self.name = name
        self.problem = problem
        self.line = line
        super().__init__(f"{name}: {problem}")


class FileTooBig(UnreadableFile):
    """A file over the size the reader takes (read no further than that)."""


def display_name(path: str | os.PathLike[str]) -> str:
    return "<stdin>" if str(path) == STDIN else str(path)


def read_bytes(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> bytes:
    """The bytes of a file, or of standard input for ``"-"``."""
    name = display_name(path)
    try:
        if str(path) == STDIN:
            # At most one byte past the limit: enough to know it is too much.
            limit = -1 if max_bytes is None else max_bytes + 1
            data = sys.stdin.buffer.read(limit) if sys.stdin is not None else b""
        else:
            p = Path(path)
            if p.is_dir():
                raise UnreadableFile(name, "is a folder, not a file")
            if max_bytes is not None and p.stat().st_size > max_bytes:
                raise FileTooBig(name, f"is {p.stat().st_size:,} bytes; at most "
                                           f"{max_bytes:,} can be read")
            data = p.read_bytes()
    except FileNotFoundError:
        raise UnreadableFile(name, "no such file") from None
    except OSError as exc:
        raise UnreadableFile(name, f"cannot be read ({exc.strerror or exc})") from None
    if max_bytes is not None and len(data) > max_bytes:
        if str(path) == STDIN:  # (read only up to the limit, so its size is not known)
            raise FileTooBig(name, f"is more than {max_bytes:,} bytes, the most that "
                                       "can be read")
        raise FileTooBig(name, f"is {len(data):,} bytes; at most {max_bytes:,} can be read")
    return data


def decode_utf8(data: bytes, name: str) -> str:
    """``data`` as UTF-8 text; a leading byte-order mark is an editor's artefact, not text."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UnreadableFile(name, f"not UTF-8 text (line {line}, byte {exc.start})",
                             line=line) from None
    return text.removeprefix("\ufeff")


def read_text_file(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> str:
    """The UTF-8 text of a file (or of standard input for ``"-"``)."""
    return decode_utf8(read_bytes(path, max_bytes=max_bytes), display_name(path))
