"""Stories: events from different articles that report the same real-world event, merged.

``cluster`` (the store-independent clustering core: :func:`cluster_mentions`), ``config`` (parameters from
``data/stories.json``) and ``build`` (:func:`build_stories`: the store's ``stories`` and ``story_events``
tables).
"""

from .build import biggest_stories, build_stories
from .cluster import EventMention, cluster_mentions
from .config import StoryConfig, load_config

__all__ = ["EventMention", "StoryConfig", "biggest_stories", "build_stories", "cluster_mentions", "load_config"]
