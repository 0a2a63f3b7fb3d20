"""Linking a record to the overlap finding it belongs to.

Each cross-department finding rests on evidence clauses and names its objects; a record is close to a finding
when it names the finding's object, when one of the finding's clauses scores well for it (ranking.Ranker's
clause scores, [0, 1]), and when the departments that bounced or finally handled it are the finding's.
`candidates` gathers the findings a record could belong to with those readable features; `LinkModel` (a
logistic regression stored as plain JSON, trained and validated leave-one-corpus-out by
bench/build_link_model.py and bench/hotline_quality.py) turns them into a probability, and `choose_link` takes
the most probable finding above the shipped threshold. Without a shipped model, the older rule (`choose`:
best clause + bounce weight × bounced share ≥ link score) decides.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from importlib import resources

import numpy as np

from ..overlaps import Overlap
from ..segment import Terms
from .ranking import Clause

LINK_MODEL_FILE = "data/hotline_link_model.json"
# Features a reviewer can read, in the order the model stores its weights. The finding's own score (how alike its
# departments' clauses are) is not one: it describes the 三定, not the record, and what it learned on one author's
# corpora (a negative weight) did not carry to the others (docs/benchmarks.md, links session 28).
LINK_FEATURES = (
    "request_objects", "request_words", "first_object", "reason_terms", "object_rivals", "clause", "clause_best",
    "clause_margin", "bounced_share", "bounced_any", "bouncers_outside", "final_in", "chain_share",
    "object_and_bounced", "clause_and_bounced", "nothing_shared", "object_pick",
    "no_bouncer", "pick_without_bouncer", "final_outside",
)
FEATURE_TEXT = {
    "request_objects": "诉求点名事项对象", "request_words": "诉求用词与事项相同", "first_object": "诉求点名事项对象",
    "object_pick": "诉求点名事项对象", "chain_share": "流转单位为事项涉及部门", "clause_margin": "事项条款得分最高",
    "reason_terms": "退单理由提及事项", "clause": "诉求与事项条款相近", "clause_best": "事项条款得分最高",
    "bounced_share": "退单部门为事项涉及部门", "final_in": "最终承办单位为事项涉及部门",
    "object_and_bounced": "点名对象且退单部门相符", "clause_and_bounced": "条款相近且退单部门相符",
}

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


# ---------------------------------------------------------------- learned link decision

@dataclass(frozen=True)
class LinkCandidate:
    """A finding a record could belong to, with the features the decision reads and, once scored, its probability."""

    finding: Overlap
    features: dict[str, float]
    probability: float = 0.0

    def why(self, model: "LinkModel | None" = None, top: int = 3) -> str:
        """The features that carried the decision most (weight × value), in words, each said once."""
        if model is None:
            return ""
        contrib = sorted(((model.weight(k) * v, k) for k, v in self.features.items() if v and k in FEATURE_TEXT),
                         reverse=True)
        words: list[str] = []
        for c, k in contrib:
            if c > 0 and FEATURE_TEXT[k] not in words:
                words.append(FEATURE_TEXT[k])
        return "、".join(words[:top])


def _topic_terms(f: Overlap) -> set[str]:
    return set(f.topic.split("、"))


@dataclass(frozen=True)
class FindingTerms:
    """What `candidates` reads of each finding, computed once per run: its topic's terms, its departments, and
    which findings each term names."""

    terms: list[set[str]]
    departments: list[set[str]]
    by_term: dict[str, list[int]]

    @classmethod
    def of(cls, findings: list[Overlap]) -> "FindingTerms":
        terms = [_topic_terms(f) for f in findings]
        by_term: dict[str, list[int]] = {}
        for k, t in enumerate(terms):
            for w in t:
                by_term.setdefault(w, []).append(k)
        return cls(terms, [set(f.departments) for f in findings], by_term)


def candidates(findings: list[Overlap], best_clauses: np.ndarray, request: Terms, reasons: Terms | None,
               bounced: set[str], chain: set[str], final: str | None, top: int = 5,
               final_outside: bool = False, known: FindingTerms | None = None) -> list[LinkCandidate]:
    """The findings a record could belong to — those sharing an object or word with the request or its bounce
    reasons, and the `top` whose evidence clauses score best — each with its features. `best_clauses` is the
    record's row of `FindingIndex.best_clauses`; `bounced` and `chain` are corpus department names;
    `final_outside`: the order was finally handled by a body that is none of this government's departments
    (police, fire brigade, a utility): most such orders were misrouted, not disputed; `known`: the findings'
    `FindingTerms`, when the caller keeps them across records."""
    if not findings:
        return []
    known = known or FindingTerms.of(findings)
    topic_terms = known.terms
    objects, words = set(request.objects), set(request.words)
    reason_content = set(reasons.objects) | set(reasons.words) if reasons is not None else set()
    said = objects | words | reason_content
    by_object = {k for w in said for k in known.by_term.get(w, ())}
    n = len(findings)
    head = np.argpartition(-best_clauses, min(top, n - 1))[:top] if n > top else np.arange(n)
    order = sorted((int(k) for k in head), key=lambda k: -best_clauses[k])
    scores = {k: float(best_clauses[k]) for k in order}
    ks = sorted(by_object | {k for k in order if scores[k] > 0})
    first_k = order[0]
    first_best = scores[first_k]
    second_best = scores[order[1]] if len(order) > 1 else 0.0
    object_hits = {k: len(topic_terms[k] & objects) for k in ks}
    n_object_findings = sum(1 for k in object_hits.values() if k)
    first = request.objects[0] if request.objects else None
    pick = _object_pick(findings, topic_terms, ks, request, chain)
    # What does not depend on the finding, once per record.
    rivals = (math.log1p(max(n_object_findings, 0)), math.log1p(max(n_object_findings - 1, 0)))
    no_bouncer, outside = float(not bounced), float(final_outside)
    out = []
    for k in ks:
        f, terms, depts = findings[k], topic_terms[k], known.departments[k]
        clause = scores.get(k)
        if clause is None:
            clause = float(best_clauses[k])
        other_best = second_best if k == first_k else first_best
        hits = object_hits[k]
        in_words, in_reasons = len(terms & words), len(terms & reason_content)
        bounced_in = bounced & depts
        any_in, picked, size = bool(bounced_in), k == pick, len(depts) or 1
        feats = {
            "request_objects": float(hits if hits < 2 else 2),
            "request_words": float(in_words if in_words < 2 else 2),
            "first_object": float(first is not None and first in terms),
            "reason_terms": float(in_reasons if in_reasons < 2 else 2),
            "object_rivals": rivals[bool(hits)],
            "clause": clause,
            "clause_best": float(k == first_k and clause > 0),
            "clause_margin": clause - other_best,
            "bounced_share": len(bounced_in) / size,
            "bounced_any": float(any_in),
            "bouncers_outside": len(bounced - depts) / len(bounced) if bounced else 0.0,
            "final_in": float(bool(final and final in depts)),
            "chain_share": len(chain & depts) / size,
            "object_and_bounced": float(bool(hits) and any_in),
            "clause_and_bounced": clause * float(any_in),
            "nothing_shared": float(terms.isdisjoint(said)),
            "object_pick": float(picked),
            # Exports without a usable bounce chain (first-dispatch orders, units outside this government):
            # the names and clauses must carry the link alone.
            "no_bouncer": no_bouncer,
            "pick_without_bouncer": float(picked and not bounced),
            "final_outside": outside,
        }
        out.append(LinkCandidate(f, feats))
    return out


def _object_pick(findings: list[Overlap], topic_terms: list[set[str]], ks: list[int], request: Terms,
                 chain: set[str]) -> int | None:
    """The finding a reader would pick by name: most shared dictionary objects (then words), then the departments
    in the chain, then the object the request names first, then the finding's own score."""
    objects = set(request.objects)
    content = objects | set(request.words)
    position: dict[str, int] = {}
    for i, o in enumerate(request.objects):
        position.setdefault(o, i)
    best, best_key = None, None
    for k in ks:
        shared = content & topic_terms[k]
        if not shared:
            continue
        first = min((position[o] for o in shared if o in position), default=len(request.objects))
        key = (len(shared & objects) * 2 + len(shared), len(chain & set(findings[k].departments)), -first,
               findings[k].score)
        if best_key is None or key > best_key:
            best, best_key = k, key
    return best


