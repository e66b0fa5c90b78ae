"""The library on disk against careless users and hostile files: a damaged file is never
passed off as empty, a file that is not a library is never touched, looking never writes,
backups survive an emptied library, drafts stay private, and odd input is a message."""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from datetime import UTC, datetime, timedelta, timezone

import pytest

from coach.cli import main
from coach.library import (
    CorruptLibraryError,
    DraftRecord,
    DraftStore,
    NotALibraryError,
    files,
    list_backups,
    restore_file,
)
from coach.library import store as store_module
from coach.library.schema import APPLICATION_ID, migrate


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


# -- permissions: client drafts are private -------------------------------------------------------

def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask():
    """The most common umask (022): without care, new files would be readable by all."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_the_library_its_journal_and_its_folder_are_private(tmp_path, open_umask):
    path = tmp_path / "data" / "post-coach" / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        store.add("For the client's eyes only.")
        journal = [p for p in files.companions(path)[1:] if p.exists()]
        assert journal  # WAL mode: -wal and -shm while it is open
        assert [mode(p) for p in (path, *journal)] == [0o600] * (1 + len(journal))
    assert mode(path.parent) == 0o700
    assert mode(tmp_path / "data") == 0o755  # folders above it are the user's business


def test_backups_restores_and_files_moved_aside_are_private(tmp_path, open_umask):
    path = tmp_path / "library.sqlite"
    with DraftStore(path) as store:
        store.add("For the client's eyes only.")
        manual = store.backup_now()
    [auto] = [b for b in list_backups(path) if b.kind == "auto"]
    assert mode(path.parent / "backups") == 0o700
    assert mode(manual.path) == mode(auto.path) == 0o600
    os.chmod(path, 0o644)  # as an older Post Coach left it
    moved = restore_file(manual.path, path)
    assert mode(path) == 0o600 and mode(moved) == 0o600
    os.chmod(path, 0o644)
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4080)  # damaged, marked as ours
    with open(path, "r+b") as handle:
        handle.seek(68)
        handle.write(APPLICATION_ID.to_bytes(4, "big"))
    with pytest.raises(CorruptLibraryError) as info:
        DraftStore(path, auto_backup=False)
    assert mode(info.value.moved_to) == 0o600


def test_a_stricter_mode_chosen_by_the_user_is_kept(tmp_path, open_umask):
    path = tmp_path / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        store.add("Only I may even read this.")
    os.chmod(path, 0o400)
    with DraftStore(path, read_only=True, auto_backup=False) as store:
        backup = store.backup_now()
    assert mode(backup.path) == 0o400
    moved = restore_file(backup.path, path)
    assert mode(path) == 0o400 and mode(moved) == 0o400
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o750)
    DraftStore(folder / "library.sqlite", auto_backup=False).close()
    assert mode(folder) == 0o750  # an existing folder keeps its mode


def test_a_file_the_user_made_for_a_new_library_becomes_private(tmp_path, open_umask):
    path = tmp_path / "clients.sqlite"
    path.touch()
    with DraftStore(path, auto_backup=False) as store:
        store.add("New library, new drafts.")
    assert mode(path) == 0o600


def test_exports_get_the_mode_the_umask_gives(tmp_path, open_umask):
    with DraftStore(tmp_path / "library.sqlite", auto_backup=False) as store:
        store.add("Shared on purpose.")
        store.export_file(tmp_path / "out.json")
        store.export_file(tmp_path / "out.csv")
        store.export_file(tmp_path / "posts")
        assert mode(tmp_path / "out.json") == mode(tmp_path / "out.csv") == 0o644
        assert {mode(p) for p in (tmp_path / "posts").iterdir()} == {0o644}
        os.chmod(tmp_path / "out.json", 0o640)  # a mode the person chose for their file
        store.export_file(tmp_path / "out.json")
    assert mode(tmp_path / "out.json") == 0o640
    assert not list(tmp_path.glob(".*.partial"))


# -- looking never writes --------------------------------------------------------------------

READING = [("list",), ("search", "coffee"), ("show", "1"), ("show", "1", "--versions"),
           ("versions", "1"), ("diff", "1", "1"), ("diff", "1", "1", "--words"), ("info",),
           ("check",), ("recover",), ("backup", "--list"), ("backup",),
           ("export", "-"), ("export", "{tmp}/out.json"), ("export", "{tmp}/out.csv"),
           ("list", "--format", "json"), ("info", "--format", "json")]


def files_beside(path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in files.companions(path) if p.exists()}


def a_library_at_rest(path) -> dict[str, bytes]:
    with DraftStore(path, auto_backup=False) as store:
        for i in range(30):
            store.add(f"coffee talk {i}", client="Acme", tags=["q3"])
        store.update(1, text="coffee talk, edited")
    before = files_beside(path)
    assert list(before) == [path.name]  # closed cleanly: no -wal, no -shm
    return before


@pytest.mark.parametrize("command", READING, ids=" ".join)
def test_a_command_that_only_reads_leaves_the_file_byte_for_byte(tmp_path, capsys, command):
    path = tmp_path / "library.sqlite"
    before = a_library_at_rest(path)
    argv = [part.format(tmp=tmp_path) for part in command]
    code, _out, err = run(capsys, "--library", str(path), *argv)
    assert code == 0, err
    assert files_beside(path) == before


@pytest.mark.parametrize("command", [("list",), ("check",), ("export", "{tmp}/out.json")],
                         ids=" ".join)
def test_reading_while_another_window_has_it_open_writes_nothing(tmp_path, capsys, command):
    path = tmp_path / "library.sqlite"
    a_library_at_rest(path)
    with DraftStore(path, auto_backup=False) as window:
        window.add("saved by the app, not yet checkpointed")
        before = files_beside(path)
        argv = [part.format(tmp=tmp_path) for part in command]
        code, _out, err = run(capsys, "--library", str(path), *argv)
        assert code == 0, err
        after = files_beside(path)
        # -shm is SQLite's shared memory: every reader takes a read mark in it.
        assert after.keys() == before.keys()
        assert {k: v for k, v in after.items() if not k.endswith("-shm")} == \
            {k: v for k, v in before.items() if not k.endswith("-shm")}


def test_a_read_only_store_leaves_the_file_byte_for_byte(tmp_path):
    path = tmp_path / "library.sqlite"
    before = a_library_at_rest(path)
    with DraftStore(path, read_only=True) as store:
        assert store.count("coffee") == 30 and store.check() == []
        store.versions(1)
        list(store.export_entries())
    assert files_beside(path) == before


def test_a_damaged_search_index_is_reported_by_a_command_that_only_reads(tmp_path, capsys):
    path = tmp_path / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        for i in range(60):
            store.add(f"coffee talk {i}")
        store._conn.execute("UPDATE drafts_fts_data SET block = randomblob(length(block)) "
                            "WHERE id > 10")
    before = files_beside(path)
    code, _out, err = run(capsys, "--library", str(path), "search", "coffee")
    assert code == 2 and err.count("\n") == 1
    assert "search index" in err and "check --repair" in err
    assert files_beside(path) == before
    assert run(capsys, "--library", str(path), "check", "--repair")[0] == 0
    code, out, _err = run(capsys, "--library", str(path), "search", "coffee", "--limit", "1")
    assert code == 0 and "coffee talk 59" in out


def test_a_library_of_an_older_version_is_upgraded_once_even_by_a_command_that_reads(
        tmp_path, capsys, monkeypatch):
    from coach.library import schema

    path = tmp_path / "library.sqlite"
    a_library_at_rest(path)
    future = (*schema.MIGRATIONS, schema.Migration(schema.SCHEMA_VERSION + 1, "a notes column",
                                                   "ALTER TABLE drafts ADD COLUMN notes TEXT"))
    monkeypatch.setattr(schema, "MIGRATIONS", future)
    code, out, err = run(capsys, "--library", str(path), "list", "--limit", "1")
    assert code == 0 and "coffee" in out, err
    with DraftStore(path, read_only=True) as store:
        assert schema.user_version(store._conn) == schema.SCHEMA_VERSION + 1
    assert [b.kind for b in list_backups(path)] == ["pre-migration"]


# -- a file that is not a library is never touched -------------------------------------------------

def another_programs_database(path, application_id: int = 0x4F544852, table="contacts",
                              journal: str = "delete"):
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA journal_mode = {journal}")
    conn.execute(f"PRAGMA application_id = {application_id}")
    conn.execute(f"CREATE TABLE {table} (name TEXT)")
    conn.executemany(f"INSERT INTO {table} VALUES (?)", [(f"person {i}",) for i in range(300)])
    conn.commit()
    conn.close()
    return path


NOT_OURS = {
    "notes.txt": lambda p: p.write_text("My own notes, not drafts.\n" * 50),
    "photo.png": lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20),
    "tiny.sqlite": lambda p: p.write_bytes(b"SQLi"),
    "zeros.sqlite": lambda p: p.write_bytes(b"\x00" * 8192),
    "contacts.db": another_programs_database,
    "unmarked.db": lambda p: another_programs_database(p, application_id=0),
    "unmarked-wal.db": lambda p: another_programs_database(p, application_id=0,
                                                           journal="wal"),
    "half-sqlite.db": lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000),
}


def damage_middle(path, count: int = 300) -> None:
    """Flip a few hundred bytes in the middle of a file, as a failing disk would."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + count] = bytes(b ^ 0xFF for b in data[middle:middle + count])
    path.write_bytes(bytes(data))


