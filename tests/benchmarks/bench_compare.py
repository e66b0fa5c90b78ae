"""Compare the engine's speed in two checkouts, run alternately. Prints figures.

    python tests/benchmarks/bench_compare.py OLD_CHECKOUT NEW_CHECKOUT CORPORA_DIR [LANG ...]

On a shared machine the same code can measure 1.7 times slower from one run to the next;
running the two versions in turn, each three times, and keeping each one's best CPU figure
compares them under the same conditions. Figures: analyze() p50/p95 of a 3,000-character
post (platform X) and posts per second over a corpus file in the steady state.
(`git worktree add /tmp/old <commit>` gives an old checkout; each child reads the code
and the shipped data of its own checkout, see checkout.py.)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from checkout import PRELUDE

CODE = r'''
import sys, time
root, corpus = sys.argv[1], sys.argv[2]
''' + PRELUDE + r'''
from bench_engine import text_of
from coach.analysis import analyze
text = text_of(3000)
analyze(text, platform="x")
posts = [line for line in open(corpus, encoding="utf-8").read().split("\n") if line.strip()]
for post in posts:
    analyze(post)
rows = []
for _ in range(3):
    samples = []
    for i in range(60):
        variant = text[:-1] + str(i % 10)
        start = time.process_time()
        analyze(variant, platform="x")
        samples.append(time.process_time() - start)
    samples.sort()
    start = time.process_time()
    for post in posts:
        analyze(post)
    rows.append((samples[30] * 1e3, samples[57] * 1e3, len(posts) / (time.process_time() - start)))
print(min(r[0] for r in rows), min(r[1] for r in rows), max(r[2] for r in rows))
'''


def main() -> None:
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    old, new, corpora = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    for lang in sys.argv[4:] or ["en", "id", "es", "de"]:
        results: dict[str, list[list[float]]] = {old: [], new: []}
        for _ in range(3):
            for root in (old, new):
                out = subprocess.run([sys.executable, "-c", CODE, str(Path(root).resolve()),
                                      str((corpora / f"{lang}.txt").resolve())],
                                     capture_output=True, text=True, check=True, cwd="/")
                results[root].append([float(x) for x in out.stdout.split()])
        for root, rows in results.items():
            print(f"{lang} {root:20s} 3,000 characters: p50 {min(r[0] for r in rows):.2f} ms, "
                  f"p95 {min(r[1] for r in rows):.2f} ms; "
                  f"{max(r[2] for r in rows):.0f} posts/s")


if __name__ == "__main__":
    main()
