"""Rebuild trigrams.txt from Lingua 1.3.5's language models (Apache-2.0). Not shipped code.

Usage (any scratch virtualenv; neither package is a dependency of Post Coach):
    pip download --no-deps -d /tmp/lingua lingua-language-detector==1.3.5
    unzip -q /tmp/lingua/*.whl -d /tmp/lingua/x && pip install brotli
    python make_table.py /tmp/lingua/x/lingua/language-models > trigrams.txt

Each row is a gram and, per language, its cost -ln P in tenths of a nat (clipped at FLOOR),
minus the smallest of the four, so a row says how much worse each language explains it.
Grams are lowercase letter trigrams inside words (cost ln P(c3 | c1 c2)), word starts
"_xy" (ln P(x) + ln P(y | x)) and one-letter words "_x_" (ln P(x)); "_" is a word boundary.
"""

from __future__ import annotations

import json
import math
import sys
import tomllib
from pathlib import Path

import brotli


def _languages() -> tuple[str, ...]:
    """The languages the coach knows: the files resources/languages/<code>.toml beside this
    folder, in their [language] order (as coach.analysis.model.LANGUAGES lists them)."""
    found = []
    for path in Path(__file__).resolve().parent.parent.glob("*.toml"):
        header = tomllib.loads(path.read_text(encoding="utf-8")).get("language", {})
        found.append((header.get("order", 100), path.stem))
    return tuple(code for _, code in sorted(found))


LANGUAGES = _languages()
FLOOR = 100  # tenths of a nat: a gram a language never has costs e^-10


def _model(root: Path, code: str, name: str) -> dict[str, float]:
    data = json.loads(brotli.decompress((root / code / f"{name}.json.br").read_bytes()))
    table: dict[str, float] = {}
    for fraction, grams in data["ngrams"].items():
        num, den = fraction.split("/")
        cost = -math.log(int(num) / int(den)) * 10
        for gram in grams.split():
            table[gram] = cost
    return table


def _costs(root: Path, code: str) -> dict[str, float]:
    uni, bi, tri = (_model(root, code, n) for n in ("unigrams", "bigrams", "trigrams"))
    costs = dict(tri)
    for gram, cost in uni.items():
        costs[f"_{gram}_"] = cost
    for gram, cost in bi.items():
        costs[f"_{gram}"] = cost + uni.get(gram[0], FLOOR)
    return costs


def main(root: Path) -> None:
    models = [_costs(root, code) for code in LANGUAGES]
    grams = sorted(set().union(*models))
    print("# gram\t" + "\t".join(LANGUAGES))
    for gram in grams:
        row = [min(FLOOR, round(m.get(gram, FLOOR))) for m in models]
        best = min(row)
        if any(c != best for c in row):
            print(gram + "\t" + "\t".join(str(c - best) for c in row))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
