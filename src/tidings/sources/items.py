"""What every source yields: a raw item to read as one article, or a reject saying why it cannot be one.

Sources never analyze and never raise on bad input: a file of the wrong type, a JSON line that does not
parse or a URL that may not be fetched becomes a :class:`Reject` the store logs, and the run goes on.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from tidings.ingest import IngestError, read_article, read_path
from tidings.records import Article

Kind = Literal["auto", "text", "html"]
EXCERPT_CHARS = 200


@dataclass(frozen=True)
class RawItem:
    """One article to read: either ``data`` in memory or a ``path`` read only when needed.

    ``published`` is the item's own date (a JSON line's or a feed entry's field); it wins over the run's
    default date. ``source`` names where the item came from ("feed.xml#3", "corpus.jsonl:12", a URL).
    """

    source: str
    data: bytes | str | None = None
    path: Path | None = None
    kind: Kind = "auto"
    url: str | None = None
    published: str | None = None
    outlet: str | None = None

    def read(self, default_published: str | datetime.date | None = None) -> Article:
        """The clean :class:`Article`; raises :class:`IngestError` when the item is not an article."""
        published = self.published or default_published
        if self.path is not None:
            return read_path(self.path, source=self.source, published=published, kind=self.kind,
                             url=self.url, outlet=self.outlet)
        if self.data is None:
            raise IngestError("item has no content")
        return read_article(self.data, source=self.source, published=published, kind=self.kind,
                            url=self.url, outlet=self.outlet)


@dataclass(frozen=True)
class Reject:
    """An input that cannot become an article, with the reason and a short excerpt for the log."""

    source: str
    reason: str
    excerpt: str = ""
    size: int | None = None


def reject(source: str, reason: str, raw: bytes | str | None = None) -> Reject:
    """A :class:`Reject` whose excerpt is the start of ``raw`` (decoded leniently, so it always prints)."""
    if raw is None:
        return Reject(source, reason)
    size = len(raw.encode("utf-8", errors="replace")) if isinstance(raw, str) else len(raw)
    head = raw[:EXCERPT_CHARS * 4]
    text = head.decode("utf-8", errors="replace") if isinstance(head, bytes) else head
    return Reject(source, reason, text[:EXCERPT_CHARS], size)
