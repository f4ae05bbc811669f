"""What the API answers with: pages of items, the items themselves, and one error shape for every failure.

Records (events, quotes, claims, whole analyses) are the pipeline's own models from
:mod:`tidings.records`, wrapped with the article they come from, so a client reads one schema everywhere.
"""

from __future__ import annotations

import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from tidings.records import Claim, Event, Quote

Item = TypeVar("Item")


class ApiError(BaseModel):
    """Every 4xx/5xx answer: the status again, a short machine-readable code and a sentence for people."""

    status: int
    error: str = Field(description="bad_request, unauthorized, forbidden, not_found, method_not_allowed, "
                       "payload_too_large, validation_error, analysis_busy (429), analysis_timeout (503), "
                       "overloaded (503), unavailable or internal")
    message: str
    details: list[dict[str, Any]] | None = Field(None, description="for validation errors: where and what")


class Page(BaseModel, Generic[Item]):
    items: list[Item]
    total: int = Field(description="items matching the filters, all pages together")
    limit: int
    offset: int


class ArticleSummary(BaseModel):
    id: str
    title: str | None
    published: str | None
    source: str | None
    url: str | None
    outlet: str | None
    language: str | None
    events: int
    quotes: int


class EventItem(BaseModel):
    article_id: str
    article_title: str | None
    published: str | None
    event: Event


class QuoteItem(BaseModel):
    article_id: str
    quote: Quote


class ClaimItem(BaseModel):
    article_id: str
    single_anonymous_source: bool = Field(description="the claim rests on one unnamed source and no named one")
    claim: Claim


class ActorRef(BaseModel):
    actor_id: str
    name: str | None
    mentions: int = Field(description="mentions of this actor inside the speaker's quotes")


class ActorStats(BaseModel):
    actor_id: str
    name: str
    kind: str
    country: str | None
    articles: int
    mentions: int
    quotes: int = Field(description="quotes this actor is the speaker of")
    talks_about: list[ActorRef] = Field(default_factory=list, description="who the actor's quotes mention most")


class AnalyzeRequest(BaseModel):
    text: str = Field(min_length=1, description="the article: plain text or HTML")
    published: datetime.date | None = Field(None, description="publication date, anchors relative times")
    source: str | None = Field(None, max_length=2000)
