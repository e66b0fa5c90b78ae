"""A house pack with many phrases against a long post. Prints figures; asserts nothing.

    python tests/benchmarks/bench_house_phrases.py [CHECKOUT ...] [--sizes 5000,10000,...]
        [--shapes numbers,shared,stems]

For each size N: a pack of N phrases (one ``[[avoid]]`` entry) against a post that holds
each of them once (so N findings). The phrases are numbers ("0" … "N-1"; the default),
phrases that share their first two words ("a b 0", "a b 1", …), or stems ("wa*", …)
against words that go on from them. Figures: CPU
seconds to load the pack and to analyse the post, and the analysis time per phrase, which
stays flat when the matching is linear. Each CHECKOUT (default: this one) runs in its own
process, so an old checkout (``git archive`` of a commit) can be compared side by side.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from checkout import PRELUDE

CODE = r'''
import sys, time
root, n, shape = sys.argv[1], int(sys.argv[2]), sys.argv[3]
''' + PRELUDE + r'''
from coach.analysis import analyze
from coach.analysis.house import parse_pack
if shape == "numbers":
    phrases = [str(i) for i in range(n)]
    post = " ".join(phrases)
elif shape == "shared":
    phrases = [f"a b {i}" for i in range(n)]
    post = " ".join(phrases)
else:
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = ["w" + "".join(letters[i // 26 ** k % 26] for k in range(4)) for i in range(n)]
    phrases = [w + "*" for w in words]
    post = " ".join(w + "s" for w in words)
quoted = ", ".join(f'"{p}"' for p in phrases)
source = f'[pack]\nname = "many"\n\n[[avoid]]\nphrases = [{quoted}]\n'
analyze("warm up the caches", language="en")
start = time.process_time()
pack = parse_pack(source, "numbers.toml")
loaded = time.process_time() - start
start = time.process_time()
report = analyze(post, language="en", packs=[pack])
analysed = time.process_time() - start
found = sum(f.rule == "house.avoid" for f in report.findings)
assert found == n, (found, n)
print(loaded, analysed)
'''


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkouts", nargs="*", default=[str(Path(__file__).parents[2])])
    parser.add_argument("--sizes", default="5000,10000,20000,40000")
    parser.add_argument("--shapes", default="numbers")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    for root in args.checkouts:
        root = str(Path(root).resolve())
        print(root)
        for shape in args.shapes.split(","):
            for n in sizes:
                out = subprocess.run([sys.executable, "-c", CODE, root, str(n), shape],
                                     capture_output=True, text=True, check=True, cwd="/")
                loaded, analysed = (float(x) for x in out.stdout.split())
                print(f"  {shape:8} {n:>6,} phrases: load {loaded:6.2f} s, analyse "
                      f"{analysed:6.2f} s ({analysed / n * 1e6:6.1f} µs a phrase)")


if __name__ == "__main__":
    main()
