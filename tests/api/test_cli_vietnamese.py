"""Typer's own texts in `kcmap` are Vietnamese: help chrome and usage errors, whatever the
user's locale, run as the real installed command in a subprocess."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

KCMAP = str(Path(sys.executable).parent / "kcmap")  # the console script pip installed
LOCALE_VARS = ("LANGUAGE", "LANG", "LC_ALL", "LC_MESSAGES")
LOCALES = {"none": {}, "C": {"LANG": "C"}, "en_US": {"LANG": "en_US.UTF-8"},
           "LANGUAGE=en": {"LANGUAGE": "en_US:en", "LC_ALL": "en_US.UTF-8"}}
COMMON = ["none", "C", "en_US"]  # every case; a user's explicit LANGUAGE=en for a few

# English that Typer (and its copy of Click) print when nothing translates them.
ENGLISH = ["Usage", "Try '", "for help", "Error", "No such command", "No such option",
           "Possible options", "Did you mean", "Missing argument", "Missing option",
           "Missing parameter", "Invalid value", "is not a valid", "Input should",
           "Value error", "is not one of", "Choose from", "Got unexpected", "requires an",
           "does not exist", "Aborted", "Traceback", "[OPTIONS]", "COMMAND [ARGS]"]
HELP_ENGLISH = ["Options", "Commands", "Arguments", "Show this message and exit",
                "[required]", "[default:", "Install completion", "Show completion"]


def _kcmap(args: list[str], locale: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k not in LOCALE_VARS}
    full.update(LOCALES[locale], COLUMNS="200", **env)  # wide: no message wrapped in the box
    return subprocess.run([KCMAP, *args], cwd=ROOT, env=full, capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL)


def _text(res: subprocess.CompletedProcess[str]) -> str:
    """Output without Rich's box drawing, whitespace runs collapsed."""
    return " ".join(re.sub(r"[╭╮╰╯─│]", " ", res.stdout + res.stderr).split())


def _no_english(text: str, words: list[str]) -> None:
    for word in words:
        assert word not in text, (word, text)


USAGE_ERRORS = [
    (["import", "list"], ["Cách dùng: kcmap import [TÙY CHỌN] LỆNH [ĐỐI SỐ]...",
                          "Xem 'kcmap import --help' để được hướng dẫn.", "Lỗi",
                          "Không có lệnh 'list'."]),
    (["gazetteer", "lod"], ["Không có lệnh 'lod'. Có phải ý bạn là 'load'?"]),
    (["serve", "--hots", "h"], ["Cách dùng: kcmap serve [TÙY CHỌN]",
                                "Không có tùy chọn --hots. Có phải ý bạn là: --host, --port?"]),
    (["serve", "--nothing"], ["Không có tùy chọn --nothing."]),
    (["serve", "--port", "abc"], ["Giá trị không hợp lệ cho '--port': 'abc' không phải là "
                                  "số nguyên."]),
    (["serve", "--workers", "0"], ["Giá trị không hợp lệ cho '--workers': phải lớn hơn hoặc "
                                   "bằng 1, không phải 0."]),
    (["serve", "--workers", "65"], ["phải nhỏ hơn hoặc bằng 64, không phải 65."]),
    (["serve", "--port"], ["Tùy chọn '--port' cần một giá trị đi kèm."]),
    (["serve", "mot", "hai"], ["Thừa đối số không dùng đến: mot hai."]),
    (["import", "establishments"], ["Cách dùng: kcmap import establishments [TÙY CHỌN]",
                                    "Thiếu đối số 'path'."]),
    (["report", "annual", "--year", "2025"], ["Thiếu tùy chọn '-o' / '--output'."]),
    (["boundaries", "import", "x.geojson"], ["Thiếu tùy chọn '--level'. Chọn một trong: "
                                             "commune, district."]),
    (["boundaries", "import", "x.geojson", "--level", "tinh"],
     ["Giá trị không hợp lệ cho '--level': 'tinh' không phải là một trong 'commune', "
      "'district'."]),
]


CASES = [(args, phrases, locale) for args, phrases in USAGE_ERRORS for locale in COMMON]
CASES += [(USAGE_ERRORS[i][0], USAGE_ERRORS[i][1], "LANGUAGE=en") for i in (0, 4, 9)]


@pytest.mark.parametrize(("args", "phrases", "locale"), CASES,
                         ids=[f"{' '.join(a)} [{loc}]" for a, _, loc in CASES])
def test_usage_errors_are_vietnamese(args: list[str], phrases: list[str], locale: str) -> None:
    res = _kcmap(args, locale)
    text = _text(res)
    assert res.returncode == 2, text  # Click's status for a usage error, unchanged
    assert res.stdout == "", res.stdout
    for phrase in phrases:
        assert phrase in text, (phrase, text)
    _no_english(text, ENGLISH)


@pytest.mark.parametrize("locale", COMMON)
def test_missing_file_is_vietnamese(test_dsn: str, tmp_path: Path, locale: str) -> None:
    res = _kcmap(["import", "establishments", str(tmp_path / "khong-co.xlsx")], locale,
                 DATABASE_URL=test_dsn)
    text = _text(res)
    assert res.returncode == 1, text
    assert "khong-co.xlsx" in text and "không tìm thấy" in text, text
    _no_english(text, [*ENGLISH, "No such file"])


@pytest.mark.parametrize("locale", list(LOCALES))
def test_top_level_help_is_vietnamese(locale: str) -> None:
    res = _kcmap(["--help"], locale)
    text = _text(res)
    assert res.returncode == 0, text
    for phrase in ["Cách dùng: kcmap [TÙY CHỌN] LỆNH [ĐỐI SỐ]...", "Tùy chọn", "Lệnh",
                   "Hiện hướng dẫn này rồi thoát.", "Cài tự hoàn thành lệnh",
                   "kcmap: bản đồ khuyến công tỉnh Quảng Ngãi"]:
        assert phrase in text, (phrase, text)
    _no_english(text, ENGLISH + HELP_ENGLISH)


@pytest.mark.parametrize("locale", COMMON)
def test_command_help_is_vietnamese(locale: str) -> None:
    res = _kcmap(["import", "establishments", "--help"], locale)
    text = _text(res)
    assert res.returncode == 0, text
    for phrase in ["Cách dùng: kcmap import establishments [TÙY CHỌN]", "Đối số", "Tùy chọn",
                   "[bắt buộc]", "[mặc định: EPSG:5898]", "Hiện hướng dẫn này rồi thoát."]:
        assert phrase in text, (phrase, text)
    _no_english(text, ENGLISH + HELP_ENGLISH)


def test_group_without_command_shows_vietnamese_help() -> None:
    res = _kcmap(["import"], "en_US")
    text = _text(res)
    assert res.returncode == 2, text  # no_args_is_help: the help, then Click's status 2
    assert "Cách dùng: kcmap import [TÙY CHỌN] LỆNH [ĐỐI SỐ]..." in text
    assert "Nhập cơ sở công nghiệp nông thôn" in text
    _no_english(text, ENGLISH + HELP_ENGLISH)
