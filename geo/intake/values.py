"""Cell values as offices type them: counts, money, years, phones, funding, activity, status."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable

from geo.core.textnorm import fold
from geo.intake.sheet_reader import cell_text

# -- values ----------------------------------------------------------------------------------

_NUM = re.compile(r"\d+(?:[.,  ]\d{3})*(?:[.,]\d+)?")
_MULT = re.compile(r"\s*(ty|ti|trieu|tr|nghin|ngan|k)\b")
_FACTOR = {"ty": 1_000_000_000, "ti": 1_000_000_000, "trieu": 1_000_000, "tr": 1_000_000,
           "nghin": 1_000, "ngan": 1_000, "k": 1_000}
_BLANKS = {"", "-", "–", "—", "x", "/", "..."}


def _plain(text: str) -> str:
    """Lower case without diacritics, keeping digits and punctuation: '1,25 Tỷ' → '1,25 ty'."""
    t = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in t if unicodedata.category(ch) != "Mn").lower()


def is_blank(value: object) -> bool:
    """True for empty cells and the dashes offices put in empty cells."""
    return value is None or cell_text(value) in _BLANKS


def _to_float(digits: str, decimal_comma: bool) -> float:
    """'1.250.000' → 1250000; '1,25' → 1.25 when the decimal comma is expected."""
    t = digits.replace(" ", "").replace("\u00a0", "")
    if "." in t and "," in t:
        dec = "." if t.rfind(".") > t.rfind(",") else ","
        whole, frac = t.rsplit(dec, 1)
        return float(whole.replace(".", "").replace(",", "") + "." + frac)
    for sep in (".", ","):
        if t.count(sep) > 1:
            return float(t.replace(sep, ""))
        if t.count(sep) == 1:
            whole, frac = t.split(sep)
            thousands = len(frac) == 3 and (sep == "." or not decimal_comma)
            return float(whole + frac) if thousands else float(whole + "." + frac)
    return float(t)


def parse_count(value: object) -> int | None:
    """A whole count: 12, '12 người', '1.200 lao động' (None when blank)."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"không phải là số: {value!r}")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = cell_text(value)
        if text.startswith("-"):
            raise ValueError(f"số âm: '{text}'")
        found = _NUM.findall(text)
        if len(found) != 1:
            raise ValueError(f"không phải một số duy nhất: '{text}'")
        number = _to_float(found[0], decimal_comma=False)
    if number < 0:
        raise ValueError(f"số âm: {value!r}")
    if not float(number).is_integer():
        raise ValueError(f"không phải số nguyên: {value!r}")
    return int(number)


def _money_text(typed: str, multiplier: int) -> float:
    """'1.250.000.000 đ' → 1.25e9; '1,25 tỷ' → 1.25e9; '1 tỷ 250 triệu' → 1.25e9."""
    text = _plain(typed)
    if text.startswith("-"):
        raise ValueError(f"số tiền âm: '{typed}'")
    with_unit: list[tuple[str, str]] = []
    plain: list[str] = []
    for m in _NUM.finditer(text):
        unit = _MULT.match(text, m.end())
        if unit is None:
            plain.append(m.group(0))
        else:
            with_unit.append((m.group(0), unit.group(1)))
    if with_unit and not plain:
        return sum(_to_float(digits, decimal_comma=True) * _FACTOR[word]
                   for digits, word in with_unit)
    if len(plain) == 1 and not with_unit:
        return _to_float(plain[0], decimal_comma=multiplier > 1) * multiplier
    raise ValueError(f"không phải một số tiền: '{typed}'")


