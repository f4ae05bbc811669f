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

from spacy.attrs import ENT_TYPE, HEAD, ORTH, SENT_START
from spacy.tokens import Doc

from ..nlp import columns as token_columns
from ..nlp import sentence_bounds, string_column, text_of
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


_BUCKET_LIMITS = (0, 1, 2, 3, 5, 8, 12, 20)
# _bucket's answer for every value up to the last limit, read off a list rather than found by a loop
# (it is asked twice for every token of every article).
_BUCKETS = [next(str(limit) for limit in _BUCKET_LIMITS if value <= limit) for value in range(_BUCKET_LIMITS[-1] + 1)]


def _bucket(value: int) -> str:
    if value <= 0:
        return "0"
    return _BUCKETS[value] if value <= _BUCKET_LIMITS[-1] else "many"


class _Columns:
    """The doc's token attributes as plain lists, read off the parse in one pass. Features look at every
    token's head, its ancestors and its sentence; going through spaCy ``Token`` objects for each of those
    (``token.head``, ``token.sent``) builds millions of short-lived objects per corpus."""

    def __init__(self, doc: Doc, verbs: dict) -> None:
        # The attributes come from one ``doc.to_array`` call, as string ids turned into strings through a
        # per-doc table: cheaper than a ``Token`` (and a string look-up per attribute) for every token.
        column = string_column(doc)
        ent, orth, head, sent_start = (
            doc.to_array([ENT_TYPE, ORTH]).T.tolist()
            + doc.to_array([HEAD, SENT_START]).astype("int64").T.tolist()) if len(doc) else [[]] * 4
        shared = token_columns(doc)  # the doc's columns the other stages read too
        self.lower: list[str] = shared.lower
        self.lemma: list[str] = shared.lemma
        shapes: dict[str, str] = {}
        self.shape: list[str] = [shapes[text] if text in shapes else shapes.setdefault(text, _shape(text))
                                 for text in column(orth)]
        self.pos: list[str] = shared.pos
        self.tag: list[str] = shared.tag
        self.dep: list[str] = shared.dep
        self.head: list[int] = [i + offset for i, offset in enumerate(head)]  # HEAD is relative
        self.ent: list[str] = [name or "none" for name in column(ent)]
        # Token.is_sent_start: None when unknown (0), else whether the value is positive.
        self.sent_start: list[bool | None] = [None if value == 0 else value > 0 for value in sent_start]
        # The speech-verb kind of each token that is a speech verb (``None`` for the others). Only verbs can
        # be speech verbs: the others' verb key is never looked at.
        self.speech: list[str | None] = [None] * len(doc)
        for i, name in enumerate(self.pos):
            if name in {"VERB", "AUX"}:
                key = _verb_key(doc[i])
                if key in verbs:
                    self.speech[i] = verbs[key].get("kind", "speech")
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
    return _token_features(i, columns, inside, rules, following)[0]


def _token_features(i: int, columns: _Columns, inside: Sequence[bool], rules: Sequence[str] | None,
                    following: str | None) -> tuple[list[str], list[str]]:
    """:func:`token_features`, and the ones of them a token shows its neighbours (those that start with
    one of NEIGHBOUR_KEYS, in the same order), picked as they are built rather than by a scan."""
    return _own_features([i], columns, inside, rules, [following])[0]


