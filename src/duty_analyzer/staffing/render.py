"""The scorecard in the ledger (a sheet), the HTML report (a section with a chart) and the Word report.

Kept apart from ledger.py / report.py so that those only call one function each.
"""

from __future__ import annotations

import html
from collections import Counter
from pathlib import Path

from ..names import short_name
from .scorecard import DepartmentScore, Scorecard, score_table

SHEET = "部门评分"
GRADE_COLOURS = {"A": "#2e7d32", "B": "#f0a202", "C": "#c62828"}


def add_scorecard_sheet(wb, card: Scorecard, scores: list[DepartmentScore]) -> None:
    """A sheet with one row per department, indicator points and the findings behind each deduction."""
    from ..ledger import fill_sheet

    header, rows = score_table(card, scores, short_name)
    widths = [6, 14, 8, 6] + [11] * len(card.indicators) + [70]
    ws = fill_sheet(wb, SHEET, header, rows, widths)
    ws.freeze_panes = "C2"
    ws.cell(len(rows) + 3, 1, f"评分表：{Path(card.path).name}；总分 {card.total:g} 分；不予采纳的问题不扣分。")


def score_chart_svg(scores: list[DepartmentScore], total: float, width: int = 680) -> str:
    """Horizontal bars with a value axis, value labels and a tooltip per bar (offline, no script)."""
    left, top, bar, gap, right = 120, 30, 18, 6, 60
    height = top + len(scores) * (bar + gap) + 40
    scale = (width - left - right) / (total or 100)
    e = html.escape
    parts = [f'<svg class="chart" data-chart="scorecard" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="部门评分">',
             f'<text class="title" x="{left}" y="18">部门评分（满分 {total:g}）</text>']
    axis_y = top + len(scores) * (bar + gap)
    for tick in range(0, int(total) + 1, 20 if total >= 60 else 10):
        x = left + tick * scale
        parts.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{axis_y}" stroke="#ddd"/>'
                     f'<text class="small" x="{x:.1f}" y="{axis_y + 14}" text-anchor="middle">{tick}</text>')
    parts.append(f'<line x1="{left}" y1="{axis_y}" x2="{width - right}" y2="{axis_y}" stroke="#333"/>')
    for i, s in enumerate(scores):
        y = top + i * (bar + gap)
        tip = f"{short_name(s.department)}：{s.score:g} 分，{s.grade} 级；" + "；".join(f"{d.indicator} -{d.points:g}" for d in s.deductions if d.points)
        parts.append(f'<g><title>{e(tip)}</title>'
                     f'<text x="{left - 6}" y="{y + bar - 4}" text-anchor="end">{e(short_name(s.department))}</text>'
                     f'<rect x="{left}" y="{y}" width="{max(1.0, s.score * scale):.1f}" height="{bar}" fill="{GRADE_COLOURS.get(s.grade, "#888")}"/>'
                     f'<text class="small" x="{left + s.score * scale + 4:.1f}" y="{y + bar - 4}">{s.score:g}（{s.grade}）</text></g>')
    parts.append(f'<text class="small" x="{(left + width - right) / 2:.0f}" y="{axis_y + 30}" text-anchor="middle">得分</text></svg>')
    return "".join(parts)


def grade_counts(scores: list[DepartmentScore]) -> str:
    """'A 级 2 个、B 级 8 个、C 级 4 个' — the words every summary of the grades uses."""
    grades = Counter(s.grade for s in scores)
    return "、".join(f"{g} 级 {grades.get(g, 0)} 个" for g in "ABC")


def lead_text(card: Scorecard, scores: list[DepartmentScore]) -> str:
    lowest = scores[-1]
    return (f"按评分表（{len(card.indicators)} 项指标，满分 {card.total:g} 分）评分：{grade_counts(scores)}部门；"
            f"得分最低的是{short_name(lowest.department)}（{lowest.score:g} 分）。"
            "每项扣分都列出了对应的问题编号；被标为“不予采纳”的问题不扣分。")


def scorecard_section(card: Scorecard, scores: list[DepartmentScore]) -> tuple[str, str]:
    """The report.html section (heading, HTML): the lead in words, the chart, the table with each deduction."""
    e = html.escape
    header, rows = score_table(card, scores, short_name)
    n = len(card.indicators)
    widths = [4, 10, 6, 4] + [round(36 / max(n, 1), 1)] * n + [40]
    cols = "".join(f"<col style='width:{w}%'>" for w in widths)
    table = [f"<table class='long scorecard'><colgroup>{cols}</colgroup><thead><tr>"
             + "".join(f"<th>{e(str(h))}</th>" for h in header) + "</tr></thead><tbody>"]
    for row in rows:
        table.append("<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in row) + "</tr>")
    table.append("</tbody></table>")
    return "部门评分", f"<p>{e(lead_text(card, scores))}</p>{score_chart_svg(scores, card.total)}{''.join(table)}"


def scorecard_docx(card: Scorecard, scores: list[DepartmentScore]):
    """A report.docx part: heading, lead, the score chart as an image (a table without a CJK font), the table."""
    from ..report_docx import add_chart, add_table, bar_png

    def add(doc, numeral: str) -> None:
        doc.add_heading(f"{numeral}、部门评分", 1)
        doc.add_paragraph(lead_text(card, scores))
        items = [(short_name(s.department), s.score) for s in scores]
        add_chart(doc, bar_png("部门评分（满分 %g）" % card.total, items, unit="分"), "部门评分", items)
        header, rows = score_table(card, scores, short_name)
        add_table(doc, header[:4] + ["扣分依据"], [[str(v) for v in r[:4]] + [str(r[-1])] for r in rows], [1.2, 2.6, 1.4, 1.2, 10.6])

    return add


def format_screening(issues) -> str:
    """The Chinese console summary of a screening run."""
    lines = [f"编制数据筛查：发现 {len(issues)} 项问题"]
    for rule, n in Counter(i.rule for i in issues).most_common():
        lines.append(f"  {rule} {n} 项")
    for i in issues:
        lines.append(f"- 【{i.category}】{i.description}")
        lines.extend(f"    依据：{e}" for e in i.evidence)
    return "\n".join(lines)


def format_grades(scores: list[DepartmentScore]) -> str:
    low = scores[-1]
    return (f"部门评分：{grade_counts(scores)}；"
            f"最低 {short_name(low.department)} {low.score:g} 分（明细见 scorecard.csv 和问题台账“{SHEET}”工作表）")
