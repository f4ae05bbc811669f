"""Hostile and broken input never crashes: each case ends in a clear IngestError, an Analysis with ``error``
set, or a partial analysis flagged with ``warnings`` — through ``read_article``/``analyze``, through
``Analyzer.analyze_many`` and through ``tidings ingest`` into a store (the bad file lands in ``rejects``
with its reason, the good file beside it is still ingested)."""

from __future__ import annotations

import gzip
import random
import time
import tracemalloc
from pathlib import Path

import duckdb
import pytest
from test_properties import assert_sound, assert_spans_valid
from typer.testing import CliRunner

import tidings
from tidings import Analysis, Analyzer, IngestError
from tidings.cli import app
from tidings.ingest import read_article, read_path
from tidings.ingest.decode import gunzip
from tidings.ingest.html import without_oversized_blocks
from tidings.pipeline import STAGES, analyzed_prefix
from tidings.records import Span

GOOD = ("France and Germany agree on grain exports\n\n"
        "The foreign ministers of France and Germany met in Paris on Tuesday and signed an agreement on grain "
        "exports, officials said.\n\n"
        "\"We will work together for the next ten years,\" the French minister told reporters.\n")
ARTICLE_HTML = ("<article>" + "<p>The foreign ministers of France and Germany met in Paris on Tuesday and signed "
                "an agreement on grain exports, officials said.</p>" * 3 + "</article>")
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4

# name -> (input, a fragment of the IngestError message)
REJECTED: dict[str, tuple[bytes | str, str]] = {
    "empty": (b"", "empty input"),
    "whitespace-only": (b"  \n\t \r\n  \n", "empty input"),
    "whitespace-only str": ("   \n\u00a0\u2028 ", "empty input"),
    "png header": (PNG, "binary file (PNG image)"),
    "random bytes": (random.Random(8).randbytes(5_000), "binary file"),
    "random bytes without NUL": (random.Random(9).randbytes(5_000).replace(b"\x00", b"\x01"), "binary file"),
    "nul bytes": (b"The minister\x00 met officials in Paris on Tuesday.", "NUL bytes"),
    "nul in str": ("The minister\x00 met officials in Paris on Tuesday.", "NUL bytes"),
    "control characters only": ("".join(chr(code) for code in range(1, 32) if code not in (9, 10, 13)) * 20,
                                "empty input"),
    "control bytes mostly": (bytes(range(1, 9)) * 200 + b"some words", "binary file"),
    "scripts and styles only": (b"<html><head><script>var x = 1;</script><style>body {}</style></head><body>"
                                b"<script>alert('the minister said on Tuesday')</script></body></html>",
                                "no article text found"),
    "gzip bomb": (gzip.compress(b"a" * 30_000_000), "gzip input expands to over the 20 MB limit"),
    "truncated gzip": (gzip.compress(GOOD.encode())[:-12], "corrupt gzip data"),
    "over the size cap": (b"a " * 10_500_001, "over the 20 MB limit"),
}


def rejection(data: bytes | str, **options) -> str:
    with pytest.raises(IngestError) as caught:
        read_article(data, **options)
    message = str(caught.value)
    assert message and "\n" not in message
    return message


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


# -- one article: read_article and analyze -------------------------------------------------------------
@pytest.mark.parametrize("name", REJECTED)
def test_hostile_input_is_rejected_clearly(name: str) -> None:
    data, reason = REJECTED[name]
    assert reason in rejection(data)
    with pytest.raises(IngestError):
        tidings.analyze(data)


def test_invalid_utf8_is_decoded_as_a_legacy_code_page_not_rejected() -> None:
    article = read_article(b"The minister said \xff\xfe caf\xe9 prices rose in Paris on Tuesday, officials said.")
    assert article.text.startswith("The minister said ") and "\ufffd" not in article.text


def test_windows_1252_and_latin_1_decode_correctly() -> None:
    cp1252 = "\u201cWe will pay \u20ac5 million,\u201d said the caf\u00e9 owner in Paris on Tuesday."
    assert read_article(cp1252.encode("cp1252")).text == cp1252
    latin1 = "Le caf\u00e9 de la r\u00e9publique a \u00e9t\u00e9 ferm\u00e9 \u00e0 Paris, dit le ministre fran\u00e7ais."
    assert read_article(latin1.encode("latin-1")).text == latin1


def test_control_characters_inside_text_are_removed() -> None:
    article = read_article("The minister\x01\x02\x1b met officials in Paris\x07 on Tuesday.")
    assert article.text == "The minister met officials in Paris on Tuesday."


def test_lone_surrogates_in_a_str_become_replacement_characters() -> None:
    """Found by fuzzing: a lone surrogate crashed the article id (UnicodeEncodeError)."""
    article = read_article("The minister \ud800 met officials in Paris on Tuesday; \ud83d\ude00 pairs are joined.")
    assert "\ufffd" in article.text and "\U0001f600" in article.text
    article.model_dump_json()


