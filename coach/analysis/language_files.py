"""Where the language files are: ``resources/languages/<code>.toml``, plus any folder a
caller adds for a while (a test's fixture language).

The languages the coach knows are the files present; each file's ``[language]`` table
gives its name for people and its place in lists. This module reads only that table, so
that :mod:`coach.analysis.model` can list the languages without loading a profile.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from coach.data import resource

# Folders searched after the shipped one, in order; changed only by extra_languages().
_EXTRA: list[Path] = []


@cache
def shipped_folder() -> Path:
    return Path(str(resource("languages")))


def folders() -> tuple[Path, ...]:
    """The folders that hold language files: the shipped one first."""
    return (shipped_folder(), *_EXTRA)


@contextmanager
def extra_languages(folder: Path | str) -> Iterator[None]:
    """Inside the ``with`` block, the language files of ``folder`` are known too (a
    shipped language of the same code wins). Nothing is left behind after it."""
    _EXTRA.append(Path(folder))
    try:
        yield
    finally:
        _EXTRA.remove(Path(folder))


def header(path: Path) -> dict[str, object]:
    """The ``[language]`` table of a language file (read without the rest of the file)."""
    lines = []
    with path.open(encoding="utf-8") as file:
        inside = False
        for line in file:
            stripped = line.strip()
            if stripped.startswith("["):
                if inside:
                    break
                inside = stripped.replace(" ", "") == "[language]"
            if inside:
                lines.append(line)
    try:
        table = tomllib.loads("".join(lines)).get("language", {})
    except tomllib.TOMLDecodeError:
        table = {}  # the strict loader names the problem when the file is read
    return table if isinstance(table, dict) else {}


DEFAULT_ORDER = 100  # a language file without [language] order comes after the shipped ones


def order_of(table: dict[str, object]) -> int:
    order = table.get("order", DEFAULT_ORDER)
    return order if isinstance(order, int) and not isinstance(order, bool) else DEFAULT_ORDER


def language_files(search: tuple[Path, ...] | None = None) -> dict[str, Path]:
    """Every language code with its file, in the order the languages are listed."""
    return dict(_language_files(folders() if search is None else search))


@cache
def _language_files(search: tuple[Path, ...]) -> tuple[tuple[str, Path], ...]:
    found: dict[str, Path] = {}
    for folder in search:
        for path in sorted(folder.glob("*.toml")):
            found.setdefault(path.stem, path)
    ranked = sorted(found.items(), key=lambda item: (order_of(header(item[1])), item[0]))
    return tuple(ranked)


def shipped_codes() -> tuple[str, ...]:
    """The codes of the shipped languages, in the order they are listed."""
    return tuple(language_files((shipped_folder(),)))
