"""Import a spreadsheet of establishments, craft villages or projects: parse, geocode, upsert.

Per data row: blank rows, column-numbering rows, section headings and 'Tổng cộng'/'Cộng'
rows are *skipped*; a copy of an earlier row is a *duplicate*; a row whose required field is
blank or unreadable is *rejected*; every other row is *accepted* (with issues when something
was doubtful: an optional value not stored, an address not found, a point that contradicts
its address). Accepted rows are upserted by a record_key built from what identifies the
record (kind, name or title — plus year and beneficiary for projects — and the commune and
district as typed), so importing the same file again changes nothing; a location a person
confirmed or moved in the review workflow is kept. With ``strict`` one rejected row
aborts the import (ImportAborted) before anything is written; with ``dry_run`` everything is
written inside a savepoint that is then rolled back.
"""

from __future__ import annotations

from pathlib import Path

from pyproj import CRS
from pyproj.exceptions import CRSError

from geo.accounts.authz import Actor
from geo.core.db import Connection
from geo.core.errors import InvalidInput
from geo.core.settings import IntakeSettings
from geo.gazetteer.index import GazetteerIndex, load_index
from geo.intake.columns import (
    KINDS,
    REQUIRED,
    Columns,
    check_mapping,
    header_key,
    header_score,
    label,
    load_mapping,
    mapping_pairs,
    match_columns,
)
from geo.intake.file_limits import ADDRESS_CHARS, over_long
from geo.intake.results import ImportAborted, ImportResult, MissingColumns, Progress, RowResult
from geo.intake.row_locate import locate_row
from geo.intake.rows import (
    BLANK_ROW,
    PARSERS,
    PROGRESS_EVERY,
    SERIAL_KEYS,
    RowContext,
    add_issue,
    cell_value,
    record_key,
    row_signature,
    skip_reason,
)
from geo.intake.sheet_reader import Sheet, open_sheet
from geo.intake.store import TABLES, LocationRow, RecordRow
from geo.intake.values import (
    parse_funding,
)
from geo.records.kinds import RecordKind

# -- set-up ----------------------------------------------------------------------------------


def check_crs(crs: str) -> str:
    """The --crs value if pyproj knows it, else InvalidInput."""
    try:
        CRS.from_user_input(crs)
    except CRSError as exc:
        raise InvalidInput(f"--crs {crs}: hệ tọa độ không xác định") from exc
    return crs


def _check_columns(kind: RecordKind, sheet: Sheet, cols: Columns,
                   default_funding: str | None) -> None:
    where = sheet.where()
    found = ", ".join(f"'{h.text}'" for h in sheet.headers if h.text)
    for name in REQUIRED[kind]:
        if name == "funding_source" and default_funding:
            continue
        if name not in cols.by_field:
            hint = " hoặc dùng --funding-source" if name == "funding_source" else ""
            raise InvalidInput(f"{where}: thiếu cột bắt buộc '{label(name, kind)}' "
                               f"({name}){hint}; các cột có: {found}")
    has_lat, has_lon = "lat" in cols.by_field, "lon" in cols.by_field
    if has_lat != has_lon:
        have, missing = ("lat", "lon") if has_lat else ("lon", "lat")
        raise InvalidInput(f"{where}: có cột {cols.describe(have)} nhưng thiếu cột "
                           f"'{label(missing)}' ({missing})")
    place = ("address", "hamlet", "commune", "district", "lat", "coordinates")
    if not any(p in cols.by_field for p in place):
        raise InvalidInput(f"{where}: không có cột địa chỉ ('Địa chỉ', 'Xã/Phường/TT', "
                           f"'Huyện/TX/TP') và không có cột tọa độ ('Vĩ độ', 'Kinh độ'); "
                           f"các cột có: {found}")


def _prerequisites(conn: Connection) -> set[str]:
    """Activity type codes; InvalidInput when the gazetteer is empty."""
    with conn.cursor() as cur:
        cur.execute("SELECT EXISTS (SELECT 1 FROM admin_unit WHERE edition = 'legacy' "
                    "AND level = 'commune')")
        row = cur.fetchone()
        if not (row and row[0]):
            raise InvalidInput("chưa có danh mục đơn vị hành chính: chạy `kcmap setup` hoặc "
                               "`kcmap gazetteer load` trước")
        cur.execute("SELECT code FROM activity_type")
        return {str(code) for (code,) in cur.fetchall()}


