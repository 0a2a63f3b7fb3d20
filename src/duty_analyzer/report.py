"""report.html — one self-contained page for leaders: narrative, charts, findings by category with evidence.

`build_content` turns the ledger into what every report format shows (report.html here, report.docx in
`report_docx`): counts, a short narrative generated from the data (主要发现, 问题分析, 意见建议 by the three
dispositions) and the findings by category. Findings marked 不予采纳 and vanished ones are left out of
every list and total. No scripts or fonts are fetched: charts are static SVG with axes, values and
<title> tooltips, the CSS is inline and prints on A4; a small inline script marks the page once every
chart has a size, which the headless-browser test reads.
"""

from __future__ import annotations

import html
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .findings import DISPOSITIONS, file_label
from .hotline import HotlineAnalysis
from .model import FileError
from .names import short_name
from .overlaps import CROSS, OverlapReport
from .tables import atomic_target
from .workspace import GONE, LedgerRow

FONT = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC','WenQuanYi Micro Hei',sans-serif"
COLORS = ["#2f6db3", "#e07b39", "#3c9d5d", "#c04848", "#7a5ab8", "#b8932e", "#3aa3b5", "#8a8a8a", "#d45a9a"]
REJECTED = "不予采纳"
PER_CATEGORY = 8  # findings listed per category; the ledger has them all


def _e(text: object) -> str:
    return html.escape(str(text))


def live(rows: list[LedgerRow]) -> list[LedgerRow]:
    """The findings a report counts: present in this run and not rejected by a reviewer."""
    return [r for r in rows if r.presence != GONE and r.status != REJECTED]


@dataclass
class ReportContent:
    title: str
    day: str
    rows: list[LedgerRow]  # live findings, in ledger order
    rejected: int
    cards: list[tuple[str, int]]
    by_category: list[tuple[str, int]]
    by_department: list[tuple[str, int]]
    by_disposition: list[tuple[str, int]]
    months: list[tuple[str, int]]
    findings: list[str]  # 主要发现
    analysis: list[tuple[str, str]]  # 问题分析: (category, paragraph)
    advice: list[tuple[str, str, list[LedgerRow]]]  # 意见建议: (disposition, paragraph, findings)
    by_category_rows: list[tuple[str, list[LedgerRow]]]
    errors: list[FileError] = field(default_factory=list)
    overlaps: list = field(default_factory=list)  # live cross-department overlaps (matrix)


def _pct(n: int, total: int) -> str:
    return f"{n / total:.0%}" if total else "0%"


def _names(items: list[tuple[str, int]], unit: str = "项", k: int = 3) -> str:
    return "、".join(f"{name}（{n} {unit}）" for name, n in items[:k])


