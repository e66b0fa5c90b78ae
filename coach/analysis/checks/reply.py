"""Reply drafts: does the answer to a comment acknowledge it, stay calm, and offer a next step?

These rules run only for ``kind="reply"`` (their catalogue entries say so). The phrase
lists are ``[reply]`` in each language pack:

* ``reply.no_acknowledgement``: none of ``acknowledgement`` ("thanks", "sorry", "I hear
  you", "terima kasih sudah", "gracias por", "danke für") anywhere in the reply. The span
  is the first sentence, where a thank-you or an "I understand" belongs. An absence rule
  declared as data (coach/analysis/kinds.py), with no code here.
* ``reply.defensive``: each phrase of ``defensive`` ("as we already said", "you are
  wrong", a sentence that opens with "Actually"), marked where it is: an existence rule
  declared as data (coach/analysis/kinds.py), with no code here.
* ``reply.no_next_step``: none of ``next_step`` (help further, a direct message, an e-mail,
  "let us know"), no question back to the person and no link. Not asked of a reply to a comment
  that only praises (a ``praise`` phrase, no question mark, no ``complaint`` phrase):
  a warm thank-you is the whole answer there. The span is the last sentence.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Check, Context
from ..model import Finding
from ..phrases import lexicon_phrases
from ..profile import Phrases
from ..text import Doc

NEXT_STEP = "reply.no_next_step"


def _has(ctx: Context, phrases: Phrases, doc: Doc | None = None) -> bool:
    """Whether the reply (or ``doc``) has a phrase of the list ``phrases``."""
    return bool(lexicon_phrases(phrases).find(doc or ctx.doc))


def comment_is_praise(ctx: Context) -> bool:
    """True when the comment being answered only praises: nothing to follow up on."""
    comment = ctx.doc.comment
    if not comment.strip() or "?" in comment or "¿" in comment:
        return False
    # In the comment a hashtag counts as its word: "#Danke" thanks as well as "Danke".
    doc = Doc(comment.replace("#", " "), language=ctx.language)
    words = ctx.pack.reply
    return _has(ctx, words.praise, doc) and not _has(ctx, words.complaint, doc)


def run(ctx: Context) -> Iterator[Finding]:
    """reply.no_next_step: an absence of phrases, with conditions a kind does not have (a
    question mark or a link is a next step too; a comment that only praises needs none)."""
    sentences = ctx.doc.sentences
    if not sentences:
        return
    if ctx.enabled(NEXT_STEP) and "?" not in ctx.text and not ctx.doc.urls \
            and not _has(ctx, ctx.pack.reply.next_step) and not comment_is_praise(ctx):
        last = sentences[-1]
        yield ctx.finding(NEXT_STEP, last.start, last.end)


CHECK = Check(rules=(NEXT_STEP,), run=run)
