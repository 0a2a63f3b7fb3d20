"""Personal-data masking for everything that leaves the machine (problems.csv, reports, ledgers).

Phone numbers, ID numbers, plates and people's names become placeholders that keep their shape, so a
reviewer still sees that a number was there. Later stages extend the patterns here, not in their writers.
"""

from __future__ import annotations

import re

_RULES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"(?<!\d)[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?!\d)"), "[身份证号]"),
    (re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"), "[手机号]"),
    (re.compile(r"(?<!\d)0\d{2,3}[-－—]?\d{7,8}(?!\d)"), "[固定电话]"),
    (re.compile(r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼澜][A-Z][·•]?[A-Z0-9]{5,6}"), "[车牌号]"),
]
_FULL_NAME = re.compile(r"^([\u4e00-\u9fa5])([\u4e00-\u9fa5]{1,2})$")


def mask_text(text: str) -> str:
    for pattern, placeholder in _RULES:
        text = pattern.sub(placeholder, text)
    return text


def mask_name(name: str) -> str:
    """周启航 → 周某某; names already written 王某 stay as they are."""
    m = _FULL_NAME.match(name.strip())
    if not m or "某" in name:
        return name
    return m.group(1) + "某" * len(m.group(2))
