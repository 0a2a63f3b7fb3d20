"""Text normalisation shared by every parser: Traditional→Simplified, whitespace, Chinese numerals."""

from __future__ import annotations

import re
from functools import lru_cache

_CJK = re.compile(r"[\u4e00-\u9fff]")
_SPACES = re.compile(r"[ \t\u3000\xa0]+")

# Below this share of changed CJK characters a t2s difference is noise (variant glyphs), not Traditional text.
TRADITIONAL_MIN_SHARE = 0.01
TRADITIONAL_MIN_CHARS = 3


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


def is_traditional(sample: str) -> bool:
    """True when converting the sample to Simplified changes enough characters to be real Traditional text."""
    cjk = len(_CJK.findall(sample))
    if cjk == 0:
        return False
    converted = to_simplified(sample)
    changed = sum(1 for a, b in zip(sample, converted) if a != b)
    return changed >= TRADITIONAL_MIN_CHARS and changed / cjk >= TRADITIONAL_MIN_SHARE


def clean(text: str) -> str:
    """Collapse runs of spaces (documents pad with full-width spaces) and trim."""
    return _SPACES.sub(" ", text).strip()


def squeeze(text: str) -> str:
    """Remove all whitespace: Chinese text has none that carries meaning, and PDFs insert it at line breaks."""
    return re.sub(r"\s+", "", text)


_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_number(text: str) -> int | None:
    """Convert 58, ５８ or 五十八 to an int; None when the text is not a number."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch in _UNITS:
            total += (current or 1) * _UNITS[ch]
            current = 0
        else:
            return None
    return total + current
