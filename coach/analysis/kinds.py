"""Rule kinds: what a rule that is only data does, shared by built-in rules and house packs.

A built-in rule whose whole job is a phrase list names its kind in the catalogue
(``resources/rules/<area>.toml``) and the language-file list that holds its phrases, and has
no Python of its own::

    ["tone.hard_sell"]
    kind = "existence"
    phrases = "tone.hard_sell"   # the list hard_sell in [tone] of every language file

The kinds:

* ``existence``: each phrase of the list found in the draft is a finding. Placeholders:
  ``phrase`` (what was found, on one line, at most 60 characters) and ``match`` (as
  written).
* ``substitution``: the list is of ``{ phrase, plain, fix }`` tables; each phrase found is a
  finding that offers the plain form (in the capitals of what was found), as a fix when
  ``fix = true`` says it can replace the phrase as is. Placeholders: ``phrase``, ``match``,
  ``plain``.
* ``absence``: a draft with none of the phrases is a finding (one). ``search`` says where
  they are looked for: ``"draft"`` (the default) or ``"last_sentence"``; ``span`` which
  sentence the finding marks: ``"first_sentence"`` or ``"last_sentence"`` (the default).
  A rule that declares a parameter ``min_chars`` leaves shorter drafts alone (white
  space around them not counted).
* ``require`` and ``case``: a phrase a draft must carry, a word's one right spelling (the
  house-pack kinds; a house pack's ``avoid`` is a substitution of its own phrases).

A declared rule may also say ``compounds = true`` (each part of a compound counts:
"Sommer-Sale" has "sale") and fill placeholders from texts of the language file:
``values = { example = "dialogue.sample_question" }``.

This module is the one place that reads a rule's phrase list out of the language files.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any

from .context import Check, Context
from .model import Finding
from .packs import RuleSpec, catalogue
from .phrases import PhraseList, lexicon_phrases
from .profile import LanguageProfile, Substitution

EXISTENCE, SUBSTITUTION, ABSENCE = "existence", "substitution", "absence"
DECLARED_KINDS = (EXISTENCE, SUBSTITUTION, ABSENCE)  # the kinds a catalogue entry may name
_QUOTE_LIMIT = 60  # characters of a found phrase quoted in a message


def quoted(text: str) -> str:
    """A found phrase as a message quotes it: on one line, at most 60 characters."""
    text = " ".join(text.split())
    return text if len(text) <= _QUOTE_LIMIT else text[: _QUOTE_LIMIT - 1].rstrip() + "…"


def language_value(profile: LanguageProfile, key: str) -> Any:
    """What a language profile holds at ``key`` ("area.name": ``[area] name``)."""
    if key in profile.rule_lists:
        return profile.rule_lists[key]
    area, _, name = key.partition(".")
    try:
        return getattr(getattr(profile, area), name)
    except AttributeError:  # a rule's own list, not written in this language's file
        return ()


def phrase_list(profile: LanguageProfile, key: str, *, compounds: bool = False) -> PhraseList:
    """The phrase list at ``key`` of a language profile, ready to find."""
    return lexicon_phrases(language_value(profile, key), compounds=compounds)


# ---------------------------------------------------------------------------------------
# The kinds


def matched_case(found: str, plain: str) -> str:
    """``plain`` in the capitals of ``found``: "Utilize" -> "Use", "UTILIZE" -> "USE"."""
    if len(found) > 1 and found.isupper():
        return plain.upper()
    if found[:1].isupper():
        return plain[:1].upper() + plain[1:]
    return plain


def existence(ctx: Context, rule: str, phrases: PhraseList,
              **values: Any) -> Iterator[Finding]:
    """A finding for each phrase of ``phrases`` in the draft."""
    text = ctx.text
    for start, end, _ in phrases.find(ctx.doc):
        yield ctx.finding(rule, start, end, phrase=quoted(text[start:end]),
                          match=text[start:end], **values)


def substitution(ctx: Context, rule: str, phrases: PhraseList,
                 entries: Mapping[str, Substitution], *, keep_case: bool = True,
                 **values: Any) -> Iterator[Finding]:
    """A finding for each phrase found, offering its entry's plain form (``keep_case``: in
    the capitals of what was found)."""
    text = ctx.text
    for start, end, phrase in phrases.find(ctx.doc):
        entry, found = entries[phrase], text[start:end]
        plain = matched_case(found, entry.plain) if keep_case else entry.plain
        yield ctx.finding(rule, start, end, fix=plain if entry.fix else None,
                          phrase=quoted(found), match=found, plain=plain, **values)


def absence(ctx: Context, rule: str, phrases: PhraseList, *, search: str = "draft",
            span: str = "last_sentence", min_chars: int = 0,
            **values: Any) -> Iterator[Finding]:
    """One finding, on the first or last sentence, for a draft without any of ``phrases``
    (in the whole draft, or in its last sentence: ``search``)."""
    sentences = ctx.doc.sentences
    if not sentences or len(ctx.text.strip()) < min_chars:
        return
    last = sentences[-1]
    where = (last.start, last.end) if search == "last_sentence" else (0, None)
    if phrases.find(ctx.doc, *where):
        return
    marked = sentences[0] if span == "first_sentence" else last
    yield ctx.finding(rule, marked.start, marked.end, **values)


def require(ctx: Context, rule: str, phrase: str, phrases: PhraseList,
            when: PhraseList | None = None, **values: Any) -> Iterator[Finding]:
    """A finding at the end of a draft that lacks ``phrases`` (when it has ``when``)."""
    if when is not None and not when.find(ctx.doc):
        return
    if phrases.find(ctx.doc):
        return
    end = len(ctx.text.rstrip())
    yield ctx.finding(rule, end, end, fix=(" " if end else "") + phrase, phrase=phrase,
                      **values)


def case(ctx: Context, rule: str, word: str, phrases: PhraseList,
         **values: Any) -> Iterator[Finding]:
    """A finding for each place ``word`` is written with other capitals."""
    text = ctx.text
    for start, end, _ in phrases.find(ctx.doc):
        if text[start:end] != word:
            yield ctx.finding(rule, start, end, fix=word, match=text[start:end], word=word,
                              **values)


# ---------------------------------------------------------------------------------------
# Built-in rules declared as data


@dataclass(frozen=True, slots=True)
class Declared:
    """A rule declared as data, ready to run in one language."""

    spec: RuleSpec
    phrases: PhraseList
    entries: Mapping[str, Substitution]  # substitution: each phrase's entry
    values: Mapping[str, str]  # placeholders filled from texts of the language file


@cache
def declared(profile: LanguageProfile, rule: str) -> Declared:
    """The rule ``rule`` (declared as data) with its lists of the language ``profile``."""
    spec = catalogue()[rule]
    if spec.kind == SUBSTITUTION:
        entries = MappingProxyType({e.phrase: e for e in language_value(profile, spec.phrases)})
        phrases = PhraseList(entries, allow_regex=False)
    else:
        entries = MappingProxyType({})
        phrases = phrase_list(profile, spec.phrases, compounds=spec.compounds)
    values = {name: str(language_value(profile, key) or "")
              for name, key in spec.values.items()}
    return Declared(spec, phrases, entries, MappingProxyType(values))


def run_declared(ctx: Context, rule: Declared) -> Iterable[Finding]:
    """The findings of one rule declared as data (its ``kind`` and ``phrases``)."""
    spec = rule.spec
    if spec.kind == EXISTENCE:
        return existence(ctx, spec.id, rule.phrases, **rule.values)
    if spec.kind == ABSENCE:
        return absence(ctx, spec.id, rule.phrases, search=spec.search, span=spec.span,
                       min_chars=ctx.params(spec.id).get("min_chars", 0), **rule.values)
    return substitution(ctx, spec.id, rule.phrases, rule.entries, **rule.values)


@cache
def declared_rules() -> tuple[RuleSpec, ...]:
    """The catalogue's rules that are only data, in the catalogue's order."""
    return tuple(spec for spec in catalogue().values() if spec.kind in DECLARED_KINDS)


def _run(ctx: Context) -> Iterator[Finding]:
    for spec in declared_rules():
        if spec.id in ctx.on:
            yield from run_declared(ctx, declared(ctx.pack, spec.id))


def check() -> Check:
    """The one check that runs every rule declared as data."""
    return Check(rules=tuple(spec.id for spec in declared_rules()), run=_run)
