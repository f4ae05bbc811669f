"""The ingest stage's entry points: bytes, text or a file in; one clean :class:`Article` out."""

from __future__ import annotations

import datetime
import pathlib
import re
from typing import Literal

from tidings.ingest.article import build_article, parse_published
from tidings.ingest.clean import strip_furniture
from tidings.ingest.decode import check_text_size, decode_bytes, gunzip, size_error
from tidings.ingest.errors import IngestError
from tidings.ingest.html import extract_html, lay_out_page, looks_like_html
from tidings.ingest.language import detect_language
from tidings.ingest.normalise import normalise_text
from tidings.ingest.text import Layout, lay_out, split_paragraphs
from tidings.records import Article

Kind = Literal["auto", "text", "html"]
DEFAULT_MAX_BYTES = 20_000_000
_HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx"}
_TEXT_SUFFIXES = {".txt", ".text", ".md"}
# Fewer words than this after extraction and cleaning means trafilatura found navigation, not an article.
MIN_HTML_BODY_WORDS = 15


def read_article(data: bytes | str, *, source: str | None = None, published: str | datetime.date | None = None,
                 kind: Kind = "auto", url: str | None = None, outlet: str | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES) -> Article:
    """Read one article from raw bytes or text.

    ``kind="auto"`` treats the input as HTML when it starts like a page. ``published`` (a date or an
    ISO string) wins over any date found in the HTML. Raises :class:`IngestError` with a one-line message
    when the input cannot be an article (empty, binary, too large, no article text, bad date).
    """
    if kind not in ("auto", "text", "html"):
        raise IngestError(f"unknown input kind {kind!r}: use auto, text or html")
    given_date = parse_published(published)
    text = _as_text(data, max_bytes)
    if kind == "html" or (kind == "auto" and looks_like_html(text)):
        return _read_html(text, source=source, published=given_date, url=url, outlet=outlet)
    return _read_plain(text, source=source, published=given_date, url=url, outlet=outlet)


def read_path(path: str | pathlib.Path, *, source: str | None = None, published: str | datetime.date | None = None,
              kind: Kind = "auto", url: str | None = None, outlet: str | None = None,
              max_bytes: int = DEFAULT_MAX_BYTES) -> Article:
    """Read an article file; ``.gz`` files are decompressed (bounded by ``max_bytes``).

    With ``kind="auto"`` the suffix decides (``.html``/``.htm`` → HTML, ``.txt`` → text), otherwise the
    content does. ``source`` defaults to the path as given.
    """
    file = pathlib.Path(path)
    try:
        size = file.stat().st_size
        if not file.is_file():
            raise IngestError(f"{file} is not a file")
        if size > max_bytes:
            raise size_error(size, max_bytes)
        data = file.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read {file}: {exc.strerror or exc}") from None
    suffixes = [suffix.lower() for suffix in file.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        data = gunzip(data, max_bytes)
        suffixes = suffixes[:-1]
    if kind == "auto" and suffixes:
        kind = "html" if suffixes[-1] in _HTML_SUFFIXES else "text" if suffixes[-1] in _TEXT_SUFFIXES else "auto"
    article = read_article(data, source=source if source is not None else str(path), published=published,
                           kind=kind, url=url, outlet=outlet, max_bytes=max_bytes)
    if article.published is None:
        named = date_in_file_name(file.name)
        if named is not None:
            article = article.model_copy(update={"published": named, "published_from": "file-name"})
    return article


def date_in_file_name(name: str) -> str | None:
    """A publication date leading a file name ("2024-06-20-putin-kim-pact.txt"), the way archives and
    the bundled examples name articles; used only when neither the option nor the page gives one."""
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})(?:\D|$)", name)
    if match is None:
        return None
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        return None


def _as_text(data: bytes | str, max_bytes: int) -> str:
    if isinstance(data, (bytes, bytearray, memoryview)):
        text = decode_bytes(bytes(data), max_bytes=max_bytes)
    elif isinstance(data, str):
        check_text_size(data, max_bytes)
        text = data.removeprefix("\ufeff")
    else:
        raise IngestError(f"cannot read an article from a {type(data).__name__}; pass bytes or str")
    if "\x00" in text:
        raise IngestError("binary file (NUL bytes)")
    text = normalise_text(text)
    if not text.strip():
        raise IngestError("empty input")
    return text


def _read_plain(text: str, *, source: str | None, published: str | None, url: str | None,
                outlet: str | None) -> Article:
    paragraphs = split_paragraphs(text)
    language = detect_language(text)
    kept, removed = strip_furniture(paragraphs, language)
    if not kept:
        if all(removal.reason == "empty" for removal in removed):
            raise IngestError("no article text found (no words in the input)")
        raise IngestError("no article text found, only page furniture (newsletter, paywall, ...)")
    layout = lay_out(kept)
    return build_article(layout, removed=removed, language=_final_language(layout, language), source=source,
                         url=url, outlet=outlet, published=published,
                         published_from="option" if published else None)


def _read_html(text: str, *, source: str | None, published: str | None, url: str | None,
               outlet: str | None) -> Article:
    page = extract_html(text, url=url)
    if not page.paragraphs:
        raise IngestError("no article text found in the HTML page")
    language = detect_language("\n".join(paragraph.text for paragraph in page.paragraphs))
    kept, removed = strip_furniture(page.paragraphs, language)
    layout = lay_out_page(page, kept)
    if sum(len(paragraph.text.split()) for paragraph in layout.body) < MIN_HTML_BODY_WORDS:
        raise IngestError("no article text found in the HTML page")
    date, date_from = (published, "option") if published else (page.published, "html-metadata")
    return build_article(layout, removed=removed, language=_final_language(layout, language), source=source,
                         url=url or page.url, outlet=outlet or page.sitename, published=date,
                         published_from=date_from if date else None)


def _final_language(layout: Layout, fallback: str | None) -> str | None:
    """The language of the clean text (furniture in another language no longer sways it)."""
    parts = [part.text for part in (layout.title, layout.subtitle) if part is not None]
    parts += [paragraph.text for paragraph in layout.body]
    return detect_language("\n".join(parts)) or fallback