def fingerprint(folder) -> dict[str, tuple[bytes, int, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_mode)
            for p in folder.iterdir() if p.is_file()}


@pytest.mark.parametrize("name", sorted(NOT_OURS))
@pytest.mark.parametrize("command", [("list",), ("info",), ("search", "x"), ("check",),
                                     ("add", "{post}"), ("restore", "--newest")],
                         ids=" ".join)
def test_a_file_that_is_not_a_library_is_refused_and_left_exactly_as_it_was(
        tmp_path, capsys, name, command):
    folder = tmp_path / "mine"
    folder.mkdir()
    path = folder / name
    NOT_OURS[name](path)
    before = fingerprint(folder)
    post = tmp_path / "post.txt"
    post.write_text("A post.\n")
    time.sleep(0.01)  # an mtime that changed would show
    argv = [part.format(post=post) for part in command]
    code, out, err = run(capsys, "--library", str(path), *argv)
    assert code == 2 and out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert fingerprint(folder) == before
    assert "it was left as it is" in err or "there are no backups" in err


def test_another_programs_damaged_database_is_not_moved(tmp_path, capsys):
    path = another_programs_database(tmp_path / "contacts.db")
    damage_middle(path)
    before = fingerprint(tmp_path)
    with pytest.raises(NotALibraryError, match="left as it is"):
        DraftStore(path, auto_backup=False)
    assert fingerprint(tmp_path) == before


