"""The declared language profile (coach/analysis/profile.py): the shipped languages load
through it, every key is declared, a misspelt or mistyped key is an error naming file,
line and key, and a new language needs data files only."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from coach.analysis import LANGUAGES, analyze
from coach.analysis.language_files import extra_languages, language_files, shipped_folder
from coach.analysis.packs import PackError
from coach.analysis.profile import (
    AREAS,
    declarations,
    language_codes,
    language_pack,
    load_profile,
    markdown,
)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "languages"


def _key_lines(text: str) -> dict[tuple[str, str], int]:
    """(area, key) -> the line that writes it, for the keys of the profile's areas."""
    found, area = {}, None
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"\[(\w+)\]\s*$", line)
        if header:
            area = header.group(1) if header.group(1) in AREAS else None
        elif line.startswith("["):
            area = None
        elif area:
            written = re.match(r"(\w+)\s*=", line)
            if written:
                found[(area, written.group(1))] = number
    return found


def _written_keys():
    for code in LANGUAGES:
        path = shipped_folder() / f"{code}.toml"
        for (area, name), line in _key_lines(path.read_text(encoding="utf-8")).items():
            yield pytest.param(code, area, name, line, id=f"{code}-{area}.{name}")


WRITTEN = list(_written_keys())


def test_every_key_written_in_a_shipped_language_is_declared():
    declared = {(area, spec.name) for area, spec in declarations()}
    assert {p.values[1:3] for p in WRITTEN} <= declared
    assert len(declared) >= 70


@pytest.mark.parametrize(("code", "area", "name", "line"), WRITTEN)
def test_a_renamed_key_is_an_error_naming_file_line_and_key(tmp_path, code, area, name, line):
    lines = (shipped_folder() / f"{code}.toml").read_text(encoding="utf-8").splitlines()
    lines[line - 1] = lines[line - 1].replace(name, f"{name}_x", 1)
    copy = tmp_path / f"{code}.toml"
    copy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(PackError) as caught:
        load_profile(copy)
    error = caught.value
    assert (error.source, error.line, error.key) == (str(copy), line, f"{area}.{name}_x")
    assert "unknown key" in error.problem


def _load_edited(tmp_path, code: str, old: str, new: str) -> PackError:
    text = (shipped_folder() / f"{code}.toml").read_text(encoding="utf-8")
    assert old in text
    copy = tmp_path / f"{code}.toml"
    copy.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(PackError) as caught:
        load_profile(copy)
    return caught.value


def test_the_issue_s_typo_is_caught(tmp_path):
    error = _load_edited(tmp_path, "es", "\nclosed_starts =", "\nclosed_start =")
    assert error.key == "dialogue.closed_start" and "did you mean 'closed_starts'" in str(error)


@pytest.mark.parametrize(("old", "new", "key", "problem"), [
    ('closed_starts = ["do"', 'closed_starts = [1, "do"', "dialogue.closed_starts", "list"),
    ("wh_in_situ = false", 'wh_in_situ = "no"', "dialogue.wh_in_situ", "true or false"),
    ('formula = "flesch"', 'formula = "flesh"', "readability.formula", "did you mean"),
    ('sample_question = "What would you try first?"\n', "", "dialogue.sample_question",
     "missing required key"),
    ('[examples."question.none"]', '[examples."question.nothing"]',
     "examples.question.nothing", "unknown rule"),
])
def test_a_wrong_value_or_a_missing_key_is_an_error(tmp_path, old, new, key, problem):
    error = _load_edited(tmp_path, "en", old, new)
    assert error.key == key and problem in str(error) and error.line


def test_word_lists_are_normalised_once_by_the_loader(tmp_path):
    text = (shipped_folder() / "en.toml").read_text(encoding="utf-8")
    copy = tmp_path / "en.toml"
    written = 'closed_starts = ["DOESN’T", "Cafe\u0301",'
    copy.write_text(text.replace('closed_starts = ["do",', written), encoding="utf-8")
    words = load_profile(copy).dialogue.closed_starts
    assert "doesn't" in words and "café" in words  # folded, ’ as ', NFC


