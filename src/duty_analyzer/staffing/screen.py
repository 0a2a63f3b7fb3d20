"""Staffing screening (数据筛查): rules over a staffing export, checked against the 三定's approved figures.

Each rule yields a `StaffingIssue` with the export row and, where one applies, the 三定 clause that sets the
approved figure, so a reviewer sees both numbers side by side. Shares are the office's stated policy
(`ScreeningRules`, read from the scorecard file), not constants of the code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..findings import source_name
from ..model import Corpus, Location, Staffing, StaffingRecord
from ..names import DepartmentIndex, short_name

VIOLATION, PERSONNEL = "机构编制违规违纪", "编制人员管理方面"

# 三定 leader titles → the export's levels.
_LEADER_TITLE = (
    ("副科级", ("副科级",)),
    ("正科级", ("正科级",)),
    ("副职", ("副局长", "副主任", "副书记", "副部长", "副队长")),
    ("正职", ("局长", "主任", "书记", "部长", "队长")),
)


@dataclass(frozen=True)
class ScreeningRules:
    vacancy_share: float = 0.15
    vacancy_months: int = 12
    secondment_share: float = 0.10
    contract_share: float = 0.30


@dataclass
class StaffingIssue:
    rule: str
    category: str
    department: str
    unit: str
    description: str
    evidence: list[str]
    location: Location
    figures: dict[str, float] = field(default_factory=dict)


def leader_level(title: str) -> str | None:
    for level, words in _LEADER_TITLE:
        if any(w in title for w in words):
            return level
    return None


def approved_posts(staffing: Staffing) -> dict[str, int]:
    """The 三定's leader posts by export level: 局长1名 → 正职 1, 副局长3名 → 副职 3, 正科级领导职数 → 正科级."""
    out: dict[str, int] = {}
    for post in staffing.leaders:
        level = leader_level(post.title)
        if level:
            out[level] = out.get(level, 0) + post.count
    return out


def _row(record: StaffingRecord) -> str:
    cells = "，".join(f"{k}：{v}" for k, v in record.columns.items() if k != "序号")
    return f"实名制数据 {record.location.sheet or ''}第{record.location.row}行：{cells}〔{source_name(record.location.file)}〕"


def _clause(staffing: Staffing) -> str:
    where = f"第{staffing.location.line}行" if staffing.location.line else f"第{staffing.location.paragraph}段"
    return f"三定 人员编制（{where}）：{staffing.text[:120]}〔{source_name(staffing.location.file)}〕"


def screen(corpus: Corpus, rules: ScreeningRules | None = None) -> list[StaffingIssue]:
    """Every rule over every record; a department's 机关 rows are checked against its 三定."""
    rules = rules or ScreeningRules()
    sanding = {s.department: s for s in corpus.staffing}
    index = DepartmentIndex([d.name for d in corpus.departments])
    units = {}
    for duty in corpus.duties:
        if duty.unit:
            units.setdefault(duty.department, set()).add(duty.unit)
    issues: list[StaffingIssue] = []
    for record in corpus.staffing_records:
        department = index.resolve(record.department) or record.department
        clause = sanding.get(department)
        issues += _headcount(record, department, clause, rules)
        issues += _posts(record, department, clause)
        issues += _people(record, department, rules)
        issues += _unit_exists(record, department, units)
    return issues


def _issue(rule, category, record, department, text, clause=None, **figures) -> StaffingIssue:
    evidence = [_row(record)] + ([_clause(clause)] if clause is not None else [])
    return StaffingIssue(rule, category, department, record.unit, text, evidence, record.location, figures)


