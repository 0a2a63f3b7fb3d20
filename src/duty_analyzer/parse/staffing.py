"""Staffing exports (机构编制实名制 system or hand-kept 台账): one StaffingRecord per unit and kind of post.

Real exports put a title above the header, group the 领导职数 columns under a merged cell with a second
header row (核定 / 实配), and leave the department blank on the rows of its 内设机构 and 事业单位. All three are
read here; the original cells are kept in `columns` so evidence can quote the row as it was.
"""

from __future__ import annotations

import re

from ..model import Location, ParsedFile, StaffingRecord, UnrecognizedText
from .columns import map_columns
from .sources import Table

STAFFING_COLUMNS: dict[str, tuple[str, ...]] = {
    "unit": ("单位名称", "机构名称", "单位", "部门名称", "部门"),
    "department": ("主管部门", "所属部门", "上级单位", "隶属部门", "举办单位"),
    "unit_level": ("机构层级", "机构类别", "单位类别", "机构类型", "层级"),
    "staff_type": ("编制类型", "编制类别", "编制性质", "编制种类"),
    "approved": ("核定编制数", "核定编制", "编制数", "核编数", "批准编制"),
    "actual": ("实有人数", "实有在编人数", "在编人数", "实有人员", "实有"),
    "vacant": ("空编数", "空编"),
    "vacant_months": ("空编时长月", "空编月数", "空编时长", "连续空编月数"),
    "seconded_out": ("借调出", "借出人数", "借调外单位", "借调出人数", "被借调"),
    "seconded_in": ("借调入", "借入人数", "借用人数", "借调入人数", "借用"),
    "contract_staff": ("编外人员", "编外人员数", "编外用工", "聘用人员", "劳务派遣"),
    "absent": ("在编不在岗", "在编不在岗人数", "吃空饷"),
}

# Leader-post groups: 三定 write 局长/主任 (正职), 副局长/副主任 (副职), 正科级/副科级领导职数.
LEADER_LEVELS: dict[str, re.Pattern] = {
    "正职": re.compile(r"(?<!副)(?:局长|主任|正职|队长|书记)(?!助理)"),
    "副职": re.compile(r"副(?:局长|主任|职|队长)"),
    "正科级": re.compile(r"正科|科长(?!助理)|正股"),
    "副科级": re.compile(r"副科|副股"),
}
_APPROVED = re.compile(r"核定|批准|职数(?!实)")
_ACTUAL = re.compile(r"实配|实有|实际|现有|在任")
_NUMBER = re.compile(r"-?\d+")
_MONTHS = re.compile(r"(\d+)\s*(个月|月|年)")
STAFF_TYPES = {"行政": "行政编制", "政法": "政法专项编制", "事业": "事业编制", "工勤": "工勤编制", "机关工勤": "工勤编制"}


def is_staffing_header(cells: list[str]) -> bool:
    cols = map_columns(cells, STAFFING_COLUMNS)
    return "unit" in cols and ("approved" in cols or "actual" in cols) and len(cols) >= 3


def _combined_header(header: list[str], sub: list[str]) -> list[str]:
    """Two header rows → one: a merged group label ('领导职数（副职）') above '核定'/'实配' becomes '副职核定'."""
    out = []
    for top, below in zip(header + [""] * (len(sub) - len(header)), sub):
        out.append(f"{top}{below}" if below and below != top else top)
    return out


def _is_subheader(header: list[str], cells: list[str]) -> bool:
    """A second header row: only 核定/实配-style labels, apart from cells a vertical merge copied from above."""
    labels = [c for i, c in enumerate(cells) if c and not (i < len(header) and c == header[i])]
    return bool(labels) and all(_APPROVED.search(c) or _ACTUAL.search(c) or c in ("借出", "借入") for c in labels)


def _leader_columns(header: list[str]) -> dict[str, dict[str, int]]:
    """level → {'approved': col, 'actual': col} for every header cell that names a leader level and a side."""
    found: dict[str, dict[str, int]] = {}
    for i, name in enumerate(header):
        compact = re.sub(r"\s+", "", name)
        for level, pattern in LEADER_LEVELS.items():
            if pattern.search(compact):
                side = "actual" if _ACTUAL.search(compact) else "approved" if _APPROVED.search(compact) else None
                if side:
                    found.setdefault(level, {}).setdefault(side, i)
                break
    return found


def number(cell: str) -> int | None:
    """'35', '35人', '35.0' → 35; '' / '—' → None. Months: '1年6个月' → 18 is read by `months`."""
    m = _NUMBER.search(cell.replace(",", ""))
    return int(m.group()) if m else None


def months(cell: str) -> int | None:
    total, seen = 0, False
    for value, unit in _MONTHS.findall(cell):
        total += int(value) * (12 if unit == "年" else 1)
        seen = True
    return total if seen else number(cell)


def staff_type(cell: str) -> str:
    for key, name in STAFF_TYPES.items():
        if cell.startswith(key) or key in cell:
            return name
    return cell or "行政编制"


def parse_staffing(table: Table) -> ParsedFile:
    out = ParsedFile(path=table.path, kind="staffing", notes=list(table.notes))
    header = list(table.header)
    rows = iter(table.rows)
    first = next(rows, None)
    pending = []
    if first is not None:
        if _is_subheader(header, first[1]):
            header = _combined_header(header, first[1])
        else:
            pending.append(first)
    cols = map_columns(header, STAFFING_COLUMNS)
    leaders = _leader_columns(header)
    names = [h or f"列{i + 1}" for i, h in enumerate(header)]
    department = ""

    def all_rows():
        yield from pending
        yield from rows

    for number_, cells in all_rows():
        if not any(cells):
            continue
        cells = cells + [""] * (len(names) - len(cells))
        value = {f: cells[i] for f, i in cols.items()}
        location = Location(file=table.path, row=number_, sheet=table.sheet)
        unit = value.get("unit", "")
        if not unit or unit in ("合计", "总计", "小计"):  # total rows and continuation rows carry no unit
            continue
        level = value.get("unit_level", "")
        # The department of a 内设机构/事业单位 row: its own column, else the last 机关 row above it.
        if value.get("department"):
            owner = value["department"]
        elif not level or "机关" in level or "部门" in level:
            owner = department = unit
        else:
            owner = department or unit
        approved, actual = number(value.get("approved", "")), number(value.get("actual", ""))
        if approved is None and actual is None:
            out.unrecognized.append(UnrecognizedText("，".join(c for c in cells if c), location, "该行没有核定编制或实有人数"))
            continue
        out.staffing_records.append(StaffingRecord(
            unit=unit, department=owner, unit_level=level or "机关", staff_type=staff_type(value.get("staff_type", "")),
            approved=approved, actual=actual, location=location,
            leaders={lv: [number(cells[c["approved"]]) if "approved" in c else None,
                          number(cells[c["actual"]]) if "actual" in c else None] for lv, c in leaders.items()},
            seconded_out=number(value.get("seconded_out", "")), seconded_in=number(value.get("seconded_in", "")),
            contract_staff=number(value.get("contract_staff", "")), absent=number(value.get("absent", "")),
            vacant_months=months(value.get("vacant_months", "")) if value.get("vacant_months") else None,
            columns={h: c for h, c in zip(names, cells) if c},
        ))
    if not out.staffing_records:
        out.notes.append("表头之后没有数据行")
    return out
