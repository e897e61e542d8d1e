"""Excel 97-2003 (.xls) and OpenDocument (.ods) sheets, read with python-calamine (the Rust
reader): the same Sheet as the .xlsx and .csv readers give, TCVN3/VNI columns converted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from geo.core.errors import InvalidInput, KcmapError
from geo.core.settings import IntakeSettings
from geo.intake.file_limits import (
    Budget,
    check_row_count,
    check_text_file,
    check_workbook,
    guard_rows,
)
from geo.intake.legacy_fonts import converting
from geo.intake.sheet_reader import HEADER_SCAN_ROWS, Score, Sheet, header_and_rows


def _cell(value: Any) -> object:
    """Calamine values as openpyxl gives them: whole numbers as int, empty as None."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if value == "":
        return None
    if isinstance(value, dt.time | dt.timedelta):
        return str(value)
    return value


def open_calamine(path: Path, sheet: str | None, score: Score, limits: IntakeSettings
                  ) -> Sheet:
    """Open a .xls or .ods, find the header and stream the rows below it."""
    if path.suffix.lower() == ".ods":
        check_workbook(path, limits)  # a zip: size, ratio, declarations
    else:
        check_text_file(path, limits)  # size
    budget = Budget(path.name, limits)
    try:
        book = CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
        if not names:
            raise InvalidInput(f"{path.name}: tệp không có trang tính nào")
        name = names[0] if sheet is None else sheet
        if name not in names:
            raise InvalidInput(f"{path.name}: không có trang tính '{sheet}' "
                               f"(các trang: {', '.join(names)})")
        data = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except KcmapError:
        raise
    except Exception as exc:  # calamine raises its own classes for corrupt files
        raise InvalidInput(f"{path.name}: không đọc được tệp bảng tính (tệp hỏng hoặc không "
                           f"đúng định dạng {path.suffix.lower()})") from exc
    check_row_count(path.name, name, len(data), limits, HEADER_SCAN_ROWS + 1)
    conversions: list[dict[str, str]] = []
    source = converting(([_cell(v) for v in row] for row in data), conversions)
    first, last, headers, rows = header_and_rows(path.name, name, source, score, limits)
    opened = Sheet(path.name, name, headers, (first + 1, last + 1),
                   guard_rows(path.name, rows, limits, budget), max(0, len(data) - last - 1),
                   names)
    opened.conversions = conversions
    return opened