def build_content(rows: list[LedgerRow], overlaps: OverlapReport, hotline: HotlineAnalysis | None,
                  title: str = "机构编制评估问题初筛报告", errors: list[FileError] | None = None) -> ReportContent:
    current = live(rows)
    rejected = sum(r.status == REJECTED and r.presence != GONE for r in rows)
    total = len(current)
    by_category = Counter(r.finding.category for r in current).most_common()
    by_department = Counter(short_name(d) for r in current for d in r.finding.departments if not d.startswith("（")).most_common(15)
    by_disposition = [(d, sum(r.finding.disposition == d for r in current)) for d in DISPOSITIONS]
    by_source = Counter(r.finding.source for r in current).most_common()
    alive = {a for r in current for a in (r.finding.id, *r.finding.aliases)}
    cross = [o for o in overlaps.overlaps if o.kind == CROSS and o.id in alive]
    unsettled = [o for o in cross if not o.settled]
    spots = [h for h in (hotline.ranked() if hotline else []) if h.records >= 2]
    month_counts: Counter = Counter()
    for h in hotline.ranked() if hotline else []:
        month_counts.update(h.months)
    months = sorted((m, n) for m, n in month_counts.items() if m)

    findings = [
        f"本轮初筛共梳理出问题 {total} 项{f'（另有 {rejected} 项经复核不予采纳，未计入）' if rejected else ''}，其中"
        + "、".join(f"{s} {n} 项" for s, n in by_source) + "。" if total else "本轮初筛未发现需要复核的问题。",
    ]
    if by_category:
        findings.append(f"从问题类别看，以{_names(by_category)}为主，合计占 {_pct(sum(n for _, n in by_category[:3]), total)}。")
    if by_department:
        findings.append(f"涉及问题较多的部门是{_names(by_department)}。")
    if cross:
        tops = "；".join(f"“{o.topic}”（{'、'.join(short_name(d) for d in o.departments)}）" for o in unsettled[:3])
        findings.append(f"部门间职责交叉 {len(cross)} 项，其中 {len(unsettled)} 项三定尚无职责分工" + (f"，主要是{tops}" if tops else "") + "。")
    if hotline and hotline.records:
        hot = "、".join(f"“{h.topic}”（{h.records} 条，{len(h.bounced)} 个部门退单）" for h in spots[:3])
        unowned = sum(not h.owners and not h.settled for h in spots)
        shared = sum(len(h.owners) >= 2 and not h.settled for h in spots)
        verdicts = "，".join(x for x in (f"{unowned} 个热点各部门三定均未明确承担" if unowned else "",
                                         f"{shared} 个热点多个部门都承担且无职责分工" if shared else "") if x)
        findings.append(f"12345 退单争议工单 {hotline.records} 条" + (f"，热点集中在{hot}" if hot else "")
                        + (f"；{verdicts}" if verdicts else "") + "。")
    if total:
        findings.append("按建议处置，" + "，".join(f"{d} {n} 项" for d, n in by_disposition) + "。")

    grouped: dict[str, list[LedgerRow]] = {}
    for r in current:
        grouped.setdefault(r.finding.category, []).append(r)
    by_category_rows = [(c, grouped[c]) for c, _ in by_category]
    analysis = []
    for category, items in by_category_rows:
        deps = Counter(short_name(d) for r in items for d in r.finding.departments if not d.startswith("（")).most_common(3)
        srcs = Counter(r.finding.source for r in items).most_common()
        analysis.append((category, f"共 {len(items)} 项（" + "、".join(f"{s} {n}" for s, n in srcs) + "）"
                         + (f"，主要涉及{_names(deps)}" if deps else "") + "。"))
    advice = []
    for d in DISPOSITIONS:
        items = [r for r in current if r.finding.disposition == d]
        if not items:
            continue
        cats = Counter(r.finding.category for r in items).most_common(3)
        advice.append((d, f"{len(items)} 项，主要为{_names(cats)}。", items))
    cards = [
        ("问题总数", total), ("职责交叉（部门间）", len(cross)), ("其中尚无职责分工", len(unsettled)),
        ("热线工单", hotline.records if hotline else 0), ("待核实", sum(r.status == "待核实" for r in current)),
        ("已销号", sum(r.status == "已销号" for r in current)), ("不予采纳", rejected),
    ]
    return ReportContent(title, date.today().isoformat(), current, rejected, cards, by_category, by_department,
                         by_disposition, months, findings, analysis, advice, by_category_rows, list(errors or []), cross)


# ---------------------------------------------------------------- SVG charts

def nice_ticks(top: int, count: int = 5) -> list[int]:
    """0 … ≥top in round steps (1, 2, 5 × 10ⁿ)."""
    if top <= 0:
        return [0, 1]
    raw = top / count
    mag = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(s * mag for s in (1, 2, 5, 10) if s * mag >= raw)
    step = max(1, int(step))
    return list(range(0, int(math.ceil(top / step)) * step + 1, step))


