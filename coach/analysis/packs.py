"""Load the data that drives the checks: the rule catalogue and the language packs.

Everything here is data read from TOML under ``resources/``; nothing is executed. The
loaders are strict in the way Vale's are: an unknown key is an error that names the file,
the line and the key, never a silent no-op.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Any

from coach.data import resource

from .model import AREAS, KINDS, LANGUAGES, Severity
from .templates import placeholder_problem


class PackError(ValueError):
    """A pack or resource file is malformed. The message names file, line and key."""

    def __init__(self, source: str, problem: str, *, line: int | None = None, key: str = ""):
        self.source = source
        self.problem = problem
        self.line = line
        self.key = key
        where = f"{source}:{line}" if line else source
        what = f" [{key}]" if key else ""
        super().__init__(f"{where}:{what} {problem}")


def line_of(text: str, key: str) -> int | None:
    """Best guess at the line where ``key`` (a dotted path) is written in a TOML text.

    tomllib reports positions only for syntax errors, so for a key that parses but is
    wrong we look for its last path element written as a key or a table header.
    """
    last = key.rsplit(".", 1)[-1].strip('"')
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("["):
            if last in line:
                return number
        elif "=" in line:
            name = line.split("=", 1)[0].strip().strip('"').strip("'")
            if name == last or name.endswith("." + last):
                return number
    return None


def parse_toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message ends with "(at line L, column C)"; keep it readable.
        message = str(exc)
        line = None
        if message.endswith("(at end of document)"):
            message = message.removesuffix(" (at end of document)") + " at the end of the file"
            line = text.count("\n") + 1
        elif "(at line " in message:
            message, _, pos = message.partition(" (at line ")
            try:
                line = int(pos.split(",", 1)[0])
            except ValueError:
                line = None
        raise PackError(source, f"not valid TOML: {message}", line=line) from None


class Validator:
    """Small helpers to check a parsed TOML table and report problems by key and line."""

    def __init__(self, source: str, text: str) -> None:
        self.source = source
        self.text = text

    def error(self, key: str, problem: str) -> PackError:
        return PackError(self.source, problem, line=line_of(self.text, key), key=key)

    def keys(self, table: Mapping[str, Any], allowed: Iterable[str], where: str) -> None:
        allowed = set(allowed)
        for key in table:
            if key not in allowed:
                path = f"{where}.{key}" if where else key
                expected = ", ".join(sorted(allowed)) or "nothing"
                raise self.error(path, f"unknown key {key!r} (expected: {expected})")

    def table(self, value: Any, key: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.error(key, f"must be a table, not {type(value).__name__}")
        return value

    def string(self, value: Any, key: str, *, allow_empty: bool = False) -> str:
        if not isinstance(value, str) or (not allow_empty and not value.strip()):
            raise self.error(key, "must be a non-empty string")
        return value

    def template(self, value: Any, key: str, names: Collection[str], rule: str) -> str:
        """A finding's text for ``rule``: a non-empty string whose placeholders are among
        ``names`` (see :mod:`coach.analysis.templates`)."""
        text = self.string(value, key)
        problem = placeholder_problem(text, names, rule)
        if problem is not None:
            raise self.error(key, problem)
        return text

    def strings(self, value: Any, key: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.error(key, "must be a list of non-empty strings")
        return tuple(value)

    def choice(self, value: Any, key: str, choices: Iterable[str]) -> str:
        choices = tuple(choices)
        if value not in choices:
            raise self.error(key, f"must be one of {', '.join(choices)}, not {value!r}")
        return value

    def number(self, value: Any, key: str) -> int | float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(key, f"must be a number, not {value!r}")
        return value


# ---------------------------------------------------------------------------------------
# The rule catalogue: resources/rules/<area>.toml


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """What the catalogue says about one rule id (see CHECKS.md)."""

    id: str
    area: str
    severity: Severity
    title: str
    message: str
    why: str
    suggestion: str
    params: Mapping[str, Any] = field(default_factory=dict)
    kinds: tuple[str, ...] = KINDS
    needs_platform: bool = False
    placeholders: frozenset[str] = frozenset()  # the {names} its check fills in its texts


_RULE_KEYS = {"area", "severity", "title", "message", "why", "suggestion", "params", "kinds",
              "needs_platform", "placeholders"}
# Lexicon tables in a language pack: one per area, plus reply and house-style words.
CATALOGUE_AREAS = (*AREAS, "reply", "house")


def _parse_rule(v: Validator, rule_id: str, table: dict[str, Any]) -> RuleSpec:
    v.keys(table, _RULE_KEYS, rule_id)
    params = v.table(table.get("params", {}), f"{rule_id}.params")
    names = frozenset(v.strings(table.get("placeholders", []), f"{rule_id}.placeholders"))
    return RuleSpec(
        id=rule_id,
        area=v.choice(table.get("area"), f"{rule_id}.area", AREAS),
        severity=Severity.parse(v.choice(table.get("severity"), f"{rule_id}.severity",
                                         [s.label for s in Severity])),
        title=v.string(table.get("title"), f"{rule_id}.title"),
        message=v.template(table.get("message"), f"{rule_id}.message", names, rule_id),
        why=v.string(table.get("why"), f"{rule_id}.why"),
        suggestion=v.template(table.get("suggestion"), f"{rule_id}.suggestion", names, rule_id),
        params=MappingProxyType(dict(params)),
        kinds=tuple(v.choice(k, f"{rule_id}.kinds", KINDS)
                    for k in v.strings(table.get("kinds", list(KINDS)), f"{rule_id}.kinds")),
        needs_platform=bool(table.get("needs_platform", False)),
        placeholders=names,
    )


@cache
def catalogue() -> Mapping[str, RuleSpec]:
    """Every rule id with its area, severity, texts and default parameters."""
    rules: dict[str, RuleSpec] = {}
    folder = resource("rules")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        source = f"resources/rules/{entry.name}"
        text = entry.read_text(encoding="utf-8")
        v = Validator(source, text)
        for rule_id, table in parse_toml(text, source).items():
            if rule_id in rules:
                raise v.error(rule_id, "rule defined twice")
            rules[rule_id] = _parse_rule(v, rule_id, v.table(table, rule_id))
    return MappingProxyType(rules)


# ---------------------------------------------------------------------------------------
# Language packs: resources/languages/<code>.toml


@dataclass(frozen=True, slots=True)
class Example:
    """A rule example: a text, and for a bad one the span the rule must mark."""

    text: str
    span: tuple[int, int] | None = None
    fix: str | None = None
    platform: str | None = None
    kind: str = "post"
    comment: str = ""


_EXAMPLE_KEYS = {"text", "fix", "platform", "kind", "comment"}
SPAN_OPEN, SPAN_CLOSE = "[[", "]]"


def parse_example(v: Validator, value: Any, key: str, *, bad: bool) -> Example:
    """An example is a string, or a table with ``text`` and optional context.

    In a bad example the expected span is written between ``[[`` and ``]]``.
    """
    table = {"text": value} if isinstance(value, str) else v.table(value, key)
    v.keys(table, _EXAMPLE_KEYS, key)
    raw = v.string(table.get("text"), f"{key}.text")
    span = None
    if bad:
        start = raw.find(SPAN_OPEN)
        end = raw.find(SPAN_CLOSE, start + 2)
        if start < 0 or end < 0:
            raise v.error(key, f"a bad example must mark its span with [[ and ]]: {raw!r}")
        text = raw[:start] + raw[start + 2 : end] + raw[end + 2 :]
        span = (start, end - 2)
    else:
        text = raw
    fix = table.get("fix")
    if fix is not None:
        v.string(fix, f"{key}.fix", allow_empty=True)
    kind = v.choice(table.get("kind", "post"), f"{key}.kind", KINDS)
    return Example(text=text, span=span, fix=fix, platform=table.get("platform"), kind=kind,
                   comment=table.get("comment", ""))


@dataclass(frozen=True, slots=True)
class LanguagePack:
    """The lexicons, per-language parameters and rule examples of one language."""

    code: str
    name: str
    lexicon: Mapping[str, Mapping[str, Any]]  # area -> name -> value
    params: Mapping[str, Mapping[str, Any]]  # rule id -> parameter overrides
    examples: Mapping[str, Mapping[str, tuple[Example, ...]]]  # rule -> "bad"/"good"

    def words(self, area: str, name: str) -> frozenset[str]:
        """A word list from the lexicon, case-folded, as a set for membership tests."""
        return _folded_set(self.code, area, name)

    def get(self, area: str, name: str, default: Any = None) -> Any:
        return self.lexicon.get(area, {}).get(name, default)


_LANGUAGE_TOP_KEYS = {"language", "params", "examples", *CATALOGUE_AREAS, "text"}


@cache
def language_pack(code: str) -> LanguagePack:
    """The shipped pack for ``code`` (one of LANGUAGES)."""
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r} (expected one of {', '.join(LANGUAGES)})")
    source = f"resources/languages/{code}.toml"
    text = resource("languages", f"{code}.toml").read_text(encoding="utf-8")
    data = parse_toml(text, source)
    v = Validator(source, text)
    v.keys(data, _LANGUAGE_TOP_KEYS, "")
    header = v.table(data.get("language", {}), "language")
    v.keys(header, {"code", "name"}, "language")
    if header.get("code") != code:
        raise v.error("language.code", f"must be {code!r}")
    known = catalogue()
    params = v.table(data.get("params", {}), "params")
    for rule_id, overrides in params.items():
        if rule_id not in known:
            raise v.error(f"params.{rule_id}", f"unknown rule {rule_id!r}")
        v.keys(v.table(overrides, f"params.{rule_id}"), known[rule_id].params,
               f"params.{rule_id}")
    examples: dict[str, dict[str, tuple[Example, ...]]] = {}
    for rule_id, table in v.table(data.get("examples", {}), "examples").items():
        if rule_id not in known:
            raise v.error(f"examples.{rule_id}", f"examples for unknown rule {rule_id!r}")
        v.keys(v.table(table, f"examples.{rule_id}"), {"bad", "good"}, f"examples.{rule_id}")
        examples[rule_id] = {
            which: tuple(parse_example(v, item, f"examples.{rule_id}.{which}",
                                       bad=which == "bad")
                         for item in table.get(which, []))
            for which in ("bad", "good")
        }
    lexicon = {area: MappingProxyType(dict(v.table(data[area], area)))
               for area in (*CATALOGUE_AREAS, "text") if area in data}
    return LanguagePack(
        code=code,
        name=v.string(header.get("name"), "language.name"),
        lexicon=MappingProxyType(lexicon),
        params=MappingProxyType({k: MappingProxyType(dict(p)) for k, p in params.items()}),
        examples=MappingProxyType(examples),
    )


@cache
def _folded_set(code: str, area: str, name: str) -> frozenset[str]:
    values = language_pack(code).get(area, name, ())
    return frozenset(str(v).casefold() for v in values)
