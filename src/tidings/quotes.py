"""Quotes: who said what — direct, mixed and indirect attributions with their speakers.

One entry point, :func:`find_quotes`.

- **Direct and mixed quotes** are the text between quote marks (typographic or straight), including a
  quote that opens in one paragraph and only closes in a later one. A quote whose content starts a
  sentence is direct; one woven into the writer's own sentence ("The United States “will continue…”,
  Sullivan stressed") is mixed. Its cue is the speech verb of its sentence outside the marks, "according
  to X", or the clause before a colon that introduces it. A quote with no cue of its own that follows
  another quote closely is a follow-on quote and inherits that speaker. Short quoted phrases without a
  cue are scare quotes, not quotes.
- **Indirect quotes** are the clausal complement of a speech or cognition verb ("said that…", "told
  Yonhap …", "believes …"), the clause a parenthetical "said X" or "according to X" sits in.
- **Speakers** are the actors mentioned by the cue's subject and its conjuncts (so "the U.S., UK, South
  Korea, and Japan said" has four), pronouns and descriptors already resolved by the actor stage;
  unnamed sources are flagged anonymous with their descriptor; "told X" gives the addressee.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from .actors.table import ActorTable
from .datafiles import column_set, entry, read_tsv
from .nlp import columns, sentence_span, sentences, text_of
from .records import Quote, Speaker
from .records import Span as TextSpan

OPENING = "“„«‘"
CLOSING = "”»’"
STRAIGHT = '"'
MIN_QUOTE_TOKENS = 4
FOLLOW_ON_MAX_GAP = 400  # characters between a cue'd quote and a follow-on quote without a cue
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
PERSONAL_PRONOUNS = {"he", "she", "they", "we", "i", "you"}
MODES = ("rules", "model", "combined", "model-led")
# The learned model draws PolNeAR's spans best (the whole reported clause of a mixed quote, the cue's
# extent) but loses quote kinds and speakers the rules get right (direct quotes read as mixed, a speaker
# that only coreference finds: "according to Kirby", "the spokesman added"). So the default, model-led,
# takes the model's attributions except where the rules found a direct quote or resolved another speaker,
# and keeps the rule quotes the model missed. "combined" is the older, rules-first mix: every rule quote
# plus the model's indirect attributions the rules miss. TIDINGS_QUOTE_MODE switches it, e.g. for
# `tidings evaluate polnear`.
DEFAULT_MODE = "model-led"


@dataclass
class _Marked:
    start: int  # first character of the content (after the opening mark)
    end: int    # end of the content (before the closing mark)
    closed: bool


@lru_cache(maxsize=1)
def speech_verbs() -> dict[str, dict[str, str]]:
    """speech_verbs.tsv by lemma (built once; callers must not change it)."""
    return {row["lemma"]: row for row in read_tsv("speech_verbs.tsv")}


def find_quotes(doc: Doc, table: ActorTable, mode: str | None = None) -> list[Quote]:
    """The article's quotes. ``mode`` (default :data:`DEFAULT_MODE`): ``rules`` — the rules alone;
    ``model`` — the learned tagger's attributions alone; ``model-led`` — the tagger's attributions where
    the rules found no direct quote and no other speaker, plus the rule quotes it missed; ``combined`` —
    the rules' quotes plus the tagger's indirect attributions the rules do not cover. Without a model
    file, every mode is ``rules``."""
    quotes = _rule_quotes(doc, table)
    mode = mode or os.environ.get("TIDINGS_QUOTE_MODE") or DEFAULT_MODE
    if mode not in MODES:
        raise ValueError(f"unknown quote mode {mode!r}: expected one of {', '.join(MODES)}")
    if mode != "rules":
        from .attribution.learned import model_quotes

        learned = model_quotes(doc, table, quotes)
        if learned is not None:
            if mode == "model":
                quotes = learned
            elif mode == "model-led":
                quotes = _model_led(learned, quotes)
            else:
                quotes = quotes + _not_covered(doc, learned, quotes)
    quotes.sort(key=lambda q: q.content.start)
    for number, quote in enumerate(quotes, start=1):
        quote.id = f"Q{number}"
    return quotes


def _not_covered(doc: Doc, learned: list[Quote], quotes: list[Quote]) -> list[Quote]:
    """The learned attributions to add to the rules' quotes: indirect ones (quote marks are the rules'
    evidence: marks they did not make a quote of, like a two-word scare quote, stay unquoted), whose cue
    reads as an attribution, and which neither share a cue with a rule quote nor overlap one."""
    regions = [(q.content.start, q.content.end) for q in quotes]
    cues = [(q.cue.start, q.cue.end) for q in quotes if q.cue is not None]
    kept: list[Quote] = []
    for pieces in _groups(learned):
        lead = pieces[0]
        if lead.kind != "indirect" or not _attributing_cue(doc, lead.cue):
            continue
        if any(_overlaps(q.content.start, q.content.end, regions) for q in pieces) \
                or (lead.cue is not None and _overlaps(lead.cue.start, lead.cue.end, cues)):
            continue  # the rules already report this attribution
        kept.extend(pieces)
    return kept


def _groups(quotes: list[Quote]) -> list[list[Quote]]:
    """Quotes as attributions: a lead and the follow-on pieces after it."""
    groups: list[list[Quote]] = []
    for quote in quotes:
        if quote.follow_on and groups:
            groups[-1].append(quote)
        else:
            groups.append([quote])
    return groups


def _model_led(learned: list[Quote], rules: list[Quote]) -> list[Quote]:
    """The tagger's attributions, except where the rules found a direct quote (marks are their evidence),
    read a parenthetical cue ("X, said Y, Z") or name another speaker; where both read one cue, the rules'
    speaker and addressee with the tagger's spans; and the rule quotes the tagger missed."""
    kept: list[Quote] = []
    covered: list[tuple[int, int]] = []
    for group in _groups(learned):
        regions = [(q.content.start, q.content.end) for q in group]
        overlapping = [r for r in rules if _overlaps(r.content.start, r.content.end, regions)]
        lead = group[0]
        same_cue = [r for r in rules if r.cue is not None and lead.cue is not None
                    and r.cue.start < lead.cue.end and lead.cue.start < r.cue.end]
        if any(r.kind == "direct" for r in overlapping) or any(r.rule.endswith("+parenthetical") for r in same_cue):
            continue  # quote marks and "X, said Y, Z" are the rules' ground: their reading stands
        if any(r.speaker.actor_ids and set(r.speaker.actor_ids).isdisjoint(lead.speaker.actor_ids) for r in overlapping):
            continue  # the rules name another speaker (through coreference, "according to"): theirs stands
        partner = next((r for r in same_cue if any(r is o for o in overlapping)), None)
        if partner is not None:  # one attribution read twice: the model's spans, the rules' who and to whom
            lead.addressee, lead.addressee_actor_id = partner.addressee, partner.addressee_actor_id
        if partner is not None and partner.speaker.actor_ids:
            mention = lead.speaker.mention
            lead.speaker = partner.speaker.model_copy(deep=True)
            if mention is not None:
                lead.speaker.mention = mention
            for piece in group[1:]:
                piece.speaker = lead.speaker.model_copy(deep=True)
        kept.extend(group)
        covered.extend(regions)
    for group in _groups(rules):
        if not any(_overlaps(q.content.start, q.content.end, covered) for q in group):
            kept.extend(group)
    return kept


