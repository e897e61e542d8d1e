"""The encoding of a .csv/.txt file as offices save it: UTF-8 with or without BOM, Excel's
"Unicode text" (UTF-16 with a BOM, tab separated), Windows-1258 (tone marks as combining
characters), else what charset-normalizer finds. The text is returned in NFC."""

from __future__ import annotations

import unicodedata

from charset_normalizer import from_bytes

from geo.core.errors import InvalidInput

# Windows-1258: combining tone marks, typed after a vowel (ASCII or â ê ô ă ơ ư, any case)
_CP1258_MARKS = frozenset(b"\xcc\xec\xd2\xde\xf2")
_CP1258_VOWELS = frozenset(b"aeiouyAEIOUY\xc2\xe2\xca\xea\xd4\xf4\xc3\xe3\xd5\xf5\xdd\xfd")
_CP1258_LETTERS = frozenset(b"\xc2\xe2\xca\xea\xd4\xf4\xc3\xe3\xd5\xf5\xdd\xfd\xd0\xf0")
# encodings charset-normalizer may name that are not a Latin single-byte guess
_MULTIBYTE = ("utf", "gb", "big5", "shift_jis", "euc", "cp932", "cp949", "cp950", "hz", "iso2022")


def _utf16(raw: bytes) -> str | None:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    sample = raw[:4096]
    if len(sample) >= 8 and sample[1::2].count(0) > len(sample) // 4:
        return raw.decode("utf-16-le")
    if len(sample) >= 8 and sample[0::2].count(0) > len(sample) // 4:
        return raw.decode("utf-16-be")
    return None


def _looks_cp1258(raw: bytes) -> bool:
    """Windows-1258 Vietnamese: its tone marks follow vowels (TCVN3 bytes read this way
    would put them after consonants), or only its vowel letters and đ are there."""
    marks = [i for i, b in enumerate(raw) if b in _CP1258_MARKS]
    if marks:
        good = sum(1 for i in marks if i and raw[i - 1] in _CP1258_VOWELS)
        return good * 5 >= len(marks) * 4
    high = {b for b in raw if b >= 0x80}
    return bool(high) and high <= _CP1258_LETTERS


def _single_byte(raw: bytes) -> tuple[str, str]:
    """charset-normalizer for multi-byte encodings; else Windows-1252 or Latin-1 (the bytes
    of TCVN3/VNI text stay as they are, for geo.intake.legacy_fonts)."""
    best = from_bytes(raw[:200_000]).best()
    if best is not None and str(best.encoding).lower().startswith(_MULTIBYTE):
        try:
            return raw.decode(best.encoding), str(best.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return raw.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "Latin-1"


def decode_text(raw: bytes, file: str) -> tuple[str, str]:
    """(text in NFC, encoding name) of a text file; InvalidInput naming the file otherwise."""
    try:
        text = _utf16(raw)
        encoding = "UTF-16" if text is not None else ""
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{file}: tệp văn bản UTF-16 bị hỏng (byte {exc.start})") from exc
    if text is None:
        if b"\x00" in raw[:4096]:
            raise InvalidInput(f"{file}: không phải tệp CSV dạng văn bản (nội dung nhị phân)")
        try:
            text, encoding = raw.decode("utf-8-sig"), "UTF-8"
        except UnicodeDecodeError:
            if _looks_cp1258(raw):
                text, encoding = raw.decode("cp1258"), "Windows-1258"
            else:
                text, encoding = _single_byte(raw)
    return unicodedata.normalize("NFC", text.lstrip("\ufeff")), encoding
