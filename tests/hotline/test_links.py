"""Links through clauses: a request naming no object reaches the finding whose evidence clause it matches."""

import numpy as np

from duty_analyzer.hotline.links import FindingIndex, choose
from duty_analyzer.hotline.ranking import Clause
from duty_analyzer.overlaps import Evidence, Overlap


def _finding(fid, depts, clauses):
    ev = [Evidence(c.department, c.unit, c.file, c.section, c.item, c.text) for c in clauses]
    return Overlap(fid, "cross", fid, depts, [], 0.5, False, None, ev, "")


C = [Clause("甲局", "主要职责", "（一）", None, "负责夜间施工噪声监管。", "甲.txt"),
     Clause("乙局", "主要职责", "（二）", None, "负责建筑施工现场管理。", "乙.txt"),
     Clause("丙局", "主要职责", "（三）", None, "负责户外广告设置审批。", "丙.txt")]


def test_best_evidence_clause_links_and_bouncers_break_ties():
    f1, f2 = _finding("F1", ["甲局", "乙局"], C[:2]), _finding("F2", ["丙局", "乙局"], C[1:])
    index = FindingIndex([f1, f2], C)
    scores = np.array([0.1, 0.6, 0.1], dtype=np.float32)  # the shared clause: either finding
    best = index.best_clauses(scores[None, :])[0]
    assert choose(index.options(best, bounced={"丙局"}), link_score=0.4, bounce_weight=0.3).id == "F2"
    assert choose(index.options(best, bounced={"甲局"}), 0.4, 0.3).id == "F1"


def test_weak_clauses_do_not_link():
    index = FindingIndex([_finding("F1", ["甲局", "乙局"], C[:2])], C)
    best = index.best_clauses(np.array([[0.2, 0.1, 0.0]], dtype=np.float32))[0]
    assert choose(index.options(best, set()), link_score=0.4) is None