def test_a_backup_is_never_restored_over_another_programs_file(tmp_path):
    library = tmp_path / "library.sqlite"
    with DraftStore(library, auto_backup=False) as store:
        store.add("A draft.")
        backup = store.backup_now().path
    other = another_programs_database(tmp_path / "contacts.db")
    before = other.read_bytes()
    with pytest.raises(NotALibraryError, match="left as it is"):
        restore_file(backup, other)
    assert other.read_bytes() == before and not list(tmp_path.glob("contacts.db.*"))


def test_a_library_whose_header_was_destroyed_is_still_ours_when_it_has_backups(tmp_path):
    path = tmp_path / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        store.add("Kept in the backup.")
        store.backup_now()
    with open(path, "r+b") as handle:
        handle.write(b"\x00" * 4096)  # the whole first page, mark and all
    with pytest.raises(CorruptLibraryError) as info:
        DraftStore(path, auto_backup=False)
    assert info.value.moved_to.read_bytes()[:4096] == b"\x00" * 4096
    assert info.value.newest_backup is not None


# -- an empty file ---------------------------------------------------------------------------------

def test_an_emptied_library_is_damaged_and_its_backup_offered(tmp_path, capsys):
    path = tmp_path / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        for i in range(5):
            store.add(f"Draft {i} that must come back.")
        backup = store.backup_now()
    path.write_bytes(b"")  # as a crash on some file systems leaves a file
    code, out, err = run(capsys, "--library", str(path), "list")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "damaged" in err and "empty" in err and str(backup.path) in err
    assert "restore --newest" in err
    [moved] = tmp_path.glob("library.sqlite.damaged-*")
    assert moved.read_bytes() == b"" and not path.exists()
    code, out, err = run(capsys, "--library", str(path), "list")  # asked again, later
    assert code == 2 and "has backups" in err and str(backup.path) in err
    assert "restore --newest" in err and not path.exists()
    assert run(capsys, "--library", str(path), "restore", "--newest")[0] == 0
    code, out, _ = run(capsys, "--library", str(path), "list")
    assert code == 0 and out.count("must come back") == 5