def parse_money(value: object, multiplier: int = 1) -> int | None:
    """VND: 1250000000, '1.250.000.000 đ', '1,25 tỷ', '1 tỷ 250 triệu' (None when blank)."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"không phải số tiền: {value!r}")
    if isinstance(value, (int, float)):
        amount = float(value) * multiplier
    else:
        amount = _money_text(cell_text(value), multiplier)
    if amount < 0:
        raise ValueError(f"số tiền âm: {value!r}")
    return int(round(amount))


def parse_year(value: object, low: int = 2000, high: int = 2100) -> int | None:
    """A year: 2023, '2023', 'Năm 2023', a date cell (None when blank)."""
    if is_blank(value):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        year = value.year
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if not float(value).is_integer():
            raise ValueError(f"không phải năm: {value!r}")
        year = int(value)
    else:
        text = cell_text(value)
        date = re.fullmatch(r"\d{1,2}[/.-]\d{1,2}[/.-](\d{4})", text)
        found = [date.group(1)] if date else re.findall(r"(?<!\d)(\d{4})(?!\d)", text)
        if date:
            text = found[0]
        if len(set(found)) != 1 or re.search(r"\d", re.sub(r"(?<!\d)\d{4}(?!\d)", "", text)):
            raise ValueError(f"không phải năm: '{text}'")
        year = int(found[0])
    if not low <= year <= high:
        raise ValueError(f"năm {year} ngoài khoảng {low}–{high}")
    return year


def year_in(text: str | None) -> int | None:
    """The year written in a decision ('Quyết định 12/QĐ-UBND ngày 5/3/2015' → 2015)."""
    if not text:
        return None
    found = re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", text)
    return int(found[-1]) if found else None


def parse_text(value: object) -> str | None:
    """Text as typed, spaces tidied; None when blank. Markup is kept verbatim."""
    text = cell_text(value)
    return text or None


def parse_phone(value: object) -> str | None:
    """A phone number; a numeric cell gets back the leading 0 Excel dropped."""
    if is_blank(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        digits = str(int(value))
        return "0" + digits if len(digits) in (9, 10) else digits
    return cell_text(value)


def raw_text(value: object) -> str | None:
    """A cell as typed, for raw_lat/raw_lon/raw_address: floats keep all digits."""
    if value is None:
        return None
    if isinstance(value, float):
        return repr(value)
    text = str(value).strip()
    return text or None


_FUNDING = (
    ("KCQG", ("kcqg", "quocgia", "khuyenconquocgia", "trunguong", "tw", "nstw", "ntw",
              "ngansachtrunguong")),
    ("KCDP", ("kcdp", "diaphuong", "khuyencongdiaphuong", "tinh", "nstinh", "ngansachtinh",
              "ngansachdiaphuong", "nsdp")),
)


def parse_funding(value: object) -> str | None:
    """'KCQG' or 'KCDP' from KCQG, 'Quốc gia', 'Trung ương', KCĐP, 'Địa phương', 'Tỉnh'."""
    if is_blank(value):
        return None
    key = fold(cell_text(value)).replace(" ", "")
    hits = {code for code, words in _FUNDING if any(w == key or (len(w) > 3 and w in key)
                                                    for w in words)}
    if len(hits) != 1:
        raise ValueError(f"không rõ nguồn vốn '{cell_text(value)}' (KCQG/Quốc gia hoặc "
                         "KCĐP/Địa phương)")
    return hits.pop()


# (activity code, folded keywords), most specific first
_ACTIVITY_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("cleaner_production", ("san xuat sach hon", "tiet kiem nang luong", "sxsh",
                            "su dung nang luong", "nang luong hieu qua")),
    ("product_award", ("san pham cong nghiep nong thon tieu bieu", "san pham cnnt tieu bieu",
                       "san pham tieu bieu", "binh chon san pham", "cnnt tieu bieu")),
    ("trade_fair", ("hoi cho", "trien lam", "xuc tien thuong mai", "gian hang")),
    ("industrial_cluster", ("cum cong nghiep", "ccn", "ha tang cum")),
    ("demonstration", ("mo hinh trinh dien", "trinh dien", "mo hinh")),
    ("machinery", ("may moc", "thiet bi", "ung dung may", "chuyen giao cong nghe",
                   "dau tu may")),
    ("training", ("dao tao nghe", "dao tao", "truyen nghe", "day nghe")),
    ("capacity", ("tap huan", "nang cao nang luc", "hoi thao", "tham quan", "boi duong")),
    ("other", ("hoat dong khac", "khac")),
)


def parse_activity(value: object, codes: Iterable[str]) -> str | None:
    """Activity code from a code, a Vietnamese name or a keyword; None when not recognised."""
    text = cell_text(value)
    if not text:
        return None
    known = set(codes)
    if text in known:
        return text
    f = f" {fold(text)} "
    for code, words in _ACTIVITY_WORDS:
        if code in known and any(f" {w} " in f for w in words):
            return code
    return None


_STATUS = (
    ("cancelled", ("huy", "da huy", "dung", "dung thuc hien", "khong thuc hien", "cancelled")),
    ("in_progress", ("dang thuc hien", "dang trien khai", "chua hoan thanh", "in progress",
                     "in_progress", "dang lam")),
    ("completed", ("hoan thanh", "da hoan thanh", "da nghiem thu", "nghiem thu", "xong",
                   "da thuc hien", "completed", "da quyet toan", "quyet toan")),
    ("approved", ("da phe duyet", "phe duyet", "duoc duyet", "da duyet", "approved")),
    ("planned", ("ke hoach", "du kien", "planned", "chua thuc hien", "de xuat")),
)


def parse_status(value: object) -> str | None:
    """Project status code from 'Hoàn thành', 'Đang thực hiện', 'Kế hoạch' ... (None blank)."""
    if is_blank(value):
        return None
    f = fold(cell_text(value))
    for code, words in _STATUS:
        if f in words:
            return code
    for code, words in _STATUS:
        if any(f.startswith(w + " ") for w in words):
            return code
    raise ValueError(f"không rõ tình trạng '{cell_text(value)}' (Hoàn thành, Đang thực hiện, "
                     "Đã phê duyệt, Kế hoạch, Hủy)")


def split_coordinates(value: object) -> tuple[object, object]:
    """One 'Tọa độ' cell '15.12, 108.80' (or '15,12; 108,80') → (lat, lon) raw texts."""
    text = cell_text(value)
    if not text:
        return None, None
    for sep in (";", " - ", "|"):
        if sep in text:
            a, _, b = text.partition(sep)
            return a.strip(), b.strip()
    if text.count(",") == 1:
        a, _, b = text.partition(",")
        return a.strip(), b.strip()
    if ", " in text:
        a, _, b = text.partition(", ")
        return a.strip(), b.strip()
    parts = text.split()
    if len(parts) == 2:
        return parts[0], parts[1]
    raise ValueError(f"không tách được '{text}' thành vĩ độ và kinh độ")
