"""RSS and Atom feeds (via feedparser): each entry's full content, or else its summary, becomes an article.

An entry is turned into the pasted-text layout the ingest stage already reads (headline, blank line, one
paragraph per block of the entry's HTML), so a short entry is not thrown away by the page extractor that
expects a whole web page. Linked pages are not fetched: the feed is the source.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Any

import feedparser
import lxml.etree
import lxml.html

from tidings.sources.items import RawItem, Reject, reject

# Elements after which the text starts a new paragraph.
_BLOCKS = {"p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
           "tr", "pre", "figure", "figcaption", "ul", "ol", "table"}
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


def looks_like_feed(data: bytes, content_type: str = "") -> bool:
    """Whether fetched content is a feed rather than a page: by media type, else by its first tag."""
    media = content_type.split(";")[0].strip().lower()
    if "rss" in media or "atom" in media:
        return True
    head = data[:2048].lstrip().lower()
    if media in ("application/xml", "text/xml", "") or head.startswith(b"<?xml"):
        return any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf"))
    return False


def iter_feed(data: bytes, source: str) -> Iterator[RawItem | Reject]:
    """The entries of one RSS/Atom document (``source`` names the file or URL it came from)."""
    try:
        parsed = feedparser.parse(data)
    except Exception as error:  # noqa: BLE001 - feedparser can fail in many ways on hostile input
        yield reject(source, f"not a readable feed ({type(error).__name__})", data)
        return
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        reason = f"not a readable feed ({type(problem).__name__})" if problem else "feed has no entries"
        yield reject(source, reason, data)
        return
    outlet = _text(parsed.feed.get("title")) or None
    for number, entry in enumerate(parsed.entries, start=1):
        yield entry_item(entry, f"{source}#{number}", outlet)


def entry_item(entry: Any, source: str, outlet: str | None) -> RawItem | Reject:
    """One feed entry as an article item: title, then the paragraphs of its content or summary."""
    title = _text(entry.get("title"))
    body = _entry_body(entry)
    if not body:
        return reject(source, "feed entry has no content or summary", title)
    text = f"{title}\n\n{body}" if title and not body.startswith(title) else body
    return RawItem(source=source, data=text, kind="text", url=entry.get("link") or None,
                   published=_entry_date(entry), outlet=outlet)


def _entry_body(entry: Any) -> str:
    contents = [part for part in entry.get("content") or [] if part.get("value")]
    candidates = [part.get("value", "") for part in contents] + [entry.get("summary") or ""]
    for value in candidates:
        paragraphs = html_paragraphs(value)
        if paragraphs:
            return "\n\n".join(paragraphs)
    return ""


def html_paragraphs(fragment: str) -> list[str]:
    """The text of an HTML fragment (or plain text), one string per block, whitespace folded."""
    if not fragment.strip():
        return []
    if "<" not in fragment:
        blocks = re.split(r"\n\s*\n", fragment)
    else:
        try:
            root = lxml.html.fragment_fromstring(fragment, create_parent="div")
        except (lxml.etree.LxmlError, ValueError):
            return []
        for element in root.iter():
            if not isinstance(element.tag, str):  # comments and processing instructions
                continue
            if element.tag in ("script", "style"):
                element.text = ""
            elif element.tag in _BLOCKS:
                element.tail = "\n\n" + (element.tail or "")
            elif element.tag == "br":
                element.tail = "\n\n" + (element.tail or "")
        blocks = re.split(r"\n\s*\n", root.text_content())
    paragraphs = (_SPACES.sub(" ", block.replace("\n", " ")).strip() for block in blocks)
    return [paragraph for paragraph in paragraphs if paragraph]


def _text(value: object) -> str:
    return " ".join(html_paragraphs(value)) if isinstance(value, str) else ""


def _entry_date(entry: Any) -> str | None:
    """The entry's publication date (else its update date) as YYYY-MM-DD."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        stamp = entry.get(key)
        if stamp:
            try:
                return datetime.date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday).isoformat()
            except (ValueError, AttributeError):
                continue
    return None
