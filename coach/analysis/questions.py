"""Where are the questions in a draft, and what kind are they?

A reusable analyser (the dialogue checks, the platform fold check and the app all ask it).
A question is a clause that ends in "?" (the mark inside a URL such as ``?id=3`` is not
one), or an interrogative clause that lacks its mark ("What do you think."). Each one says
whether it is *open* (what / how / why…), *yes/no*, or neither ("Coffee or tea?",
"Thoughts?"), whether it speaks to the reader, and which marks it lacks.

The word lists live in the ``[dialogue]`` table of each language pack; see
``resources/languages/<code>.toml ([dialogue])`` for what each list means. The linguistic
heuristics, and where they stop:

* English and German put the question word first: a clause whose first word is an
  auxiliary or a finite verb ("Do you…", "Habt ihr…") is yes/no unless some clause part
  starts with a question word. Indonesian and Spanish also ask in place ("Mau makan
  apa?", "¿Y eso por qué?"), so a question word anywhere makes the question open.
* Indonesian ``apa`` is both "what" and, in speech, the yes/no marker: at the start of a
  question and followed by a subject or an auxiliary ("Apa kamu suka kopi?") it is the
  yes/no marker; anywhere else ("Apa pendapat kalian?", "Kalian suka apa?") it is "what".
  ``apakah`` and the ``-kah`` suffix ("bisakah", "pernahkah") mark yes/no questions, except
  on a question word ("siapakah") and on words that merely end in -kah ("langkah").
* Spanish question words carry an accent (qué, cómo); without it ("que", "como") they
  count only at the start of a question, where they are interrogative in casual writing.
* German verb-first questions are found by shape: a first word that looks like a finite
  verb (ends in -st, -t, -en…, and is not a known adverb or preposition) followed by a
  subject pronoun ("Kennst du…", "Habt ihr…").
* A question is *to the reader* unless it talks only about the writer ("Why did I do
  that?"); "What should I cook tonight?" asks the reader for advice and counts.
* Quoted questions (“Why?” they asked) are not questions the post asks.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from operator import methodcaller
from typing import NamedTuple

import regex

from .phrases import PhraseList, lexicon_phrases, raw_leads
from .profile import Dialogue, LanguageProfile, language_pack
from .text import Doc, Span, Token

# A clause ends outside a link ("page?id=1" is not a question) at a run of marks that
# holds a question mark, at other terminal punctuation that no letter or digit follows
# ("x.com" and "3.5" go on; "x..y" ends at the first dot), or at a line break.
_CLAUSE_END_RE = regex.compile(
    r"[.!…。！]*[?？‽⁇⁈⁉][.!?…。？！‽⁇⁈⁉]*|[.!…。！]+(?![\p{L}\p{N}])|\n")
_WIDE_QUESTION_MARKS = "？‽⁇⁈⁉"
_QUESTION_MARKS = frozenset("?" + _WIDE_QUESTION_MARKS)
_NEXT_CAPITAL_RE = regex.compile(r"[ \t]*\p{Lu}")
# The parts of a clause: "So tell me, what do you think?" has two. A hyphen separates
# only between spaces ("so - what"), not in "e-mail".
_SEPARATOR_RE = regex.compile(r"[,;:–—]|(?<=\s)-(?=\s)")
_OPEN_QUOTES = frozenset("\"“«‘„‚'")
_CLOSE_QUOTES = frozenset("\"”»’“‘'")
# A clause ending in these is a candidate for a missing "?"; "!" is not ("What a day!").
_PLAIN_ENDS = frozenset({"", "\n", ".", "。"})
# A clause longer than this is not taken for an unmarked question (run-on lines). Where
# a mark goes is a guess in a long run-on line, so a fix that adds a "?" without a full
# stop to replace, or a "¿", is offered only up to FIX_MAX_WORDS words.
UNMARKED_MAX_WORDS = 20
FIX_MAX_WORDS = 12
_SENTENCE_KINDS = frozenset({"word", "number", "hashtag", "mention"})


class Question(NamedTuple):
    """One question of a draft.

    ``open``: asks what / how / why… (a real answer). ``yes_no``: can be answered yes or
    no. Both are False when the form does not say ("Coffee or tea?", "Thoughts?").
    ``marked``: ends with its "?". ``missing``: the marks it lacks ("?", "¿" or "¿?"), and
    ``fix`` the text that would replace ``span`` to add them (None when not safe).
    """

    span: Span
    open: bool
    yes_no: bool
    to_reader: bool
    marked: bool
    missing: str = ""
    fix: str | None = None

    @property
    def start(self) -> int:
        return self.span.start

    @property
    def end(self) -> int:
        return self.span.end


@dataclass(frozen=True, slots=True)
class Lexicon:
    """What the question finder needs of a language: its ``[dialogue]`` profile, and the
    lists compiled from it once (phrase lists, unions, endings longest first)."""

    dialogue: Dialogue
    verb_endings: tuple[str, ...]
    reader_suffixes: tuple[str, ...]
    unmarked: PhraseList
    # The keys at which a phrase of ``unmarked`` can start (None when not known: a list
    # with literal phrases), and the pronouns of the unmarked questions found by shape:
    # a draft with none of either holds no unmarked question.
    unmarked_leads: frozenset[str] | None
    shape_subjects: frozenset[str]  # unmarked_subjects | unmarked_wh_subjects
    ask_reader: PhraseList
    # Unions for tests of a whole clause at once (see _addressing(), _to_reader()):
    addressing: frozenset[str]  # lead_ins | audience_words | reader_words
    reader_or_audience: frozenset[str]  # reader_words | audience_words
    # The words a question word can be or begin ("what", "how" of "how many"), for
    # _open_anywhere(); a word ending in closed_suffix can be one too ("siapakah").
    may_open: frozenset[str]


@cache
def lexicon(profile: LanguageProfile) -> Lexicon:
    """The dialogue lexicon of a language (cached: profiles are read-only)."""
    d = profile.dialogue
    unmarked = list(d.unmarked)
    # (The phrase list tries a raw expression only at its leads; see phrases.raw_leads.)
    unmarked_leads = None
    if all(p.startswith("re:") for p in unmarked):
        unmarked_leads = frozenset().union(*(raw_leads(p[3:]) for p in unmarked))
    return Lexicon(
        dialogue=d,
        verb_endings=tuple(sorted(d.verb_endings, key=len, reverse=True)),
        reader_suffixes=tuple(d.reader_suffixes),
        unmarked=lexicon_phrases(d.unmarked, compounds=True),
        unmarked_leads=unmarked_leads,
        shape_subjects=d.unmarked_subjects | d.unmarked_wh_subjects,
        ask_reader=lexicon_phrases(d.ask_reader, compounds=True),
        addressing=d.lead_ins | d.audience_words | d.reader_words,
        reader_or_audience=d.reader_words | d.audience_words,
        may_open=d.ambiguous_open | d.open_words
        | {w.partition(" ")[0] for w in d.open_words if " " in w},
    )


def is_reader_word(word: str, lex: Lexicon) -> bool:
    """A second-person word: "you", "kalian", "ustedes", "euch", or Indonesian "-mu"."""
    if word in lex.dialogue.reader_words:
        return True
    return bool(lex.reader_suffixes) and word.endswith(lex.reader_suffixes) \
        and word not in lex.dialogue.reader_suffix_except \
        and any(word.endswith(s) and len(word) > len(s) for s in lex.reader_suffixes)


# ---------------------------------------------------------------------------------------
# The words of a draft, folded once


class WordView:
    """The word tokens of a Doc with their folded forms, and where clause parts break.

    Built once per Doc (see :func:`view`); the dialogue checks index into it instead of
    folding and slicing words again for every question.
    """

    def __init__(self, doc: Doc) -> None:
        # No reference back to the Doc: it keeps this view (Doc.memo), and a cycle would
        # leave every draft to the garbage collector.
        self.tokens: list[Token] = doc.words
        self.starts: list[int] = doc.word_starts
        self.folded: list[str] = doc.word_keys
        # Where a comma, colon, semicolon or dash stands, in order; a clause's parts are
        # found from these when asked for.
        self.separators = [m.start() for m in _SEPARATOR_RE.finditer(doc.text)]
        self._parts: dict[tuple[int, int], list[tuple[int, int]]] = {}

    def range(self, start: int, end: int) -> tuple[int, int]:
        """Indices [lo, hi) of the words inside text[start:end]."""
        lo = bisect_left(self.starts, start)
        hi = bisect_left(self.starts, end, lo)
        while hi > lo and self.tokens[hi - 1].end > end:
            hi -= 1
        return lo, hi

    def breaks(self, lo: int, hi: int) -> list[int]:
        """The indices i in (lo, hi) where a separator stands between word i-1 and word i."""
        words, starts, separators = self.tokens, self.starts, self.separators
        found: list[int] = []
        if hi - lo < 2:
            return found
        j = bisect_left(separators, words[lo].end)
        while j < len(separators) and separators[j] < starts[hi - 1]:
            at = separators[j]
            i = bisect_left(starts, at, lo + 1, hi - 1)
            if words[i - 1].end <= at and (not found or found[-1] != i):
                found.append(i)
            j += 1
        return found

    def last_part(self, lo: int, hi: int) -> tuple[int, int]:
        """The last of :meth:`parts` (words [lo, hi) must not be empty)."""
        # As breaks() would find it, from the last separator back: usually that one.
        words, starts, separators = self.tokens, self.starts, self.separators
        if hi - lo >= 2:
            first = words[lo].end
            j = bisect_left(separators, starts[hi - 1])
            while j > 0 and separators[j - 1] >= first:
                j -= 1
                at = separators[j]
                i = bisect_left(starts, at, lo + 1, hi - 1)
                if words[i - 1].end <= at:
                    return i, hi
        return lo, hi

    def parts(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """The parts of words [lo, hi), split at commas, colons, semicolons and dashes
        (kept: several helpers ask for the parts of the same question)."""
        parts = self._parts.get((lo, hi))
        if parts is not None:
            return parts
        parts = self._parts[lo, hi] = []
        first = lo
        for i in self.breaks(lo, hi):
            parts.append((first, i))
            first = i
        if hi > lo:
            parts.append((first, hi))
        return parts


def view(doc: Doc) -> WordView:
    """The :class:`WordView` of ``doc`` (computed once per Doc)."""
    return doc.memo(WordView)


# ---------------------------------------------------------------------------------------
# Open or closed


def _skip_lead_ins(f: list[str], lo: int, hi: int, lex: Lexicon) -> int:
    while lo < hi - 1 and f[lo] in lex.dialogue.lead_ins:
        lo += 1
    return lo


def _is_open_word(f: list[str], i: int, hi: int, lex: Lexicon, *, at_start: bool) -> bool:
    word = f[i]
    nxt = f[i + 1] if i + 1 < hi else ""
    if word in lex.dialogue.ambiguous_open:
        return nxt not in lex.dialogue.ambiguous_closed_next
    if word in lex.dialogue.open_words or (at_start and word in lex.dialogue.open_starts):
        return True
    if nxt and (f"{word} {nxt}" in lex.dialogue.open_words
                or (at_start and f"{word} {nxt}" in lex.dialogue.open_starts)):
        return True
    suffix = lex.dialogue.closed_suffix
    return bool(suffix) and word.endswith(suffix) \
        and word[: -len(suffix)] in lex.dialogue.open_words


def _looks_like_verb(word: str, lex: Lexicon) -> bool:
    return (len(word) >= 3 and bool(lex.verb_endings) and word.endswith(lex.verb_endings)
            and word not in lex.dialogue.not_verbs and word not in lex.dialogue.open_words)


def _is_closed_start(f: list[str], i: int, hi: int, lex: Lexicon) -> bool:
    word = f[i]
    nxt = f[i + 1] if i + 1 < hi else ""
    if word in lex.dialogue.closed_starts:
        return True
    if word in lex.dialogue.ambiguous_open and nxt in lex.dialogue.ambiguous_closed_next:
        return True
    suffix = lex.dialogue.closed_suffix
    if suffix and word.endswith(suffix) and len(word) > len(suffix) + 1 \
            and word not in lex.dialogue.closed_suffix_except \
            and word[: -len(suffix)] not in lex.dialogue.open_words:
        return True
    return bool(nxt) and nxt in lex.dialogue.verb_first_subjects and _looks_like_verb(word, lex)


def _open_anywhere(f: list[str], lo: int, hi: int, lex: Lexicon) -> bool:
    suffix = lex.dialogue.closed_suffix
    if lex.may_open.isdisjoint(f[lo:hi]) and not (
            suffix and any(map(methodcaller("endswith", suffix), f[lo:hi]))):
        return False  # most questions: no word to look at closer
    return any(_is_open_word(f, i, hi, lex, at_start=False) for i in range(lo, hi)
               if f[i] in lex.may_open or (suffix and f[i].endswith(suffix)))


def _classify(v: WordView, lo: int, hi: int, lex: Lexicon) -> tuple[bool, bool]:
    """(open, yes_no) for the question made of words [lo, hi)."""
    f = v.folded
    closed = False
    for a, b in v.parts(lo, hi):
        a = _skip_lead_ins(f, a, b, lex)
        if _is_open_word(f, a, b, lex, at_start=True):
            return True, False
        closed = closed or _is_closed_start(f, a, b, lex)
    if (lex.dialogue.wh_in_situ or not closed) and _open_anywhere(f, lo, hi, lex):
        return True, False
    if closed:
        # "Does anyone know where I can buy one?" asks the crowd for an answer.
        if not lex.dialogue.crowd_words.isdisjoint(f[lo:hi]) and _open_anywhere(f, lo, hi, lex):
            return True, False
        return False, True
    k = hi - 1
    if f[k] in lex.dialogue.tag_particles and k > lo and f[k - 1] in lex.dialogue.closed_tags:
        k -= 1  # "Enak gak sih?", "Klingt gut, oder nicht?"
    if f[k] in lex.dialogue.closed_tags and (
            k == lo or not lex.dialogue.tag_needs_comma or k in v.breaks(lo, hi)):
        return False, True
    return False, False


def _addressing(f: list[str], lo: int, hi: int, lex: Lexicon) -> bool:
    """Words [lo, hi) only greet or name the readers: "Friends,", "Menurut kalian,"."""
    if lex.addressing.issuperset(f[lo:hi]):
        return True
    if not lex.reader_suffixes:
        return False
    # The others must be "you"s by their suffix ("temanmu").
    others = set(f[lo:hi]).difference(lex.addressing)
    return all(map(methodcaller("endswith", lex.reader_suffixes), others)) \
        and all(is_reader_word(w, lex) for w in others)


def _asking_part(v: WordView, lo: int, hi: int, lex: Lexicon) -> int:
    """Index of the word where the question proper starts: the first part that starts
    with a question word or an auxiliary ("petani dieng rugi… - apakah memungkinkan?"),
    with the greeting or the readers' name before it ("Friends, what…")."""
    f = v.folded
    for a, b in v.parts(lo, hi):
        k = _skip_lead_ins(f, a, b, lex)
        if _is_open_word(f, k, b, lex, at_start=True) or _is_closed_start(f, k, b, lex):
            return lo if _addressing(f, lo, a, lex) else a
    return lo


