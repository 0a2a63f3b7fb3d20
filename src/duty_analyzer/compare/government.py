"""Who is compared with whom: the departments of one government.

A 市XX局XX分局 (派出机构 under vertical management) serves the county it is named after, so it belongs to that
county's set beside the county's own departments; names without a place (交通运输部, 国家市场监督管理总局)
form the national level together."""

from __future__ import annotations

import re

from ..names import split_place

# 青川市生态环境局望川分局 → 望川; 某市公安局某某分局 likewise.
_BRANCH = re.compile(r"(?:局|委员会|厅)(.{2,6}?)(?:分局|派出机构|管理分局)$")


def branch_of(department: str) -> str:
    """The place stem a branch bureau is named after ('' when the name is not a branch's)."""
    _, body = split_place(department)
    m = _BRANCH.search(body)
    return m.group(1) if m else ""


# 国家市场监督管理总局, 国家林业和草原局: national bodies, whose 国家 is not a place like 云溪市.
_NATIONAL = re.compile(r"^(?:中共中央|国务院|国家|中国|中华人民共和国)")


# 国家税务总局望川县税务局: a vertically managed local unit of a national body serves the place it names.
_NATIONAL_LOCAL = re.compile(r"^(?:国家|中国)\S{2,12}?(?:总局|局|署)(\S{2,8}?(?:自治州|自治县|省|市|县|区|州|旗))\S{2,}")


def place_of(department: str) -> str:
    """The government level a name belongs to: its place prefix, or '' for national bodies and names without one."""
    if _NATIONAL.match(department):
        local = _NATIONAL_LOCAL.match(department)
        return local.group(1) if local else ""
    return split_place(department)[0]


def governments(departments: list[str]) -> dict[str, str]:
    """department → the government it belongs to (its place), with branches moved to the place they serve."""
    places = {d: place_of(d) for d in departments}
    known = sorted(set(places.values()), key=len, reverse=True)
    out = {}
    for d, place in places.items():
        stem = branch_of(d)
        served = next((p for p in known if stem and p != place and p.startswith(stem)), None)
        out[d] = served or (place if not stem else place + stem)
    return out


def jurisdiction(department: str) -> str:
    """云溪市 for 云溪市城市管理局 (kept for callers that look at one name alone)."""
    return split_place(department)[0]
