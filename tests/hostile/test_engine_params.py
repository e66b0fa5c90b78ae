"""Rule parameters and platform facts have a declared type and range (beside each rule in
resources/rules/, and in resources/platforms.toml [overrides]); a value outside it, or an
unknown rule or parameter, is refused the same way from the command line (exit 2), from a
house pack (a load error naming file, line and key) and from the Python API."""

from __future__ import annotations

import io
import re
import sys

import pytest

from coach.analysis import Settings, packs
from coach.analysis.house import parse_pack
from coach.analysis.packs import PackError, catalogue
from coach.cli import main

RANGE = "must be a whole number from 1 to 1,000"


def _check(argv, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Hello there."),
                                                       encoding="utf-8"))
    status = main(["check", *argv, "-"])
    return status, capsys.readouterr().err


@pytest.mark.parametrize(("value", "shown"), [
    ("abc", "'abc'"), ("-5", "-5"), ("0", "0"), ("1001", "1001"), ("2.5", "'2.5'"),
    ("", "''"), ("1" * 5000, "'1111111111"), ("true", "'true'")])
def test_set_refuses_a_value_outside_the_declared_range(value, shown, monkeypatch, capsys):
    status, err = _check(["--set", f"readability.long_sentence.max_words={value}"],
                         monkeypatch, capsys)
    assert status == 2
    assert err.startswith(f"coach check: --set: readability.long_sentence.max_words {RANGE}, "
                          f"not {shown}")
    assert len(err.splitlines()) == 1 and len(err) < 200


@pytest.mark.parametrize(("item", "message"), [
    ("tone.caps.shouting_line_share=nan", "tone.caps.shouting_line_share must be a number "
                                          "from 0.0 to 1.0, not nan"),
    ("tone.caps.shouting_line_share=1.5", "must be a number from 0.0 to 1.0, not 1.5"),
    ("readability.long_sentence.max_word=5",
     "readability.long_sentence has no parameter 'max_word'; did you mean 'max_words'?"),
    ("readability.long_sentense.max_words=5",
     "unknown rule 'readability.long_sentense'; did you mean 'readability.long_sentence'?"),
    ("readability.jargon.max=5", "readability.jargon has no parameters"),
])
def test_set_names_the_rule_and_parameter(item, message, monkeypatch, capsys):
    status, err = _check(["--set", item], monkeypatch, capsys)
    assert status == 2 and message in err and len(err.splitlines()) == 1


def test_set_takes_a_value_in_range(monkeypatch, capsys):
    status, err = _check(["--set", "readability.long_sentence.max_words=20",
                          "--set", "tone.caps.shouting_line_share=0.5"], monkeypatch, capsys)
    assert (status, err) == (0, "")


def test_disable_suggests_the_rule_meant(monkeypatch, capsys):
    status, err = _check(["--disable", "question.nnone"], monkeypatch, capsys)
    assert status == 2 and "did you mean 'question.none'?" in err


@pytest.mark.parametrize(("body", "line", "key", "problem"), [
    ('[settings.params."readability.long_sentence"]\nmax_words = -5\n', 2,
     'settings.params.readability.long_sentence.max_words', f"{RANGE}, not -5"),
    ('[settings.params."readability.long_sentence"]\nmax_words = 25.5\n', 2,
     'settings.params.readability.long_sentence.max_words', f"{RANGE}, not 25.5"),
    ('[settings.params."readability.long_sentence"]\nmax_words = true\n', 2,
     'settings.params.readability.long_sentence.max_words', f"{RANGE}, not True"),
    ('[settings.languages.de."readability.long_sentence"]\nmax_words = 100000\n', 2,
     'settings.languages.de.readability.long_sentence.max_words', f"{RANGE}, not 100000"),
    ('[settings.params."tone.caps"]\nshouting_line_share = nan\n', 2,
     'settings.params.tone.caps.shouting_line_share', "must be a number from 0.0 to 1.0"),
    ('[settings.params."readability.long_sentence"]\nmax_word = 5\n', 2,
     'settings.params.readability.long_sentence.max_word', "did you mean 'max_words'?"),
    ('[settings]\ndisable = ["question.nnone"]\n', 2,
     'settings.disable', "unknown rule 'question.nnone'; did you mean 'question.none'?"),
    ('[settings.platforms.x]\nlimit = -1\n', 2, 'settings.platforms.x.limit',
     "must be a whole number from 0 to 1,000,000, not -1"),
    ('[settings.platforms.x]\nlimit = 10_000_000_000\n', 2, 'settings.platforms.x.limit',
     "must be a whole number from 0 to 1,000,000, not 10000000000"),
    ('[settings.platforms.x]\nfold = true\n', 2, 'settings.platforms.x.fold',
     "must be a whole number from 0 to 1,000,000, not True"),
    ('[settings.platforms.x]\ncounting = "letters"\n', 2, 'settings.platforms.x.counting',
     "must be one of weighted, graphemes, code_points, utf16, utf8_emoji, not 'letters'"),
    ('[settings.platforms.mastodn]\nlimit = 1\n', 1, 'settings.platforms.mastodn',
     "did you mean 'mastodon'?"),
])
def test_a_pack_value_outside_the_range_is_a_load_error(body, line, key, problem):
    with pytest.raises(PackError) as caught:
        parse_pack(body, "brand.toml")
    message = str(caught.value)
    assert message.startswith(f"brand.toml:{line}: [{key}] ") and problem in message
    assert "\n" not in message


