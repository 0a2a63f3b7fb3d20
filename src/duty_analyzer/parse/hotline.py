"""12345 hotline dispute records (退单争议工单): streamed row by row so that large exports fit in memory."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

from ..model import Bounce, HotlineRecord, Location, ParsedFile
from .columns import HOTLINE_COLUMNS, map_columns
from .sources import Table

_SPLIT_UNITS = re.compile(r"[；;\n]|→|->")
_SPLIT_REASONS = re.compile(r"[；;\n]|\|")
_TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d",
    "%Y.%m.%d %H:%M", "%Y.%m.%d", "%Y%m%d%H%M%S", "%Y%m%d",
)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
_CN_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日\s*(?:(\d{1,2})[时:：](\d{1,2})(?:[分:：](\d{1,2}))?)?")


def is_hotline_header(cells: list[str]) -> bool:
    cols = map_columns(cells, HOTLINE_COLUMNS)
    return "request" in cols and len(cols) >= 2


def normalize_time(value: str) -> str:
    """ISO 8601 when the value is a date in any of the usual export formats; the raw text otherwise."""
    value = value.strip()
    if not value or _ISO.match(value):
        return value
    m = _CN_DATE.match(value)
    if m:
        y, mo, d, h, mi, s = (int(x) if x else 0 for x in m.groups())
        try:
            return datetime(y, mo, d, h, mi, s).isoformat(sep=" ")
        except ValueError:
            return value
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(value, fmt).isoformat(sep=" ")
        except ValueError:
            continue
    return value


def bounces(units: str, reasons: str) -> list[Bounce]:
    """Pair the i-th returning unit with the i-th reason; surplus reasons go with the last unit."""
    unit_list = [u.strip() for u in _SPLIT_UNITS.split(units) if u.strip()]
    reason_list = [r.strip() for r in _SPLIT_REASONS.split(reasons) if r.strip()]
    if not unit_list:
        return [Bounce("", r) for r in reason_list[:1]] if reason_list else []
    if len(reason_list) > len(unit_list):
        reason_list = reason_list[: len(unit_list) - 1] + ["；".join(reason_list[len(unit_list) - 1:])]
    return [Bounce(u, reason_list[i] if i < len(reason_list) else "") for i, u in enumerate(unit_list)]


def iter_hotline(table: Table) -> Iterator[HotlineRecord]:
    cols = map_columns(table.header, HOTLINE_COLUMNS)
    used = set(cols.values())
    extras = [(i, h or f"列{i + 1}") for i, h in enumerate(table.header) if i not in used]
    for number, cells in table.rows:
        if not any(cells) or cells == table.header:
            continue
        get = lambda f: cells[cols[f]] if f in cols and cols[f] < len(cells) else ""  # noqa: E731
        yield HotlineRecord(
            record_id=get("record_id"),
            time=normalize_time(get("time")),
            request=get("request"),
            first_unit=get("first_unit"),
            bounces=bounces(get("bounce_units"), get("bounce_reasons")),
            final_unit=get("final_unit"),
            location=Location(file=table.path, row=number, sheet=table.sheet),
            extra={h: cells[i] for i, h in extras if i < len(cells) and cells[i]},
        )


def parse_hotline(table: Table) -> ParsedFile:
    out = ParsedFile(path=table.path, kind="hotline", notes=list(table.notes))
    seen: dict[str, int] = {}
    empty_rows: list[int] = []
    for record in iter_hotline(table):
        out.hotline.append(record)
        if not record.record_id:
            empty_rows.append(record.location.row or 0)
        else:
            seen[record.record_id] = seen.get(record.record_id, 0) + 1
    if empty_rows:
        out.notes.append(f"{len(empty_rows)} 条工单编号为空（第 {'、'.join(map(str, empty_rows[:10]))} 行），已保留")
    duplicated = [k for k, n in seen.items() if n > 1]
    if duplicated:
        out.notes.append(f"工单编号重复：{'、'.join(duplicated[:10])}，已全部保留")
    if not out.hotline:
        out.notes.append("表头之后没有工单记录")
    return out