def _attributing_cue(doc: Doc, cue: TextSpan | None) -> bool:
    """A cue with a speech or cognition verb (speech_verbs.tsv) or an attribution noun
    (attribution_nouns.tsv): "said", "has accused", "in a joint statement", "according to"."""
    if cue is None:
        return False
    span = doc.char_span(cue.start, cue.end, alignment_mode="expand")
    if span is None:
        return False
    words = column_set("attribution_nouns.tsv")
    verbs = speech_verbs()
    return any(t.lemma_.lower() in verbs or t.lemma_.lower() in words or t.lower_ in words
               or t.pos_ == "VERB" for t in span)


def _rule_quotes(doc: Doc, table: ActorTable) -> list[Quote]:
    verbs = speech_verbs()
    quotes: list[Quote] = []
    previous: Quote | None = None
    for marked in _quote_marks(text_of(doc)):
        quote = _direct_quote(doc, table, marked, verbs, previous)
        if quote is None:
            continue
        quotes.append(quote)
        previous = quote
    turns = _transcript_turns(doc, table)
    quotes = [q for q in quotes if not _overlaps(q.content.start, q.content.end,
                                                  [(t.content.start, t.content.end) for t in turns])] + turns
    direct_regions = [(q.content.start, q.content.end) for q in quotes]
    quotes.extend(_indirect_quotes(doc, table, verbs, direct_regions))
    quotes.sort(key=lambda q: q.content.start)
    return quotes


