"""The actors of one article and where the text mentions them, indexed by token for the later stages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..records import Actor, Mention


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass
class ActorTable:
    """Actors and mentions under construction, and the lookups quotes and events need."""

    doc: Doc
    actors: dict[str, Actor] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    _by_token: dict[int, Mention] = field(default_factory=dict)
    countries_named: set[str] | None = None  # filled once by the resolver when first needed

    # -- building -------------------------------------------------------------------------------
    def add_actor(self, actor: Actor) -> Actor:
        existing = self.actors.get(actor.id)
        if existing is not None:
            return existing
        self.actors[actor.id] = actor
        return actor

    def covered(self, start_token: int, end_token: int) -> bool:
        return any(i in self._by_token for i in range(start_token, end_token))

    def add_mention(self, span: Span, actor_id: str | None, kind: str, rule: str,
                    keep_determiner: bool = False) -> Mention | None:
        """Record a mention over the tokens of ``span`` unless another mention already holds one of them.
        A descriptor keeps its determiner: "the spokesman" is the mention, not "spokesman"."""
        span = trim(span, keep_determiner)
        if len(span) == 0 or self.covered(span.start, span.end):
            return None
        mention = Mention(
            id=f"M{len(self.mentions) + 1}",
            start=span.start_char,
            end=span.end_char,
            text=span.text,
            actor_id=actor_id,
            kind=kind,
            rule=rule,
        )
        self.mentions.append(mention)
        for i in range(span.start, span.end):
            self._by_token[i] = mention
        if actor_id and actor_id in self.actors:
            actor = self.actors[actor_id]
            if span.text not in actor.aliases:
                actor.aliases.append(span.text)
        return mention

    def relink(self, mention: Mention, actor_id: str) -> None:
        mention.actor_id = actor_id
        actor = self.actors[actor_id]
        if mention.text not in actor.aliases:
            actor.aliases.append(mention.text)

    def finish(self) -> None:
        """Sort mentions by position and renumber them; drop actors nothing mentions."""
        self.mentions.sort(key=lambda m: (m.start, m.end))
        for number, mention in enumerate(self.mentions, start=1):
            mention.id = f"M{number}"
        used = {m.actor_id for m in self.mentions}
        for actor in self.actors.values():
            used.update(actor.members)
        self.actors = {key: actor for key, actor in self.actors.items() if key in used}

    # -- looking up -------------------------------------------------------------------------------
    def mention_at(self, token: Token | int) -> Mention | None:
        index = token if isinstance(token, int) else token.i
        return self._by_token.get(index)

    def actor_at(self, token: Token | int) -> Actor | None:
        mention = self.mention_at(token)
        if mention is None or mention.actor_id is None:
            return None
        return self.actors.get(mention.actor_id)

    def actors_in(self, tokens) -> list[Actor]:
        """Distinct actors mentioned by ``tokens`` (in order), groups expanded to their members."""
        seen: dict[str, Actor] = {}
        for token in tokens:
            actor = self.actor_at(token)
            if actor is None:
                continue
            for member in self.expand(actor):
                seen.setdefault(member.id, member)
        return list(seen.values())

    def expand(self, actor: Actor) -> list[Actor]:
        if actor.kind == "group" and actor.members:
            return [self.actors[m] for m in actor.members if m in self.actors]
        return [actor]

    def mentions_before(self, char: int) -> list[Mention]:
        """Mentions that end before ``char``, nearest first."""
        return sorted((m for m in self.mentions if m.end <= char), key=lambda m: -m.start)


def trim(span: Span, keep_determiner: bool = False) -> Span:
    """Strip punctuation, whitespace, possessive endings and a lowercase leading determiner from a mention
    span (a capitalised "The" mid-sentence is part of a name: "by The New York Times")."""
    start, end = span.start, span.end
    doc = span.doc
    drop = set() if keep_determiner else {"the", "a", "an"}
    while start < end and (doc[start].is_punct or doc[start].is_space or doc[start].text in drop):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space or doc[end - 1].tag_ == "POS"
                           or doc[end - 1].text in {"’s", "'s", "’", "'"}):
        end -= 1
    return doc[start:end]
