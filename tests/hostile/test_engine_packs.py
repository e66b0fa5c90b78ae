"""House packs and the other TOML loaders against hostile files: deep nesting, numbers too
long to read, control characters, wrong types, unknown keys, huge values. Whatever the
file holds, loading it either works or raises the pack error, with one line naming the
file (and the line and key where one applies); a pack that loads never breaks a check."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.analysis import analyze, packs
from coach.analysis.house import load_pack, parse_pack
from coach.analysis.packs import PackError, catalogue
from coach.cli import main

DEEP = 5000


@pytest.mark.parametrize("text", [
    "a = " + "[" * DEEP + "]" * DEEP + "\n",
    "a = " + "{b = " * DEEP + "1" + "}" * DEEP + "\n",
    '[settings.params."tone.caps"]\nacronym_max_letters = ' + "[" * DEEP + "]" * DEEP + "\n",
])
def test_deep_nesting_is_a_load_error(tmp_path, text):
    path = tmp_path / "deep.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PackError) as caught:
        load_pack(path)
    assert str(caught.value) == (f"{path}: not valid TOML: lists or tables are nested too "
                                 "deeply to read")


def test_deep_tables_that_parse_are_refused_by_key(tmp_path):
    # Table headers nest without recursion in tomllib: the value must still not be printed.
    text = '[settings.params."tone.caps".acronym_max_letters' + ".a" * 3000 + "]\nb = 1\n"
    with pytest.raises(PackError, match=r"^p.toml:1: \[settings.params.tone.caps."
                                        r"acronym_max_letters\] must be a whole number "
                                        r"from 0 to 20, not a table$"):
        parse_pack(text, "p.toml")


def test_deep_nesting_in_the_shipped_files_is_a_load_error_too(tmp_path, monkeypatch):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "tone.toml").write_text("a = " + "[" * DEEP + "]" * DEEP, encoding="utf-8")
    monkeypatch.setattr(packs, "resource", lambda *parts: tmp_path.joinpath(*parts))
    packs.catalogue.cache_clear()
    try:
        with pytest.raises(PackError, match="^resources/rules/tone.toml: not valid TOML: "
                                            "lists or tables are nested too deeply"):
            packs.catalogue()
    finally:
        monkeypatch.undo()
        packs.catalogue.cache_clear()
    assert catalogue()


def test_the_command_line_says_so_in_one_line(tmp_path, capsys):
    path = tmp_path / "deep.toml"
    path.write_text("a = " + "[" * DEEP + "]" * DEEP, encoding="utf-8")
    assert main(["check", "--pack", str(path), str(path)]) == 2
    err = capsys.readouterr().err
    assert err == (f"coach check: pack {path}: not valid TOML: lists or tables are nested "
                   "too deeply to read\n")


@pytest.mark.parametrize(("text", "message"), [
    ("[pack]\nversion = " + "9" * 5000 + "\n",
     "p.toml: not valid TOML: a number is too long to read"),
    ("[pack]\nversion = 0x" + "f" * 5000 + "\n",
     "p.toml:2: [pack.version] this Post Coach reads pack version 1, not a number too large "
     "to show"),
    ("[pack]\nversion = true\n",
     "p.toml:2: [pack.version] this Post Coach reads pack version 1, not True"),
    ('[pack]\nname = "Acme\\u001b[2J"\n',
     "p.toml:2: [pack.name] must not hold control characters such as '\\x1b' (a tab is fine)"),
    ('[[avoid]]\nphrase = "cheap"\nmessage = "Line one.\\nfile:1:1: error fake"\n',
     "p.toml:3: [avoid[0].message] must not hold control characters such as '\\n' (a tab "
     "is fine)"),
    ('"\\u001b]0;title\\u0007" = 1\n',
     "p.toml: [\\x1b]0;title\\x07] unknown key '\\x1b]0;title\\x07' (expected: avoid, "
     "case, pack, require, settings)"),
    ('[pack]\ndescription = 5\n', "p.toml:2: [pack.description] must be a non-empty string"),
    ('[[avoid]]\nphrase = "' + "word " * 50 + '"\n',
     "p.toml:2: [avoid[0].phrase] a phrase may have at most 200 characters, not 250"),
    ('[[avoid]]\nphrase = "a"\n[[avoid]]\nphrase = "b"\n[[avoid]]\nphrase = "c"\n'
     'message = "{nope}"\n',
     "p.toml:7: [avoid[2].message] “{nope}” is not a placeholder of house.avoid: write one "
     "of {match}, {pack}, {replacement} as it stands, with nothing else between the braces."),
])
def test_hostile_values_are_one_line_errors(text, message):
    with pytest.raises(PackError) as caught:
        parse_pack(text, "p.toml")
    assert str(caught.value) == message


def test_a_file_name_with_a_line_break_stays_on_one_line(tmp_path):
    path = tmp_path / "a\nb.toml"
    path.write_text("[pack]\ncolour = 1\n", encoding="utf-8")
    with pytest.raises(PackError) as caught:
        load_pack(path)
    assert "\n" not in str(caught.value) and "a\\nb.toml:2:" in str(caught.value)


# ---------------------------------------------------------------------------------------
# Random packs: valid-looking files with hostile values


RULES = sorted(catalogue())
PARAMS = sorted((rule, name) for rule, spec in catalogue().items() for name in spec.params)
PLACEHOLDERS = ["{match}", "{pack}", "{replacement}", "{phrase}", "{word}", "{match:>99}",
                "{match!r}", "{match.__class__}", "{0}", "{}", "{{match}}", ":-}", "{", "}"]


def _toml(value) -> str:
    """``value`` written as an inline TOML value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"0x{value:x}" if value > 10**18 else str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, list):
        return "[" + ", ".join(map(_toml, value)) + "]"
    if isinstance(value, Deep):
        return "[" * value.depth + "]" * value.depth
    return "{" + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + "}"


