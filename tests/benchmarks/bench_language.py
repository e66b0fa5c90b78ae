"""Benchmark of language detection. Prints figures; asserts nothing.

    python tests/benchmarks/bench_language.py [CORPORA_DIR]

CORPORA_DIR holds en.txt, id.txt, es.txt, de.txt with one real post per line, the file's
language taken as the truth (the team's ../shared/corpora; a fresh clone has none, and then
only the speed on made-up drafts and the first-call cost are printed). Figures: accuracy per
language on posts of 40+ characters, the confusion counts, how often a guess is marked low
confidence and how often the confident ones are right, detections per second over every post,
latency for long drafts, and the first call's one-time cost in a fresh process.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

LANGS = ("en", "id", "es", "de")
MIN_CHARS = 40
DRAFT = {
    "en": "Quick question for everyone who works from home: how do you keep your mornings "
          "calm? I have tried lists, alarms and long walks with the dog. ",
    "de": "Kurze Frage an alle, die von zu Hause arbeiten: Wie bleibt euer Morgen ruhig? "
          "Ich habe Listen, Wecker und lange Spaziergänge mit dem Hund probiert. ",
}


def corpus_posts(path: Path) -> list[str]:
    """The posts of one corpus file. The id file stands "[USERNAME]" and "[URL]" where the
    others keep "@user" and a link; put those back so every file is read the same way."""
    text = path.read_text(encoding="utf-8")
    text = text.replace("[USERNAME]", "@user").replace("[URL]", "https://t.co/x")
    return [line for line in text.split("\n") if line.strip()]


def accuracy(corpora: Path) -> None:
    from coach.analysis.language import guess_language

    print(f"Accuracy on real posts of {MIN_CHARS}+ characters (truth = the file's language)")
    print(f"  {'lang':4} {'posts':>6} {'right':>7}   confused with "
          + " ".join(f"{c:>5}" for c in LANGS) + f"   {'low conf':>8} {'conf. right':>11}")
    total_posts = 0
    started, cpu_started = time.perf_counter(), time.process_time()
    for lang in LANGS:
        posts = corpus_posts(corpora / f"{lang}.txt")
        guesses = [guess_language(p) for p in posts]
        total_posts += len(posts)
        counts = dict.fromkeys(LANGS, 0)
        low = sure = sure_right = n = 0
        for post, guess in zip(posts, guesses, strict=True):
            if len(post) < MIN_CHARS:
                continue
            n += 1
            counts[guess.language] += 1
            if guess.reliable:
                sure += 1
                sure_right += guess.language == lang
            else:
                low += 1
        print(f"  {lang:4} {n:6d} {counts[lang] / n:7.2%}   {'':13} "
              + " ".join(f"{counts[c]:5d}" for c in LANGS)
              + f"   {low / n:8.2%} {sure_right / max(sure, 1):11.2%}")
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    print(f"  all {total_posts} posts (every length, incl. the tally): "
          f"{total_posts / elapsed:,.0f} detections/s, {elapsed / total_posts * 1e6:.1f} us each "
          f"(CPU time {cpu / total_posts * 1e6:.1f} us)")


def speed() -> None:
    from coach.analysis.language import detect_language

    print("Latency of detect_language() on made-up drafts, us (best of 5 rounds)")
    print(f"  {'':2} {'size':>15} {'wall':>9} {'CPU':>9}")
    for lang in DRAFT:
        for size in (40, 280, 3_000, 50_000, 1_000_000):
            text = (DRAFT[lang] * (size // len(DRAFT[lang]) + 1))[:size]
            runs = max(5, min(2_000, 2_000_000 // size))
            variants = [text[:-1] + str(i % 10) for i in range(runs)]
            best = best_cpu = float("inf")
            for _ in range(5):
                t0, c0 = time.perf_counter(), time.thread_time()
                for v in variants:
                    detect_language(v)
                best = min(best, (time.perf_counter() - t0) / runs)
                best_cpu = min(best_cpu, (time.thread_time() - c0) / runs)
            print(f"  {lang} {size:>9,} chars: {best * 1e6:9.1f} {best_cpu * 1e6:9.1f}")


def first_call() -> None:
    code = (
        "import time; t0, c0 = time.perf_counter(), time.process_time()\n"
        "from coach.analysis.language import detect_language\n"
        "t1, c1 = time.perf_counter(), time.process_time()\n"
        "detect_language('Wie geht es dir heute?')\n"
        "t2, c2 = time.perf_counter(), time.process_time()\n"
        "print((t1 - t0) * 1e3, (c1 - c0) * 1e3, (t2 - t1) * 1e3, (c2 - c1) * 1e3)\n"
    )
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout.split() for _ in range(5)]
    imp, imp_cpu, first, first_cpu = (min(float(r[i]) for r in runs) for i in range(4))
    print("First call in a fresh process, ms (best of 5; wall / CPU)")
    print(f"  import coach.analysis.language: {imp:.1f} / {imp_cpu:.1f}")
    print(f"  first detection (loads the shipped tables): {first:.1f} / {first_cpu:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="?", type=Path, help="folder with {en,id,es,de}.txt")
    args = parser.parse_args()
    if args.corpora:
        accuracy(args.corpora)
    speed()
    first_call()


if __name__ == "__main__":
    main()
