"""`kcmap import establishments|villages|projects|needs PATH`: spreadsheet importers."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from api.cli import vi_typer
from api.cli.common import die as _fail
from api.cli.progress_lines import ProgressLines, heartbeat
from api.database import database_from_env
from geo.core.errors import KcmapError
from geo.core.vocab import FundingSource
from geo.intake.results import ImportAborted, ImportResult, Progress

app = vi_typer.Typer(help="Nhập bảng tính (.xlsx, .xls, .ods, .csv) cơ sở, làng nghề, đề án, "
                       "nhu cầu hỗ trợ",
                  no_args_is_help=True)

SHOWN_ISSUES = 20

PathArg = Annotated[Path, typer.Argument(help="Tệp bảng tính như đơn vị gửi đến")]
SheetOpt = Annotated[str | None, typer.Option(help="Tên trang tính (mặc định: trang đầu tiên)")]
MappingOpt = Annotated[Path | None, typer.Option(
    help="Ánh xạ thêm tiêu đề → trường: .json {\"tiêu đề\": \"trường\"} hoặc .csv 'tiêu đề,trường' "
         "(trường 'ignore' bỏ qua một cột)")]
DryRunOpt = Annotated[bool, typer.Option("--dry-run",
                                          help="Chạy thử toàn bộ rồi hoàn lại, không lưu gì")]
StrictOpt = Annotated[bool, typer.Option("--strict",
                                         help="Một dòng bị từ chối là hủy cả lần nhập")]
ReportOpt = Annotated[Path | None, typer.Option(help="Ghi báo cáo JSON từng dòng vào tệp này")]
CrsOpt = Annotated[str, typer.Option(help="Hệ VN-2000 của tọa độ mét ghi trong cột vĩ độ/kinh độ")]
ArchiveOpt = Annotated[bool, typer.Option(
    "--archive-absent", help="Lưu trữ (không xóa) các bản ghi của lần nhập trước từ tệp này mà "
                             "tệp không còn; hoàn tác bằng `kcmap import undo`")]
KIND_WORDS = {"establishments": "Cơ sở CNNT", "villages": "Làng nghề",
              "projects": "Đề án khuyến công", "needs": "Nhu cầu hỗ trợ"}
STATUS_WORDS = {"accepted": "nhận", "rejected": "từ chối", "duplicate": "trùng",
                "skipped": "bỏ qua", "conflict": "xung đột"}
PRECISION_WORDS = {"exact": "chính xác", "commune": "cấp xã", "district": "cấp huyện",
                   "province": "cấp tỉnh", "none": "không có vị trí"}
ISSUE_FIELDS = {"row": "Dòng", "address": "Địa chỉ", "lat,lon": "Tọa độ",
                "coordinates": "Tọa độ", "location": "Vị trí"}


@contextmanager
def _progress(label: str) -> Iterator[Progress | None]:
    """A rich progress bar on stderr when it is a terminal; otherwise plain lines, at least
    one every LINE_SECONDS until the import ends (api.cli.progress_lines)."""
    if not sys.stderr.isatty():
        with heartbeat(ProgressLines(label, lambda line: typer.echo(line, err=True))) as lines:
            yield lines
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress("[progress.description]{task.description}", BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=Console(stderr=True),
                  transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=max(total, done) if total else None)

        yield update


def _write_report(path: Path | None, result: ImportResult) -> None:
    if path is None:
        return
    try:
        with path.open("w", encoding="utf-8") as fh:
            result.write_json(fh)
    except OSError as exc:
        _fail(f"không ghi được báo cáo {path}: {exc}")


def _echo_result(result: ImportResult) -> None:
    s = result.summary()
    w = result.written
    first, last = result.header_rows
    header = f"dòng {first}" if first == last else f"dòng {first}–{last}"
    typer.echo(f"{KIND_WORDS.get(result.kind, result.kind)} từ {result.file}, trang "
               f"'{result.sheet}' (tiêu đề {header}): "
               f"{s['accepted']} nhận, {s['rejected']} từ chối, {s['duplicate']} trùng, "
               f"{s['skipped']} bỏ qua")
    if result.aborted:
        return
    needs = result.kind == "needs"
    typer.echo(f"{'nhu cầu' if needs else 'bản ghi'}: {w.inserted} mới, {w.updated} cập nhật, "
               f"{w.unchanged} không đổi"
               + ("" if needs else f"; vị trí đã ghi: {w.locations_written}"))
    if result.batch_id is not None and not result.dry_run:
        typer.echo(f"lượt nhập {result.batch_id} (hoàn tác: kcmap import undo {result.batch_id})")
    kept = [r for r in result.rows if r.conflicts]
    if kept:
        typer.echo(f"{len(kept)} dòng có giá trị mới trong tệp khác với chỉnh sửa của người dùng: "
                   "giữ chỉnh sửa (dòng " + ", ".join(str(r.row) for r in kept[:20])
                   + ")")
    if result.archived:
        typer.echo(f"{result.archived} bản ghi của lần nhập trước từ tệp này không còn trong "
                   "tệp: đã lưu trữ (không xóa; hoàn tác được cùng lượt nhập)")
    elif result.absent:
        typer.echo(f"{result.absent} bản ghi của lần nhập trước từ tệp này không còn trong tệp "
                   "(không bị xóa; --archive-absent để lưu trữ)")
    precision = {} if needs else result.precision()
    if precision:
        typer.echo("vị trí: " + ", ".join(f"{PRECISION_WORDS.get(k, k)} {v}"
                                          for k, v in sorted(precision.items())))
    unknown = [c["header"] for c in result.columns
               if c["field"] is None and (c["note"] or "").startswith("tiêu đề lạ")]
    if unknown:
        typer.echo("cột không dùng: " + ", ".join(f"'{h}'" for h in unknown))


def _echo_issues(result: ImportResult) -> None:
    shown = 0
    for row in result.rows:
        if row.status != "rejected" and not (row.status == "accepted" and row.issues):
            continue
        if shown == SHOWN_ISSUES:
            typer.echo("… xem thêm trong --report", err=True)
            return
        text = "; ".join(f"{i.get('column') or ISSUE_FIELDS.get(i['field'], i['field'])}: "
                         f"{i['message']}" for i in row.issues)
        typer.echo(f"dòng {row.row} {STATUS_WORDS.get(row.status, row.status)}: {text}",
                   err=True)
        shown += 1


def _run(kind: str, path: Path, sheet: str | None, mapping: Path | None, dry_run: bool,
         strict: bool, report: Path | None, crs: str, funding: str | None = None,
         archive_absent: bool = False) -> None:
    from geo.core.migrate import migrate
    from geo.intake.importer import import_file, import_needs_file

    if report is not None and not report.parent.is_dir():
        _fail(f"--report {report}: thư mục {report.parent} không tồn tại")
    try:
        database = database_from_env()
        with _progress(f"{kind} {path.name}") as progress, database.transaction() as conn:
            migrate(conn)
            if kind == "needs":
                result = import_needs_file(conn, path, sheet=sheet, mapping=mapping,
                                           strict=strict, dry_run=dry_run, progress=progress)
            else:
                result = import_file(conn, kind, path, sheet=sheet, mapping=mapping, crs=crs,
                                     strict=strict, dry_run=dry_run, default_funding=funding,
                                     progress=progress, archive_absent=archive_absent)
    except ImportAborted as exc:
        _write_report(report, exc.result)
        _echo_result(exc.result)
        _echo_issues(exc.result)
        _fail(exc)
    except KcmapError as exc:
        _fail(exc)
    _write_report(report, result)
    _echo_result(result)
    _echo_issues(result)
    if dry_run:
        typer.echo("chạy thử: không lưu gì")


@app.command("undo")
def undo(batch_id: Annotated[int, typer.Argument(help="Số lượt nhập (in ra khi nhập)")]
         ) -> None:
    """Hoàn tác một lượt nhập: xóa bản ghi mới, khôi phục bản ghi đã bị thay đổi."""
    from geo.core.migrate import migrate
    from geo.intake.batch_flow import undo_batch
    from geo.intake.batches import SYSTEM_ACTOR

    try:
        with database_from_env().transaction() as conn:
            migrate(conn)
            counts = undo_batch(conn, SYSTEM_ACTOR, batch_id)
    except KcmapError as exc:
        _fail(exc)
    unarchived = counts.get("archive_undone", 0)
    typer.echo(f"đã hoàn tác lượt nhập {batch_id}: xóa {counts['removed']} bản ghi, "
               f"khôi phục {counts['restored']}, bỏ lưu trữ {unarchived}, giữ nguyên "
               f"{counts['kept_fields']} trường đã được người dùng sửa sau đó")


@app.command("establishments")
def establishments(path: PathArg, sheet: SheetOpt = None, mapping: MappingOpt = None,
                   dry_run: DryRunOpt = False, strict: StrictOpt = False,
                   report: ReportOpt = None, crs: CrsOpt = "EPSG:5898",
                   archive_absent: ArchiveOpt = False) -> None:
    """Nhập cơ sở công nghiệp nông thôn (cơ sở CNNT)."""
    _run("establishments", path, sheet, mapping, dry_run, strict, report, crs,
         archive_absent=archive_absent)


@app.command("villages")
def villages(path: PathArg, sheet: SheetOpt = None, mapping: MappingOpt = None,
             dry_run: DryRunOpt = False, strict: StrictOpt = False,
             report: ReportOpt = None, crs: CrsOpt = "EPSG:5898",
             archive_absent: ArchiveOpt = False) -> None:
    """Nhập làng nghề."""
    _run("villages", path, sheet, mapping, dry_run, strict, report, crs,
         archive_absent=archive_absent)


@app.command("projects")
def projects(path: PathArg, sheet: SheetOpt = None, mapping: MappingOpt = None,
             dry_run: DryRunOpt = False, strict: StrictOpt = False,
             report: ReportOpt = None, crs: CrsOpt = "EPSG:5898",
             funding_source: Annotated[FundingSource | None, typer.Option(
                 help="Nguồn vốn cho các dòng không ghi 'Nguồn vốn'")] = None,
             archive_absent: ArchiveOpt = False) -> None:
    """Nhập đề án khuyến công."""
    _run("projects", path, sheet, mapping, dry_run, strict, report, crs,
         funding_source.value if funding_source else None, archive_absent)


@app.command("needs")
def needs(path: PathArg, sheet: SheetOpt = None, mapping: MappingOpt = None,
          dry_run: DryRunOpt = False, strict: StrictOpt = False,
          report: ReportOpt = None) -> None:
    """Nhập nhu cầu hỗ trợ từ bảng đăng ký của huyện."""
    _run("needs", path, sheet, mapping, dry_run, strict, report, "EPSG:5898")
