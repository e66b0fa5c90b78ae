"""Child processes for the crash and concurrency tests (run as a script, never imported).

Each mode prints one line per completed step and flushes, so the parent knows exactly
what was confirmed before it kills the child.
"""

from __future__ import annotations

import json
import resource
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from coach.library import ConflictError, DraftStore, LibraryError  # noqa: E402

TYPING = "Which of our launches this year surprised you most, and why? Tell us below. "


def typed(n: int) -> str:
    """The first n characters of an endless stream of typing."""
    return (TYPING * (n // len(TYPING) + 1))[:n]


def autosave(path: str, draft_id: str, pad: str) -> None:
    """Type forever: autosave after every few characters, save a version now and then."""
    store = DraftStore(path, auto_backup=False)
    target = None if draft_id == "none" else int(draft_id)
    padding = "x" * int(pad)  # a long buffer makes each write take longer (wider kill window)
    slot = None
    n = 0
    while True:
        n += 3
        slot = store.autosave(target, padding + typed(n), slot=slot)
        print(f"autosaved {n}", flush=True)
        if target is not None and n % 60 == 0:
            store.update(target, text=padding + typed(n))
            print(f"saved {n}", flush=True)


def editor(path: str, draft_id: str, name: str, rounds: str, start: str) -> None:
    """Edit one draft like a window would: read, change, save with the revision it read."""
    store = DraftStore(path, auto_backup=False)
    while time.time() < float(start):  # both editors begin together
        time.sleep(0.001)
    for i in range(int(rounds)):
        draft = store.get(int(draft_id))
        time.sleep(0.002)  # a person types between loading and saving
        mine = f"{name} edit {i}: {draft.text[:40]}"
        try:
            store.update(int(draft_id), text=mine, expected_revision=draft.revision)
            print(json.dumps({"saved": mine}), flush=True)
        except ConflictError as exc:
            copy = store.duplicate(exc.draft_id, text=mine)  # the losing text is kept
            print(json.dumps({"conflict": mine, "copy": copy}), flush=True)
    store.close()


def adder(path: str, name: str, count: str) -> None:
    store = DraftStore(path, auto_backup=False)
    for i in range(int(count)):
        store.add(f"{name} draft {i}", client=name)
    print("done", flush=True)
    store.close()


def importer(path: str, bundle: str) -> None:
    store = DraftStore(path, auto_backup=False)

    def progress(done: int, total: int) -> None:
        print(f"imported {done}", flush=True)

    store.import_file(bundle, progress=progress)
    print("finished", flush=True)


def full_disk(path: str, limit: str) -> None:
    """Save a big draft with the file size capped: the disk is "full" for this process."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the cap fails instead of killing
    store = DraftStore(path, auto_backup=False)
    resource.setrlimit(resource.RLIMIT_FSIZE, (int(limit), int(limit)))
    try:
        store.add("big " * 500_000)
        print("saved", flush=True)
    except LibraryError as exc:
        print(json.dumps({"error": type(exc).__name__, "message": str(exc)}), flush=True)
    try:
        print(json.dumps({"count": store.count()}), flush=True)
    except LibraryError as exc:
        print(json.dumps({"error": type(exc).__name__}), flush=True)


if __name__ == "__main__":
    globals()[sys.argv[1].replace("-", "_")](*sys.argv[2:])