# -- transcripts ------------------------------------------------------------------------------------

# "PENCE: Well, look, …" opening a paragraph: a turn of an interview transcript. The label is one to three
# words in capitals; an opening quote mark before it is allowed (some sites quote whole transcripts).
TRANSCRIPT_TURN = re.compile(r"(?m)^[\"“]?[ \t]*([A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,2}):[ \t]+(\S[^\n]*)")
MIN_TURNS_PER_LABEL = 2  # one "UPDATE:" or "BYLINE:" is a kicker; a speaker takes turns


def _transcript_turns(doc: Doc, table: ActorTable) -> list[Quote]:
    """Turns of a transcript, each a direct quote of its labelled speaker. A label counts as a speaker when
    it opens at least two paragraphs or names an actor of the article ("CLINTON:" after "Hillary Clinton")."""
    text = text_of(doc)
    found = list(TRANSCRIPT_TURN.finditer(text))
    if not found:
        return []
    uses: dict[str, int] = {}
    for match in found:
        uses[match.group(1)] = uses.get(match.group(1), 0) + 1
    people = {word.lower(): actor for actor in table.actors.values() if actor.kind == "person"
              for word in actor.name.split()}
    turns: list[Quote] = []
    for match in found:
        label = match.group(1)
        person = next((people[word] for word in label.lower().split() if word in people), None)
        if uses[label] < MIN_TURNS_PER_LABEL and person is None:
            continue
        label_span = doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
        colon = doc.char_span(match.end(1), match.end(1) + 1, alignment_mode="expand")
        content = doc.char_span(match.start(2), match.end(2), alignment_mode="expand")
        if label_span is None or colon is None or content is None:
            continue
        content = _strip(content)
        if not len(content):
            continue
        if person is not None:  # "HARLOW:" is the Jane Harlow the article names
            speaker = Speaker(actor_ids=[person.id], countries=[person.country] if person.country else [])
        else:  # a host or guest the article does not otherwise name: known by the label alone
            speaker = Speaker(descriptor=label.title())
        speaker.mention = _text_span(label_span)
        turns.append(Quote(id="", kind="direct", content=_text_span(content), cue=_text_span(colon),
                           speaker=speaker, rule="cue:transcript-turn"))
    return turns


# -- direct quotes ----------------------------------------------------------------------------------

def _quote_marks(text: str) -> list[_Marked]:
    """Pairs of quote marks, paragraph by paragraph. An opening mark left open at the end of a paragraph
    continues into the next paragraph when that one opens with a mark too (the news convention)."""
    found: list[_Marked] = []
    open_at: int | None = None
    offset = 0
    for paragraph in text.split("\n"):
        straight_open: int | None = None
        if not paragraph.strip():
            offset += len(paragraph) + 1
            continue  # the blank line between paragraphs
        if open_at is not None and not paragraph.lstrip().startswith(tuple(OPENING + STRAIGHT)):
            found.append(_Marked(open_at, offset - 1, closed=False))  # never closed: up to the paragraph end
            open_at = None
        for i, char in enumerate(paragraph):
            at = offset + i
            if char in OPENING and not _is_apostrophe(paragraph, i):
                if open_at is None:
                    open_at = at + 1
            elif char in CLOSING and not _is_apostrophe(paragraph, i):
                if open_at is not None:
                    found.append(_Marked(open_at, at, closed=True))
                    open_at = None
            elif char == STRAIGHT:
                if straight_open is None:
                    straight_open = at + 1
                else:
                    found.append(_Marked(straight_open, at, closed=True))
                    straight_open = None
        offset += len(paragraph) + 1
    if open_at is not None:
        found.append(_Marked(open_at, len(text.rstrip()), closed=False))
    return [m for m in found if m.end > m.start]


def _is_apostrophe(paragraph: str, i: int) -> bool:
    """’ between letters (Kim’s, don’t) or after a plural s (countries’) is an apostrophe, not a quote."""
    char = paragraph[i]
    if char not in "’‘":
        return False
    before = paragraph[i - 1] if i > 0 else " "
    after = paragraph[i + 1] if i + 1 < len(paragraph) else " "
    return before.isalnum() and (after.isalnum() or char == "’")


