"""The draft being edited: its text source, its choices, and what the person dismissed.

Qt-free on purpose. :class:`DraftSession` is the seam to the drafts library: a session is
made from a stored draft (:meth:`DraftSession.from_draft`), remembers what was loaded (the
base revision, text and fields), and says what changed since, so that a save sends only
the person's own changes and two windows can tell a real conflict from a harmless one.
Plain text files are read and written here with clear errors.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from coach.analysis import Finding, Settings
from coach.library import Draft, derive_title
from coach.library.model import clean_field
from coach.textfile import UnreadableFile, decode_utf8, read_bytes

# Dismissing a finding hides it for this draft while its span reads the same. Findings over
# long spans (a whole sentence or the whole post) are dismissed for the rule, because such a
# span changes with every edit and the finding would come straight back.
SHORT_SPAN = 60
MAX_FILE_BYTES = 5 * 1024 * 1024
UNTITLED = "Untitled draft"
# The fields a person edits in the window besides the text; "language" is the pinned one.
META_FIELDS = ("title", "client", "tags", "status", "planned", "platform", "language", "kind",
               "comment")


@dataclass
class DraftSession:
    """One open draft: where it came from and the choices that go with it."""

    title: str = ""  # a title the person chose; "" follows the text's first line
    path: Path | None = None  # the text file it was opened from or saved to
    draft_id: int | None = None  # its id in the drafts library, once it has one
    platform: str | None = None
    language: str | None = None  # None: detect
    kind: str = "post"
    comment: str = ""
    client: str | None = None
    tags: tuple[str, ...] = ()
    status: str = "draft"
    planned: date | None = None
    revision: int | None = None  # the library revision this buffer started from
    in_trash: bool = False
    base_text: str = ""  # the text as loaded or last saved
    base: dict[str, Any] = field(default_factory=dict)  # META_FIELDS as loaded or saved
    dismissed: set[tuple[str, str]] = field(default_factory=set)
    disabled: set[str] = field(default_factory=set)  # rules switched off for this draft

    def __post_init__(self) -> None:
        if not self.base:
            self.base = self.meta()

    @classmethod
    def from_draft(cls, draft: Draft) -> DraftSession:
        """A session for a draft from the library: its fields, revision and text as base."""
        own_title = draft.title if draft.title != derive_title(draft.text) else ""
        return cls(title=own_title, draft_id=draft.id, platform=draft.platform,
                   language=draft.language if draft.language_pinned else None,
                   kind=draft.kind, comment=draft.comment, client=draft.client,
                   tags=tuple(draft.tags), status=draft.status, planned=draft.planned,
                   revision=draft.revision, in_trash=draft.in_trash, base_text=draft.text)

    def conflicts_with(self, theirs: Draft) -> bool:
        """Whether another window's save collides with this buffer's changes: both changed
        the text differently, or both changed the same field to different values."""
        mine = self.changed_meta()
        other = DraftSession.from_draft(theirs).meta()
        for name, value in mine.items():
            if other[name] != self.base.get(name) and other[name] != value:
                return True
        return False

    def display_title(self, text: str) -> str:
        """The name to show: the chosen title, else the first line, else "Untitled draft"."""
        return self.title or derive_title(text) or UNTITLED

    def meta(self) -> dict[str, Any]:
        """The person's choices for this draft (everything but the text), comparable."""
        return {"title": self.title, "client": self.client, "tags": tuple(self.tags),
                "status": self.status, "planned": self.planned, "platform": self.platform,
                "language": self.language, "kind": self.kind, "comment": self.comment}

    def changed_meta(self) -> dict[str, Any]:
        """The fields changed since the draft was loaded or saved."""
        base = self.base
        return {k: v for k, v in self.meta().items() if base.get(k) != v}

    def mark_saved(self, text: str, revision: int | None) -> None:
        """What is in the editor now is what the library has (at ``revision``)."""
        self.base_text = text
        self.base = self.meta()
        self.revision = revision

    def save_fields(self, text: str, *, detected: str | None = None,
                    scores: Mapping[str, Any] | None = None,
                    only_changes: bool = False) -> dict[str, Any]:
        """Keyword arguments for ``DraftStore.add``/``update`` with this draft's values.

        ``only_changes`` sends just the fields changed since loading (so a save never
        undoes what another window changed meanwhile in a field this one left alone).
        A pinned language is saved as pinned; else the ``detected`` one, unpinned.
        """
        meta = self.changed_meta() if only_changes else self.meta()
        out: dict[str, Any] = {"text": text}
        for name, value in meta.items():
            if name == "language":
                continue
            out[name] = list(value) if name == "tags" else value
        if self.language is not None:
            if not only_changes or "language" in meta:
                out["language"], out["language_pinned"] = self.language, True
        elif detected is not None or "language" in meta:
            out["language"], out["language_pinned"] = detected, False
        if scores is not None:
            out["scores"] = scores  # a mapping or coach.analysis.Scores
        return out

    def autosave_fields(self) -> dict[str, Any]:
        """The unsaved fields as JSON-ready values for ``DraftStore.autosave``."""
        out = self.meta()
        out["tags"] = list(self.tags)
        out["planned"] = self.planned.isoformat() if self.planned else None
        if self.language is None:
            del out["language"]  # detected: saving the buffer detects it again
        else:
            out["language_pinned"] = True
        return out

    def apply_autosave_fields(self, fields: Mapping[str, Any]) -> None:
        """Take the values an autosave kept (see :meth:`autosave_fields`); bad ones are
        skipped, so a damaged autosave still brings the text back."""
        for name in META_FIELDS:
            if name not in fields:
                continue
            try:
                value = clean_field(name, fields[name])
            except ValueError:
                continue
            if name == "title":
                value = value or ""
            if name == "status" and not value:
                continue
            setattr(self, name, tuple(value) if name == "tags" else value)

    def is_dirty(self, text: str, modified: bool) -> bool:
        """Whether the editor holds something the library does not have yet.

        ``modified``: the editor's text changed since it was loaded or saved. A draft
        that was never saved counts only once it has some text.
        """
        if self.draft_id is None:
            return modified and bool(text.strip())
        return modified or bool(self.changed_meta())

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
    """The text of a UTF-8 text file as a draft (line ends made "\n"), or
    :class:`UnreadableFile` saying why it is not one."""
    data = read_bytes(path, max_bytes=MAX_FILE_BYTES)
    if b"\x00" in data[:8192]:
        raise UnreadableFile(str(path), "looks like a binary file, not text")
    text = decode_utf8(data, str(path))
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
