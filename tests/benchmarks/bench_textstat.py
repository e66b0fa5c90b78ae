"""What readability would cost if the engine called textstat at run time. Prints figures.

    python tests/benchmarks/bench_textstat.py [CORPORA_DIR]

The engine applies textstat's formulas to its own counts (see coach/analysis/readability.py
and the README's "Dependencies, and why"); this script keeps the figures behind that choice
reproducible. It needs the test extra (textstat) and never lets NLTK download anything:
English is measured through textstat's Pyphen path ("en-US"), which is cheaper than its
cmudict path, so the English figures are a lower bound.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_engine import text_of  # noqa: E402

LANGS = {"en": "en-US", "de": "de", "es": "es"}  # Indonesian: textstat has no formula

IMPORT = """
import time
t0 = time.process_time()
import textstat
print((time.process_time() - t0) * 1000)
"""


def import_cost() -> float:
    runs = [float(subprocess.run([sys.executable, "-c", IMPORT], capture_output=True,
                                 text=True, check=True).stdout) for _ in range(3)]
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="?", type=Path, help="folder with {en,de,es}.txt")
    args = parser.parse_args()
    print(f"import textstat (it imports NLTK), fresh process, CPU: {import_cost():.0f} ms")

    import nltk
    from textstat.backend import metrics

    def no_download(*_args: object, **_kwargs: object) -> None:
        raise SystemExit("textstat tried to download NLTK data")

    nltk.download = no_download
    print("Flesch reading ease through textstat, CPU ms")
    print(f"  {'lang':>4} {'first call':>11} {'3,000 chars p50':>16} {'p95':>7} {'posts/s':>9}")
    for lang, code in LANGS.items():
        text = text_of(3000, lang)
        start = time.process_time()
        metrics.flesch_reading_ease(text, code)
        first = (time.process_time() - start) * 1000
        samples = []
        for i in range(100):
            variant = text[:-1] + str(i)  # textstat caches every text it has seen
            start = time.process_time()
            metrics.flesch_reading_ease(variant, code)
            samples.append((time.process_time() - start) * 1000)
        samples.sort()
        rate = "-"
        path = args.corpora / f"{lang}.txt" if args.corpora else None
        if path is not None and path.is_file():
            posts = [line for line in path.read_text(encoding="utf-8").split("\n")
                     if line.strip()]
            start = time.process_time()
            for post in posts:
                metrics.flesch_reading_ease(post, code)
            rate = f"{len(posts) / (time.process_time() - start):.0f}"
        print(f"  {lang:>4} {first:>11.1f} {samples[50]:>16.2f} {samples[95]:>7.2f} {rate:>9}")


if __name__ == "__main__":
    main()
