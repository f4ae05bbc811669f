"""tidings: news articles in, evidence-backed event data out.

>>> import tidings
>>> analysis = tidings.analyze(text, published="2023-09-06")   # doctest: +SKIP
>>> [(e.cameo, e.source_countries, e.target_countries, e.modality) for e in analysis.events]  # doctest: +SKIP

Every record carries character offsets into ``analysis.article.text`` and the rule that produced it.
"""

from __future__ import annotations

import datetime as _dt
from functools import lru_cache

from .ingest import IngestError
from .pipeline import Analyzer
from .records import Analysis, json_schema

__version__ = "0.1.0"
__all__ = ["Analysis", "Analyzer", "IngestError", "analyze", "json_schema", "__version__"]


@lru_cache(maxsize=2)
def _default_analyzer(model: str | None) -> Analyzer:
    return Analyzer(model)


def analyze(text: str | bytes, *, published: str | _dt.date | None = None, model: str | None = None,
            **options) -> Analysis:
    """Analyze one article (plain text or HTML) with a shared, lazily loaded :class:`Analyzer`."""
    return _default_analyzer(model).analyze(text, published=published, **options)
