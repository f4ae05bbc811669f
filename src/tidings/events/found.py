"""A trigger the coder has found, before it becomes an event record (shared by the coder's parts)."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from ..records import Actor, Quote


@dataclass
class Found:
    trigger: Span
    head: Token
    code: str
    rule: str
    sources: list[Actor]
    targets: list[Actor]
    reciprocal: bool = False
    speaker_quote: Quote | None = None
    extra: dict = field(default_factory=dict)
