"""`kcmap geocode …`: geocode a CSV or one address."""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TextIO

import typer

from api.cli.common import in_transaction
from geo.core.errors import KcmapError

if TYPE_CHECKING:
    from geo.geocoding.geocoder import GeocodeResult

OUTPUT_COLUMNS = ("commune_code", "district_code", "commune_code_2025", "precision", "score",
                  "status", "lon", "lat", "candidates", "method", "issues")


def _fail(message: str) -> NoReturn:
    typer.echo(f"kcmap: {message}", err=True)
    raise typer.Exit(code=1)


def _flat(result: GeocodeResult) -> dict[str, str]:
    """A GeocodeResult as CSV cells (candidates as 'code:name|code:name')."""
    return {
        "commune_code": result.commune_code or "",
        "district_code": result.district_code or "",
        "commune_code_2025": result.commune_code_2025 or "",
        "precision": result.precision,
        "score": f"{result.score:.3f}",
        "status": result.status,
        "lon": "" if result.lon is None else f"{result.lon:.7f}",
        "lat": "" if result.lat is None else f"{result.lat:.7f}",
        "candidates": "|".join(f"{c['code']}:{c['name']}" for c in result.candidates),
        "method": result.method,
        "issues": "; ".join(result.issues),
    }


def _reader(handle: TextIO) -> csv.DictReader[str]:
    sample = handle.read(8192)
    handle.seek(0)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return csv.DictReader(handle, dialect=dialect)


def _out_names(header: list[str]) -> dict[str, str]:
    """Appended column names; one already in the input gets a 'geo_' prefix."""
    return {c: (f"geo_{c}" if c in header else c) for c in OUTPUT_COLUMNS}


def _rows(reader: csv.DictReader[str]) -> Iterator[dict[str, str]]:
    for row in reader:
        yield {k: (v if v is not None else "") for k, v in row.items() if k is not None}


def _geocode_csv(path: Path, column: str, lat_column: str | None, lon_column: str | None,
                 crs: str, output: Path) -> Counter[str]:
    from geo.gazetteer.index import load_index
    from geo.geocoding.point_match import locate

    if not path.is_file():
        _fail(f"không tìm thấy tệp: {path}")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = _reader(handle)
        header = list(reader.fieldnames or [])
        for wanted, option in ((column, "--column"), (lat_column, "--lat-column"),
                               (lon_column, "--lon-column")):
            if wanted is not None and wanted not in header:
                _fail(f"không có cột {wanted!r} ({option}) trong {path} "
                      f"(các cột: {', '.join(header) or 'không có'})")
        index = in_transaction(load_index)
        names = _out_names(header)
        counts: Counter[str] = Counter()
        with output.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=[*header, *names.values()])
            writer.writeheader()
            for row in _rows(reader):
                result = locate(index, row.get(column, ""),
                                row.get(lat_column, "") if lat_column else None,
                                row.get(lon_column, "") if lon_column else None,
                                vn2000_crs=crs)
                counts[f"{result.status}/{result.precision}"] += 1
                cells = _flat(result)
                writer.writerow({**row, **{names[k]: v for k, v in cells.items()}})
    return counts


def geocode(
    input_csv: Annotated[Path | None, typer.Argument(
        metavar="IN.csv",
        help="Tệp CSV cần định vị (UTF-8; phân cách bằng dấu phẩy, chấm phẩy hoặc tab)")] = None,
    column: Annotated[str, typer.Option(help="Cột chứa địa chỉ")] = "address",
    lat_column: Annotated[str | None, typer.Option(help="Cột chứa vĩ độ")] = None,
    lon_column: Annotated[str | None, typer.Option(help="Cột chứa kinh độ")] = None,
    crs: Annotated[str, typer.Option(
        help="Hệ VN-2000 của tọa độ ghi bằng mét (EPSG:5898, 3405, 3406, 9210 …)")
    ] = "EPSG:5898",
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="Tệp CSV kết quả (mặc định: IN.geocoded.csv)")] = None,
    text: Annotated[str | None, typer.Option(
        "--text", help="Định vị một địa chỉ và in kết quả dạng JSON")] = None,
    lat: Annotated[str | None, typer.Option(help="Vĩ độ đi cùng --text")] = None,
    lon: Annotated[str | None, typer.Option(help="Kinh độ đi cùng --text")] = None,
) -> None:
    """Định vị địa chỉ: một tệp CSV (thêm cột commune_code … candidates) hoặc một --text."""
    from geo.geocoding.coords import check_crs

    try:
        check_crs(crs)
        if text is not None or (input_csv is None and (lat or lon)):
            _print_one(text or "", lat, lon, crs)
            return
        if input_csv is None:
            _fail("hãy cho một tệp CSV hoặc --text \"địa chỉ\"")
        if (lat_column is None) != (lon_column is None):
            _fail("--lat-column và --lon-column phải đi cùng nhau")
        target = output or input_csv.with_name(input_csv.stem + ".geocoded.csv")
        counts = _geocode_csv(input_csv, column, lat_column, lon_column, crs, target)
    except KcmapError as exc:
        _fail(str(exc))
    except (OSError, csv.Error, UnicodeDecodeError) as exc:
        _fail(f"không đọc hoặc ghi được tệp: {exc}")
    total = sum(counts.values())
    summary = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
    typer.echo(f"đã định vị {total} dòng -> {target} ({summary})", err=True)


def _print_one(text: str, lat: str | None, lon: str | None, crs: str) -> None:
    from geo.gazetteer.index import load_index
    from geo.geocoding.point_match import locate

    index = in_transaction(load_index)
    result = locate(index, text, lat, lon, vn2000_crs=crs)
    sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
