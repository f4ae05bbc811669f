"""``tidings evaluate …``: score tidings against the reference sets in ../shared."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..ingest import IngestError
from ..nlp import ModelNotFound
from ._common import ModelOption, _analyzer, _fail, _print_figures, evaluate_app


@evaluate_app.command("seed")
def evaluate_seed(
    data: Annotated[Path | None, typer.Option("--data", help="gold file in the seed format (default: ../shared fixture)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object of the figures")] = False,
    model: ModelOption = None,
) -> None:
    """Score the analysis of the seed article against its hand-made gold answers."""
    from ..evaluate import seed

    gold_path = data or seed.default_gold_path()
    try:
        gold = seed.load_gold(gold_path)
    except ValueError as error:
        raise _fail(str(error)) from None
    article_path = gold_path.parent / gold["input"]["file"]
    analyzer = _analyzer(model)
    try:
        analysis = analyzer.analyze_path(article_path, published=gold["input"].get("published"))
    except (IngestError, OSError) as error:
        raise _fail(f"{article_path}: {error}") from None
    report = seed.score(analysis, gold)
    _print_figures(report.figures, lambda: seed.render(report), as_json)


@evaluate_app.command("plover")
def evaluate_plover(
    data: Annotated[Path | None, typer.Option("--data", help="PLOVER gold JSON (default: ../shared/data/plover-gsr)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object of the figures")] = False,
    misses: Annotated[int, typer.Option("--misses", help="list this many category misses")] = 0,
    limit: Annotated[int | None, typer.Option("--limit", help="score only the first N sentences")] = None,
    model: ModelOption = None,
) -> None:
    """Event category, source, target and triple precision/recall/F1 on the PLOVER gold standard."""
    from ..evaluate import plover

    path = data or plover.default_data_path()
    try:
        plover.load_gold(path)
    except ValueError as error:
        raise _fail(str(error)) from None
    report = plover.score(_analyzer(model), path, limit=limit)
    _print_figures(report.figures, lambda: report.render(misses), as_json)


@evaluate_app.command("case2021")
def evaluate_case2021(
    data: Annotated[Path | None, typer.Option("--data", help="CASE 2021 task 2 TSV (default: ../shared/data/case2021-task2)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object of the figures")] = False,
    limit: Annotated[int | None, typer.Option("--limit", help="score only the first N snippets")] = None,
    model: ModelOption = None,
) -> None:
    """Event-type accuracy on CASE 2021 task 2, over the types tidings' CAMEO codes map to (data/case2021_map.tsv)."""
    from ..evaluate import case2021

    try:
        report = case2021.score(_analyzer(model), data or case2021.default_data_path(), limit=limit)
    except ValueError as error:
        raise _fail(str(error)) from None
    _print_figures(report.figures, report.render, as_json)


@evaluate_app.command("polnear")
def evaluate_polnear(
    split: Annotated[str, typer.Option("--split", help="dev or train")] = "dev",
    data: Annotated[Path | None, typer.Option("--data", help="PolNeAR folder (default: ../shared/data/polnear)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object of the figures")] = False,
    limit: Annotated[int | None, typer.Option("--limit", help="score only the first N articles")] = None,
    quote_mode: Annotated[str | None, typer.Option("--quote-mode", help="rules, model, model-led or combined "
                                                   "(default: $TIDINGS_QUOTE_MODE, else model-led)")] = None,
    model: ModelOption = None,
) -> None:
    """Quote and attribution spans (source, cue, content) against PolNeAR, exact and overlap."""
    import os

    from ..evaluate import polnear
    from ..quotes import MODES

    if quote_mode is not None:
        if quote_mode not in MODES:
            raise _fail(f"unknown quote mode {quote_mode!r}: expected one of {', '.join(MODES)}")
        os.environ["TIDINGS_QUOTE_MODE"] = quote_mode  # read by the quote stage of this process
    try:
        report = polnear.score(_analyzer(model), data or polnear.default_data_dir(), split=split, limit=limit)
    except ValueError as error:
        raise _fail(str(error)) from None
    _print_figures(report.figures, report.render, as_json)


@evaluate_app.command("tempeval")
def evaluate_tempeval_command(
    corpus: Annotated[Path | None, typer.Option("--corpus", help="TimeML folder (default: ../shared/data/tempeval3/TBAQ-cleaned)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object of the figures")] = False,
    limit: Annotated[int | None, typer.Option("--limit", help="score only the first N documents")] = None,
) -> None:
    """Time expressions (span, type, TIMEX3 value) against TempEval-3 TimeBank + AQUAINT."""
    from ..evaluate import tempeval

    try:
        figures = tempeval.evaluate_tempeval(corpus or tempeval.default_corpus_dir(), limit=limit)
    except ValueError as error:
        raise _fail(str(error)) from None
    except ModelNotFound as error:
        raise _fail(str(error)) from None
    _print_figures(figures, lambda: tempeval.render(figures), as_json)


@evaluate_app.command("geowebnews")
def evaluate_geowebnews_command(
    data: Annotated[Path | None, typer.Option("--data", help="GeoWebNews folder holding GWN.xml (default: ../shared/data/geo)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object of the figures")] = False,
    limit: Annotated[int | None, typer.Option("--limit", help="score only the first N articles")] = None,
) -> None:
    """Toponym recognition and resolution (within 161 km, country accuracy, misses by kind) on GeoWebNews."""
    from ..evaluate import geowebnews

    try:
        result = geowebnews.evaluate_geowebnews(data or geowebnews.default_data_dir(), limit=limit)
    except ValueError as error:
        raise _fail(str(error)) from None
    except ModelNotFound as error:
        raise _fail(str(error)) from None
    _print_figures(result, lambda: geowebnews.render(result), as_json)



@evaluate_app.command("ecb")
def evaluate_ecb_command(
    data: Annotated[Path | None, typer.Option("--data", help="ECB+ folder holding ECBplus.tar.gz (default: ../shared/data/ecbplus)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object of the figures")] = False,
    limit_topics: Annotated[int | None, typer.Option("--limit-topics", min=1, help="score only the first N topics")] = None,
) -> None:
    """Cross-document event coreference (MUC, B³, CEAF-e, CoNLL F1) on ECB+, beside the same-lemma baseline."""
    from ..evaluate import ecb

    try:
        figures = ecb.evaluate_ecb(data or ecb.default_data_dir(), limit_topics=limit_topics)
    except ValueError as error:
        raise _fail(str(error)) from None
    except ModelNotFound as error:
        raise _fail(str(error)) from None
    _print_figures(figures, lambda: ecb.render(figures), as_json)
