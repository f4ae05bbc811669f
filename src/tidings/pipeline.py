"""The Analyzer: loads the spaCy pipeline once and runs the stages over each article's single parse.

Stages run in a fixed order over a shared :class:`State`, each through one entry point of its own module
(``STAGES`` is the registry). A stage that fails on an odd article does not sink the analysis: its
records stay empty and the analysis carries a warning saying which stage failed and why.

Two limits keep one hostile article from stalling a batch (see :class:`Analyzer`): ``max_chars`` bounds
the text that is parsed (and so the parse's time and memory), ``max_seconds_per_article`` stops the
analysis between stages once its time is spent.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc

from .actors.resolve import resolve_actors
from .actors.table import ActorTable
from .claims import find_claims
from .events.coder import code_events
from .ingest import IngestError, read_article, read_path
from .ingest.reader import Kind
from .nlp import forget_caches, load_nlp
from .places import find_places
from .quotes import find_quotes
from .records import Analysis, Article, Claim, Event, Place, Quote, Timex
from .timex import find_timexes

SUPPORTED_LANGUAGES = {"en"}
# News articles run from 2,000 to about 60,000 characters; a clean text far longer is a dump or a book, and
# parsing it whole would hold one worker for minutes and the parse's memory for all of it.
DEFAULT_MAX_CHARS = 100_000
# Generous: an article of DEFAULT_MAX_CHARS takes well under a minute; only a pathological input gets here.
DEFAULT_MAX_SECONDS_PER_ARTICLE = 300.0
# Articles parsed together by nlp.pipe in the batch paths: enough to amortize the parser's per-call cost,
# few enough that a batch's docs stay small in memory.
DEFAULT_BATCH_SIZE = 16


@dataclass
class State:
    """What the stages share for one article: its record, its parse, and the records found so far."""

    article: Article
    doc: Doc
    published: dt.date | None
    actors: ActorTable | None = None
    timexes: list[Timex] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)


def _actors(state: State) -> None:
    state.actors = resolve_actors(state.doc, state.published, state.places)


def _times(state: State) -> None:
    state.timexes = find_timexes(state.doc, state.published)


def _places(state: State) -> None:
    state.places = find_places(state.doc, state.published)


def _quotes(state: State) -> None:
    state.quotes = find_quotes(state.doc, _table(state))


def _events(state: State) -> None:
    state.events = code_events(state.doc, _table(state), state.quotes, state.timexes, state.places, state.published)


def _claims(state: State) -> None:
    state.claims = find_claims(state.doc, state.quotes, state.events)


def _table(state: State) -> ActorTable:
    return state.actors if state.actors is not None else ActorTable(state.doc)


# Places come before actors: a group's country can be the place its phrase names ("Darfur rebels").
STAGES: dict[str, Callable[[State], None]] = {
    "places": _places,
    "actors": _actors,
    "times": _times,
    "quotes": _quotes,
    "events": _events,
    "claims": _claims,
}


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


class Analyzer:
    """Analyze many articles with one loaded model.

    >>> analyzer = Analyzer()                       # doctest: +SKIP
    >>> analysis = analyzer.analyze(text, published="2023-09-06")  # doctest: +SKIP
    """

    def __init__(self, model: str | None = None, *, max_chars: int | None = DEFAULT_MAX_CHARS,
                 max_seconds_per_article: float | None = DEFAULT_MAX_SECONDS_PER_ARTICLE) -> None:
        """``max_chars``: a longer clean text is analyzed up to a paragraph break before that many
        characters, and the analysis warns that it is partial (the article record keeps the whole text).
        ``max_seconds_per_article``: checked after the parse and between stages (a stage that has started
        runs to its end, since spaCy cannot be interrupted safely mid-call); when it is spent the remaining
        stages are skipped and the analysis carries an ``error``. None turns either limit off."""
        self.nlp = load_nlp(model)
        self.model = model or self.nlp.meta.get("name", "")
        self.max_chars = max_chars
        self.max_seconds_per_article = max_seconds_per_article

    # -- one article --------------------------------------------------------------------------------
    def analyze(self, text: str | bytes, *, published: str | dt.date | None = None, source: str | None = None,
                kind: Kind = "auto", url: str | None = None, outlet: str | None = None) -> Analysis:
        """Analyze one article given as text or bytes (plain text or HTML). Raises IngestError on input
        that is not an article (empty, binary, too large, an HTML page without article text)."""
        article = read_article(text, source=source, published=published, kind=kind, url=url, outlet=outlet)
        return self.analyze_article(article)

    def analyze_path(self, path: str | Path, *, published: str | dt.date | None = None) -> Analysis:
        return self.analyze_article(read_path(path, published=published))

    def analyze_article(self, article: Article, *, max_seconds: float | None = None) -> Analysis:
        """Analyze an article already read; ``max_seconds`` overrides the analyzer's per-article limit."""
        started = time.monotonic()
        prepared = self._prepare(article)
        if isinstance(prepared, Analysis):
            return prepared
        text, warnings = prepared
        return self._finish(article, self.nlp(text), warnings, started, max_seconds)

    def analyze_articles(self, articles: Iterable[Article], *, batch_size: int = DEFAULT_BATCH_SIZE,
                         max_seconds: float | None = None) -> Iterator[Analysis]:
        """Analyze articles already read, in order, parsing them in batches with ``nlp.pipe`` (faster than
        one parse per article); the stages then run article by article. The per-article time limit counts
        from the end of the batch's parse. An article whose analysis fails unexpectedly yields a record
        with ``error``; it never stops the others."""
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= batch_size:
                yield from self._analyze_batch(batch, max_seconds)
                batch = []
        if batch:
            yield from self._analyze_batch(batch, max_seconds)

    def _analyze_batch(self, batch: list[Article], max_seconds: float | None) -> Iterator[Analysis]:
        prepared = [self._prepare(article) for article in batch]
        texts = [item[0] for item in prepared if not isinstance(item, Analysis)]
        try:
            parsed = iter(list(self.nlp.pipe(texts)))
        except Exception:  # noqa: BLE001 - one text the parser chokes on: parse them one by one instead
            parsed = None
        for article, item in zip(batch, prepared):
            if isinstance(item, Analysis):
                yield item
                continue
            try:
                doc = next(parsed) if parsed is not None else self.nlp(item[0])
                yield self._finish(article, doc, item[1], time.monotonic(), max_seconds)
            except Exception as error:  # noqa: BLE001 - reported on the record, never raised
                yield Analysis(article=article, warnings=item[1], error=f"unexpected {type(error).__name__}: {error}")

    def _prepare(self, article: Article) -> tuple[str, list[str]] | Analysis:
        """The text to parse and the warnings so far, or the whole (empty) analysis of an article that is
        not analyzed (a language other than English)."""
        warnings: list[str] = []
        if article.language and article.language not in SUPPORTED_LANGUAGES:
            warnings.append(f"language {article.language!r} is not supported (English only): analysis left empty")
            return Analysis(article=article, warnings=warnings)
        if not article.published:
            warnings.append("no publication date: relative times are left unresolved and events carry no date")
        text = analyzed_prefix(article.text, self.max_chars)
        if len(text) < len(article.text):
            warnings.append(f"text is {len(article.text):,} characters, over the {self.max_chars:,}-character "
                            f"analysis limit: only its first {len(text):,} characters were analyzed")
        return text, warnings

    def _finish(self, article: Article, doc: Doc, warnings: list[str], started: float,
                max_seconds: float | None) -> Analysis:
        """Run the stages over the parsed ``doc``, each in turn, within the time limit."""
        limit = max_seconds if max_seconds is not None else self.max_seconds_per_article
        state = State(article=article, doc=doc, published=_date(article.published))
        stopped = None  # not "error": the except clause below would unbind that name
        for name, stage in STAGES.items():
            if limit is not None and time.monotonic() - started > limit:
                stopped = (f"analysis stopped before stage {name}: {time.monotonic() - started:.1f} s, over the "
                           f"{limit:g} s per-article time limit")
                break
            try:
                stage(state)
            except Exception as error:  # noqa: BLE001 - one odd article must not stop the others
                warnings.append(f"stage {name} failed ({type(error).__name__}: {error}); its records are missing")
        table = _table(state)
        forget_caches(doc)
        return Analysis(
            article=article,
            actors=list(table.actors.values()),
            mentions=table.mentions,
            quotes=state.quotes,
            events=state.events,
            claims=state.claims,
            timexes=state.timexes,
            places=state.places,
            warnings=warnings,
            error=stopped,
        )

    # -- many articles ------------------------------------------------------------------------------
    def analyze_many(self, items: Iterable[str | bytes | Path | Article], *,
                     published: str | dt.date | None = None,
                     max_seconds_per_article: float | None = None) -> Iterator[Analysis]:
        """Analyze articles one after another, lazily: an item is read only when its result is wanted
        (for throughput over a known list, :meth:`analyze_articles` parses in batches). A bad article
        yields an Analysis with ``error`` set (and an empty article record naming its source); it never
        stops the others. ``max_seconds_per_article`` overrides the analyzer's limit for this batch."""
        for number, item in enumerate(items, start=1):
            source = str(item) if isinstance(item, Path) else f"#{number}"
            try:
                if isinstance(item, Article):
                    article = item
                elif isinstance(item, Path):
                    article = read_path(item, published=published)
                else:
                    article = read_article(item, published=published, source=source)
                yield self.analyze_article(article, max_seconds=max_seconds_per_article)
            except IngestError as error:
                yield failed(source, str(error))
            except Exception as error:  # noqa: BLE001 - reported on the record, never raised
                yield failed(source, f"unexpected {type(error).__name__}: {error}")


def analyzed_prefix(text: str, max_chars: int | None) -> str:
    """``text`` if it fits in ``max_chars``; otherwise its longest prefix that ends at a paragraph break
    (or, in one over-long paragraph, at a space) within the limit, so that no sentence is cut when that
    can be helped. Being a prefix, every offset found in it is an offset into ``text``."""
    if max_chars is None or len(text) <= max_chars:
        return text
    for separator in ("\n", " "):
        cut = text.rfind(separator, 0, max_chars + 1)
        if cut > max_chars // 2:
            return text[:cut].rstrip()
    return text[:max_chars]


def failed(source: str, message: str) -> Analysis:
    """The record of an article that could not be analyzed."""
    return Analysis(article=Article(id="", source=source, text=""), error=message)
