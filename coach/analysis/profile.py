"""The declared language profile: every key a language file may hold, and its loader.

A language is one file, ``resources/languages/<code>.toml``, with six areas of knowledge
([language], [dialogue], [tone], [readability], [platform], [reply]), per-language
parameters ([params."rule"]) and the examples of every rule ([examples."rule"]). Each key
of an area is declared here once, as a field of that area's frozen dataclass, with its
kind, default (or required), a one-line meaning and the rules that use it. The loader
is strict: an unknown or misspelt key, a value of the wrong kind or a missing required
key is a :class:`~coach.analysis.packs.PackError` naming the file, the line and the key.

Word and phrase lists are normalised once, here, by :func:`coach.analysis.text.word_key`
(NFC, case folding, ’ read as '): ``words`` become sets of such keys. ``python -m
coach.analysis.profile --markdown`` writes docs/language-profile.md from these declarations.
"""

from __future__ import annotations

import dataclasses
import sys
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import regex

from .formulas import formulas
from .language_files import folders, language_files, shipped_folder
from .packs import Example, Validator, catalogue, parse_example, parse_toml, shown
from .text import word_key

# ---------------------------------------------------------------------------------------
# Kinds of value


@dataclass(frozen=True, slots=True)
class Kind:
    """What a key holds, how the file writes it, and how the loader reads it."""

    name: str
    written: str  # as docs/language-profile.md says it
    read: Callable[[Validator, Any, str], Any]


def _nfc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _words(v: Validator, value: Any, key: str) -> frozenset[str]:
    return frozenset(word_key(w) for w in v.strings(value, key))


def _forms(v: Validator, value: Any, key: str) -> tuple[str, ...]:
    return tuple(_nfc(w) for w in v.strings(value, key))


def _patterns(v: Validator, value: Any, key: str) -> tuple[str, ...]:
    items = v.strings(value, key)
    for item in items:
        _pattern(v, item, key)
    return items


def _pattern(v: Validator, value: Any, key: str) -> str:
    text = v.string(value, key)
    try:
        regex.compile(text)
    except regex.error as exc:
        raise v.error(key, f"is not a valid regular expression: {exc}") from None
    return text


