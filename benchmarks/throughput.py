"""Throughput of the whole tidings pipeline, and how ingest scales over Dask workers (a script, not a test).

On the BBC News corpus (2,225 articles in 5 topic folders; ``--limit N`` takes N spread over the topics):

(a) bare spaCy: ``nlp.pipe`` over the articles' clean texts: the floor no pipeline built on spaCy beats;
(b) tidings: ``Analyzer.analyze_articles`` (parses in batches with ``nlp.pipe`` like (a), then every stage
    article by article), in this process, taking turns with (a) 100 articles at a time so that both see
    the same machine load; ``pipeline_vs_spacy`` = (b) / (a) in articles/s, so the ratio holds across
    machines;
(c) ``tidings ingest`` as the CLI runs it (read and analyze on Dask; dedup, write DuckDB here) with 1 and then 2
    Dask workers into temporary stores: ``speedup_2_workers`` = 2-worker rate / 1-worker rate (cluster
    start-up, which includes loading and warming up the model on each worker, is reported apart);
(d) ``peak_rss_mb`` of every worker: its resident memory (psutil), sampled about 50 times over the
    2-worker run, highest sample so far after 25, 50 and 100% of the articles: flat means the workers do
    not grow with the corpus.

    .venv/bin/python benchmarks/throughput.py [--json] [--limit N] [--corpus PATH] [--profile N]

``--profile N`` adds the top 10 functions of tidings' own code by cumulative time under cProfile over N
articles. Run it on a quiet machine: other processes on the same cores change every figure.
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import json
import pstats
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psutil

from tidings.ingest import IngestError, read_path
from tidings.pipeline import Analyzer
from tidings.records import Analysis, Article
from tidings.sources.items import RawItem
from tidings.store import StoreWriter, load
from tidings.store.distributed import DaskRunner
from tidings.store.schema import StoreRows

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "data" / "bbc-news"
CHECKPOINTS = (0.25, 0.5, 1.0)


def corpus_files(corpus: Path, limit: int | None) -> list[Path]:
    """The corpus's articles, taken in turn from each topic folder so that any prefix mixes the topics."""
    folders = sorted(folder for folder in corpus.iterdir() if folder.is_dir())
    per_folder = [sorted(folder.glob("*.txt")) for folder in folders]
    files = [path for group in itertools.zip_longest(*per_folder) for path in group if path is not None]
    return files[:limit] if limit else files


def read_articles(files: list[Path]) -> list[Article]:
    articles = []
    for path in files:
        try:
            articles.append(read_path(path))
        except IngestError:
            continue
    return articles


# Articles per turn when the two runs alternate (see :func:`spacy_and_pipeline`).
TURN = 100


def spacy_and_pipeline(analyzer: Analyzer, articles: list[Article]) -> tuple[float, int, float, int]:
    """Seconds and tokens for bare spaCy ``nlp.pipe`` over the articles' texts (the same pipeline the
    Analyzer parses with), and seconds and failed articles for the whole analysis as the batch path runs it.

    The two take turns, ``TURN`` articles each, rather than one after the other: on a shared machine the
    load changes over the minutes a run takes, and turns give both sides the same share of slow and fast
    stretches, so the ratio between them holds still while the absolute rates move."""
    nlp = analyzer.nlp
    list(nlp.pipe([article.text for article in articles[:2]]))  # warm up
    for article in articles[:2]:
        analyzer.analyze_article(article)  # lexicons and tables load on first use
    spacy_s = pipeline_s = 0.0
    tokens = failures = 0
    for start in range(0, len(articles), TURN):
        turn = articles[start:start + TURN]
        began = time.perf_counter()
        tokens += sum(len(doc) for doc in nlp.pipe([article.text for article in turn]))
        spacy_s += time.perf_counter() - began
        began = time.perf_counter()
        failures += sum(bool(analysis.error) for analysis in analyzer.analyze_articles(turn))
        pipeline_s += time.perf_counter() - began
    return spacy_s, tokens, pipeline_s, failures


