"""Post Coach against proselint 0.16 on the same English posts, side by side. Prints figures.

    python tests/benchmarks/bench_proselint.py PROSELINT_PYTHON [CORPORA_DIR] [--rounds N]

PROSELINT_PYTHON is an interpreter that has proselint 0.16 installed; proselint is never a
dependency of this project, so it lives in a venv of its own, for example:

    python3 -m venv /tmp/plvenv && /tmp/plvenv/bin/pip install proselint==0.16.0

Both linters read every non-empty line of CORPORA_DIR/en.txt as one post. Each warms up on
one pass over the posts (data loaded, caches filled), then the two take turns: one timed
pass of Post Coach in this process, one of proselint in its own (a worker that stays up
between passes). Taking turns puts both under the same load on a shared machine. The
figures are CPU seconds of each process, steady state; each linter's best pass and its
median are printed, and the ratio of the best passes.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from checkout import PRELUDE  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]

# The proselint side: reads the posts once, then answers each "run" with the CPU seconds
# of one pass over them and the number of problems found.
WORKER = r'''
import sys, time
from proselint.checks import __register__
from proselint.registry import CheckRegistry
from proselint.tools import LintFile

CheckRegistry().register_many(__register__)
posts = [line for line in open(sys.argv[1], encoding="utf-8").read().split("\n")
         if line.strip()]

def one_pass():
    found = 0
    start = time.process_time()
    for post in posts:
        found += len(LintFile("<post>", post).lint())
    return time.process_time() - start, found

one_pass()
print("ready", flush=True)
for line in sys.stdin:
    seconds, found = one_pass()
    print(f"{seconds} {found}", flush=True)
'''


def read_posts(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]


def coach_pass(analyze, posts: list[str], language: str | None) -> tuple[float, int]:
    found = 0
    start = time.process_time()
    for post in posts:
        found += len(analyze(post, language=language).findings)
    return time.process_time() - start, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("proselint_python", help="an interpreter with proselint 0.16")
    parser.add_argument("corpora", nargs="?", type=Path, default=Path("/work/shared/corpora"),
                        help="folder with en.txt, one post a line")
    parser.add_argument("--rounds", type=int, default=3, help="timed passes of each")
    args = parser.parse_args()
    corpus = args.corpora / "en.txt"
    posts = read_posts(corpus)

    exec(PRELUDE, {"root": str(ROOT)})  # this checkout's code and shipped data
    from coach.analysis import analyze

    worker = subprocess.Popen([args.proselint_python, "-c", WORKER, str(corpus)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert worker.stdin is not None and worker.stdout is not None
    version = subprocess.run([args.proselint_python, "-c",
                              "import importlib.metadata as m; print(m.version('proselint'))"],
                             capture_output=True, text=True, check=True).stdout.strip()
    for language in ("en", None):
        coach_pass(analyze, posts, language)  # warm-up
    if worker.stdout.readline().strip() != "ready":
        raise SystemExit("the proselint worker did not start")

    timings: dict[str, list[float]] = {"coach en": [], "coach auto": [], "proselint": []}
    found: dict[str, int] = {}
    for _ in range(args.rounds):
        for label, language in (("coach en", "en"), ("coach auto", None)):
            seconds, found[label] = coach_pass(analyze, posts, language)
            timings[label].append(seconds)
        worker.stdin.write("run\n")
        worker.stdin.flush()
        seconds_text, found_text = worker.stdout.readline().split()
        timings["proselint"].append(float(seconds_text))
        found["proselint"] = int(found_text)
    worker.stdin.close()
    worker.wait()

    print(f"{len(posts):,} English posts from {corpus}, steady state, CPU of one core, "
          f"{args.rounds} passes each, taking turns")
    print(f"  {'':<34} {'best posts/s':>12} {'median':>8} {'µs/post':>8} {'findings':>9}")
    names = {"coach en": "Post Coach (language given: en)",
             "coach auto": "Post Coach (language detected)",
             "proselint": f"proselint {version}"}
    best = {}
    for label, samples in timings.items():
        best[label] = len(posts) / min(samples)
        median = len(posts) / statistics.median(samples)
        print(f"  {names[label]:<34} {best[label]:>12,.0f} {median:>8,.0f} "
              f"{min(samples) / len(posts) * 1e6:>8.0f} {found[label]:>9,}")
    for label in ("coach en", "coach auto"):
        print(f"  {names[label]} / proselint: {best[label] / best['proselint']:.1f}x")


if __name__ == "__main__":
    main()
