"""Anticipated OS, file and database problems end `kcmap` with one Vietnamese paragraph and a
non-zero exit status, never a traceback (run as the real command, in a subprocess)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, free_port


def _kcmap(args: list[str], stdin: str | None = None,
           **env: str | None) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k not in env}
    full.update({k: v for k, v in env.items() if v is not None})
    return subprocess.run([sys.executable, "-m", "api.cli.main", *args], cwd=ROOT, env=full,
                          capture_output=True, text=True, timeout=120, input=stdin or "")


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


VIETNAMESE = set("ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")


def _vietnamese_error(res: subprocess.CompletedProcess[str], *phrases: str) -> str:
    """The one-paragraph error, checked to be Vietnamese and to hold each phrase."""
    message = _one_paragraph_error(res)
    assert VIETNAMESE & set(message.lower()), message
    for phrase in phrases:
        assert phrase in message, (phrase, message)
    return message


@pytest.mark.parametrize(("args", "phrases"), [
    (["boundaries", "import", "{tmp}/khong-co.geojson", "--level", "district"],
     ["khong-co.geojson", "không tìm thấy tệp"]),
    (["geocode", "{tmp}/khong-co.csv"], ["khong-co.csv", "không tìm thấy tệp"]),
    (["priority", "import", "{tmp}/khong-co.csv"], ["khong-co.csv", "không tìm thấy tệp"]),
    (["targets", "import", "{tmp}/khong-co.csv"], ["khong-co.csv", "không tồn tại"]),
    (["demo", "load", "--scale", "0"], ["--scale phải từ 1 đến", "không phải 0"]),
    (["demo", "load", "--scale", "701"], ["--scale phải từ 1 đến 700"]),
    (["users", "add", "ai-do", "--role", "boss"], ["Vai trò phải là một trong", "viewer"]),
    (["users", "add", "ai-do", "--role", "viewer", "--district", "524"],
     ["district_officer"]),
    (["users", "add", "ai-do", "--role", "district_officer", "--district", "99999"],
     ["Huyện phải là mã đơn vị cấp huyện", "'99999'"]),
    (["users", "passwd", "khong-ai"], ["mật khẩu", "stdin"]),
    (["users", "disable", "khong-ai"], ["Không có người dùng", "khong-ai"]),
    (["geocode"], ["tệp CSV", "--text"]),
    (["geocode", "{tmp}/a.csv", "--lat-column", "vd"], ["--lat-column và --lon-column"]),
    (["geocode", "--text", "Phổ Văn", "--crs", "EPSG:khong-co"], ["EPSG:khong-co"]),
    (["report", "annual", "--year", "2025", "-o", "/proc/x/bao-cao.pdf"], ["/proc/x"]),
    (["import", "undo", "987654"], ["987654"]),
])
def test_cli_errors_are_vietnamese(test_dsn: str, tmp_path: Path, args: list[str],
                                   phrases: list[str]) -> None:
    """Missing files, bad values our code checks and unknown names: exit 1, one Vietnamese
    paragraph on stderr, no traceback."""
    (tmp_path / "a.csv").write_text("address\nXã Phổ Văn\n", encoding="utf-8")
    res = _kcmap([a.replace("{tmp}", str(tmp_path)) for a in args],
                 stdin="" if "passwd" in args else "mat-khau-dai-du-12345\n",
                 DATABASE_URL=test_dsn)
    assert res.returncode == 1, res.stdout + res.stderr
    _vietnamese_error(res, *phrases)


@pytest.mark.parametrize("args", [["db", "migrate"], ["gazetteer", "load"],
                                  ["demo", "load"], ["users", "list"],
                                  ["boundaries", "approximate"], ["priority", "list"]])
def test_cli_unreachable_database_is_vietnamese(args: list[str]) -> None:
    res = _kcmap(args, DATABASE_URL=f"postgresql://kcmap@127.0.0.1:{free_port()}/kcmap")
    _vietnamese_error(res, "Không kết nối được cơ sở dữ liệu PostGIS")