def _flag(v: Validator, value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise v.error(key, f"must be true or false, not {shown(value)}")
    return value


def _whole(v: Validator, value: Any, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise v.error(key, f"must be a whole number, not {shown(value)}")
    return value


@dataclass(frozen=True, slots=True, eq=False)
class Phrases:
    """A phrase list as written (syntax of :mod:`coach.analysis.phrases`); it compares
    by identity, so a compiled list can be cached for it."""

    items: tuple[str, ...]

    def __iter__(self) -> Iterator[str]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def _phrases(v: Validator, value: Any, key: str) -> Phrases:
    return Phrases(tuple(_nfc(p) for p in v.strings(value, key)))


@dataclass(frozen=True, slots=True)
class Substitution:
    """A phrase and the plain words to use instead (``fix``: offered as a fix)."""

    phrase: str
    plain: str
    fix: bool = False


def _substitutions(v: Validator, value: Any, key: str) -> tuple[Substitution, ...]:
    if not isinstance(value, list):
        raise v.error(key, "must be a list of { phrase = \"...\", plain = \"...\" } tables")
    out = []
    for i, raw in enumerate(value):
        where = f"{key}[{i}]"
        table = v.table(raw, where)
        v.keys(table, {"phrase", "plain", "fix"}, where)
        out.append(Substitution(_nfc(v.string(table.get("phrase"), f"{where}.phrase")),
                                v.string(table.get("plain"), f"{where}.plain"),
                                _flag(v, table.get("fix", False), f"{where}.fix")))
    return tuple(out)


def _word(v: Validator, value: Any, key: str) -> str:
    return word_key(v.string(value, key))


def _text(v: Validator, value: Any, key: str) -> str:
    return _nfc(v.string(value, key))


WORDS = Kind("words", "list of words, matched as word keys (NFC, case-folded, ’ as ')",
             _words)
FORMS = Kind("forms", "list of words kept as written (their spelling or capitals matter)",
             _forms)
PHRASES = Kind("phrases", "list of phrases (phrase syntax: spaces, a trailing *, re:)",
               _phrases)
PATTERNS = Kind("patterns", "list of regular expressions", _patterns)
PATTERN = Kind("pattern", "one regular expression", _pattern)
SUBSTITUTIONS = Kind("substitutions", "list of { phrase, plain, fix } tables",
                     _substitutions)
WORD = Kind("word", "one word, read as a word key", _word)
TEXT = Kind("text", "a text", _text)
FLAG = Kind("flag", "true or false", _flag)
NUMBER = Kind("number", "a whole number", _whole)

_REQUIRED = object()


def key(kind: Kind, meaning: str, rules: tuple[str, ...] = (), default: Any = _REQUIRED,
        choices: Callable[[], Mapping[str, Any]] | tuple[str, ...] = ()) -> Any:
    """Declare one key of an area: its kind, meaning, the rules that use it, its default
    (none: the key is required) and, for a text, the values it may take."""
    meta = {"kind": kind, "meaning": meaning, "rules": rules, "choices": choices}
    if default is _REQUIRED:
        return field(metadata=meta)
    return field(default=default, metadata=meta)


# ---------------------------------------------------------------------------------------
# The areas and their keys

QUESTIONS = ("question.none", "question.closed", "question.buried", "question.too_many",
             "question.unmarked", "audience.no_invitation")
CLOSED = ("question.closed",)
OPEN = ("question.closed", "question.none", "audience.no_invitation")
UNMARKED = ("question.unmarked",)
READER = ("question.closed", "audience.no_invitation", "audience.self_focus")
SELF = ("audience.self_focus",)
CAPS = ("tone.caps",)
STRETCH = ("tone.stretched",)
HOSTILE = ("tone.hostile",)
HARD = ("readability.hard",)
HASHTAGS = ("platform.hashtags",)
NEXT = ("reply.no_next_step",)


@dataclass(frozen=True, slots=True, eq=False)
class LanguageArea:
    """[language]: who the language is."""

    code: str = key(TEXT, "The language code, the file's name (en, de, …)")
    name: str = key(TEXT, "The language's name as people read it (menus, reports)")
    order: int = key(NUMBER, "Where the language stands in lists: menus, --lang (lower "
                             "first)", default=100)


@dataclass(frozen=True, slots=True, eq=False)
class Dialogue:
    """[dialogue]: questions, who a post speaks to, prompts, bait and ads."""

    sample_question: str = key(TEXT, "An open question the messages quote as an example",
                               ("question.none", "question.closed", "audience.engagement_bait",
                                "audience.one_way_ad"))
    sample_prompt: str = key(TEXT, "A prompt without a question mark the messages quote",
                             ("audience.no_invitation",))
    open_hint: str = key(TEXT, "The question words a message names", CLOSED)
    reader_hint: str = key(TEXT, "The words for the reader a message names", SELF)
    open_words: frozenset[str] = key(WORDS, "Question words: a question they open is open",
                                     QUESTIONS, frozenset())
    open_starts: frozenset[str] = key(WORDS, "Words that open an open question only at its "
                                             "start", QUESTIONS, frozenset())
    wh_in_situ: bool = key(FLAG, "A question word may stand anywhere in an open question",
                           QUESTIONS, False)
    closed_starts: frozenset[str] = key(WORDS, "Words (auxiliaries) that start a yes/no "
                                               "question", CLOSED, frozenset())
    verb_endings: frozenset[str] = key(WORDS, "Verb endings: a verb first makes a yes/no "
                                              "question", CLOSED, frozenset())
    verb_first_subjects: frozenset[str] = key(WORDS, "Subjects after a first verb that make "
                                                     "it a yes/no question", CLOSED,
                                              frozenset())
    not_verbs: frozenset[str] = key(WORDS, "Words with a verb ending that are not verbs",
                                    (*CLOSED, *SELF), frozenset())
    closed_tags: frozenset[str] = key(WORDS, "Tags that make a question yes/no (…, right?)",
                                      CLOSED, frozenset())
    tag_particles: frozenset[str] = key(WORDS, "Particles that may follow a tag (…, ya kan?)",
                                        CLOSED, frozenset())
    tag_needs_comma: bool = key(FLAG, "A tag counts only after a comma", CLOSED, True)
    lead_ins: frozenset[str] = key(WORDS, "Words skipped before the question word or the "
                                          "auxiliary", QUESTIONS, frozenset())
    ambiguous_open: frozenset[str] = key(WORDS, "Words that are question words only in some "
                                                "places", QUESTIONS, frozenset())
    ambiguous_closed_next: frozenset[str] = key(WORDS, "Words after an ambiguous question "
                                                       "word that make it yes/no", CLOSED,
                                                frozenset())
    closed_suffix: str = key(WORD, "An ending that makes a word a yes/no question word "
                                   "(Indonesian -kah)", CLOSED, "")
    closed_suffix_except: frozenset[str] = key(WORDS, "Words with that ending that are not "
                                                      "yes/no question words", CLOSED,
                                               frozenset())
    unmarked: Phrases = key(PHRASES, "Questions written without a question mark", UNMARKED,
                            Phrases(()))
    unmarked_subjects: frozenset[str] = key(WORDS, "Subjects after a first verb in a question "
                                                   "without a mark", UNMARKED, frozenset())
    unmarked_wh_subjects: frozenset[str] = key(WORDS, "Subjects after a question word in a "
                                                      "question without a mark", UNMARKED,
                                               frozenset())
    opening_mark: str = key(TEXT, "The mark that opens a question (Spanish ¿)", UNMARKED, "")
    reader_words: frozenset[str] = key(WORDS, "Words for the reader (you, your)", READER,
                                       frozenset())
    reader_suffixes: frozenset[str] = key(WORDS, "Endings that make a word speak to the "
                                                 "reader (-mu)", READER, frozenset())
    reader_suffix_except: frozenset[str] = key(WORDS, "Words with such an ending that do not",
                                               READER, frozenset())
    formal_you: frozenset[str] = key(WORDS, "The formal you (Sie)", SELF, frozenset())
    ambiguous_you: frozenset[str] = key(WORDS, "Words that are 'you' only in some places "
                                               "(sie, ihr)", SELF, frozenset())
    plural_you_endings: frozenset[str] = key(WORDS, "Verb endings after which ihr is 'you'",
                                             SELF, frozenset())
    her_after: frozenset[str] = key(WORDS, "Words after which ihr is 'her'", SELF,
                                    frozenset())
    audience_words: frozenset[str] = key(WORDS, "Words for the crowd (anyone, everyone)",
                                         READER, frozenset())
    crowd_words: frozenset[str] = key(WORDS, "The crowd asked for an answer: a yes/no "
                                             "question to it counts as open", CLOSED,
                                      frozenset())
    self_singular: frozenset[str] = key(WORDS, "The writer as subject (I)", QUESTIONS,
                                        frozenset())
    ask_reader: Phrases = key(PHRASES, "Phrases that make a question about the writer ask "
                                       "the reader", QUESTIONS, Phrases(()))
    self_words: frozenset[str] = key(WORDS, "We and our (audience.self_focus)", SELF,
                                     frozenset())
    self_exclude_exact: tuple[str, ...] = key(FORMS, "Words, written exactly so, that are "
                                                     "never 'we' (US)", SELF, ())
    invitations: Phrases = key(PHRASES, "Prompts that invite a reply without a question",
                               ("question.none", "audience.no_invitation"), Phrases(()))
    bait: Phrases = key(PHRASES, "Engagement bait (comment, react, share, tag, vote)",
                        ("audience.engagement_bait",), Phrases(()))
    promo_calls: Phrases = key(PHRASES, "Calls to buy", ("audience.one_way_ad",), Phrases(()))
    promo_words: Phrases = key(PHRASES, "Words of an advert", ("audience.one_way_ad",),
                               Phrases(()))


@dataclass(frozen=True, slots=True, eq=False)
class Tone:
    """[tone]: capitals, stretched words, hard selling and hostility."""

    acronyms: frozenset[str] = key(WORDS, "Words written in capitals (the English list "
                                          "counts in every language)", (*CAPS, *STRETCH),
                                   frozenset())
    known_words: tuple[str, ...] = key(FORMS, "Words as normally written (a fix spells them "
                                              "so)", (*CAPS, *STRETCH), ())
    caps_fix_unknown: str = key(TEXT, "The fix for capitals with a word of unknown case: "
                                      "lowercase, or none", CAPS, "lowercase",
                                choices=("lowercase", "none"))
    stretched_words: tuple[str, ...] = key(FORMS, "Words a stretched word may be (a fix "
                                                  "spells them so)", STRETCH, ())
    expressive: tuple[str, ...] = key(PATTERNS, "Expressions, lower case, of a whole word "
                                                "that is never shouting or stretching "
                                                "(haha)", (*CAPS, *STRETCH), ())
    hard_sell: Phrases = key(PHRASES, "Pushy sales phrases", ("tone.hard_sell",), Phrases(()))
    hostile: Phrases = key(PHRASES, "Hostile phrases", HOSTILE, Phrases(()))
    insults: Phrases = key(PHRASES, "Insults, hostile when aimed at someone", HOSTILE,
                           Phrases(()))
    insult_targets_before: Phrases = key(PHRASES, "Who an insult is aimed at, before it "
                                                  "(you)", HOSTILE, Phrases(()))
    insult_targets_after: Phrases = key(PHRASES, "Who an insult is aimed at, after it",
                                        HOSTILE, Phrases(()))
    insult_fillers: Phrases = key(PHRASES, "Words that may stand between the target and "
                                           "the insult", HOSTILE, Phrases(()))


@dataclass(frozen=True, slots=True, eq=False)
class Readability:
    """[readability]: the formula, syllables and jargon."""

    formula: str = key(TEXT, "The readability formula (resources/readability/formulas.toml)",
                       HARD, choices=formulas)
    calibrated: bool = key(FLAG, "The formula is calibrated for the language", HARD, True)
    note: str = key(TEXT, "A note the result shows (e.g. that it is a rough guide)", HARD, "")
    syllable_vowels: str = key(PATTERN, "A vowel group: one syllable", HARD, r"[aeiouy]+")
    syllable_split: tuple[str, ...] = key(PATTERNS, "Vowel pairs that are two syllables",
                                          HARD, ())
    syllable_merge: tuple[str, ...] = key(PATTERNS, "Vowel groups that are no syllable "
                                                    "(a silent e)", HARD, ())
    syllable_exceptions: str = key(TEXT, "A file of words with their syllable counts "
                                         "(resources/readability)", HARD, "")
    jargon: tuple[Substitution, ...] = key(SUBSTITUTIONS, "Jargon and the plain words for it",
                                           ("readability.jargon",), ())


@dataclass(frozen=True, slots=True, eq=False)
class Platform:
    """[platform]: the words of hashtags (kept as written: a tag is split at its
    characters, so the check lowers them itself rather than case-folding ß to ss)."""

    hashtag_words: tuple[str, ...] = key(FORMS, "Words a hashtag may be made of", HASHTAGS, ())
    hashtag_compound_parts: tuple[str, ...] = key(FORMS, "Parts a language writes closed; "
                                                         "capitalised: a noun", HASHTAGS, ())
    hashtag_joiners: tuple[str, ...] = key(FORMS, "Short words only between two others "
                                                  "(of, for)", HASHTAGS, ())
    hashtag_single_words: tuple[str, ...] = key(FORMS, "Words that may stand alone in a tag",
                                                HASHTAGS, ())
    hashtag_suffixes: tuple[str, ...] = key(FORMS, "Endings a word may take inside a tag",
                                            HASHTAGS, ())


@dataclass(frozen=True, slots=True, eq=False)
class Reply:
    """[reply]: the words of a reply to a comment."""

    acknowledgement: Phrases = key(PHRASES, "Phrases that show the comment was heard",
                                   ("reply.no_acknowledgement",), Phrases(()))
    defensive: Phrases = key(PHRASES, "Defensive phrases", ("reply.defensive",), Phrases(()))
    next_step: Phrases = key(PHRASES, "Offers to help further", NEXT, Phrases(()))
    praise: Phrases = key(PHRASES, "Praise: a comment of only praise needs no next step",
                          NEXT, Phrases(()))
    complaint: Phrases = key(PHRASES, "Complaint words: praise with one still needs a next "
                                      "step", NEXT, Phrases(()))


AREAS: Mapping[str, type] = MappingProxyType({
    "language": LanguageArea, "dialogue": Dialogue, "tone": Tone, "readability": Readability,
    "platform": Platform, "reply": Reply})


@dataclass(frozen=True, slots=True, eq=False)
class LanguageProfile:
    """Everything the checks know of one language; it compares by identity (so that
    what a check compiles from it can be cached by it)."""

    source: str
    language: LanguageArea
    dialogue: Dialogue
    tone: Tone
    readability: Readability
    platform: Platform
    reply: Reply
    params: Mapping[str, Mapping[str, Any]]  # rule id -> parameter overrides
    examples: Mapping[str, Mapping[str, tuple[Example, ...]]]  # rule -> "bad"/"good"
    rule_lists: Mapping[str, Any]  # "area.name" -> the list of a rule declared as data

    @property
    def code(self) -> str:
        return self.language.code

    @property
    def name(self) -> str:
        return self.language.name


# ---------------------------------------------------------------------------------------
# The loader


def _read_area(v: Validator, area: str, value: Any) -> tuple[Any, dict[str, Any]]:
    """An area's declared keys, and the lists of the data rules kept in it (by "area.name")."""
    cls = AREAS[area]
    table = v.table(value, area)
    declared = {f.name: f for f in dataclasses.fields(cls)}
    owned = {key.partition(".")[2]: kind for key, kind in rule_lists().items()
             if key.partition(".")[0] == area}
    v.keys(table, {**declared, **owned}, area)
    values = {}
    for name, spec in declared.items():
        where = f"{area}.{name}"
        if name not in table:
            if spec.default is dataclasses.MISSING:
                raise v.error(where, f"missing required key {name!r} in [{area}]")
            continue
        meta = spec.metadata
        values[name] = meta["kind"].read(v, table[name], where)
        choices = meta["choices"]
        if choices:
            allowed = tuple(choices() if callable(choices) else choices)
            v.choice(values[name], where, allowed)
    lists = {f"{area}.{name}": kind.read(v, table[name], f"{area}.{name}")
             for name, kind in owned.items() if name in table}
    return cls(**values), lists


@cache
def rule_lists() -> Mapping[str, Kind]:
    """The language-file keys that a rule declared as data names ("area.name") and no area
    declares, with their kind: such a rule brings its own list (docs/extending.md)."""
    found: dict[str, Kind] = {}
    for spec in catalogue().values():
        if spec.kind:
            found[spec.phrases] = SUBSTITUTIONS if spec.kind == "substitution" else PHRASES
            found.update(dict.fromkeys(spec.values.values(), TEXT))
    return MappingProxyType({key: kind for key, kind in found.items()
                             if key.partition(".")[2] not in _declared_names(key)})


def _declared_names(key: str) -> set[str]:
    cls = AREAS.get(key.partition(".")[0])
    return {f.name for f in dataclasses.fields(cls)} if cls else set()


def _read_params(v: Validator, value: Any) -> Mapping[str, Mapping[str, Any]]:
    known = catalogue()
    params = v.table(value, "params")
    for rule_id, overrides in params.items():
        if rule_id not in known:
            raise v.error(f"params.{rule_id}", f"unknown rule {rule_id!r}")
        v.keys(v.table(overrides, f"params.{rule_id}"), known[rule_id].params,
               f"params.{rule_id}")
        for name, number in overrides.items():
            problem = known[rule_id].param_specs[name].problem(number)
            if problem is not None:
                raise v.error(f"params.{rule_id}.{name}", problem)
    return MappingProxyType({k: MappingProxyType(dict(p)) for k, p in params.items()})


def _read_examples(v: Validator, value: Any) -> Mapping[str, Mapping[str, tuple[Example, ...]]]:
    known = catalogue()
    examples: dict[str, Mapping[str, tuple[Example, ...]]] = {}
    for rule_id, table in v.table(value, "examples").items():
        if rule_id not in known:
            raise v.error(f"examples.{rule_id}", f"examples for unknown rule {rule_id!r}")
        v.keys(v.table(table, f"examples.{rule_id}"), {"bad", "good"}, f"examples.{rule_id}")
        examples[rule_id] = MappingProxyType({
            which: tuple(parse_example(v, item, f"examples.{rule_id}.{which}",
                                       bad=which == "bad")
                         for item in table.get(which, []))
            for which in ("bad", "good")
        })
    return MappingProxyType(examples)


def load_profile(path: Path | str, source: str | None = None) -> LanguageProfile:
    """Read one language file strictly (errors name ``source``, by default the path)."""
    path = Path(path)
    source = source or str(path)
    text = path.read_text(encoding="utf-8")
    data = parse_toml(text, source)
    v = Validator(source, text)
    v.keys(data, {*AREAS, "params", "examples"}, "")
    areas, lists = {}, {}
    for area in AREAS:
        areas[area], owned = _read_area(v, area, data.get(area, {}))
        lists.update(owned)
    if areas["language"].code != path.stem:
        raise v.error("language.code", f"must be {path.stem!r}, the file's name")
    return LanguageProfile(source=source, params=_read_params(v, data.get("params", {})),
                           examples=_read_examples(v, data.get("examples", {})),
                           rule_lists=MappingProxyType(lists), **areas)


@cache
def rule_params(rule: str, profile: LanguageProfile) -> Mapping[str, Any]:
    """A rule's parameters in a language before any house pack or setting: the catalogue's
    defaults, then the language file's ``[params]``."""
    return MappingProxyType({**catalogue()[rule].params, **profile.params.get(rule, {})})


def language_codes() -> tuple[str, ...]:
    """The codes of every language file present (the shipped ones and any extra folder)."""
    return _codes(folders())


@cache
def _codes(search: tuple[Path, ...]) -> tuple[str, ...]:
    return tuple(language_files(search))


def language_pack(code: str) -> LanguageProfile:
    """The profile of language ``code`` (read once)."""
    return _profile(code, folders())


@cache
def _profile(code: str, search: tuple[Path, ...]) -> LanguageProfile:
    files = language_files(search)
    if code not in files:
        raise ValueError(f"unknown language {code!r} (expected one of {', '.join(files)})")
    return _load(files[code])


@cache
def _load(path: Path) -> LanguageProfile:
    shipped = path.parent == shipped_folder()
    return load_profile(path, f"resources/languages/{path.name}" if shipped else None)


# ---------------------------------------------------------------------------------------
# docs/language-profile.md


def declarations() -> Iterator[tuple[str, dataclasses.Field[Any]]]:
    """Every declared key, as (area, field), in the order of the file."""
    for area, cls in AREAS.items():
        for spec in dataclasses.fields(cls):
            yield area, spec


def _default(spec: dataclasses.Field[Any]) -> str:
    if spec.default is dataclasses.MISSING:
        return "required"
    value = spec.default
    if isinstance(value, Phrases | frozenset | tuple) and not len(value):
        return "empty"
    return f"`{value!r}`".replace("True", "true").replace("False", "false").replace("'", '"')


def markdown() -> str:
    """docs/language-profile.md: every key of a language file, from the declarations."""
    lines = [
        "# The language profile",
        "",
        "Every key a language file (`resources/languages/<code>.toml`) may hold. Generated "
        "from `coach/analysis/profile.py` by `python -m coach.analysis.profile --markdown`; "
        "a test checks that it is current.",
        "",
        "A file may also hold `[params.\"rule\"]` (a rule's parameters in this language; see "
        "the rule catalogue, `resources/rules/`) and `[examples.\"rule\"]` (`bad` and `good` "
        "examples of a rule; a bad one marks its span with `[[` and `]]`).",
        "",
        "To add a language, write `resources/languages/<code>.toml` with at least the "
        "required keys and an example of every rule; the coach lists it from the file. "
        "Language detection knows it only once `resources/languages/detect` has its row "
        "(until then, pick the language by hand). `tests/fixtures/languages/xx.toml` is a "
        "small made-up language that shows what a file needs.",
        "",
        "Kinds:",
        "",
    ]
    kinds = {spec.metadata["kind"].name: spec.metadata["kind"] for _, spec in declarations()}
    lines += [f"- **{k.name}**: {k.written}" for k in kinds.values()]
    for area, cls in AREAS.items():
        about = " ".join((cls.__doc__ or "").split(": ", 1)[-1].split())
        lines += ["", f"## [{area}]", "", about[:1].upper() + about[1:], "",
                  "| Key | Kind | Default | Meaning | Rules |", "|---|---|---|---|---|"]
        for spec in dataclasses.fields(cls):
            meta = spec.metadata
            choices = meta["choices"]
            meaning = meta["meaning"]
            if choices and not callable(choices):
                meaning += f" ({', '.join(choices)})"
            rules = ", ".join(f"`{r}`" for r in meta["rules"]) or "(all)"
            lines.append(f"| `{spec.name}` | {meta['kind'].name} | {_default(spec)} | "
                         f"{meaning} | {rules} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    if sys.argv[1:] != ["--markdown"]:
        sys.exit("usage: python -m coach.analysis.profile --markdown")
    sys.stdout.write(markdown())