def test_an_emptied_library_in_the_app_api(tmp_path):
    path = tmp_path / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        store.add("Kept.")
        backup = store.backup_now()
    path.write_bytes(b"")
    with pytest.raises(CorruptLibraryError) as info:
        DraftStore(path, auto_backup=False)
    assert info.value.newest_backup.path == backup.path
    assert "empty" in str(info.value)


def test_a_file_made_empty_for_a_new_library_becomes_one(tmp_path, capsys):
    path = tmp_path / "clients.sqlite"
    path.touch()
    code, _out, err = run(capsys, "--library", str(path), "list")  # looking writes nothing
    assert code == 2 and "empty file, not a library yet" in err
    assert path.read_bytes() == b"" and [p.name for p in tmp_path.iterdir()] == [path.name]
    post = tmp_path / "post.txt"
    post.write_text("The first draft.\n")
    code, out, err = run(capsys, "--library", str(path), "add", str(post), "--no-score")
    assert code == 0, err
    code, out, _ = run(capsys, "--library", str(path), "list")
    assert code == 0 and "The first draft." in out


def test_a_new_library_is_never_seen_empty_or_half_made(tmp_path, monkeypatch):
    path = tmp_path / "library.sqlite"
    seen = []
    real_migrate = store_module.migrate

    def watching(conn, *args, **kw):
        seen.append(path.exists())  # what another process would find meanwhile
        return real_migrate(conn, *args, **kw)

    monkeypatch.setattr(store_module, "migrate", watching)
    with DraftStore(path, auto_backup=False) as store:
        assert store.count() == 0
    assert seen == [False]
    assert [p.name for p in tmp_path.iterdir()] == ["library.sqlite"]


# -- damage in the middle of the file --------------------------------------------------------------

def a_library_with_a_backup(path, count: int = 1500):
    with DraftStore(path, auto_backup=False) as store:
        store.import_drafts([DraftRecord({"text": f"draft {i} about coffee and the café we "
                                                  "love, with a question for you? " * 3,
                                          "client": f"Client {i % 7}", "tags": ["q3"]})
                             for i in range(count)])
        return store.backup_now()


def leaf_pages(path, table: str) -> list[int]:
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno",
            (table,))]
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no dbstat table to find a table's pages")
    finally:
        conn.close()


def flip_inside_page(path, page: int, count: int = 300) -> bytes:
    """Flip a few hundred bytes in one page's cells (they fill a page from its end): the
    values in it, not its shape."""
    data = bytearray(path.read_bytes())
    start = page * 4096 - 1024
    data[start:start + count] = bytes(b ^ 0xFF for b in data[start:start + count])
    path.write_bytes(bytes(data))
    return bytes(data)


