"""What ``tidings ingest`` shows: a live progress line (items, outcomes, articles/s) and the end summary."""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from tidings.store.load import IngestSummary
from tidings.store.writer import Status

MAX_REASONS = 10


class IngestProgress:
    """A rich progress display fed by :func:`tidings.store.load`'s ``on_outcome`` callback.

    The number of items is unknown up front (sources are read lazily), so it counts rather than fills.
    """

    def __init__(self, console: Console) -> None:
        self.started = time.monotonic()
        self.counts = {"ingested": 0, "duplicate": 0, "rejected": 0}
        self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"),
                                 TextColumn("[green]{task.fields[ingested]}[/] new · {task.fields[duplicate]} "
                                            "duplicate · [red]{task.fields[rejected]}[/] rejected"),
                                 TextColumn("{task.fields[rate]:.1f} articles/s"), TimeElapsedColumn(),
                                 console=console, transient=False)
        self.task = self.progress.add_task("ingesting", total=None, rate=0.0, ingested=0, duplicate=0, rejected=0)

    def __enter__(self) -> IngestProgress:
        self.progress.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.progress.stop()

    def __call__(self, status: Status, source: str, reason: str | None) -> None:
        self.counts[status] += 1
        elapsed = max(time.monotonic() - self.started, 1e-6)
        self.progress.update(self.task, advance=1, description=f"{sum(self.counts.values())} items",
                             rate=self.counts["ingested"] / elapsed, ingested=self.counts["ingested"],
                             duplicate=self.counts["duplicate"], rejected=self.counts["rejected"])

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started


def render_summary(summary: IngestSummary, totals: dict[str, int] | None, elapsed: float, console: Console,
                   *, interrupted: bool = False) -> None:
    """The end-of-run report: outcomes, reasons for rejects, and what the store now holds."""
    rate = summary.ingested / elapsed if elapsed > 0 else 0.0
    title = "ingest interrupted: run the same command again to resume" if interrupted else "ingest finished"
    table = Table(title=f"{title} ({elapsed:.1f} s, {rate:.2f} articles/s)", show_header=False)
    table.add_row("ingested", str(summary.ingested), f"{summary.events} events")
    table.add_row("skipped as duplicate", str(summary.duplicates), "")
    table.add_row("rejected", str(summary.rejected), "")
    for reason, count in summary.reasons.most_common(MAX_REASONS):
        table.add_row("", str(count), reason)
    if len(summary.reasons) > MAX_REASONS:
        table.add_row("", "", f"… and {len(summary.reasons) - MAX_REASONS} other reasons (see the rejects table)")
    if totals is not None:
        table.add_row("store now holds", f"{totals['articles']} articles", f"{totals['events']} events")
    console.print(table)
