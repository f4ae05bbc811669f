"""The ingest stage: read an article (plain text or HTML, bytes or str, plain or gzipped), strip the page
furniture around it, and return one :class:`tidings.records.Article` whose ``text`` every later stage
points into.

Modules, one job each: ``decode`` (bytes → str, limits, binary detection), ``normalise`` (Unicode and
whitespace), ``text`` (pasted-text layout: headline, standfirst, body), ``html`` (trafilatura + htmldate),
``language`` (py3langid), ``clean`` (page furniture, patterns in ``data/furniture.tsv``), ``article``
(the record) and ``reader`` (the entry points below).
"""

from tidings.ingest.clean import strip_furniture
from tidings.ingest.errors import IngestError
from tidings.ingest.paragraph import Paragraph
from tidings.ingest.reader import read_article, read_path

__all__ = ["IngestError", "Paragraph", "read_article", "read_path", "strip_furniture"]
