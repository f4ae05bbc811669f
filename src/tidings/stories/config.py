"""The clustering parameters, read from ``data/stories.json`` (so tuning never means editing code)."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from typing import Any

from ..datafiles import DATA

CONFIG_FILE = "stories.json"


@dataclass(frozen=True)
class StoryConfig:
    """How two event mentions are compared and when their clusters merge (see ``data/stories.json``)."""

    date_window_days: int = 7
    weight_lemma: float = 0.6
    weight_evidence: float = 0.0
    weight_context: float = 0.4
    weight_cameo: float = 0.1
    weight_place: float = 0.1
    threshold: float = 0.64
    merge_within_document: bool = True
    max_block: int = 2000
    status_order: tuple[str, ...] = ("confirmed", "asserted", "unconfirmed", "disputed", "denied")

    def with_(self, **changes: Any) -> StoryConfig:
        """A copy with some parameters changed (used when tuning)."""
        return replace(self, **changes)


@lru_cache(maxsize=1)
def load_config() -> StoryConfig:
    """The packaged configuration; unknown keys (and ``_comment``) are ignored, missing ones keep defaults."""
    raw = json.loads((DATA / CONFIG_FILE).read_text(encoding="utf-8"))
    known = {field.name for field in fields(StoryConfig)}
    values = {key: value for key, value in raw.items() if key in known}
    if "status_order" in values:
        values["status_order"] = tuple(values["status_order"])
    return StoryConfig(**values)
