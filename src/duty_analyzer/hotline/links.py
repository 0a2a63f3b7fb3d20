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
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources

import numpy as np
from scipy import sparse

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
    "no_bouncer", "pick_without_bouncer", "final_outside", "object_part",
)
FEATURE_TEXT = {
    "request_objects": "诉求点名事项对象", "request_words": "诉求用词与事项相同", "first_object": "诉求点名事项对象",
    "object_pick": "诉求点名事项对象", "chain_share": "流转单位为事项涉及部门", "clause_margin": "事项条款得分最高",
    "reason_terms": "退单理由提及事项", "clause": "诉求与事项条款相近", "clause_best": "事项条款得分最高",
    "bounced_share": "退单部门为事项涉及部门", "final_in": "最终承办单位为事项涉及部门",
    "object_and_bounced": "点名对象且退单部门相符", "clause_and_bounced": "条款相近且退单部门相符",
    "object_part": "诉求或退单理由提及事项对象的一部分",
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


def bigrams(text: str) -> tuple[str, ...]:
    """The text's two-character windows, in order, each once."""
    return tuple(dict.fromkeys(text[i:i + 2] for i in range(len(text) - 1)))


def object_part(texts: Sequence[str], parts: Sequence[tuple[str, tuple[str, ...]]]) -> float:
    """The largest share of a finding object's two-character windows that one text holds, over the objects no text
    names whole: 垃圾池 says part of 生活垃圾 (⅓), 违建 none of 违法建设. Objects named whole are the other
    features' business; `parts`: (object, its `bigrams`) of the objects of three characters or more."""
    best = 0.0
    for term, grams in parts:
        if any(term in t for t in texts):
            continue
        for t in texts:
            share = sum(g in t for g in grams) / len(grams)
            if share > best:
                best = share
    return best


@dataclass(frozen=True)
class FindingTerms:
    """What `candidates` reads of each finding, computed once per run: its topic's terms, its departments, and
    which findings each term names."""

    terms: list[set[str]]
    departments: list[set[str]]
    by_term: dict[str, list[int]]
    parts: list[tuple[tuple[str, tuple[str, ...]], ...]] = field(default_factory=list)  # per finding, for `object_part`

    @classmethod
    def of(cls, findings: list[Overlap]) -> "FindingTerms":
        terms = [_topic_terms(f) for f in findings]
        by_term: dict[str, list[int]] = {}
        for k, t in enumerate(terms):
            for w in t:
                by_term.setdefault(w, []).append(k)
        parts = [tuple((w, bigrams(w)) for w in sorted(t) if len(w) >= 3) for t in terms]
        return cls(terms, [set(f.departments) for f in findings], by_term, parts)


@dataclass(frozen=True)
class LinkInputs:
    """What `batch_candidates` reads of one record: its request's and bounce reasons' terms, the corpus departments
    that bounced it and that it passed through, its final unit, and whether that unit is outside this government."""

    request: Terms
    reasons: Terms | None
    bounced: set[str]
    chain: set[str]
    final: str | None
    final_outside: bool = False
    texts: tuple[str, ...] = ()  # the request and the joined bounce reasons as written, for `object_part`


def candidates(findings: list[Overlap], best_clauses: np.ndarray, request: Terms, reasons: Terms | None,
               bounced: set[str], chain: set[str], final: str | None, top: int = 5,
               final_outside: bool = False, known: FindingTerms | None = None,
               texts: tuple[str, ...] = ()) -> list[LinkCandidate]:
    """The findings a record could belong to — those sharing an object or word with the request or its bounce
    reasons, and the `top` whose evidence clauses score best — each with its features. `best_clauses` is the
    record's row of `FindingIndex.best_clauses`; `bounced` and `chain` are corpus department names;
    `final_outside`: the order was finally handled by a body that is none of this government's departments
    (police, fire brigade, a utility): most such orders were misrouted, not disputed; `known`: the findings'
    `FindingTerms`, when the caller keeps them across records; `texts`: the request and reasons as written. One
    record of `batch_candidates`."""
    inputs = LinkInputs(request, reasons, bounced, chain, final, final_outside, texts)
    return list(batch_candidates(findings, best_clauses[None, :], [inputs], top, known)[0])


class LinkOptions(Sequence):
    """One record's candidates, most probable first when scored: a view on its rows of the batch's feature matrix
    that builds the candidates (and their feature dicts) only when they are read; `[0]` alone builds just the
    first, which is all the link decision reads of most records."""

    def __init__(self, findings: list[Overlap], ks: list[int], x: np.ndarray, probabilities: list[float]):
        self._findings, self._ks, self._x, self._p = findings, ks, x, probabilities
        self._items: list[LinkCandidate] | None = None

    def _candidate(self, i: int) -> LinkCandidate:
        return LinkCandidate(self._findings[self._ks[i]], dict(zip(LINK_FEATURES, self._x[i].tolist())), self._p[i])

    def _all(self) -> list[LinkCandidate]:
        if self._items is None:
            order = sorted(range(len(self._ks)), key=lambda i: -self._p[i])  # stable: ties keep the findings' order
            self._items = [self._candidate(i) for i in order]
        return self._items

    def __len__(self) -> int:
        return len(self._ks)

    def __getitem__(self, i):
        if i == 0 and self._items is None and self._ks:
            p = self._p
            return self._candidate(p.index(max(p)))  # the first of the most probable, as the stable sort puts it
        return self._all()[i]

    def __iter__(self):
        return iter(self._all())


def batch_candidates(findings: list[Overlap], best_clauses: np.ndarray, records: list[LinkInputs], top: int = 5,
                     known: FindingTerms | None = None, model: "LinkModel | None" = None) -> list[LinkOptions]:
    """`candidates` for a batch at once (`best_clauses`: rows × findings): the features of every record's
    candidates are computed as one matrix over records × findings, so no Python work is done per finding. With
    `model`, each record's candidates are scored as `score_candidates` scores them, most probable first."""
    if not findings:
        return [LinkOptions(findings, [], np.zeros((0, len(LINK_FEATURES))), []) for _ in records]
    known = known or FindingTerms.of(findings)
    out: list[LinkOptions] = []
    step = max(1, MATRIX_CELLS // len(findings))  # records per feature matrix: memory bounded however many findings
    for start in range(0, len(records), step):
        part = records[start:start + step]
        rows, ks, x = candidate_matrix(findings, best_clauses[start:start + step], part, top, known)
        probabilities = link_probabilities(x, model) if model is not None else [0.0] * len(rows)
        bounds = np.searchsorted(rows, np.arange(len(part) + 1)).tolist()
        ks_list = ks.tolist()
        out.extend(LinkOptions(findings, ks_list[a:b], x[a:b], probabilities[a:b]) for a, b in zip(bounds, bounds[1:]))
    return out


MATRIX_CELLS = 1_000_000  # records × findings cells per batch of `candidate_matrix` (≈ 20 such arrays)


def _incidence(sets: list[list[int]], width: int):
    """rows × width, sparse: 1 where a row's list holds the column (each list's columns counted once)."""
    lengths = [len(cols) for cols in sets]
    rows = np.repeat(np.arange(len(sets)), lengths)
    m = sparse.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, [c for cols in sets for c in cols])),
                          shape=(len(sets), width))
    m.sum_duplicates()
    m.data[:] = 1  # a column listed twice is still one
    return m


