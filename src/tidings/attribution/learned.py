"""The learned tagger's attributions as ``Quote`` records.

One entry point, :func:`model_quotes`. The model proposes the spans (source, cue, content); the rule
system resolves who the source is (:func:`tidings.quotes._speaker`: actors, pronouns, descriptors,
anonymity). A content in several fragments ("“A,” she said, “B.”") becomes a lead quote and follow-on
quotes that share its speaker, as the rule system reports a quote continued after its cue.
"""

from __future__ import annotations

from spacy.tokens import Doc

from ..actors.table import ActorTable
from ..records import Quote, Speaker
from ..records import Span as TextSpan
from .features import quote_mask
from .linker import ProposedAttribution, _root, link
from .tagger import RoleSpan, load_tagger, tag_doc

MIN_CONTENT_TOKENS = 2  # a content of one word ("it", "so") is too thin to report as a quote


def model_quotes(doc: Doc, table: ActorTable, rule_quotes: list[Quote]) -> list[Quote] | None:
    """Quotes from the learned tagger; ``None`` when no model is available (the caller keeps its rules)."""
    tagger = load_tagger()
    if tagger is None:
        return None
    quoted = quote_mask(doc)
    quotes: list[Quote] = []
    for proposal in link(doc, tag_doc(doc, rule_quotes, tagger), quoted):
        quotes.extend(_as_quotes(doc, table, proposal, quoted))
    return quotes


def _text_span(doc: Doc, span: RoleSpan) -> TextSpan:
    piece = doc[span.start:span.end]
    return TextSpan(start=piece.start_char, end=piece.end_char, text=piece.text)


def _kind(contents: list[RoleSpan], quoted: list[bool], doc: Doc) -> str:
    words = [t.i for c in contents for t in doc[c.start:c.end] if t.is_alpha or t.is_digit]
    inside = sum(quoted[i] for i in words)
    if words and inside == len(words):
        return "direct"
    return "mixed" if inside else "indirect"


def _speaker(doc: Doc, table: ActorTable, source: RoleSpan | None) -> Speaker:
    from ..quotes import _speaker as resolve_speaker

    if source is None:
        return Speaker()
    resolved = resolve_speaker(table, _root(doc, source))
    resolved.mention = _text_span(doc, source)
    return resolved


def _as_quotes(doc: Doc, table: ActorTable, proposal: ProposedAttribution, quoted: list[bool]) -> list[Quote]:
    contents = [c for c in proposal.contents if c.end > c.start]
    if not contents or sum(c.end - c.start for c in contents) < MIN_CONTENT_TOKENS:
        return []
    speaker = _speaker(doc, table, proposal.source)
    kind = _kind(contents, quoted, doc)
    cue = _text_span(doc, proposal.cue) if proposal.cue is not None else None
    lead, *rest = contents
    quotes = [Quote(id="", kind=kind, content=_text_span(doc, lead), cue=cue, speaker=speaker, rule="model:crf")]
    for fragment in rest:
        quotes.append(Quote(id="", kind=kind, content=_text_span(doc, fragment), cue=None,
                            speaker=speaker.model_copy(deep=True), follow_on=True, rule="model:crf+fragment"))
    return quotes