@pytest.mark.parametrize(("settings", "message"), [
    ({"params": {"readability.long_sentence": {"max_words": -5}}},
     f"readability.long_sentence.max_words {RANGE}, not -5"),
    ({"language_params": {"de": {"tone.stretched": {"min_run": 2}}}},
     "de: tone.stretched.min_run must be a whole number from 3 to 100, not 2"),
    ({"platforms": {"mastodon": {"limit": 10**30}}},
     "platforms.mastodon.limit must be a whole number from 0 to 1,000,000"),
    ({"platforms": {"x": {"limt": 10}}},
     "platforms.x.limt is not a fact a setting can change; did you mean 'limit'?"),
])
def test_settings_refuse_what_packs_and_the_command_line_refuse(settings, message):
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        Settings(**settings)


def _catalogue_with(tmp_path, monkeypatch, params: str):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "tone.toml").write_text(
        '["tone.x"]\narea = "tone"\nseverity = "info"\ntitle = "X"\nmessage = "M"\n'
        f'why = "Y"\nsuggestion = "Z"\n{params}\n', encoding="utf-8")
    monkeypatch.setattr(packs, "resource", lambda *parts: tmp_path.joinpath(*parts))
    packs.catalogue.cache_clear()


@pytest.mark.parametrize(("params", "problem"), [
    ("params = { max_run = 2 }", "[tone.x.params.max_run] must be a table, not int"),
    ('params.max_run = { default = 2, min = 0, max = 9 }',
     "[tone.x.params.max_run.type] must be one of int, number, not None"),
    ('params.max_run = { type = "int", default = 2 }',
     "[tone.x.params.max_run.min] must be a number, not None"),
    ('params.max_run = { type = "int", default = 20, min = 0, max = 9 }',
     "[tone.x.params.max_run.default] must be a whole number from 0 to 9, not 20"),
    ('params.max_run = { type = "int", default = 2, min = 0.5, max = 9 }',
     "[tone.x.params.max_run.min] must be a whole number, not 0.5"),
])
def test_every_catalogue_parameter_needs_its_declaration(tmp_path, monkeypatch, params,
                                                         problem):
    _catalogue_with(tmp_path, monkeypatch, params)
    try:
        with pytest.raises(PackError) as caught:
            packs.catalogue()
        assert str(caught.value).startswith("resources/rules/tone.toml:8: " + problem)
    finally:
        monkeypatch.undo()
        packs.catalogue.cache_clear()


def test_every_shipped_parameter_is_declared_with_its_default_in_range():
    for spec in catalogue().values():
        assert spec.params.keys() == spec.param_specs.keys()
        for name, param in spec.param_specs.items():
            assert param.problem(spec.params[name]) is None, (spec.id, name)


def test_a_deeply_nested_value_from_the_api_is_refused_without_printing_it():
    deep: list = []
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(ValueError, match=r"^tone.caps.acronym_max_letters must be a whole "
                                         r"number from 0 to 20, not a list$"):
        Settings(params={"tone.caps": {"acronym_max_letters": deep}})
    with pytest.raises(ValueError, match=r"^platforms.x.limit must be a whole number from 0 "
                                         r"to 1,000,000, not a table$"):
        Settings(platforms={"x": {"limit": {"a": deep}}})