def _direct_quote(doc: Doc, table: ActorTable, marked: _Marked, verbs: dict, previous: Quote | None) -> Quote | None:
    content = doc.char_span(marked.start, marked.end, alignment_mode="expand")
    if content is None or len(content) == 0:
        return None
    content = _strip(content)
    if len(content) == 0:
        return None
    sentences = _sentences_around(doc, marked)
    cue = _cue_for(sentences, marked, verbs, table)
    long_enough = sum(1 for t in content if not t.is_punct) >= MIN_QUOTE_TOKENS
    if cue is None:
        if previous is not None and long_enough and 0 <= marked.start - previous.content.end <= FOLLOW_ON_MAX_GAP \
                and previous.speaker.actor_ids:
            return Quote(
                id="", kind="direct", content=_text_span(content), cue=None,
                speaker=previous.speaker.model_copy(deep=True), follow_on=True, rule="quote:follow-on",
            )
        return None
    cue_tokens, subject, rule = cue
    cue_text = _text_span(cue_span(cue_tokens[0]) if len(cue_tokens) == 1 else doc[cue_tokens[0].i:cue_tokens[-1].i + 1])
    if previous is not None and previous.cue is not None and previous.cue.start == cue_text.start \
            and previous.content.end <= marked.start:
        # "“A,” he said, “b …”": the words after the cue go on with the same quote, not a new one.
        return Quote(id="", kind="direct", content=_text_span(content), cue=None,
                     speaker=previous.speaker.model_copy(deep=True), follow_on=True, rule="quote:continued")
    if not long_enough and not _reads_as_words_said(doc, marked):
        return None
    speaker = _speaker(table, subject, exclude=(marked.start, marked.end))
    if not speaker.actor_ids and not speaker.descriptor:
        return None
    kind = "direct" if _starts_sentence(content, marked) else "mixed"
    if kind == "mixed" and rule.startswith("speech_verbs"):
        # Mixed quotes report a whole clause, part of it in the speaker's own words: "The United States
        # “will continue to seek opportunities …” from selling arms to Moscow, Sullivan stressed".
        content = _clause_without_cue(content, cue_tokens[0], subject)
    addressee, addressee_actor = _addressee(table, cue_tokens[0])
    return Quote(
        id="", kind=kind, content=_text_span(content), cue=cue_text,
        speaker=speaker, addressee=addressee, addressee_actor_id=addressee_actor, rule=rule,
    )


def _clause_without_cue(content: Span, verb: Token, subject: Token | None) -> Span:
    """The sentence around a mixed quote, less the cue clause ("…, Sullivan stressed"): the longer side."""
    doc = content.doc
    sentence = sentence_span(verb)
    cue = {verb.i} | ({t.i for t in subject.subtree} if subject is not None else set())
    cue |= {c.i for c in verb.children if c.dep_ in {"aux", "auxpass", "neg", "advmod", "npadvmod", "prep"}
            for c in c.subtree if c.i > verb.i or c.dep_ in {"aux", "neg"}}
    cue |= {t.i for c in verb.children if c.dep_ == "advcl" for t in c.subtree}
    before = [t for t in sentence if t.i < min(cue) and not t.is_space]
    after = [t for t in sentence if t.i > max(cue) and not t.is_space]
    side = before if sum(not t.is_punct for t in before) >= sum(not t.is_punct for t in after) else after
    if not side:
        return content
    clause = _strip_trailing(doc[side[0].i:side[-1].i + 1])
    # Trailing marks and commas go, but not into the quoted words: a quote that ends the sentence keeps
    # its own closing punctuation ("… was “unhinged, even for him.”").
    while len(clause) and clause[-1].text in CLOSING + STRAIGHT + "," and clause.end > content.end:
        clause = clause[:-1]
    if clause.start <= content.start and clause.end < content.end and content.end <= side[-1].i + 1:
        clause = doc[clause.start:content.end]
    return clause if clause.start <= content.start and content.end <= clause.end else content


def _reads_as_words_said(doc: Doc, marked: _Marked) -> bool:
    """A short quote with a speech cue is still a quote when it reads as an utterance: it starts with a
    capital and ends with its own punctuation inside the marks ("Here comes Big Daddy," she said)."""
    inner = text_of(doc)[marked.start:marked.end].strip()
    return bool(inner) and inner[0].isupper() and inner[-1] in ",.!?"


