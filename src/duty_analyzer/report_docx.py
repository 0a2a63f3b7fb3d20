"""report.docx — the report as a Word document, the form assessment rounds hand to leaders.

Same content as report.html (`report.build_content`: masked findings, 不予采纳 left out): headings, 主要发现,
charts as PNG images drawn with Pillow, 问题分析 with a table of findings and evidence per category, and
意见建议 grouped by 建议处置. Charts need a CJK font on the machine (Noto/Source Han, WenQuanYi, Microsoft
YaHei, PingFang…); without one the chart's numbers are given as a table instead.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from .findings import file_label
from .hotline import HotlineAnalysis
from .model import FileError
from .names import short_name
from .overlaps import OverlapReport
from .report import COLORS, NUMERALS, PER_CATEGORY, ReportContent, build_content, nice_ticks
from .tables import atomic_target
from .workspace import LedgerRow

FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/adobe-source-han-sans/SourceHanSansSC-Regular.otf",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
)


@lru_cache(maxsize=1)
def cjk_font_path() -> str | None:
    """A font file that can draw Chinese, or None."""
    for p in FONT_CANDIDATES:
        if Path(p).is_file():
            return p
    for folder in ("/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".fonts")):
        root = Path(folder)
        if root.is_dir():
            for f in sorted(root.rglob("*")):
                if f.suffix.lower() in (".ttc", ".otf", ".ttf") and any(k in f.name for k in ("CJK", "Han", "wqy", "YaHei", "Hei")):
                    return str(f)
    return None


def _hex(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def bar_png(title: str, items: list[tuple[str, int]], unit: str = "项") -> bytes | None:
    """Horizontal bars with an x axis, ticks and the value at each bar, as PNG (2× for print)."""
    font_path = cjk_font_path()
    if font_path is None or not items:
        return None
    from PIL import Image, ImageDraw, ImageFont

    s = 2
    font, small, bold = (ImageFont.truetype(font_path, size * s) for size in (13, 11, 15))
    row, label_w, right, top = 26 * s, 200 * s, 40 * s, 34 * s
    width, height = 640 * s, top + row * len(items) + 40 * s
    img = Image.new("RGB", (width, height), "white")
    d = ImageDraw.Draw(img)
    d.text((0, 4 * s), title, fill="black", font=bold)
    ticks = nice_ticks(max(n for _, n in items))
    span, plot_w, bottom = ticks[-1] or 1, width - label_w - right, top + row * len(items)
    for t in ticks:
        x = label_w + plot_w * t / span
        d.line([(x, top - 4 * s), (x, bottom)], fill=(221, 221, 221), width=1)
        d.text((x, bottom + 4 * s), str(t), fill=(80, 80, 80), font=small, anchor="mt")
    d.line([(label_w, bottom), (label_w + plot_w, bottom)], fill=(100, 100, 100), width=s)
    d.line([(label_w, top - 4 * s), (label_w, bottom)], fill=(100, 100, 100), width=s)
    d.text((label_w + plot_w, bottom + 20 * s), f"{unit}数", fill=(80, 80, 80), font=small, anchor="rt")
    for i, (label, n) in enumerate(items):
        y = top + i * row
        w = plot_w * n / span
        d.text((label_w - 6 * s, y + 9 * s), label[:14], fill="black", font=font, anchor="rm")
        d.rectangle([label_w, y, label_w + max(w, 1), y + row - 8 * s], fill=_hex(COLORS[i % len(COLORS)]))
        d.text((label_w + w + 4 * s, y + 9 * s), str(n), fill="black", font=font, anchor="lm")
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def line_png(title: str, months: list[tuple[str, int]]) -> bytes | None:
    """Disputes per month: y axis with ticks, values on the points."""
    font_path = cjk_font_path()
    if font_path is None or not months:
        return None
    from PIL import Image, ImageDraw, ImageFont

    s = 2
    font, small, bold = (ImageFont.truetype(font_path, size * s) for size in (12, 11, 15))
    width, height = 640 * s, 240 * s
    left, top, bottom, right = 56 * s, 62 * s, height - 36 * s, width - 30 * s
    pad = 18 * s  # keeps the first point and its value off the y axis
    img = Image.new("RGB", (width, height), "white")
    d = ImageDraw.Draw(img)
    d.text((0, 4 * s), title, fill="black", font=bold)
    ticks = nice_ticks(max(n for _, n in months))
    span = ticks[-1] or 1
    y_of = lambda v: bottom - (bottom - top) * v / span  # noqa: E731
    step = (right - left - 2 * pad) / max(1, len(months) - 1)
    for t in ticks:
        d.line([(left, y_of(t)), (right, y_of(t))], fill=(227, 227, 227), width=1)
        d.text((left - 6 * s, y_of(t)), str(t), fill=(80, 80, 80), font=small, anchor="rm")
    d.line([(left, top), (left, bottom)], fill=(100, 100, 100), width=s)
    d.line([(left, bottom), (right, bottom)], fill=(100, 100, 100), width=s)
    d.text((4 * s, top - 24 * s), "工单数", fill=(80, 80, 80), font=small)
    pts = [(left + pad + k * step, y_of(n)) for k, (_, n) in enumerate(months)]
    d.line(pts, fill=_hex(COLORS[0]), width=3 * s)
    for (x, y), (m, n) in zip(pts, months):
        d.ellipse([x - 4 * s, y - 4 * s, x + 4 * s, y + 4 * s], fill=_hex(COLORS[0]))
        d.text((x, y - 8 * s), str(n), fill="black", font=small, anchor="mb")
        d.text((x, bottom + 6 * s), m[2:], fill=(80, 80, 80), font=small, anchor="mt")
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def add_table(doc, header: list[str], rows: list[list[str]], widths_cm: list[float] | None = None):
    from docx.shared import Cm, Pt

    t = doc.add_table(rows=1, cols=len(header))
    t.style = "Table Grid"
    for cell, h in zip(t.rows[0].cells, header):
        cell.text = h
        for r in cell.paragraphs[0].runs:
            r.bold = True
    for values in rows:
        cells = t.add_row().cells
        for cell, v in zip(cells, values):
            cell.text = str(v)
    if widths_cm:  # Word reads the cell widths, LibreOffice the grid: set both
        t.autofit = False
        for k, w in enumerate(widths_cm):
            t.columns[k].width = Cm(w)
    for row in t.rows:
        for k, cell in enumerate(row.cells):
            if widths_cm:
                cell.width = Cm(widths_cm[k])
            for p in cell.paragraphs:
                for r in p.runs:
                    r.font.size = Pt(9)
    return t


def add_chart(doc, png: bytes | None, title: str, items: list[tuple[str, int]]) -> None:
    from docx.shared import Cm

    if png is not None:
        doc.add_picture(io.BytesIO(png), width=Cm(16))
    else:
        doc.add_paragraph(title)
        add_table(doc, ["项目", "数量"], [[k, str(n)] for k, n in items])


def build_document(c: ReportContent, extras=()):
    """`extras`: callables given the document and the next heading numeral (e.g. the scorecard section)."""
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin = section.bottom_margin = Cm(2.0)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(11)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    for name in ("Title", "Heading 1", "Heading 2"):
        doc.styles[name].element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "黑体")
    doc.core_properties.title = c.title
    doc.add_heading(c.title, 0)
    doc.add_paragraph(f"生成日期：{c.day}。本报告由工具初筛生成，所列问题均需人工复核；标为“不予采纳”的问题"
                      f"（{c.rejected} 项）不列入、不计数；个人信息已遮盖。")
    if c.errors:
        fails = [e for e in c.errors if not e.is_warning]
        doc.add_paragraph(f"文件问题：失败 {len(fails)} 个，提示 {len(c.errors) - len(fails)} 个（失败的文件未纳入分析）")
        for e in fails + [e for e in c.errors if e.is_warning]:
            doc.add_paragraph(f"{'提示' if e.is_warning else '失败'}：{file_label(e.path)}：{e.message}", style="List Bullet")
    add_table(doc, [k for k, _ in c.cards], [[str(n) for _, n in c.cards]])

    doc.add_heading("一、主要发现", 1)
    for p in c.findings:
        doc.add_paragraph(p)
    doc.add_heading("二、问题分布", 1)
    add_chart(doc, bar_png("按问题类别", c.by_category), "按问题类别", c.by_category)
    add_chart(doc, bar_png("按涉及部门（前 15）", c.by_department), "按涉及部门（前 15）", c.by_department)
    add_chart(doc, bar_png("按建议处置", c.by_disposition), "按建议处置", c.by_disposition)
    if c.months:
        doc.add_heading("12345 退单争议按月分布", 2)
        add_chart(doc, line_png("热线争议工单按月分布", c.months), "热线争议工单按月分布", c.months)
    doc.add_heading("三、问题分析", 1)
    for (category, paragraph), (_, items) in zip(c.analysis, c.by_category_rows):
        doc.add_heading(category, 2)
        doc.add_paragraph(paragraph)
        add_table(doc, ["编号", "问题描述", "涉及部门", "依据与证据", "状态"],
               [[r.finding.id, r.finding.description, "、".join(short_name(d) for d in r.finding.departments), r.finding.evidence, r.status]
                for r in items[:PER_CATEGORY]], [2.4, 5.0, 2.2, 5.6, 1.6])
        if len(items) > PER_CATEGORY:
            doc.add_paragraph(f"另有 {len(items) - PER_CATEGORY} 项，见问题台账 findings.xlsx。")
    doc.add_heading("四、意见建议", 1)
    for disposition, paragraph, items in c.advice:
        doc.add_heading(disposition, 2)
        doc.add_paragraph(paragraph)
        for r in items[:PER_CATEGORY]:
            doc.add_paragraph(f"{r.finding.description[:80]}（{r.finding.id}）", style="List Bullet")
        if len(items) > PER_CATEGORY:
            doc.add_paragraph(f"另有 {len(items) - PER_CATEGORY} 项，见问题台账。")
    for numeral, add in zip(NUMERALS[4:], extras):
        add(doc, numeral)
    return doc


def write_docx(path: Path, rows: list[LedgerRow], overlaps: OverlapReport, hotline: HotlineAnalysis | None,
               title: str = "机构编制评估问题初筛报告", errors: list[FileError] | None = None, extras=()) -> None:
    doc = build_document(build_content(rows, overlaps, hotline, title, errors), extras)
    with atomic_target(path) as tmp:
        doc.save(str(tmp))
