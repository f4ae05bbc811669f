"""The records tidings produces, and the JSON Schema they export.

Every record that rests on the article's text carries character offsets (``start``, ``end``) into
``Article.text`` (the clean text), so that ``text[start:end]`` is exactly the evidence, and names the
``rule`` (a pattern or lexicon entry) that produced it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"

Modality = Literal["asserted", "negated", "future", "planned", "hypothetical", "historical"]
ClaimStatus = Literal["confirmed", "unconfirmed", "denied", "disputed", "asserted"]
QuoteKind = Literal["direct", "mixed", "indirect"]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(Record):
    """A stretch of the clean text: ``text == article.text[start:end]``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class Removal(Record):
    """A piece of the input that is not part of the article, and why it was dropped."""

    text: str
    reason: str = Field(description="newsletter, subscription, paywall, cookies, related-links, "
                        "language:<code>, boilerplate, empty")
    line: int | None = Field(None, description="1-based line (or paragraph) number in the input")


class Article(Record):
    id: str = Field(description="sha256 of the normalized clean text")
    source: str | None = Field(None, description="file name, URL or '-' for stdin")
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    subtitle: str | None = None
    published: str | None = Field(None, description="ISO date the article was published")
    published_from: str | None = Field(None, description="option, html-metadata, file-name or none")
    language: str | None = None
    text: str = Field(description="clean text: title, subtitle and body paragraphs joined by blank lines")
    body_start: int = Field(0, description="offset in text where the body starts (after title/subtitle)")
    removed: list[Removal] = Field(default_factory=list)


class Mention(Span):
    id: str
    actor_id: str | None
    kind: str = Field(description="name, title, capital, seat, nationality, state, org, descriptor, pronoun, "
                      "alias, group, anonymous")
    rule: str


class Actor(Record):
    id: str
    name: str
    kind: Literal["state", "person", "organisation", "group", "anonymous"]
    country: str | None = Field(None, description="ISO 3166-1 alpha-3, or IGO")
    sector: str | None = Field(None, description="primary sector code: GOV, MIL, MED, EDU, BUS, ...")
    sectors: list[str] = Field(default_factory=list, description="all sector codes, primary first")
    role: str | None = None
    role_start: str | None = None
    role_end: str | None = None
    members: list[str] = Field(default_factory=list, description="for groups: member actor ids")
    aliases: list[str] = Field(default_factory=list)
    source: str = Field(description="the lexicon entry or rule the actor was built from")


class Speaker(Record):
    mention: Span | None = None
    actor_ids: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)
    descriptor: str | None = Field(None, description="how the text names an unnamed source")
    anonymous: bool = False


class Quote(Record):
    id: str
    kind: QuoteKind
    content: Span
    cue: Span | None = None
    speaker: Speaker
    addressee: Span | None = None
    addressee_actor_id: str | None = None
    follow_on: bool = False
    rule: str


class EventDate(Record):
    value: str
    precision: Literal["day", "week", "month", "season", "year", "interval", "vague", "publication"]
    date_from: Literal["clause", "sentence", "coreference", "publication"] = Field(
        description="clause or sentence: a time expression there; coreference: a later mention of the same "
                    "event ('the meeting … will be held between September 10 and 13'); publication: none found")
    timex_id: str | None = None


class EventPlace(Record):
    place_id: str
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    place_from: Literal["clause", "subject", "coreference"]


class Attribution(Record):
    quote_id: str
    actor_ids: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)
    descriptor: str | None = None
    anonymous: bool = False


class Event(Record):
    id: str
    sentence: int
    evidence: Span
    trigger: Span
    source_actor_ids: list[str]
    target_actor_ids: list[str]
    source_countries: list[str]
    target_countries: list[str]
    cameo: str
    cameo_root: str
    cameo_name: str
    goldstein: float
    quad_class: int = Field(ge=1, le=4, description="1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict")
    plover: str | None
    modality: Modality
    act_cameo: str | None = Field(None, description="for an announced act (an offer, a threat, a refusal: "
                                  "'Finland will give Tanzania a grant'), the CAMEO code of the act itself")
    modality_cue: Span | None = None
    reciprocal: bool = False
    attributed_to: Attribution | None = None
    status: ClaimStatus | None = None
    date: EventDate
    place: EventPlace | None = None
    confidence: float = Field(ge=0, le=1)
    rule: str


class Claim(Record):
    id: str
    span: Span
    quote_id: str | None
    source_actor_ids: list[str]
    source_countries: list[str]
    anonymous: bool = False
    status: ClaimStatus
    status_evidence: Span | None = None
    event_ids: list[str] = Field(default_factory=list)
    rule: str


class Timex(Span):
    id: str
    type: Literal["DATE", "TIME", "DURATION", "SET"]
    value: str
    anchor: str | None = Field(None, description="the date the value was resolved against")
    rule: str


class Place(Span):
    id: str
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    feature: str | None = Field(None, description="country, admin1, city, region, ...")
    gazetteer_id: str | None = None
    rule: str


class Analysis(Record):
    schema_version: str = SCHEMA_VERSION
    article: Article
    actors: list[Actor] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    timexes: list[Timex] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list, description="flags for a partial or empty analysis")
    error: str | None = Field(None, description="set when the article could not be analyzed")


def json_schema() -> dict:
    """The published JSON Schema of one analysis record."""
    schema = Analysis.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://tidings.invalid/schema/analysis-{SCHEMA_VERSION}.json"
    return schema
