"""Every word a person reads in a finding comes from the rule catalogue.

A check names a rule and, for a rule with several forms, a message key
(``ctx.finding(rule, start, end, key="too_many", count=7)``); the texts are
``message`` / ``suggestion`` and ``messages.KEY`` / ``suggestions.KEY`` in
resources/rules/<area>.toml, with the rule's ``{placeholders}`` filled by the check. These
tests read the checks' source: no sentence is built in Python, every key a check asks for
is in the catalogue, and every key in the catalogue is asked for.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import coach.analysis
from coach.analysis import LANGUAGES, analyze
from coach.analysis.engine import Context
from coach.analysis.packs import (
    KIND_PLACEHOLDERS,
    PackError,
    catalogue,
    parse_rules,
)
from coach.analysis.platforms import PLATFORMS
from coach.analysis.profile import language_pack
from coach.analysis.settings import Settings
from coach.analysis.templates import _PLACEHOLDER
from coach.analysis.text import Doc

ANALYSIS = Path(coach.analysis.__file__).parent
# Modules that work for the checks (besides checks/*): they too write no sentence, except in
# the errors they raise (or return, from a *_problem function) about a file or a setting.
# The loaders (packs.py, house.py, settings.py…) write such errors for a file's author.
_HELPERS = {"questions", "readability", "platforms", "text", "scoring", "phrases"}
# Two words of letters: a sentence, or the start of one.
_WORDS = re.compile(r"[^\W\d_]{2,}\s+[^\W\d_]{2,}")
# Calls that make a finding, and which argument names the rule.
_RULE_ARG = {"finding": 0, "_at_each": 1}
# Keys a check computes rather than writes: platform.hashtags has one form for each
# platform that says what it does with more tags (checks/platform.py, _hashtags).
_COMPUTED_KEYS = {("platform.hashtags", "on_{name}"): {f"on_{name}" for name in PLATFORMS}}


def _modules() -> list[tuple[str, Path]]:
    names = [f"coach.analysis.{m.name}" for m in pkgutil.iter_modules([str(ANALYSIS)])]
    names += [f"coach.analysis.checks.{m.name}"
              for m in pkgutil.iter_modules([str(ANALYSIS / "checks")])]
    return [(name, Path(importlib.import_module(name).__file__)) for name in sorted(names)]


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _text_of(node: ast.AST) -> str | None:
    """The words a string literal or f-string writes, None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    return None


def _finding_calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in _RULE_ARG:
                yield node, _RULE_ARG[name]


@pytest.mark.parametrize(("module", "path"), _modules(), ids=lambda v: str(v))
def test_no_finding_text_is_written_in_python(module, path):
    """What a check passes to a finding is values (numbers, quoted words of the draft,
    data of a language), never a sentence; and a check module writes no sentence at all,
    except in a docstring or in the error it raises about a malformed file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for call, _ in _finding_calls(tree):
        for kw in call.keywords:
            if kw.arg in ("message", "suggestion") and module == "coach.analysis.house":
                continue  # a house pack's own texts, read from the pack
            for node in ast.walk(kw.value):
                text = _text_of(node)
                assert text is None or not _WORDS.search(text), (
                    f"{path.name}:{node.lineno}: {kw.arg}= is given a sentence: {text!r}")
    if ".checks." not in module and module.rpartition(".")[2] not in _HELPERS:
        return
    allowed = _docstrings(tree)
    for node in ast.walk(tree):  # errors about a file or a setting: for its author
        if isinstance(node, ast.Raise) or (isinstance(node, ast.FunctionDef)
                                           and node.name.endswith("_problem")):
            allowed.update(id(n) for n in ast.walk(node))
    for node in ast.walk(tree):
        if id(node) in allowed or isinstance(getattr(node, "ctx", None), ast.Store):
            continue
        text = _text_of(node) if isinstance(node, (ast.Constant, ast.JoinedStr)) else None
        if text is not None and _WORDS.search(text):
            pytest.fail(f"{path.name}:{node.lineno}: a sentence in Python: {text!r}")


def _keys(node: ast.AST) -> set[str]:
    """The message keys an expression can give: literal strings, either side of an ``if``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value} if node.value else set()
    if isinstance(node, ast.IfExp):
        return _keys(node.body) | _keys(node.orelse)
    if isinstance(node, ast.Name):
        return {f"<{node.id}>"}  # a variable: its assignments are read below
    if isinstance(node, ast.JoinedStr):
        return {"".join(v.value if isinstance(v, ast.Constant) else "{name}"
                        for v in node.values)}
    raise AssertionError(f"line {node.lineno}: a message key must be written out")