@dataclass
class LinkModel:
    """Logistic regression over `LINK_FEATURES` (fit/predict_proba like scikit-learn; stored as plain JSON, so
    loading runs no code). `threshold`: the probability above which the best candidate is linked, chosen
    leave-one-corpus-out (see meta)."""

    C: float = 1.0
    threshold: float = 0.5
    coef_: np.ndarray | None = None
    intercept_: float = 0.0
    meta: dict = field(default_factory=dict)

    @staticmethod
    def matrix(rows: list[dict[str, float]]) -> np.ndarray:
        return np.array([[r.get(k, 0.0) for k in LINK_FEATURES] for r in rows], dtype=float).reshape(len(rows), len(LINK_FEATURES))

    def fit(self, rows: list[dict[str, float]], y: list[int]) -> "LinkModel":
        from sklearn.linear_model import LogisticRegression

        clf = LogisticRegression(C=self.C, max_iter=5000).fit(self.matrix(rows), y)
        self.coef_, self.intercept_ = clf.coef_[0], float(clf.intercept_[0])
        self._weights = None
        return self

    def predict_proba(self, rows: list[dict[str, float]]) -> np.ndarray:
        if not rows:
            return np.zeros(0)
        z = self.matrix(rows) @ self.coef_ + self.intercept_
        return 1.0 / (1.0 + np.exp(-z))

    def weights(self) -> dict[str, float]:
        if getattr(self, "_weights", None) is None:
            self._weights = {k: float(x) for k, x in zip(LINK_FEATURES, self.coef_)}
        return self._weights

    def weight(self, name: str) -> float:
        return float(self.coef_[LINK_FEATURES.index(name)]) if self.coef_ is not None and name in LINK_FEATURES else 0.0

    def to_json(self, meta: dict) -> str:
        return json.dumps({"meta": meta, "features": list(LINK_FEATURES), "C": self.C, "threshold": self.threshold,
                           "coef": [round(float(x), 6) for x in self.coef_], "intercept": round(self.intercept_, 6)},
                          ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> "LinkModel":
        data = json.loads(text)
        if list(data.get("features", [])) != list(LINK_FEATURES):
            raise ValueError("关联模型的特征与本版本不一致，请重新生成（bench/build_link_model.py）")
        coef = np.asarray(data["coef"], dtype=float)
        if coef.shape != (len(LINK_FEATURES),):
            raise ValueError("关联模型的权重维数不正确")
        return cls(float(data["C"]), float(data["threshold"]), coef, float(data["intercept"]), data.get("meta", {}))


# ---------------------------------------------------------------- choosing the regularisation and threshold

# Log-losses within this share of the best count as equal: the most regularised of them is taken.
LOSS_TOLERANCE = 0.02
# Grid points on either side averaged into each threshold's utility before the best is taken.
THRESHOLD_WINDOW = 1


def smoothed(values: list[float], width: int = THRESHOLD_WINDOW) -> list[float]:
    """Each value averaged with up to `width` neighbours on either side (fewer at the ends of the grid)."""
    return [sum(values[max(0, i - width):i + width + 1]) / len(values[max(0, i - width):i + width + 1])
            for i in range(len(values))]


def plateau_middle(grid: list[float], values: list[float], tol: float = 1e-9) -> float:
    """The middle one of the grid points whose value is the maximum (the lower of two middles)."""
    top = max(values)
    best = [g for g, v in zip(grid, values) if v >= top - tol]
    return best[(len(best) - 1) // 2]


def choose_link_settings(log_loss: dict[float, float], utility: dict[float, list[float]],
                         thresholds: list[float], tolerance: float = LOSS_TOLERANCE,
                         width: int = THRESHOLD_WINDOW) -> tuple[float, float]:
    """(C, threshold) from leave-one-corpus-out figures: `log_loss[C]` of the candidates' probabilities and
    `utility[C]`, one value per threshold of `thresholds`.

    The argmax of utility over the (C, threshold) grid jumps between distant points when a few records move (its
    surface is jagged: each record flips at one threshold). So C is chosen by the smooth criterion — the most
    regularised C whose log-loss is within `tolerance` of the best — and the threshold, for that C, as the middle
    of the plateau of the utility averaged over `width` neighbouring grid points. Both are deterministic: ties go
    to the smaller C and to the middle of the tied thresholds."""
    low = min(log_loss.values())
    C = min(c for c, v in log_loss.items() if v <= low * (1 + tolerance) + 1e-12)
    return C, plateau_middle(thresholds, smoothed(utility[C], width))


def shipped_link_model() -> LinkModel | None:
    try:
        text = resources.files("duty_analyzer").joinpath(LINK_MODEL_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return LinkModel.from_json(text)


def score_candidates(cands: list[LinkCandidate], model: LinkModel) -> list[LinkCandidate]:
    """The candidates with their probabilities, most probable first (a few candidates per record: plain
    Python is faster here than building a matrix)."""
    w, b = model.weights(), model.intercept_
    scored = []
    for c in cands:
        total = 0.0  # in feature order, then onto the intercept: the same additions as ever, so the same rounding
        for k, v in c.features.items():
            if v:
                total += w[k] * v
        z = b + total
        scored.append(LinkCandidate(c.finding, c.features, round(1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0))), 4)))
    return sorted(scored, key=lambda c: -c.probability)


def choose_link(scored: list[LinkCandidate], threshold: float) -> LinkCandidate | None:
    """The most probable candidate when it clears `threshold` (scored: from `score_candidates`)."""
    return scored[0] if scored and scored[0].probability >= threshold else None
