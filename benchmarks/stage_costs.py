"""CPU cost of each of tidings' own analysis stages, with the spaCy parse left out (a script, not a test).

The articles (``--limit N`` of the BBC News corpus, taken in turn from each topic folder, as
``throughput.py`` takes them) are parsed once with ``load_nlp()``'s ``nlp.pipe``; the parsed docs are kept
serialized and each run gets fresh copies, so that no per-doc cache survives from one run to the next.
Every stage of ``pipeline.STAGES`` then runs over every doc, timed with ``time.process_time`` (CPU time
of this process: steadier than wall-clock time on a shared machine), and ``records`` times building the
``Analysis`` record. The first run also fills the lexicons' and the other process-wide caches, as the
first articles of a real batch do; the last run shows the steady state.

    .venv/bin/python benchmarks/stage_costs.py [--limit N] [--runs R] [--corpus PATH] [--json]

Prints milliseconds per article for each stage and in total, one line per run.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from spacy.tokens import DocBin
from throughput import DEFAULT_CORPUS, corpus_files, read_articles

from tidings.pipeline import STAGES, Analyzer, State, _date, _table
from tidings.records import Analysis, Article


def stage_costs(analyzer: Analyzer, articles: list[Article], parsed: bytes) -> dict[str, float]:
    """Milliseconds per article of each stage over fresh copies of the parsed docs."""
    docs = list(DocBin().from_bytes(parsed).get_docs(analyzer.nlp.vocab))
    costs = dict.fromkeys([*STAGES, "records"], 0.0)
    for article, doc in zip(articles, docs):
        state = State(article=article, doc=doc, published=_date(article.published))
        for name, stage in STAGES.items():
            started = time.process_time()
            stage(state)
            costs[name] += time.process_time() - started
        started = time.process_time()
        table = _table(state)
        Analysis(article=article, actors=list(table.actors.values()), mentions=table.mentions, quotes=state.quotes,
                 events=state.events, claims=state.claims, timexes=state.timexes, places=state.places)
        costs["records"] += time.process_time() - started
    figures = {name: round(1000 * seconds / len(docs), 2) for name, seconds in costs.items()}
    figures["total"] = round(1000 * sum(costs.values()) / len(docs), 2)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=200, help="articles (default 200)")
    parser.add_argument("--runs", type=int, default=2, help="runs over the same docs (default 2)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    articles = read_articles(corpus_files(args.corpus, args.limit))
    analyzer = Analyzer()
    parsed = DocBin(store_user_data=False, docs=analyzer.nlp.pipe(article.text for article in articles)).to_bytes()
    runs = [stage_costs(analyzer, articles, parsed) for _ in range(args.runs)]
    if args.json:
        print(json.dumps({"articles": len(articles), "ms_per_article": runs}, indent=2))
    else:
        print(f"{len(articles)} articles, CPU ms per article:")
        for number, figures in enumerate(runs, start=1):
            print(f"run {number}: " + "  ".join(f"{name} {ms}" for name, ms in figures.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
