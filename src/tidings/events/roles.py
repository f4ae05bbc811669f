"""Who does what to whom: source and target actors of a trigger, from the dependency parse.

Subjects (with passive agents, coordinated and infinitival verbs, object control: "tried to convince
Pyongyang to sell" — the seller is Pyongyang), objects, indirect objects and "to/with/against" phrases,
possessors and "of" phrases of nouns, and the fallbacks for targets the parse leaves implicit.
"""

from __future__ import annotations

from spacy.tokens import Token

from ..actors.table import ActorTable
from ..datafiles import column_set, read_tsv
from ..records import Actor

TARGET_PREPS = {"to", "with", "against", "on", "toward", "towards", "into"}


COPULAS = {"be", "remain", "stay"}


SUBJECT_DEPS = {"nsubj", "nsubjpass"}


OBJECT_CONTROL = {"convince", "persuade", "urge", "ask", "invite", "call", "press", "push", "encourage",
                  "force", "order", "allow", "help", "accuse", "warn", "tell", "pressure", "dissuade"}


# Judging someone for a deed ("criticised Ethiopia for blocking convoys", "arrested him for spying"): the
# object did the deed named by the preposition's verb. Only there: in "arrested him to stop the protest"
# the arresters stop it.
JUDGING = {"criticize", "criticise", "condemn", "blame", "denounce", "praise", "thank", "commend",
           "congratulate", "punish", "fine", "arrest", "detain", "jail", "charge", "sentence"}


RELATIVE_PRONOUNS = {"which", "who", "that", "whom"}


QUANTITY_NOUNS = {"tens", "scores", "thousands", "hundreds", "millions", "dozens", "number", "lot", "lots", "batch", "shipment",
                  "shipments", "quantities", "quantity", "amount", "amounts", "tons", "tonnes", "supply"}


def quantity_head(noun: Token) -> Token:
    """"thousands of shells": the shells are what is sent ("tens of thousands of students": the students)."""
    while noun.lower_ in QUANTITY_NOUNS:
        of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if obj is None:
            break
        noun = obj
    return noun


