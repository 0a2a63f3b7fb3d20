"""findings.xlsx — the review ledger (问题台账) staff work in, in Excel, WPS or LibreOffice, and print.

Sheets: 问题台账 (one row per finding, drop-down lists for 状态 / 问题类别 / 建议处置 so edits stay valid),
职责交叉 (topic × department matrix), 热线争议 (hot spots), 统计 (COUNTIFS formulas over the ledger, so
they follow the reviewers' edits; every failed file and warning), 说明 (what the columns and 置信度 mean per
source), and a hidden 台账信息 sheet: the workspace and analysis the ledger came from and each row's state at
export, which `review import` needs to apply only what the reviewer changed.

Written with openpyxl: it is already the reader `review import` uses, and it covers what printing needs
(A4 landscape, fit to one page wide, print titles, row heights, formulas, hidden sheets); XlsxWriter would
add a second library for the same features. Each sheet is one builder function over a `LedgerContext`
(`SHEETS`); a new sheet is a new builder passed as `extra_sheets`. Every text cell is masked upstream and
neutralised here so that nothing in the ledger runs as a formula.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .findings import CATEGORIES, DISPOSITIONS, MANUAL, STATUSES, file_label
from .hotline import HOTSPOT_HEADER, HotlineAnalysis, hotspot_row
from .model import FileError
from .names import short_name
from .overlaps import CROSS, OverlapReport
from .tables import atomic_target, neutral_row, neutralise, unneutralise
from .workspace import EDITABLE, GONE, LedgerMeta, LedgerRow

LEDGER_SHEET, META_SHEET = "问题台账", "台账信息"
LEDGER_HEADER = ["序号", "编号", "问题类别", "问题描述", "涉及部门", "依据与证据", "来源", "置信度", "建议处置", "状态",
                 "复核意见", "复核人", "复核日期", "变化"]
WIDTHS = [5, 14, 13, 38, 13, 44, 8, 7, 11, 7, 16, 7, 10, 7]
FONT_SIZE, LINE_HEIGHT = 10, 13.0  # points; a wrapped line of 10-point CJK text
# A 10-point CJK character takes about 1.75 column units (measured on LibreOffice's PDF of the sample ledger:
# 27 characters on a 44-unit line; Excel with 等线 is a little wider), against 2 for widths.
WRAP_FACTOR = 0.875
MAX_ROW_HEIGHT = 409  # Excel's limit
AUTO_WIDTH_CAP = 26  # measured columns wrap beyond this, so a wide sheet still prints legibly on one page width
LAST_ROW = 20000  # formula ranges reach past the exported rows so rows reviewers add are counted

# What 置信度 means for each source (the 说明 sheet).
CONFIDENCE_MEANING = {
    "职责交叉": "两个部门最相近的两条职责的相似度（词面或语义），越高越像同一件事",
    "三定清单对照": "1 − 与最接近的对照条目的相似度：越高越确定没有对应条目",
    "热线争议": "工单数 ÷ 10（封顶 100%）：热点越集中越高",
    "访谈记录": "分类模型给第一类别的概率；低于 50% 或与次选相差不到 20% 的标“需复核”",
    MANUAL: "复核人员补充的问题，记为 100%",
}


@dataclass
class LedgerContext:
    """Everything a sheet builder may use."""

    rows: list[LedgerRow]
    overlaps: OverlapReport
    hotline: HotlineAnalysis | None
    errors: list[FileError] = field(default_factory=list)
    meta: LedgerMeta | None = None

    @property
    def id_map(self) -> dict[str, str]:
        """Ids other outputs use (overlaps.json) → the ledger's id for the same finding."""
        out = {}
        for r in self.rows:
            for a in r.finding.aliases:
                out.setdefault(a, r.finding.id)
        return out


SheetBuilder = Callable[[object, LedgerContext], None]