def _record_values(kind: RecordKind, parsed: dict[str, object], location: LocationRow
                   ) -> tuple[object, ...]:
    if kind is RecordKind.ESTABLISHMENT:
        parsed = {**parsed, "address_raw": location.raw_address}
    return tuple(parsed.get(c) for c in TABLES[kind].columns)


def _differences(kind: RecordKind, a: RecordRow, b: RecordRow) -> list[str]:
    names = [c for c, x, y in zip(TABLES[kind].columns, a.values, b.values, strict=True)
             if x != y]
    if a.location.raw_address != b.location.raw_address:
        names.append("address")
    if (a.location.raw_lat, a.location.raw_lon) != (b.location.raw_lat, b.location.raw_lon):
        names.append("lat,lon")
    return names


# -- the import ------------------------------------------------------------------------------


def _process(ctx: RowContext, progress: Progress | None) -> tuple[list[RowResult],
                                                                  list[RecordRow]]:
    results: list[RowResult] = []
    records: list[RecordRow] = []
    by_key: dict[str, tuple[int, RecordRow]] = {}
    seen_rows: dict[bytes, int] = {}
    serial = {h.column for h in ctx.cols.ignored
              if header_key(h.lower or h.upper) in SERIAL_KEYS}
    pending_blank: list[RowResult] = []
    first = True
    parse = PARSERS[ctx.kind]
    name_header = ctx.cols.by_field.get("title" if ctx.kind is RecordKind.PROJECT else "name")
    label_columns = max(2, name_header.column + 1) if name_header is not None else 2
    done = 0
    for number, values in ctx.sheet.rows:
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, ctx.sheet.estimated_rows)
        skip = skip_reason(values, first, label_columns)
        if skip is not None and skip[1] == BLANK_ROW:
            pending_blank.append(RowResult(number, "skipped",
                                           [{"field": skip[0], "message": skip[1]}]))
            continue
        results.extend(pending_blank)  # blank rows count only when data follows them
        pending_blank = []
        first = False
        if skip is not None:
            results.append(RowResult(number, "skipped", [{"field": skip[0], "message": skip[1]}]))
            continue
        signature = row_signature(values, serial)
        if signature in seen_rows:
            results.append(RowResult(number, "duplicate", [{
                "field": "row", "message": f"trùng hệt dòng {seen_rows[signature]}"}]))
            continue
        seen_rows[signature] = number
        result = RowResult(number, "accepted")
        too_long = over_long({name: cell_value(values, ctx, name) for name in ctx.cols.by_field})
        if too_long:  # refused before any parsing or geocoding of the long text
            for name, message in too_long:
                add_issue(result.issues, ctx, name, message)
            result.status = "rejected"
            results.append(result)
            continue
        rejected: list[bool] = []
        parsed = parse(values, ctx, result.issues, rejected)
        location, place = locate_row(values, ctx, number, result)
        if location.raw_address is not None and len(location.raw_address) > ADDRESS_CHARS:
            add_issue(result.issues, ctx, "address", f"địa chỉ ghép lại dài "
                      f"{len(location.raw_address)} ký tự, quá giới hạn {ADDRESS_CHARS}")
            rejected.append(True)
        if rejected:
            result.status = "rejected"
            results.append(result)
            continue
        key = record_key(ctx.kind, [*parsed.identity, place])
        record = RecordRow(key, _record_values(ctx.kind, parsed.values, location), location,
                           number, place)
        result.record_key = key
        result.name = str(parsed.values.get("title" if ctx.kind is RecordKind.PROJECT
                                            else "name") or "")
        if key in by_key:
            other_row, other = by_key[key]
            diff = _differences(ctx.kind, other, record)
            main = "title" if ctx.kind is RecordKind.PROJECT else "name"
            if not diff:
                result.status = "duplicate"
                result.issues.append({"field": "row",
                                      "message": f"cùng bản ghi với dòng {other_row}"})
            else:
                result.status = "rejected"
                add_issue(result.issues, ctx, main,
                       f"cùng bản ghi với dòng {other_row} (cùng {label(main, ctx.kind)} và "
                       f"địa bàn) nhưng khác {', '.join(label(d, ctx.kind) for d in diff)}: "
                       "gộp hoặc đặt tên khác cho các dòng")
            results.append(result)
            continue
        by_key[key] = (number, record)
        records.append(record)
        results.append(result)
    if progress is not None:
        progress(done, done)
    return results, records


