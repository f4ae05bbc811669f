"""Where articles come from: files and folders, JSON Lines, RSS/Atom feeds, WARC archives and URLs.

Every source yields, lazily, :class:`RawItem` (something to read as one article) or :class:`Reject` (an
input that cannot be one, and why). One module per kind: ``files`` (folders and file kinds), ``jsonl``,
``feeds`` (feedparser), ``warc`` (warcio), ``fetch`` (safe URL fetching with httpx); ``dispatch`` turns
what the user typed into the stream: :func:`iter_sources`.
"""

from tidings.sources.dispatch import is_url, iter_sources
from tidings.sources.fetch import FetchError, FetchPolicy, fetch_url
from tidings.sources.items import RawItem, Reject

__all__ = ["FetchError", "FetchPolicy", "RawItem", "Reject", "fetch_url", "is_url", "iter_sources"]
