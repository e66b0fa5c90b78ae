"""What the engine finds in every real post, written down, and two such records compared.

    python tests/benchmarks/snapshot.py write CHECKOUT CORPORA_DIR OUT.jsonl
    python tests/benchmarks/snapshot.py diff OLD.jsonl NEW.jsonl [--show N]

``write`` analyses each corpus post (the four corpus files, one post a line) as a post
with no platform, as a post for X, and as a reply to a fixed complaint, with the code and
the shipped data of CHECKOUT (see checkout.py), and writes one JSON line per case: its
key (file, line, kind, platform) and what was found (rule, start, end, severity, message,
suggestion, fix) with the scores. ``diff`` says how many cases differ, which rules gained
or lost findings, and shows the first N differing cases. A refactoring of the engine
should change nothing here, and each difference that is a fix is named in its commit.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from checkout import PRELUDE

LANGS = ("en", "id", "es", "de")
COMPLAINT = "I have waited two weeks for my order and nobody answers my messages."
# (kind, platform): a post checked alone, a post for X, a reply to a complaint.
CASES = (("post", None), ("post", "x"), ("reply", None))

CODE = r'''
import json, sys
root, corpora, out = sys.argv[1], sys.argv[2], sys.argv[3]
cases, complaint = json.loads(sys.argv[4]), sys.argv[5]
''' + PRELUDE + r'''
from coach.analysis import analyze
with open(out, "w", encoding="utf-8") as sink:
    for lang in ("en", "id", "es", "de"):
        lines = open(f"{corpora}/{lang}.txt", encoding="utf-8").read().split("\n")
        for number, post in enumerate(lines, 1):
            if not post.strip():
                continue
            for kind, platform in cases:
                report = analyze(post, platform=platform, kind=kind,
                                 comment=complaint if kind == "reply" else "")
                found = [[f.rule, f.start, f.end, f.severity.label, f.message, f.suggestion,
                          f.fix] for f in report.findings]
                sink.write(json.dumps({"case": [lang, number, kind, platform],
                                       "language": report.language, "found": found,
                                       "scores": report.scores and list(report.scores)},
                                      ensure_ascii=False) + "\n")
'''


def write(checkout: Path, corpora: Path, out: Path) -> None:
    subprocess.run([sys.executable, "-c", CODE, str(checkout.resolve()), str(corpora),
                    str(out), json.dumps(CASES), COMPLAINT], check=True)
    print(f"{sum(1 for _ in out.open(encoding='utf-8')):,} cases written to {out}")


def _cases(path: Path) -> dict[str, dict]:
    with path.open(encoding="utf-8") as f:
        return {json.dumps(row["case"]): row for row in map(json.loads, f)}


def diff(old_path: Path, new_path: Path, show: int) -> None:
    old, new = _cases(old_path), _cases(new_path)
    changed = [key for key in old.keys() | new.keys() if old.get(key) != new.get(key)]
    changed.sort()
    print(f"{len(old):,} and {len(new):,} cases; {len(changed):,} differ")
    gained: Counter[str] = Counter()
    lost: Counter[str] = Counter()
    worded: Counter[str] = Counter()
    for key in changed:
        before = {tuple(f[:3]): f for f in old.get(key, {}).get("found", [])}
        after = {tuple(f[:3]): f for f in new.get(key, {}).get("found", [])}
        gained.update(f[0] for f in (after.keys() - before.keys()))
        lost.update(f[0] for f in (before.keys() - after.keys()))
        worded.update(k[0] for k in before.keys() & after.keys() if before[k] != after[k])
    for name, counts in (("found only after", gained), ("found only before", lost),
                         ("same place, other words or fix", worded)):
        if counts:
            print(f"{name}: " + ", ".join(f"{rule} {n}" for rule, n in counts.most_common()))
    for key in changed[:show]:
        print(f"\n{key}\n  before: {old.get(key)}\n  after:  {new.get(key)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write")
    w.add_argument("checkout", type=Path)
    w.add_argument("corpora", type=Path)
    w.add_argument("out", type=Path)
    d = sub.add_parser("diff")
    d.add_argument("old", type=Path)
    d.add_argument("new", type=Path)
    d.add_argument("--show", type=int, default=5)
    args = parser.parse_args()
    if args.command == "write":
        write(args.checkout, args.corpora, args.out)
    else:
        diff(args.old, args.new, args.show)


if __name__ == "__main__":
    main()
