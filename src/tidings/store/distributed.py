"""Analysis over Dask distributed: the :data:`~tidings.store.load.AnalyzeItems` and
:data:`~tidings.store.load.ReadItems` hooks for ``--workers N`` and ``--scheduler URL``.

Why it is shaped this way:

* The spaCy model is the expensive thing to set up (seconds, hundreds of MB), so each worker process loads
  one :class:`tidings.pipeline.Analyzer` per model name and keeps it (:func:`worker_analyzer`); a worker
  plugin loads it when the worker starts, so a missing model fails the run up front, and a worker that dies
  and is replaced loads it again before it takes work.
* Articles stream: a bounded window of batches is in flight (``2 × worker threads`` by default), so a corpus
  of any size never sits in memory, and results come back as they finish (order does not matter: each
  analysis carries its article).
* Only the calling process touches the store: workers return :class:`~tidings.records.Analysis` records
  (or, for ``tidings ingest``, the rows the store makes of them), :func:`tidings.store.load.load` writes
  them, and duplicates are still found before analysis.
* The calling process is the one serial part, and on a local cluster it shares the cores with the workers,
  so what it need not do it does not: the workers also read the items (:meth:`DaskRunner.read_items`) and
  build the store's rows (:meth:`DaskRunner.analyze_rows`), and the cluster's dashboard-only background
  work is switched off (:data:`LOCAL_CLUSTER_CONFIG`).
* Nothing here stops the run for one article: an article that fails yields an Analysis with ``error``; a
  batch whose task fails outright (its worker died more often than Dask's ``allowed-failures`` retries)
  yields an error Analysis for each of its articles.

>>> with DaskRunner.start(workers=2) as runner:          # doctest: +SKIP
...     load(items, store, runner.analyze_rows, read_items=runner.read_items)
"""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, TypeVar, cast

import dask
from distributed import Client, Future, LocalCluster, as_completed
from distributed.diagnostics.plugin import WorkerPlugin

from tidings.records import Analysis, Article
from tidings.sources.items import RawItem, Reject
from tidings.store.load import READ_CHUNK, Published, ReadOutcome, read_item, read_items_here
from tidings.store.schema import StoreRows, store_rows

if TYPE_CHECKING:
    from tidings.pipeline import Analyzer

DEFAULT_BATCH_SIZE = 4
# Reading tasks run before queued analyses (a higher Dask priority): an analysis batch needs their articles.
READ_PRIORITY = 1
# Batches in flight per worker thread: one being analyzed, one queued so the worker never waits for us.
WINDOW_PER_THREAD = 2
# A cluster with no worker would take the batches and never return them.
WAIT_FOR_WORKERS_S = 30
# Background work a local cluster does by default that an ingest never uses. The scheduler and the nannies
# of a LocalCluster live in THIS process (the writer's), the workers beside it on the same cores, so every
# periodic callback here is CPU taken from the analysis. Measured idle on a 2-worker cluster: this process
# 39 -> 12 ms of CPU per second, each worker 27 -> 6.
# * the event-loop health check ("tick") runs every 20 ms in every process; it only warns about a loop
#   blocked for over ``tick.limit`` (3 s), which a 1 s interval still catches;
# * each worker's statistical profiler samples its threads every 10 ms for the dashboard we do not start;
# * the system monitor polls psutil every 0.5 s for the same dashboard.
# Only applied to a cluster this process starts: a --scheduler cluster is configured by whoever runs it.
LOCAL_CLUSTER_CONFIG = {
    "distributed.admin.tick.interval": "1s",
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.interval": "5s",
}

T = TypeVar("T")

_analyzers: dict[str | None, Analyzer] = {}
# Guards loading and use of the cached analyzers: a worker started with several threads must not load the
# model twice or run one spaCy pipeline from two threads at once (the stages are GIL-bound anyway).
_analyzer_lock = threading.Lock()


class DistributedError(RuntimeError):
    """The Dask cluster could not be started or reached."""


# -- on the workers -----------------------------------------------------------------------------------------
def worker_analyzer(model: str | None) -> Analyzer:
    """This process's Analyzer for ``model``, loaded on first use and kept for the process's life."""
    with _analyzer_lock:
        return _load_analyzer(model)


def _load_analyzer(model: str | None) -> Analyzer:
    analyzer = _analyzers.get(model)
    if analyzer is None:
        from tidings.pipeline import Analyzer

        analyzer = _analyzers[model] = Analyzer(model)
        # A worker process lives for the model: its hundreds of thousands of objects, moved out of the
        # collector's generations, are no longer rescanned by every full collection (a few ms per article).
        # Done here, in a process tidings owns, not in the library, where it would change the caller's GC.
        gc.freeze()
    return analyzer


def analyze_batch(articles: list[Article], model: str | None) -> list[Analysis]:
    """Analyze a batch on a worker; an article that fails becomes an Analysis with ``error``."""
    with _analyzer_lock:
        analyzer = _load_analyzer(model)
        # One nlp.pipe call for the batch; analyze_articles turns any failure into a record with ``error``.
        return list(analyzer.analyze_articles(articles, batch_size=max(1, len(articles))))


