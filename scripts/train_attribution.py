"""Train the attribution tagger (a linear-chain CRF) on the PolNeAR **train** split, then score the quote
stage on the dev split three ways: rules only, model only, and combined.

    .venv/bin/python scripts/train_attribution.py [--data ../shared/data/polnear] [--cache DIR]
        [--out src/tidings/data/attribution_crf.crfsuite] [--no-rule-features] [--c1 0.5] [--c2 0.01]
        [--iterations 150] [--skip-dev]

Deterministic: articles in name order, the first annotator (by name) where several annotated one article,
L-BFGS from zero weights. ``--cache`` keeps the spaCy parses (DocBin) between runs. Dev is only scored,
never trained on.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

from spacy.tokens import Doc, DocBin

from tidings.actors.resolve import resolve_actors
from tidings.attribution import tagger as tagger_module
from tidings.attribution.training import train, training_sequences
from tidings.datafiles import DATA
from tidings.evaluate import polnear
from tidings.nlp import load_nlp
from tidings.places import find_places
from tidings.quotes import MODES, find_quotes

HEADLINE_FIGURES = ("source_exact_f1", "cue_exact_f1", "content_exact_f1", "content_overlap_f1",
                    "attribution_exact_f1", "attribution_overlap_f1")


def _published(article: polnear.PolnearArticle) -> dt.date | None:
    try:
        return dt.date.fromisoformat(article.published) if article.published else None
    except ValueError:
        return None


def parsed(articles: list[polnear.PolnearArticle], cache: Path | None, split: str) -> list[Doc]:
    nlp = load_nlp()
    path = cache / f"{split}.spacy" if cache else None
    if path is not None and path.is_file():
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        if [d.text for d in docs] == [a.text for a in articles]:
            return docs
    docs = list(nlp.pipe((a.text for a in articles), batch_size=16))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        DocBin(docs=docs, store_user_data=False).to_disk(path)
    return docs


def tables_for(articles, docs):
    result = []
    for article, doc in zip(articles, docs, strict=True):
        published = _published(article)
        result.append(resolve_actors(doc, published, find_places(doc, published)))
    return result


def score_dev(articles, docs, tables, mode: str) -> dict:
    total = polnear.ArticleCounts()
    for article, doc, table in zip(articles, docs, tables, strict=True):
        predicted = polnear.predicted_attributions(find_quotes(doc, table, mode=mode))
        total.add(polnear.count_annotated(article, predicted))
    return polnear.figures_from_counts(total, n_articles=len(articles), n_ann_files=0, n_multi=0, n_errors=0,
                                       n_stage_warnings=0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=polnear.default_data_dir())
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=DATA / tagger_module.MODEL_FILE)
    parser.add_argument("--no-rule-features", action="store_true")
    parser.add_argument("--c1", type=float, default=0.5)
    parser.add_argument("--c2", type=float, default=0.01)
    parser.add_argument("--iterations", type=int, default=150)
    parser.add_argument("--limit", type=int, default=None, help="train on the first N articles only")
    parser.add_argument("--skip-dev", action="store_true")
    args = parser.parse_args(argv)

    began = time.perf_counter()
    train_articles = polnear.load_split(args.data, "train", args.limit)
    train_docs = parsed(train_articles, args.cache, "train" if args.limit is None else f"train{args.limit}")
    print(f"parsed {len(train_docs)} train articles in {time.perf_counter() - began:.0f}s", file=sys.stderr)
    rule_features = not args.no_rule_features
    tables = tables_for(train_articles, train_docs) if rule_features else [None] * len(train_docs)
    items = []
    for article, doc, table in zip(train_articles, train_docs, tables, strict=True):
        gold = article.annotations[sorted(article.annotations)[0]]
        rules = find_quotes(doc, table, mode="rules") if rule_features else None
        items.extend(training_sequences(doc, gold, rules))
    fitting = time.perf_counter()
    train(items, args.out, c1=args.c1, c2=args.c2, max_iterations=args.iterations)
    print(f"trained on {len(items)} paragraphs in {time.perf_counter() - fitting:.0f}s "
          f"(total {time.perf_counter() - began:.0f}s); model {args.out} "
          f"{args.out.stat().st_size / 1e6:.2f} MB", file=sys.stderr)
    if args.skip_dev:
        return 0
    tagger_module.load_tagger.cache_clear()
    dev_articles = polnear.load_split(args.data, "dev")
    dev_docs = parsed(dev_articles, args.cache, "dev")
    dev_tables = tables_for(dev_articles, dev_docs)
    report = {}
    for mode in MODES:
        figures = score_dev(dev_articles, dev_docs, dev_tables, mode)
        report[mode] = {key: figures[key] for key in HEADLINE_FIGURES}
        print(f"dev {mode:<9} " + " ".join(f"{k}={figures[k]:.3f}" for k in HEADLINE_FIGURES), file=sys.stderr)
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
