"""The API's limits and policies, read once from data/api.json (see its _comment for what each one bounds)."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from tidings.datafiles import DATA


@dataclass(frozen=True)
class ApiLimits:
    default_page: int
    max_page: int
    max_offset: int
    max_body_bytes: int
    top_targets: int
    max_in_flight: int
    retry_after_s: int
    analysis_timeout_s: float
    max_concurrent_analyses: int
    content_security_policy: str
    duckdb_threads: int
    response_cache_entries: int
    response_cache_bytes: int
    worker_threads: int

    def with_overrides(self, **changes: Any) -> ApiLimits:
        """These limits with the given ones replaced (``None`` values keep the file's)."""
        return replace(self, **{key: value for key, value in changes.items() if value is not None})


@lru_cache(maxsize=1)
def api_limits() -> ApiLimits:
    raw = json.loads((DATA / "api.json").read_text(encoding="utf-8"))
    return ApiLimits(**{key: value for key, value in raw.items() if not key.startswith("_")})