def _columns_report(sheet: Sheet, cols: Columns) -> list[dict[str, str | None]]:
    fields = {h.column: name for name, h in cols.by_field.items()}
    ignored = {h.column for h in cols.ignored}
    repeated = {h.column: name for h, name in cols.repeated}
    out: list[dict[str, str | None]] = []
    for h in sheet.headers:
        if not h.text:
            continue
        name = fields.get(h.column)
        note = None
        if name is None:
            note = "bỏ qua" if h.column in ignored else \
                f"cột '{repeated[h.column]}' thứ hai, không dùng" if h.column in repeated \
                else "tiêu đề lạ, không dùng"
        out.append({"column": h.letter, "header": h.text, "field": name, "note": note})
    return out


def read_file(conn: Connection, kind_name: RecordKind | str, path: str | Path, *,
              sheet: str | None = None, mapping: str | Path | dict[str, str] | None = None,
              crs: str = "EPSG:5898", strict: bool = False,
              default_funding: str | None = None, progress: Progress | None = None,
              index: GazetteerIndex | None = None, limits: IntakeSettings | None = None,
              file_name: str | None = None) -> tuple[ImportResult, list[RecordRow]]:
    """Read, parse and geocode one sheet: the row-by-row result and the records to write.

    A file over `limits` (rows, cell length, size, time; default from the environment), or
    corrupt, or carrying XML declarations, raises InvalidInput; with `strict` one rejected
    row raises ImportAborted. Nothing is written."""
    if kind_name not in KINDS and kind_name not in tuple(RecordKind):
        raise InvalidInput(f"không có loại dữ liệu nhập '{kind_name}' ({', '.join(KINDS)})")
    kind = RecordKind.parse(kind_name)
    check_crs(crs)
    if default_funding is not None:
        default_funding = parse_funding(default_funding) if default_funding else None
    if isinstance(mapping, dict):
        table: dict[str, str] | None = check_mapping(mapping, kind)
    else:
        table = load_mapping(mapping, kind) if mapping else None
    opened = open_sheet(path, sheet, header_score(kind, table), limits)
    if file_name:
        opened.file = file_name
    cols = match_columns(kind, opened.headers, table)
    try:
        _check_columns(kind, opened, cols, default_funding)
    except InvalidInput as exc:  # the page offers to map the columns it found
        raise MissingColumns(str(exc), _columns_report(opened, cols),
                             list(opened.sheet_names)) from exc
    codes = _prerequisites(conn)
    ctx = RowContext(kind, opened, cols, index or load_index(conn), crs, codes, default_funding)
    result = ImportResult(kind.plural, opened.file, opened.name, opened.header_rows,
                          _columns_report(opened, cols), strict=strict)
    result.conversions = list(opened.conversions)
    result.sheets = list(opened.sheet_names)
    result.rows, records = _process(ctx, progress)
    summary = result.summary()
    if strict and summary["rejected"]:
        result.aborted = True
        first = next(r for r in result.rows if r.status == "rejected")
        issue = first.issues[0] if first.issues else {"field": "row", "message": "bị loại"}
        raise ImportAborted(
            f"{opened.where()}: {summary['rejected']} dòng bị loại và có --strict: "
            f"không nhập gì (đầu tiên: dòng {first.row}, "
            f"{issue.get('column') or issue['field']}: {issue['message']})",
            result)
    return result, records


