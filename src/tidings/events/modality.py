"""Modality: does the text assert an event, deny it, plan it, predict it or only entertain it?

One entry point, :func:`modality_of`. From the event's trigger it walks up the dependency chain to the
sentence root and collects the cues of ``data/modality_cues.tsv``: auxiliaries and negations of each
verb on the chain ("will", "could", "not"), determiners and modifiers of the trigger ("no flow",
"possible meeting"), subordinators ("if"), and governing predicates ("tried to", "accused of",
"plans to", "denied that"). The strongest cue wins: negated > hypothetical > planned > future.
An otherwise asserted event dated in an earlier year than the article, or marked "previously", is
historical. A reporting verb on the way up ("said that") passes its content's modality through
unchanged, except for the predicates that deny or doubt it ("denied that").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from spacy.tokens import Token

from ..datafiles import entry, read_tsv

NEGATIVE_SUBJECTS = {"no", "neither", "nobody", "none", "nothing"}
STRENGTH = {"negated": 4, "hypothetical": 3, "planned": 2, "future": 1}
HISTORICAL_ADVERBS = {"previously", "formerly", "once", "earlier"}
# Links the walk climbs. It stops at a relative clause: "the letters that Trump says he exchanged" is
# not negated by "They might not be love letters".
CLAUSE_LINKS = {"xcomp", "ccomp", "advcl", "conj", "pcomp", "acl", "prep", "pobj", "dobj", "nsubj",
                "nsubjpass", "attr", "oprd", "npadvmod", "appos", "compound", "amod", "nmod", "poss", "dep"}


@dataclass(frozen=True)
class ModalityCue:
    token: Token
    modality: str
    rule: str


@lru_cache(maxsize=1)
def _cues() -> dict[tuple[str, str], tuple[str, str]]:
    table: dict[tuple[str, str], tuple[str, str]] = {}
    for row in read_tsv("modality_cues.tsv"):
        table[(row["word"], row["where"])] = (row["modality"], entry("modality_cues.tsv", row))
    return table


def _lookup(word: str, where: str) -> tuple[str, str] | None:
    return _cues().get((word.lower(), where))


def _own_cues(token: Token, is_trigger: bool) -> list[ModalityCue]:
    """Cues attached to one token of the chain: its auxiliaries, negation, determiners, markers."""
    found: list[ModalityCue] = []
    for child in token.children:
        where = None
        if child.dep_ in {"aux", "auxpass", "neg"}:
            where = "aux"
        elif child.dep_ == "mark":
            where = "mark"
        elif child.dep_ in {"det", "amod"} and (is_trigger or token.pos_ in {"NOUN", "PROPN"}):
            where = "det"
        elif child.dep_ in {"advmod", "neg"}:
            where = "adv"
        if where is None:
            continue
        for key in (child.lower_, child.lemma_.lower()):
            hit = _lookup(key, where) or (_lookup(key, "aux") if where == "adv" and child.dep_ == "neg" else None)
            if hit:
                found.append(ModalityCue(child, hit[0], hit[1]))
                break
    # "No Russian minister had visited …": a negative subject negates its verb.
    if token.pos_ in {"VERB", "AUX"}:
        for child in token.children:
            if child.dep_ in {"nsubj", "nsubjpass"}:
                words = {child.lower_} | {c.lower_ for c in child.children if c.dep_ == "det"}
                for word in words & NEGATIVE_SUBJECTS:
                    hit = _lookup(word, "det") or _lookup("no", "det")
                    if hit:
                        found.append(ModalityCue(child, hit[0], hit[1]))
                        break
    return found


def modality_of(trigger: Token, reporting_lemmas: frozenset[str], event_date: date | None,
                published: date | None) -> tuple[str, ModalityCue | None]:
    """The event's modality and the cue that decided it (None when asserted or historical by date)."""
    cues: list[ModalityCue] = list(_own_cues(trigger, is_trigger=True))
    token = trigger
    while token.head.i != token.i:
        child, token = token, token.head
        if child.dep_ not in CLAUSE_LINKS:
            break
        lemma = token.lemma_.lower()
        head_cue = _lookup(lemma, "head")
        if head_cue and token.i != trigger.i:
            if head_cue[0] == "negated" and any(c.dep_ == "neg" for c in token.children):
                # "did not rule out", "did not deny": a negated negative leaves the event open.
                cues.append(ModalityCue(token, "hypothetical", head_cue[1]))
                continue
            cues.append(ModalityCue(token, head_cue[0], head_cue[1]))
        if child.dep_ == "ccomp":
            # "reiterated its demand that Israel ease restrictions": the parser hangs the noun's that-clause
            # on the verb; the directive noun still governs it (a demanded act has not happened).
            cues.extend(ModalityCue(noun, cue[0], cue[1]) for noun in _clause_nouns(token)
                        if noun.pos_ == "NOUN" and (cue := _lookup(noun.lemma_.lower(), "head")))
        if lemma in reporting_lemmas:
            # The reporter's own auxiliaries ("said", "will say") do not change what is reported.
            continue
        if child.dep_ == "conj":
            # "this will not reflect well …, and they will pay a price": a conjunct keeps its own
            # auxiliaries; the first conjunct's negation is not the second's.
            continue
        if token.pos_ in {"VERB", "AUX", "NOUN"}:
            cues.extend(_own_cues(token, is_trigger=False))
    if cues:
        best = max(cues, key=lambda c: STRENGTH.get(c.modality, 0))
        return best.modality, best
    if _historical(trigger, event_date, published):
        return "historical", None
    return "asserted", None


def _historical(trigger: Token, event_date: date | None, published: date | None) -> bool:
    if event_date is not None and published is not None and event_date.year < published.year:
        return True
    chain = [trigger, *trigger.ancestors]
    return any(child.lower_ in HISTORICAL_ADVERBS for token in chain[:2] for child in token.children
               if child.dep_ == "advmod")


def _clause_nouns(verb: Token) -> list[Token]:
    """The verb's object nouns, also behind a preposition ("insisted on its demand")."""
    nouns = [c for c in verb.children if c.dep_ == "dobj"]
    nouns += [g for c in verb.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    return nouns
