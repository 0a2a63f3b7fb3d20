"""Workload signals per department (饱和度 / 匹配度 beside the interview evidence), each also per approved post.

Everything here is counted from what the tool already read: 三定 duty items, 清单 rows, hotline records that
name the department (sent to it, bounced by it, finally handled by it), overlaps it is part of, and findings
still open in the ledger.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Corpus
from ..names import DepartmentIndex

# Chinese signal names used in the scorecard file → attribute of `Signals`.
SIGNALS = {
    "每编职责事项": "duty_items",
    "每编清单事项": "list_items",
    "每编热线工单": "hotline_records",
    "每编热线退单": "hotline_bounces",
    "每编职责交叉": "overlaps",
    "每编待办问题": "open_findings",
}


@dataclass
class Signals:
    department: str
    posts: int | None
    duty_items: int = 0
    list_items: int = 0
    hotline_records: int = 0
    hotline_bounces: int = 0
    overlaps: int = 0
    open_findings: int = 0

    def per_post(self, signal: str) -> float | None:
        """A signal by its Chinese name (SIGNALS) divided by approved posts; None when posts are unknown."""
        if not self.posts:
            return None
        return getattr(self, SIGNALS[signal]) / self.posts


def approved_total(corpus: Corpus) -> dict[str, int]:
    """Approved posts per department: the 三定's 编制 counts, else the export's 机关 rows."""
    out = {s.department: sum(s.counts.values()) for s in corpus.staffing}
    from_export: dict[str, int] = {}
    for r in corpus.staffing_records:
        if r.unit_level == "机关" and r.approved:
            from_export[r.department] = from_export.get(r.department, 0) + r.approved
    for department, total in from_export.items():
        out.setdefault(department, total)
    return out


def workload_signals(corpus: Corpus, findings=(), open_ids: set[str] | None = None) -> dict[str, Signals]:
    """Signals for every department with a 三定. `findings` (findings.Finding) give overlaps and open items;
    `open_ids` limits open items to those the ledger has not closed or rejected (all when None)."""
    departments = [d.name for d in corpus.departments]
    index = DepartmentIndex(departments)
    posts = approved_total(corpus)
    out = {d: Signals(d, posts.get(d)) for d in departments}
    for duty in corpus.duties:
        if duty.department in out:
            out[duty.department].duty_items += 1
    for item in corpus.list_items:
        if item.department in out:
            out[item.department].list_items += 1
    for record in corpus.hotline:
        named = {index.resolve(u) for u in (record.first_unit, record.final_unit, *(b.unit for b in record.bounces)) if u}
        bounced = {index.resolve(b.unit) for b in record.bounces if b.unit}
        for d in named - {None}:
            out[d].hotline_records += 1
        for d in bounced - {None}:
            out[d].hotline_bounces += 1
    for f in findings:
        for d in f.departments:
            if d not in out:
                continue
            if f.source == "职责交叉":
                out[d].overlaps += 1
            if open_ids is None or f.id in open_ids:
                out[d].open_findings += 1
    return out
