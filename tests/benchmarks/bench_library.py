"""Benchmark of the drafts library at scale. Prints figures; asserts nothing.

    python tests/benchmarks/bench_library.py [--drafts 100000] [--corpora DIR] [--keep DIR]

Generates a realistic library (four languages, clients, tags, statuses, planned dates,
scores, and earlier versions of most drafts) as a JSON bundle, imports it, and measures,
each phase in a fresh process so that memory figures are that phase's own:

* import: the bundle read, validated and written in one transaction (target <= 60 s);
* file size of the library;
* open: ``DraftStore(path)`` in a process that has already imported Python (target
  <= 200 ms), and a whole new process up to the first search result; what a quick check
  of the whole file costs (opening does it for files up to 32 MB);
* search latency p50/p95 (a page of 50 results, newest first, plus the count) for common
  words, rare words, short and long prefixes, accent-free spellings, and phrase + filter
  combinations (target p95 <= 30 ms);
* list pages with filters, deep pages, all ids for a lazy list of the whole library;
* save, autosave, backup and a full integrity check at this size;
* peak memory (max RSS) of each phase.

Texts are synthetic (generated words with each language's letters and a Zipf-like
frequency); ``--corpora DIR`` mixes in real posts read from DIR/{en,id,es,de}.txt at run
time (never copied anywhere).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

LANGS = ("en", "id", "es", "de")
# Letters and syllable shapes per language, only to make generated words look and fold
# (accents, ß) like the real thing; this is test data, not a lexicon.
LETTERS = {
    "en": ("bcdfghklmnprstvwy", "aeiouy", ("th", "sh", "ch", "st", "ng")),
    "id": ("bcdghjklmnprstwy", "aeiou", ("ng", "ny", "kan", "lah", "ber")),
    "es": ("bcdfglmnprstvz", "aeiouáéíóú", ("ñ", "ll", "ch", "rr", "ción")),
    "de": ("bcdfghklmnprstwz", "aeiouäöü", ("sch", "ch", "ß", "ung", "st")),
}
PLATFORMS = ("x", "linkedin", "instagram", "facebook", "threads", "bluesky", "mastodon", None)
STATUSES = ("draft",) * 5 + ("in_review",) * 2 + ("approved", "published", "published",
                                                  "archived")
EMOJI = ("😀", "🎉", "👇", "👩🏽‍💻", "🇩🇪", "☕", "🚀", "❤️")


def make_vocab(lang: str, rng: random.Random, size: int) -> list[str]:
    consonants, vowels, clusters = LETTERS[lang]
    words: set[str] = set()
    while len(words) < size:
        parts = []
        for _ in range(rng.choice((1, 2, 2, 3, 3, 4))):
            head = rng.choice(clusters) if rng.random() < 0.2 else rng.choice(consonants)
            parts.append(head + rng.choice(vowels))
        if rng.random() < 0.4:
            parts.append(rng.choice(consonants))
        words.add("".join(parts))
    ordered = sorted(words)
    rng.shuffle(ordered)
    return ordered  # index = frequency rank


class Writer:
    """Draft texts with Zipf-like word frequencies, hashtags, mentions, emoji and links."""

    def __init__(self, rng: random.Random, corpora: Path | None) -> None:
        self.rng = rng
        self.vocab = {lang: make_vocab(lang, rng, 20_000) for lang in LANGS}
        # Zipf weights over ranks, shared by all languages.
        self.weights = [1 / (rank + 1) ** 1.05 for rank in range(20_000)]
        self.cum = list(_accumulate(self.weights))
        self.real: dict[str, list[str]] = {}
        if corpora:
            for lang in LANGS:
                path = corpora / f"{lang}.txt"
                if path.exists():
                    self.real[lang] = [line.strip() for line in
                                       path.read_text(encoding="utf-8").splitlines()
                                       if line.strip()]

    def word(self, lang: str) -> str:
        x = self.rng.random() * self.cum[-1]
        lo, hi = 0, len(self.cum) - 1
        while lo < hi:  # bisect over the cumulative weights
            mid = (lo + hi) // 2
            if self.cum[mid] < x:
                lo = mid + 1
            else:
                hi = mid
        return self.vocab[lang][lo]

    def text(self, lang: str) -> str:
        rng = self.rng
        if self.real.get(lang) and rng.random() < 0.5:
            return rng.choice(self.real[lang])
        sentences = []
        for _ in range(rng.choice((1, 1, 2, 2, 3, 4, 6))):
            words = [self.word(lang) for _ in range(rng.randint(4, 16))]
            words[0] = words[0].capitalize()
            sentences.append(" ".join(words) + rng.choice((".", ".", "!", "?")))
        text = " ".join(sentences)
        if rng.random() < 0.3:
            text += " #" + self.word(lang)
        if rng.random() < 0.2:
            text = "@" + self.word(lang) + " " + text
        if rng.random() < 0.25:
            text += " " + rng.choice(EMOJI)
        if rng.random() < 0.1:
            text += " https://example.com/" + self.word(lang)
        if rng.random() < 0.15:
            text = text.replace(". ", ".\n\n", 1)
        return text

    def edit(self, text: str, lang: str) -> str:
        """An earlier version: a few words different."""
        words = text.split(" ")
        for _ in range(self.rng.randint(1, 4)):
            i = self.rng.randrange(len(words))
            words[i] = self.word(lang)
        return " ".join(words)


def _accumulate(values):
    total = 0.0
    for v in values:
        total += v
        yield total


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def generate(count: int, seed: int, corpora: Path | None, out: Path) -> dict:
    rng = random.Random(seed)
    writer = Writer(rng, corpora)
    clients = [f"{writer.word(rng.choice(LANGS)).capitalize()} {suffix}"
               for suffix in ("GmbH", "Co", "Studio", "SA", "Labs", "Kopi", "Media") * 30]
    tags = [writer.word("en") for _ in range(60)]
    start = datetime(2023, 1, 1, tzinfo=UTC)
    versions = 0
    with open(out, "w", encoding="utf-8") as handle:
        handle.write('{"format": "post-coach-library", "version": 1, "drafts": [\n')
        for i in range(count):
            lang = LANGS[i % 4]
            text = writer.text(lang)
            created = start + timedelta(seconds=rng.randrange(3 * 365 * 86400))
            history = []
            earlier = text
            for k in range(rng.choice((0, 1, 1, 2, 2, 3, 4))):
                earlier = writer.edit(earlier, lang)
                history.append({"text": earlier,
                                "saved": iso(created + timedelta(hours=k)),
                                "scores": {"overall": rng.randrange(20, 90)}})
            history.reverse()
            updated = created + timedelta(hours=len(history), minutes=rng.randrange(600))
            score = rng.randrange(20, 100)
            entry = {
                "text": text, "language": lang, "platform": rng.choice(PLATFORMS),
                "client": rng.choice(clients),
                "tags": rng.sample(tags, rng.choice((0, 0, 1, 1, 2, 3))),
                "status": rng.choice(STATUSES),
                "planned": (date(2024, 1, 1) + timedelta(days=rng.randrange(900))).isoformat()
                if rng.random() < 0.4 else None,
                "created": iso(created), "updated": iso(updated),
                "scores": {"overall": score, "dialogue": score, "tone": rng.randrange(100),
                           "readability": rng.randrange(100), "platform": rng.randrange(100)},
                "versions": [*history, {"text": text, "saved": iso(updated),
                                        "scores": {"overall": score}}],
            }
            if rng.random() < 0.05:
                entry["kind"] = "reply"
                entry["comment"] = writer.text(lang)[:200]
            versions += len(entry["versions"])
            handle.write((",\n" if i else "") + json.dumps(entry, ensure_ascii=False))
        handle.write("\n]}\n")
    # Words to search for: the most common, and ones that occur a handful of times.
    common = {lang: writer.vocab[lang][:8] for lang in LANGS}
    rare = {lang: writer.vocab[lang][6000:6040] for lang in LANGS}
    return {"versions": versions, "common": common, "rare": rare, "clients": clients[:20],
            "tags": tags[:10]}


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def timed(fn, repeat: int = 1) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each call (CPU time shows the work itself when
    other processes share the machine)."""
    wall, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return wall, cpu


