"""Two windows or processes on one library: no corruption, no silent overwrite, no lost text."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from coach.library import ConflictError, DraftStore, LibraryBusyError

WORKER = Path(__file__).with_name("worker.py")


def run_together(*commands: list[str]) -> list[list[str]]:
    procs = [subprocess.Popen([sys.executable, str(WORKER), *cmd], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for cmd in commands]
    outputs = []
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
        outputs.append(out.splitlines())
    return outputs


def test_second_writer_is_told_and_nothing_is_lost(library_path):
    with DraftStore(library_path, auto_backup=False) as store:
        draft_id = store.add("the starting text")
    start = str(time.time() + 1.5)
    a, b = run_together(["editor", str(library_path), str(draft_id), "A", "60", start],
                        ["editor", str(library_path), str(draft_id), "B", "60", start])
    events = [json.loads(line) for line in a + b]
    conflicts = [e for e in events if "conflict" in e]
    saved = [e["saved"] for e in events if "saved" in e]
    assert len(saved) + len(conflicts) == 120
    assert conflicts and saved  # the two really raced

    with DraftStore(library_path, auto_backup=False) as store:
        assert store.check() == []
        history = {v.text for v in store.versions(draft_id)}
        assert set(saved) <= history  # every accepted save is a version
        for event in conflicts:  # every refused save was kept as a copy
            assert store.get(event["copy"]).text == event["conflict"]
        assert store.get(draft_id).revision == 1 + len(saved)
        assert store.count() == 1 + len(conflicts)


def test_two_processes_adding_at_once(library_path):
    DraftStore(library_path, auto_backup=False).close()
    run_together(["adder", str(library_path), "left", "150"],
                 ["adder", str(library_path), "right", "150"])
    with DraftStore(library_path, auto_backup=False) as store:
        assert store.count() == 300
        assert store.count(client="left") == store.count(client="right") == 150
        assert store.count("left") == 150  # the search index saw every draft
        assert store.check() == []


def test_conflict_between_two_windows(library_path):
    with DraftStore(library_path, auto_backup=False) as one, \
            DraftStore(library_path, auto_backup=False) as two:
        draft_id = one.add("original")
        mine = one.get(draft_id)
        theirs = two.update(draft_id, text="their edit", expected_revision=mine.revision)
        with pytest.raises(ConflictError) as info:
            one.update(draft_id, text="my edit", expected_revision=mine.revision)
        error = info.value
        assert error.current == theirs and error.expected_revision == mine.revision
        assert "changed elsewhere" in str(error)
        assert one.get(draft_id).text == "their edit"  # nothing was overwritten
        # Keep mine as a copy...
        copy = one.duplicate(error.draft_id, text="my edit")
        assert one.get(copy).text == "my edit"
        # ...or overwrite knowingly: theirs stays in the versions.
        one.update(draft_id, text="my edit", expected_revision=error.current.revision)
        assert [v.text for v in one.versions(draft_id)] == ["original", "their edit", "my edit"]


def test_trash_and_metadata_changes_also_conflict(library_path):
    with DraftStore(library_path, auto_backup=False) as one, \
            DraftStore(library_path, auto_backup=False) as two:
        draft_id = one.add("x")
        seen = one.get(draft_id).revision
        two.update(draft_id, status="approved")
        with pytest.raises(ConflictError):
            one.update(draft_id, status="published", expected_revision=seen)
        with pytest.raises(ConflictError):
            one.trash(draft_id, expected_revision=seen)
        assert one.get(draft_id).status == "approved" and not one.get(draft_id).in_trash


def test_a_long_write_elsewhere_makes_the_other_wait_not_fail(library_path):
    with DraftStore(library_path, auto_backup=False) as one, \
            DraftStore(library_path, auto_backup=False, timeout=10) as two:
        one._conn.execute("BEGIN IMMEDIATE")
        one._conn.execute("INSERT INTO meta (key, value) VALUES ('x', 'y')")
        timer = threading.Timer(0.3, lambda: one._conn.execute("COMMIT"))
        timer.start()
        draft_id = two.add("waited for the lock")  # blocks until the other commits
        timer.join()
        assert two.get(draft_id).text == "waited for the lock"


def test_busy_library_gives_a_clear_error(library_path):
    with DraftStore(library_path, auto_backup=False) as one, \
            DraftStore(library_path, auto_backup=False, timeout=0.2) as two:
        one._conn.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(LibraryBusyError, match="busy"):
                two.add("no chance")
        finally:
            one._conn.execute("ROLLBACK")
        assert two.add("now it works")
