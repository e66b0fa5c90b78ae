"""House-style packs: a team's own rules and profile, as a TOML data file.

A pack is data, never code. It may

* list phrases to avoid, each with an optional replacement (``house.avoid``),
* list phrases a post must carry, optionally only when other words appear
  (``house.require``, e.g. ``#ad`` on a paid post),
* fix the spelling and case of words such as brand names (``house.case``),
* act as a profile: switch built-in rules off or on and change their thresholds, for all
  languages or one, and override platform facts (``[settings]``).

The loader is strict: an unknown key, a wrong type or a bad value is a :class:`PackError`
naming the file, the line and the key. See the README ("House-style packs") and
``resources/packs/example-house-style.toml``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from coach.textfile import UnreadableFile, read_text_file

from . import kinds
from .context import Check, Context
from .model import LANGUAGES, Finding, Severity
from .packs import (
    Example,
    PackError,
    Validator,
    catalogue,
    close_match,
    parse_example,
    parse_toml,
    shown,
)
from .phrases import PhraseList
from .profile import Substitution

MAX_PACK_BYTES = 1_000_000
MAX_PHRASE_CHARS = 200
_TOP_KEYS = {"pack", "settings", "avoid", "require", "case"}
_PACK_KEYS = {"name", "description", "version"}
_SETTINGS_KEYS = {"disable", "enable", "params", "languages", "platforms"}
_SCOPE_KEYS = {"languages", "platforms", "severity", "message", "examples"}
_AVOID_KEYS = {"phrase", "phrases", "replacement", "suggestion", *_SCOPE_KEYS}
_REQUIRE_KEYS = {"phrase", "when", "suggestion", *_SCOPE_KEYS}
_CASE_KEYS = {"word", "words", *_SCOPE_KEYS}


@dataclass(frozen=True)
class HouseRule:
    """One entry of a pack: what to match, where it applies, and its own examples."""

    rule: str  # house.avoid / house.require / house.case
    phrases: PhraseList
    phrase: str  # the canonical phrase (the required one, or the right spelling)
    replacement: str | None = None
    when: PhraseList | None = None
    languages: frozenset[str] = frozenset()
    platforms: frozenset[str] = frozenset()
    severity: Severity | None = None
    message: str | None = None
    suggestion: str | None = None
    examples: Mapping[str, tuple[Example, ...]] = field(default_factory=dict)
    # An avoid entry's phrases, each with its replacement (the fix, if there is one).
    substitutes: Mapping[str, Substitution] = field(default_factory=dict)

    def applies(self, ctx: Context) -> bool:
        return ((not self.languages or ctx.language in self.languages)
                and (not self.platforms or ctx.doc.platform in self.platforms))


@dataclass(frozen=True)
class HousePack:
    """A loaded pack: its profile settings and its rules, ready for ``analyze(packs=...)``."""

    name: str
    source: str
    rules: tuple[HouseRule, ...] = ()
    disabled: frozenset[str] = frozenset()
    enabled: frozenset[str] = frozenset()
    params: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    language_params: Mapping[str, Mapping[str, Mapping[str, Any]]] = field(default_factory=dict)
    platforms: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    description: str = ""

    @property
    def check(self) -> Check:
        return Check(rules=("house.avoid", "house.require", "house.case"),
                     run=lambda ctx: _run(self, ctx))


def _run(pack: HousePack, ctx: Context) -> Iterator[Finding]:
    """Each entry of the pack, by its kind (coach/analysis/kinds.py)."""
    for rule in pack.rules:
        if not rule.applies(ctx):
            continue
        texts = {"severity": rule.severity, "message": rule.message,
                 "suggestion": rule.suggestion, "pack": pack.name}
        if rule.rule == "house.avoid":
            yield from kinds.substitution(ctx, rule.rule, rule.phrases, rule.substitutes,
                                          keep_case=False,
                                          replacement=rule.replacement or "", **texts)
        elif rule.rule == "house.case":
            yield from kinds.case(ctx, rule.rule, rule.phrase, rule.phrases, **texts)
        elif rule.rule == "house.require":
            yield from kinds.require(ctx, rule.rule, rule.phrase, rule.phrases, rule.when,
                                     **texts)


def _scope(v: Validator, entry: dict[str, Any], key: str, rule: str) -> dict[str, Any]:
    """The keys every entry may have: where it applies, its severity, texts and examples."""
    from .platforms import PLATFORMS

    out: dict[str, Any] = {}
    langs = v.strings(entry.get("languages", []), f"{key}.languages")
    for lang in langs:
        v.choice(lang, f"{key}.languages", LANGUAGES)
    out["languages"] = frozenset(langs)
    plats = v.strings(entry.get("platforms", []), f"{key}.platforms")
    for plat in plats:
        v.choice(plat, f"{key}.platforms", PLATFORMS)
    out["platforms"] = frozenset(plats)
    if "severity" in entry:
        out["severity"] = Severity.parse(v.choice(entry["severity"], f"{key}.severity",
                                                  [s.label for s in Severity]))
    names = catalogue()[rule].placeholders
    for text_key in ("message", "suggestion"):
        if text_key in entry:
            out[text_key] = v.template(entry[text_key], f"{key}.{text_key}", names, rule)
    examples = v.table(entry.get("examples", {}), f"{key}.examples")
    v.keys(examples, {"bad", "good"}, f"{key}.examples")
    out["examples"] = MappingProxyType({
        which: tuple(parse_example(v, item, f"{key}.examples.{which}", bad=which == "bad")
                     for item in v_list(v, examples.get(which, []), f"{key}.examples.{which}"))
        for which in ("bad", "good")})
    return out


def v_list(v: Validator, value: Any, key: str) -> list[Any]:
    if not isinstance(value, list):
        raise v.error(key, "must be a list")
    return value


def _phrases(v: Validator, entry: dict[str, Any], key: str, single: str, many: str) -> list[str]:
    if (single in entry) == (many in entry):
        raise v.error(key, f"give exactly one of {single!r} or {many!r}")
    if single in entry:
        return _short(v, [v.string(entry[single], f"{key}.{single}")], f"{key}.{single}")
    return _short(v, list(v.strings(entry[many], f"{key}.{many}")), f"{key}.{many}")


def _short(v: Validator, phrases: list[str], key: str) -> list[str]:
    # A draft is read token by token from each place a phrase may start: a phrase of
    # thousands of words would make a long draft cost its length times the phrase's.
    for phrase in phrases:
        if len(phrase) > MAX_PHRASE_CHARS:
            raise v.error(key, f"a phrase may have at most {MAX_PHRASE_CHARS} characters, "
                               f"not {len(phrase):,}")
    return phrases


def _literal(phrases: list[str]) -> PhraseList:
    return PhraseList(phrases, allow_regex=False)


def _settings(v: Validator, table: dict[str, Any]) -> dict[str, Any]:
    from .platforms import OVERRIDABLE, PLATFORMS, override_problem

    v.keys(table, _SETTINGS_KEYS, "settings")
    known = catalogue()

    def rule(name: str, key: str) -> str:
        if name not in known:
            close = close_match(name, known)
            raise v.error(key, f"unknown rule {shown(name)}; did you mean {close!r}?"
                          if close else f"unknown rule {shown(name)}")
        return name

    def rules(key: str) -> frozenset[str]:
        names = v.strings(table.get(key, []), f"settings.{key}")
        return frozenset(rule(name, f"settings.{key}") for name in names)

    def params(value: Any, key: str) -> dict[str, dict[str, Any]]:
        out = {}
        for name, values in v.table(value, key).items():
            spec = known[rule(name, f"{key}.{name}")]
            values = v.table(values, f"{key}.{name}")
            v.keys(values, spec.param_specs, f"{key}.{name}")
            for param, val in values.items():
                problem = spec.param_specs[param].problem(val)
                if problem is not None:
                    raise v.error(f"{key}.{name}.{param}", problem)
            out[name] = dict(values)
        return out

    languages = {}
    for lang, value in v.table(table.get("languages", {}), "settings.languages").items():
        v.choice(lang, f"settings.languages.{lang}", LANGUAGES)
        languages[lang] = params(value, f"settings.languages.{lang}")
    platforms = {}
    for name, facts in v.table(table.get("platforms", {}), "settings.platforms").items():
        v.choice(name, f"settings.platforms.{name}", PLATFORMS)
        facts = v.table(facts, f"settings.platforms.{name}")
        v.keys(facts, OVERRIDABLE, f"settings.platforms.{name}")
        for fact, value in facts.items():
            problem = override_problem(fact, value)
            if problem is not None:
                raise v.error(f"settings.platforms.{name}.{fact}", problem)
        platforms[name] = dict(facts)
    return {"disabled": rules("disable"), "enabled": rules("enable"),
            "params": params(table.get("params", {}), "settings.params"),
            "language_params": languages, "platforms": platforms}


def parse_pack(text: str, source: str) -> HousePack:
    """Build a pack from TOML text; ``source`` names it in error messages."""
    data = parse_toml(text, source)
    v = Validator(source, text)
    v.keys(data, _TOP_KEYS, "")
    header = v.table(data.get("pack", {}), "pack")
    v.keys(header, _PACK_KEYS, "pack")
    version = header.get("version", 1)
    if type(version) is not int or version != 1:
        raise v.error("pack.version", f"this Post Coach reads pack version 1, not "
                                      f"{shown(version)}")
    name = v.string(header.get("name", Path(source).stem), "pack.name")
    description = v.string(header.get("description", ""), "pack.description",
                           allow_empty=True)
    rules: list[HouseRule] = []
    for index, entry in enumerate(v_list(v, data.get("avoid", []), "avoid")):
        key = f"avoid[{index}]"
        entry = v.table(entry, key)
        v.keys(entry, _AVOID_KEYS, key)
        replacement = entry.get("replacement")
        if replacement is not None:
            v.string(replacement, f"{key}.replacement", allow_empty=True)
        phrases = _phrases(v, entry, key, "phrase", "phrases")
        substitutes = {p: Substitution(p, replacement or "", fix=replacement is not None)
                       for p in phrases}
        rules.append(HouseRule("house.avoid", _literal(phrases), phrase="",
                               replacement=replacement, substitutes=substitutes,
                               **_scope(v, entry, key, "house.avoid")))
    for index, entry in enumerate(v_list(v, data.get("require", []), "require")):
        key = f"require[{index}]"
        entry = v.table(entry, key)
        v.keys(entry, _REQUIRE_KEYS, key)
        phrase = _short(v, [v.string(entry.get("phrase"), f"{key}.phrase")], f"{key}.phrase")[0]
        when = None
        if "when" in entry:
            when = _literal(_short(v, list(v.strings(entry["when"], f"{key}.when")),
                                   f"{key}.when"))
        rules.append(HouseRule("house.require", _literal([phrase]), phrase=phrase, when=when,
                               **_scope(v, entry, key, "house.require")))
    for index, entry in enumerate(v_list(v, data.get("case", []), "case")):
        key = f"case[{index}]"
        entry = v.table(entry, key)
        v.keys(entry, _CASE_KEYS, key)
        scope = _scope(v, entry, key, "house.case")
        for word in _phrases(v, entry, key, "word", "words"):
            rules.append(HouseRule("house.case", _literal([word]), phrase=word, **scope))
    profile = _settings(v, v.table(data.get("settings", {}), "settings"))
    return HousePack(name=name, source=source, rules=tuple(rules),
                     description=description, **profile)


def load_pack(path: str | Path) -> HousePack:
    """Read a pack file. Raises :class:`PackError` with a clear message for any problem."""
    try:
        text = read_text_file(path, max_bytes=MAX_PACK_BYTES)
    except UnreadableFile as exc:
        raise PackError(str(path), exc.problem, line=exc.line) from None
    return parse_pack(text, str(path))
