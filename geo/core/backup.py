"""Backups: pg_dump custom-format archives of the kcmap database, restored with pg_restore.

The schema version travels inside the archive: the dump holds kcmap's own
`schema_migration` table, and `archive_versions` reads it back from the archive with
`pg_restore --data-only --table=schema_migration` (no sidecar file to lose). A restore
refuses an archive whose schema is newer than this code's migrations, and a target
database that already holds tables unless forced (then its public schema is emptied first).
The pg_dump/pg_restore used are those of the server's major version when installed
(/usr/lib/postgresql/N/bin), else the ones on PATH.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import psycopg2

from geo.core.errors import InvalidInput, KcmapError
from geo.core.migrate import available


class BackupError(KcmapError):
    """pg_dump or pg_restore failed, or the archive cannot be used."""


@dataclass(frozen=True)
class Archive:
    """What a backup holds: its file, size and the migrations applied when it was made."""

    path: Path
    size: int
    versions: tuple[int, ...]

    @property
    def schema_version(self) -> int:
        """The newest migration applied in the dumped database (0: none)."""
        return max(self.versions, default=0)


def server_major(dsn: str) -> int:
    """The major version of the PostgreSQL server at dsn (e.g. 15)."""
    conn = psycopg2.connect(dsn, connect_timeout=5)
    try:
        return int(conn.server_version) // 10000
    finally:
        conn.close()


def tool(name: str, major: int) -> str:
    """The pg_dump/pg_restore binary matching the server's major version."""
    exact = Path(f"/usr/lib/postgresql/{major}/bin/{name}")
    if exact.is_file():
        return str(exact)
    newest = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                    key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                    else 0)
    if newest and int(newest[-1].parent.parent.name) >= major:
        return str(newest[-1])
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"Không tìm thấy {name} (cài gói postgresql-client-{major})")
    return found


def _run(args: list[str], what: str) -> str:
    res = subprocess.run(args, capture_output=True, text=True, check=False)
    if res.returncode != 0:
        lines = [ln for ln in res.stderr.strip().splitlines() if ln.strip()]
        detail = "; ".join(lines[-3:]) if lines else f"mã thoát {res.returncode}"
        raise BackupError(f"{what} thất bại: {detail}")
    return res.stdout


def backup(dsn: str, out: Path) -> Archive:
    """Dump the database at dsn into out (custom format); written to a temporary name first."""
    out = out.resolve()
    if out.is_dir():
        raise InvalidInput(f"{out} là một thư mục; hãy cho tên tệp sao lưu, ví dụ kcmap.dump")
    tmp = out.with_name(out.name + ".partial")
    try:
        _run([tool("pg_dump", server_major(dsn)), "--format=custom", "--no-owner",
              f"--file={tmp}", f"--dbname={dsn}"], "Sao lưu (pg_dump)")
        archive = read_archive(tmp)
        if not archive.versions:
            raise BackupError("Cơ sở dữ liệu chưa có lược đồ kcmap (chưa chạy `kcmap db migrate`)")
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return Archive(out, out.stat().st_size, archive.versions)


def read_archive(path: Path) -> Archive:
    """The migrations recorded in an archive's schema_migration table."""
    if not path.is_file():
        raise InvalidInput(f"{path}: không tìm thấy tệp sao lưu")
    major = max((int(p.parent.parent.name) for p in
                 Path("/usr/lib/postgresql").glob("*/bin/pg_restore")
                 if p.parent.parent.name.isdigit()), default=0)
    text = _run([tool("pg_restore", major), "--data-only", "--table=schema_migration",
                 "--file=-", str(path)], f"Đọc tệp sao lưu {path.name} (pg_restore)")
    versions: list[int] = []
    in_copy = False
    for line in text.splitlines():
        if line.startswith("COPY ") and "schema_migration" in line:
            in_copy = True
        elif in_copy and line == "\\.":
            in_copy = False
        elif in_copy and re.match(r"^\d+\t", line):
            versions.append(int(line.split("\t", 1)[0]))
    return Archive(path, path.stat().st_size, tuple(sorted(versions)))


def user_tables(dsn: str) -> int:
    """How many tables, views and sequences the target's public schema holds (PostGIS's
    own spatial_ref_sys not counted)."""
    conn = psycopg2.connect(dsn, connect_timeout=5)
    try:
        with conn.cursor() as cur:
            cur.execute("""SELECT count(*) FROM pg_class c
                           JOIN pg_namespace n ON n.oid = c.relnamespace
                           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
                             AND c.relname <> 'spatial_ref_sys'""")
            row = cur.fetchone()
            return int(row[0]) if row else 0
    finally:
        conn.close()


def _empty_public(dsn: str) -> None:
    conn = psycopg2.connect(dsn, connect_timeout=5)
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("DROP SCHEMA public CASCADE")
            cur.execute("CREATE SCHEMA public")
    finally:
        conn.close()


def restore(dsn: str, path: Path, force: bool = False) -> Archive:
    """Restore an archive into the database at dsn (empty, or emptied first when forced)."""
    archive = read_archive(path.resolve())
    newest_known = max((v for v, _, _ in available()), default=0)
    if not archive.versions:
        raise BackupError(f"{path.name} không phải bản sao lưu kcmap (không có schema_migration)")
    if archive.schema_version > newest_known:
        raise BackupError(
            f"Bản sao lưu có lược đồ phiên bản {archive.schema_version}, mới hơn phiên bản "
            f"{newest_known} của mã kcmap này; hãy cập nhật kcmap trước rồi khôi phục")
    existing = user_tables(dsn)
    if existing and not force:
        raise BackupError(
            f"Cơ sở dữ liệu đích không trống ({existing} bảng); khôi phục chỉ vào cơ sở dữ liệu "
            "trống, hoặc thêm --force để XÓA toàn bộ dữ liệu hiện có rồi khôi phục")
    if existing:
        _empty_public(dsn)
    _run([tool("pg_restore", server_major(dsn)), "--clean", "--if-exists", "--no-owner",
          "--exit-on-error", "--single-transaction", f"--dbname={dsn}", str(archive.path)],
         "Khôi phục (pg_restore)")
    return archive