def _to_reader(doc: Doc, v: WordView, lo: int, hi: int, start: int, end: int,
               lex: Lexicon) -> bool:
    """False only for a question about the writer: "Why did I do that?". The writer is
    looked for from the asking part on: "I don't follow comics, does this mean…?" asks."""
    if doc.text[:1] == "@":
        return True  # a post that starts with @someone asks them
    f = v.folded
    if not lex.reader_or_audience.isdisjoint(f[lo:hi]):
        return True
    # (Other "you"s end in a suffix: "bukumu".)
    if lex.reader_suffixes and any(
            is_reader_word(w, lex)
            for w in filter(methodcaller("endswith", lex.reader_suffixes), f[lo:hi])):
        return True
    if lex.dialogue.self_singular.isdisjoint(f[_asking_part(v, lo, hi, lex):hi]):
        return True
    return bool(lex.ask_reader.find(doc, start, end))


# ---------------------------------------------------------------------------------------
# Finding the questions


def _boundaries(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) of each clause terminator, in order."""
    text = doc.text
    # The links and e-mail addresses (only a text with an "@" can hold an address).
    links = doc.urls if "@" not in text else [t for t in doc.tokens
                                              if t.kind in ("url", "email")]
    link_starts = [t.start for t in links]

    def in_link(at: int) -> bool:
        i = bisect_right(link_starts, at) - 1
        return i >= 0 and at < links[i].end

    marks = [m.span() for m in _CLAUSE_END_RE.finditer(text) if not in_link(m.start())]
    # On social media an emoji often ends a sentence: "Big news 🐶 Are you ready"
    # (an empty terminator: the clause ends where the emoji starts).
    emoji = [(t.start, t.start) for t in doc.emoji if _capital_after(text, t.end)]
    return sorted(marks + emoji) if emoji else marks


def _has_question_mark(text: str) -> bool:
    # (An ASCII text can hold only "?"; the others are looked for with one C test each.)
    return "?" in text or (not text.isascii()
                           and any(map(text.__contains__, _WIDE_QUESTION_MARKS)))


def _capital_after(text: str, i: int) -> bool:
    """Whether a capital letter follows offset ``i``, after spaces or tabs if any."""
    return _NEXT_CAPITAL_RE.match(text, i) is not None


def _clauses(doc: Doc) -> list[tuple[int, int, int, bool]]:
    """(start, end, terminator end, asks) of each clause; the terminator is
    text[end:term_end], and ``asks`` says whether it holds a question mark.

    A question mark set apart ("did you see that... ?") belongs to the clause before.
    """
    text = doc.text
    clauses: list[tuple[int, int, int, bool]] = []
    cursor = 0  # where the next clause starts
    asked = True  # the last clause's terminator holds a question mark (or there is none)
    for start, end in _boundaries(doc):
        if start < cursor:
            continue
        asks = not _QUESTION_MARKS.isdisjoint(text[start:end])
        if asks and not asked and not text[cursor:start].strip():
            clauses[-1] = (*clauses[-1][:2], end, True)  # joins the terminator before
        else:
            clauses.append((cursor, start, end, asks))
        asked, cursor = asks, end
    if cursor < len(text):
        clauses.append((cursor, len(text), len(text), False))
    return clauses


def _trails_off(term: str) -> bool:
    """Whether a clause ends in "…" or "..." (and nothing else)."""
    return term != "" and (not term.strip("…") or (len(term) > 1 and not term.strip(".")))


def _quoted(text: str, start: int, mark_end: int) -> bool:
    after = text[mark_end] if mark_end < len(text) else ""
    return after != "" and after in _CLOSE_QUOTES and any(
        ch in _OPEN_QUOTES for ch in text[max(start - 1, 0):mark_end - 1])


def _opening_fix_at(v: WordView, lo: int, hi: int, lex: Lexicon) -> int | None:
    """Index of the word before which the opening mark goes: the part that starts with a
    question word, or the first word when the clause has one part; None when unclear."""
    f = v.folded
    parts = v.parts(lo, hi)
    for a, b in parts:
        if _is_open_word(f, _skip_lead_ins(f, a, b, lex), b, lex, at_start=True):
            return a
    return lo if len(parts) == 1 else None


def _may_open_unmarked(word: str, lex: Lexicon) -> bool:
    """Whether a phrase of ``lex.unmarked`` can start at the word with this key. The list
    looks there by the word's first piece ("what" of "what-if", the list reads the parts
    of compounds) and that piece's first part ("what" of "what's")."""
    if lex.unmarked_leads is None:
        return True
    piece = word.partition("-")[0]
    return piece in lex.unmarked_leads or piece.partition("'")[0] in lex.unmarked_leads


