"""Through the API as a planner: the .xls, Windows-1258 CSV, UTF-16 text and TCVN3 .xlsx
versions of the messy establishments workbook preview exactly like the Unicode .xlsx: every
row's status and place, names back in Unicode; the report names the converted columns."""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path
from typing import Any

import xlwt
from openpyxl import Workbook

from tests.api.test_imports_api import upload
from tests.geo.intake.test_importers import (
    MESSY_HEADER_LOWER,
    MESSY_HEADER_UPPER,
    messy_rows,
    places,
)

__all__ = ["places"]
HEADER = ([h or "" for h in MESSY_HEADER_UPPER[:4]] + [str(h) for h in MESSY_HEADER_LOWER[4:9]]
          + [h or "" for h in MESSY_HEADER_UPPER[9:]])


def table(p: dict[str, Any]) -> list[list[Any]]:
    """The sheet on one header row: header, then the messy data rows."""
    return [HEADER, *messy_rows(p)]


def iconv(text: str, encoding: str) -> bytes:
    """Text in an encoding Python lacks (glibc iconv)."""
    done = subprocess.run(["iconv", "-f", "UTF-8", "-t", encoding], input=text.encode(),
                          capture_output=True, check=True)
    return done.stdout


def write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def write_xls(path: Path, rows: list[list[Any]]) -> Path:
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("DS co so")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                ws.write(r, c, value)
    book.save(str(path))
    return path


def as_csv(rows: list[list[Any]], delimiter: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


def tcvn3(value: Any) -> Any:
    """A text cell as a .VnTime workbook holds it: TCVN3 bytes read as Latin-1."""
    if not isinstance(value, str) or value.isascii():
        return value
    try:
        return iconv(value, "TCVN5712-1").decode("latin-1")
    except subprocess.CalledProcessError:  # '°' of a DMS coordinate: typed the same way
        return value


def preview(batch: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(r["status"], r["name"], r["commune_code"], r["district_code"], r["precision"])
            for r in batch["rows"]]


def test_formats_preview_like_the_unicode_workbook(client: Any, bearer: Any,
                                                   places: dict[str, Any],
                                                   tmp_path: Path) -> None:
    planner = bearer("planner")
    rows = table(places)
    base = upload(client, planner, write_xlsx(tmp_path / "co_so.xlsx", rows))
    assert base["status"] == "ready"
    expected = preview(base)
    assert sum(1 for r in expected if r[0] == "accepted") == 8
    text = as_csv(rows, ";")
    variants = {
        "co_so.xls": write_xls(tmp_path / "co_so.xls", rows),
        "co_so_1258.csv": tmp_path / "co_so_1258.csv",
        "co_so_unicode.txt": tmp_path / "co_so_unicode.txt",
        "co_so_vntime.xlsx": write_xlsx(tmp_path / "co_so_vntime.xlsx",
                                        [[tcvn3(v) for v in row] for row in rows]),
    }
    variants["co_so_1258.csv"].write_bytes(iconv(text, "CP1258"))
    variants["co_so_unicode.txt"].write_bytes(as_csv(rows, "\t").encode("utf-16"))
    for name, path in variants.items():
        batch = upload(client, planner, path)
        assert batch["status"] == "ready", (name, batch.get("message"))
        assert preview(batch) == expected, name
        if name == "co_so_vntime.xlsx":
            converted = {c["header"] for c in batch["conversions"] if c["encoding"] == "TCVN3"}
            assert {"Tên cơ sở", "Chủ cơ sở", "Ngành nghề"} <= converted, batch["conversions"]
        if name == "co_so_1258.csv":
            assert batch["conversions"][0]["encoding"] == "Windows-1258"
        if name in ("co_so.xls", "co_so_unicode.txt"):
            assert batch["conversions"] == []
