"""The pipeline and the command line: bad input never stops the others, output follows the schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

import tidings
from tidings import Analyzer, IngestError, json_schema
from tidings.cli import app
from tidings.records import Analysis, Article

from conftest import SEED_GOLD, SEED_TEXT, need_shared

GOOD = ("Russia and China hold talks\n\n"
        "Foreign ministers from Russia and China met in Beijing on Monday to discuss trade and energy. "
        "The two countries signed an agreement on energy cooperation, officials said.\n\n"
        "“We will keep working together for a long time to come,” Chinese Foreign Minister Wang Yi said.")
SPANISH = ("El presidente del Gobierno se reunió ayer con los líderes de la oposición en Madrid para discutir "
           "la reforma del sistema de pensiones y el presupuesto del próximo año.")
HTML_WITHOUT_ARTICLE = ("<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a> "
                        "<a href='/news'>News</a> <a href='/about'>About us</a></nav></body></html>")
BAD_INPUTS = {
    "empty": "",
    "whitespace": "   \n\t \n ",
    "binary": b"\x00\x01\x02binary\x00data\xff\xfe",
    "too large": "a" * 21_000_000,
    "html without article": HTML_WITHOUT_ARTICLE,
}


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


@pytest.fixture(scope="module")
def schema() -> dict:
    return json_schema()


def validate(analysis: Analysis, schema: dict) -> dict:
    payload = json.loads(analysis.model_dump_json())
    jsonschema.validate(payload, schema)
    return payload


# -- one article ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_input_raises_a_one_line_ingest_error(analyzer, name):
    with pytest.raises(IngestError) as caught:
        analyzer.analyze(BAD_INPUTS[name], published="2023-09-06")
    message = str(caught.value)
    assert message and "\n" not in message


def test_module_level_analyze_raises_ingest_error_for_empty_input():
    with pytest.raises(IngestError):
        tidings.analyze("", published="2023-09-06")


def test_spanish_text_gives_a_warning_and_an_empty_analysis(analyzer, schema):
    analysis = analyzer.analyze(SPANISH, published="2023-09-06")
    assert analysis.error is None
    assert analysis.article.language == "es"
    assert any("not supported" in w for w in analysis.warnings)
    assert analysis.actors == analysis.events == analysis.quotes == analysis.claims == []
    validate(analysis, schema)


def test_good_article_is_analyzed_and_valid(analyzer, schema):
    analysis = analyzer.analyze(GOOD, published="2023-09-06")
    assert analysis.error is None
    assert analysis.warnings == []
    assert analysis.article.language == "en"
    assert analysis.article.title == "Russia and China hold talks"
    assert analysis.actors and analysis.events and analysis.quotes
    payload = validate(analysis, schema)
    assert payload["schema_version"] == "1.0"


def test_missing_publication_date_is_a_warning(analyzer):
    analysis = analyzer.analyze(GOOD)
    assert analysis.error is None
    assert any("publication date" in w for w in analysis.warnings)


def test_one_sentence_english_article_is_analyzed(analyzer):
    analysis = analyzer.analyze("President Vladimir Putin met Chinese President Xi Jinping in Beijing.",
                                published="2023-09-06")
    assert analysis.article.language == "en"
    assert analysis.events


# -- many articles -------------------------------------------------------------------------------------

def test_analyze_many_never_stops_on_a_bad_item(analyzer, schema, tmp_path):
    missing = tmp_path / "missing.txt"
    article = Article(id="given", text=GOOD, language="en", published="2023-09-06")
    items = [GOOD, *BAD_INPUTS.values(), SPANISH, missing, 42, article, GOOD]
    results = list(analyzer.analyze_many(items, published="2023-09-06"))
    assert len(results) == len(items)
    good_first, *bad, spanish, path_result, number_result, article_result, good_last = results
    assert good_first.error is None and good_first.events
    assert good_last.error is None and good_last.events
    assert good_first.events == good_last.events  # the bad items in between leave no trace
    for name, result in zip(BAD_INPUTS, bad):
        assert result.error, name
        assert "\n" not in result.error
        assert result.events == [] and result.actors == []
    assert spanish.error is None and spanish.warnings and spanish.events == []
    assert path_result.error and path_result.article.source == str(missing)
    assert number_result.error
    assert article_result.error is None and article_result.article.id == "given" and article_result.events
    for result in results:
        validate(result, schema)


def test_analyze_many_names_failed_items_by_position(analyzer):
    results = list(analyzer.analyze_many(["", GOOD], published="2023-09-06"))
    assert results[0].article.source == "#1"
    assert results[0].error == "empty input"
    assert results[1].error is None


def test_analyze_many_is_lazy(analyzer):
    def items():
        yield GOOD
        raise AssertionError("the second item must not be pulled before the first result is used")

    first = next(iter(analyzer.analyze_many(items(), published="2023-09-06")))
    assert first.error is None


# -- the command line ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture()
def article_file(tmp_path) -> Path:
    path = tmp_path / "talks.txt"
    path.write_text(GOOD + "\n", encoding="utf-8")
    return path


def test_cli_analyze_json(runner, article_file, schema):
    result = runner.invoke(app, ["analyze", str(article_file), "--format", "json", "--published", "2023-09-06"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    jsonschema.validate(payload, schema)
    assert payload["article"]["published"] == "2023-09-06"
    assert payload["article"]["source"] == str(article_file)
    assert payload["events"]
    assert result.stderr == ""


def test_cli_analyze_json_with_two_files_is_a_list(runner, article_file, schema):
    result = runner.invoke(app, ["analyze", str(article_file), str(article_file), "--format", "json",
                                 "--published", "2023-09-06"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert isinstance(payload, list) and len(payload) == 2
    for record in payload:
        jsonschema.validate(record, schema)


def test_cli_analyze_jsonl(runner, article_file, schema):
    result = runner.invoke(app, ["analyze", str(article_file), str(article_file), "--format", "jsonl",
                                 "--published", "2023-09-06"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    for line in lines:
        jsonschema.validate(json.loads(line), schema)


def test_cli_analyze_pretty(runner, article_file):
    result = runner.invoke(app, ["analyze", str(article_file), "--format", "pretty", "--published", "2023-09-06"])
    assert result.exit_code == 0, result.output
    assert "Russia and China hold talks" in result.stdout
    assert "Actors" in result.stdout


def test_cli_schema(runner, schema):
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    printed = json.loads(result.stdout)
    assert printed == schema
    assert printed["$schema"].endswith("2020-12/schema")
    assert {"article", "events", "quotes", "claims"} <= set(printed["properties"])


def test_cli_missing_file_exits_1_with_a_one_line_error(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a short path: long ones hit the wrapping bug below
    result = runner.invoke(app, ["analyze", "nope.txt", "--format", "json"])
    assert result.exit_code == 1
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith("error:") and "no such file" in errors[0]
    assert "Traceback" not in result.output


def test_cli_one_missing_file_does_not_stop_the_others(runner, article_file, tmp_path):
    result = runner.invoke(app, ["analyze", str(tmp_path / "nope.txt"), str(article_file), "--format", "jsonl",
                                 "--published", "2023-09-06"])
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [bool(r["error"]) for r in records] == [True, False]
    assert records[1]["events"]


def test_cli_missing_file_with_long_path_is_still_one_line(runner, tmp_path):
    missing = tmp_path / ("a_rather_long_directory_name/" * 3) / "missing-article-file.txt"
    result = runner.invoke(app, ["analyze", str(missing), "--format", "json"])
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_cli_binary_file_is_an_error_not_a_traceback(runner, tmp_path):
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02\x03binary\x00")
    result = runner.invoke(app, ["analyze", str(binary), "--format", "json"])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "NUL" in result.stderr


def test_cli_evaluate_seed_json(runner, seed_gold):
    need_shared(SEED_TEXT)
    need_shared(SEED_GOLD)
    result = runner.invoke(app, ["evaluate", "seed", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert {"document_ok", "events_required_recall", "must_not_assert_violations"} <= set(figures)
    assert isinstance(figures["document_ok"], bool)
    assert 0.0 <= figures["events_required_recall"] <= 1.0
    assert isinstance(figures["must_not_assert_violations"], int)


def test_cli_dyad_prints_the_pair_by_day(tmp_path):
    from typer.testing import CliRunner

    from tidings.cli import app

    article = tmp_path / "2023-09-14-meeting.txt"
    article.write_text("Putin meets Kim\nThe two leaders met at a spaceport\n"
                       "Russian President Vladimir Putin met North Korean leader Kim Jong Un at the "
                       "Vostochny Cosmodrome on Wednesday.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["dyad", "RUS", "PRK", "-f", str(article)])
    assert result.exit_code == 0, result.output
    assert "2023-09-13" in result.output


def test_batched_analysis_equals_one_by_one(analyzer):
    from tidings.ingest import read_article

    texts = [GOOD, GOOD.replace("Russia", "Japan"), GOOD.replace("talks", "a summit")]
    articles = [read_article(t, published="2023-09-06", source=f"#{n}") for n, t in enumerate(texts)]
    batched = list(analyzer.analyze_articles(articles, batch_size=2))
    single = [analyzer.analyze_article(a) for a in articles]
    assert [b.model_dump() for b in batched] == [s.model_dump() for s in single]


def test_a_finished_analysis_leaves_no_caches_on_its_doc(analyzer):
    """The stages cache sentences, noun chunks and token columns on the doc; spans point back at the doc, so
    caches left there make each parse a reference cycle that a long run frees late (its memory creeps up)."""
    import time

    from tidings.nlp import columns, noun_chunks, sentences

    article = Article(id="good", source="good.txt", text=GOOD, published="2024-03-04")
    doc = analyzer.nlp(GOOD)
    sentences(doc), noun_chunks(doc), columns(doc)
    assert any(str(key).startswith("tidings_") for key in doc.user_data)
    analysis = analyzer._finish(article, doc, [], time.monotonic(), None)
    assert analysis.quotes and analysis.events  # the stages did run over this doc
    assert not [key for key in doc.user_data if str(key).startswith("tidings_")]
