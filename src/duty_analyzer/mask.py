"""Personal-data masking for everything that leaves the machine (problems.csv, reports, ledgers).

Phone numbers, ID numbers, plates and people's names become placeholders that keep their shape, so a
reviewer still sees that a number was there. Later stages extend the patterns here, not in their writers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_RULES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"(?<!\d)[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?!\d)"), "[身份证号]"),
    (re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"), "[手机号]"),
    (re.compile(r"(?<!\d)0\d{2,3}[-－—]?\d{7,8}(?!\d)"), "[固定电话]"),
    (re.compile(r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼澜][A-Z][·•]?[A-Z0-9]{5,6}"), "[车牌号]"),
]
_FULL_NAME = re.compile(r"^([\u4e00-\u9fa5])([\u4e00-\u9fa5]{1,3})$")
# 市民陈志刚（…）, 来电人刘海波称: a full name right after the word that introduces a caller.
_INTRODUCED_NAME = re.compile(
    r"(市民|来电人|诉求人|投诉人|举报人|反映人|联系人|当事人|网民)"
    r"(?!留言|来电|致电|反映|投诉|表示|举报|咨询|朋友|群众|代表|们|担心|希望|要求|认为|称|说|想|在|家|对|于|和|及|被)"
    r"([\u4e00-\u9fa5]{2,4}?)(?=[（(]|来电|致电|反映|称|表示|投诉|家住|住在)"
)
_POLITE = re.compile(r"^[\u4e00-\u9fa5](先生|女士|老师|师傅|阿姨|大爷|某+)$")
# House numbers: 3栋2单元501室, 鼓楼路56号, 8号楼 → the digits go, the street or estate stays.
_HOUSE_NUMBER = re.compile(r"\d+(?=\s*(?:栋|幢|号楼|单元|室|户|层|楼|号院|号))")


def mask_text(text: str, names: Iterable[str] = ()) -> str:
    """Mask numbers that identify a person, the given names, and names introduced as the caller's."""
    for pattern, placeholder in _RULES:
        text = pattern.sub(placeholder, text)
    for name in {n.strip() for n in names if n and len(n.strip()) >= 2}:
        if not _POLITE.match(name):
            text = text.replace(name, mask_name(name))
    text = _INTRODUCED_NAME.sub(lambda m: m.group(1) + mask_name(m.group(2)), text)
    return _HOUSE_NUMBER.sub("*", text)


def mask_name(name: str) -> str:
    """周启航 → 周某某; 王某 and 张先生 stay as they are."""
    m = _FULL_NAME.match(name.strip())
    if not m or "某" in name or _POLITE.match(name.strip()):
        return name
    return m.group(1) + "某" * len(m.group(2))
