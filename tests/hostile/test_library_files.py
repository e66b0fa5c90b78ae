"""The library on disk against careless users and hostile files: a damaged file is never
passed off as empty, a file that is not a library is never touched, looking never writes,
backups survive an emptied library, drafts stay private, and odd input is a message."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from coach.cli import main
from coach.library import DraftStore


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["library", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def local_zone(monkeypatch):
    """Switch the process's local time zone (date filters are local calendar days)."""
    def switch(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield switch
    monkeypatch.undo()
    time.tzset()


# -- date filters at the ends of the calendar ----------------------------------------------------

@pytest.mark.parametrize("zone", ["UTC", "Asia/Jakarta", "America/New_York"])
def test_date_filters_at_the_ends_of_the_calendar_give_a_result(tmp_path, capsys, local_zone,
                                                                zone):
    local_zone(zone)
    path = tmp_path / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        store.add("Kept for ever.")
    for option, day, found in (("--updated-to", "9999-12-31", True),
                               ("--updated-from", "9999-12-31", False),
                               ("--updated-from", "0001-01-01", True),
                               ("--updated-to", "0001-01-01", False)):
        code, out, err = run(capsys, "--library", str(path), "list", option, day)
        assert (code, err) == (0, ""), (option, day, err)
        assert ("Kept for ever." in out) == found, (option, day, out)


def test_date_filters_with_a_time_zone_at_the_ends_of_the_calendar(tmp_path):
    east, west = timezone(timedelta(hours=1)), timezone(timedelta(hours=-1))
    with DraftStore(tmp_path / "library.sqlite", auto_backup=False) as store:
        draft_id = store.add("Kept for ever.")
        everything = [draft_id]
        assert [d.id for d in store.search(created_from=datetime(1, 1, 1, tzinfo=east))] \
            == everything
        assert [d.id for d in store.search(updated_from="0001-01-01")] == everything
        assert store.search(created_to=datetime(1, 1, 1, tzinfo=east)) == []
        assert [d.id for d in store.search(
            updated_to=datetime.max.replace(tzinfo=west))] == everything
        assert store.search(updated_from=datetime.max.replace(tzinfo=west)) == []
        assert [d.id for d in store.search(created_to="9999-12-31")] == everything
        assert store.count(updated_from="9999-12-31") == 0


# -- search text that is not valid Unicode ------------------------------------------------------

def test_a_lone_surrogate_searches_like_the_text_it_was_saved_as(tmp_path):
    with DraftStore(tmp_path / "library.sqlite", auto_backup=False) as store:
        broken = store.add("A paste cut in half: \ud83d and more.")  # saved with U+FFFD
        store.add("Nothing odd here.")
        assert [d.id for d in store.search("\ud83d")] == [broken]
        assert [d.id for d in store.search("half \ud83d")] == [broken]
        assert store.count("\udcff") == 1
        assert store.search_ids("more \ud83d\ude00") == []  # a whole pair is an emoji
        # Inside a word it separates words, as the index splits a saved text there.
        assert [d.text for d in store.search("odd\ud83d")] == ["Nothing odd here."]


def test_bytes_that_are_not_utf8_on_the_command_line_search_honestly(tmp_path, capsys):
    path = tmp_path / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        store.add("Nothing odd here.")
    code, out, err = run(capsys, "--library", str(path), "search", "\udcff")  # argv b"\xff"
    assert (code, err, out) == (0, "", "no drafts\n")
    code, out, err = run(capsys, "--library", str(path), "search", "odd\udcff", "--format",
                         "json")
    assert code == 0 and err == "" and '"Nothing odd here."' in out