def rss_mb() -> float:
    """This process's resident memory now, in MB. (Not ``ru_maxrss``: a spawned worker inherits the peak of
    the process that forked it, which here holds a loaded model.)"""
    return psutil.Process().memory_info().rss / 2**20


def dask_ingest(files: list[Path], workers: int, memory: dict[str, dict[str, float]] | None = None) -> dict:
    """Ingest ``files`` into a fresh store on ``workers`` Dask workers. With ``memory``, sample every worker's
    RSS about 50 times over the run and record the highest sample so far at 25, 50 and 100% of it."""
    started = time.perf_counter()
    with DaskRunner.start(workers=workers) as runner, tempfile.TemporaryDirectory() as folder:
        startup = time.perf_counter() - started
        # Duplicates and rejects are never analyzed, so the last mark is set when the analyses run out.
        marks = {max(1, round(share * len(files))): share for share in CHECKPOINTS[:-1]}
        every = max(1, len(files) // 50)
        peaks: dict[str, float] = {}

        def sample(label: str | None) -> None:
            for name, mb in runner.client.run(rss_mb).items():
                peaks[name] = max(peaks.get(name, 0.0), mb)
            if label is not None and memory is not None:
                memory[label] = {f"worker {n}": round(mb, 1) for n, (_, mb) in enumerate(sorted(peaks.items()))}

        def analyze_items(articles) -> Iterator[Analysis | StoreRows]:
            for done, analysis in enumerate(runner.analyze_rows(articles), start=1):
                yield analysis
                if memory is not None and (done in marks or done % every == 0):
                    sample(f"{marks[done]:.0%}" if done in marks else None)
            if memory is not None:
                sample(f"{CHECKPOINTS[-1]:.0%}")

        items = [RawItem(source=str(path), path=path) for path in files]
        with StoreWriter(Path(folder) / "store.duckdb", model=runner.model) as store:
            began, began_cpu = time.perf_counter(), time.process_time()
            summary = load(items, store, analyze_items, read_items=runner.read_items)
            seconds, main_cpu = time.perf_counter() - began, time.process_time() - began_cpu
    return {"workers": workers, "startup_s": round(startup, 2), "seconds": round(seconds, 2),
            "ingested": summary.ingested, "events": summary.events, "rejected": summary.rejected,
            "articles_per_s": round(summary.ingested / seconds, 3) if seconds else 0.0,
            # The serial part (reading, hashing, receiving results, writing DuckDB): it caps the speed-up.
            "main_cpu_ms_per_article": round(1000 * main_cpu / max(summary.items, 1), 1)}


def profile(analyzer: Analyzer, articles: list[Article], top: int = 10) -> list[dict]:
    """The ``top`` functions in tidings' code by cumulative time over ``articles``. The pipeline's own
    one-line stage wrappers (``pipeline.py``) are left out: they only repeat the stage they call."""
    profiler = cProfile.Profile()
    profiler.enable()
    for article in articles:
        analyzer.analyze_article(article)
    profiler.disable()
    stats = pstats.Stats(profiler)
    ours = [(key, value) for key, value in stats.stats.items()  # type: ignore[attr-defined]
            if "/tidings/" in key[0] and not key[0].endswith("/tidings/pipeline.py")]
    ours.sort(key=lambda item: item[1][3], reverse=True)
    total = max(stats.total_tt, 1e-9)  # type: ignore[attr-defined]
    return [{"function": f"{file.rsplit('/tidings/', 1)[1]}:{line} {name}", "calls": calls,
             "cumulative_s": round(cumulative, 3), "own_s": round(own, 3), "share": round(cumulative / total, 3)}
            for (file, line, name), (_, calls, own, cumulative, _) in ours[:top]]


def measure(corpus: Path, limit: int | None, profile_articles: int, workers: int) -> dict:
    files = corpus_files(corpus, limit)
    articles = read_articles(files)
    analyzer = Analyzer()
    spacy_s, tokens, pipeline_s, failures = spacy_and_pipeline(analyzer, articles)
    figures: dict = {
        "corpus": str(corpus), "articles": len(articles), "tokens": tokens,
        "spacy_articles_per_s": round(len(articles) / spacy_s, 2),
        "spacy_tokens_per_s": round(tokens / spacy_s, 1),
        "pipeline_articles_per_s": round(len(articles) / pipeline_s, 2),
        "pipeline_tokens_per_s": round(tokens / pipeline_s, 1),
        "pipeline_failures": failures,
        "pipeline_vs_spacy": round(spacy_s / pipeline_s, 3),
    }
    if profile_articles:
        figures["profile"] = profile(analyzer, articles[:profile_articles])
    del analyzer  # the ingest runs load their own model in their workers
    memory: dict[str, dict[str, float]] = {}
    one = dask_ingest(files, 1)
    many = dask_ingest(files, workers, memory)
    figures.update({
        "ingest_1_worker": one, f"ingest_{workers}_workers": many,
        f"speedup_{workers}_workers": round(many["articles_per_s"] / one["articles_per_s"], 3)
        if one["articles_per_s"] else None,
        "peak_rss_mb": memory,
        "peak_rss_growth_mb": round(max(memory["100%"].values()) - max(memory.get("25%", memory["100%"]).values()), 1),
        "main_process_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    })
    return figures


def render(figures: dict) -> str:
    lines = [f"corpus: {figures['corpus']} ({figures['articles']} articles, {figures['tokens']} tokens)", ""]
    lines.append(f"{'':30} {'articles/s':>12} {'tokens/s':>12}")
    lines.append(f"{'(a) spaCy nlp.pipe':30} {figures['spacy_articles_per_s']:>12} {figures['spacy_tokens_per_s']:>12}")
    lines.append(f"{'(b) tidings Analyzer':30} {figures['pipeline_articles_per_s']:>12} "
                 f"{figures['pipeline_tokens_per_s']:>12}")
    lines.append(f"pipeline_vs_spacy: {figures['pipeline_vs_spacy']} (target >= 0.8)")
    lines.append("")
    for key, value in figures.items():
        if key.startswith("ingest_"):
            lines.append(f"(c) ingest, {value['workers']} worker(s): {value['articles_per_s']} articles/s "
                         f"({value['ingested']} articles in {value['seconds']} s; start-up {value['startup_s']} s; "
                         f"main process CPU {value['main_cpu_ms_per_article']} ms/article)")
        elif key.startswith("speedup_"):
            lines.append(f"{key}: {value} (target >= 1.6)")
    lines.append("")
    lines.append("(d) peak RSS per worker, MB (target <= 1024, flat):")
    for share, workers in figures["peak_rss_mb"].items():
        lines.append(f"    after {share:>4}: " + ", ".join(f"{name} {mb}" for name, mb in workers.items()))
    lines.append(f"    growth 25% -> 100%: {figures['peak_rss_growth_mb']} MB; "
                 f"this benchmark process (models for (a), (b)) peak {figures['main_process_peak_rss_mb']} MB")
    if "profile" in figures:
        lines.append("")
        lines.append("hot spots in tidings (cProfile, cumulative):")
        for row in figures["profile"]:
            lines.append(f"    {row['cumulative_s']:>8.3f} s {row['share']:>6.1%} (own {row['own_s']:.3f} s) "
                         f"{row['calls']:>7}  {row['function']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of topic folders of .txt")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N articles (spread over topics)")
    parser.add_argument("--workers", type=int, default=2, help="workers for the scaled ingest run (default 2)")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="profile the pipeline over N articles")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"error: no corpus folder at {args.corpus}", file=sys.stderr)
        return 2
    if (args.limit is not None and args.limit < 4) or args.workers < 1 or args.profile < 0:
        print("error: --limit must be at least 4, --workers at least 1, --profile not negative", file=sys.stderr)
        return 2
    figures = measure(args.corpus, args.limit, args.profile, args.workers)
    print(json.dumps(figures, indent=2) if args.json else render(figures))
    return 0


if __name__ == "__main__":  # the guard matters: Dask starts its workers by spawning this interpreter
    sys.exit(main())
