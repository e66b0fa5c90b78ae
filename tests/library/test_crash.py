"""Crashes: a real process is killed (SIGKILL) while it types and autosaves, or while it
imports; the next start finds the text down to the last autosave, and an intact file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coach.library import DraftStore

from .worker import typed

WORKER = Path(__file__).with_name("worker.py")

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(WORKER), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def read_until(proc: subprocess.Popen, count: int, prefix: str) -> list[str]:
    lines = []
    seen = 0
    deadline = time.monotonic() + 60
    while seen < count:
        line = proc.stdout.readline()
        if not line:
            raise AssertionError(f"worker stopped early: {proc.stderr.read()}")
        lines.append(line.strip())
        seen += line.startswith(prefix)
        assert time.monotonic() < deadline, "worker too slow"
    return lines


def kill(proc: subprocess.Popen, lines: list[str]) -> list[str]:
    proc.send_signal(signal.SIGKILL)
    rest = proc.stdout.read()  # lines the worker flushed before it died were confirmed
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    return lines + [line for line in rest.splitlines() if line]


def last(lines: list[str], word: str) -> int:
    return max((int(x.split()[1]) for x in lines if x.startswith(word)), default=0)


@pytest.mark.parametrize(("steps", "pad"), [(5, 0), (17, 200_000), (40, 50_000), (90, 0)])
def test_killed_while_typing_loses_nothing_autosaved(tmp_path, steps, pad):
    path = tmp_path / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        draft_id = store.add("x" * pad)
    proc = start("autosave", str(path), str(draft_id), str(pad))
    lines = read_until(proc, steps, "autosaved")
    time.sleep((steps % 7) / 1000)  # land the kill at different moments of a write
    lines = kill(proc, lines)
    confirmed = last(lines, "autosaved")
    saved = last(lines, "saved")

    with DraftStore(path, auto_backup=False) as store:
        assert store.check() == []
        draft = store.get(draft_id)
        versions = store.versions(draft_id)
        assert len(draft.text) - pad >= saved
        assert versions[-1].text == draft.text
        # The killed editor is gone: its buffer is offered, unless it was just saved.
        found = store.recover()
        text = found[0].text if found else draft.text
        n = len(text) - pad
        # The newest confirmed autosave, or the one being written when the kill came.
        assert confirmed <= n <= confirmed + 3
        assert text == "x" * pad + typed(n)
        if found:
            assert found[0].draft_id == draft_id
            store.apply_autosave(found[0].slot)
            assert store.get(draft_id).text == text
            assert store.recover() == []


def test_a_new_draft_never_saved_comes_back(tmp_path):
    path = tmp_path / "library.sqlite"
    DraftStore(path, auto_backup=False).close()
    proc = start("autosave", str(path), "none", "0")
    lines = kill(proc, read_until(proc, 12, "autosaved"))
    with DraftStore(path, auto_backup=False) as store:
        (found,) = store.recover()
        assert found.draft_id is None
        assert len(found.text) >= last(lines, "autosaved")
        draft_id = store.apply_autosave(found.slot)
        assert store.get(draft_id).text == found.text


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="exact liveness needs /proc")
def test_a_live_editor_is_not_offered_as_a_crash(tmp_path):
    path = tmp_path / "library.sqlite"
    DraftStore(path, auto_backup=False).close()
    proc = start("autosave", str(path), "none", "0")
    try:
        read_until(proc, 3, "autosaved")
        with DraftStore(path, auto_backup=False) as store:
            assert store.recover() == []  # another window is still typing
            assert len(store.recover(include_live=True)) == 1
    finally:
        kill(proc, [])
    with DraftStore(path, auto_backup=False) as store:
        assert len(store.recover()) == 1


def test_killed_during_an_import_writes_nothing(tmp_path):
    path = tmp_path / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        store.add("already here")
    bundle = tmp_path / "big.json"
    drafts = [{"text": f"imported draft {i} " + "words " * 50, "tags": ["bulk"],
               "versions": [{"text": f"older text {i}"}]} for i in range(6_000)]
    bundle.write_text(json.dumps({"format": "post-coach-library", "version": 1,
                                  "drafts": drafts}))
    proc = start("importer", str(path), str(bundle))
    lines = read_until(proc, 1, "imported")  # well inside the one transaction
    lines = kill(proc, lines)
    assert "finished" not in lines
    with DraftStore(path, auto_backup=False) as store:
        assert store.count() == 1 and store.count(tag="bulk") == 0
        assert store.check() == []
        assert store.import_file(bundle).added  # and the same import works afterwards
        assert store.count() == 6_001