def candidate_matrix(findings: list[Overlap], best_clauses: np.ndarray, records: list[LinkInputs], top: int,
                     known: FindingTerms) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(record row, finding, features in `LINK_FEATURES` order) of every candidate of a batch, by record and then
    by finding. Shared terms and departments are counted by products of incidence matrices (records × terms by
    terms × findings); every feature is the same float the per-record rule computed."""
    n_rec, n = best_clauses.shape
    term_id = {w: i for i, w in enumerate(known.by_term)}
    topic = _incidence([sorted(set(known.by_term[w])) for w in term_id], n)
    dept_id = {d: i for i, d in enumerate(sorted(set().union(*known.departments)))}
    depts = _incidence([[dept_id[d] for d in ds] for ds in known.departments], len(dept_id)).T.tocsr()

    def ids(words, index) -> list[int]:
        return [index[w] for w in words if w in index]

    objects = _incidence([ids(set(rec.request.objects), term_id) for rec in records], len(term_id))
    words = _incidence([ids(set(rec.request.words), term_id) for rec in records], len(term_id))
    reasons = _incidence([ids(set(rec.reasons.objects) | set(rec.reasons.words), term_id) if rec.reasons else []
                          for rec in records], len(term_id))
    first = _incidence([ids(rec.request.objects[:1], term_id) for rec in records], len(term_id))

    def counts(a, b) -> np.ndarray:  # records × findings, dense: shared items
        return (a @ b).toarray()

    hits, in_words, in_reasons = counts(objects, topic), counts(words, topic), counts(reasons, topic)
    union = objects.maximum(words)  # a term that is both an object and a word counts once
    said = counts(union.maximum(reasons), topic)
    content = counts(union, topic)
    bounced_in = counts(_incidence([ids(rec.bounced, dept_id) for rec in records], len(dept_id)), depts)
    chain_in = counts(_incidence([ids(rec.chain, dept_id) for rec in records], len(dept_id)), depts)
    final_in = counts(_incidence([ids([rec.final] if rec.final else [], dept_id) for rec in records], len(dept_id)), depts)
    n_bounced = np.array([len(rec.bounced) for rec in records], dtype=np.int64)[:, None]
    size = np.array([len(d) or 1 for d in known.departments], dtype=np.int64)[None, :]

    # The `top` findings by best clause, as argpartition and a stable sort order them: the first is the best, ties
    # going to the earlier in argpartition's order; the second's score is the runner-up's.
    clauses = best_clauses.astype(np.float64)
    head = np.argpartition(-best_clauses, min(top, n - 1), axis=1)[:, :top] if n > top else np.tile(np.arange(n), (n_rec, 1))
    head_scores = np.take_along_axis(clauses, head, axis=1)
    first_k = head[np.arange(n_rec), head_scores.argmax(axis=1)]
    first_best = head_scores.max(axis=1)
    second_best = np.sort(head_scores, axis=1)[:, -2] if head.shape[1] > 1 else np.zeros(n_rec)
    in_head = np.zeros((n_rec, n), dtype=bool)
    np.put_along_axis(in_head, head, True, axis=1)
    chosen = (said > 0) | (in_head & (clauses > 0))

    is_first = np.arange(n)[None, :] == first_k[:, None]
    pick = _object_picks(findings, records, hits, content, chain_in, known)
    picked = np.arange(n)[None, :] == pick[:, None]
    rivals = np.array([math.log1p(i) for i in range(n + 1)])  # math's, not numpy's: the same last digit as ever
    n_objects = (hits > 0).sum(axis=1, keepdims=True)
    no_bouncer = (n_bounced == 0).astype(np.float64)
    any_in = bounced_in > 0
    outside = np.array([rec.final_outside for rec in records], dtype=np.float64)[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        bouncers_outside = np.where(n_bounced > 0, (n_bounced - bounced_in) / np.maximum(n_bounced, 1), 0.0)
    columns = {
        "request_objects": np.minimum(hits, 2), "request_words": np.minimum(in_words, 2),
        "first_object": counts(first, topic), "reason_terms": np.minimum(in_reasons, 2),
        "object_rivals": np.where(hits > 0, rivals[np.maximum(n_objects - 1, 0)], rivals[n_objects]),
        "clause": clauses,
        "clause_best": is_first & (clauses > 0),
        "clause_margin": clauses - np.where(is_first, second_best[:, None], first_best[:, None]),
        "bounced_share": bounced_in / size, "bounced_any": any_in, "bouncers_outside": bouncers_outside,
        "final_in": final_in > 0, "chain_share": chain_in / size,
        "object_and_bounced": (hits > 0) & any_in, "clause_and_bounced": clauses * any_in,
        "nothing_shared": said == 0, "object_pick": picked,
        "no_bouncer": np.broadcast_to(no_bouncer, (n_rec, n)),
        "pick_without_bouncer": picked & (n_bounced == 0),
        "final_outside": np.broadcast_to(outside, (n_rec, n)),
    }
    rows, ks = np.nonzero(chosen)
    x = np.empty((len(rows), len(LINK_FEATURES)), dtype=np.float64)
    for j, name in enumerate(LINK_FEATURES):
        if name != "object_part":
            x[:, j] = columns[name][rows, ks]
    parts = known.parts or FindingTerms.of(findings).parts
    x[:, LINK_FEATURES.index("object_part")] = [object_part(records[r].texts, parts[k])
                                                for r, k in zip(rows.tolist(), ks.tolist())]
    return rows, ks, x


def _object_picks(findings: list[Overlap], records: list[LinkInputs], hits: np.ndarray, content: np.ndarray,
                  chain_in: np.ndarray, known: FindingTerms) -> np.ndarray:
    """Per record, the finding a reader would pick by name (−1: none): most shared dictionary objects (then
    words), then the departments in the chain, then the object the request names first, then the finding's own
    score; ties go to the earlier finding."""
    out = np.full(len(records), -1, dtype=np.int64)
    keys = (hits * 2 + content).tolist()
    chains = chain_in.tolist()
    for r in np.flatnonzero(content.any(axis=1)).tolist():
        objects = records[r].request.objects
        position: dict[int, int] = {}
        for i, o in enumerate(objects):
            for k in known.by_term.get(o, ()):
                position.setdefault(k, i)
        best, best_key = -1, None
        for k in np.flatnonzero(content[r]).tolist():
            key = (keys[r][k], chains[r][k], -position.get(k, len(objects)), findings[k].score)
            if best_key is None or key > best_key:
                best, best_key = k, key
        out[r] = best
    return out


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


def link_probabilities(x: np.ndarray, model: LinkModel) -> list[float]:
    """Each row's probability (rows: features in `LINK_FEATURES` order), rounded to 4 digits. The weighted sum
    runs feature by feature onto the intercept and the logistic goes through math.exp, so every row gets the
    float the per-candidate sum always gave (a BLAS dot product may add in another order)."""
    total = np.zeros(len(x))
    for j, w in enumerate(model.coef_.tolist()):
        total += x[:, j] * w
    return [round(1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0))), 4) for z in (model.intercept_ + total).tolist()]


def score_candidates(cands: list[LinkCandidate], model: LinkModel) -> list[LinkCandidate]:
    """The candidates with their probabilities, most probable first."""
    probabilities = link_probabilities(LinkModel.matrix([c.features for c in cands]), model) if cands else []
    scored = [LinkCandidate(c.finding, c.features, p) for c, p in zip(cands, probabilities)]
    return sorted(scored, key=lambda c: -c.probability)


def choose_link(scored: Sequence[LinkCandidate], threshold: float) -> LinkCandidate | None:
    """The most probable candidate when it clears `threshold` (scored: from `score_candidates` or
    `batch_candidates`)."""
    best = scored[0] if scored else None
    return best if best is not None and best.probability >= threshold else None
