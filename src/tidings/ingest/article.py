"""Assembling the :class:`~tidings.records.Article` record from the parts ingest found."""

from __future__ import annotations

import datetime
import hashlib
import unicodedata

from tidings.ingest.errors import IngestError
from tidings.ingest.normalise import fold_whitespace
from tidings.ingest.text import Layout
from tidings.records import Article, Removal

PARAGRAPH_SEPARATOR = "\n\n"


def build_article(layout: Layout, *, removed: list[Removal], language: str | None, source: str | None = None,
                  url: str | None = None, outlet: str | None = None, published: str | None = None,
                  published_from: str | None = None) -> Article:
    """Join title, standfirst and body with blank lines; record where the body starts and the content id."""
    head = [part.text for part in (layout.title, layout.subtitle) if part is not None]
    body = [paragraph.text for paragraph in layout.body]
    head_text = PARAGRAPH_SEPARATOR.join(head)
    body_text = PARAGRAPH_SEPARATOR.join(body)
    if head_text and body_text:
        text = head_text + PARAGRAPH_SEPARATOR + body_text
        body_start = len(head_text) + len(PARAGRAPH_SEPARATOR)
    else:
        text = head_text or body_text
        body_start = len(text) if head_text else 0
    return Article(
        id=article_id(text),
        source=source,
        url=url,
        outlet=outlet,
        title=layout.title.text if layout.title else None,
        subtitle=layout.subtitle.text if layout.subtitle else None,
        published=published,
        published_from=published_from if published else None,
        language=language,
        text=text,
        body_start=body_start,
        removed=removed,
    )


def article_id(text: str) -> str:
    """sha256 (hex) of the text in NFC with whitespace folded: the same story pasted twice gets one id."""
    normal = fold_whitespace(unicodedata.normalize("NFC", text))
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def parse_published(value: str | datetime.date | None) -> str | None:
    """An ISO date (YYYY-MM-DD) from a date, a datetime or an ISO string; IngestError when unreadable."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if not isinstance(value, str):
        raise IngestError(f"publication date must be a date or a YYYY-MM-DD string, not {type(value).__name__}")
    text = value.strip()
    for parse in (datetime.date.fromisoformat, datetime.datetime.fromisoformat):
        try:
            parsed = parse(text)
        except ValueError:
            continue
        return (parsed.date() if isinstance(parsed, datetime.datetime) else parsed).isoformat()
    raise IngestError(f"unreadable publication date {value!r}: use YYYY-MM-DD")
