"""Peak memory of reading import files that are far too big, and of big valid ones.
Prints figures; asserts nothing.

    python tests/benchmarks/bench_import_memory.py [--mb 200]

Each case writes a file to a temporary folder and reads it with ``read_import`` (which
validates everything and writes nothing) under tracemalloc, in a fresh process so that the
figures are the case's own:

* a CSV file whose one cell is MB megabytes (refused: a row is at most 24 MiB);
* a CSV row of 12 MB of tiny cells (refused: a row is at most 10,000 cells);
* a Markdown file of MB megabytes (refused by its size before it is read);
* a JSON bundle whose one text is MB megabytes (read whole: the bundle limit is 1 GiB);
* a JSON bundle of MB megabytes of ordinary drafts (accepted), for comparison.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

CASES = ("csv-cell", "csv-cells", "markdown", "json-text", "json-drafts")


def write(case: str, path: Path, size: int) -> None:
    chunk = b"x" * (1 << 20)
    with open(path, "wb") as out:
        if case == "csv-cell":
            out.write(b"title,text\nhuge,")
        elif case == "markdown":
            out.write(b"---\ntitle: huge\n---\n")
        elif case == "json-text":
            out.write(b'{"format": "post-coach-library", "version": 1, "drafts": [\n'
                      b'{"text": "')
        if case == "csv-cells":
            out.write(b"text,client\n" + b"ab," * (4 << 20) + b"\n")
        elif case == "json-drafts":
            out.write(b'{"format": "post-coach-library", "version": 1, "drafts": [\n')
            count = size // 1000
            for i in range(count):
                draft = {"text": "word " * 190 + str(i), "tags": ["a"], "status": "draft"}
                out.write(json.dumps(draft).encode() + (b",\n" if i < count - 1 else b"\n"))
            out.write(b"]}\n")
        else:
            for _ in range(size // len(chunk)):
                out.write(chunk)
            out.write(b'"}\n]}\n' if case == "json-text" else b"\n")


def measure(case: str, size: int) -> None:
    from coach.library import LibraryError
    from coach.library.formats import read_import

    suffix = {"markdown": ".md", "json-text": ".json", "json-drafts": ".json"}.get(case, ".csv")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{case}{suffix}"
        write(case, path, size)
        tracemalloc.start()
        start = time.perf_counter()
        try:
            outcome = f"accepted {len(read_import([path])):,} drafts"
        except LibraryError as exc:
            outcome = "refused: " + str(exc).split(": ", 1)[1][:70]
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        print(f"{case:12} {path.stat().st_size / 1e6:7.0f} MB file  peak {peak / 1e6:7.0f} MB"
              f"  {seconds:5.1f} s  {outcome}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200, help="size of the big files")
    parser.add_argument("--case", choices=CASES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        measure(args.case, args.mb * 1_000_000)
        return
    for case in CASES:
        subprocess.run([sys.executable, __file__, "--case", case, "--mb", str(args.mb)],
                       check=True)


if __name__ == "__main__":
    main()