def bar_chart(name: str, title: str, items: list[tuple[str, int]], width: int = 530, unit: str = "项") -> str:
    """Horizontal bars with an x axis (ticks, grid), the value at each bar and a tooltip."""
    row, label_w, right = 26, 170, 36
    top_y = 30
    height = row * max(1, len(items)) + top_y + 30
    ticks = nice_ticks(max((n for _, n in items), default=1))
    span, plot_w = ticks[-1] or 1, width - label_w - right
    bottom = top_y + row * max(1, len(items))
    parts = [f'<svg class="chart" data-chart="{_e(name)}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{_e(title)}">',
             f'<text x="0" y="16" class="title">{_e(title)}</text>']
    for t in ticks:
        x = label_w + plot_w * t / span
        parts.append(f'<line class="grid" x1="{x:.1f}" y1="{top_y - 4}" x2="{x:.1f}" y2="{bottom}" stroke="#ddd"/>')
        parts.append(f'<text class="small axis" x="{x:.1f}" y="{bottom + 14}" text-anchor="middle">{t}</text>')
    parts.append(f'<line class="axis" x1="{label_w}" y1="{bottom}" x2="{label_w + plot_w}" y2="{bottom}" stroke="#666"/>')
    parts.append(f'<line class="axis" x1="{label_w}" y1="{top_y - 4}" x2="{label_w}" y2="{bottom}" stroke="#666"/>')
    parts.append(f'<text class="small" x="{label_w + plot_w}" y="{bottom + 27}" text-anchor="end">{_e(unit)}数</text>')
    for i, (label, n) in enumerate(items):
        y = top_y + i * row
        w = plot_w * n / span
        parts.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{_e(label[:14])}</text>')
        parts.append(f'<rect class="bar" x="{label_w}" y="{y}" width="{max(w, 0.5):.1f}" height="{row - 8}" fill="{COLORS[i % len(COLORS)]}">'
                     f'<title>{_e(label)}：{n} {_e(unit)}</title></rect>')
        parts.append(f'<text class="value" x="{label_w + w + 4:.1f}" y="{y + 15}">{n}</text>')
    parts.append("</svg>")
    return "".join(parts)


def matrix_chart(cross: list, limit: int = 20) -> str:
    """Overlap topics × departments: a filled cell where the department claims the topic."""
    cross = cross[:limit]
    departments = sorted({d for o in cross for d in o.departments})
    cell, left, head = 22, 230, 110
    width, height = left + cell * len(departments) + 90, head + cell * len(cross) + 10
    parts = [f'<svg class="chart" data-chart="overlap-matrix" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="职责交叉矩阵">']
    for j, d in enumerate(departments):
        x = left + j * cell + cell / 2
        parts.append(f'<text transform="translate({x:.0f},{head - 6}) rotate(-60)">{_e(short_name(d))}</text>')
    for i, o in enumerate(cross):
        y = head + i * cell
        parts.append(f'<text x="{left - 6}" y="{y + 15}" text-anchor="end">{_e(o.topic[:12])}{"（已分工）" if o.settled else ""}</text>')
        for j, d in enumerate(departments):
            claimed = d in o.departments
            fill = ("#9ec5a5" if o.settled else "#c04848") if claimed else "#f1f1f1"
            tip = f"{o.topic} × {short_name(d)}：{'涉及' + ('（已有职责分工）' if o.settled else '（尚无职责分工）') if claimed else '不涉及'}"
            parts.append(f'<rect class="cell" x="{left + j * cell}" y="{y}" width="{cell - 2}" height="{cell - 2}" fill="{fill}"><title>{_e(tip)}</title></rect>')
    if not cross:
        parts.append('<text x="10" y="30">没有部门间职责交叉</text><rect width="0" height="0"/>')
    parts.append("</svg>")
    return "".join(parts)


