"""``coach check --jobs N``: posts checked in parallel processes, written in input order.

The output of every format is byte for byte that of ``--jobs 1``, with the same exit
status; Ctrl+C and a reader that goes away (``| head``) end it quietly with every worker;
each worker loads the packs once; progress appears on a terminal only.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from coach.cli import build_parser
from coach.cli.check import BATCH_POSTS
from coach.cli.parallel import Progress, usable_cores

POSTS = ["We did it!!! Thanks to everyone.", "BUY NOW!!! This cheap deal ends today.",
         "Which launch surprised you most this year?", "Kami bangga!!! Beli sekarang juga.",
         "Apa pendapat kalian tentang produk baru kita?", "¡¡¡Compra ya!!! Oferta increíble",
         "¿Qué opinas de nuestro nuevo café?", "Wir sind die BESTEN!!! Jetzt kaufen.",
         "Was denkst du über unseren neuen Laden?", "😀 👍🏽 🇮🇩 #launch @anna https://x.co/a",
         "   ", "Sehr geehrte Damen und Herren, wir freuen uns sehr."]


def _env():
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    return env


def coach(*argv, **kw):
    return subprocess.run([sys.executable, "-m", "coach", *argv], capture_output=True,
                          env=_env(), **kw)


@pytest.fixture(scope="module")
def batch_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("jobs")
    pack = folder / "pack.toml"
    pack.write_text('[pack]\nname = "Acme"\n\n[[avoid]]\nphrase = "cheap"\n'
                    'replacement = "good value"\n', encoding="utf-8")
    lines = [f"{POSTS[i % len(POSTS)]} {i}" if i % 7 else "" for i in range(5 * BATCH_POSTS)]
    first = folder / "first.txt"
    first.write_text("\n".join(lines) + "\n", encoding="utf-8")
    broken = folder / "latin1.txt"
    broken.write_bytes("caf\xe9 !!".encode("latin-1"))
    second = folder / "second.txt"
    second.write_text("\r\n".join(reversed(lines)), encoding="utf-8")
    return pack, [first, folder / "missing.txt", broken, second]


@pytest.mark.parametrize("fmt", ["text", "json", "jsonl"])
def test_jobs_give_the_output_and_status_of_one_job(batch_files, fmt):
    pack, paths = batch_files
    argv = ["check", "--lines", "--format", fmt, "--fail-on", "suggestion", "--pack", str(pack),
            "--platform", "x", *map(str, paths)]
    one = coach(*argv, "--jobs", "1")
    two = coach(*argv, "--jobs", "2")
    three = coach(*argv, "--jobs", "3")
    assert one.stdout.count(b"house.avoid") > 100  # the pack is used in every process
    assert two.stdout == one.stdout and three.stdout == one.stdout
    assert two.stderr == one.stderr == three.stderr
    assert len(one.stderr.splitlines()) == 2  # the missing file and the latin-1 one
    assert one.returncode == two.returncode == three.returncode == 2


def test_jobs_keep_the_fail_on_status_when_every_input_is_read(batch_files):
    pack, paths = batch_files
    for fail_on, expected in (("never", 0), ("suggestion", 1), ("error", 0)):
        result = coach("check", "--lines", "--jobs", "2", "--fail-on", fail_on,
                       "--format", "jsonl", str(paths[0]))
        assert result.returncode == expected, fail_on


def test_each_worker_loads_the_packs_once(batch_files, tmp_path):
    pack, paths = batch_files
    calls = tmp_path / "calls.txt"
    driver = textwrap.dedent(f"""
        import os, sys
        import coach.analysis.house as house
        import coach.cli.check as check
        real = house.load_pack
        def counted(path):
            with open({str(calls)!r}, "a") as f:
                f.write(str(os.getpid()) + "\\n")
            return real(path)
        house.load_pack = check.load_pack = counted
        from coach.cli import main
        sys.exit(main(["check", "--lines", "--jobs", "2", "--format", "jsonl",
                       "--pack", {str(pack)!r}, {str(paths[0])!r}]))
    """)
    result = subprocess.run([sys.executable, "-c", driver], capture_output=True)
    assert result.returncode == 0, result.stderr
    pids = calls.read_text().split()
    assert result.stdout.count(b"\n") > 4 * BATCH_POSTS  # every post was checked
    assert 1 <= len(pids) <= 3 and len(set(pids)) == len(pids)  # once per process


def _children(pid):
    path = f"/proc/{pid}/task/{pid}/children"
    with open(path) as f:
        return [int(p) for p in f.read().split()]


def _big_input(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("\n".join(f"{POSTS[i % len(POSTS)]} {i}" for i in range(60_000)),
                    encoding="utf-8")
    return path


def _alive(pid):
    try:
        return "zombie" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


def _gone(pids, timeout=10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if not any(map(_alive, pids)):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="needs Linux /proc")
def test_ctrl_c_ends_every_process_quietly(tmp_path):
    path = _big_input(tmp_path)
    p = subprocess.Popen([sys.executable, "-m", "coach", "check", "--lines", "--jobs", "2",
                          str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         start_new_session=True, env=_env())
    p.stdout.readline()  # it is checking
    workers = _children(p.pid)
    os.killpg(p.pid, signal.SIGINT)  # what a terminal's Ctrl+C does: the whole group
    p.stdout.read()
    assert p.wait(timeout=30) == 130
    assert p.stderr.read() == b"coach check: interrupted\n"
    assert workers and _gone(workers)


@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="needs Linux /proc")
def test_a_reader_that_goes_away_ends_it_quietly(tmp_path):
    path = _big_input(tmp_path)
    for fmt in ("text", "json"):
        p = subprocess.Popen([sys.executable, "-m", "coach", "check", "--lines", "--jobs",
                              "2", "--format", fmt, str(path)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=_env())
        p.stdout.readline()  # `| head -1`
        workers = _children(p.pid)
        p.stdout.close()
        assert p.wait(timeout=30) == 141
        assert p.stderr.read() == b""  # no traceback, no "Exception ignored"
        assert _gone(workers)


@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="needs Linux /proc")
def test_a_worker_that_dies_is_a_clear_message(tmp_path):
    path = _big_input(tmp_path)
    p = subprocess.Popen([sys.executable, "-m", "coach", "check", "--lines", "--jobs", "2",
                          "--format", "jsonl", str(path)], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, env=_env())
    end = time.monotonic() + 20
    while not (workers := _children(p.pid)) and time.monotonic() < end:
        time.sleep(0.02)
    os.kill(workers[0], signal.SIGKILL)  # as the kernel's out-of-memory killer would
    assert p.wait(timeout=30) == 2
    assert p.stderr.read() == (b"coach check: a worker process ended unexpectedly (perhaps "
                               b"out of memory), so the posts from there on were not "
                               b"checked.\n")


@pytest.mark.parametrize("value", ["0", "-1", "x", "1.5", "100000"])
def test_a_bad_number_of_jobs_is_a_usage_error(value):
    result = coach("check", "--jobs", value, "-", input=b"Hello")
    assert result.returncode == 2 and result.stdout == b""
    assert b"--jobs" in result.stderr and b"usage: coach check" in result.stderr


def test_the_default_is_the_cores_this_process_may_use():
    assert build_parser().parse_args(["check"]).jobs == usable_cores()
    if hasattr(os, "sched_setaffinity"):
        one = sorted(os.sched_getaffinity(0))[0]
        driver = (f"import os; os.sched_setaffinity(0, {{{one}}}); "
                  "from coach.cli import build_parser; "
                  "print(build_parser().parse_args(['check']).jobs)")
        result = subprocess.run([sys.executable, "-c", driver], capture_output=True,
                                text=True, check=True)
        assert result.stdout.strip() == "1"


class Terminal(io.StringIO):
    def isatty(self):
        return True


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_progress_shows_on_a_terminal_after_a_second_and_is_taken_away():
    stream, clock = Terminal(), Clock()
    progress = Progress(stream, clock=clock)
    progress.update(lambda: "coach check: 200 posts checked")
    assert stream.getvalue() == ""  # a short run shows nothing
    clock.now += 1.5
    progress.update(lambda: "coach check: 400 posts checked")
    assert stream.getvalue() == "\r\033[Kcoach check: 400 posts checked"
    clock.now += 0.01
    progress.update(lambda: "coach check: 600 posts checked")  # not redrawn so soon
    progress.clear()
    assert stream.getvalue() == "\r\033[Kcoach check: 400 posts checked\r\033[K"


def test_progress_writes_nothing_at_all_when_not_a_terminal():
    stream, clock = io.StringIO(), Clock()
    progress = Progress(stream, clock=clock)
    for _ in range(10):
        clock.now += 5
        progress.update(lambda: "coach check: 1 post checked")
    progress.clear()
    assert stream.getvalue() == ""


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_progress_reaches_a_terminal_and_never_a_pipe(batch_files):
    import pty

    _, paths = batch_files
    # The first file, then standard input, which stays open for a while: a long run.
    argv = [sys.executable, "-m", "coach", "check", "--lines", "--jobs", "2",
            "--format", "jsonl", str(paths[0]), "-"]
    for terminal in (False, True):
        leader, follower = pty.openpty()
        p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                             stderr=follower if terminal else subprocess.PIPE, env=_env())
        os.close(follower)
        time.sleep(1.5)
        p.stdin.write("\n".join(POSTS).encode())
        p.stdin.close()
        if not terminal:
            assert p.stderr.read() == b""  # nothing at all
            assert p.wait(timeout=60) == 0
            os.close(leader)
            continue
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the other end closed
                break
            if not chunk:
                break
            seen += chunk
        os.close(leader)
        assert p.wait(timeout=60) == 0
        assert b"\r\033[Kcoach check: " in seen and b" posts checked (" in seen, seen
        assert seen.endswith(b"\r\033[K")  # the line is taken away at the end


def test_text_written_ahead_says_what_standard_output_is(monkeypatch):
    # Results are written to a buffer first (in a worker with --jobs): whatever write_text
    # decides from its stream (colour, escaping for a terminal) is decided as for stdout.
    from coach.cli import check, main

    class Tty(io.StringIO):
        encoding = "utf-8"

        def isatty(self):
            return True

    seen = []
    monkeypatch.setattr(check, "write_text", lambda out, data, *, colour: seen.append(
        (out.isatty(), out.encoding)))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Hello!!")))
    monkeypatch.setattr(sys, "stdout", Tty())
    assert main(["check", "--jobs", "1", "-"]) == 0
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Hello!!")))
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert main(["check", "--jobs", "1", "-"]) == 0
    assert seen == [(True, "utf-8"), (False, None)]