def _unmarked_at(doc: Doc, v: WordView, lo: int, hi: int, end: int,
                 lex: Lexicon) -> int | None:
    """Index of the first word of the interrogative part of a clause with no "?", or None.

    That part must run to the end of the clause ("Kapan kamu datang, kabari aku." is a
    statement) and follow nothing but a greeting or the readers' name ("Friends, what
    do you think." but not "Perhatikan sikapku, apakah aku…", where apakah is "whether").
    """
    f = v.folded
    a, b = v.last_part(lo, hi)
    if not _addressing(f, lo, a, lex):
        return None
    i = _skip_lead_ins(f, a, b, lex)
    if _may_open_unmarked(f[i], lex) \
            and lex.unmarked.match_at(doc, v.tokens[i].start, end) is not None:
        return a
    # By shape (German): "Kennst du das." / "Was denkt ihr." A word must follow the
    # pronoun, so "Jetzt du." is not a question.
    if b - i >= 3 and f[i + 1] in lex.dialogue.unmarked_subjects and _looks_like_verb(f[i], lex):
        return a
    if b - i >= 3 and _is_open_word(f, i, b, lex, at_start=True) \
            and f[i + 2] in lex.dialogue.unmarked_wh_subjects and _looks_like_verb(f[i + 1], lex):
        return a
    return None


