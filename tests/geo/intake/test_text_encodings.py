"""Old Vietnamese font encodings and text file encodings: converted when clearly there, never
when the text is already Unicode or Latin-1 words."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from geo.core.errors import InvalidInput
from geo.intake.legacy_fonts import (
    TCVN3,
    VNI,
    column_encoding,
    converting,
    from_tcvn3,
    from_vni,
)
from geo.intake.sheet_reader import open_sheet
from geo.intake.text_decode import decode_text

NAMES = ["Quảng Ngãi", "Cơ sở mộc Thành Công", "Huyện Đức Phổ", "Xã Phổ Khánh, Nghĩa Hành",
         "Đinh Thị Bưởi", "Trường Xuân", "Nguyễn Ước", "Sơn Tịnh", "Lý Sơn"]
LATIN1 = ["Café de Paris", "Müller GmbH", "São Paulo", "Crème brûlée", "naïve", "Noël",
          "España", "25°C", "Straße", "Sài Gòn", "Bà Rịa"]


def tcvn(text: str) -> str:
    out = subprocess.run(["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"], input=text.encode(),
                         capture_output=True, check=True).stdout
    return out.decode("latin-1")


def test_tcvn3_names_come_back() -> None:
    assert tcvn("Quảng Ngãi") == "Qu¶ng Ng·i"
    coded = [tcvn(n) for n in NAMES]
    assert column_encoding(coded) == TCVN3
    assert [from_tcvn3(c) for c in coded] == NAMES


def test_vni_names_come_back() -> None:
    coded = ["Quaûng Ngaõi", "Cô sôû moäc Thaønh Coâng", "Huyeän Ñöùc Phoå", "Tröôøng Xuaân",
             "Nghóa Haønh"]
    assert column_encoding(coded) == VNI
    assert [from_vni(c) for c in coded] == ["Quảng Ngãi", "Cơ sở mộc Thành Công",
                                            "Huyện Đức Phổ", "Trường Xuân", "Nghĩa Hành"]


@pytest.mark.parametrize("texts", [NAMES, LATIN1, NAMES + LATIN1, ["Sài Gòn", "Gò Vấp"]])
def test_unicode_and_latin1_are_never_converted(texts: list[str]) -> None:
    assert column_encoding(texts) is None


def test_sheet_columns_converted_one_by_one() -> None:
    rows = [[tcvn("Tên cơ sở"), "Ghi chú", tcvn("Cộng")],
            *[[tcvn(n), w, tcvn("Tổng cộng")] for n, w in zip(NAMES, LATIN1, strict=False)]]
    found: list[dict[str, str]] = []
    out = list(converting(iter(rows), found))
    assert [r[0] for r in out] == ["Tên cơ sở", *NAMES]
    assert [r[1] for r in out] == ["Ghi chú", *LATIN1[:len(NAMES)]]  # Unicode: untouched
    assert out[1][2] == "Tổng cộng"  # 'Tæng céng' has no telltale symbol: the sheet decides
    assert found == [{"column": "0", "encoding": TCVN3}, {"column": "2", "encoding": TCVN3}]
    latin = [["Tên", "Ghi chú"], ["Café", "Müller"], ["Noël", "naïve"]]
    found = []
    assert list(converting(iter(latin), found)) == latin and found == []


def test_text_file_encodings() -> None:
    text = "Tên cơ sở;Xã\r\nCơ sở mộc Thành Công;Phổ Khánh\r\nĐinh Thị Ư;Trà Bồng\r\n"
    cp1258 = subprocess.run(["iconv", "-f", "UTF-8", "-t", "CP1258"], input=text.encode(),
                            capture_output=True, check=True).stdout
    assert b"\xcc" in cp1258 or b"\xd2" in cp1258  # tone marks as combining characters
    cases: list[tuple[bytes, str]] = [
        (text.encode("utf-8"), "UTF-8"), (text.encode("utf-8-sig"), "UTF-8"),
        (text.encode("utf-16"), "UTF-16"), (cp1258, "Windows-1258")]
    for raw, encoding in cases:
        assert decode_text(raw, "a.csv") == (text, encoding)
    latin = "Café;Müller;naïve\r\n"
    assert decode_text(latin.encode("cp1252"), "a.csv")[0] == latin
    with pytest.raises(InvalidInput, match="b.csv"):
        decode_text(b"\x00\x01\x02\x03binary", "b.csv")


def test_ods_sheet_is_read(tmp_path: Path) -> None:
    path = tmp_path / "lang_nghe.ods"
    cells = "".join(
        "<table:table-row>" + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{v}</text:p>'
            "</table:table-cell>" for v in row) + "</table:table-row>"
        for row in ([tcvn("Tên làng nghề"), "Xã"], [tcvn("Làng nghề Quảng Ngãi"), "Tịnh Hà"]))
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="DS">'
        f"{cells}</table:table></office:spreadsheet></office:body></office:document-content>")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                   compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?>'
                   '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
                   'manifest:1.0"/>')

    def score(headers: Any) -> int:
        return sum(1 for h in headers if h.text in ("Tên làng nghề", "Xã"))

    sheet = open_sheet(path, None, score)
    assert sheet.name == "DS"
    rows = list(sheet.rows)
    assert rows == [(2, ["Làng nghề Quảng Ngãi", "Tịnh Hà"])]
    assert sheet.conversions == [{"column": "A", "encoding": TCVN3, "header": "Tên làng nghề"}]