def timeline_chart(hotline: HotlineAnalysis | None, width: int = 640, height: int = 240) -> str:
    """Disputes per month with a y axis, values on the points and tooltips; the three largest hot spots apart."""
    spots = hotline.ranked() if hotline else []
    months = sorted({m for h in spots for m in h.months if m})
    parts = [f'<svg class="chart" data-chart="hotline-timeline" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="热线争议按月分布">']
    if not months:
        parts.append('<text x="10" y="30">没有热线工单</text><rect width="0" height="0"/></svg>')
        return "".join(parts)
    series = [("全部", Counter())] + [(h.topic, h.months) for h in spots[:3]]
    for h in spots:
        series[0][1].update(h.months)
    ticks = nice_ticks(max(max(c.values(), default=0) for _, c in series))
    span = ticks[-1] or 1
    left, top, bottom, right = 46, 34, height - 36, width - 120
    pad = 16  # keeps the first point and its value off the y axis
    step = (right - left - 2 * pad) / max(1, len(months) - 1)
    y_of = lambda v: bottom - (bottom - top) * v / span  # noqa: E731
    for t in ticks:
        parts.append(f'<line class="grid" x1="{left}" y1="{y_of(t):.1f}" x2="{right}" y2="{y_of(t):.1f}" stroke="#e3e3e3"/>')
        parts.append(f'<text class="small axis" x="{left - 6}" y="{y_of(t) + 4:.1f}" text-anchor="end">{t}</text>')
    parts.append(f'<line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="#666"/>')
    parts.append(f'<line class="axis" x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#666"/>')
    parts.append(f'<text class="small" x="{left - 40}" y="{top - 20}">工单数</text>')
    for k, m in enumerate(months):
        parts.append(f'<text x="{left + pad + k * step:.0f}" y="{bottom + 16}" text-anchor="middle" class="small axis">{_e(m[2:])}</text>')
    for s, (label, counts) in enumerate(series):
        pts = [(left + pad + k * step, y_of(counts.get(m, 0)), m, counts.get(m, 0)) for k, m in enumerate(months)]
        parts.append(f'<polyline class="line" points="{" ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in pts)}" fill="none" stroke="{COLORS[s]}" stroke-width="{3 if s == 0 else 2}"/>')
        for x, y, m, v in pts:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{3.5 if s == 0 else 2.5}" fill="{COLORS[s]}"><title>{_e(label)} {_e(m)}：{v} 条</title></circle>')
            if s == 0:
                parts.append(f'<text class="small value" x="{x:.1f}" y="{y - 7:.1f}" text-anchor="middle">{v}</text>')
        parts.append(f'<text x="{right + 10}" y="{30 + s * 18}" fill="{COLORS[s]}">{_e(label[:8])}</text>')
    parts.append("</svg>")
    return "".join(parts)


CSS = f"""
body{{font-family:{FONT};margin:24px auto;max-width:1100px;color:#222;line-height:1.6}}
h1{{font-size:24px}} h2{{font-size:19px;border-bottom:2px solid #2f6db3;padding-bottom:4px;margin-top:32px}} h3{{font-size:16px;margin:18px 0 6px}}
.cards{{display:flex;gap:12px;flex-wrap:wrap}} .card{{background:#f4f7fb;border-radius:6px;padding:10px 14px;min-width:96px;flex:1 1 0}}
.card b{{display:block;font-size:24px;color:#2f6db3}} svg text{{font-family:{FONT};font-size:13px}} svg .title{{font-size:15px;font-weight:bold}}
svg .small{{font-size:11px}} svg .value{{fill:#333}} .charts{{display:flex;flex-wrap:wrap;gap:24px}}
table{{border-collapse:collapse;width:100%;font-size:13px}} td,th{{border:1px solid #ccc;padding:4px 6px;vertical-align:top}}
th{{background:#ddebf7}} .ev{{white-space:pre-wrap;color:#444;font-size:12px}} .note{{color:#666;font-size:12px}}
.errors li{{font-size:13px}} .warn{{color:#9a6700}} .fail{{color:#b42318}}
@page{{size:A4;margin:14mm 12mm}}
@media print{{
 body{{margin:0;max-width:none;font-size:12px}} .charts{{display:block}} svg.chart{{max-width:100%;height:auto}}
 h1,h2,h3{{break-inside:avoid;break-after:avoid;page-break-after:avoid}}
 table,figure,svg.chart,.cards{{break-inside:avoid;page-break-inside:avoid}}
 table.long{{break-inside:auto;page-break-inside:auto}} tr{{break-inside:avoid;page-break-inside:avoid}}
 thead{{display:table-header-group}}
}}
"""

READY_SCRIPT = """<script>
window.addEventListener('load', function () {
  var charts = document.querySelectorAll('svg.chart'), drawn = 0;
  charts.forEach(function (c) { var b = c.getBBox(); if (b.width > 0 && b.height > 0 && c.querySelector('rect,polyline')) drawn++; });
  document.body.setAttribute('data-charts-drawn', drawn + '/' + charts.length);
  document.body.setAttribute('data-load-ms', Math.round(performance.now()));
});
</script>"""


def _findings_table(rows: list[LedgerRow], limit: int) -> str:
    out = ["<table class='long'><colgroup><col style='width:11%'><col style='width:30%'><col style='width:13%'>"
           "<col style='width:38%'><col style='width:8%'></colgroup>"
           "<thead><tr><th>编号</th><th>问题描述</th><th>涉及部门</th><th>依据与证据</th><th>状态</th></tr></thead><tbody>"]
    for r in rows[:limit]:
        f = r.finding
        out.append(f"<tr><td>{_e(f.id)}</td><td>{_e(f.description)}</td><td>{_e('、'.join(short_name(d) for d in f.departments))}</td>"
                   f"<td class='ev'>{_e(f.evidence)}</td><td>{_e(r.status)}</td></tr>")
    out.append("</tbody></table>")
    if len(rows) > limit:
        out.append(f"<p class='note'>另有 {len(rows) - limit} 项，见问题台账 findings.xlsx。</p>")
    return "".join(out)


