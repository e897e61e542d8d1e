"""Vietnamese name keys: case-, diacritic-, space- and type-word-insensitive matching."""

from __future__ import annotations

import re
import unicodedata

# Type words that may precede a unit name, longest first so "thi tran" wins over "thi".
TYPE_WORDS = (
    "thanh pho", "thi tran", "thi xa", "dac khu", "phuong", "huyen", "tinh", "xa", "tp", "tx",
    "tt",
)
_NON_ALNUM = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ -> d), turn punctuation into spaces, squeeze spaces."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower()
    text = _NON_ALNUM.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def strip_type(folded: str) -> str:
    """Remove one leading administrative type word from folded text."""
    for word in TYPE_WORDS:
        if folded == word:
            return folded
        if folded.startswith(word + " "):
            return folded[len(word) + 1 :]
    return folded


def name_key(name: str) -> str:
    """Matching key of a unit name: 'Thị Trấn  Châu Ổ ' -> 'chauo'."""
    return strip_type(fold(name)).replace(" ", "")


def tidy(name: str) -> str:
    """Clean a display name: NFC, single spaces, no leading or trailing space."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", name)).strip()
