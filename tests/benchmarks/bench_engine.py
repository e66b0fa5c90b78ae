"""Benchmark of the coaching engine. Prints figures; asserts nothing.

    python tests/benchmarks/bench_engine.py [CORPORA_DIR]

CORPORA_DIR holds en.txt, id.txt, es.txt, de.txt with one post per line (the team's
../shared/corpora); without it the throughput part is skipped, since a fresh clone has no
corpora. Figures: analyze() latency p50/p95 for a 280-character post, a 3,000-character
post and a 50,000-character text; posts per second over each corpus file (one process,
one core); the first call's one-time cost; peak memory. Every figure is given in wall time
and in CPU time (``time.process_time``): on a busy machine only the CPU figures mean much.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

SAMPLE = {
    "en": "We asked 200 of you how you take your coffee, and the answers surprised us. "
          "Most of you drink it black before nine, and a third of you never add sugar. "
          "What about you: what is the one thing you always order? Tell us below! "
          "#CoffeeLovers @kopisenja https://example.com/survey 😀👍🏽 ",
    "id": "Kami bertanya kepada 200 orang tentang cara mereka minum kopi. Sebagian besar "
          "minum kopi hitam sebelum jam sembilan. Bagaimana dengan kamu? Ceritakan di kolom "
          "komentar ya! #PecintaKopi 🇮🇩 ",
    "es": "Preguntamos a 200 personas cómo toman el café y las respuestas nos sorprendieron. "
          "¿Y tú? ¿Qué pides siempre? ¡Cuéntanos en los comentarios! #AmantesDelCafé ☕ ",
    "de": "Wir haben 200 von euch gefragt, wie ihr euren Kaffee trinkt. Die meisten trinken "
          "ihn schwarz vor neun Uhr. Und du? Was bestellst du immer? Erzählt es uns! "
          "#Kaffeeliebe ☕ ",
}


def text_of(length: int, lang: str = "en") -> str:
    base = SAMPLE[lang]
    text = (base * (length // len(base) + 1))[:length]
    return text


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return p50, p95


def latency(analyze) -> None:
    print("analyze() latency (platform=x, language detected), ms: wall / CPU")
    print(f"  {'size':>8} {'p50':>15} {'p95':>15} {'runs':>6}  {'CPU per 1k chars p50':>20}")
    for size, runs in ((280, 400), (3_000, 200), (50_000, 20)):
        text = text_of(size)
        analyze(text, platform="x")  # warm the caches for this shape
        wall, cpu = [], []
        for i in range(runs):
            variant = text[:-1] + str(i % 10)  # defeat any per-text cache
            start, start_cpu = time.perf_counter(), time.process_time()
            analyze(variant, platform="x")
            cpu.append((time.process_time() - start_cpu) * 1000)
            wall.append((time.perf_counter() - start) * 1000)
        (p50, p95), (c50, c95) = percentiles(wall), percentiles(cpu)
        print(f"  {size:>8} {p50:>6.2f} / {c50:>6.2f} {p95:>6.2f} / {c95:>6.2f} {runs:>6}  "
              f"{c50 / size * 1000:>20.3f}")


def throughput(analyze, corpora: Path) -> None:
    print("posts per second over each corpus file (one process, one core, language detected)")
    print("  every language is loaded first (its one-time cost, like the first call's, is")
    print("  printed apart); the first pass then meets most words for the first time (the")
    print("  per-word caches of detection and syllables fill); the second pass is the steady")
    print("  state of a running app")
    loads = []
    for lang, text in SAMPLE.items():
        start = time.process_time()
        analyze(text, language=lang)
        loads.append(f"{lang} {(time.process_time() - start) * 1000:.0f} ms")
    start = time.process_time()
    analyze("language detection table")
    loads.append(f"detection {(time.process_time() - start) * 1000:.0f} ms")
    print(f"  loading (CPU, those not loaded yet): {', '.join(loads)}")
    corpus = {}
    for lang in ("en", "id", "es", "de"):
        path = corpora / f"{lang}.txt"
        if not path.is_file():
            print(f"  {lang}: {path} missing")
            continue
        corpus[lang] = [line for line in path.read_text(encoding="utf-8").split("\n")
                        if line.strip()]
    for label in ("first pass", "second pass"):
        for lang, posts in corpus.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            findings = 0
            for post in posts:
                findings += len(analyze(post).findings)
            elapsed, cpu = time.perf_counter() - start, time.process_time() - start_cpu
            print(f"  {label}, {lang}: {len(posts):>5} posts in {elapsed:6.2f} s wall = "
                  f"{len(posts) / elapsed:6.0f} posts/s; CPU {cpu:6.2f} s = "
                  f"{len(posts) / cpu:6.0f} posts/s, {cpu / len(posts) * 1e6:5.0f} µs/post "
                  f"({findings} findings)")


FIRST_CALL = """
import time, resource
c0, t0 = time.process_time(), time.perf_counter()
from coach.analysis import analyze
c1, t1 = time.process_time(), time.perf_counter()
analyze({text!r})
c2, t2 = time.process_time(), time.perf_counter()
analyze({text!r} + " again")
c3, t3 = time.process_time(), time.perf_counter()
print(f"{{(t1-t0)*1000:.0f}} {{(t2-t1)*1000:.0f}} {{(t3-t2)*1000:.2f}} "
      f"{{(c1-c0)*1000:.0f}} {{(c2-c1)*1000:.0f}} {{(c3-c2)*1000:.2f}} "
      f"{{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}}")
"""


def first_call() -> None:
    print("one-time cost in a fresh process (median of 5), ms")
    rows = []
    for _ in range(5):
        out = subprocess.run([sys.executable, "-c", FIRST_CALL.format(text=SAMPLE["en"])],
                             capture_output=True, text=True, check=True).stdout.split()
        rows.append([float(x) for x in out])
    imp, first, second, imp_cpu, first_cpu, second_cpu, rss = (
        statistics.median(col) for col in zip(*rows, strict=True))
    print(f"  wall: import coach.analysis: {imp:.0f} ms; first analyze(): {first:.0f} ms "
          f"(import + first call: {imp + first:.0f} ms); a second call: {second:.2f} ms")
    print(f"  CPU:  import coach.analysis: {imp_cpu:.0f} ms; first analyze(): {first_cpu:.0f} "
          f"ms (import + first call: {imp_cpu + first_cpu:.0f} ms); a second call: "
          f"{second_cpu:.2f} ms")
    print(f"  peak memory (max RSS) of that process: {rss:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="?", type=Path, help="folder with {en,id,es,de}.txt")
    args = parser.parse_args()
    from coach.analysis import analyze

    first_call()
    latency(analyze)
    if args.corpora:
        throughput(analyze, args.corpora)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this benchmark process: {rss:.0f} MiB")


if __name__ == "__main__":
    main()
