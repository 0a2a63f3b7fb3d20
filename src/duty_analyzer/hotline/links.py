"""Linking a record that names no finding's object to an overlap finding, through the clauses it matches.

Each cross-department finding rests on evidence clauses; a request is close to a finding when one of those
clauses scores well for it (ranking.Ranker's clause scores, [0, 1]) and, more so, when the departments that
bounced it are the finding's departments. `link_score` and `bounce_weight` are chosen leave-one-corpus-out in
bench/hotline_quality.py (docs/benchmarks.md, issue 17).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..overlaps import Overlap
from .ranking import Clause

LINK_SCORE = 0.40
BOUNCE_WEIGHT = 0.30


@dataclass(frozen=True)
class LinkOption:
    finding: Overlap
    clause: float  # the best evidence clause's score
    bounced_share: float  # share of the finding's departments that bounced the record

    def score(self, bounce_weight: float = BOUNCE_WEIGHT) -> float:
        return self.clause + bounce_weight * self.bounced_share


def _same(clause: Clause, department: str, file: str, item: str, text: str) -> bool:
    return clause.department == department and clause.file == file and clause.item == item and \
        (clause.text in text or text in clause.text)


class FindingIndex:
    """Which clauses are evidence of which finding."""

    def __init__(self, findings: list[Overlap], clauses: list[Clause]):
        self.findings = findings
        by_key: dict[tuple[str, str, str], list[int]] = {}
        for j, c in enumerate(clauses):
            by_key.setdefault((c.department, c.file, c.item), []).append(j)
        self.members = []
        for f in findings:
            idx = {j for e in f.evidence for j in by_key.get((e.department, e.file, e.item), [])
                   if _same(clauses[j], e.department, e.file, e.item, e.text)}
            self.members.append(np.array(sorted(idx), dtype=np.int64))

    def best_clauses(self, clause_scores: np.ndarray) -> np.ndarray:
        """rows × findings: each finding's best evidence clause score, for a batch at once."""
        out = np.zeros((clause_scores.shape[0], len(self.findings)), dtype=np.float32)
        for k, members in enumerate(self.members):
            if len(members):
                out[:, k] = clause_scores[:, members].max(axis=1)
        return out

    def options(self, best_clauses: np.ndarray, bounced: set[str], top: int = 3, floor: float = 0.0) -> list[LinkOption]:
        """`best_clauses`: one row of `best_clauses(...)`; findings whose best clause is below `floor` are skipped
        (with floor = link score − bounce weight none of them could be chosen)."""
        out = []
        for k in np.flatnonzero(best_clauses > max(floor, 0.0) - 1e-9):
            f, best = self.findings[k], float(best_clauses[k])
            share = len(bounced & set(f.departments)) / max(len(f.departments), 1)
            out.append(LinkOption(f, best, share))
        out.sort(key=lambda o: -o.score())
        return out[:top]


def choose(options: list[LinkOption], link_score: float = LINK_SCORE, bounce_weight: float = BOUNCE_WEIGHT) -> Overlap | None:
    best = max(options, key=lambda o: o.score(bounce_weight), default=None)
    return best.finding if best is not None and best.score(bounce_weight) >= link_score else None