def analyze_batch_rows(articles: list[Article], model: str | None) -> list[StoreRows | Analysis]:
    """:func:`analyze_batch`, each analysis turned into the store's rows here, on the worker (see
    :class:`~tidings.store.schema.StoreRows`). An analysis whose rows cannot be built is sent as it is, so
    the writer meets the problem exactly where it would have without this step."""
    prepared: list[StoreRows | Analysis] = []
    for analysis in analyze_batch(articles, model):
        try:
            prepared.append(store_rows(analysis))
        except Exception:  # noqa: BLE001 - the writer, building the same rows, reports it as before
            prepared.append(analysis)
    return prepared


def read_batch(items: list[RawItem], published: Published) -> list[ReadOutcome]:
    """Read raw items on a worker: each one's Article, or the reason it is rejected (never an exception)."""
    return [read_item(item, published) for item in items]


def loaded_model_name(model: str | None) -> str:
    """The name of the model this worker loaded (what the store records as the run's model)."""
    return worker_analyzer(model).model


def warm_up(model: str | None) -> None:
    """Load the Analyzer and run it once: the stages load their lexicons and tables on first use (seconds),
    and a worker should pay that when it starts, not on its first batch."""
    with _analyzer_lock:
        analyzer = _load_analyzer(model)  # a missing model raises here, and fails the run up front
        try:
            analyzer.analyze(WARM_UP_TEXT, published="2024-01-01", source="warm-up")
        except Exception:  # noqa: BLE001, S110 - warming up is an optimisation; a real article will say what is wrong
            pass


WARM_UP_TEXT = ("France and Japan sign a trade deal\n\nThe foreign ministers of France and Japan met in Paris on "
                "Tuesday and signed an agreement on rail links, officials said.\n\n\"We will work together,\" the "
                "French minister told reporters. Police arrested two protesters outside the ministry.")


class LoadAnalyzer(WorkerPlugin):
    """Loads (and warms up) the Analyzer when a worker starts or restarts, before it is given any batch."""

    idempotent = True

    def __init__(self, model: str | None) -> None:
        self.model = model
        self.name = f"tidings-analyzer-{model or 'default'}"

    async def setup(self, worker) -> None:  # noqa: ANN001 - distributed.Worker, not imported for a type hint
        # Off the worker's event loop: seconds of loading must not stall its heartbeats.
        await asyncio.get_running_loop().run_in_executor(None, warm_up, self.model)


# -- in the calling process ---------------------------------------------------------------------------------
@dataclass
class DaskRunner:
    """A Dask client (and the local cluster it owns, if any) ready to analyze articles.

    Use :meth:`start` and close it (it is a context manager): closing stops a cluster it started.
    """

    client: Client
    cluster: LocalCluster | None
    model: str
    model_option: str | None
    batch_size: int = DEFAULT_BATCH_SIZE

    @classmethod
    def start(cls, *, workers: int | None = None, scheduler: str | None = None, model: str | None = None,
              batch_size: int = DEFAULT_BATCH_SIZE) -> DaskRunner:
        """Start a local cluster of ``workers`` processes (one thread each), or connect to ``scheduler``
        (``tcp://host:8786``), and load the model on every worker. Raises :class:`DistributedError` when
        the cluster cannot be started or reached, and :class:`tidings.nlp.ModelNotFound` when a worker
        lacks the model."""
        if (workers is None) == (scheduler is None):
            raise DistributedError("give either a number of workers or a scheduler address, not both")
        if workers is not None and workers < 1:
            raise DistributedError(f"--workers must be at least 1, not {workers}")
        if batch_size < 1:
            raise DistributedError(f"batch size must be at least 1, not {batch_size}")
        cluster, client = _connect(workers, scheduler)
        try:
            client.register_plugin(LoadAnalyzer(model))
            names = set(client.run(loaded_model_name, model).values())
        except BaseException:
            _close(client, cluster)
            raise
        return cls(client=client, cluster=cluster, model=", ".join(sorted(names)), model_option=model,
                   batch_size=batch_size)

    def __enter__(self) -> DaskRunner:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        _close(self.client, self.cluster)

    @property
    def window(self) -> int:
        """How many batches may be in flight: enough to keep every worker thread busy, few enough that
        the corpus streams."""
        threads = sum(self.client.nthreads().values()) or 1
        return WINDOW_PER_THREAD * threads

    def read_items(self, items: Iterable[RawItem | Reject], published: Published = None,
                   ) -> Iterator[list[tuple[RawItem | Reject, ReadOutcome | None]]]:
        """The :data:`~tidings.store.load.ReadItems` hook: items read on the workers of a local cluster,
        outcomes in the items' order, a chunk per task.

        Reading is pure CPU (decoding, language identification of the text and of each paragraph,
        furniture patterns): a few ms per article that the single writer process would otherwise spend on
        the cores the workers need. What has to stay here does: duplicates, rejects, the order they are
        logged in, and the store. A few chunks are read ahead, as tasks of a higher priority than the
        analyses, so the analysis batches never wait for their articles. A cluster reached with
        ``--scheduler`` may run on other machines, which do not see this one's files: there, and for a
        chunk whose task failed (its worker died), the items are read here.
        """
        if self.cluster is None:
            yield from read_items_here(items, published)
            return
        window = self.window
        ahead: deque[tuple[list[RawItem | Reject], Future | None]] = deque()
        for chunk in _batched(items, READ_CHUNK):
            raw = [item for item in chunk if isinstance(item, RawItem)]
            future = (self.client.submit(read_batch, raw, published, pure=False, priority=READ_PRIORITY)
                      if raw else None)
            ahead.append((chunk, future))
            if len(ahead) > window:
                yield _read_outcomes(*ahead.popleft(), published)
        while ahead:
            yield _read_outcomes(*ahead.popleft(), published)

    def analyze_items(self, articles: Iterable[Article]) -> Iterator[Analysis]:
        """The :data:`~tidings.store.load.AnalyzeItems` hook: analyses in the order they finish."""
        # analyze_batch returns Analysis records only (and a failed batch yields Analysis records too).
        return cast("Iterator[Analysis]", self._analyze(articles, analyze_batch))

    def analyze_rows(self, articles: Iterable[Article]) -> Iterator[StoreRows | Analysis]:
        """The hook ``tidings ingest`` uses: like :meth:`analyze_items`, but the workers send the store's
        rows (:class:`~tidings.store.schema.StoreRows`) rather than the Analysis records, so this process,
        the single writer, does not unpickle every record and then build the rows from it. A batch whose
        task failed still yields an Analysis with ``error`` per article."""
        return self._analyze(articles, analyze_batch_rows)

    def _analyze(self, articles: Iterable[Article], task: Callable[[list[Article], str | None], list],
                 ) -> Iterator[StoreRows | Analysis]:
        window = self.window
        batches = _batched(articles, self.batch_size)
        finished = as_completed()
        in_flight: dict[Future, list[Article]] = {}
        for batch in batches:
            future = self.client.submit(task, batch, self.model_option, pure=False)
            in_flight[future] = batch
            finished.add(future)
            while len(in_flight) >= window:
                yield from _results(next(finished), in_flight)
        for future in finished:
            yield from _results(future, in_flight)