def _headcount(record: StaffingRecord, department: str, clause: Staffing | None, rules: ScreeningRules) -> list[StaffingIssue]:
    out = []
    kind, who = record.staff_type, short_name(department)
    in_sanding = clause.counts.get(kind) if clause is not None and record.unit_level == "机关" else None
    if in_sanding is not None and record.approved is not None and record.approved != in_sanding:
        out.append(_issue("核定数不一致", PERSONNEL, record, department,
                          f"{who}{kind}核定数不一致：实名制数据核定 {record.approved} 名，三定核定 {in_sanding} 名",
                          clause, 台账核定=record.approved, 三定核定=in_sanding))
    approved = in_sanding if in_sanding is not None else record.approved
    if approved is None or record.actual is None:
        return out
    if record.actual > approved:
        out.append(_issue("超编", VIOLATION, record, department,
                          f"{who}{'·' + record.unit if record.unit_level != '机关' else ''}{kind}超编：核定 {approved} 名，实有 {record.actual} 名，超出 {record.actual - approved} 名",
                          clause if in_sanding is not None else None, 核定=approved, 实有=record.actual))
    vacant = approved - record.actual
    if approved and vacant / approved >= rules.vacancy_share:
        long_term = record.vacant_months is not None and record.vacant_months >= rules.vacancy_months
        if record.vacant_months is None or long_term:
            label = "长期空编" if long_term else "空编较多"
            months = f"，已持续 {record.vacant_months} 个月" if long_term else ""
            out.append(_issue(label, PERSONNEL, record, department,
                              f"{who}{kind}{label}：核定 {approved} 名，实有 {record.actual} 名，空编 {vacant} 名（{vacant / approved:.0%}）{months}",
                              clause if in_sanding is not None else None, 空编=vacant, 空编比例=round(vacant / approved, 3)))
    return out


def _posts(record: StaffingRecord, department: str, clause: Staffing | None) -> list[StaffingIssue]:
    out = []
    in_sanding = approved_posts(clause) if clause is not None and record.unit_level == "机关" else {}
    for level, (approved, actual) in record.leaders.items():
        limit = in_sanding.get(level, approved)
        if approved is not None and level in in_sanding and approved != in_sanding[level]:
            out.append(_issue("核定数不一致", PERSONNEL, record, department,
                              f"{short_name(department)}{level}领导职数核定数不一致：实名制数据核定 {approved} 名，三定核定 {in_sanding[level]} 名",
                              clause, 台账核定=approved, 三定核定=in_sanding[level]))
        if limit is not None and actual is not None and actual > limit:
            out.append(_issue("超职数配备", VIOLATION, record, department,
                              f"{short_name(department)}超职数配备{level}领导：核定 {limit} 名，实配 {actual} 名",
                              clause if level in in_sanding else None, 核定=limit, 实配=actual))
    return out


def _people(record: StaffingRecord, department: str, rules: ScreeningRules) -> list[StaffingIssue]:
    out, who = [], short_name(department)
    base = record.actual or 0
    for count, label in ((record.seconded_out, "借调出"), (record.seconded_in, "借调入")):
        if count and base and count / base > rules.secondment_share:
            out.append(_issue("借调过多", PERSONNEL, record, department,
                              f"{who}借调过多：{label} {count} 名，占实有人数 {base} 名的 {count / base:.0%}（超过 {rules.secondment_share:.0%}）",
                              人数=count, 比例=round(count / base, 3)))
    if record.contract_staff and record.approved and record.contract_staff / record.approved > rules.contract_share:
        share = record.contract_staff / record.approved
        out.append(_issue("编外人员过多", PERSONNEL, record, department,
                          f"{who}{'·' + record.unit if record.unit_level != '机关' else ''}编外人员过多：编外人员 {record.contract_staff} 名，为核定编制 {record.approved} 名的 {share:.0%}（超过 {rules.contract_share:.0%}）",
                          人数=record.contract_staff, 比例=round(share, 3)))
    if record.absent:
        out.append(_issue("在编不在岗", VIOLATION, record, department,
                          f"{who}在编不在岗：{record.absent} 名", 人数=record.absent))
    return out


def _unit_exists(record: StaffingRecord, department: str, units: dict[str, set[str]]) -> list[StaffingIssue]:
    """An internal unit in the export that the department's 三定 does not set up (擅自设立机构)."""
    known = units.get(department)
    if record.unit_level != "内设机构" or not known or record.unit in known:
        return []
    if any(record.unit in u or u.startswith(record.unit) for u in known):  # '河湖管理科' vs '河湖管理科（市河长制办公室）'
        return []
    return [_issue("擅自设立机构", VIOLATION, record, department,
                   f"{short_name(department)}擅自设立机构：实名制数据中有内设机构“{record.unit}”，三定规定的内设机构中没有（{'、'.join(sorted(known))}）")]