def test_languages_and_their_names_come_from_the_files():
    assert LANGUAGES == ("en", "id", "es", "de")
    assert set(LANGUAGES) == {p.stem for p in shipped_folder().glob("*.toml")}
    assert [language_pack(code).name for code in LANGUAGES] == [
        "English", "Indonesian", "Spanish", "German"]
    from coach.ui.facts import LANGUAGE_NAMES

    assert {code: language_pack(code).name for code in LANGUAGES} == LANGUAGE_NAMES


def test_the_detector_table_script_lists_the_same_languages():
    script = ROOT / "resources" / "languages" / "detect" / "make_table.py"
    source = script.read_text(encoding="utf-8")
    namespace: dict = {"__file__": str(script), "__name__": "make_table"}
    sys.modules.setdefault("brotli", type(sys)("brotli"))  # (the script's build dependency)
    exec(compile(source, str(script), "exec"), namespace)
    assert namespace["LANGUAGES"] == LANGUAGES


def test_docs_language_profile_is_current():
    written = (ROOT / "docs" / "language-profile.md").read_text(encoding="utf-8")
    assert written == markdown(), "run: python -m coach.analysis.profile --markdown > " \
                                  "docs/language-profile.md"


def test_the_docs_can_be_written_from_the_command_line():
    out = subprocess.run([sys.executable, "-m", "coach.analysis.profile", "--markdown"],
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out == markdown()


# ---------------------------------------------------------------------------------------
# A new language is data only: the fixture language "xx"


def _fixture_examples(which: str):
    profile = load_profile(FIXTURES / "xx.toml")
    for rule, sets in sorted(profile.examples.items()):
        for i, example in enumerate(sets[which]):
            yield pytest.param(rule, example, id=f"xx-{rule}-{which}{i}")


def _run(example):
    return analyze(example.text, language="xx", platform=example.platform, kind=example.kind,
                   comment=example.comment)


def test_the_fixture_language_is_known_only_inside_the_block():
    assert "xx" not in language_codes()
    with extra_languages(FIXTURES):
        assert language_codes() == (*LANGUAGES, "xx")
        assert language_pack("xx").name == "Xish"
        assert language_files()["xx"] == FIXTURES / "xx.toml"
    assert "xx" not in language_codes()
    with pytest.raises(ValueError, match="unknown language"):
        analyze("Ke tu ama?", language="xx")


@pytest.mark.parametrize(("rule", "example"), list(_fixture_examples("bad")))
def test_fixture_bad_example_fires_at_marked_span(rule, example):
    with extra_languages(FIXTURES):
        report = _run(example)
    hits = [f for f in report.findings if f.rule == rule]
    assert example.span in [(f.start, f.end) for f in hits], (rule, example.text, hits)
    if example.fix is not None:
        assert example.fix in [f.fix for f in hits if (f.start, f.end) == example.span]


@pytest.mark.parametrize(("rule", "example"), list(_fixture_examples("good")))
def test_fixture_good_example_does_not_fire(rule, example):
    with extra_languages(FIXTURES):
        report = _run(example)
    assert not [f for f in report.findings if f.rule == rule], (rule, example.text)


def test_every_check_runs_on_the_fixture_language():
    with extra_languages(FIXTURES):
        for platform in (None, "x", "instagram"):
            for kind in ("post", "reply"):
                report = analyze("OLA TODOS!!! Ke tu ama? #PanBonDia Kompra ora. Tu es idiota.",
                                 language="xx", platform=platform, kind=kind, comment="Bon!")
                assert report.language == "xx" and report.scores is not None


def test_a_language_without_a_detector_column_is_chosen_not_detected():
    from coach.analysis.language import detected_languages

    assert detected_languages() == LANGUAGES  # the shipped table has a column for each
    with extra_languages(FIXTURES):
        assert analyze("What would you try first, friends?").language == "en"
        assert analyze("Ke tu ama?", language="xx").language_source == "given"