def _may_ask(doc: Doc, lex: Lexicon) -> tuple[bool, bool]:
    """Whether ``doc`` may hold an unmarked question, and whether it holds the language's
    opening mark ("¿"). Without either, a question needs its "?" (most drafts have none)."""
    # An unmarked question starts with one of its words: a lead of the phrases, or a
    # pronoun of the shapes (the index's names hold every word's key, and a few more).
    unmarked = lex.unmarked_leads is None \
        or not lex.unmarked_leads.isdisjoint(doc.piece_index.names) \
        or not lex.shape_subjects.isdisjoint(doc.index.names)
    return unmarked, bool(lex.dialogue.opening_mark) and lex.dialogue.opening_mark in doc.text


def _find(doc: Doc, lex: Lexicon) -> Iterator[Question]:
    text, mark = doc.text, lex.dialogue.opening_mark
    unmarked, opened = _may_ask(doc, lex)
    if not unmarked and not opened and not _has_question_mark(text):
        return
    v = view(doc)
    for start, end, term_end, marked in _clauses(doc):
        if not (marked or unmarked or opened and text.find(mark, start, end) >= 0):
            continue
        term = text[end:term_end]
        # (Only a terminator with a question mark holds white space: see _clauses().)
        trailing = False
        if not marked and term not in _PLAIN_ENDS:
            trailing = _trails_off(term)
            if not trailing:
                continue  # "Wow!" asks nothing, with or without a mark
        lo, hi = v.range(start, end)
        if lo == hi:
            continue
        opening = text.rfind(mark, start, end) if mark else -1
        if opening >= 0:
            lo = v.range(opening, end)[0]
            if lo == hi:
                continue  # "¿" after the last word: nothing asked
        if marked:
            found = _marked(doc, v, lo, hi, opening, (end, term_end), lex)
        else:
            found = _unmarked_question(doc, v, lo, hi, opening, (end, term_end), trailing, lex)
        if found is not None:
            yield found


