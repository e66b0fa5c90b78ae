"""The draft being edited: its text source, its choices, and what the person dismissed.

Qt-free on purpose. :class:`DraftSession` is the seam for the drafts library (issue 4): the
library view will create sessions from stored drafts and save them back; the window only
talks to a session. Plain text files are read and written here with clear errors.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from coach.analysis import Finding, Settings

# Dismissing a finding hides it for this draft while its span reads the same. Findings over
# long spans (a whole sentence or the whole post) are dismissed for the rule, because such a
# span changes with every edit and the finding would come straight back.
SHORT_SPAN = 60
MAX_FILE_BYTES = 5 * 1024 * 1024


class UnreadableFile(ValueError):
    """A file that cannot be opened as a draft; the message says why, for a person."""


@dataclass
class DraftSession:
    """One open draft: where it came from and the choices that go with it."""

    title: str = "Untitled draft"
    path: Path | None = None  # the text file it was opened from or saved to
    draft_id: int | None = None  # its id in the drafts library, once it has one
    platform: str | None = None
    language: str | None = None  # None: detect
    kind: str = "post"
    comment: str = ""
    dismissed: set[tuple[str, str]] = field(default_factory=set)
    disabled: set[str] = field(default_factory=set)  # rules switched off for this draft

    def settings(self, disabled_globally: frozenset[str] = frozenset(),
                 platforms: Mapping[str, Mapping[str, int]] | None = None) -> Settings:
        """The engine settings for this draft: global and per-draft switches together,
        and the platform facts changed in the preferences (a Mastodon server's limit)."""
        return Settings(disabled=frozenset(self.disabled) | disabled_globally,
                        platforms=platforms or {})

    def dismiss(self, finding: Finding, text: str) -> None:
        self.dismissed.add(dismissal_key(finding, text))

    def is_dismissed(self, finding: Finding, text: str) -> bool:
        return bool(self.dismissed) and dismissal_key(finding, text) in self.dismissed


def dismissal_key(finding: Finding, text: str) -> tuple[str, str]:
    """What identifies a dismissed finding across edits: its rule and (short) span text."""
    if finding.end - finding.start > SHORT_SPAN:
        return finding.rule, ""
    return finding.rule, text[finding.start:finding.end].casefold()


def read_text_file(path: str | os.PathLike[str]) -> str:
    """The text of a UTF-8 text file, or :class:`UnreadableFile` saying why it is not one."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UnreadableFile(f"“{p.name}” is {size / 1_048_576:.1f} MB; a draft file "
                                 f"can be at most {MAX_FILE_BYTES // 1_048_576} MB.")
        data = p.read_bytes()
    except FileNotFoundError:
        raise UnreadableFile(f"“{p}” does not exist.") from None
    except IsADirectoryError:
        raise UnreadableFile(f"“{p}” is a folder, not a text file.") from None
    except OSError as exc:
        raise UnreadableFile(f"“{p}” cannot be read: {exc.strerror or exc}.") from None
    if b"\x00" in data[:8192]:
        raise UnreadableFile(f"“{p.name}” looks like a binary file, not text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            f"“{p.name}” is not UTF-8 text (byte {exc.start} cannot be read). "
            "Save it as UTF-8 and open it again.") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def write_text_file(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` as UTF-8, replacing the file only once the new copy is complete."""
    p = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent or ".")
    try:
        # A lone surrogate (possible in a Qt string) is not text: write U+FFFD instead.
        with os.fdopen(fd, "w", encoding="utf-8", errors="replace", newline="\n") as f:
            f.write(text)
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
