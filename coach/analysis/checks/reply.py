"""Reply drafts: does the answer to a comment acknowledge it, stay calm, and offer a next step?

These rules run only for ``kind="reply"`` (their catalogue entries say so). The phrase
lists are ``[reply]`` in each language pack:

* ``reply.no_acknowledgement``: none of ``acknowledgement`` ("thanks", "sorry", "I hear
  you", "terima kasih sudah", "gracias por", "danke für") anywhere in the reply. The span
  is the first sentence, where a thank-you or an "I understand" belongs.
* ``reply.defensive``: each phrase of ``defensive`` ("as we already said", "you are
  wrong", a sentence that opens with "Actually"), marked where it is.
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
from ..text import Doc

ACKNOWLEDGEMENT = "reply.no_acknowledgement"
DEFENSIVE = "reply.defensive"
NEXT_STEP = "reply.no_next_step"


def _has(ctx: Context, name: str, doc: Doc | None = None) -> bool:
    """Whether the reply (or ``doc``) has a phrase of the list ``[reply] name``."""
    return bool(lexicon_phrases(ctx.language, "reply", name).find(doc or ctx.doc))


def comment_is_praise(ctx: Context) -> bool:
    """True when the comment being answered only praises: nothing to follow up on."""
    comment = ctx.doc.comment
    if not comment.strip() or "?" in comment or "¿" in comment:
        return False
    # In the comment a hashtag counts as its word: "#Danke" thanks as well as "Danke".
    doc = Doc(comment.replace("#", " "), language=ctx.language)
    return _has(ctx, "praise", doc) and not _has(ctx, "complaint", doc)


def run(ctx: Context) -> Iterator[Finding]:
    sentences = ctx.doc.sentences
    if not sentences:
        return
    if ctx.enabled(ACKNOWLEDGEMENT) and not _has(ctx, "acknowledgement"):
        first = sentences[0]
        yield ctx.finding(ACKNOWLEDGEMENT, first.start, first.end)
    if ctx.enabled(DEFENSIVE):
        for start, end, _ in lexicon_phrases(ctx.language, "reply", "defensive").find(ctx.doc):
            yield ctx.finding(DEFENSIVE, start, end, phrase=" ".join(ctx.text[start:end].split()))
    if ctx.enabled(NEXT_STEP) and "?" not in ctx.text and not ctx.doc.urls \
            and not _has(ctx, "next_step") and not comment_is_praise(ctx):
        last = sentences[-1]
        yield ctx.finding(NEXT_STEP, last.start, last.end)


CHECK = Check(rules=(ACKNOWLEDGEMENT, DEFENSIVE, NEXT_STEP), run=run)