def _strip(span: Span) -> Span:
    doc = span.doc
    start, end = span.start, span.end
    while start < end and (doc[start].is_space or doc[start].text in OPENING + CLOSING + STRAIGHT):
        start += 1
    while end > start and (doc[end - 1].is_space or doc[end - 1].text in OPENING + CLOSING + STRAIGHT + ","):
        end -= 1
    return doc[start:end]


def _sentences_around(doc: Doc, marked: _Marked) -> list[Span]:
    """The sentences the quote overlaps, plus the one its closing mark ends (where the cue usually is)."""
    opening, closing = marked.start - 1, marked.end + 1  # the marks themselves
    return [s for s in sentences(doc) if s.start_char <= closing and s.end_char > opening
            and text_of(doc)[s.start_char:s.end_char].strip()]


def _inside(token: Token, marked: _Marked) -> bool:
    return marked.start - 1 <= token.idx < marked.end + 1


def _cue_for(sentences: list[Span], marked: _Marked, verbs: dict, table: ActorTable):
    """The speech verb, "according to", colon-introducing clause or dash signature that attributes a quote."""
    if sentences:
        signed = _dash_signature(sentences[0].doc, marked)
        if signed is not None:
            return signed
    candidates: list[tuple[int, list[Token], Token | None, str]] = []
    for sentence in sentences:
        for token in sentence:
            if _inside(token, marked):
                continue
            if token.pos_ in {"VERB", "AUX"} and _verb_key(token) in verbs:
                subject = _subject(token, table)
                if subject is not None and not _inside(subject, marked):
                    distance = min(abs(token.idx - marked.end), abs(token.idx - marked.start))
                    row = verbs[_verb_key(token)]
                    candidates.append((distance, [token], subject, entry("speech_verbs.tsv", row)))
            if token.lower_ == "according" and token.i + 2 < len(token.doc) and token.nbor().lower_ == "to":
                obj = next((c for c in token.nbor().children if c.dep_ == "pobj"), None)
                if obj is not None:
                    distance = min(abs(token.idx - marked.end), abs(token.idx - marked.start))
                    candidates.append((distance, [token, token.nbor()], obj, "cue:according-to"))
    if candidates:
        candidates.sort(key=lambda c: c[0])
        _, tokens, subject, rule = candidates[0]
        return tokens, subject, rule
    # "The official called on Pyongyang …: “…”": the clause before the colon speaks.
    doc = sentences[0].doc if sentences else None
    if doc is not None:
        before = text_of(doc)[:marked.start - 1].rstrip()
        if before.endswith(":"):
            colon = doc.char_span(len(before) - 1, len(before), alignment_mode="expand")
            if colon is not None:
                root = _clause_before(colon[0])
                subject = _subject(root, table) if root is not None else None
                if subject is not None and table.actor_at(subject) is not None:
                    return [root], subject, "cue:colon"
    return None


# "“…” ― Maria Lopez" closing a line: a quote signed with a dash and a name (readers' comments, pull
# quotes, epigraphs). The name is a few capitalised words and nothing else before the line ends.
DASH_SIGNATURE = re.compile(r"[”\"’']?[ \t\u00a0]*([―—–])[ \t\u00a0]*([^\n]{2,80}?)[ \t\u00a0]*(?:\n|$)")
SIGNATURE_MAX_WORDS = 6


def _dash_signature(doc: Doc, marked: _Marked) -> tuple[list[Token], Token, str] | None:
    found = DASH_SIGNATURE.match(text_of(doc), marked.end)
    if found is None:
        return None
    dash = doc.char_span(found.start(1), found.end(1), alignment_mode="expand")
    name = doc.char_span(found.start(2), found.end(2), alignment_mode="contract")
    if dash is None or name is None or not len(name) or len(name) > SIGNATURE_MAX_WORDS:
        return None
    if not all(t.is_title or t.is_upper or t.is_punct for t in name) or not any(t.pos_ == "PROPN" for t in name):
        return None
    return [dash[0]], name.root, "cue:dash-signature"


def _clause_before(colon: Token) -> Token | None:
    """The verb of the clause a colon ends: the highest ancestor of the word before the colon that is
    still before it ("Lavrov was blunt:" -> "was", even when the parser hangs the quote on it)."""
    doc = colon.doc
    if colon.i == 0:
        return None
    start = sentence_span(colon).start
    token = doc[colon.i - 1]
    while token.head.i != token.i and start <= token.head.i < colon.i:
        token = token.head
    return token if token.pos_ in {"VERB", "AUX"} else None


