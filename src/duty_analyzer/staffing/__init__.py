"""The numbers half of an assessment round: staffing screening, workload signals, the department scorecard.

    issues = screen(corpus, card.rules)           # 超编, 超职数配备, 三定 vs 台账, 空编, 借调, 编外, 在编不在岗, 擅自设立机构
    findings = staffing_findings(issues)           # ledger findings (source 编制数据筛查)
    scores = score_departments(card, workload_signals(corpus, all_findings), all_findings, settled_ids, statuses)
"""

from __future__ import annotations

import hashlib

from ..findings import Finding, proposed_disposition
from .scorecard import (
    DepartmentScore, Scorecard, ScorecardError, default_path, load_scorecard, score_departments, score_table,
)
from .screen import PERSONNEL, VIOLATION, ScreeningRules, StaffingIssue, screen
from .signals import SIGNALS, Signals, workload_signals

SOURCE = "编制数据筛查"

__all__ = [
    "DepartmentScore", "Scorecard", "ScorecardError", "ScreeningRules", "Signals", "SIGNALS", "SOURCE",
    "StaffingIssue", "PERSONNEL", "VIOLATION", "default_path", "load_scorecard", "score_departments",
    "score_table", "screen", "staffing_findings", "workload_signals",
]


def issue_id(issue: StaffingIssue) -> str:
    """Stable across runs: the rule, the department and the unit/post kind, not the figures (they change)."""
    key = "|".join((issue.rule, issue.department, issue.unit, issue.description.split("：")[0]))
    return "BZ-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def staffing_findings(issues: list[StaffingIssue]) -> list[Finding]:
    return [
        Finding(issue_id(i), i.category, i.description, [i.department], "\n".join(i.evidence), SOURCE, 1.0,
                proposed_disposition(i.category, SOURCE))
        for i in issues
    ]
