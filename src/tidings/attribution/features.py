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

from collections.abc import Iterable, Sequence

from spacy.tokens import Doc, Token

from ..nlp import text_of
from ..records import Quote
from ..quotes import _quote_marks, _verb_key, speech_verbs

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
    """Per token: whether it lies between quote marks (the marks included), by the rule system's pairing."""
    inside = [False] * len(doc)
    regions = [(m.start - 1, m.end + 1) for m in _quote_marks(text_of(doc))]
    if not regions:
        return inside
    for token in doc:
        inside[token.i] = any(start <= token.idx < end for start, end in regions)
    return inside


def rule_tags(doc: Doc, quotes: Iterable[Quote]) -> list[str]:
    """Per token: the role the rule system's quotes give it (``SOURCE``/``CUE``/``CONTENT``/``O``)."""
    tags = ["O"] * len(doc)
    starts = {token.idx: token.i for token in doc}
    for quote in quotes:
        spans = [("CONTENT", quote.content), ("CUE", quote.cue), ("SOURCE", quote.speaker.mention)]
        for role, span in spans:
            if span is None:
                continue
            for char, index in starts.items():
                if span.start <= char < span.end:
                    tags[index] = role
    return tags


def _shape(token: Token) -> str:
    text = token.text
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


def _speech_governor(token: Token, verbs: dict) -> tuple[str, str]:
    """The nearest speech-verb ancestor's kind, and the dependency by which the token's branch hangs off it."""
    child = token
    for _ in range(SPEECH_HOPS):
        head = child.head
        if head.i == child.i:
            break
        if head.pos_ in {"VERB", "AUX"} and _verb_key(head) in verbs:
            return verbs[_verb_key(head)].get("kind", "speech"), child.dep_
        child = head
    return "none", "none"


def token_features(token: Token, verbs: dict, inside: Sequence[bool], rules: Sequence[str] | None) -> list[str]:
    """The features of one token on its own (the neighbours' are added by :func:`sequences`)."""
    sentence = token.sent
    head = token.head
    path = []
    node = token
    for _ in range(MAX_PATH):
        if node.head.i == node.i:
            break
        path.append(node.dep_)
        node = node.head
    speech_kind, speech_dep = _speech_governor(token, verbs)
    is_speech = token.pos_ in {"VERB", "AUX"} and _verb_key(token) in verbs
    features = [
        "bias",
        f"w={token.lower_}",
        f"lemma={token.lemma_.lower()}",
        f"suf3={token.lower_[-3:]}",
        f"shape={_shape(token)}",
        f"pos={token.pos_}",
        f"tag={token.tag_}",
        f"dep={token.dep_}",
        f"hlemma={head.lemma_.lower()}",
        f"hdep={head.dep_}",
        f"hpos={head.pos_}",
        f"dep|hpos={token.dep_}|{head.pos_}",
        f"path={'>'.join(path)}",
        f"path1={'>'.join(path[:2])}",
        f"speech={verbs[_verb_key(token)].get('kind', 'speech') if is_speech else 'no'}",
        f"hspeech={head.pos_ in {'VERB', 'AUX'} and _verb_key(head) in verbs}",
        f"gov={speech_kind}|{speech_dep}",
        f"govdep={speech_dep}",
        f"quoted={inside[token.i]}",
        f"sentpos={_bucket(token.i - sentence.start)}",
        f"sentleft={_bucket(sentence.end - 1 - token.i)}",
        f"sentstart={token.is_sent_start}",
        f"ent={token.ent_type_ or 'none'}",
        f"subj_of_speech={token.dep_ in {'nsubj', 'nsubjpass'} and head.pos_ in {'VERB', 'AUX'} and _verb_key(head) in verbs}",
    ]
    if token.lower_ in {"according", "to"} and token.i + 1 < len(token.doc):
        features.append(f"bigram={token.lower_}_{token.doc[token.i + 1].lower_}")
    if rules is not None:
        features.append(f"rule={rules[token.i]}")
    return features


NEIGHBOUR_KEYS = ("w=", "pos=", "dep=", "quoted=", "rule=", "speech=")


def sequences(doc: Doc, rule_quotes: Iterable[Quote] | None = None) -> list[tuple[list[int], list[list[str]]]]:
    """The document's paragraphs as (token indices, feature lists) pairs, ready for the tagger."""
    verbs = speech_verbs()
    inside = quote_mask(doc)
    rules = rule_tags(doc, rule_quotes) if rule_quotes is not None else None
    result = []
    for indices in paragraphs(doc):
        own = [token_features(doc[i], verbs, inside, rules) for i in indices]
        combined = []
        for position, features in enumerate(own):
            extended = list(features)
            for offset in (-2, -1, 1, 2):
                other = position + offset
                if 0 <= other < len(own):
                    extended += [f"{offset}:{f}" for f in own[other] if f.startswith(NEIGHBOUR_KEYS)]
                else:
                    extended.append(f"{offset}:edge")
            combined.append(extended)
        result.append((indices, combined))
    return result
