"""``coach check`` on big inputs: time and peak memory as the input grows, and ``--jobs``.

    python tests/benchmarks/bench_check.py CORPORA_DIR [--rounds N] [--lines-mb 50]

Prints figures and asserts nothing. The inputs are made in a temporary folder from the
corpus files (never copied into the project) and each run is a real ``coach check``
process, so the figures cover the whole path: reading, analysis, building and writing the
output. Peak memory is the largest resident size of that process (with ``--jobs`` the
largest of the parent and its workers).

1. One post of 0.5, 1 and 2 MB (the biggest taken; the corpus lines joined, so that there
   are findings all over it), text and JSON output: time and memory should both grow
   linearly. A 50 MB post is refused at once.
2. ``--lines`` over the four corpus files (12,000 real posts, repeated to 48,000), with
   ``--jobs 1`` and ``--jobs 2`` run in turn, each ``--rounds`` times (the machine is
   shared: the best of each is compared).
3. With ``--lines-mb M``: ``--lines`` over M MB of corpus posts with ``--jobs 2``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LANGS = ("en", "id", "es", "de")


# Run in the measured process itself: a child's ru_maxrss starts from this (bigger)
# process's peak, so the peak is read where it belongs (VmHWM: this process's own, and the
# largest worker it waited for).
DRIVER = r"""
import resource, sys
from coach.cli import main
code = main(sys.argv[2:])
own = next(line for line in open("/proc/self/status") if line.startswith("VmHWM"))
workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
with open(sys.argv[1], "w") as f:
    f.write(f"{int(own.split()[1])} {workers}")
sys.exit(code)
"""


def measure(argv: list[str], allowed: tuple[int, ...] = (0, 1)
            ) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds (with the workers), peak resident MB (of the process or
    of its largest worker), exit status."""
    with open(os.devnull, "wb") as sink, tempfile.TemporaryDirectory() as tmp:
        peaks = Path(tmp) / "peaks"
        errors = Path(tmp) / "errors"
        start = time.perf_counter()
        with open(errors, "wb") as err:
            proc = subprocess.Popen([sys.executable, "-c", DRIVER, str(peaks), "check", *argv],
                                    stdout=sink, stderr=err)
            _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code not in allowed:
            raise SystemExit(f"coach check {' '.join(argv)}: exit status {code}: "
                             f"{errors.read_text()[-500:]}")
        peak = max(int(kb) for kb in peaks.read_text().split()) / 1024
    return wall, usage.ru_utime + usage.ru_stime, peak, code


def corpus_text(corpora: Path) -> str:
    return "".join((corpora / f"{lang}.txt").read_text(encoding="utf-8") for lang in LANGS)


def of_size(text: str, megabytes: float) -> bytes:
    """``text`` repeated to ``megabytes`` MB of UTF-8, cut at the end of a line."""
    data = text.encode("utf-8")
    want = int(megabytes * 1_000_000)
    data = data * (want // len(data) + 1)
    return data[: data.rfind(b"\n", 0, want) + 1]


def one_post(folder: Path, text: str) -> None:
    print("1. one post, growing (time and memory should grow in proportion)")
    print(f"{'size':>6} {'format':6} {'wall s':>8} {'CPU s':>8} {'s per MB':>9} "
          f"{'peak MB':>8} {'MB per MB':>9}")
    for megabytes in (0.5, 1, 2):
        path = folder / f"post-{megabytes}mb.txt"
        path.write_bytes(of_size(text, megabytes))
        for fmt in ("text", "json"):
            wall, cpu, peak, _ = measure(["--format", fmt, "--fail-on", "never", str(path)])
            print(f"{megabytes:>4g} MB {fmt:6} {wall:8.1f} {cpu:8.1f} {cpu / megabytes:9.2f} "
                  f"{peak:8.0f} {peak / megabytes:9.0f}")
        path.unlink()
    path = folder / "post-50mb.txt"
    path.write_bytes(of_size(text, 50))
    wall, cpu, peak, code = measure([str(path)], allowed=(2,))
    print(f"  50 MB: refused in {wall:.2f} s (exit status {code}, peak {peak:.0f} MB)")
    path.unlink()


def jobs(folder: Path, text: str, rounds: int) -> None:
    path = folder / "posts.txt"
    path.write_text(text * 4, encoding="utf-8")
    posts = sum(1 for line in (text * 4).split("\n") if line.strip())
    print(f"\n2. --lines over {posts:,} real posts, --jobs 1 and 2 in turn, {rounds} rounds")
    best: dict[int, tuple[float, float, float]] = {}
    for _ in range(rounds):
        for n in (1, 2):
            wall, cpu, peak, _ = measure(["--lines", "--jobs", str(n), "--format", "jsonl",
                                          "--platform", "x", "--fail-on", "never", str(path)])
            print(f"  --jobs {n}: {wall:6.2f} s wall, {cpu:6.2f} s CPU, {posts / wall:7,.0f} "
                  f"posts/s, peak {peak:.0f} MB")
            if n not in best or wall < best[n][0]:
                best[n] = (wall, cpu, peak)
    print(f"  best: --jobs 1 {best[1][0]:.2f} s, --jobs 2 {best[2][0]:.2f} s: "
          f"{best[1][0] / best[2][0]:.2f} times as fast (CPU {best[1][1]:.1f} s and "
          f"{best[2][1]:.1f} s)")


def many_lines(folder: Path, text: str, megabytes: float) -> None:
    path = folder / "lines.txt"
    path.write_bytes(of_size(text, megabytes))
    posts = sum(1 for line in path.read_text(encoding="utf-8").split("\n") if line.strip())
    wall, cpu, peak, _ = measure(["--lines", "--jobs", "2", "--format", "jsonl",
                                  "--fail-on", "never", str(path)])
    print(f"\n3. --lines over {megabytes:g} MB ({posts:,} posts), --jobs 2: {wall:.1f} s wall, "
          f"{cpu:.1f} s CPU, {posts / wall:,.0f} posts/s, peak {peak:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--lines-mb", type=float, default=0)
    parser.add_argument("--skip-one-post", action="store_true")
    args = parser.parse_args()
    text = corpus_text(args.corpora)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}\n")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if not args.skip_one_post:
            one_post(folder, text)
        jobs(folder, text, args.rounds)
        if args.lines_mb:
            many_lines(folder, text, args.lines_mb)


if __name__ == "__main__":
    main()
