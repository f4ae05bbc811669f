"""Throughput of tidings' quote stage on the PolNeAR dev texts (a script, not a test).

The texts are parsed with the spaCy pipeline once, outside the timing. Then the stages that quotes need —
:func:`tidings.actors.resolve.resolve_actors` (speakers are actor mentions) and
:func:`tidings.quotes.find_quotes` — are timed alone on those parses. As the project's benchmarks do, the
figure is also given as a ratio against a baseline run in the same process on the same texts: a trivial
regular-expression quote-mark finder (what one would write without any parse), so the ratio stays
meaningful across machines.

    .venv/bin/python benchmarks/quotes_throughput.py [--data DIR] [--split dev] [--limit N] [--repeat 3] [--json]

``--json`` prints one object with ``quote_stage_articles_per_s`` (and the other figures).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from spacy.tokens import Doc

from tidings.actors.resolve import resolve_actors
from tidings.evaluate.polnear import default_data_dir
from tidings.nlp import load_nlp
from tidings.quotes import find_quotes

# The baseline: text between a pair of double quote marks on one line.
QUOTE_PAIR = re.compile(r"[“\"]([^”\"\n]{1,2000}?)[”\"]")
DATE_IN_NAME = re.compile(r"_(\d{4}-\d{2}-\d{2})_")


def _published(path: Path) -> dt.date | None:
    found = DATE_IN_NAME.search(path.name)
    try:
        return dt.date.fromisoformat(found.group(1)) if found else None
    except ValueError:
        return None


def quote_stage(docs: Sequence[tuple[Doc, dt.date | None]]) -> int:
    """The quote stage as the pipeline runs it: actors first (speakers), then quotes. Returns quotes found."""
    found = 0
    for doc, published in docs:
        found += len(find_quotes(doc, resolve_actors(doc, published)))
    return found


def quotes_only(docs: Sequence[tuple[Doc, dt.date | None]], tables: Sequence) -> int:
    """``find_quotes`` alone on actor tables built beforehand: how the stage's time splits."""
    return sum(len(find_quotes(doc, table)) for (doc, _), table in zip(docs, tables, strict=True))


def regex_baseline(docs: Sequence[tuple[Doc, dt.date | None]]) -> int:
    return sum(len(QUOTE_PAIR.findall(doc.text)) for doc, _ in docs)


def best_time(run: Callable[[], int], repeat: int) -> tuple[float, int]:
    """The fastest of ``repeat`` runs (seconds) and what the run returned."""
    best, result = float("inf"), 0
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    return best, result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=default_data_dir(), help="the PolNeAR directory")
    parser.add_argument("--split", default="dev")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timed stage; the best counts")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    text_dir = args.data / args.split / "text"
    paths = sorted(text_dir.glob("*.txt"))[: args.limit]
    if not paths:
        print(f"no PolNeAR texts in {text_dir}", file=sys.stderr)
        return 2
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in paths]

    nlp = load_nlp()
    started = time.perf_counter()
    docs = list(zip(nlp.pipe(texts), [_published(path) for path in paths], strict=True))
    parse_s = time.perf_counter() - started

    stage_s, quotes = best_time(lambda: quote_stage(docs), args.repeat)
    tables = [resolve_actors(doc, published) for doc, published in docs]
    quotes_only_s, _ = best_time(lambda: quotes_only(docs, tables), args.repeat)
    baseline_s, marks = best_time(lambda: regex_baseline(docs), args.repeat)
    n = len(docs)
    figures = {
        "articles": n,
        "characters": sum(len(text) for text in texts),
        "quote_stage_articles_per_s": round(n / stage_s, 2) if stage_s else None,
        "find_quotes_only_articles_per_s": round(n / quotes_only_s, 2) if quotes_only_s else None,
        "baseline_articles_per_s": round(n / baseline_s, 2) if baseline_s else None,
        "quote_stage_time_ratio_to_baseline": round(stage_s / baseline_s, 1) if baseline_s else None,
        "parse_articles_per_s": round(n / parse_s, 2) if parse_s else None,
        "quote_stage_share_of_parse": round(stage_s / parse_s, 3) if parse_s else None,
        "quotes_found": quotes,
        "baseline_quote_pairs_found": marks,
        "repeat": args.repeat,
    }
    if args.json:
        print(json.dumps(figures))
        return 0
    print(f"PolNeAR {args.split}: {n} articles, {figures['characters']} characters (parsed once in {parse_s:.1f} s)")
    print(f"  quote stage (actors + quotes): {figures['quote_stage_articles_per_s']} articles/s, "
          f"{quotes} quotes")
    print(f"    of which find_quotes alone:  {figures['find_quotes_only_articles_per_s']} articles/s "
          "(the rest is resolve_actors)")
    print(f"  baseline (regex quote marks):  {figures['baseline_articles_per_s']} articles/s, {marks} pairs")
    print(f"  ratio: the quote stage takes {figures['quote_stage_time_ratio_to_baseline']}x the baseline's time; "
          f"{figures['quote_stage_share_of_parse']}x the spaCy parse time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