def _own_features(indices: list[int], columns: _Columns, inside: Sequence[bool], rules: Sequence[str] | None,
                  following: Sequence[str | None]) -> list[tuple[list[str], list[str]]]:
    """:func:`_token_features` of each of ``indices`` (``following``: each one's next word), in one loop
    over the columns bound to local names: a call per token, and an attribute look-up per column and
    token, cost about as much as building the features."""
    heads, deps, poses, lemmas, lowers = columns.head, columns.dep, columns.pos, columns.lemma, columns.lower
    speeches, sentence, shapes, tags = columns.speech, columns.sentence, columns.shape, columns.tag
    sent_starts, ents = columns.sent_start, columns.ent
    result = []
    for i, next_word in zip(indices, following):
        head = heads[i]
        dep, pos, head_pos = deps[i], poses[i], poses[head]
        path = []
        node = i
        for _ in range(MAX_PATH):
            if heads[node] == node:
                break
            path.append(deps[node])
            node = heads[node]
        speech_kind, speech_dep = _speech_governor(i, columns)
        speech = speeches[i]
        head_is_speech = speeches[head] is not None
        sent_start, sent_end = sentence[i]
        lower = lowers[i]
        word = f"w={lower}"
        pos_feature = f"pos={pos}"
        dep_feature = f"dep={dep}"
        speech_feature = f"speech={speech if speech is not None else 'no'}"
        quoted = f"quoted={inside[i]}"
        features = [
            "bias",
            word,
            f"lemma={lemmas[i]}",
            f"suf3={lower[-3:]}",
            f"shape={shapes[i]}",
            pos_feature,
            f"tag={tags[i]}",
            dep_feature,
            f"hlemma={lemmas[head]}",
            f"hdep={deps[head]}",
            f"hpos={head_pos}",
            f"dep|hpos={dep}|{head_pos}",
            f"path={'>'.join(path)}",
            f"path1={'>'.join(path[:2])}",
            speech_feature,
            f"hspeech={head_is_speech}",
            f"gov={speech_kind}|{speech_dep}",
            f"govdep={speech_dep}",
            quoted,
            f"sentpos={_bucket(i - sent_start)}",
            f"sentleft={_bucket(sent_end - 1 - i)}",
            f"sentstart={sent_starts[i]}",
            f"ent={ents[i]}",
            f"subj_of_speech={dep in {'nsubj', 'nsubjpass'} and head_is_speech}",
        ]
        shown = [word, pos_feature, dep_feature, speech_feature, quoted]
        if lower in {"according", "to"} and next_word is not None:
            features.append(f"bigram={lower}_{next_word}")
        if rules is not None:
            rule = f"rule={rules[i]}"
            features.append(rule)
            shown.append(rule)
        result.append((features, shown))
    return result


NEIGHBOUR_KEYS = ("w=", "pos=", "dep=", "quoted=", "rule=", "speech=")
OFFSETS = (-2, -1, 1, 2)  # sequences() relies on this order


# What a token shows its neighbours, prefixed for each offset: (shown features) -> one list per offset
# ("-2:w=the", "-2:pos=DET", ...). Shared by all docs: the function words, and the tags and flags shown with
# them, come round on many tokens of every article. Bounded, and small: a long run must not grow the worker's
# memory (measured over 1,200 BBC articles: 5,000 entries keep the process flat and save as much time as
# 50,000, which added about 100 MB).
# Tuples of strings, not lists: the garbage collector stops tracking them, so a full cache does not slow
# down every collection.
_PREFIXED: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}
PREFIXED_CACHE_SIZE = 5_000


def _prefixed(shown: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    found = _PREFIXED.get(shown)
    if found is None:
        if len(_PREFIXED) >= PREFIXED_CACHE_SIZE:
            _PREFIXED.clear()
        found = _PREFIXED[shown] = tuple(tuple(f"{offset}:{feature}" for feature in shown) for offset in OFFSETS)
    return found


def sequences(doc: Doc, rule_quotes: Iterable[Quote] | None = None) -> list[tuple[list[int], list[list[str]]]]:
    """The document's paragraphs as (token indices, feature lists) pairs, ready for the tagger."""
    columns = _Columns(doc, speech_verbs())
    inside = quote_mask(doc)
    rules = rule_tags(doc, rule_quotes) if rule_quotes is not None else None
    count = len(doc)
    edge_before2, edge_before1, edge_after1, edge_after2 = ((f"{offset}:edge",) for offset in OFFSETS)
    result = []
    for indices in paragraphs(doc):
        own: list[list[str]] = []
        shown: list[tuple[tuple[str, ...], ...]] = []  # per token: what it shows at each offset (callers never change it)
        following = [columns.lower[i + 1] if i + 1 < count else None for i in indices]
        for features, visible in _own_features(indices, columns, inside, rules, following):
            own.append(features)
            shown.append(_prefixed(tuple(visible)))
        last = len(own) - 1
        combined = []
        for position, features in enumerate(own):
            # OFFSETS is (-2, -1, 1, 2): each neighbour's list for the offset it sits at, or the edge marker.
            combined.append([
                *features,
                *(shown[position - 2][0] if position >= 2 else edge_before2),
                *(shown[position - 1][1] if position >= 1 else edge_before1),
                *(shown[position + 1][2] if position + 1 <= last else edge_after1),
                *(shown[position + 2][3] if position + 2 <= last else edge_after2),
            ])
        result.append((indices, combined))
    return result
