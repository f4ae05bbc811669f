"""Loading a corpus: raw items in, each one ingested, skipped as a duplicate or rejected, the store updated.

The expensive step, analysis, sits behind one function type, :data:`AnalyzeItems` (articles in, analyses
out, in any order: each analysis carries its article). :func:`sequential` runs it in this process; a
parallel runner (Dask, ``--workers N``) only has to provide another such function. Everything that touches
the store stays in this process: duplicates are checked before an article is analyzed, so re-running a
finished command costs reading and hashing, not parsing.
"""

from __future__ import annotations

import datetime
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from tidings.ingest import IngestError
from tidings.records import Analysis, Article
from tidings.sources.items import RawItem, Reject, reject
from tidings.store.schema import StoreRows, store_rows
from tidings.store.writer import Status, StoreWriter

# An analysis may come as the store's rows already (StoreRows), built where it was analysed.
AnalyzeItems = Callable[[Iterable[Article]], Iterator[Analysis | StoreRows]]
# What reading one raw item gave: its Article, or the reason it is rejected (as the store logs it).
ReadOutcome = Article | str
Published = str | datetime.date | None
# Reading, behind a function type too: items in, ``(item, outcome)`` out IN THE ITEMS' ORDER (a Reject from a
# source passes through with outcome None), in chunks, so the store can be asked about a chunk's ids at once.
# :func:`read_items_here` reads in this process; the Dask runner reads on its workers (pure CPU: decoding,
# language identification, furniture), which leaves this process, the single writer, more of the cores.
ReadItems = Callable[[Iterable[RawItem | Reject], Published], Iterator[list[tuple[RawItem | Reject, ReadOutcome | None]]]]
# Called once per source item with its outcome, its source and (for a reject) the reason.
OnOutcome = Callable[[Status, str, str | None], None]


@dataclass
class IngestSummary:
    ingested: int = 0
    duplicates: int = 0
    rejected: int = 0
    events: int = 0
    reasons: Counter[str] = field(default_factory=Counter)

    @property
    def items(self) -> int:
        return self.ingested + self.duplicates + self.rejected

    def count(self, status: Status, reason: str | None = None) -> None:
        if status == "ingested":
            self.ingested += 1
        elif status == "duplicate":
            self.duplicates += 1
        else:
            self.rejected += 1
            self.reasons[reason or "unknown"] += 1


SEQUENTIAL_BATCH = 8  # articles parsed together
# Analyses written in one transaction (all of them or none): a commit and a statement per table cost the
# writer more than the rows do, and with Dask workers the writer shares the cores with them. A group is
# written when full, or when its first analysis has waited this long and another one arrives.
WRITE_GROUP = 8
WRITE_GROUP_SECONDS = 2.0


def sequential(analyzer) -> AnalyzeItems:
    """Analyze the articles in this process with a loaded :class:`tidings.pipeline.Analyzer`, parsing a few
    at a time (:meth:`~tidings.pipeline.Analyzer.analyze_articles`; a failed article becomes a record with
    ``error``, never an exception)."""

    def analyze_items(articles: Iterable[Article]) -> Iterator[Analysis]:
        return analyzer.analyze_articles(articles, batch_size=SEQUENTIAL_BATCH)

    return analyze_items


READ_CHUNK = 8  # items read (and looked up in the store) together


def read_item(item: RawItem, published: Published) -> ReadOutcome:
    """``item``'s clean Article, or why it cannot be one. Never raises for a bad item: a reader bug must not
    stop the corpus either, it becomes an "unexpected ..." reject."""
    try:
        return item.read(published)
    except IngestError as error:
        return str(error)
    except Exception as error:  # noqa: BLE001 - a reader bug must not stop the corpus
        return f"unexpected {type(error).__name__}: {error}"


