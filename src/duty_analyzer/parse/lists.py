"""Responsibility lists (权责清单 / 责任清单): one ListItem per row, original columns kept."""

from __future__ import annotations

import re
from pathlib import Path

from ..model import ListItem, Location, ParsedFile, UnrecognizedText
from .columns import LIST_COLUMNS, map_columns
from .sources import Table

# Cells that a merged range (or its CSV export) leaves blank below the first row of a power.
FILL_DOWN = ("matter", "power_type", "basis", "department")
_LIST_WORDS = re.compile(r"(权责清单|责任清单|权力清单|职责清单|清单|目录|一览表)")
# The department a title names, at every level (…局, …委员会, …办公厅, …部, …署).
_DEPT_IN_TITLE = re.compile(r"([\u4e00-\u9fa5]{2,30}?(?:局|委员会|委|办公室|办公厅|办|中心|院|厅|部|署))")


def is_list_header(cells: list[str]) -> bool:
    cols = map_columns(cells, LIST_COLUMNS)
    return "matter" in cols and len(cols) >= 3


def department_hint(table: Table) -> str:
    """The list's department from a title row above the header, else from the file name."""
    for title in table.title_lines:
        if _LIST_WORDS.search(title):
            m = _DEPT_IN_TITLE.search(_LIST_WORDS.split(title)[0])
            if m:
                return m.group(1)
    stem = _LIST_WORDS.split(Path(table.path).stem)[0]
    m = _DEPT_IN_TITLE.search(stem)
    return m.group(1) if m else ""


def parse_list(table: Table) -> ParsedFile:
    out = ParsedFile(path=table.path, kind="list", notes=list(table.notes))
    cols = map_columns(table.header, LIST_COLUMNS)
    hint = department_hint(table)
    if not hint and "department" not in cols:
        out.notes.append("未能从标题、列或文件名判断清单所属部门")
    header = [h or f"列{i + 1}" for i, h in enumerate(table.header)]
    previous: dict[str, str] = {}
    for number, cells in table.rows:
        if not any(cells) or cells[: len(table.header)] == table.header:
            continue
        cells = cells + [""] * (len(header) - len(cells))
        values = {f: cells[i] for f, i in cols.items()}
        for f in FILL_DOWN:
            if f in values and not values[f]:
                values[f] = previous.get(f, "")
        previous.update({f: values[f] for f in FILL_DOWN if f in values})
        location = Location(file=table.path, row=number, sheet=table.sheet)
        if not values.get("matter"):
            out.unrecognized.append(UnrecognizedText("，".join(c for c in cells if c), location, "该行没有事项名称"))
            continue
        out.list_items.append(
            ListItem(
                department=values.get("department") or hint,
                matter=values["matter"],
                power_type=values.get("power_type", ""),
                basis=values.get("basis", ""),
                responsibility=values.get("responsibility", ""),
                handling_unit=values.get("handling_unit", ""),
                location=location,
                sub_item=values.get("sub_item", ""),
                columns={h: c for h, c in zip(header, cells)},
            )
        )
    if not out.list_items:
        out.notes.append("表头之后没有数据行")
    return out
