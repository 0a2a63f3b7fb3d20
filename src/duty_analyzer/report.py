"""report.html — one self-contained page for leaders: summary, charts (inline SVG), top findings with evidence.

No scripts or fonts are fetched: the charts are SVG drawn here, the CSS is inline, and Chinese text uses
the fonts of the reader's machine. A small inline script marks the page once every chart has a size,
which the headless-browser test reads.
"""

from __future__ import annotations

import html
from collections import Counter
from datetime import date
from pathlib import Path

from .hotline import HotlineAnalysis
from .names import short_name
from .overlaps import CROSS, OverlapReport
from .tables import atomic_target
from .workspace import LedgerRow

FONT = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC','WenQuanYi Micro Hei',sans-serif"
COLORS = ["#2f6db3", "#e07b39", "#3c9d5d", "#c04848", "#7a5ab8", "#b8932e", "#3aa3b5", "#8a8a8a", "#d45a9a"]


def _e(text: object) -> str:
    return html.escape(str(text))


def bar_chart(name: str, title: str, items: list[tuple[str, int]], width: int = 640) -> str:
    """Horizontal bars, one per item, labelled with the item and its count."""
    row, label_w = 26, 190
    height = row * max(1, len(items)) + 40
    top = max((n for _, n in items), default=1) or 1
    parts = [f'<svg class="chart" data-chart="{_e(name)}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{_e(title)}">',
             f'<text x="0" y="16" class="title">{_e(title)}</text>']
    for i, (label, n) in enumerate(items):
        y = 30 + i * row
        w = (width - label_w - 50) * n / top
        parts.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{_e(label)}</text>')
        parts.append(f'<rect class="bar" x="{label_w}" y="{y}" width="{w:.1f}" height="{row - 8}" fill="{COLORS[i % len(COLORS)]}"/>')
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 15}">{n}</text>')
    parts.append("</svg>")
    return "".join(parts)


def matrix_chart(overlaps: OverlapReport, limit: int = 20) -> str:
    """Overlap topics × departments: a filled cell where the department claims the topic."""
    cross = [o for o in overlaps.overlaps if o.kind == CROSS][:limit]
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
            fill = ("#9ec5a5" if o.settled else "#c04848") if d in o.departments else "#f1f1f1"
            parts.append(f'<rect class="cell" x="{left + j * cell}" y="{y}" width="{cell - 2}" height="{cell - 2}" fill="{fill}"/>')
    parts.append("</svg>")
    return "".join(parts)


def timeline_chart(hotline: HotlineAnalysis | None, width: int = 640, height: int = 220) -> str:
    """Disputes per month, all hot spots together and the three largest apart."""
    spots = hotline.ranked() if hotline else []
    months = sorted({m for h in spots for m in h.months if m})
    parts = [f'<svg class="chart" data-chart="hotline-timeline" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="热线争议按月分布">']
    if not months:
        parts.append('<text x="10" y="30">没有热线工单</text></svg>')
        return "".join(parts)
    series = [("全部", Counter())] + [(h.topic, h.months) for h in spots[:3]]
    for h in spots:
        series[0][1].update(h.months)
    top = max(max(c.values(), default=0) for _, c in series) or 1
    left, bottom, right = 40, height - 30, width - 110
    step = (right - left) / max(1, len(months) - 1)
    for k, m in enumerate(months):
        parts.append(f'<text x="{left + k * step:.0f}" y="{height - 10}" text-anchor="middle" class="small">{_e(m[5:])}月</text>')
    for s, (label, counts) in enumerate(series):
        points = " ".join(f"{left + k * step:.1f},{bottom - (bottom - 20) * counts.get(m, 0) / top:.1f}" for k, m in enumerate(months))
        parts.append(f'<polyline class="line" points="{points}" fill="none" stroke="{COLORS[s]}" stroke-width="{3 if s == 0 else 2}"/>')
        parts.append(f'<text x="{right + 8}" y="{30 + s * 18}" fill="{COLORS[s]}">{_e(label[:8])}</text>')
    parts.append("</svg>")
    return "".join(parts)