def summary(wall: list[float], cpu: list[float]) -> dict:
    return {"p50": pct(wall, 50), "p95": pct(wall, 95), "max": max(wall),
            "cpu_p50": pct(cpu, 50), "cpu_p95": pct(cpu, 95)}


# --- phases, each run in its own process -----------------------------------------------------

def phase_import(path: Path, bundle: Path) -> dict:
    from coach.library import DraftStore

    t = time.perf_counter()
    with DraftStore(path, auto_backup=False) as store:
        result = store.import_file(bundle)
        elapsed = time.perf_counter() - t
        count = store.count(trashed=None)
    return {"seconds": elapsed, "drafts": count, "versions": result.versions,
            "rss_mb": max_rss_mb()}


def phase_open(path: Path) -> dict:
    from coach.library import DraftStore, files
    from coach.library.store import QUICK_CHECK_MAX_BYTES

    opens = []
    for _ in range(7):
        t = time.perf_counter()
        store = DraftStore(path, auto_backup=False)
        opens.append((time.perf_counter() - t) * 1000)
        store.close()
    store = DraftStore(path, read_only=True, auto_backup=False)
    checks, _cpu = timed(lambda: files.quick_check(store._conn), repeat=3)
    store.close()
    return {"open_ms": opens, "rss_mb": max_rss_mb(), "quick_check_ms": checks,
            "checked_at_open": path.stat().st_size <= QUICK_CHECK_MAX_BYTES}