def _marked(doc: Doc, v: WordView, lo: int, hi: int, opening: int,
            ends: tuple[int, int], lex: Lexicon) -> Question | None:
    """The question of a clause that ends with its "?" (words [lo, hi) of the view);
    ``opening`` is where its "¿" stands (-1: none), ``ends`` the clause's and its mark's."""
    text, mark = doc.text, lex.dialogue.opening_mark
    end, term_end = ends
    if _quoted(text, v.tokens[lo].start, term_end) or text[end - 1:end] == "(":
        return None  # a quoted question, or the irony mark "(?)"
    open_, yes_no = _classify(v, lo, hi, lex)
    q_start = opening if opening >= 0 else v.tokens[_asking_part(v, lo, hi, lex)].start
    missing, fix = "", None
    if mark and opening < 0:
        missing = mark
        at = _opening_fix_at(v, lo, hi, lex)
        if at is not None:
            q_start = v.tokens[at].start
            if hi - at <= FIX_MAX_WORDS:
                fix = mark + text[q_start:term_end]
    return Question(Span(q_start, term_end), open_, yes_no,
                    _to_reader(doc, v, lo, hi, q_start, term_end, lex), True, missing, fix)


def _unmarked_question(doc: Doc, v: WordView, lo: int, hi: int, opening: int,
                       ends: tuple[int, int], trailing: bool, lex: Lexicon
                       ) -> Question | None:
    """The question a clause without a "?" asks, if it is one (see :func:`_marked` for
    the arguments); ``trailing``: it trails off ("What do you think…")."""
    text, mark = doc.text, lex.dialogue.opening_mark
    end, term_end = ends
    if hi - lo > UNMARKED_MAX_WORDS:
        return None
    if opening >= 0:
        q_start = opening
    else:
        at = _unmarked_at(doc, v, lo, hi, end, lex)
        if at is None:
            return None
        lo, q_start = at, v.tokens[at].start
    if text[end:term_end].strip():
        q_end, fix = term_end, text[q_start:end] + "?"  # "What do you think." -> "?"
    else:
        # No full stop: the "?" goes after the last word, hashtag or mention (not after
        # trailing emoji). In a long run-on line that place is a guess: no fix.
        q_end = max(_last_sentence_token_end(doc, end), v.tokens[hi - 1].end)
        fix = text[q_start:q_end] + "?" if hi - lo <= FIX_MAX_WORDS else None
    missing = "?"
    if mark and opening < 0:
        missing = mark + "?"
        fix = mark + fix if fix is not None else None
    if trailing:
        # "What do you think…" trails off on purpose: a question, not a missing mark.
        q_end, missing, fix = term_end, "", None
    open_, yes_no = _classify(v, lo, hi, lex)
    return Question(Span(q_start, q_end), open_, yes_no,
                    _to_reader(doc, v, lo, hi, q_start, q_end, lex), False, missing, fix)


def _last_sentence_token_end(doc: Doc, end: int) -> int:
    """The end of the last word, hashtag or mention that starts before ``end``."""
    i = bisect_right(doc.index.starts, end) - 1
    while i > 0 and doc.tokens[i].kind not in _SENTENCE_KINDS:
        i -= 1
    return doc.tokens[i].end


def questions(doc: Doc, pack: LanguageProfile | None = None) -> tuple[Question, ...]:
    """The questions of ``doc`` in text order (computed once per Doc and language)."""
    return doc.memo(_questions, pack if pack is not None else language_pack(doc.language))


def _questions(doc: Doc, profile: LanguageProfile) -> tuple[Question, ...]:
    return tuple(_find(doc, lexicon(profile)))
