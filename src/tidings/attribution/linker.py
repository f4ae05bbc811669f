"""Grouping the tagger's role spans into attributions, the cue as the anchor.

One entry point, :func:`link`. Within a paragraph every content span goes to the cue that governs it in
the parse (the cue's verb is an ancestor of the content's head: "said [that …]"), else to the nearest cue
in the same sentence, else to the nearest cue in the paragraph; a source goes to the cue the same way (its
head hangs off the cue: "[Clinton] said"). A cue keeps one source, the best placed. Contents with no cue
in their paragraph continue the last attribution of the paragraph before when they are quoted (a quote
running on over a paragraph break); otherwise they are dropped, as are cues with no content.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from ..nlp import sentence_of
from .tagger import RoleSpan


@dataclass
class ProposedAttribution:
    """A cue with its source (if any) and its content fragments, in text order."""

    cue: RoleSpan | None
    source: RoleSpan | None
    contents: list[RoleSpan] = field(default_factory=list)


def _root(doc: Doc, span: RoleSpan) -> Token:
    """The span's syntactic head: its first token whose head lies outside the span."""
    for token in doc[span.start:span.end]:
        if not span.start <= token.head.i < span.end or token.head.i == token.i:
            return token
    return doc[span.start]


def _governs(doc: Doc, cue: RoleSpan, other: RoleSpan, hops: int = 4) -> bool:
    """Whether a token of the cue is among the first ``hops`` ancestors of the other span's head."""
    node = _root(doc, other)
    for _ in range(hops):
        if node.head.i == node.i:
            return False
        node = node.head
        if cue.start <= node.i < cue.end:
            return True
        if other.start <= node.i < other.end:
            continue
    return False


def _distance(first: RoleSpan, second: RoleSpan) -> int:
    if first.end <= second.start:
        return second.start - first.end
    if second.end <= first.start:
        return first.start - second.end
    return 0


def _placement(doc: Doc, cue: RoleSpan, other: RoleSpan) -> tuple[int, int, int]:
    """How well a span sits with a cue: governed first, then same sentence, then nearer (lower is better)."""
    same_sentence = sentence_of(doc, cue.start) == sentence_of(doc, other.start)
    return (0 if _governs(doc, cue, other) else 1, 0 if same_sentence else 1, _distance(cue, other))


def link(doc: Doc, spans: list[RoleSpan], quoted: list[bool] | None = None) -> list[ProposedAttribution]:
    """Attributions from role spans (``quoted``: per token, whether it lies inside quote marks)."""
    by_paragraph: dict[int, list[RoleSpan]] = {}
    for span in spans:
        by_paragraph.setdefault(span.paragraph, []).append(span)
    result: list[ProposedAttribution] = []
    last_of_paragraph: dict[int, ProposedAttribution] = {}
    for paragraph in sorted(by_paragraph):
        members = by_paragraph[paragraph]
        cues = [s for s in members if s.role == "CUE"]
        attributions = {id(cue): ProposedAttribution(cue=cue, source=None) for cue in cues}
        orphans: list[RoleSpan] = []
        for content in (s for s in members if s.role == "CONTENT"):
            if not cues:
                orphans.append(content)
                continue
            best = min(cues, key=lambda cue: _placement(doc, cue, content))
            attributions[id(best)].contents.append(content)
        sources = [s for s in members if s.role == "SOURCE"]
        for cue in cues:
            if sources:
                best_source = min(sources, key=lambda source: _placement(doc, cue, source))
                if _placement(doc, cue, best_source)[1] == 0:  # a source from another sentence is a guess
                    attributions[id(cue)].source = best_source
        kept = [a for a in (attributions[id(cue)] for cue in cues) if a.contents]
        previous = last_of_paragraph.get(paragraph - 1)
        for orphan in orphans:
            if previous is not None and quoted is not None and quoted[orphan.start]:
                previous.contents.append(orphan)
        result.extend(kept)
        if kept:
            last_of_paragraph[paragraph] = max(kept, key=lambda a: max(c.end for c in a.contents))
        elif previous is not None and any(quoted and quoted[o.start] for o in orphans):
            last_of_paragraph[paragraph] = previous  # the quote runs on further still
    for attribution in result:
        attribution.contents.sort(key=lambda s: s.start)
    return result