def _verb_key(token: Token) -> str:
    """A verb's lemma, with its particle for phrasal verbs ("point out"). Computed for the whole doc on
    first use: the quote rules and the attribution features ask it of every token and its heads."""
    keys = token.doc.user_data.get("tidings_verb_keys")
    if keys is None:
        verbs = speech_verbs()
        keys = [token.lemma_.lower() for token in token.doc]
        for particle in token.doc:
            if particle.dep_ == "prt":
                phrasal = f"{keys[particle.head.i]} {particle.lower_}"
                if phrasal in verbs:
                    keys[particle.head.i] = phrasal
        token.doc.user_data["tidings_verb_keys"] = keys
    return keys[token.i]


def _subject(verb: Token, table: ActorTable | None = None) -> Token | None:
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    if table is not None and len(subjects) > 1:
        # "Those talks, said spokesman John Kirby, …" can come out with two subjects: the speaker is
        # the one that names an actor.
        named = [c for c in subjects if table.actor_at(c) is not None]
        if named:
            return named[0]
    if subjects:
        return subjects[0]
    # Passive or inverted order ("said the U.S., UK, …"): a noun phrase after the verb holding an actor.
    for child in verb.children:
        if child.dep_ in {"dobj", "attr", "agent", "npadvmod"} and child.i > verb.i:
            return child
    # Coordinated verbs share their subject ("… invited X and tried …"); so does a participle hung on
    # another verb ("…, saying the deal was dead").
    if verb.head.pos_ in {"VERB", "AUX"} and (verb.dep_ == "conj" or (verb.dep_ in {"advcl", "xcomp"}
                                                                        and verb.tag_ == "VBG")):
        return _subject(verb.head, table)
    return None


def _speaker(table: ActorTable, subject: Token | None, exclude: tuple[int, int] | None = None) -> Speaker:
    if subject is None:
        return Speaker()
    heads = [subject, *subject.conjuncts]
    # "the U.S., UK, South Korea, and Japan" is often parsed as an apposition with conjuncts.
    for head in list(heads):
        for child in head.children:
            if child.dep_ == "appos":
                heads += [child, *child.conjuncts]
    actors = []
    for head in heads:
        if exclude and exclude[0] <= head.idx < exclude[1]:
            continue
        actor = table.actor_at(head)
        if actor is None:
            # The head is not a mention ("the website NK News", "Russia’s foreign ministry"): an actor
            # naming or owning it stands in for it — not one further down ("the text published by X").
            found = table.actors_in(t for c in head.children
                                    if c.dep_ in {"appos", "compound", "poss", "amod", "nmod"} for t in c.subtree)
            actor = found[0] if found else None
        if actor is not None:
            actors.extend(table.expand(actor))
    unique = list({a.id: a for a in actors}.values())
    mention = table.mention_at(subject)
    anonymous = any(a.kind == "anonymous" for a in unique)
    descriptor = unique[0].name if anonymous else None
    if not unique and (subject.pos_ in {"NOUN", "PROPN"} or subject.lower_ in PERSONAL_PRONOUNS):
        # "Several cast members said …", an unresolved "she said": a speaker the actor stage does not
        # know is still the speaker.
        descriptor = _phrase(subject).text
    span = _phrase(subject)
    if mention is not None and len(span) > 1 and span.start_char <= mention.start and mention.end <= span.end_char:
        mention = None  # the phrase ("Douglas Holtz-Eakin, an economist") says more than its name
    return Speaker(
        mention=_text_span(span) if mention is None else TextSpan(start=mention.start, end=mention.end, text=mention.text),
        actor_ids=[a.id for a in unique],
        countries=sorted({a.country for a in unique if a.country}),
        descriptor=descriptor,
        anonymous=anonymous,
    )


def _phrase(head: Token) -> Span:
    """The speaker's noun phrase with its appositive, without relative clauses or trailing punctuation."""
    doc = head.doc
    excluded = {t.i for c in head.children if c.dep_ in {"relcl", "acl"} for t in c.subtree}
    tokens = [t for t in head.subtree if t.i not in excluded]
    start, end = min(t.i for t in tokens), max(t.i for t in tokens) + 1
    while end > start + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    while start < head.i and (doc[start].is_punct or doc[start].is_space):
        start += 1  # a mark glued to the phrase ("”― Maria Lopez")
    return doc[start:end]


