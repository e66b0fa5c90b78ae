"""Load the data that drives the checks: the rule catalogue and the language packs.

Everything here is data read from TOML under ``resources/``; nothing is executed. The
loaders are strict in the way Vale's are: an unknown key is an error that names the file,
the line and the key, never a silent no-op.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Collection, Iterable, Mapping
from contextlib import suppress
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
        super().__init__(one_line(f"{where}:{what} {problem}"))


def one_line(text: str) -> str:
    """``text`` with every character that is not printable (a line break, a terminal
    escape, a direction mark…) written as its escape: a message stays one plain line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                   for c in text)


_SHOWN = 60  # characters of a value from a file quoted in an error
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")  # C0 and C1 controls but the tab


def shown(value: Any) -> str:
    """``value`` (read from a file or typed by a person) as an error message quotes it:
    short, on one line, and never too large to print."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 9_000:
        # (Python refuses to print an integer of more than 4,300 digits.)
        return "a number too large to show"
    if isinstance(value, dict | list | tuple):
        return "a table" if isinstance(value, dict) else "a list"  # (nested: never printed)
    text = repr(value)
    return text if len(text) <= _SHOWN else text[:_SHOWN - 1] + "…"


def close_match(name: str, choices: Iterable[str]) -> str | None:
    """The one of ``choices`` that ``name`` is most likely a typo of, if any is close."""
    found = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.75)
    return found[0] if found else None


def line_of(text: str, key: str) -> int | None:
    """Best guess at the line where ``key`` (a dotted path, as the validators name it:
    ``settings.params.tone.caps.max_run``, ``avoid[2].message``) is written in a TOML text.

    tomllib reports positions only for syntax errors, so for a key that parses but is
    wrong we read the table headers and keys line by line: the line that writes ``key``
    itself, else the one that writes the longest part of it (a table, or an inline table
    that holds it), else a line that writes a key of its last name.
    """
    best, best_length, header = None, 0, ""
    counts: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("[["):
            name = _dotted(line[2:].split("]]", 1)[0])
            if name is None:
                continue
            counts[name] = counts.get(name, -1) + 1
            header = path = f"{name}[{counts[name]}]"
        elif line.startswith("["):
            header = path = _dotted(line[1:].split("]", 1)[0]) or ""
        elif "=" in line and not line.startswith("#"):
            name = _dotted(line.split("=", 1)[0])
            if name is None:
                continue
            path = f"{header}.{name}" if header else name
        else:
            continue
        if path == key:
            return number
        if len(path) > best_length and key.startswith(path) and key[len(path)] in ".[":
            best, best_length = number, len(path)
    return best if best is not None else _line_of_name(text, key)


def _line_of_name(text: str, key: str) -> int | None:
    """The first line that writes a key named as the last part of ``key``."""
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


_KEY_PART = re.compile(r"""\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)\s*""")


def _dotted(text: str) -> str | None:
    """A TOML key as written (``a."b.c" . d``) as the validators name it (``a.b.c.d``),
    or None when ``text`` is not a key."""
    parts, pos = [], 0
    while True:
        found = _KEY_PART.match(text, pos)
        if found is None:
            return None
        part = found.group(1)
        parts.append(part[1:-1] if part[0] in "\"'" else part)
        pos = found.end()
        if pos == len(text):
            return ".".join(parts)
        if text[pos] != ".":
            return None
        pos += 1


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """``text`` as TOML; any problem is a :class:`PackError` naming ``source``."""
    try:
        return tomllib.loads(text)
    except RecursionError:
        # tomllib reads nested lists and inline tables by recursion.
        raise PackError(source, "not valid TOML: lists or tables are nested too deeply "
                                "to read") from None
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
    except ValueError:
        # Python reads an integer of more than 4,300 digits only when told to.
        raise PackError(source, "not valid TOML: a number is too long to read") from None


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
                close = close_match(key, allowed)
                if close is not None:
                    raise self.error(path, f"unknown key {shown(key)}; did you mean "
                                           f"{close!r}? (expected: {expected})")
                raise self.error(path, f"unknown key {shown(key)} (expected: {expected})")

    def table(self, value: Any, key: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.error(key, f"must be a table, not {type(value).__name__}")
        return value

    def string(self, value: Any, key: str, *, allow_empty: bool = False,
               draft: bool = False) -> str:
        """A non-empty string (or any, ``allow_empty``) without control characters; a
        ``draft`` (an example post) may also have line breaks."""
        if not isinstance(value, str) or (not allow_empty and not value.strip()):
            raise self.error(key, "must be a non-empty string")
        self._printable(value.replace("\n", "").replace("\r", "") if draft else value, key)
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
        for item in value:
            self._printable(item, key)
        return tuple(value)

    def _printable(self, value: str, key: str) -> None:
        # A line break or a terminal escape in a text would reach the reader's screen.
        control = _CONTROL.search(value)
        if control is not None:
            raise self.error(key, f"must not hold control characters such as "
                                  f"{control.group()!r} (a tab is fine)")

    def choice(self, value: Any, key: str, choices: Iterable[str]) -> str:
        choices = tuple(choices)
        if not isinstance(value, str) or value not in choices:
            close = close_match(value, choices) if isinstance(value, str) else None
            if close is not None:
                raise self.error(key, f"must be one of {', '.join(choices)}, not "
                                      f"{shown(value)}; did you mean {close!r}?")
            raise self.error(key, f"must be one of {', '.join(choices)}, not {shown(value)}")
        return value

    def number(self, value: Any, key: str) -> int | float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(key, f"must be a number, not {shown(value)}")
        return value


# ---------------------------------------------------------------------------------------
# Parameters: what values a rule parameter or a platform fact takes


PARAM_TYPES = ("int", "number")


@dataclass(frozen=True, slots=True)
class ParamSpec:
    """The values a rule parameter (or a platform fact) takes, declared beside it as data:
    ``{ type = "int", default = 25, min = 1, max = 1_000 }``. ``int`` is a whole number,
    ``number`` any number; both within ``min`` and ``max``."""

    type: str
    low: int | float
    high: int | float
    default: int | float | None = None

    def allowed(self) -> str:
        """The values allowed, as an error message says them."""
        if self.type == "int":
            return f"a whole number from {self.low:,} to {self.high:,}"
        return f"a number from {self.low:,} to {self.high:,}"

    def problem(self, value: Any) -> str | None:
        """Why ``value`` is not allowed ("must be …, not …"), or None when it is."""
        ok = (isinstance(value, int | float) and not isinstance(value, bool)
              and (self.type == "number" or isinstance(value, int))
              and self.low <= value <= self.high)  # (never true of NaN)
        return None if ok else f"must be {self.allowed()}, not {shown(value)}"

    def parse(self, raw: str) -> int | float:
        """The value written as ``raw`` (``--set``); ValueError with the problem if it is
        not allowed."""
        value: Any = raw  # unless it reads as a number: the problem then quotes the text
        with suppress(ValueError):
            value = int(raw) if self.type == "int" else float(raw)
        problem = self.problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value


def parse_param_spec(v: Validator, value: Any, key: str, *, with_default: bool) -> ParamSpec:
    """A declaration ``{ type, min, max }`` (and ``default`` when ``with_default``)."""
    table = v.table(value, key)
    v.keys(table, {"type", "min", "max", *(["default"] if with_default else [])}, key)
    kind = v.choice(table.get("type"), f"{key}.type", PARAM_TYPES)
    bounds = []
    for end in ("min", "max"):
        bound = v.number(table.get(end), f"{key}.{end}")
        if kind == "int" and not isinstance(bound, int):
            raise v.error(f"{key}.{end}", f"must be a whole number, not {shown(bound)}")
        if bound != bound or abs(bound) == float("inf"):
            raise v.error(f"{key}.{end}", f"must be a finite number, not {shown(bound)}")
        bounds.append(bound)
    if bounds[0] > bounds[1]:
        raise v.error(f"{key}.min", "must not be greater than max")
    spec = ParamSpec(kind, bounds[0], bounds[1])
    if not with_default:
        return spec
    problem = spec.problem(table.get("default"))
    if problem is not None:
        raise v.error(f"{key}.default", problem)
    return ParamSpec(kind, bounds[0], bounds[1], table["default"])


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
    param_specs: Mapping[str, ParamSpec] = field(default_factory=dict)  # what each takes


_RULE_KEYS = {"area", "severity", "title", "message", "why", "suggestion", "params", "kinds",
              "needs_platform", "placeholders"}


def _parse_rule(v: Validator, rule_id: str, table: dict[str, Any]) -> RuleSpec:
    v.keys(table, _RULE_KEYS, rule_id)
    specs = {name: parse_param_spec(v, value, f"{rule_id}.params.{name}", with_default=True)
             for name, value in v.table(table.get("params", {}), f"{rule_id}.params").items()}
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
        params=MappingProxyType({name: spec.default for name, spec in specs.items()}),
        kinds=tuple(v.choice(k, f"{rule_id}.kinds", KINDS)
                    for k in v.strings(table.get("kinds", list(KINDS)), f"{rule_id}.kinds")),
        needs_platform=bool(table.get("needs_platform", False)),
        placeholders=names,
        param_specs=MappingProxyType(specs),
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
    raw = v.string(table.get("text"), f"{key}.text", draft=True)
    span = None
    if bad:
        start = raw.find(SPAN_OPEN)
        end = raw.find(SPAN_CLOSE, start + 2)
        if start < 0 or end < 0:
            raise v.error(key, "a bad example must mark its span with [[ and ]]: "
                               f"{shown(raw)}")
        text = raw[:start] + raw[start + 2 : end] + raw[end + 2 :]
        span = (start, end - 2)
    else:
        text = raw
    fix = table.get("fix")
    if fix is not None:
        v.string(fix, f"{key}.fix", allow_empty=True, draft=True)
    if "platform" in table:
        v.string(table["platform"], f"{key}.platform")
    if "comment" in table:
        v.string(table["comment"], f"{key}.comment", allow_empty=True, draft=True)
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


# The areas a language file holds words and settings for: the rule areas and replies.
_LEXICON_AREAS = (*AREAS, "reply")
_LANGUAGE_TOP_KEYS = {"language", "params", "examples", *_LEXICON_AREAS}


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
        for name, value in overrides.items():
            problem = known[rule_id].param_specs[name].problem(value)
            if problem is not None:
                raise v.error(f"params.{rule_id}.{name}", problem)
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
               for area in _LEXICON_AREAS if area in data}
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


@cache
def rule_params(rule: str, code: str) -> Mapping[str, Any]:
    """A rule's parameters in a language before any house pack or setting: the catalogue's
    defaults, then the language file's ``[params]``."""
    return MappingProxyType({**catalogue()[rule].params,
                             **language_pack(code).params.get(rule, {})})