class Deep:
    def __init__(self, depth: int) -> None:
        self.depth = depth


# Texts that look like a pack's: words, numbers, marks, placeholders (right and wrong).
words = st.lists(st.sampled_from(["cheap", "Kopi", "senja", "#ad", "re:(", "a*", "30%",
                                  "😀", "é", "iPhone", "-", "don't"]), min_size=1, max_size=3
                 ).map(" ".join)
def _sentences(pieces: list[str]):
    return st.lists(st.sampled_from(pieces), min_size=1, max_size=5).map("".join).filter(
        str.strip)


# And texts a careless or hostile hand writes.
texts = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", " ", "*", "re:.*", "\x1b[2J", "line\nbreak", "\u202eevil",
                     "tab\there", "x" * 300, "\x00"]))
numbers = st.one_of(
    st.integers(min_value=-10**6, max_value=10**6), st.sampled_from([0, -1, 10**40, 2**64]),
    st.integers(min_value=10**20, max_value=10**60),
    st.floats(allow_nan=True, allow_infinity=True))
scalars = st.one_of(texts, numbers, st.booleans())
hostile = st.one_of(
    scalars, st.lists(scalars, max_size=4), st.builds(Deep, st.integers(1, 2000)),
    st.dictionaries(st.sampled_from(["a", "phrase", "text", "bad"]), scalars, max_size=2))


def _rarely(bad, usually):
    """``bad`` one time in 16, else ``usually``: most keys of a pack look right."""
    return st.sampled_from(range(16)).flatmap(lambda n: bad if n == 15 else usually)


# A pack's messages: with placeholders every house rule fills, or now and then wrong ones.
sentences = _rarely(_sentences(PLACEHOLDERS + ["We say ", "cheap", " "]),
                    _sentences(["{pack}", "We say ", "cheap", " ", ".", ":-}", "{", "😀"]))


def _maybe(key: str, good, bad=hostile):
    return _rarely(bad.map(lambda v: {key: v}),
                   st.one_of(st.just({}), good.map(lambda v: {key: v})))


_KEYS = {"avoid": ("phrase", "phrases", ["suggestion", "replacement"]),
         "require": ("phrase", "when", ["suggestion"]),
         "case": ("word", "words", [])}