def _addressee(table: ActorTable, verb: Token) -> tuple[TextSpan | None, str | None]:
    """"told the Yonhap news agency": the one spoken to."""
    if verb.lemma_.lower() != "tell":
        return None, None
    obj = next((c for c in verb.children if c.dep_ in {"dobj", "dative", "iobj"}), None)
    if obj is None:
        return None, None
    names = [t for t in obj.subtree if t.dep_ != "relcl" and not any(a.dep_ == "relcl" for a in t.ancestors if a.i >= obj.i)]
    span = _phrase(obj) if not names else obj.doc[min(t.i for t in names):max(t.i for t in names) + 1]
    span = _trim_clause(span)
    actors = table.actors_in(span)
    return _text_span(span), (actors[0].id if actors else None)


def _trim_clause(span: Span) -> Span:
    doc = span.doc
    end = span.end
    for token in span:
        if token.text == "," and token.i > span.start:
            end = token.i
            break
    return doc[span.start:end]


def _starts_sentence(content: Span, marked: _Marked) -> bool:
    first = text_of(content.doc)[marked.start:marked.start + 1]
    if first in "[(" or first.isupper() or first.isdigit():
        return True
    return False


def cue_span(verb: Token) -> Span:
    """A speech verb with the auxiliaries, negation and adverbs right before it: "has also said"."""
    start = verb.i
    while start > sentence_span(verb).start:
        previous = verb.doc[start - 1]
        if previous.head.i == verb.i and previous.dep_ in {"aux", "auxpass", "neg", "advmod"}:
            start -= 1
            continue
        break
    return verb.doc[start:verb.i + 1]


def _text_span(span: Span) -> TextSpan:
    return TextSpan(start=span.start_char, end=span.end_char, text=span.text)


# -- indirect quotes --------------------------------------------------------------------------------

def _indirect_quotes(doc: Doc, table: ActorTable, verbs: dict,
                     direct_regions: list[tuple[int, int]]) -> list[Quote]:
    quotes: list[Quote] = []
    cols = columns(doc)  # the tests read the doc's columns; a Token is built for a verb or "according" only
    for i, (pos, lower) in enumerate(zip(cols.pos, cols.lower)):
        # A verb that cues a direct quote may also report other words of its own ("Shoigu recalled that
        # the two countries are discussing …: “…”"); the overlap check keeps the quote from doubling.
        if pos in {"VERB", "AUX"} and _verb_key(doc[i]) in verbs:
            quote = _reported(doc, table, doc[i], verbs[_verb_key(doc[i])], direct_regions)
        elif lower == "according" and i + 1 < len(doc) and cols.lower[i + 1] == "to":
            quote = _according_to(doc, table, doc[i], direct_regions)
        else:
            quote = None
        if quote is not None:
            quotes.append(quote)
    return quotes


def _overlaps(start: int, end: int, regions: list[tuple[int, int]]) -> bool:
    return any(start < r_end and r_start < end for r_start, r_end in regions)


