"""Instructions per analysis in two checkouts, counted by valgrind. Prints figures.

    python tests/benchmarks/bench_instructions.py OLD_CHECKOUT NEW_CHECKOUT CORPORA_DIR [SAMPLE ...]

SAMPLE: ``3k`` (the 3,000-character post of bench_engine.py, platform X), ``empty`` (the
empty draft: what every analysis costs whatever its text), or a language (the first 1,000
posts of that corpus file). Default: 3k empty en id es de.

Time on a shared machine varies from run to run; the number of instructions a process
executes does not (to about 0.2 %, with a fixed hash seed). It follows the time of the
engine's pure-Python work closely, though it undercounts waiting on memory, so it is for
comparing two versions of the code, and bench_compare.py is still the judge of speed.
Each figure is the difference between a run that analyses the sample three times and one
that analyses it once (imports and warming the caches cancel out), divided by two. Needs
``valgrind`` (Debian: apt-get install valgrind); about a minute per sample and checkout.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from checkout import PRELUDE

CODE = r'''
import sys
root, corpora, sample, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
''' + PRELUDE + r'''
from bench_engine import text_of
from coach.analysis import analyze
if sample == "3k":
    text = text_of(3000)
    texts, platform = [text[:-1] + str(i % 10) for i in range(20)], "x"
elif sample == "empty":
    texts, platform = [""] * 1000, None
else:
    lines = open(f"{corpora}/{sample}.txt", encoding="utf-8").read().split("\n")
    texts, platform = [line for line in lines if line.strip()][:1000], None
for _ in range(rounds):
    for text in texts:
        analyze(text, platform=platform)
'''


def instructions(root: str, corpora: str, sample: str, rounds: int) -> int:
    out = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
         sys.executable, "-c", CODE, root, corpora, sample, str(rounds)],
        capture_output=True, text=True, cwd="/", env={**os.environ, "PYTHONHASHSEED": "0"})
    found = re.search(r"I\s+refs:\s+([\d,]+)", out.stderr)
    if out.returncode or not found:
        raise SystemExit(f"valgrind failed in {root}:\n{out.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main() -> None:
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    old, new = (str(Path(p).resolve()) for p in sys.argv[1:3])
    corpora = str(Path(sys.argv[3]).resolve())
    print(f"thousands of instructions per analysis: {old} -> {new}")
    for sample in sys.argv[4:] or ["3k", "empty", "en", "id", "es", "de"]:
        texts = 20 if sample == "3k" else 1000
        per = {root: (instructions(root, corpora, sample, 3)
                      - instructions(root, corpora, sample, 1)) / (2 * texts) / 1e3
               for root in (old, new)}
        change = per[new] / per[old] - 1
        print(f"  {sample:>6}: {per[old]:9,.0f} -> {per[new]:9,.0f}  ({change:+.0%})", flush=True)


if __name__ == "__main__":
    main()
