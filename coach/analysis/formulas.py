"""The readability formulas, their scales and the counts of a text they are made of.

Each formula is data: its weights, the scale's name and the bands of words a score falls
in ("fairly difficult", "normal", ...). The language profile names one for each language
and :mod:`.readability` computes it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import NamedTuple

from coach.data import resource

from .packs import Validator, parse_toml

_FORMULA_KEYS = {"name", "source", "kind", "higher_is_easier", "base", "sentence_weight",
                 "syllable_weight", "long_word", "scale", "bands"}


class Counts(NamedTuple):
    """What every formula is made of, counted once per draft."""

    words: int
    sentences: int  # sentences with at least one word
    syllables: int
    letters: int
    long_words: int  # more than the formula's long-word length (LIX)

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def syllables_per_word(self) -> float:
        return self.syllables / self.words if self.words else 0.0

    @property
    def letters_per_word(self) -> float:
        return self.letters / self.words if self.words else 0.0


@dataclass(frozen=True, slots=True)
class Formula:
    """A readability formula and its scale (see resources/readability/formulas.toml)."""

    id: str
    name: str
    source: str
    kind: str  # "linear" or "lix"
    higher_is_easier: bool
    scale: str
    bands: tuple[tuple[float, str], ...]  # (from, word); the last has from = -inf
    base: float = 0.0
    sentence_weight: float = 0.0
    syllable_weight: float = 0.0
    long_word: int = 6

    def score(self, counts: Counts) -> float:
        if self.kind == "lix":
            return counts.words_per_sentence + 100 * counts.long_words / counts.words
        raw = (self.base - self.sentence_weight * counts.words_per_sentence
               - self.syllable_weight * counts.syllables_per_word)
        # The Flesch family is read on a 0-100 scale; a text of very long words or
        # sentences can compute past either end, which is no more meaningful.
        return min(100.0, max(0.0, raw))

    def band(self, score: float) -> str:
        """The scale's own word for a score ("fairly difficult", "normal", ...)."""
        for floor, word in self.bands:
            if score >= floor:
                return word
        return self.bands[-1][1]


@cache
def formulas() -> Mapping[str, Formula]:
    """Every formula in resources/readability/formulas.toml, by id."""
    source = "resources/readability/formulas.toml"
    text = resource("readability", "formulas.toml").read_text(encoding="utf-8")
    v = Validator(source, text)
    found: dict[str, Formula] = {}
    for fid, raw in parse_toml(text, source).items():
        table = v.table(raw, fid)
        v.keys(table, _FORMULA_KEYS, fid)
        bands = []
        for i, band in enumerate(table.get("bands", [])):
            band = v.table(band, f"{fid}.bands")
            v.keys(band, {"from", "word"}, f"{fid}.bands")
            floor = v.number(band["from"], f"{fid}.bands.from") if "from" in band \
                else -math.inf
            if floor == -math.inf and i != len(table["bands"]) - 1:
                raise v.error(f"{fid}.bands", "only the last band may leave out `from`")
            bands.append((float(floor), v.string(band.get("word"), f"{fid}.bands.word")))
        if not bands or bands[-1][0] != -math.inf:
            raise v.error(f"{fid}.bands", "the last band must leave out `from`")
        kind = v.choice(table.get("kind"), f"{fid}.kind", ("linear", "lix"))
        numbers = {k: float(v.number(table[k], f"{fid}.{k}"))
                   for k in ("base", "sentence_weight", "syllable_weight") if k in table}
        found[fid] = Formula(
            id=fid,
            name=v.string(table.get("name"), f"{fid}.name"),
            source=v.string(table.get("source"), f"{fid}.source"),
            kind=kind,
            higher_is_easier=bool(table.get("higher_is_easier", True)),
            scale=v.string(table.get("scale"), f"{fid}.scale"),
            bands=tuple(bands),
            long_word=int(table.get("long_word", 6)),
            **numbers,
        )
    return MappingProxyType(found)