def _reported(doc: Doc, table: ActorTable, verb: Token, row: dict, direct_regions) -> Quote | None:
    if any(c.dep_ == "mark" and c.lower_ in {"if", "unless", "whether"} for c in verb.children):
        return None  # "If confirmed, …" reports nobody's words
    subject = _subject(verb, table)
    if subject is None or subject.lower_ in {"it", "that", "this", "which", "what"}:
        return None
    has_own_subject = any(c.dep_ in SUBJECT_DEPS for c in verb.children)
    complement = next((c for c in verb.children if c.dep_ == "ccomp"), None) or _that_clause(verb)
    rule = entry("speech_verbs.tsv", row)
    if complement is not None:
        # The complementizer belongs to the reported words ("said that …"), as attribution corpora mark them.
        tokens = [t for t in complement.subtree]
        while tokens and (tokens[0].is_punct or (tokens[0].dep_ == "mark" and tokens[0].lower_ != "that")):
            tokens = tokens[1:]
        while tokens and tokens[-1].is_punct:
            tokens = tokens[:-1]
        if not tokens:
            return None
        content = doc[tokens[0].i:tokens[-1].i + 1]
    elif has_own_subject and verb.dep_ in {"parataxis", "ccomp", "advcl"} and verb.head.pos_ in {"VERB", "AUX"} \
            and verb.head.i != verb.i:
        # "Those talks, said Kirby, had advanced …" / "…, some experts point out.": the host clause.
        host = verb.head
        cue_tokens = {t.i for t in verb.subtree}
        tokens = [t for t in host.subtree if t.i not in cue_tokens]
        before = [t for t in tokens if t.i < min(cue_tokens)]
        after = [t for t in tokens if t.i > max(cue_tokens)]
        # The reported words are on both sides of "said X"; a span is one stretch, so take the longer.
        side = after if sum(not t.is_punct for t in after) >= sum(not t.is_punct for t in before) else before
        if not side:
            return None
        content = _strip_trailing(doc[side[0].i:side[-1].i + 1])
        rule += "+parenthetical"
    elif has_own_subject and verb.dep_ == "ROOT" and _ends_sentence_after(verb) and verb.i > sentence_span(verb).start + 3:
        # "The talks will not lead to cooperation, some experts point out." parsed with the cue as root.
        content = _strip_trailing(doc[sentence_span(verb).start:subject.left_edge.i])
        rule += "+sentence-final"
    else:
        return None
    if len(content) < 3 or _overlaps(content.start_char, content.end_char, direct_regions):
        return None
    content = _through_colon(content)
    speaker = _speaker(table, subject)
    if not speaker.actor_ids and not speaker.descriptor:
        return None
    addressee, addressee_actor = _addressee(table, verb)
    return Quote(
        id="", kind="indirect", content=_text_span(content), cue=_text_span(cue_span(verb)),
        speaker=speaker, addressee=addressee, addressee_actor_id=addressee_actor, rule=rule,
    )


def _that_clause(verb: Token) -> Token | None:
    """A "that"-clause the parser hung elsewhere in the cue's phrase ("said Tuesday in a press conference
    that …", parsed as a relative clause of "conference")."""
    for token in verb.subtree:
        if token.i <= verb.i or token.pos_ not in {"VERB", "AUX"} or token.dep_ not in {"relcl", "acl", "advcl"}:
            continue
        first = min(t.i for t in token.subtree)
        if token.doc[first].lower_ == "that" and first > verb.i:
            return token
    return None


def _through_colon(content: Span) -> Span:
    """Reported words that end in a colon go on into what the colon introduces (same paragraph)."""
    doc = content.doc
    end = content.end
    if end < len(doc) and doc[end].text == ":" and "\n" not in doc[end].text_with_ws:
        following = sentence_span(doc[end + 1]) if end + 1 < len(doc) else None
        if following is not None and "\n" not in text_of(doc)[doc[end].idx:following.start_char]:
            return _strip_trailing(doc[content.start:following.end])
    return content


def _ends_sentence_after(verb: Token) -> bool:
    rest = [t for t in verb.doc[verb.i + 1:sentence_span(verb).end] if not t.is_punct and not t.is_space]
    return all(t.dep_ == "prt" for t in rest)


def _strip_trailing(span: Span) -> Span:
    doc = span.doc
    start, end = span.start, span.end
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    return doc[start:end]


def _according_to(doc: Doc, table: ActorTable, according: Token, direct_regions) -> Quote | None:
    to = according.nbor()
    obj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if obj is None:
        return None
    host = according.head if according.head != according else according
    while host.dep_ not in {"ROOT", "ccomp", "conj"} and host.head != host:
        host = host.head
    phrase_end = max(t.i for t in obj.subtree) + 1
    tokens = [t for t in host.subtree if not (according.i <= t.i < phrase_end) and not t.is_punct]
    if not tokens:
        return None
    if according.i <= min(t.i for t in tokens):
        content = doc[phrase_end:max(t.i for t in tokens) + 1]
    elif according.i >= max(t.i for t in tokens):
        content = doc[min(t.i for t in tokens):according.i]
    else:
        content = doc[min(t.i for t in tokens):max(t.i for t in tokens) + 1]
    content = _strip_trailing(content)
    if len(content) < 3 or _overlaps(content.start_char, content.end_char, direct_regions):
        return None
    speaker = _speaker(table, obj)
    if not speaker.actor_ids and not speaker.descriptor:
        return None
    return Quote(
        id="", kind="indirect", content=_text_span(content), cue=_text_span(doc[according.i:to.i + 1]),
        speaker=speaker, rule="cue:according-to",
    )

