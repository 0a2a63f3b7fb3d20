"""One list of findings from every source, in the shape of the review ledger (问题台账).

Overlaps, hotline hot spots, classified interview statements and 三定↔清单 gaps each become a `Finding`
with a stable id (the same matter gets the same id on every run, so staff decisions stay attached),
the evidence a reviewer needs, and a disposition proposed by rule.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .classify import NINE_CATEGORIES
from .extract import Problem, where
from .hotline import HotlineAnalysis
from .mask import mask_name, mask_text
from .names import short_name
from .overlaps import CROSS, OverlapReport

STATUSES = ("待核实", "已确认", "不予采纳", "整改中", "已销号")
DISPOSITIONS = ("需被评估单位整改", "需编办关注解决", "纳入改革政策储备")
CATEGORIES = NINE_CATEGORIES

# Who acts on a problem of each category (Tianjin's three dispositions): the department itself, the
# staffing office, or the next reform.
DISPOSITION_BY_CATEGORY = {
    "部门职能不理顺": "纳入改革政策储备",
    "工作职责未明确": "需编办关注解决",
    "部门间职责边界不清": "需编办关注解决",
    "部门内部职责不理顺": "需被评估单位整改",
    "工作流程有待进一步优化": "需被评估单位整改",
    "议事协调机构协调配合不畅": "需编办关注解决",
    "基层管理体制机制不理顺": "纳入改革政策储备",
    "编制人员管理方面": "需编办关注解决",
    "机构编制违规违纪": "需被评估单位整改",
}


@dataclass
class Finding:
    id: str
    category: str
    description: str
    departments: list[str]
    evidence: str
    source: str
    confidence: float
    disposition: str

    @property
    def key_text(self) -> str:
        return f"{self.category}｜{self.description}"


def _id(prefix: str, *parts: str) -> str:
    return prefix + "-" + hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:10]


def proposed_disposition(category: str, source: str) -> str:
    if source == "职责交叉" and category == "部门间职责边界不清":
        return "需编办关注解决"
    return DISPOSITION_BY_CATEGORY.get(category, "需编办关注解决")


def from_overlaps(report: OverlapReport) -> list[Finding]:
    out = []
    for o in report.overlaps:
        category = "部门间职责边界不清" if o.kind == CROSS else "部门内部职责不理顺"
        who = "、".join(short_name(d) for d in o.departments) if o.kind == CROSS else f"{short_name(o.departments[0])}（{'、'.join(o.units)}）"
        settled = f"；已有职责分工（{short_name(o.settled_by.department)}）" if o.settled_by else ("；三定未作职责分工" if o.kind == CROSS else "")
        evidence = "\n".join(f"{short_name(e.department)}{'·' + e.unit if e.unit else ''} {e.section}{e.item}：{e.text}〔{e.file}〕" for e in o.evidence)
        if o.settled_by:
            evidence += f"\n职责分工：{o.settled_by.text}〔{o.settled_by.file}〕"
        out.append(Finding(
            o.id, category, f"“{o.topic}”职责交叉：{who}{settled}。{o.why}", o.departments, evidence,
            "职责交叉", round(min(1.0, o.score), 3), proposed_disposition(category, "职责交叉"),
        ))
    for g in report.alignment:
        category = "部门职能不理顺" if g.kind.startswith("清单") else "工作职责未明确"
        out.append(Finding(
            _id("QD", g.department, g.kind, g.text), category, f"{short_name(g.department)}：{g.kind}——{g.text}",
            [g.department], f"{g.item}：{g.text}〔{g.file}〕；最接近的对照：{g.best_match}（相似度 {g.score:.2f}）",
            "三定清单对照", round(1 - g.score, 3), proposed_disposition(category, "三定清单对照"),
        ))
    return out


def from_hotline(summary: HotlineAnalysis, min_records: int = 2) -> list[Finding]:
    out = []
    for h in summary.ranked():
        if h.records < min_records:
            continue
        owners = "、".join(short_name(d) for d in sorted(h.owners)) or "无"
        bounced = "、".join(short_name(d) for d in sorted(h.bounced)) or "无"
        out.append(Finding(
            _id("RX", h.finding_id or h.topic), h.category,
            f"12345 退单争议热点“{h.topic}”：{h.records} 条工单，{len(h.bounced)} 个部门退单。{h.verdict}",
            sorted(h.bounced | h.owners), f"工单：{'、'.join(h.examples)}；退单部门：{bounced}；三定涉及部门：{owners}"
            + (f"；关联职责交叉 {h.finding_id}" if h.finding_id else ""),
            "热线争议", round(min(1.0, h.records / 10), 3), proposed_disposition(h.category, "热线争议"),
        ))
    return out


def from_problems(problems: list[Problem], mask: bool = True) -> list[Finding]:
    out = []
    for p in problems:
        text = mask_text(p.text, [p.speaker]) if mask else p.text
        who = (mask_name(p.speaker) if mask else p.speaker) or ""
        speaker = "、".join(x for x in (p.role and (mask_text(p.role, [p.speaker]) if mask else p.role), who) if x)
        out.append(Finding(
            _id("FT", p.file, p.text), p.prediction.label, text, [],
            f"{p.file} {where(p.location)}{'（' + speaker + '）' if speaker else ''}；次选：{p.prediction.runner_up}"
            f"（{p.prediction.runner_up_confidence:.2f}）{'；需复核' if p.prediction.needs_review else ''}",
            "访谈记录", p.prediction.confidence, proposed_disposition(p.prediction.label, "访谈记录"),
        ))
    return out


def collect(overlaps: OverlapReport, hotline: HotlineAnalysis | None, problems: list[Problem], mask: bool = True) -> list[Finding]:
    # Order of importance for the ledger and the report: unsettled overlaps first (their report order), then
    # hot spots, then settled overlaps, 三定↔清单 gaps and interview statements.
    overlap_findings = from_overlaps(overlaps)
    settled = {o.id for o in overlaps.overlaps if o.settled}
    first = [f for f in overlap_findings if f.source == "职责交叉" and f.id not in settled]
    later = [f for f in overlap_findings if f not in first]
    findings = first + (from_hotline(hotline) if hotline else []) + later + from_problems(problems, mask)
    seen: set[str] = set()
    unique = []
    for f in findings:
        if f.id not in seen:
            seen.add(f.id)
            unique.append(f)
    return unique
