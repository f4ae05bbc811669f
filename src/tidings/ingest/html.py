"""HTML pages: main text with trafilatura, title and description from its metadata, date from htmldate."""

from __future__ import annotations

import logging
import re
from typing import NamedTuple

from tidings.ingest.normalise import fold_whitespace, normalise_text
from tidings.ingest.paragraph import Paragraph
from tidings.ingest.text import Layout, reads_like_standfirst

_HTML_START = re.compile(
    r"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title|article|main|div|p)\b",
    re.IGNORECASE | re.DOTALL,
)
_HTML_TAG = re.compile(r"<html[\s>]|<body[\s>]|<!doctype\s+html", re.IGNORECASE)
_SNIFF_CHARS = 4096
# libxml2 refuses a text node over 10 MB, and trafilatura then finds nothing; a script, style or comment a
# megabyte long (inline app state, a base64 blob, padding) holds no article text, so it is dropped first.
_MAX_BLOCK_CHARS = 1_000_000
_BLOCK_OPENING = re.compile(r"<!--|<(script|style)\b[^<>]{0,1000}>", re.IGNORECASE)  # bounded: stays linear
_BLOCK_CLOSING = {"": re.compile("-->"), "script": re.compile(r"</script\s*>", re.IGNORECASE),
                  "style": re.compile(r"</style\s*>", re.IGNORECASE)}
# trafilatura's fallback extractor (jusText) is quadratic in the number of text blocks: 20,000 short divs
# take minutes. News pages have a few hundred blocks; past this many the fallback is skipped (fast mode).
_MAX_BLOCKS_FOR_FALLBACK = 3_000
_BLOCK_TAG = re.compile(r"<(?:p|div|li|td|th|tr|h[1-6]|section|article|blockquote|dd|dt|pre|br)\b", re.IGNORECASE)


class HtmlPage(NamedTuple):
    """What an HTML page yields before furniture is removed."""

    paragraphs: list[Paragraph]
    title: str | None
    description: str | None
    published: str | None
    url: str | None
    sitename: str | None


def looks_like_html(text: str) -> bool:
    """True when the text starts like an HTML document or fragment, or has an <html>/<body> tag early on."""
    head = text[:_SNIFF_CHARS]
    return bool(_HTML_START.match(head) or _HTML_TAG.search(head))


def extract_html(html: str, *, url: str | None = None) -> HtmlPage:
    """Main text (one paragraph per line trafilatura returns), metadata and publication date of a page.

    The publication date is htmldate's original (first-published) date from the page's markup only
    (``extensive_search=False``): a date guessed from running text would mislead every later stage.
    Parser failures on malformed pages are caught and read as "nothing found", never raised.
    """
    html = without_oversized_blocks(html)
    document = _bare_extraction(html, url)
    text = getattr(document, "text", None) or ""
    lines = [line for line in normalise_text(text).split("\n") if line]
    paragraphs = [Paragraph(line, number) for number, line in enumerate(lines, start=1)]
    sitename = _clean(getattr(document, "sitename", None))
    return HtmlPage(
        paragraphs=paragraphs,
        title=_strip_site_suffix(_clean(getattr(document, "title", None)), sitename),
        description=_clean(getattr(document, "description", None)),
        published=_publication_date(html, url),
        url=_clean(getattr(document, "url", None)),
        sitename=sitename,
    )


def lay_out_page(page: HtmlPage, kept: list[Paragraph]) -> Layout:
    """Title from the page metadata; its repetition as the first paragraph is dropped from the body.

    The first remaining paragraph becomes the standfirst only when it is the page's own description and
    reads like a standfirst (many sites use the lede paragraph as description; that stays body).
    """
    body = list(kept)
    title = Paragraph(page.title, 0) if page.title else None
    if title and body and _same_text(body[0].text, title.text):
        title = body.pop(0)
    subtitle = None
    if (len(body) >= 2 and page.description and _same_text(body[0].text, page.description)
            and reads_like_standfirst(body[0].text)):
        subtitle = body.pop(0)
    return Layout(title, subtitle, body)


def without_oversized_blocks(html: str) -> str:
    """``html`` without the scripts, styles and comments longer than ``_MAX_BLOCK_CHARS``; one pass."""
    if len(html) <= _MAX_BLOCK_CHARS:
        return html
    kept: list[str] = []
    position = 0
    while (opening := _BLOCK_OPENING.search(html, position)) is not None:
        closing = _BLOCK_CLOSING[(opening.group(1) or "").lower()].search(html, opening.end())
        end = closing.end() if closing else len(html)  # unclosed: the block runs to the end of the page
        kept.append(html[position:opening.start()] if end - opening.start() > _MAX_BLOCK_CHARS
                    else html[position:end])
        position = end
    kept.append(html[position:])
    return "".join(kept)


def _bare_extraction(html: str, url: str | None) -> object | None:
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    many_blocks = sum(1 for _ in _BLOCK_TAG.finditer(html)) > _MAX_BLOCKS_FOR_FALLBACK
    try:
        return trafilatura.bare_extraction(
            html, url=url, fast=many_blocks, with_metadata=True, include_comments=False, include_tables=False,
            include_images=False, include_links=False,
        )
    except Exception:  # a third-party parser over untrusted markup: any failure means "no text found"
        return None


def _publication_date(html: str, url: str | None) -> str | None:
    from htmldate import find_date

    logging.getLogger("htmldate").setLevel(logging.ERROR)
    try:
        return find_date(html, url=url, original_date=True, extensive_search=False, outputformat="%Y-%m-%d")
    except Exception:  # as above: a date we cannot read is a date we do not have
        return None


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = fold_whitespace(normalise_text(value))
    return value or None


def _strip_site_suffix(title: str | None, sitename: str | None) -> str | None:
    """"Headline - Outlet" → "Headline" when the suffix is the page's own site name."""
    if not title or not sitename:
        return title
    for separator in (" - ", " | ", " – ", " — ", " :: "):
        suffix = separator + sitename
        if title.lower().endswith(suffix.lower()) and len(title) > len(suffix):
            return title[: -len(suffix)].strip()
    return title


def _same_text(first: str, second: str) -> bool:
    return fold_whitespace(first).casefold() == fold_whitespace(second).casefold()