def text_width(text: str) -> int:
    """Display width in column units: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap_width(text: str) -> float:
    """Width a wrapped line really takes: CJK characters at WRAP_FACTOR × 2; other text a little wider than
    one unit, because lines break only between words (2026-01 3；2026-02 3 …)."""
    return sum(2 * WRAP_FACTOR if unicodedata.east_asian_width(ch) in "WF" else 1.15 for ch in text)


def lines_needed(value: object, width: float) -> int:
    if value is None or value == "":
        return 1
    per_line = max(1.0, width - 1)
    return sum(max(1, math.ceil(wrap_width(part) / per_line)) for part in str(value).split("\n"))


def row_height(values: Sequence[object], widths: Sequence[float]) -> float:
    lines = max(lines_needed(v, w) for v, w in zip(values, widths))
    return min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT + 3)


def ledger_row(r: LedgerRow, number: int | str = "") -> list[object]:
    f = r.finding
    return [
        number, f.id, f.category, f.description, "、".join(short_name(d) for d in f.departments), f.evidence, f.source,
        f.confidence, f.disposition, r.status, r.comment, r.reviewer, r.review_date, r.presence,
    ]


def page_setup(ws, title: str, repeat_header: bool = True) -> None:
    """A4 landscape, one page wide, header row on every page, page numbers in the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top, ws.page_margins.bottom = 0.75, 0.6
    ws.page_margins.header, ws.page_margins.footer = 0.3, 0.25
    ws.print_options.horizontalCentered = True
    if repeat_header:
        ws.print_title_rows = "1:1"
    ws.oddHeader.center.text = title
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def fill_sheet(wb, title: str, header: list[str], rows: Iterable[Sequence[object]], widths: Sequence[float] | None = None,
               heights: bool = True):
    """A sheet with a bold header, wrapped cells, column widths (measured when not given), row heights from
    the text, frozen header, filter and print setup."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    rows = [list(r) for r in rows]
    ws = wb.create_sheet(title)
    ws.append(neutral_row(header))
    for row in rows:
        ws.append([neutralise(v) for v in row])
    if widths is None:
        widths = [max(6, min(AUTO_WIDTH_CAP, max(text_width(str(r[i])) if i < len(r) and r[i] is not None else 0 for r in [header] + rows) + 2))
                  for i in range(len(header))]
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in ws[1]:
        cell.font = Font(bold=True, size=FONT_SIZE)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = border
    ws.row_dimensions[1].height = row_height(header, widths)
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = ws.dimensions
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    wrap, font = Alignment(wrap_text=True, vertical="top"), Font(size=FONT_SIZE)
    for i, row in enumerate(ws.iter_rows(min_row=2), start=2):
        for cell in row:
            cell.alignment, cell.font, cell.border = wrap, font, border
        if heights:
            ws.row_dimensions[i].height = row_height(rows[i - 2], widths)
    page_setup(ws, title)
    return ws


def _validation(ws, column: str, values: tuple[str, ...]) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True, showErrorMessage=True)
    dv.error, dv.errorTitle = f"请从列表中选择：{'、'.join(values)}", "取值无效"
    ws.add_data_validation(dv)
    dv.add(f"{column}2:{column}{LAST_ROW}")


def col(name: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(LEDGER_HEADER.index(name) + 1)


# ---------------------------------------------------------------- sheet builders

def ledger_sheet(wb, ctx: LedgerContext) -> None:
    ws = fill_sheet(wb, LEDGER_SHEET, LEDGER_HEADER, [ledger_row(r, i) for i, r in enumerate(ctx.rows, start=1)], WIDTHS)
    for name, values in (("问题类别", CATEGORIES), ("建议处置", DISPOSITIONS), ("状态", STATUSES)):
        _validation(ws, col(name), values)
    for cell in ws[col("置信度")][1:]:
        cell.number_format = "0%"


def overlap_sheet(wb, ctx: LedgerContext) -> None:
    ids = ctx.id_map
    cross = [o for o in ctx.overlaps.overlaps if o.kind == CROSS]
    departments = sorted({d for o in cross for d in o.departments})
    matrix = [[ids.get(o.id, o.id), o.topic, "是" if o.settled else "否"] + ["●" if d in o.departments else "" for d in departments] for o in cross]
    header = ["编号", "事项", "已有职责分工"] + [short_name(d) for d in departments]
    ws = fill_sheet(wb, "职责交叉", header, matrix, [14, 24, 8] + [max(5, min(12, text_width(short_name(d)) // 2 + 2)) for d in departments])
    from openpyxl.styles import Alignment

    for row in ws.iter_rows(min_row=1, min_col=4):
        for cell in row:
            cell.alignment = Alignment(horizontal="center", vertical="center" if cell.row > 1 else "bottom", wrap_text=True,
                                       textRotation=90 if cell.row == 1 and len(departments) > 12 else 0)


def hotline_sheet(wb, ctx: LedgerContext) -> None:
    ids = ctx.id_map
    header = list(HOTSPOT_HEADER)
    spots = [list(hotspot_row(h)) for h in ctx.hotline.ranked()] if ctx.hotline else []
    if "关联编号" in header:
        k = header.index("关联编号")
        for s in spots:
            s[k] = ids.get(s[k], s[k])
    fill_sheet(wb, "热线争议", header, spots)


STATS_HEADER = ["维度", "取值", "问题数", "已确认", "整改中", "已销号", "不予采纳"]


def stats_sheet(wb, ctx: LedgerContext) -> None:
    """Counts as formulas over the ledger, so they follow the reviewers' edits (问题数 leaves out 已消失 and
    不予采纳): COUNTIFS, and SUMPRODUCT for departments (one name among several in a cell); then every file
    problem."""
    last = max(LAST_ROW // 10, len(ctx.rows) + 1001)  # room for rows reviewers add; SUMPRODUCT reads every cell
    rng = lambda name: f"'{LEDGER_SHEET}'!${col(name)}$2:${col(name)}${last}"  # noqa: E731
    present = f'{rng("变化")},"<>{GONE}"'
    current = [r for r in ctx.rows if r.presence != GONE]
    dims: list[tuple[str, str, list[str], bool]] = [
        ("问题类别", "问题类别", list(dict.fromkeys([*CATEGORIES, *(r.finding.category for r in current)])), False),
        ("来源", "来源", list(dict.fromkeys(r.finding.source for r in ctx.rows)), False),
        ("建议处置", "建议处置", list(DISPOSITIONS), False),
        ("涉及部门", "涉及部门", sorted({short_name(d) for r in current for d in r.finding.departments}), True),
    ]
    rows: list[list[object]] = [["合计", "全部问题"] + [None] * 5]
    formulas: list[tuple[str, str, bool]] = [("编号", "?*", False)]
    for label, column, values, contains in dims:
        for v in values:
            rows.append([label, v] + [None] * 5)
            formulas.append((column, v, contains))
    rows.append(["状态", "（按状态）"] + [None] * 5)
    formulas.append(("", "", False))
    for s in STATUSES:
        rows.append(["状态", s] + [None] * 5)
        formulas.append(("状态", s, False))
    ws = fill_sheet(wb, "统计", STATS_HEADER, rows, [10, 26, 8, 8, 8, 8, 9], heights=False)
    for i, (column, value, contains) in enumerate(formulas, start=2):
        if not column:
            for c in range(3, 8):
                ws.cell(i, c).value = None
            continue
        if contains:  # one of the names in a "甲局、乙局" cell, exactly (城管局 is not 云城区城管局)
            hit = f'ISNUMBER(FIND("、"&$B{i}&"、","、"&{rng(column)}&"、"))*({rng("变化")}<>"{GONE}")'
            ws.cell(i, 3).value = f'=SUMPRODUCT({hit}*({rng("状态")}<>"不予采纳"))'
            for c, status in zip(range(4, 8), ("已确认", "整改中", "已销号", "不予采纳")):
                ws.cell(i, c).value = f'=SUMPRODUCT({hit}*({rng("状态")}="{status}"))'
            continue
        crit = f'"{value}"' if column == "编号" else f"$B{i}"
        base = f"{rng(column)},{crit},{present}"
        ws.cell(i, 3).value = f'=COUNTIFS({base},{rng("状态")},"<>不予采纳")'
        for c, status in zip(range(4, 8), ("已确认", "整改中", "已销号", "不予采纳")):
            ws.cell(i, c).value = f'=COUNTIFS({base},{rng("状态")},"{status}")'
    # Files that failed or parsed with a caveat, after a blank row.
    start = len(rows) + 3
    from openpyxl.styles import Alignment, Font

    ws.cell(start, 1).value, ws.cell(start, 1).font = "文件问题", Font(bold=True, size=FONT_SIZE)
    ws.cell(start, 2).value = f"失败 {sum(not e.is_warning for e in ctx.errors)} 个，提示 {sum(e.is_warning for e in ctx.errors)} 个"
    for k, (title) in enumerate(("级别", "文件", "原因"), start=1):
        ws.cell(start + 1, k).value, ws.cell(start + 1, k).font = title, Font(bold=True, size=FONT_SIZE)
    for j, e in enumerate(ctx.errors, start=start + 2):
        ws.cell(j, 1).value = "提示" if e.is_warning else "失败"
        ws.cell(j, 2).value = neutralise(file_label(e.path))
        ws.cell(j, 3).value = neutralise(e.message)
        ws.cell(j, 3).alignment = Alignment(wrap_text=True, vertical="top")
    if ctx.errors:
        ws.column_dimensions["C"].width = max(ws.column_dimensions["C"].width, 8)
        ws.merge_cells(start_row=start, start_column=2, end_row=start, end_column=7)
        for j in range(start + 2, start + 2 + len(ctx.errors)):
            ws.merge_cells(start_row=j, start_column=3, end_row=j, end_column=7)
            ws.row_dimensions[j].height = row_height([ws.cell(j, 3).value], [41])


def notes_sheet(wb, ctx: LedgerContext) -> None:
    rows = [["置信度", f"来源为“{source}”时：{meaning}"] for source, meaning in CONFIDENCE_MEANING.items()]
    rows += [
        ["变化", "新增：本次运行首次发现；持续：与上次相同；范围变化：同一事项涉及的部门有增减，原处理决定保留；已消失：本次运行未再发现（决定仍保留）"],
        ["状态", "、".join(STATUSES) + "。标“不予采纳”的问题不计入统计和报告"],
        ["建议处置", "需被评估单位整改：由被评估部门自行整改；需编办关注解决：由编办协调或调整职责；纳入改革政策储备：留待下一轮机构改革"],
        ["复核", "可修改“问题类别、建议处置、状态、复核意见、复核人、复核日期”各列后运行 review import 导入；"
                 "在末尾新增一行（编号留空，填写问题描述和问题类别）即可补充现场发现的问题"],
        ["编号", "由问题涉及的事项生成，部门增减或改名后不变；请勿修改"],
        ["个人信息", "姓名、手机号、身份证号等已遮盖"],
    ]
    fill_sheet(wb, "说明", ["项目", "说明"], rows, [12, 100])


def meta_sheet(wb, ctx: LedgerContext) -> None:
    """The export state `review import` compares against; hidden, ignored by people."""
    if ctx.meta is None:
        return
    ws = wb.create_sheet(META_SHEET)
    m = ctx.meta
    ws.append(["本表由工具维护，用于安全导入复核结果，请勿修改"])
    for key, value in (("工作区编号", m.workspace_id), ("工作区", m.workspace), ("工作区版本", m.revision),
                       ("分析", m.analysis), ("导出时间", m.exported_at)):
        ws.append([key, neutralise(str(value))])
    ws.append([])
    ws.append(["编号", *EDITABLE])
    for fid, state in m.rows.items():
        ws.append([fid, *(neutralise(state.get(c, "")) for c in EDITABLE)])
    ws.sheet_state = "hidden"


SHEETS: list[SheetBuilder] = [ledger_sheet, overlap_sheet, hotline_sheet, stats_sheet, notes_sheet]


def write_ledger(path: Path, rows: list[LedgerRow], overlaps: OverlapReport, hotline: HotlineAnalysis | None,
                 errors: Sequence[FileError] = (), meta: LedgerMeta | None = None,
                 extra_sheets: Sequence[SheetBuilder] = ()) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    ctx = LedgerContext(rows, overlaps, hotline, list(errors), meta)
    for build in [*SHEETS, *extra_sheets, meta_sheet]:
        build(wb, ctx)
    wb.calculation.fullCalcOnLoad = True
    wb.properties.title = "问题台账"
    with atomic_target(path) as tmp:
        wb.save(str(tmp))


# ---------------------------------------------------------------- reading back

@dataclass
class ReviewFile:
    header: list[str]
    rows: list[dict[str, str]]
    meta: LedgerMeta | None


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if hasattr(v, "strftime"):
        return v.strftime("%Y-%m-%d")
    return unneutralise(str(v))


def _read_meta(ws) -> LedgerMeta | None:
    values = [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
    kv = {r[0]: r[1] for r in values if len(r) >= 2 and r[0]}
    try:
        start = next(i for i, r in enumerate(values) if r and r[0] == "编号")
        meta = LedgerMeta(kv["工作区编号"], kv["工作区"], int(kv["工作区版本"]), kv.get("分析", ""), kv.get("导出时间", ""))
    except (StopIteration, KeyError, ValueError):
        return None
    columns = values[start][1:]
    for r in values[start + 1:]:
        if r and r[0]:
            meta.rows[r[0]] = {c: (r[k + 1] if k + 1 < len(r) else "") for k, c in enumerate(columns)}
    return meta


def read_review(path: Path) -> ReviewFile:
    """The 问题台账 rows of an edited ledger (.xlsx, also after a WPS/LibreOffice save, or a .csv export of
    it) as {header: value} with the spreadsheet row under '_row', and the export state when it has one."""
    if path.suffix.lower() in (".csv", ".txt"):
        from .parse.errors import ParseError
        from .tables import read_rows

        try:
            table = read_rows(path, "编号")
        except ParseError as exc:
            raise ValueError(f"{path}：{exc.message}") from None
        header = [h.strip() for h in table.header]
        rows = [{"_row": str(i), **dict(zip(header, (c.strip() for c in r)))} for i, r in enumerate(table.rows, start=2)]
        return ReviewFile(header, [r for r in rows if any(v for k, v in r.items() if k != "_row")], None)
    import openpyxl

    try:
        wb = openpyxl.load_workbook(str(path), data_only=True)
    except Exception as exc:
        kind = path.suffix.lower() or "无扩展名"
        raise ValueError(f"{path}：无法作为 .xlsx 问题台账打开（{kind} 文件，{type(exc).__name__}）；"
                         "请在 Excel/WPS 中另存为 .xlsx 或 .csv 后再导入") from None
    if LEDGER_SHEET not in wb.sheetnames:
        raise ValueError(f"{path}：找不到“{LEDGER_SHEET}”工作表")
    rows = list(wb[LEDGER_SHEET].iter_rows(values_only=True))
    meta = _read_meta(wb[META_SHEET]) if META_SHEET in wb.sheetnames else None
    wb.close()
    if not rows or "编号" not in rows[0]:
        raise ValueError(f"{path}：“{LEDGER_SHEET}”工作表第一行不是表头（应含“编号”列）")
    header = [str(h or "").strip() for h in rows[0]]
    data = [
        {"_row": str(i), **{h: _cell(v) for h, v in zip(header, row) if h}}
        for i, row in enumerate(rows[1:], start=2)
        if any(v not in (None, "") for j, v in enumerate(row) if j < len(header) and header[j] not in ("序号", ""))
    ]
    return ReviewFile(header, data, meta)


def read_ledger(path: Path) -> list[dict[str, str]]:
    """Rows of the 问题台账 sheet as {header: value}, with the spreadsheet row number under '_row'."""
    return read_review(path).rows
