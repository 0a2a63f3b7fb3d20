"""The department scorecard (百分制): weighted indicators defined in a plain TOML file the office edits.

Each indicator either deducts points per finding that matches it (source, category, settled or not) or scores
a workload signal linearly between a full-marks value and a zero value. A department's score is the sum;
grades A/B/C come from score lines or from rank shares. Deterministic, and every point lost names the
findings (or the signal value) it comes from, so a reviewer can check each one.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .screen import ScreeningRules
from .signals import SIGNALS, Signals

PER_ITEM, RANGE = "逐项扣分", "区间"
SKIPPED_STATUSES = frozenset({"不予采纳"})


class ScorecardError(ValueError):
    """A scorecard file that cannot be used; the message (Chinese) names the file and the problem."""


@dataclass(frozen=True)
class Indicator:
    name: str
    weight: float
    method: str
    source: str | None = None
    category: str | None = None
    settled: bool | None = None
    per_item: float = 0.0
    signal: str | None = None
    best: float = 0.0
    worst: float = 1.0


@dataclass(frozen=True)
class Grading:
    method: str = "分数"
    a: float = 90
    b: float = 75
    a_share: float = 0.3
    c_share: float = 0.2


@dataclass(frozen=True)
class Scorecard:
    indicators: tuple[Indicator, ...]
    grading: Grading
    rules: ScreeningRules
    path: str

    @property
    def total(self) -> float:
        return sum(i.weight for i in self.indicators)


@dataclass
class Deduction:
    indicator: str
    points: float
    reason: str
    finding_ids: list[str] = field(default_factory=list)


@dataclass
class DepartmentScore:
    department: str
    score: float
    grade: str
    points: dict[str, float]
    deductions: list[Deduction]


def default_path() -> Path:
    return Path(str(resources.files("duty_analyzer").joinpath("data/scorecard.toml")))


def load_scorecard(path: Path | str | None = None) -> Scorecard:
    path = Path(path) if path else default_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ScorecardError(f"{path}：评分表文件不存在") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ScorecardError(f"{path}：评分表格式有误（{exc}）") from None
    return _scorecard(data, str(path))


def _number(where: str, value, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ScorecardError(f"{path}：{where} 应为数字，实际为 {value!r}")
    return float(value)


def _scorecard(data: dict, path: str) -> Scorecard:
    screening = data.get("筛查", {})
    defaults = ScreeningRules()
    rules = ScreeningRules(
        vacancy_share=_number("[筛查] 空编比例", screening.get("空编比例", defaults.vacancy_share), path),
        vacancy_months=int(_number("[筛查] 长期空编月数", screening.get("长期空编月数", defaults.vacancy_months), path)),
        secondment_share=_number("[筛查] 借调比例", screening.get("借调比例", defaults.secondment_share), path),
        contract_share=_number("[筛查] 编外比例", screening.get("编外比例", defaults.contract_share), path),
    )
    g = data.get("等级", {})
    grading = Grading(
        method=g.get("方式", "分数"), a=_number("[等级] A", g.get("A", 90), path), b=_number("[等级] B", g.get("B", 75), path),
        a_share=_number("[等级] A比例", g.get("A比例", 0.3), path), c_share=_number("[等级] C比例", g.get("C比例", 0.2), path),
    )
    if grading.method not in ("分数", "比例"):
        raise ScorecardError(f"{path}：[等级] 方式 只能是 \"分数\" 或 \"比例\"，实际为 {grading.method!r}")
    raw = data.get("指标", [])
    if not raw:
        raise ScorecardError(f"{path}：没有任何 [[指标]]")
    indicators = []
    for n, entry in enumerate(raw, start=1):
        name = entry.get("名称") or f"指标{n}"
        where = f"第 {n} 个指标“{name}”"
        method = entry.get("计算方式")
        if method not in (PER_ITEM, RANGE):
            raise ScorecardError(f"{path}：{where} 的 计算方式 只能是 \"{PER_ITEM}\" 或 \"{RANGE}\"，实际为 {method!r}")
        signal = entry.get("信号")
        if method == RANGE and signal not in SIGNALS:
            raise ScorecardError(f"{path}：{where} 的 信号 应为 {'、'.join(SIGNALS)} 之一，实际为 {signal!r}")
        settled = entry.get("已分工")
        if settled is not None and not isinstance(settled, bool):
            raise ScorecardError(f"{path}：{where} 的 已分工 应为 true 或 false")
        best, worst = (_number(f"{where} 的 满分值", entry.get("满分值", 0.0), path),
                       _number(f"{where} 的 零分值", entry.get("零分值", 1.0), path)) if method == RANGE else (0.0, 1.0)
        if method == RANGE and best == worst:
            raise ScorecardError(f"{path}：{where} 的 满分值 与 零分值 不能相同")
        indicators.append(Indicator(
            name=name, weight=_number(f"{where} 的 权重", entry.get("权重"), path), method=method,
            source=entry.get("来源"), category=entry.get("问题类别"), settled=settled,
            per_item=_number(f"{where} 的 每项扣分", entry.get("每项扣分", 0), path) if method == PER_ITEM else 0.0,
            signal=signal, best=best, worst=worst,
        ))
    return Scorecard(tuple(indicators), grading, rules, path)


def _matches(ind: Indicator, finding, settled_ids: set[str]) -> bool:
    if ind.source and finding.source != ind.source:
        return False
    if ind.category and finding.category != ind.category:
        return False
    if ind.settled is not None and (finding.id in settled_ids) != ind.settled:
        return False
    return True


def score_departments(
    card: Scorecard, signals: dict[str, Signals], findings, settled_ids: set[str] = frozenset(),
    statuses: dict[str, str] | None = None,
) -> list[DepartmentScore]:
    """One score per department in `signals`, best first. Findings a reviewer marked 不予采纳 cost nothing."""
    statuses = statuses or {}
    kept = [f for f in findings if statuses.get(f.id) not in SKIPPED_STATUSES]
    out = []
    for department, sig in signals.items():
        points, deductions = {}, []
        mine = [f for f in kept if department in f.departments]
        for ind in card.indicators:
            if ind.method == PER_ITEM:
                hits = [f for f in mine if _matches(ind, f, settled_ids)]
                lost = min(ind.weight, ind.per_item * len(hits))
                if hits:
                    deductions.append(Deduction(ind.name, round(lost, 2), f"{len(hits)} 项问题，每项扣 {ind.per_item:g} 分",
                                                [f.id for f in hits]))
            else:
                value = sig.per_post(ind.signal)
                if value is None:
                    lost = 0.0
                    deductions.append(Deduction(ind.name, 0.0, f"{ind.signal}：缺少核定编制数，不扣分"))
                else:
                    share = (value - ind.best) / (ind.worst - ind.best)
                    lost = ind.weight * min(1.0, max(0.0, share))
                    if lost:
                        deductions.append(Deduction(ind.name, round(lost, 2), f"{ind.signal} {value:.2f}（满分值 {ind.best:g}，零分值 {ind.worst:g}）"))
            points[ind.name] = round(ind.weight - lost, 2)
        out.append(DepartmentScore(department, round(sum(points.values()), 2), "", points, deductions))
    out.sort(key=lambda s: (-s.score, s.department))
    _grade(out, card.grading)
    return out


def _grade(scores: list[DepartmentScore], g: Grading) -> None:
    n = len(scores)
    for rank, s in enumerate(scores):
        if g.method == "分数":
            s.grade = "A" if s.score >= g.a else "B" if s.score >= g.b else "C"
        else:
            s.grade = "A" if rank < round(n * g.a_share) else "C" if rank >= n - round(n * g.c_share) else "B"


SCORE_HEADER_FIXED = ("名次", "部门", "总分", "等级")


def score_table(card: Scorecard, scores: list[DepartmentScore], short=lambda d: d) -> tuple[list[str], list[list]]:
    """Header and rows for the ledger sheet / report table: rank, department, total, grade, each indicator, why."""
    header = list(SCORE_HEADER_FIXED) + [f"{i.name}（{i.weight:g}）" for i in card.indicators] + ["扣分依据"]
    rows = []
    for rank, s in enumerate(scores, start=1):
        why = "；".join(f"{d.indicator} -{d.points:g}：{d.reason}" + (f"（{'、'.join(d.finding_ids)}）" if d.finding_ids else "")
                       for d in s.deductions if d.points)
        rows.append([rank, short(s.department), s.score, s.grade] + [s.points[i.name] for i in card.indicators] + [why or "未扣分"])
    return header, rows