def quick_check(path) -> str:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return conn.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("command", [("info",), ("list",), ("check",)], ids=" ".join)
def test_damage_in_the_middle_is_found_when_opening(tmp_path, capsys, command):
    path = tmp_path / "library.sqlite"
    backup = a_library_with_a_backup(path)
    pages = leaf_pages(path, "bodies")
    damage = flip_inside_page(path, pages[len(pages) // 2])
    assert quick_check(path) != "ok"  # SQLite can see it...
    code, out, err = run(capsys, "--library", str(path), *command)
    assert code == 2 and out == "" and err.count("\n") == 1  # ...and now so does opening
    assert "damaged" in err and str(backup.path) in err and "restore --newest" in err
    [moved] = tmp_path.glob("library.sqlite.damaged-*")
    assert moved.read_bytes() == damage and not path.exists()


def flip_inside_texts(path, pages: list[int], count: int = 150) -> bytes:
    """Flip bytes inside one stored text on each page: the file's structure stays intact."""
    data = bytearray(path.read_bytes())
    for page in pages:
        start = (page - 1) * 4096 + data[(page - 1) * 4096:page * 4096].find(b"about coffee")
        data[start:start + count] = bytes(b ^ 0xFF for b in data[start:start + count])
    path.write_bytes(bytes(data))
    return bytes(data)


@pytest.mark.parametrize("command", [("list",), ("search", "coffee"),
                                     ("export", "{tmp}/out.json")], ids=" ".join)
@pytest.mark.parametrize("how", ["texts", "rows"])
def test_damage_a_read_meets_is_damage_not_a_decoding_error(tmp_path, capsys, monkeypatch,
                                                            command, how):
    monkeypatch.setattr(store_module, "QUICK_CHECK_MAX_BYTES", 0)  # as big as 100,000 drafts
    path = tmp_path / "library.sqlite"
    backup = a_library_with_a_backup(path)
    pages = leaf_pages(path, "bodies")
    if how == "texts":
        damage = flip_inside_texts(path, pages[len(pages) // 2:][:2])
    else:  # cells cut across: some drafts' texts are lost to a join, silently
        damage = flip_inside_page(path, pages[len(pages) // 2])
    argv = [part.format(tmp=tmp_path) for part in command]
    code, out, err = run(capsys, "--library", str(path), *argv)
    assert code == 2 and err.count("\n") == 1 and "could not decode" not in err.lower()
    assert "damaged" in err and str(backup.path) in err
    [moved] = tmp_path.glob("library.sqlite.damaged-*")
    assert moved.read_bytes() == damage
    assert not (tmp_path / "out.json").exists()


@pytest.mark.parametrize("spoil", [
    "UPDATE bodies SET text = CAST(x'41ff42' AS TEXT) WHERE id = 2",
    "UPDATE drafts SET title = CAST(x'c328' AS TEXT) WHERE id = 2",
    "UPDATE drafts SET tags = 'not a list' WHERE id = 2",
    "UPDATE drafts SET updated = 'yesterday-ish' WHERE id = 2",
    "UPDATE versions SET saved = '2026-13-45' WHERE draft_id = 2",
    "UPDATE autosaves SET saved = 'never'",
], ids=["text", "title", "tags", "updated", "version time", "autosave time"])
def test_a_stored_value_that_cannot_be_read_back_is_damage(tmp_path, spoil):
    path = tmp_path / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        for i in range(3):
            store.add(f"draft {i}")
        store.update(2, text="draft 1, edited")
        store.autosave(2, "unsaved")
        store.backup_now()
        store._conn.execute(spoil)  # as flipped bytes inside a value would leave it
    assert quick_check(path) == "ok"  # the file's structure is intact
    store = DraftStore(path, auto_backup=False)
    with pytest.raises(CorruptLibraryError) as info:
        store.search()
        store.get(2)
        store.versions(2)
        list(store.export_entries())
        store.recover(include_live=True)
    assert store.closed
    assert info.value.moved_to.exists() and info.value.newest_backup is not None


def test_the_check_at_open_keeps_to_its_budget(tmp_path):
    path = tmp_path / "library.sqlite"
    a_library_with_a_backup(path)
    pages = leaf_pages(path, "bodies")
    flip_inside_page(path, pages[len(pages) // 2])
    conn = sqlite3.connect(path)
    try:
        assert files.quick_check(conn) is not None
        # A slow disk, as it were: SQLite calls this in the check's per-row phase.
        conn.set_progress_handler(lambda: time.sleep(0.001), 10)
        assert files.quick_check(conn, budget=0.02) is None  # cut off: no verdict
        conn.set_progress_handler(None, 0)
        assert conn.execute("SELECT count(*) FROM drafts").fetchone()[0] == 1500  # usable
    finally:
        conn.close()


# -- backups outlive an emptied library ----------------------------------------------------------

class Days:
    """A clock that moves a day at a time (the daily backup is once a day)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(microseconds=1)
        return self.now

    def next_day(self) -> None:
        self.now += timedelta(days=1)


def drafts_in(backup) -> int | None:
    return files.drafts_in(backup.path)


def daily(store, clock, days: int, change) -> None:
    for day in range(days):
        change(day)
        store.auto_backup()
        clock.next_day()


def shrink_to(store, keep: int) -> None:
    for draft_id in store.search_ids()[keep:]:
        store.trash(draft_id)
    store.empty_trash()


def test_a_week_of_backups_of_an_emptied_library_keeps_the_last_full_one(tmp_path):
    clock = Days()
    with DraftStore(tmp_path / "library.sqlite", clock=clock, auto_backup=False) as store:
        daily(store, clock, 3, lambda day: [store.add(f"draft {day}.{i}") for i in range(20)])
        shrink_to(store, 0)  # everything deleted by accident
        store.auto_backup()  # the day's backup: of the empty library
        clock.next_day()
        daily(store, clock, 10, lambda day: store.add(f"a new draft on day {day}"))
        counts = [drafts_in(b) for b in store.list_backups()]
    assert counts[:7] == list(range(10, 3, -1))
    assert counts[7:] == [60]  # the last backup before the library was emptied


def test_much_smaller_means_less_than_half_of_the_drafts(tmp_path):
    clock = Days()
    with DraftStore(tmp_path / "library.sqlite", clock=clock, auto_backup=False) as store:
        for i in range(100):
            store.add(f"draft {i}")
        daily(store, clock, 2, lambda day: store.add(f"more {day}"))  # 101, 102
        shrink_to(store, 52)  # a bit more than half: an ordinary clean-up
        daily(store, clock, 8, lambda day: store.add(f"after {day}"))
        assert [drafts_in(b) for b in store.list_backups()] == list(range(60, 53, -1))
        shrink_to(store, 20)  # fewer than half of the 60 there were
        daily(store, clock, 8, lambda day: store.add(f"later {day}"))
        counts = [drafts_in(b) for b in store.list_backups()]
        assert counts == [*range(28, 21, -1), 60]  # every backup kept is under 30
        daily(store, clock, 9, lambda day: store.add(f"grown back {day}"))
        counts = [drafts_in(b) for b in store.list_backups()]
    assert counts == list(range(37, 30, -1))  # 31 and more: no longer much smaller


def test_backups_kept_past_a_shrinking_stay_few(tmp_path):
    clock = Days()
    with DraftStore(tmp_path / "library.sqlite", clock=clock, auto_backup=False) as store:
        for size in (400, 150, 60, 20, 5):
            daily(store, clock, 3, lambda day, size=size: [
                store.add(f"draft {day}") for _ in range(size - store.count())])
            shrink_to(store, size // 3)
        daily(store, clock, 9, lambda day: store.add(f"at last {day}"))
        counts = [drafts_in(b) for b in store.list_backups()]
    assert counts[:7] == list(range(10, 3, -1))
    assert counts[7:] == [60, 150, 400]  # each more than twice the one kept before it


def test_a_new_library_after_an_emptied_one_keeps_the_old_backup(tmp_path, capsys):
    path = tmp_path / "library.sqlite"
    clock = Days()
    with DraftStore(path, clock=clock, auto_backup=False) as store:
        daily(store, clock, 2, lambda day: [store.add(f"good {day}.{i}") for i in range(30)])
    path.write_bytes(b"")
    with pytest.raises(CorruptLibraryError):
        DraftStore(path, clock=clock, auto_backup=False)
    with DraftStore(path, clock=clock, auto_backup=False) as store:  # "start empty"
        daily(store, clock, 9, lambda day: store.add(f"new {day}"))
        counts = [drafts_in(b) for b in store.list_backups()]
    assert counts[:7] == list(range(9, 2, -1)) and counts[7:] == [60]


def test_a_text_file_beside_a_library_of_the_same_name_is_not_taken_for_it(tmp_path, capsys):
    library = tmp_path / "notes.sqlite"
    with DraftStore(library, auto_backup=False) as store:
        store.add("A draft.")
        store.backup_now()  # backups/notes-....sqlite: named by the stem, as notes.txt's
    notes = tmp_path / "notes.txt"
    notes.write_text("My own notes.\n" * 37)
    before = fingerprint(tmp_path)
    code, _out, err = run(capsys, "--library", str(notes), "list")
    assert code == 2 and "left as it is" in err
    assert fingerprint(tmp_path) == before


@pytest.mark.parametrize("mark", [0, 0x4F544852], ids=["unmarked", "marked"])
def test_another_programs_crashed_database_keeps_its_log_unplayed(tmp_path, mark):
    live = tmp_path / "live"
    live.mkdir()
    conn = another_programs_database(live / "app.db", application_id=mark, journal="wal")
    writer = sqlite3.connect(conn)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("INSERT INTO contacts VALUES ('still only in the log')")
    writer.commit()
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    for part in files.companions(live / "app.db"):  # as a crash leaves them: a hot -wal
        (crashed / part.name).write_bytes(part.read_bytes())
    writer.close()
    before = fingerprint(crashed)
    assert "app.db-wal" in before
    with pytest.raises(NotALibraryError, match="left as it is"):
        DraftStore(crashed / "app.db", auto_backup=False)
    assert fingerprint(crashed) == before


def test_a_log_beside_an_unmarked_file_without_tables_is_another_programs(tmp_path):
    path = tmp_path / "app.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = wal")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("CREATE TABLE contacts (name TEXT)")  # only in the log so far
    conn.commit()
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    for part in files.companions(path):
        (crashed / part.name).write_bytes(part.read_bytes())
    conn.close()
    before = fingerprint(crashed)
    with pytest.raises(NotALibraryError, match="left as it is"):
        DraftStore(crashed / "app.db", auto_backup=False)
    assert fingerprint(crashed) == before


def test_a_library_whose_mark_is_still_only_in_its_log_is_ours(tmp_path):
    """An older Post Coach built a library in place, in WAL mode: stopped in its first
    seconds, the library's mark and tables were only in the -wal beside an unmarked file."""
    path = tmp_path / "live" / "library.sqlite"
    path.parent.mkdir()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = wal")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    migrate(conn)
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    for part in files.companions(path):  # as the stop left them
        if part.exists():
            (crashed / part.name).write_bytes(part.read_bytes())
    conn.close()
    assert files.file_kind(crashed / "library.sqlite") is files.Kind.UNMARKED
    with DraftStore(crashed / "library.sqlite", auto_backup=False) as store:
        assert store.count() == 0
        store.add("Still here after the crash?")
    assert files.file_kind(crashed / "library.sqlite") is files.Kind.LIBRARY
