"""Draw a reproducible random sample of coded events from a folder of articles, for hand-checking.

    .venv/bin/python scripts/sample_events.py ../shared/data/bbc-news/politics --n 20 --seed 2026

One event is drawn from each of randomly chosen articles (so no article dominates the sample); each is
printed with its code, actors, modality, trigger and evidence sentence, ready for a verdict.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from tidings import Analyzer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--published", default="2005-01-01", help="publication date given to every article")
    args = parser.parse_args()
    files = sorted(args.folder.glob("*.txt"))
    rng = random.Random(args.seed)
    analyzer = Analyzer()
    shown = 0
    for path in rng.sample(files, min(len(files), args.n * 3)):
        analysis = analyzer.analyze_path(path, published=args.published)
        if not analysis.events:
            continue
        event = rng.choice(analysis.events)
        actors = {a.id: a for a in analysis.actors}

        def names(ids: list[str]) -> str:
            return ", ".join(actors[i].name for i in ids if i in actors) or "-"

        shown += 1
        print(f"{shown:>2}. {path.name} | {event.cameo} {event.cameo_name} | {names(event.source_actor_ids)} "
              f"({','.join(event.source_countries)}) -> {names(event.target_actor_ids)} "
              f"({','.join(event.target_countries)}) | {event.modality} | trigger “{event.trigger.text}”")
        print(f"    {event.evidence.text[:300]}")
        if shown == args.n:
            break


if __name__ == "__main__":
    main()