def _assigned(function: ast.AST, name: str) -> set[str]:
    """The keys a variable of ``function`` is given (``key = ...``, ``key, x = "", None``)."""
    keys: set[str] = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                pairs = ([(target, node.value)] if isinstance(target, ast.Name) else
                         zip(target.elts, node.value.elts, strict=False)
                         if isinstance(target, ast.Tuple)
                         and isinstance(node.value, ast.Tuple) else [])
                keys.update(*(_keys(value) for t, value in pairs
                              if isinstance(t, ast.Name) and t.id == name))
    return keys


def _asked_for() -> dict[str, set[str]]:
    """Every (rule, message key) a check can ask for, read from the source."""
    asked: dict[str, set[str]] = {}
    for module, path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            for call, at in _finding_calls(function):
                key = next((kw.value for kw in call.keywords if kw.arg == "key"), None)
                if key is None:
                    continue
                rule_node = call.args[at]
                assert isinstance(rule_node, ast.Name), f"{path.name}:{call.lineno}: a rule"
                rule = getattr(importlib.import_module(module), rule_node.id)
                keys = set()
                for k in _keys(key):
                    if k.startswith("<"):
                        keys |= _assigned(function, k[1:-1])
                    else:
                        keys.add(k)
                for k in list(keys):
                    if (rule, k) in _COMPUTED_KEYS:
                        keys.discard(k)
                        keys |= _COMPUTED_KEYS[rule, k] & set(catalogue()[rule].messages)
                asked.setdefault(rule, set()).update(keys)
    return asked


def test_every_message_key_asked_for_is_in_the_catalogue_and_every_one_is_used():
    asked = _asked_for()
    rules = catalogue()
    missing = sorted((r, k) for r, keys in asked.items() for k in keys
                     if k not in rules[r].messages)
    assert not missing, f"message keys a check asks for but the catalogue lacks: {missing}"
    unused = sorted((r, k) for r, spec in rules.items() for k in spec.messages
                    if k not in asked.get(r, ()))
    assert not unused, f"catalogue messages no check asks for: {unused}"
    assert len({k for keys in asked.values() for k in keys}) >= 15  # the scan sees them


def test_no_message_is_only_a_placeholder():
    for rule, spec in catalogue().items():
        for text in (spec.message, spec.suggestion, *spec.messages.values(),
                     *spec.suggestions.values()):
            assert _PLACEHOLDER.sub("", text).strip(" .:"), f"{rule}: {text!r} has no words"


def test_every_placeholder_a_rule_declares_is_in_one_of_its_texts():
    for rule, spec in catalogue().items():
        if rule.startswith("house."):
            continue  # a house pack's own texts may use what the catalogue's do not
        texts = " ".join((spec.message, spec.suggestion, *spec.messages.values(),
                          *spec.suggestions.values()))
        used = set(_PLACEHOLDER.findall(texts))
        assert used <= spec.placeholders
        assert spec.placeholders <= used, f"{rule}: {sorted(spec.placeholders - used)} unused"


def test_checks_fill_only_the_placeholders_their_rule_declares(monkeypatch):
    """A value the rule does not declare would be dropped without a word (a stale
    ``detail=``): every example of every rule, in every language, is run to see."""
    given: list[tuple[str, str, frozenset[str]]] = []
    finding = Context.finding

    def spy(self, rule, start, end, *, key="", fix=None, severity=None, message=None,
            suggestion=None, **values):
        given.append((rule, key, frozenset(values)))
        return finding(self, rule, start, end, key=key, fix=fix, severity=severity,
                       message=message, suggestion=suggestion, **values)

    monkeypatch.setattr(Context, "finding", spy)
    for lang in LANGUAGES:
        for sets in language_pack(lang).examples.values():
            for example in sets["bad"]:
                analyze(example.text, language=lang, platform=example.platform,
                        kind=example.kind, comment=example.comment)
    rules = catalogue()
    assert {rule for rule, _, _ in given} >= {r for r in rules if not r.startswith("house.")}

    def takes(rule):  # a rule of a kind may also use what its kind offers every finding
        return rules[rule].placeholders | (set(KIND_PLACEHOLDERS) if rules[rule].kind else set())

    wrong = sorted({(rule, key, tuple(sorted(names - takes(rule))))
                    for rule, key, names in given if not names <= takes(rule)})
    assert not wrong, f"values no placeholder takes: {wrong}"