def _connect(workers: int | None, scheduler: str | None) -> tuple[LocalCluster | None, Client]:
    cluster = None
    try:
        if scheduler is not None:
            client = Client(scheduler, timeout="10s")
            try:
                client.wait_for_workers(1, timeout=WAIT_FOR_WORKERS_S)
            except BaseException:
                client.close()
                raise
            return None, client
        # No dashboard (it would need bokeh and a free port); quiet logs (the CLI shows its own progress).
        # The config is read when the scheduler, nannies and workers are made (a nanny hands it on to the
        # worker it spawns, and again to one it restarts), so setting it around their creation is enough.
        with dask.config.set(LOCAL_CLUSTER_CONFIG):
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.CRITICAL)
            return cluster, Client(cluster)
    except (OSError, TimeoutError, ValueError) as error:
        if cluster is not None:
            cluster.close()
        where = f"the Dask scheduler at {scheduler}" if scheduler else f"a local Dask cluster of {workers} workers"
        raise DistributedError(f"cannot reach {where}: {error or type(error).__name__}") from None


def _close(client: Client, cluster: LocalCluster | None) -> None:
    for closeable in (client, cluster):
        if closeable is None:
            continue
        try:
            closeable.close()
        except Exception:  # noqa: BLE001, S110 - shutting down: a cluster already gone is not an error
            pass


def _results(future: Future, in_flight: dict[Future, list[Article]]) -> Iterator[StoreRows | Analysis]:
    """The analyses of one finished batch; a batch whose task failed yields one error per article."""
    batch = in_flight.pop(future)
    try:
        analyses = future.result()
    except Exception as error:  # noqa: BLE001 - e.g. KilledWorker: report on the records, keep going
        message = f"analysis failed on the cluster ({type(error).__name__}: {error})"
        analyses = [Analysis(article=article, error=message) for article in batch]
    finally:
        future.release()
    yield from analyses


def _read_outcomes(chunk: list[RawItem | Reject], future: Future | None, published: Published,
                   ) -> list[tuple[RawItem | Reject, ReadOutcome | None]]:
    """One read-ahead chunk's ``(item, outcome)`` pairs in order; read here when its task failed."""
    outcomes: Iterator[ReadOutcome] = iter(())
    if future is not None:
        try:
            outcomes = iter(future.result())
        except Exception:  # noqa: BLE001 - e.g. KilledWorker: reading here gives the same outcomes
            outcomes = iter(read_batch([item for item in chunk if isinstance(item, RawItem)], published))
        finally:
            future.release()
    return [(item, None if isinstance(item, Reject) else next(outcomes)) for item in chunk]


def _batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
