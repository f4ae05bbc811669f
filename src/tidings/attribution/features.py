"""Token features for the attribution tagger, read off the spaCy parse.

One entry point, :func:`sequences`: the document cut into paragraphs (the unit the tagger labels; an
attribution's content may run over several sentences, rarely over a paragraph break), each a list of
token indices with one feature list per token (``name=value`` strings, the form crfsuite takes).

The features say what an attribution looks like in a parse: the word and its shape, lemma, part of
speech and dependency; its head; the chain of dependencies up to the root; whether a speech or cognition
verb (``speech_verbs.tsv``) governs it and by which relation (the reported clause hangs off the cue as
``ccomp``, the source as ``nsubj``); whether it sits inside quote marks; where it is in its sentence;
and, when given, the tag the rule system's quotes give it (so the model can learn when to trust them).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence

from spacy.tokens import Doc

from ..nlp import sentence_bounds, text_of
from ..quotes import _quote_marks, _verb_key, speech_verbs
from ..records import Quote

MAX_PATH = 3        # dependency labels kept on the path to the root
SPEECH_HOPS = 6     # how far up the tree to look for a governing speech verb


def paragraphs(doc: Doc) -> list[list[int]]:
    """Token indices paragraph by paragraph, whitespace tokens left out (they are never tagged)."""
    found: list[list[int]] = []
    current: list[int] = []
    for token in doc:
        if token.is_space:
            if "\n" in token.text and current:
                found.append(current)
                current = []
            continue
        current.append(token.i)
    if current:
        found.append(current)
    return found


def quote_mask(doc: Doc) -> list[bool]:
    """Per token: whether it lies between quote marks (the marks included), by the rule system's pairing.
    Computed once per doc (the tagger's features and the learned quotes both ask); each call gets a copy."""
    inside = doc.user_data.get("tidings_quote_mask")
    if inside is None:
        inside = [False] * len(doc)
        starts = _token_starts(doc)
        for mark in _quote_marks(text_of(doc)):
            # Token starts increase along the doc: the tokens starting in [start, end) are one run of them.
            for index in range(bisect_left(starts, mark.start - 1), bisect_left(starts, mark.end + 1)):
                inside[index] = True
        doc.user_data["tidings_quote_mask"] = inside
    return list(inside)


def rule_tags(doc: Doc, quotes: Iterable[Quote]) -> list[str]:
    """Per token: the role the rule system's quotes give it (``SOURCE``/``CUE``/``CONTENT``/``O``)."""
    tags = ["O"] * len(doc)
    starts = _token_starts(doc)
    for quote in quotes:
        spans = [("CONTENT", quote.content), ("CUE", quote.cue), ("SOURCE", quote.speaker.mention)]
        for role, span in spans:
            if span is None:
                continue
            for index in range(bisect_left(starts, span.start), bisect_left(starts, span.end)):
                tags[index] = role
    return tags


def _token_starts(doc: Doc) -> list[int]:
    """Each token's first character (strictly increasing: a token is never empty)."""
    return [token.idx for token in doc]


def _shape(text: str) -> str:
    if text.isupper() and len(text) > 1:
        return "UPPER"
    if text[:1].isupper():
        return "Title"
    if text.islower():
        return "lower"
    if any(c.isdigit() for c in text):
        return "digit"
    return "other"


def _bucket(value: int) -> str:
    for limit in (0, 1, 2, 3, 5, 8, 12, 20):
        if value <= limit:
            return str(limit)
    return "many"


class _Columns:
    """The doc's token attributes as plain lists, read off the parse in one pass. Features look at every
    token's head, its ancestors and its sentence; going through spaCy ``Token`` objects for each of those
    (``token.head``, ``token.sent``) builds millions of short-lived objects per corpus."""

    def __init__(self, doc: Doc, verbs: dict) -> None:
        self.lower: list[str] = []
        self.lemma: list[str] = []
        self.shape: list[str] = []
        self.pos: list[str] = []
        self.tag: list[str] = []
        self.dep: list[str] = []
        self.head: list[int] = []
        self.ent: list[str] = []
        self.sent_start: list[bool | None] = []
        # The speech-verb kind of each token that is a speech verb (``None`` for the others).
        self.speech: list[str | None] = []
        for token in doc:
            self.lower.append(token.lower_)
            self.lemma.append(token.lemma_.lower())
            self.shape.append(_shape(token.text))
            self.pos.append(token.pos_)
            self.tag.append(token.tag_)
            self.dep.append(token.dep_)
            self.head.append(token.head.i)
            self.ent.append(token.ent_type_ or "none")
            self.sent_start.append(token.is_sent_start)
            key = _verb_key(token)
            is_speech = token.pos_ in {"VERB", "AUX"} and key in verbs
            self.speech.append(verbs[key].get("kind", "speech") if is_speech else None)
        # Each token's sentence as (start, end) token indices (the same sentences as ``token.sent``).
        self.sentence: list[tuple[int, int]] = [(0, 0)] * len(doc)
        for sent_start, sent_end in sentence_bounds(doc):
            for index in range(sent_start, sent_end):
                self.sentence[index] = (sent_start, sent_end)


def _speech_governor(i: int, columns: _Columns) -> tuple[str, str]:
    """The nearest speech-verb ancestor's kind, and the dependency by which the token's branch hangs off it."""
    child = i
    for _ in range(SPEECH_HOPS):
        head = columns.head[child]
        if head == child:
            break
        kind = columns.speech[head]
        if kind is not None:
            return kind, columns.dep[child]
        child = head
    return "none", "none"


def token_features(i: int, columns: _Columns, inside: Sequence[bool], rules: Sequence[str] | None,
                   following: str | None) -> list[str]:
    """The features of token ``i`` on its own (the neighbours' are added by :func:`sequences`);
    ``following`` is the next token's lower-case text (None at the end of the doc)."""
    head = columns.head[i]
    dep, pos, head_pos = columns.dep[i], columns.pos[i], columns.pos[head]
    path = []
    node = i
    for _ in range(MAX_PATH):
        if columns.head[node] == node:
            break
        path.append(columns.dep[node])
        node = columns.head[node]
    speech_kind, speech_dep = _speech_governor(i, columns)
    speech = columns.speech[i]
    head_is_speech = columns.speech[head] is not None
    sent_start, sent_end = columns.sentence[i]
    lower = columns.lower[i]
    features = [
        "bias",
        f"w={lower}",
        f"lemma={columns.lemma[i]}",
        f"suf3={lower[-3:]}",
        f"shape={columns.shape[i]}",
        f"pos={pos}",
        f"tag={columns.tag[i]}",
        f"dep={dep}",
        f"hlemma={columns.lemma[head]}",
        f"hdep={columns.dep[head]}",
        f"hpos={head_pos}",
        f"dep|hpos={dep}|{head_pos}",
        f"path={'>'.join(path)}",
        f"path1={'>'.join(path[:2])}",
        f"speech={speech if speech is not None else 'no'}",
        f"hspeech={head_is_speech}",
        f"gov={speech_kind}|{speech_dep}",
        f"govdep={speech_dep}",
        f"quoted={inside[i]}",
        f"sentpos={_bucket(i - sent_start)}",
        f"sentleft={_bucket(sent_end - 1 - i)}",
        f"sentstart={columns.sent_start[i]}",
        f"ent={columns.ent[i]}",
        f"subj_of_speech={dep in {'nsubj', 'nsubjpass'} and head_is_speech}",
    ]
    if lower in {"according", "to"} and following is not None:
        features.append(f"bigram={lower}_{following}")
    if rules is not None:
        features.append(f"rule={rules[i]}")
    return features


NEIGHBOUR_KEYS = ("w=", "pos=", "dep=", "quoted=", "rule=", "speech=")
OFFSETS = (-2, -1, 1, 2)


def sequences(doc: Doc, rule_quotes: Iterable[Quote] | None = None) -> list[tuple[list[int], list[list[str]]]]:
    """The document's paragraphs as (token indices, feature lists) pairs, ready for the tagger."""
    columns = _Columns(doc, speech_verbs())
    inside = quote_mask(doc)
    rules = rule_tags(doc, rule_quotes) if rule_quotes is not None else None
    count = len(doc)
    result = []
    for indices in paragraphs(doc):
        own = [token_features(i, columns, inside, rules, columns.lower[i + 1] if i + 1 < count else None)
               for i in indices]
        # What a token shows its neighbours, picked once rather than once per neighbour.
        shown = [[f for f in features if f.startswith(NEIGHBOUR_KEYS)] for features in own]
        combined = []
        for position, features in enumerate(own):
            extended = list(features)
            for offset in OFFSETS:
                other = position + offset
                if 0 <= other < len(own):
                    extended += [f"{offset}:{f}" for f in shown[other]]
                else:
                    extended.append(f"{offset}:edge")
            combined.append(extended)
        result.append((indices, combined))
    return result