def test_an_unknown_message_key_fails_loudly():
    ctx = Context(Doc("A post.", language="en"), language_pack("en"), Settings())
    with pytest.raises(KeyError, match="tone.caps has no message 'shouting'.*one_word"):
        ctx.finding("tone.caps", 0, 1, key="shouting")
    assert ctx.finding("tone.caps", 0, 1, key="one_word", found="WOW").message == (
        "“WOW” in capitals reads as raising your voice.")


_RULE = '''["tone.x"]
area = "tone"
severity = "info"
title = "X"
message = "{n} of them."
why = "Because."
suggestion = "Fewer."
placeholders = ["n"]
'''


@pytest.mark.parametrize(("extra", "line", "problem"), [
    ('messages.Two = "Two."', 9, r"\[tone.x.messages.Two\] a message key is lower-case"),
    ('messages.two = "{m} of them."', 9, r"\[tone.x.messages.two\] “\{m\}” is not a placeholder"),
    ('suggestions.two = "Fewer still."', 9,
     r"\[tone.x.suggestions.two\] tone.x has no message 'two' for this suggestion"),
    ('messages = "Two."', 9, r"\[tone.x.messages\] must be a table"),
    ('message_two = "Two."', 9, r"\[tone.x.message_two\] unknown key 'message_two'"),
])
def test_the_catalogue_loader_is_strict_about_messages(extra, line, problem):
    with pytest.raises(PackError, match=problem) as caught:
        parse_rules(_RULE + extra + "\n", "rules.toml")
    if line is not None:
        assert str(caught.value).startswith(f"rules.toml:{line}:")


def test_a_rule_with_several_messages_loads_them():
    spec = parse_rules(_RULE + 'messages.two = "Two, {n}."\nsuggestions.two = "One."\n'
                       'messages.three = "Three."\n', "rules.toml")["tone.x"]
    assert spec.texts() == ("{n} of them.", "Fewer.")
    assert spec.texts("two") == ("Two, {n}.", "One.")
    assert spec.texts("three") == ("Three.", "Fewer.")  # the main suggestion


@pytest.mark.parametrize(("text", "platform", "rule", "message", "suggestion"), [
    ("What a day!!! Really.", None, "tone.exclamations", "“!!!” reads as shouting.", None),
    ("Yes! Great! Fine! Good.", None, "tone.exclamations",
     "3 exclamation marks in one post; 2 at most keeps them meaningful.", None),
    ("We are here 😀😀😀 for you.", None, "tone.emoji_overload", "3 emoji in a row.", None),
    ("What do you think of our new menu. We love it.", None, "question.unmarked",
     "“What do you think of our new menu.” is a question without “?”.",
     "Add “?” so it reads as a question."),
    ("es:Te gusta el pastel nuevo? Nosotros lo adoramos.", None, "question.unmarked",
     "“Te gusta el pastel nuevo?” has no opening “¿”.", "Open the question with “¿”."),
    ("es:Qué piensas del menú nuevo. Nosotros lo adoramos.", None, "question.unmarked",
     "“Qué piensas del menú nuevo.” is a question without “¿” and “?”.",
     "Add “¿” and “?” so it reads as a question."),

    ("#a #b #c #d", "x", "platform.hashtags",
     "4 hashtags: on X, more than 2 tends to cut a post's reach.", None),
    ("#a #b #c #d", "bluesky", "platform.hashtags",
     "4 hashtags: more than 3 reads like spam and buries what you say.", None),
    ("https://example.com is where our new menu is, with prices and photos.", None,
     "platform.link_only",
     "The post opens with a link: readers see an address before they know why it matters.",
     "Start with a sentence that says what the link gives the reader, then put the link "
     "after it."),
])
def test_keyed_messages_read_as_before(text, platform, rule, message, suggestion):
    language, _, text = text.rpartition(":") if text.startswith("es:") else ("en", "", text)
    found = [f for f in analyze(text, language=language, platform=platform).findings
             if f.rule == rule]
    assert found and found[0].message == message
    if suggestion is not None:
        assert found[0].suggestion == suggestion