def own_phrase(verb: Token) -> list[Token]:
    """The verb's own words: its subtree without the clauses nested in it."""
    own: list[Token] = []
    stack = [verb]
    while stack:
        token = stack.pop()
        own.append(token)
        stack.extend(c for c in token.children
                     if not (c.dep_ in {"ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "parataxis"}
                             and c.pos_ in {"VERB", "AUX"}))
    return own


def unique(actors: list[Actor]) -> list[Actor]:
    return list({a.id: a for a in actors}.values())


def actors_of(table: ActorTable, token: Token) -> list[Actor]:
    """The actors a noun phrase head stands for, with its conjuncts; a relative pronoun stands for the
    noun its clause modifies; a phrase that is not itself an actor gives the first actor inside it."""
    token = quantity_head(token)  # "tens of thousands of students": the students
    heads = [token, *token.conjuncts]
    actors: list[Actor] = []
    for head in heads:
        if head.lower_ in RELATIVE_PRONOUNS and head.head.dep_ == "relcl":
            head = head.head.head
        actor = table.actor_at(head)
        if actor is not None:
            actors += table.expand(actor)
            continue
        # "North Korean arms sales", "Russia’s invasion": an actor modifying the head stands in for it;
        # one inside a prepositional phrase ("the moment in Washington’s view") does not — except after a
        # title or institution: "the president of Armenia", "the government of Sudan".
        if is_agent_noun(head):
            of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            inner = pobj_actors(table, of) if of is not None else []
            if inner:
                actors += inner
                continue
        # Among several modifiers ("bin Laden's al-Qaeda network"), the first one tied to a country.
        modifiers = [inner[0] for child in head.children
                     if child.dep_ in {"poss", "compound", "amod", "nmod"} and child.i < head.i
                     and (inner := table.actors_in(t for t in child.subtree if not stance_prefixed(t)))]
        # A possessive pronoun says whose partners, allies or counterparts they are, not who they are:
        # "its European Community partners" are the Community, "his Russian counterpart" is Russia's.
        named = [inner[0] for child in head.children
                 if child.dep_ in {"compound", "amod", "nmod"} and child.i < head.i
                 and (inner := table.actors_in(t for t in child.subtree if not stance_prefixed(t)))]
        if named and any(c.dep_ == "poss" and c.pos_ == "PRON" for c in head.children):
            modifiers = named
        if modifiers:
            actors.append(next((a for a in modifiers if a.country), modifiers[0]))
    return unique(actors)


STANCE_PREFIXES = {"pro", "anti"}


def stance_prefixed(token: Token) -> bool:
    """"pro-Iranian", "anti-Syria": a modifier that says whom someone sides with or against, not whose
    they are — "the pro-Iranian Hizbollah group" is not Iran."""
    doc = token.doc
    return token.i >= 2 and doc[token.i - 1].text == "-" and doc[token.i - 2].lower_ in STANCE_PREFIXES


def _stative_participles() -> frozenset[str]:
    return column_set("stative_participles.tsv")


def is_agent_noun(token: Token) -> bool:
    """A title or relational noun whose "of" phrase names the body it stands for (of_nouns.tsv)."""
    from ..actors.lexicon import lexicon

    if token.pos_ != "NOUN":
        return False
    relational = {row["noun"] for row in read_tsv("of_nouns.tsv")}
    return token.lower_ in relational or lexicon().agent(token.lemma_.lower()) is not None


def pobj_actors(table: ActorTable, prep: Token) -> list[Actor]:
    actors: list[Actor] = []
    for child in prep.children:
        if child.dep_ == "pobj":
            actors += actors_of(table, child)
    return actors


def subject_actors(table: ActorTable, verb: Token) -> list[Actor]:
    subject = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
    if subject is not None and subject.dep_ == "nsubjpass":
        # "Labour is to be investigated by a watchdog": the doer is the agent phrase, never the passive
        # subject (that one is the target); without an agent the doer is unknown — unless the participle
        # names a state of its subject ("Israel is opposed to French mediation").
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        if agent is None and verb.lower_ in _stative_participles():
            return actors_of(table, subject)
        return pobj_actors(table, agent) if agent is not None else []
    if subject is not None:
        return actors_of(table, subject)
    # No subject of its own: inherit along xcomp/conj/advcl, with object control ("convince X to …").
    head = verb.head
    if head.i == verb.i:
        return []
    if verb.dep_ == "pcomp" or (head.dep_ == "prep" and head.head.pos_ in {"VERB", "AUX"} and verb.dep_ != "conj"):
        # "accused Moscow of planning to attack": the preposition's verb, with object control.
        governor = head.head
        obj = next((c for c in governor.children if c.dep_ in {"dobj", "dative"}), None)
        if obj is not None and governor.lemma_.lower() in OBJECT_CONTROL | JUDGING:
            return actors_of(table, obj)
        return subject_actors(table, governor) if governor.i != head.i else []
    if verb.dep_ in {"acomp", "oprd"}:
        return subject_actors(table, head)  # "Norway is willing to send": the copula's subject
    if verb.dep_ == "conj" and head.pos_ in {"VERB", "AUX"} and not any(c.dep_ == "auxpass" for c in verb.children):
        # "The minister has been indicted by the court and will resign": an active verb coordinated with a
        # passive one shares its grammatical subject (the minister), not the passive's agent (the court).
        passive = next((c for c in head.children if c.dep_ == "nsubjpass"), None)
        if passive is not None:
            return actors_of(table, passive)
    if verb.dep_ in {"xcomp", "advcl"} or (verb.dep_ in {"conj", "dep"} and head.pos_ in {"VERB", "AUX"}):
        if verb.dep_ not in {"conj", "dep"} and head.lemma_.lower() in OBJECT_CONTROL:
            obj = next((c for c in head.children if c.dep_ in {"dobj", "dative"}), None)
            if obj is not None:
                return actors_of(table, obj)
        return subject_actors(table, head)
    if verb.dep_ == "relcl":
        return actors_of(table, head)
    if verb.dep_ == "acl" and head.dep_ in {"dobj", "attr"} and head.head.pos_ in {"VERB", "AUX"}:
        # "issued a declaration demanding that …": the one who issued it demands.
        return subject_actors(table, head.head)
    return []


def object_actors(table: ActorTable, verb: Token, skip: Token | None = None) -> list[Actor]:
    sources = {a.id for a in subject_actors(table, verb)}

    def found(targets: list[Actor]) -> bool:
        # A target that is the doer itself ("withdraw its troops") or has no country ("the troops") does
        # not end the search: the fallbacks below may still name the other party ("… from Lebanon").
        return any(a.id not in sources and a.country for a in targets)

    targets: list[Actor] = []
    for child in verb.children:
        if child is skip:
            continue
        if child.dep_ in {"dobj", "dative", "iobj"}:
            targets += actors_of(table, child)
            # "launched a mediation effort between the Emirates and Saudi Arabia"
            for grandchild in child.children:
                if grandchild.dep_ == "prep" and grandchild.lower_ == "between":
                    targets += pobj_actors(table, grandchild)
        elif child.dep_ == "prep" and child.lower_ in TARGET_PREPS | {"between"}:
            targets += pobj_actors(table, child)
        elif child.dep_ == "nsubjpass" and verb.lower_ not in _stative_participles():
            targets += actors_of(table, child)
    if not found(targets):
        # "supports Russia’s invasion of Ukraine": the target is the possessor of the object event.
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if obj is not None and obj is not skip:
            targets += noun_targets(table, obj, exclude=sources)
    if not found(targets):
        # "provide aid for Romania", "withdraw troops from Lebanon", "rejected calls by Belarus": "for",
        # "from" and "by" name the other party only when nothing else does.
        for word in ("for", "from", "by"):
            for child in [verb, *[c for c in verb.children if c.dep_ == "dobj"]]:
                for prep in child.children:
                    if prep.dep_ == "prep" and prep.lower_ == word:
                        targets += pobj_actors(table, prep)
            if found(targets):
                break
    if not found(targets):
        # "demanded that Israel ease restrictions", "urged that X …": the complement's subject.
        complement = next((c for c in verb.children if c.dep_ == "ccomp" and c.pos_ in {"VERB", "AUX"}), None)
        if complement is not None and complement is not skip:
            subject = next((c for c in complement.children if c.dep_ in SUBJECT_DEPS), None)
            if subject is not None:
                targets += actors_of(table, subject)
    if not found(targets):
        # "threatened to ban voting … if Hamas ran", "… unless Israel rescinded": the one the condition
        # is laid on; then the objects of the infinitive ("threatened to deliver blows to the US").
        for clause in [verb, *[c for c in verb.children if c.dep_ == "xcomp"]]:
            for advcl in (c for c in clause.children if c.dep_ == "advcl"):
                if any(m.dep_ == "mark" and m.lower_ in {"if", "unless"} for m in advcl.children):
                    subject = next((c for c in advcl.children if c.dep_ in SUBJECT_DEPS), None)
                    if subject is not None:
                        targets += actors_of(table, subject)
        if not found(targets):
            for xcomp in (c for c in verb.children if c.dep_ == "xcomp" and c.pos_ == "VERB" and c is not skip):
                targets += object_actors(table, xcomp)
    if not found(targets):
        targets += _first_actor_after(table, verb, skip, sources)
    return [a for a in unique(targets) if a.id not in sources]


def _first_actor_after(table: ActorTable, verb: Token, skip: Token | None, sources: set[str]) -> list[Actor]:
    """The last resort, as PETRARCH coded: the first actor with a country named in the verb's own
    complements after it ("suspended part of an aid programme for Bosnia", "refused to respond to a
    demand from the US President"), not in a clause of its own and not the doer."""
    complements = [c for c in verb.children if c.i > verb.i and c is not skip
                   and c.dep_ in {"dobj", "dative", "prep", "xcomp", "attr", "oprd"}]
    for complement in complements:
        for token in sorted(own_phrase(complement), key=lambda t: t.i):
            actor = table.actor_at(token)
            if actor is not None and actor.country and actor.id not in sources:
                return table.expand(actor)
    return []


def noun_targets(table: ActorTable, noun: Token, exclude: set[str] | frozenset[str] = frozenset()) -> list[Actor]:
    """The other party of an event noun: its possessor ("Russia’s invasion"), else its "to/with/of"
    phrase ("its invasion of Lebanon" — when the possessor is the doer, in ``exclude``)."""
    for child in noun.children:
        if child.dep_ == "poss":
            possessors = actors_of(table, child)
            if any(a.id not in exclude for a in possessors):
                return possessors
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in TARGET_PREPS | {"of"}:
            found = pobj_actors(table, child)
            if found:
                return found
    return []