def phase_search(path: Path, words: dict) -> dict:
    from coach.library import DraftStore

    rng = random.Random(7)
    store = DraftStore(path, auto_backup=False)
    store.search("warm up", limit=50)
    results: dict[str, dict] = {}

    def measure(name: str, queries: list[tuple[str, dict]]) -> None:
        wall, cpu, hits = [], [], []
        for query, filters in queries:
            t, c = time.perf_counter(), time.process_time()
            page = store.search(query, limit=50, **filters)
            total = store.count(query, **{k: v for k, v in filters.items() if k != "sort"})
            wall.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
            hits.append(total)
            assert len(page) == min(50, total)
        results[name] = {**summary(wall, cpu), "hits_median": statistics.median(hits),
                         "n": len(wall)}

    common = [w for lang in LANGS for w in words["common"][lang]]
    rare = [w for lang in LANGS for w in words["rare"][lang]]
    measure("common word", [(w, {}) for w in common] * 3)
    measure("rare word", [(w, {}) for w in rare])
    measure("2-letter prefix", [(w[:2], {}) for w in rng.sample(rare + common, 60)])
    measure("4-letter prefix", [(w[:4], {}) for w in rng.sample(rare + common, 60)])
    measure("typing a word", [(w[:n], {}) for w in rng.sample(rare, 15)
                              for n in range(1, len(w) + 1)])
    import unicodedata

    def plain(word: str) -> str:
        return "".join(c for c in unicodedata.normalize("NFD", word)
                       if unicodedata.category(c) != "Mn")

    accented = [w for lang in ("es", "de") for w in words["rare"][lang] + words["common"][lang]
                if plain(w) != w] or rare[:10]
    measure("accent-free spelling", [(plain(w), {}) for w in accented])
    measure("two common words", [(f"{a} {b}", {}) for a, b in zip(common, reversed(common),
                                                                  strict=True)])
    measure("word + client + status", [(w, {"client": rng.choice(words["clients"]),
                                           "status": ["draft", "in_review"]})
                                       for w in common + rare[:30]])
    measure("word, by relevance", [(w, {"sort": "relevance"}) for w in common + rare[:30]])

    lists: dict[str, tuple[list[float], list[float]]] = {}

    def page(name: str, fn, repeat: int = 20) -> None:
        lists[name] = timed(fn, repeat)

    page("first page, no filter", lambda: store.search(limit=50))
    page("count, no filter", lambda: store.count())
    page("client + status filter", lambda: store.search(
        client=rng.choice(words["clients"]), status="draft", limit=50))
    page("tag, by planned date", lambda: store.search(tag=rng.choice(words["tags"]),
                                                      sort="-planned", limit=50))
    page("language + platform, page 100", lambda: store.search(
        language="de", platform="x", limit=50, offset=5000))
    page("planned date range", lambda: store.search(planned_from="2024-06-01",
                                                    planned_to="2024-06-30", limit=50))
    page("page at offset 90,000", lambda: store.search(limit=50, offset=90_000), repeat=10)
    page("title sort, page 1", lambda: store.search(sort="title", limit=50), repeat=10)
    page("all ids (lazy list model)", lambda: store.search_ids(), repeat=5)
    ids = store.search_ids()
    page("get_many 50 ids (one screen)", lambda: store.get_many(
        ids[(k := rng.randrange(len(ids) - 50)):k + 50]))
    page("clients() and tags() facets", lambda: (store.clients(), store.tags()), repeat=5)

    writes: dict[str, tuple[list[float], list[float]]] = {}
    target = ids[0]
    slot = None

    def autosave():
        nonlocal slot
        slot = store.autosave(target, "typing " * rng.randrange(20, 400), slot=slot)

    writes["autosave (one buffer)"] = timed(autosave, 30)
    writes["save a new text (version)"] = timed(
        lambda: store.update(target, text=f"edited {rng.random()}"), 30)
    writes["add a draft"] = timed(lambda: store.add("a new draft " * 20, client="Bench"), 30)
    return {"search": results, "lists": {k: summary(*v) for k, v in lists.items()},
            "writes": {k: summary(*v) for k, v in writes.items()}, "rss_mb": max_rss_mb()}


