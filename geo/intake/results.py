"""What an import reports: a status and issues per row, counts, the column mapping."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from geo.core.errors import InvalidInput
from geo.intake.store import WriteCounts

STATUSES = ("accepted", "rejected", "duplicate", "skipped", "conflict")


Progress = Callable[[int, int | None], None]


class ImportAborted(InvalidInput):
    """--strict and some rows were rejected: nothing was written; the result says why."""

    def __init__(self, message: str, result: ImportResult) -> None:
        super().__init__(message)
        self.result = result


class MissingColumns(InvalidInput):
    """The sheet lacks a column the kind needs, or it was not recognised: the headers found
    (column, header, field, note) and the sheet names, so the page can offer to map them."""

    def __init__(self, message: str, columns: list[dict[str, str | None]],
                 sheets: list[str]) -> None:
        super().__init__(message)
        self.columns = columns
        self.sheets = sheets


@dataclass(slots=True)
class RowResult:
    """What happened to one sheet row."""

    row: int
    status: str
    issues: list[dict[str, str]] = field(default_factory=list)
    record_key: str | None = None
    commune_code: str | None = None
    district_code: str | None = None
    commune_code_2025: str | None = None
    precision: str | None = None
    lon: float | None = None
    lat: float | None = None
    geocode_status: str | None = None
    method: str | None = None
    name: str | None = None
    candidates: list[dict[str, str | None]] = field(default_factory=list)
    action: str | None = None  # new | update | unchanged | conflict (accepted rows)
    record_id: int | None = None
    changes: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # people's edits that stand
    conflicts: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready entry of the report's `rows`."""
        return {"row": self.row, "status": self.status, "issues": self.issues,
                "record_key": self.record_key, "commune_code": self.commune_code,
                "district_code": self.district_code,
                "commune_code_2025": self.commune_code_2025, "precision": self.precision,
                "lon": self.lon, "lat": self.lat, "geocode_status": self.geocode_status,
                "method": self.method, "name": self.name, "candidates": self.candidates,
                "action": self.action, "record_id": self.record_id, "changes": self.changes,
                "kept": self.kept, "conflicts": self.conflicts}


@dataclass
class ImportResult:
    """Everything an import did, row by row, with totals."""

    kind: str
    file: str
    sheet: str
    header_rows: tuple[int, int]
    columns: list[dict[str, str | None]]
    rows: list[RowResult] = field(default_factory=list)
    written: WriteCounts = field(default_factory=WriteCounts)
    dry_run: bool = False
    strict: bool = False
    aborted: bool = False
    batch_id: int | None = None
    conversions: list[dict[str, str]] = field(default_factory=list)  # column text encodings
    sheets: list[str] = field(default_factory=list)  # every sheet of the file
    absent: int = 0  # records of an earlier import of this file that it no longer carries
    absent_records: list[dict[str, Any]] = field(default_factory=list)
    archived: int = 0  # absent records archived (the explicit option), not deleted

    def summary(self) -> dict[str, int]:
        """Rows per status, and in total."""
        counts = Counter(r.status for r in self.rows)
        return {**{s: counts.get(s, 0) for s in STATUSES}, "total": len(self.rows)}

    def precision(self) -> dict[str, int]:
        """Accepted rows per position precision."""
        return dict(Counter(str(r.precision) for r in self.rows
                            if r.status in ("accepted", "conflict")))

    def write_json(self, fh: IO[str]) -> None:
        """The report as to_dict gives it, written row by row (no copy of every row held)."""
        head = self.to_dict(rows=False)
        text = json.dumps(head, ensure_ascii=False, indent=1)
        fh.write(text[:text.rindex("}")].rstrip() + ',\n "rows": [')
        for i, row in enumerate(self.rows):
            fh.write(("\n  " if i == 0 else ",\n  ")
                     + json.dumps(row.to_dict(), ensure_ascii=False))
        fh.write("\n ]\n}\n")

    def to_dict(self, rows: bool = True) -> dict[str, Any]:
        """The JSON report: rows, summary, records and positions written, columns."""
        accepted = [r for r in self.rows if r.status in ("accepted", "conflict")]
        out = {
            "batch_id": self.batch_id, "kind": self.kind, "file": self.file,
            "sheet": self.sheet, "conversions": self.conversions,
            "absent": {"count": self.absent, "records": self.absent_records,
                       "archived": self.archived},
            "header_rows": list(self.header_rows), "dry_run": self.dry_run,
            "strict": self.strict, "aborted": self.aborted,
            "summary": self.summary(),
            "records": {"inserted": self.written.inserted, "updated": self.written.updated,
                        "unchanged": self.written.unchanged},
            "locations": {"written": self.written.locations_written,
                          "unchanged": self.written.locations_unchanged,
                          "kept_reviewed": len(self.written.locations_kept)},
            "precision": dict(Counter(str(r.precision) for r in accepted)),
            "geocode_status": dict(Counter(str(r.geocode_status) for r in accepted)),
            "columns": self.columns,
        }
        if rows:
            out["rows"] = [r.to_dict() for r in self.rows]
        return out
