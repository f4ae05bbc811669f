"""Kill-and-resume check of ``tidings ingest`` over the BBC News corpus in ../shared/data/bbc-news.

Runs ``tidings ingest`` uninterrupted once (the reference), then again into a fresh store, killing it with
SIGKILL at random points (``--kills`` times), then lets it run to completion, and checks exactly-once:
the store holds one row per distinct text, the same events per article as the reference, and no article
was logged as ingested twice. Prints a report; exit 0 when every check passes. The analysis code must
not change while it runs (the reference and the resumed store would then differ for that reason alone).

    .venv/bin/python scripts/kill_resume_bbc.py                # all 2,225 files: tens of minutes of CPU
    .venv/bin/python scripts/kill_resume_bbc.py --files 300    # the first 300 files, a quicker check
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from tidings.ingest import IngestError, read_path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "bbc-news"


def corpus_files(data: Path, limit: int | None) -> list[Path]:
    files = sorted(path for path in data.rglob("*.txt") if path.parent != data)  # not the top-level README
    return files[:limit] if limit else files


def distinct_texts(files: list[Path]) -> int:
    ids = set()
    for file in files:
        try:
            ids.add(read_path(file).id)
        except IngestError:
            pass
    return len(ids)


def start(files: list[Path], db: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tidings.cli", "ingest", *map(str, files), "--db", str(db)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)


def run_to_end(files: list[Path], db: Path) -> tuple[int, float]:
    began = time.monotonic()
    code = start(files, db).wait()
    return code, time.monotonic() - began


def query(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def events_per_article(db: Path) -> dict[str, int]:
    return dict(query(db, "SELECT a.id, count(e.event_id) FROM articles a LEFT JOIN events e "
                          "ON e.article_id = a.id GROUP BY a.id"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--files", type=int, default=None, help="use only the first N files")
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--workdir", type=Path, default=None, help="where the two stores go (default: a temp dir)")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"no corpus at {args.data}", file=sys.stderr)
        return 2
    files = corpus_files(args.data, args.files)
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    chooser = random.Random(seed)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="tidings-kill-"))
    workdir.mkdir(parents=True, exist_ok=True)
    reference, killed = workdir / "reference.duckdb", workdir / "killed.duckdb"
    for db in (reference, killed):
        for stale in (db, Path(f"{db}.wal")):
            stale.unlink(missing_ok=True)

    distinct = distinct_texts(files)
    print(f"{len(files)} files, {distinct} distinct texts; seed {seed}; stores in {workdir}", flush=True)
    code, load_time = run_to_end([], workdir / "probe.duckdb")
    code, total = run_to_end(files, reference)
    print(f"reference run: exit {code}, {total:.0f} s (start-up {load_time:.1f} s)", flush=True)
    work = max(total - load_time, 1.0)
    stored_after_kill = []
    for kill in range(args.kills):
        fraction = (kill + 1) / (args.kills + 1)
        process = start(files, killed)
        time.sleep(load_time + work * chooser.uniform(fraction - 0.1, fraction + 0.1) / (1 if kill == 0 else 2))
        process.send_signal(signal.SIGKILL)
        process.wait()
        stored = query(killed, "SELECT count(*) FROM articles")[0][0] if killed.exists() else 0
        stored_after_kill.append(stored)
        print(f"kill {kill + 1}: exit {process.returncode}, {stored} articles stored", flush=True)
    code, resumed = run_to_end(files, killed)
    print(f"resumed run: exit {code}, {resumed:.0f} s", flush=True)

    expected, actual = events_per_article(reference), events_per_article(killed)
    doubled = query(killed, "SELECT count(*) FROM (SELECT article_id FROM ingest_log WHERE status = 'ingested' "
                            "GROUP BY article_id HAVING count(*) > 1)")[0][0]
    checks = {
        f"articles = distinct texts ({len(actual)} = {distinct})": len(actual) == distinct,
        f"reference articles = distinct texts ({len(expected)})": len(expected) == distinct,
        f"events = reference ({sum(actual.values())} = {sum(expected.values())})":
            sum(actual.values()) == sum(expected.values()),
        "events per article = reference": actual == expected,
        f"no article logged as ingested twice ({doubled})": doubled == 0,
        f"a kill landed mid-run ({stored_after_kill})": any(0 < n < distinct for n in stored_after_kill),
    }
    for name, passed in checks.items():
        print(f"{'PASS' if passed else 'FAIL'}  {name}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    os.environ.setdefault("COLUMNS", "120")
    sys.exit(main())