CSS = f"""
body{{font-family:{FONT};margin:24px auto;max-width:1100px;color:#222;line-height:1.6}}
h1{{font-size:24px}} h2{{font-size:19px;border-bottom:2px solid #2f6db3;padding-bottom:4px;margin-top:32px}}
.cards{{display:flex;gap:12px;flex-wrap:wrap}} .card{{background:#f4f7fb;border-radius:6px;padding:10px 16px;min-width:120px}}
.card b{{display:block;font-size:24px;color:#2f6db3}} svg text{{font-family:{FONT};font-size:13px}} svg .title{{font-size:15px;font-weight:bold}}
svg .small{{font-size:11px}} .charts{{display:flex;flex-wrap:wrap;gap:24px}}
table{{border-collapse:collapse;width:100%;font-size:13px}} td,th{{border:1px solid #ccc;padding:4px 6px;vertical-align:top}}
th{{background:#ddebf7}} .ev{{white-space:pre-wrap;color:#444;font-size:12px}} .note{{color:#666;font-size:12px}}
"""

READY_SCRIPT = """<script>
window.addEventListener('load', function () {
  var charts = document.querySelectorAll('svg.chart'), drawn = 0;
  charts.forEach(function (c) { var b = c.getBBox(); if (b.width > 0 && b.height > 0 && c.querySelector('rect,polyline')) drawn++; });
  document.body.setAttribute('data-charts-drawn', drawn + '/' + charts.length);
});
</script>"""


def render(rows: list[LedgerRow], overlaps: OverlapReport, hotline: HotlineAnalysis | None, title: str, top: int = 15,
           sections: tuple[str, ...] = ()) -> str:
    """`sections`: ready HTML blocks (e.g. the scorecard) placed after the charts."""
    current = [r for r in rows if r.presence != "已消失"]
    by_category = Counter(r.finding.category for r in current).most_common()
    by_department = Counter(short_name(d) for r in current for d in r.finding.departments).most_common(15)
    cross = [o for o in overlaps.overlaps if o.kind == CROSS]
    cards = [
        ("问题总数", len(current)), ("职责交叉（部门间）", len(cross)), ("其中尚无职责分工", sum(not o.settled for o in cross)),
        ("热线工单", hotline.records if hotline else 0), ("待核实", sum(r.status == "待核实" for r in current)),
        ("已销号", sum(r.status == "已销号" for r in current)),
    ]
    body = [
        f"<h1>{_e(title)}</h1><p class='note'>生成日期：{date.today().isoformat()}。本报告由工具初筛生成，所列问题均需人工复核；个人信息已遮盖。</p>",
        "<div class='cards'>" + "".join(f"<div class='card'><b>{n}</b>{_e(k)}</div>" for k, n in cards) + "</div>",
        "<h2>问题分布</h2><div class='charts'>",
        bar_chart("by-category", "按问题类别", by_category),
        bar_chart("by-department", "按涉及部门（前 15）", by_department),
        "</div><h2>职责交叉矩阵</h2><p class='note'>红色：尚无职责分工；绿色：三定已有职责分工。</p>",
        matrix_chart(overlaps),
        "<h2>12345 退单争议按月分布</h2>",
        timeline_chart(hotline),
        *sections,
        f"<h2>重点问题（前 {top} 项）</h2><table><colgroup><col style='width:10%'><col style='width:9%'><col style='width:27%'>"
        "<col style='width:40%'><col style='width:8%'><col style='width:6%'></colgroup>"
        "<tr><th>编号</th><th>问题类别</th><th>问题描述</th><th>依据与证据</th><th>建议处置</th><th>状态</th></tr>",
    ]
    for r in current[:top]:
        f = r.finding
        body.append(
            f"<tr><td>{_e(f.id)}</td><td>{_e(f.category)}</td><td>{_e(f.description)}</td>"
            f"<td class='ev'>{_e(f.evidence)}</td><td>{_e(f.disposition)}</td><td>{_e(r.status)}</td></tr>"
        )
    body.append("</table>")
    return (
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>"
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>" + "".join(body) + READY_SCRIPT + "</body></html>"
    )


def write_report(path: Path, rows: list[LedgerRow], overlaps: OverlapReport, hotline: HotlineAnalysis | None, title: str = "机构编制评估问题初筛报告",
                 sections: tuple[str, ...] = ()) -> None:
    with atomic_target(path) as tmp:
        tmp.write_text(render(rows, overlaps, hotline, title, sections=sections), encoding="utf-8")