def test_gzip_bomb_decompression_is_bounded_in_memory() -> None:
    """gunzip asks zlib for at most max_bytes + 1 bytes, so a bomb costs about the cap, not its expansion."""
    bomb = gzip.compress(b"\x00" * 200_000_000, compresslevel=9)  # ~200 kB expanding to 200 MB
    tracemalloc.start()
    try:
        with pytest.raises(IngestError, match="expands to over the 1 MB limit"):
            read_article(bomb, max_bytes=1_000_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000
    members = gzip.compress(b"a" * 600_000) * 2  # two members, each under the cap, together over it
    with pytest.raises(IngestError, match="expands to over"):
        gunzip(members, 1_000_000)


def test_gzipped_file_bomb_is_rejected_by_read_path(tmp_path: Path) -> None:
    path = tmp_path / "story.txt.gz"
    path.write_bytes(gzip.compress(b"b" * 3_000_000))
    with pytest.raises(IngestError, match="expands to over the 2 MB limit"):
        read_path(path, max_bytes=2_000_000)


def test_deeply_nested_markup_is_read_or_rejected_quickly() -> None:
    sentence = ("The minister of France met officials from Germany in Paris on Tuesday to talk about grain "
                "exports and rail links, officials said.")
    page = "<html><body>" + "<div>" * 5000 + sentence + "</div>" * 5000 + "</body></html>"
    started = time.monotonic()
    try:
        article = read_article(page)
    except IngestError as error:
        assert "no article text" in str(error)
    else:
        assert "minister of France" in article.text
    assert time.monotonic() - started < 20


def test_malformed_markup_keeps_its_text(analyzer: Analyzer) -> None:
    page = ("<html><body><p>The minister <b>of France <i>met officials</b> from Germany in Paris</p on Tuesday "
            "<div <p>to talk about grain exports &bogus; and rail links <<across the region for many years.")
    analysis = analyzer.analyze(page, published="2024-03-12")
    assert "minister of France met officials" in analysis.article.text.replace("\n", " ")
    assert_sound(analysis)


def test_a_10_mb_page_with_a_huge_inline_blob_is_read() -> None:
    """libxml2 refuses a text node over 10 MB; the blob is dropped before extraction (it was rejected as
    "no article text found" before)."""
    blob = "<script>window.__STATE__ = '" + "x" * 10_400_000 + "';</script>"
    page = "<html><head><title>France and Germany agree on grain</title></head><body>" + blob + ARTICLE_HTML
    assert len(page) > 10_000_000
    article = read_article(page.encode())
    assert "signed an agreement on grain exports" in article.text
    assert "over the 5 MB limit" in rejection(page.encode(), max_bytes=5_000_000)


def test_oversized_blocks_are_dropped_in_linear_time() -> None:
    hostile = "<script" * 300_000 + "<!--" + "x" * 1_100_000  # unclosed openings everywhere
    started = time.monotonic()
    assert without_oversized_blocks(hostile).startswith("<script<script")
    assert time.monotonic() - started < 5


def test_a_page_of_many_small_blocks_is_read_in_bounded_time() -> None:
    """trafilatura's jusText fallback is quadratic in blocks (20,000 divs took ~3 minutes); past a few
    thousand blocks the fallback is skipped."""
    page = ("<html><head><title>France and Germany agree on grain</title></head><body>"
            + "<div class='ad'>advert here</div>\n" * 20_000 + ARTICLE_HTML + "</body></html>")
    started = time.monotonic()
    article = read_article(page)
    assert "signed an agreement" in article.text
    assert time.monotonic() - started < 30


def test_a_1_mb_sentence_without_punctuation_finishes_as_a_flagged_partial_analysis(analyzer: Analyzer) -> None:
    words = "the minister of France met officials from Germany and Russia about grain exports in Paris".split()
    rng = random.Random(1)
    text = " ".join(rng.choice(words) for _ in range(175_000))
    assert len(text) > 1_000_000
    started = time.monotonic()
    analysis = analyzer.analyze(text, published="2024-03-12")
    assert time.monotonic() - started < 100
    assert analysis.error is None
    assert any("analysis limit" in warning for warning in analysis.warnings), analysis.warnings
    assert len(analysis.article.text) == len(text)  # the record keeps the whole text
    assert_sound(analysis)


@pytest.mark.parametrize("text", [
    'The minister said "we will never accept this. Then he left Paris. Critics said \u201cthis is wrong.',
    "\u201cWe will respond,\u201d he said. \u201d\u201d\u201c \u00abNon\u00bb, dit-il. \"\"\" '' ' The talks ended.",
    "\u05e8\u05d0\u05e9 \u05d4\u05de\u05de\u05e9\u05dc\u05d4 said on Tuesday that Israel would meet officials from "
    "\u0645\u0635\u0631 in Cairo. \u202eEgypt\u202c criticized Israel over Gaza, officials said.",
    "\u0642\u0627\u0644 \u0627\u0644\u0648\u0632\u064a\u0631 \u0625\u0646 \u0645\u0635\u0631 "
    "\u0633\u062a\u062c\u062a\u0645\u0639. Egypt and Israel met in Cairo on Monday, officials said.",
])
def test_odd_quotes_and_mixed_scripts_analyze_soundly(analyzer: Analyzer, text: str) -> None:
    analysis = analyzer.analyze(text, published="2024-03-12")
    assert analysis.error is None
    assert_sound(analysis)


# -- limits on one article's analysis ------------------------------------------------------------------
def test_analyzed_prefix_cuts_at_a_paragraph_break() -> None:
    text = "First paragraph here.\n\nSecond paragraph that goes past the limit."
    assert analyzed_prefix(text, 30) == "First paragraph here."
    assert analyzed_prefix(text, None) == text
    assert analyzed_prefix("x" * 50, 20) == "x" * 20


def test_time_limit_stops_between_stages_with_a_clear_error(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze_article(read_article(GOOD, published="2024-03-12"), max_seconds=0)
    assert analysis.error and "per-article time limit" in analysis.error and "before stage places" in analysis.error
    assert_sound(analysis)


def test_batch_time_limit_stops_only_the_slow_article(analyzer: Analyzer, monkeypatch) -> None:
    original = STAGES["places"]

    def slow_on_marked_articles(state) -> None:
        if "SLOW" in state.article.text:
            time.sleep(1.5)
        original(state)

    monkeypatch.setitem(STAGES, "places", slow_on_marked_articles)
    slow = GOOD.replace("Paris", "Paris (SLOW)")
    results = list(analyzer.analyze_many([slow, GOOD], published="2024-03-12", max_seconds_per_article=1.0))
    assert results[0].error and "over the 1 s per-article time limit" in results[0].error
    assert results[1].error is None and results[1].events


def test_span_checker_catches_a_bad_span(analyzer: Analyzer) -> None:
    """The property checks must be able to fail."""
    analysis = analyzer.analyze(GOOD, published="2024-03-12")
    broken = analysis.model_copy(update={"timexes": [], "places": [], "mentions": [
        *analysis.mentions, analysis.mentions[0].model_copy(update={"end": analysis.mentions[0].end + 1})]})
    with pytest.raises(AssertionError):
        assert_spans_valid(broken)
    assert isinstance(analysis.mentions[0], Span)


# -- the batch paths ------------------------------------------------------------------------------------
def test_analyze_many_turns_every_hostile_input_into_an_error_record(analyzer: Analyzer) -> None:
    names = list(REJECTED)
    items = [REJECTED[name][0] for name in names] + [GOOD]
    results = list(analyzer.analyze_many(items, published="2024-03-12"))
    assert len(results) == len(items)
    for name, result in zip(names, results):
        assert isinstance(result, Analysis)
        assert result.error and REJECTED[name][1] in result.error, (name, result.error)
    assert results[-1].error is None and results[-1].events


def test_ingest_cli_rejects_bad_files_and_stores_the_good_one(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(GOOD, encoding="utf-8")
    bad = {
        "empty.txt": (b"", "empty input"),
        "blank.txt": (b" \n\t\n", "empty input"),
        "image.txt": (PNG, "binary file (PNG image)"),
        "noise.txt": (random.Random(5).randbytes(3_000), "binary file"),
        "nul.txt": (b"The minister\x00 met officials.", "NUL bytes"),
        "scripts.html": (REJECTED["scripts and styles only"][0], "no article text found"),
        "bomb.txt.gz": (gzip.compress(b"a" * 25_000_000), "expands to over the 20 MB limit"),
    }
    for name, (data, _) in bad.items():
        (corpus / name).write_bytes(data)
    db = tmp_path / "store.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(corpus), "--db", str(db), "--published", "2024-03-12"])
    assert result.exit_code == 1, result.output  # 1: some items were rejected
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    with duckdb.connect(str(db), read_only=True) as connection:
        rejects = dict(connection.execute("SELECT source, reason FROM rejects").fetchall())
        sources = [row[0] for row in connection.execute("SELECT source FROM articles").fetchall()]
    for name, (_, reason) in bad.items():
        source = next((source for source in rejects if source.endswith(name)), None)
        assert source is not None, f"{name} not in rejects: {rejects}"
        assert reason in rejects[source], (name, rejects[source])
    assert len(sources) == 1 and sources[0].endswith("good.txt")
