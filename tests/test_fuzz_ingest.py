"""Fuzzing the ingest stage: any bytes or text in, either one :class:`IngestError` or a valid Article out.

Hypothesis-driven (atheris has no wheel for this platform). The default run executes about 8,600
examples in well under two minutes; set ``TIDINGS_FUZZ_SCALE=10`` (or more) for a longer soak, as a
nightly job would. No example database is kept (``database=None``): failures print their reproducer.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tidings.ingest import IngestError, read_article
from tidings.records import Article

SCALE = max(1, int(os.environ.get("TIDINGS_FUZZ_SCALE", "1")))
# Small inputs are where the decoding edge cases are; a 64 kB cap keeps each example in milliseconds.
MAX_BYTES = 64_000


def fuzz(examples: int) -> settings:
    return settings(max_examples=examples * SCALE, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# Bytes that look like the inputs decoding has to tell apart: UTF-8 text, Windows-1252 punctuation,
# BOMs, control bytes, file signatures, markup and gzip magic, mixed with arbitrary bytes.
_MARKERS = [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x89PNG\r\n\x1a\n", b"%PDF-",
            b"\x1f\x8b", b"\x00", b"\x93", b"\x94", b"\x80", b"\xe9", b"\xc3\xa9", b"\xe2\x82\xac", b"\r\n",
            b"\n\n", b"<html>", b"<body>", b"<p>", b"</p>", b"<script>", b"<!--", b"-->",
            b'<meta charset="utf-7">', b'<meta charset="bogus">', b'<meta charset="utf-16">', b"+2AA-",
            b"The minister said on Tuesday that France would ", b"\"We will not\" ", b"\xd8\xa7\xd9\x84",
            b"\xd7\xa9\xd7\x9c", b"\x1b[0m", b"\x7f", b"\x85", b"\xe2\x80\xa8"]
raw_bytes = st.one_of(
    st.binary(max_size=2_000),
    st.lists(st.one_of(st.sampled_from(_MARKERS), st.binary(max_size=40)), max_size=40).map(b"".join),
)
# Code points that text handling has to get right: lone and paired surrogates, combining marks, bidi
# controls, invisible characters, odd line breaks, curly quotes, right-to-left scripts.
_TEXT_MARKERS = ["\ud800", "\udfff", "\ud83d\ude00", "\u0301", "e\u0301", "\u202e", "\u200f", "\u200b", "\ufeff",
                 "\u00ad", "\x00", "\x1b", "\x85", "\r\n", "\r", "\u2028", "\u2029", "\x0c", "\n\n", "\t",
                 "\u201c", "\u201d", '"', "\u00ab", "\u00bb", "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0635\u0631",
                 "\ufffd", "\U0001f600", "<p>", "<html>", "The minister of France said on Tuesday that ",
                 "Germany accused Russia. ", "Subscribe to our newsletter"]
any_text = st.one_of(
    st.text(st.characters(exclude_categories=()), max_size=2_000),  # every code point, surrogates included
    st.lists(st.one_of(st.sampled_from(_TEXT_MARKERS), st.text(max_size=20)), max_size=40).map("".join),
)


def check_outcome(data: bytes | str, **options) -> Article | None:
    """Read ``data``: an IngestError (with a one-line message) or an Article that keeps its promises."""
    try:
        article = read_article(data, max_bytes=MAX_BYTES, **options)
    except IngestError as error:
        message = str(error)
        assert message and "\n" not in message and "Traceback" not in message
        return None
    assert isinstance(article, Article)
    assert_valid_article(article)
    return article


def assert_valid_article(article: Article) -> None:
    text = article.text
    assert text.strip(), "an article always has text"
    assert "\x00" not in text and "\r" not in text
    assert not any(0xD800 <= ord(ch) <= 0xDFFF for ch in text), "lone surrogates cannot be written as UTF-8"
    assert unicodedata.is_normalized("NFC", text)
    assert 0 <= article.body_start <= len(text)
    assert article.id == hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()
    # The record must survive JSON (the CLI's output and the store's input).
    assert Article.model_validate_json(article.model_dump_json()) == article


@fuzz(4_000)
@given(raw_bytes)
def test_any_bytes_read_or_rejected(data: bytes) -> None:
    check_outcome(data)


@fuzz(1_500)
@given(any_text)
def test_any_text_read_or_rejected(text: str) -> None:
    check_outcome(text)


@fuzz(1_000)
@given(raw_bytes, st.sampled_from([1, 9]))
def test_gzipped_bytes_read_or_rejected(data: bytes, level: int) -> None:
    check_outcome(gzip.compress(data, compresslevel=level))


@fuzz(800)
@given(raw_bytes, st.integers(min_value=0, max_value=60))
def test_truncated_or_multi_member_gzip_read_or_rejected(data: bytes, cut: int) -> None:
    packed = gzip.compress(data)
    check_outcome(packed[: max(2, len(packed) - cut)])  # truncated: "corrupt gzip data"
    check_outcome(packed + gzip.compress(data[::-1]))  # two members: both are read


@fuzz(1_000)
@given(st.lists(st.one_of(any_text, raw_bytes.map(lambda b: b.decode("latin-1"))), min_size=1, max_size=6),
       st.sampled_from(["p", "div", "article", "script", "style", "title", "h1", "li", "span"]),
       st.booleans())
def test_html_wrapped_input_read_or_rejected(parts: list[str], tag: str, as_bytes: bool) -> None:
    body = "".join(f"<{tag}>{part}</{tag}>" for part in parts)
    page = f"<!doctype html><html><head><title>{parts[0][:80]}</title></head><body>{body}</body></html>"
    data = page.encode("utf-8", errors="surrogatepass") if as_bytes else page
    check_outcome(data)
    check_outcome(data, kind="html")


@fuzz(300)
@given(st.integers(min_value=MAX_BYTES + 1, max_value=4 * MAX_BYTES), st.sampled_from([b"a", b"\x00", b"ab \n"]))
def test_compressed_input_over_the_limit_is_rejected_without_inflating_it(size: int, unit: bytes) -> None:
    try:
        read_article(gzip.compress(unit * (size // len(unit) + 1)), max_bytes=MAX_BYTES)
    except IngestError as error:
        assert "limit" in str(error)
    else:
        raise AssertionError("a gzip input expanding past max_bytes must be rejected")
