"""Announced acts: offers, promises, threats and refusals ("offered to negotiate", "threatened to strike",
"refused to meet", "Finland will give Tanzania a grant") coded, as CAMEO does, as expressed intents (03x),
threats (13x) or rejections (12x), with the act's own code kept (``intent_predicates.tsv``,
``intent_codes.tsv``).
"""

from __future__ import annotations

from spacy.tokens import Doc

from ..actors.table import ActorTable
from ..datafiles import entry, read_tsv
from ..nlp import columns
from ..records import Actor
from .found import Found
from .roles import object_actors, own_phrase, subject_actors, unique


def _intent_table() -> list[dict[str, str]]:
    return sorted(read_tsv("intent_codes.tsv"), key=lambda row: -len(row["prefix"]))


def announced_code(code: str, kind: str) -> str | None:
    """The intent, threat or refusal code of an act (intent_codes.tsv), None to keep the act's code.
    An announced act of conflict (root 14 and up) is a threat, whatever verb announced it."""
    if kind == "intent" and code[:2] >= "14":
        kind = "threat"
    for row in _intent_table():
        if code.startswith(row["prefix"]):
            value = row[kind]
            if value not in {"", "-"}:
                return value
            break
    # A threatened or refused act with no code of its own is a threat (130) or a rejection (120).
    if kind == "threat" and not code.startswith("13"):
        return "130"
    if kind == "refusal" and not code.startswith("12"):
        return "120"
    return None


def recode_announced(doc: Doc, table: ActorTable, found: list[Found]) -> list[Found]:
    """"offered to hand over", "is willing to send", "threatened to strike", "refused to meet": the act in
    the complement is an announced one. Coded acts there are recoded (an intent, threat or refusal); when
    the complement holds no coded act, the predicate itself is the event, aimed at the complement's objects."""
    predicates = {row["lemma"]: row for row in read_tsv("intent_predicates.tsv")}
    kinds = {"intent": "intent", "threat": "threat", "refusal": "refusal"}
    cols = columns(doc)  # the tests below read columns; a Token is built for a predicate only
    for i, (lemma, pos) in enumerate(zip(cols.lemma, cols.pos)):
        row = predicates.get(lemma)
        if row is None or pos not in {"VERB", "ADJ", "AUX"}:
            continue
        token = doc[i]
        complement = next((c for c in token.children if c.dep_ in {"xcomp", "ccomp"} and c.pos_ in {"VERB", "AUX"}), None)
        if complement is None:
            continue
        inside = {t.i for t in own_phrase(complement)}
        inside |= {t.i for c in complement.children if c.dep_ in {"xcomp", "conj"} for t in own_phrase(c)}
        rule = f"announced:{entry('intent_predicates.tsv', row)}"
        coded = [item for item in found if item.head.i in inside and not item.extra.get("announced")]
        for item in coded:
            # An act on oneself ("agreed to resign") takes no party from the predicate either.
            if not item.targets and not item.extra.get("self_act"):
                # "offered to negotiate | with Armenia": the parser may hang the party on the predicate.
                item.targets = [a for a in object_actors(table, token) if a.id not in {s.id for s in item.sources}]
            new_code = announced_code(item.code, kinds[row["kind"]])
            if new_code is not None:
                item.extra["act_code"] = item.code
                item.code = new_code
                item.rule += f"+{rule}"
            item.extra["announced"] = row["kind"]
            item.extra["announced_by"] = token.i
        # The announced act carries the event; the predicate's own reading ("agree" 050) would double it.
        found = [item for item in found if item.head.i != token.i]
        if coded:
            continue
        sources = subject_actors(table, token)
        # "willing to send material to help defend Saudi Arabia": objects down the chain of infinitives.
        chain = [complement]
        while len(chain) < 4:
            nxt = next((c for c in chain[-1].children if c.dep_ in {"xcomp", "advcl"} and c.pos_ == "VERB"), None)
            if nxt is None:
                break
            chain.append(nxt)
        targets = [a for c in chain for a in object_actors(table, c)]
        if not sources:
            continue
        trigger = doc[min(token.i, complement.i):max(token.i, complement.i) + 1]
        found.append(Found(trigger=trigger, head=token, code=row["code"], rule=rule, sources=sources,
                            targets=[a for a in unique(targets) if a.id not in {s.id for s in sources}],
                            extra={"announced": row["kind"], "announced_by": token.i}))
    return found


def spoken_by_doer(attribution, sources: list[Actor]) -> bool:
    """The quote an act sits in is its own doer's (or its doer's country's) words."""
    return bool(set(attribution.actor_ids) & {a.id for a in sources}
                or set(attribution.countries) & {a.country for a in sources if a.country})


ANNOUNCING_AUX = {"will", "shall", "'ll", "would"}


def own_announcement(item: Found, modality: str, cue, attribution, sources: list[Actor]) -> str | None:
    """"Finland will give Tanzania a grant", "the farmers said they would blockade Paris": an act the actor
    itself announces is coded, as CAMEO does, as an expressed intent (cooperation) or a threat (conflict;
    also any act made conditional with "unless"). A plan that someone else reports ("U.S. sources said
    Kim will travel") stays the act itself, with future modality."""
    head = item.head
    auxiliaries = {c.lower_ for c in head.children if c.dep_ == "aux"}
    if modality == "negated" and auxiliaries & ANNOUNCING_AUX:
        # "Syria says it will not accept any more refugees": an announced refusal.
        return "refusal" if attribution is None or spoken_by_doer(attribution, sources) else None
    if cue is None or cue.token.lower_ not in ANNOUNCING_AUX or modality not in {"future", "hypothetical"}:
        return None
    if attribution is not None:
        if not spoken_by_doer(attribution, sources):
            return None
    elif cue.token.lower_ == "would":
        return None  # an unattributed "would" is a hypothetical, not an announcement
    clause = [head, *head.ancestors][:3]
    if any(g.lower_ == "unless" for t in clause for c in t.children if c.dep_ == "advcl" for g in c.children
           if g.dep_ == "mark"):
        return "threat"
    return "threat" if item.code[:2] >= "14" else "intent"