def read_items_here(items: Iterable[RawItem | Reject], published: Published,
                    ) -> Iterator[list[tuple[RawItem | Reject, ReadOutcome | None]]]:
    """The :data:`ReadItems` hook that reads in this process, a chunk at a time."""
    iterator = iter(items)
    while chunk := list(islice(iterator, READ_CHUNK)):
        yield [(item, None if isinstance(item, Reject) else read_item(item, published)) for item in chunk]


def load(items: Iterable[RawItem | Reject], store: StoreWriter, analyze_items: AnalyzeItems, *,
         published: str | datetime.date | None = None, limit: int | None = None,
         on_outcome: OnOutcome | None = None, summary: IngestSummary | None = None,
         read_items: ReadItems = read_items_here) -> IngestSummary:
    """Ingest every item (at most ``limit`` of them) into ``store``; ``published`` is the date for items
    that carry none of their own. Raises :class:`~tidings.store.StoreError` only when the store itself
    fails; bad items become rejects. Pass ``summary`` to keep the counts of a run that gets interrupted,
    and ``read_items`` to read elsewhere (e.g. ``DaskRunner.read_items``)."""
    summary = summary if summary is not None else IngestSummary()

    def record(status: Status, source: str, reason: str | None = None) -> None:
        summary.count(status, reason)
        if on_outcome is not None:
            on_outcome(status, source, reason)

    def new_articles() -> Iterator[Article]:
        # Ids handed to the analyzer and not yet written: with a parallel analyzer the same text can come
        # round again before its first copy is stored.
        pending: set[str] = set()
        # The outcomes come back in the items' order, so the first copy of a text is the one ingested, and
        # rejects and duplicates are logged in order, however the reading was spread out.
        for chunk in read_items(items if limit is None else islice(items, limit), published):
            # One query for the chunk's ids. Asking before the chunk's articles are handed on is the same
            # as asking one by one: none of them can be written before it is handed on, and an earlier
            # copy in flight is in ``pending``.
            stored = store.stored_ids([outcome.id for _, outcome in chunk if isinstance(outcome, Article)])
            for item, outcome in chunk:
                if isinstance(item, Reject):
                    store.log_reject(item.source, item.reason, item.excerpt, item.size)
                    record("rejected", item.source, item.reason)
                elif not isinstance(outcome, Article):
                    reason = outcome or "item was not read"
                    _reject_item(store, item, reason)
                    record("rejected", item.source, reason)
                elif outcome.id in pending or outcome.id in stored:
                    store.log_duplicate(item.source, outcome.id)
                    record("duplicate", item.source)
                else:
                    pending.add(outcome.id)
                    yield outcome

    group: list[StoreRows] = []
    group_started = 0.0

    def write_group() -> None:
        for rows, status in zip(group, store.write_many(group), strict=True):
            if status == "ingested":
                summary.events += rows.events
            record(status, rows.source or "?", rows.error)
        group.clear()

    try:
        for analysis in analyze_items(new_articles()):
            if not group:
                group_started = time.monotonic()
            group.append(analysis if isinstance(analysis, StoreRows) else store_rows(analysis))
            if len(group) >= WRITE_GROUP or time.monotonic() - group_started >= WRITE_GROUP_SECONDS:
                write_group()
    except KeyboardInterrupt:
        write_group()  # keep what was analyzed before the interrupt (a second one rolls the group back)
        raise
    write_group()
    return summary


def _reject_item(store: StoreWriter, item: RawItem, reason: str) -> None:
    raw = item.data if item.data is not None else _head(item.path)
    rejected = reject(item.source, reason, raw)
    size = rejected.size
    if item.path is not None:
        try:
            size = item.path.stat().st_size
        except OSError:
            pass
    store.log_reject(item.source, reason, rejected.excerpt, size)


def _head(path: Path | None, size: int = 800) -> bytes | None:
    """The first bytes of a file, for the reject's excerpt."""
    if path is None:
        return None
    try:
        with open(path, "rb") as stream:
            return stream.read(size)
    except OSError:
        return None
