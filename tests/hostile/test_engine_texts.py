"""Finding texts: ``{name}`` placeholders are a closed list per rule, filled literally.
A house pack's message cannot crash every check, allocate gigabytes or read attributes;
a pair of braces around anything but one of its rule's names is a load error naming file,
line and key, and the built-in catalogue passes the same test when it loads."""

from __future__ import annotations

import pytest

from coach.analysis import LANGUAGES, analyze, packs
from coach.analysis.house import parse_pack
from coach.analysis.packs import PackError, catalogue
from coach.analysis.profile import language_pack


def _avoid(message: str, key: str = "message") -> str:
    return f'[pack]\nname = "Acme"\n\n[[avoid]]\nphrase = "cheap"\n{key} = "{message}"\n'


def _messages(pack_text: str, text: str = "A cheap deal.") -> list[tuple[str, str]]:
    report = analyze(text, language="en", packs=[parse_pack(pack_text, "brand.toml")])
    return [(f.message, f.suggestion) for f in report.findings if f.rule.startswith("house.")]


@pytest.mark.parametrize("message", ["We never say cheap :-}", "Cheap? :-{", "} {",
                                     "{ not closed", "closed }"])
def test_a_brace_without_a_partner_is_text(message):
    assert _messages(_avoid(message)) == [(message, "Write “” instead.")]


def test_placeholders_are_filled_and_values_go_in_as_they_are():
    text = ('[pack]\nname = "{replacement} & co"\n\n[[avoid]]\nphrase = "cheap"\n'
            'replacement = "{pack}:{match!r}"\n'
            'message = "{match} is out at {pack}; {{match}} too."\n'
            'suggestion = "Say {replacement}, {replacement}."\n')
    assert _messages(text) == [("cheap is out at {replacement} & co; {cheap} too.",
                                "Say {pack}:{match!r}, {pack}:{match!r}.")]


@pytest.mark.parametrize("wrong", [
    "{match:>1000000000}", "{match!r}", "{match.__class__.__mro__}", "{match[0]}", "{0}",
    "{}", "{ match }", "{colour}", "{word}", "{match:}", "{pack.name}"])
@pytest.mark.parametrize("key", ["message", "suggestion"])
def test_anything_else_between_braces_is_a_load_error(wrong, key):
    with pytest.raises(PackError) as caught:
        parse_pack(_avoid(f"Cheap {wrong} is out.", key), "brand.toml")
    message = str(caught.value)
    assert message.startswith(f"brand.toml:6: [avoid[0].{key}] “{wrong}” is not a placeholder"
                              " of house.avoid: write one of {match}, {pack}, {replacement}")
    assert "\n" not in message


@pytest.mark.parametrize(("entry", "line", "good", "bad"), [
    ('[[require]]\nphrase = "#ad"\n', 6, "{phrase} for {pack}", "{match}"),
    ('[[case]]\nword = "TikTok"\n', 6, "{word}, not {match} ({pack})", "{phrase}"),
])
def test_each_house_rule_has_its_own_placeholders(entry, line, good, bad):
    assert parse_pack(f'{entry}message = "{good}"\n', "p.toml")
    with pytest.raises(PackError, match=f"^p.toml:{line - 3}: .* is not a placeholder"):
        parse_pack(f'{entry}message = "{bad}"\n', "p.toml")


def test_fill_leaves_a_placeholder_without_a_value_as_written():
    from coach.analysis.templates import fill

    assert fill("{a} and {b} :-}", {"a": "{b}"}) == "{b} and {b} :-}"
    assert fill("no placeholder", {"a": 1}) == "no placeholder"


def test_the_catalogue_is_checked_when_it_loads(tmp_path, monkeypatch):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "tone.toml").write_text(
        '["tone.x"]\narea = "tone"\nseverity = "info"\ntitle = "X"\n'
        'message = "{detail:>99999999}"\nwhy = "Y"\nsuggestion = "Z"\n'
        'placeholders = ["detail"]\n', encoding="utf-8")
    monkeypatch.setattr(packs, "resource", lambda *parts: tmp_path.joinpath(*parts))
    packs.catalogue.cache_clear()
    try:
        with pytest.raises(PackError, match=r"^resources/rules/tone.toml:5: \[tone.x.message\] "
                                            r"“\{detail:>99999999\}” is not a placeholder"):
            packs.catalogue()
    finally:
        monkeypatch.undo()
        packs.catalogue.cache_clear()
    assert "tone.caps" in catalogue()


def test_every_declared_placeholder_is_filled_by_its_check():
    # Every built-in rule's bad examples: nothing in braces is left in their texts.
    for lang in LANGUAGES:
        for sets in language_pack(lang).examples.values():
            for example in sets["bad"]:
                report = analyze(example.text, language=lang, platform=example.platform,
                                 kind=example.kind, comment=example.comment)
                for f in report.findings:
                    for name in catalogue()[f.rule].placeholders:
                        assert "{" + name + "}" not in f.message + f.suggestion, (f, lang)