def _entry(kind: str):
    single, many, extra = _KEYS[kind]
    what = st.one_of(words.map(lambda w: {single: w}),
                     st.lists(words, min_size=1, max_size=3).map(lambda ws: {many: ws}))
    if kind == "require":  # "when" goes with "phrase"
        what = st.tuples(words, _maybe("when", st.lists(words, max_size=3))).map(
            lambda pw: {"phrase": pw[0], **pw[1]})
    parts = [
        _rarely(hostile.map(lambda v: {single: v, many: v}), what),
        _maybe("message", sentences), *[_maybe(key, sentences) for key in extra],
        _maybe("languages", st.lists(st.sampled_from(["en", "de"]), max_size=2),
               st.one_of(hostile, st.just(["fr"]), st.just(["EN"]))),
        _maybe("platforms", st.lists(st.sampled_from(["x", "mastodon"]), max_size=2),
               st.one_of(hostile, st.just(["myspace"]))),
        _maybe("severity", st.sampled_from(["info", "warning"]),
               st.one_of(hostile, st.sampled_from(["fatal", "Error"]))),
        _maybe("examples", st.fixed_dictionaries({}, optional={
            "bad": st.lists(st.just("A [[cheap]] deal."), max_size=2),
            "good": st.lists(words, max_size=2)}),
               st.one_of(hostile, st.fixed_dictionaries({"bad": st.lists(texts)}))),
        _rarely(texts.map(lambda v: {"colour": v}), st.just({})),
    ]
    return st.tuples(*parts).map(lambda ds: {k: v for d in ds for k, v in d.items()})


def _params():
    return st.dictionaries(
        st.one_of(st.sampled_from(RULES), st.sampled_from(["tone.capz", "no.such"])),
        _rarely(hostile, st.lists(st.sampled_from(PARAMS), max_size=2).flatmap(
            lambda ps: st.tuples(*[numbers for _ in ps]).map(
                lambda vs: {name: v for (_, name), v in zip(ps, vs, strict=True)}))),
        max_size=3)


settings_tables = st.fixed_dictionaries({}, optional={
    "disable": st.lists(st.sampled_from(RULES + ["question.nnone", "x"]), max_size=3),
    "enable": _rarely(hostile, st.lists(st.sampled_from(RULES), max_size=2)),
    "params": _params(),
    "languages": st.dictionaries(st.sampled_from(["en", "de", "fr"]), _params(), max_size=2),
    "platforms": st.dictionaries(
        st.sampled_from(["x", "mastodon", "myspace"]),
        st.dictionaries(st.sampled_from(["limit", "fold", "counting", "limt", "hashtags"]),
                        _rarely(hostile, st.one_of(numbers, st.sampled_from(["utf16", "x"]))),
                        max_size=3), max_size=2),
})

pack_data = st.fixed_dictionaries({}, optional={
    "pack": st.fixed_dictionaries({}, optional={
        "name": _rarely(texts, words), "description": _rarely(scalars, sentences),
        "version": _rarely(numbers, st.just(1))}),
    "avoid": st.lists(_entry("avoid"), max_size=3),
    "require": st.lists(_entry("require"), max_size=2),
    "case": st.lists(_entry("case"), max_size=2),
    "settings": _rarely(hostile, settings_tables),
})

_ERROR = re.compile(r"^brand\.toml(:\d+)?: (\[.+\] .+|not valid TOML: .+)$")


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    return []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pack_data, st.one_of(st.none(), st.integers(0, 2000)))
def test_random_packs_load_or_fail_in_one_line(data, cut):
    text = "\n".join(f"{json.dumps(key)} = {_toml(value)}" for key, value in data.items())
    if cut is not None:
        text = text[:cut]  # a file cut short
    try:
        pack = parse_pack(text, "brand.toml")
    except PackError as exc:
        message = str(exc)
        assert _ERROR.match(message), message
        assert message.isprintable() and len(message) < 600, message
        return
    draft = " ".join(_strings(data)[:20]) + " A cheap deal, partner? #ad 😀"
    for platform in (None, "x", "mastodon"):
        report = analyze(draft, language="en", platform=platform, packs=[pack])
        for f in report.findings:
            assert 0 <= f.start <= f.end <= len(draft)
            assert isinstance(f.message, str) and isinstance(f.suggestion, str)


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_as_a_pack_file(tmp_path_factory, raw):
    path = Path(tmp_path_factory.mktemp("pack")) / "brand.toml"
    path.write_bytes(raw)
    try:
        load_pack(path)
    except PackError as exc:
        assert str(exc).startswith(f"{path}") and "\n" not in str(exc)