def import_file(conn: Connection, kind_name: RecordKind | str, path: str | Path, *,
                sheet: str | None = None,
                mapping: str | Path | None = None, crs: str = "EPSG:5898",
                strict: bool = False, dry_run: bool = False,
                default_funding: str | None = None, progress: Progress | None = None,
                index: GazetteerIndex | None = None,
                limits: IntakeSettings | None = None,
                actor: Actor | None = None, archive_absent: bool = False) -> ImportResult:
    """Import one sheet of a kind ('establishments' or RecordKind.ESTABLISHMENT…) into the
    open transaction of `conn` (never commits), as one batch committed at once: people's
    edits stand, conflicts keep the person's value (and are listed). With `dry_run` the
    batch is planned and written inside a savepoint that is then rolled back. With
    `archive_absent` the records of an earlier import of this file that it no longer carries
    are archived (audited, undone with the batch); otherwise they are only listed."""
    from geo.intake.batch_flow import commit_batch, preview_batch
    from geo.intake.batches import SYSTEM_ACTOR, create_batch

    result, records = read_file(conn, kind_name, path, sheet=sheet, mapping=mapping, crs=crs,
                                strict=strict, default_funding=default_funding,
                                progress=progress, index=index, limits=limits)
    result.dry_run = dry_run
    who = actor or SYSTEM_ACTOR
    with conn.cursor() as cur:
        cur.execute("SAVEPOINT kcmap_import")
    try:
        batch = create_batch(conn, who, RecordKind.parse(kind_name), result.file, result.sheet)
        result.batch_id = batch
        preview_batch(conn, who, batch, result, records)
        done = commit_batch(conn, who, batch, keep_undecided=True, result=result,
                            records=records, archive_absent=archive_absent)
        result.archived = int(done["written"]["archived"])
    except BaseException:
        with conn.cursor() as cur:
            cur.execute("ROLLBACK TO SAVEPOINT kcmap_import")
        raise
    with conn.cursor() as cur:
        cur.execute("ROLLBACK TO SAVEPOINT kcmap_import" if dry_run
                    else "RELEASE SAVEPOINT kcmap_import")
    return result


def import_needs_file(conn: Connection, path: str | Path, *, sheet: str | None = None,
                      mapping: str | Path | None = None, strict: bool = False,
                      dry_run: bool = False, progress: Progress | None = None,
                      limits: IntakeSettings | None = None, actor: Actor | None = None
                      ) -> ImportResult:
    """Import one sheet of needs (the districts' registration spreadsheets) into the open
    transaction of `conn` as one batch committed at once (geo.intake.need_batch): people's
    edits stand. `strict`: one rejected row aborts before anything is written; `dry_run`:
    everything runs inside a savepoint that is rolled back."""
    from geo.intake.batches import NEEDS, SYSTEM_ACTOR, batch_row, create_batch
    from geo.intake.need_batch import commit_needs, preview_needs
    from geo.intake.need_read import read_needs

    who = actor or SYSTEM_ACTOR
    table = None
    if mapping is not None:
        table = {header: field for header, field, _ in mapping_pairs(mapping)}
    result, needs = read_needs(conn, who, path, sheet=sheet, mapping=table, progress=progress,
                               limits=limits)
    result.strict, result.dry_run = strict, dry_run
    rejected = [r for r in result.rows if r.status == "rejected"]
    if strict and rejected:
        result.aborted = True
        first = rejected[0].issues[0]["message"] if rejected[0].issues else ""
        raise ImportAborted(f"{len(rejected)} dòng bị loại và có --strict: không nhập gì "
                            f"(đầu tiên: {first})", result)
    with conn.cursor() as cur:
        cur.execute("SAVEPOINT kcmap_import")
    try:
        batch = create_batch(conn, who, NEEDS, result.file, result.sheet)
        result.batch_id = batch
        preview_needs(conn, who, batch, result, needs)
        written = commit_needs(conn, who, batch_row(conn, batch, lock=True),
                               keep_undecided=True)["written"]
    except BaseException:
        with conn.cursor() as cur:
            cur.execute("ROLLBACK TO SAVEPOINT kcmap_import")
        raise
    with conn.cursor() as cur:
        cur.execute("ROLLBACK TO SAVEPOINT kcmap_import" if dry_run
                    else "RELEASE SAVEPOINT kcmap_import")
    result.written.inserted = written["inserted"]
    result.written.updated = written["updated"]
    result.written.unchanged = written["unchanged"]
    return result
