"""Anticipated OS, file and database problems end `kcmap` with one Vietnamese paragraph and a
non-zero exit status, never a traceback (run as the real command, in a subprocess)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, free_port


def _kcmap(args: list[str], **env: str | None) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k not in env}
    full.update({k: v for k, v in env.items() if v is not None})
    return subprocess.run([sys.executable, "-m", "api.cli.main", *args], cwd=ROOT, env=full,
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def _one_paragraph_error(res: subprocess.CompletedProcess[str]) -> str:
    out = res.stdout + res.stderr
    assert res.returncode != 0, out
    assert "Traceback" not in out and 'File "' not in out, out
    message = res.stderr.strip()
    assert message.startswith("kcmap: "), out
    assert "\n\n" not in message and len(message.splitlines()) <= 3, out
    return message


@pytest.mark.parametrize("args", [["db", "start"], ["db", "stop"], ["db", "status"],
                                  ["db", "migrate"], ["serve"], ["setup"],
                                  ["backup", "-o", "/tmp/kcmap-never.dump"],
                                  ["import", "establishments", "x.xlsx"]])
def test_kcmap_home_in_proc(args: list[str]) -> None:
    res = _kcmap(args, KCMAP_HOME="/proc/x", KCMAP_PG_PORT=str(free_port()), DATABASE_URL=None)
    message = _one_paragraph_error(res)
    assert "KCMAP_HOME" in message and "/proc/x" in message


@pytest.mark.parametrize("below", ["", "sub"])
def test_kcmap_home_is_a_file(tmp_path: Path, below: str) -> None:
    afile = tmp_path / "tep-thuong"
    afile.write_text("x")
    home = str(afile / below) if below else str(afile)
    res = _kcmap(["db", "start"], KCMAP_HOME=home, KCMAP_PG_PORT=str(free_port()),
                 DATABASE_URL=None)
    assert "KCMAP_HOME" in _one_paragraph_error(res)


def test_missing_and_unwritable_files(test_dsn: str, tmp_path: Path) -> None:
    missing = _one_paragraph_error(
        _kcmap(["import", "establishments", str(tmp_path / "khong-co.xlsx")],
               DATABASE_URL=test_dsn))
    assert "khong-co.xlsx" in missing and "không tìm thấy" in missing
    no_dump = _one_paragraph_error(_kcmap(["restore", str(tmp_path / "khong-co.dump")],
                                          DATABASE_URL=test_dsn))
    assert "khong-co.dump" in no_dump
    unwritable = _one_paragraph_error(_kcmap(["backup", "-o", "/proc/x/kcmap.dump"],
                                             DATABASE_URL=test_dsn))
    assert "Sao lưu" in unwritable or "/proc/x" in unwritable
    directory = _one_paragraph_error(_kcmap(["backup", "-o", str(tmp_path)],
                                            DATABASE_URL=test_dsn))
    assert "thư mục" in directory
    not_a_dump = tmp_path / "note.dump"
    not_a_dump.write_text("không phải bản sao lưu")
    _one_paragraph_error(_kcmap(["restore", str(not_a_dump)], DATABASE_URL=test_dsn))


def test_unreachable_database() -> None:
    res = _kcmap(["db", "status"],
                 DATABASE_URL=f"postgresql://kcmap@127.0.0.1:{free_port()}/kcmap")
    assert "PostGIS" in _one_paragraph_error(res)
