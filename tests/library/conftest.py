"""Fixtures for the library tests: a fresh library per test and a clock tests can move."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from coach.library import DraftStore


class Clock:
    """A UTC clock that moves only when told (backups, date filters, trash ages)."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(microseconds=1)  # every save gets its own instant
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def library_path(tmp_path):
    return tmp_path / "library.sqlite"


@pytest.fixture
def store(library_path):
    with DraftStore(library_path, auto_backup=False) as s:
        yield s
