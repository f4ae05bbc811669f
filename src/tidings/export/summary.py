"""What an export wrote, for the command line to report."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Written:
    target: str  # a file, a folder, or '-' for standard output
    table: str
    rows: int


@dataclass
class ExportSummary:
    format: str
    written: list[Written] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # caveats the reader of the output should know

    @property
    def rows(self) -> int:
        return sum(item.rows for item in self.written)