def errors_html(errors: list[FileError]) -> str:
    if not errors:
        return ""
    fails, warns = [e for e in errors if not e.is_warning], [e for e in errors if e.is_warning]
    items = "".join(f"<li class='{'warn' if e.is_warning else 'fail'}'>{'提示' if e.is_warning else '失败'}：{_e(file_label(e.path))}：{_e(e.message)}</li>"
                    for e in fails + warns)
    return f"<div class='errors'><p><b>文件问题：</b>失败 {len(fails)} 个，提示 {len(warns)} 个（失败的文件未纳入分析）</p><ul>{items}</ul></div>"


NUMERALS = "一二三四五六七八九十"


def render(rows: list[LedgerRow], overlaps: OverlapReport, hotline: HotlineAnalysis | None, title: str = "机构编制评估问题初筛报告",
           errors: list[FileError] | None = None, sections: Sequence[tuple[str, str]] = ()) -> str:
    """`sections`: further (heading, HTML) parts after 意见建议, numbered on (e.g. the scorecard)."""
    c = build_content(rows, overlaps, hotline, title, errors)
    body = [
        f"<h1>{_e(c.title)}</h1><p class='note'>生成日期：{c.day}。本报告由工具初筛生成，所列问题均需人工复核；"
        f"标为“不予采纳”的问题（{c.rejected} 项）不列入、不计数；个人信息已遮盖。</p>",
        errors_html(c.errors),
        "<div class='cards'>" + "".join(f"<div class='card'><b>{n}</b>{_e(k)}</div>" for k, n in c.cards) + "</div>",
        "<h2>一、主要发现</h2>" + "".join(f"<p>{_e(p)}</p>" for p in c.findings),
        "<h2>二、问题分布</h2><div class='charts'>",
        bar_chart("by-category", "按问题类别", c.by_category),
        bar_chart("by-department", "按涉及部门（前 15）", c.by_department),
        bar_chart("by-disposition", "按建议处置", c.by_disposition),
        "</div><h2>三、职责交叉矩阵</h2><p class='note'>红色：尚无职责分工；绿色：三定已有职责分工。鼠标停在格子上可看详情。</p>",
        matrix_chart(c.overlaps),
        "<h2>四、12345 退单争议按月分布</h2>",
        timeline_chart(hotline),
        "<h2>五、问题分析</h2>",
    ]
    for (category, paragraph), (_, items) in zip(c.analysis, c.by_category_rows):
        body.append(f"<h3>{_e(category)}</h3><p>{_e(paragraph)}</p>" + _findings_table(items, PER_CATEGORY))
    body.append("<h2>六、意见建议</h2>")
    for disposition, paragraph, items in c.advice:
        body.append(f"<h3>{_e(disposition)}</h3><p>{_e(paragraph)}</p><ul>"
                    + "".join(f"<li>{_e(r.finding.description[:80])}（{_e(r.finding.id)}）</li>" for r in items[:PER_CATEGORY])
                    + "</ul>" + (f"<p class='note'>另有 {len(items) - PER_CATEGORY} 项，见问题台账。</p>" if len(items) > PER_CATEGORY else ""))
    for numeral, (heading, html_part) in zip(NUMERALS[6:], sections):
        body.append(f"<h2>{numeral}、{_e(heading)}</h2>{html_part}")
    return (
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>"
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>" + "".join(body) + READY_SCRIPT + "</body></html>"
    )


def write_report(path: Path, rows: list[LedgerRow], overlaps: OverlapReport, hotline: HotlineAnalysis | None,
                 title: str = "机构编制评估问题初筛报告", errors: list[FileError] | None = None,
                 sections: Sequence[tuple[str, str]] = ()) -> None:
    with atomic_target(path) as tmp:
        tmp.write_text(render(rows, overlaps, hotline, title, errors, sections), encoding="utf-8")
