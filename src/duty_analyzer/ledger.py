"""findings.xlsx — the review ledger (问题台账) staff work in, in Excel or WPS.

Sheets: 问题台账 (one row per finding, drop-down lists for 状态 / 问题类别 / 建议处置 so edits stay valid),
职责交叉 (topic × department matrix), 热线争议 (hot spots), 统计 (counts). Every text cell is masked
upstream and neutralised here so that nothing in the ledger runs as a formula.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .findings import CATEGORIES, DISPOSITIONS, STATUSES
from .hotline import HOTSPOT_HEADER, HotlineAnalysis, hotspot_row
from .names import short_name
from .overlaps import CROSS, OverlapReport
from .tables import atomic_target, neutral_row, neutralise, unneutralise
from .workspace import LedgerRow

LEDGER_SHEET = "问题台账"
LEDGER_HEADER = ["编号", "问题类别", "问题描述", "涉及部门", "依据与证据", "来源", "置信度", "建议处置", "状态", "复核意见", "复核人", "复核日期", "变化"]
WIDTHS = [16, 22, 60, 28, 70, 12, 8, 18, 10, 30, 10, 12, 8]


def ledger_row(r: LedgerRow) -> list[object]:
    f = r.finding
    return [
        f.id, f.category, f.description, "、".join(short_name(d) for d in f.departments), f.evidence, f.source,
        f.confidence, f.disposition, r.status, r.comment, r.reviewer, r.review_date, r.presence,
    ]


def _sheet(wb, title: str, header: list[str], rows: list[list[object]], widths: list[int] | None = None):
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    ws.append(neutral_row(header))
    for row in rows:
        ws.append([neutralise(v) for v in row])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = ws.dimensions
    for i, width in enumerate(widths or [max(8, min(40, max(len(str(r[i])) for r in [header] + rows) + 2)) for i in range(len(header))], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    return ws


def _validation(ws, column: str, values: tuple[str, ...], rows: int) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True, showErrorMessage=True)
    dv.error, dv.errorTitle = f"请从列表中选择：{'、'.join(values)}", "取值无效"
    ws.add_data_validation(dv)
    dv.add(f"{column}2:{column}{max(rows + 1, 2) + 500}")


def write_ledger(path: Path, rows: list[LedgerRow], overlaps: OverlapReport, hotline: HotlineAnalysis | None) -> None:
    import openpyxl
    from openpyxl.utils import get_column_letter

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    ws = _sheet(wb, LEDGER_SHEET, LEDGER_HEADER, [ledger_row(r) for r in rows], WIDTHS)
    for name, values in (("问题类别", CATEGORIES), ("建议处置", DISPOSITIONS), ("状态", STATUSES)):
        _validation(ws, get_column_letter(LEDGER_HEADER.index(name) + 1), values, len(rows))

    cross = [o for o in overlaps.overlaps if o.kind == CROSS]
    departments = sorted({d for o in cross for d in o.departments})
    matrix = [[o.id, o.topic, "是" if o.settled else "否"] + ["●" if d in o.departments else "" for d in departments] for o in cross]
    _sheet(wb, "职责交叉", ["编号", "事项", "已有职责分工"] + [short_name(d) for d in departments], matrix)

    spots = [hotspot_row(h) for h in hotline.ranked()] if hotline else []
    _sheet(wb, "热线争议", HOTSPOT_HEADER, spots)

    stats: list[list[object]] = []
    for label, counter in (
        ("问题类别", Counter(r.finding.category for r in rows)),
        ("来源", Counter(r.finding.source for r in rows)),
        ("状态", Counter(r.status for r in rows)),
        ("涉及部门", Counter(short_name(d) for r in rows for d in r.finding.departments)),
    ):
        stats.extend([label, k, n] for k, n in counter.most_common())
    _sheet(wb, "统计", ["维度", "取值", "数量"], stats)

    with atomic_target(path) as tmp:
        wb.save(str(tmp))


def read_ledger(path: Path) -> list[dict[str, str]]:
    """Rows of the 问题台账 sheet as {header: value}, with the spreadsheet row number under '_row'."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    except Exception as exc:
        raise ValueError(f"{path}：无法打开（{type(exc).__name__}）") from None
    if LEDGER_SHEET not in wb.sheetnames:
        raise ValueError(f"{path}：找不到“{LEDGER_SHEET}”工作表")
    rows = list(wb[LEDGER_SHEET].iter_rows(values_only=True))
    wb.close()
    if not rows or "编号" not in rows[0]:
        raise ValueError(f"{path}：“{LEDGER_SHEET}”工作表第一行不是表头")
    header = [str(h or "") for h in rows[0]]
    return [
        {"_row": str(i), **{h: ("" if v is None else unneutralise(str(v))) for h, v in zip(header, row)}}
        for i, row in enumerate(rows[1:], start=2)
        if any(v not in (None, "") for v in row)
    ]