def phase_upkeep(path: Path) -> dict:
    from coach.library import DraftStore

    with DraftStore(path, auto_backup=False) as store:
        t = time.perf_counter()
        info = store.backup_now()
        backup = time.perf_counter() - t
        t = time.perf_counter()
        problems = store.check()
        check = time.perf_counter() - t
    return {"backup_s": backup, "backup_mb": info.size / 1e6, "check_s": check,
            "problems": len(problems), "rss_mb": max_rss_mb()}


def run_phase(*args: str) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--phase", *args], capture_output=True,
                          text=True)
    if proc.returncode != 0:
        raise SystemExit(f"phase {args[0]} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def cold_start(path: Path) -> float:
    """A new process: Python start, import, open, first search page (ms)."""
    code = ("import time; t = time.perf_counter(); import sys; sys.path.insert(0, %r); "
            "from coach.library import DraftStore; s = DraftStore(%r, auto_backup=False); "
            "s.search('a', limit=50); print((time.perf_counter() - t) * 1000)")
    times = []
    for _ in range(3):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code % (str(ROOT), str(path))],
                             capture_output=True, text=True, check=True).stdout
        times.append(((time.perf_counter() - start) * 1000, float(out)))
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drafts", type=int, default=100_000)
    parser.add_argument("--corpora", type=Path, default=None,
                        help="mix in real posts from DIR/{en,id,es,de}.txt (read only)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=None,
                        help="build the library in this folder and keep it")
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase:
        name, *rest = args.phase
        if name == "import":
            result = phase_import(Path(rest[0]), Path(rest[1]))
        elif name == "open":
            result = phase_open(Path(rest[0]))
        elif name == "search":
            result = phase_search(Path(rest[0]), json.loads(Path(rest[1]).read_text()))
        else:
            result = phase_upkeep(Path(rest[0]))
        print(json.dumps(result))
        return

    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-library-"))
    folder.mkdir(parents=True, exist_ok=True)
    bundle = folder / "bundle.json"
    library = folder / "library.sqlite"
    for stale in (library, library.with_name(library.name + "-wal"),
                  library.with_name(library.name + "-shm")):
        stale.unlink(missing_ok=True)
    print(f"drafts library benchmark: {args.drafts:,} drafts, folder {folder}; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start")

    recipe = {"drafts": args.drafts, "seed": args.seed, "corpora": str(args.corpora)}
    marker = folder / "words.json"
    if bundle.exists() and marker.exists() and \
            json.loads(marker.read_text()).get("recipe") == recipe:
        words = json.loads(marker.read_text())
        print(f"  reusing the bundle in {folder}")
    else:
        t = time.perf_counter()
        words = generate(args.drafts, args.seed, args.corpora, bundle)
        words["recipe"] = recipe
        marker.write_text(json.dumps(words))
        print(f"  generated bundle: {time.perf_counter() - t:.1f} s, "
              f"{bundle.stat().st_size / 1e6:.0f} MB, {words['versions']:,} versions")

    imp = run_phase("import", str(library), str(bundle))
    print(f"import:  {imp['seconds']:.1f} s for {imp['drafts']:,} drafts and "
          f"{imp['versions']:,} versions ({imp['drafts'] / imp['seconds']:,.0f} drafts/s; "
          f"target <= 60 s); peak memory {imp['rss_mb']:.0f} MB")
    size = sum(p.stat().st_size for p in (library, library.with_name(library.name + "-wal"))
               if p.exists())
    print(f"file:    {size / 1e6:.0f} MB ({size / max(imp['drafts'], 1):,.0f} bytes a draft "
          "with its versions and index)")

    opened = run_phase("open", str(library))
    print(f"open:    p50 {statistics.median(opened['open_ms']):.1f} ms, max "
          f"{max(opened['open_ms']):.1f} ms (target <= 200 ms); first open in the process "
          f"{opened['open_ms'][0]:.1f} ms")
    print(f"         a quick check of the whole file: {min(opened['quick_check_ms']):.0f} ms "
          f"warm ({'done' if opened['checked_at_open'] else 'too big to do'} at every open)")
    whole, inside = cold_start(library)
    print(f"         new process to the first search page: {whole:.0f} ms "
          f"({inside:.0f} ms after Python started)")

    found = run_phase("search", str(library), str(folder / "words.json"))
    print("search (a page of 50 + the count; target p95 <= 30 ms; wall clock, then CPU):")
    for name, r in found["search"].items():
        print(f"  {name:24} p50 {r['p50']:6.1f}  p95 {r['p95']:6.1f}  max {r['max']:6.1f} ms"
              f"  | CPU p50 {r['cpu_p50']:5.1f}  p95 {r['cpu_p95']:5.1f} ms"
              f"  ({r['hits_median']:,.0f} hits, {r['n']} queries)")
    for title, key in (("lists:", "lists"), ("writes in the full library:", "writes")):
        print(title)
        for name, r in found[key].items():
            print(f"  {name:34} p50 {r['p50']:7.1f}  p95 {r['p95']:7.1f} ms  | CPU p50 "
                  f"{r['cpu_p50']:6.1f}  p95 {r['cpu_p95']:6.1f} ms")
    print(f"  memory of the browsing process: {found['rss_mb']:.0f} MB peak")

    upkeep = run_phase("upkeep", str(library))
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (wall-clock figures include "
          "waiting for a CPU when other processes run)")
    print(f"upkeep:  backup {upkeep['backup_s']:.1f} s ({upkeep['backup_mb']:.0f} MB), "
          f"full integrity check {upkeep['check_s']:.1f} s ({upkeep['problems']} problems)")
    if args.keep is None:
        print(f"(the generated files are in {folder}; delete them when done)")


if __name__ == "__main__":
    main()
