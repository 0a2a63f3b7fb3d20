"""Overlap engine: duties that two departments (or two units of one department) both claim.

How a finding comes about, so that each one can be explained:
1. Every 主要职责 item, 内设机构 duty and 清单 row is cut into clauses and read into canonical objects,
   actions and other content words (`match.collect_units`).
2. Words are weighted by how few departments of the same government use them (`match.build_space`).
3. The sparse top-k neighbour search proposes candidate pairs; each is described by features a reviewer
   can read (`pairs.describe`) and the learned pair model (`decide.PairModel`, models/overlaps/) gives the
   probability that it is a real overlap. Pairs at or above the threshold probability are kept.
4. Pairs are grouped into one finding per object and connected departments (“一件事”), checked against
   职责分工 paragraphs that name both sides and the object, and ranked: cross before internal, by probability.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace

import numpy as np

from ..embed import cosine_rows
from ..model import Corpus
from ..match import (
    LIST_SECTION, Background, Space, Unit, WeightConfig, build_space, collect_units, neighbour_pairs, units_by_item,
)
from ..segment import Segmenter, default_segmenter
from . import decide
from .government import governments
from .pairs import CROSS, INTERNAL, Candidate, describe, induced_objects, object_heads

COMPARED_SECTIONS = ("主要职责", "内设机构")


@dataclass
class OverlapConfig:
    # The probability a kept pair must reach; None takes the shipped model's thresholds (metadata.json: one for
    # cross-department pairs, one for internal ones).
    min_score: float | None = None
    candidate_min_score: float = 0.08  # lexical floor of the neighbour search that proposes pairs
    top_k: int = 15
    max_df_share: float = 0.5  # words in more departments than this share carry no weight at all
    object_boost: float = 2.0
    subword_weight: float = 0.3
    boilerplate_share: float = 0.6
    align_min_score: float = 0.18
    chunk: int = 2000
    use_background: bool = True
    # With a semantic backend (similarity calibrated so that 0 is the median of random cross-department
    # clause pairs and 1 their 99.5th percentile): a candidate whose meaning is at least `semantic_rescue`
    # close and which shares several words is kept; one no closer than `semantic_pushdown` loses half.
    semantic_floor: float = 0.05
    semantic_rescue: float = 0.8
    semantic_pushdown: float = 0.0
    semantic_min_shared: int = 3
    model: object | None = field(default=None, repr=False)  # a decide.PairModel; None loads the shipped one

    def search(self, floor: float | None = None) -> WeightConfig:
        return WeightConfig(self.max_df_share, self.object_boost, self.subword_weight, self.boilerplate_share,
                            self.candidate_min_score if floor is None else floor, self.top_k, self.chunk)


@dataclass
class Evidence:
    department: str
    unit: str | None
    file: str
    section: str
    item: str
    text: str


@dataclass
class Settlement:
    department: str
    text: str
    file: str


@dataclass
class Overlap:
    id: str
    kind: str
    topic: str
    departments: list[str]
    units: list[str]
    score: float
    settled: bool
    settled_by: Settlement | None
    evidence: list[Evidence]
    why: str


@dataclass
class AlignmentGap:
    department: str
    kind: str  # 清单事项无三定依据 | 三定职责无清单事项
    file: str
    item: str
    text: str
    best_match: str
    score: float


@dataclass
class OverlapReport:
    overlaps: list[Overlap]
    alignment: list[AlignmentGap]

    def top(self, n: int | None) -> "OverlapReport":
        return OverlapReport(self.overlaps[:n] if n else self.overlaps, self.alignment)

    def to_dict(self, errors: list | None = None) -> dict:
        """The `overlaps --json` shape: overlaps, alignment, errors."""
        return {
            "overlaps": [asdict(o) for o in self.overlaps],
            "alignment": [asdict(a) for a in self.alignment],
            "errors": [asdict(e) for e in errors or []],
        }


@dataclass
class Pair:
    """A kept candidate: its probability and what carried it."""

    candidate: Candidate
    score: float
    semantic: float | None = None

    @property
    def a(self) -> Unit:
        return self.candidate.a

    @property
    def b(self) -> Unit:
        return self.candidate.b

    @property
    def kind(self) -> str:
        return self.candidate.kind

    @property
    def anchor(self) -> str:
        return self.candidate.anchor


def stable_id(kind: str, topic: str, members: list[str]) -> str:
    digest = hashlib.sha1("|".join([kind, topic, *members]).encode("utf-8")).hexdigest()[:10]
    return f"{'JC' if kind == CROSS else 'NB'}-{digest}"


class Components:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


def member(u: Unit, kind: str) -> str:
    return u.department if kind == CROSS else f"{u.department}/{u.unit}"


def settlement(corpus: Corpus, departments: list[str], objects: list[str], seg: Segmenter) -> Settlement | None:
    """A 职责分工 paragraph of one side that names another side and the shared object."""
    for clause in corpus.divisions:
        if clause.department not in departments:
            continue
        if not set(clause.counterparts) & (set(departments) - {clause.department}):
            continue
        if set(objects) & set(seg.terms(clause.text).content):
            return Settlement(clause.department, clause.label + clause.text, clause.location.file)
    return None


def group(pairs: list[Pair], corpus: Corpus, seg: Segmenter, by_item: dict[tuple, list[Unit]], model) -> list[Overlap]:
    """One finding per object and connected set of members; two such groups with the same members that
    rest on a common duty item are one matter under two names (外商投资、境外投资) and are merged."""
    by_topic: dict[tuple[str, str], list[Pair]] = defaultdict(list)
    for p in pairs:
        by_topic[(p.kind, p.anchor)].append(p)
    groups: list[tuple[str, list[Pair]]] = []
    for (kind, _), topic_pairs in by_topic.items():
        comps = Components()
        for p in topic_pairs:
            comps.union(member(p.a, kind), member(p.b, kind))
        parts: dict[str, list[Pair]] = defaultdict(list)
        for p in topic_pairs:
            parts[comps.find(member(p.a, kind))].append(p)
        groups.extend((kind, part) for part in parts.values())
    merged: list[tuple[str, frozenset, set, list[Pair]]] = []
    for kind, part in sorted(groups, key=lambda g: -max(p.score for p in g[1])):
        members = frozenset(member(u, kind) for p in part for u in (p.a, p.b))
        items = {u.item_key for p in part for u in (p.a, p.b)}
        for i, (k, m, its, ps) in enumerate(merged):
            if k == kind and m == members and its & items:
                merged[i] = (k, m, its | items, ps + part)
                break
        else:
            merged.append((kind, members, items, list(part)))
    merged = absorb(merged)
    findings = [finding(kind, part, corpus, seg, by_item, model) for kind, _, _, part in merged]
    findings.sort(key=rank)
    return findings


def absorb(groups: list[tuple[str, frozenset, set, list[Pair]]]) -> list[tuple[str, frozenset, set, list[Pair]]]:
    """A group whose members are a strict part of another group's and which rests on one of its duty items is the
    same matter read on another word of that item (生活垃圾 beside 餐厨垃圾, both from 城管 (四) and 生态环境 (六)):
    it joins that group, so the matter is one finding that names every department, not a second entry ranked
    above it that names only some."""
    alive = [[kind, members, set(items), list(part)] for kind, members, items, part in groups]
    # smallest first, so a group that joins a middle one travels with it when that one joins a larger one
    for g in sorted(alive, key=lambda g: (len(g[2]), len(g[1]))):
        hosts = [h for h in alive if h is not g and h[0] == g[0] and g[1] < h[1] and g[2] & h[2]
                 and same_kind(anchor_set(g[3]), anchor_set(h[3]))]
        if hosts:
            host = max(hosts, key=lambda h: (len(h[2]), len(h[1]), max(p.score for p in h[3])))
            host[3].extend(g[3])
            alive = [h for h in alive if h is not g]
    return [(kind, members, items, part) for kind, members, items, part in alive]


def anchor_set(part: list[Pair]) -> set[str]:
    return {p.anchor for p in part if p.anchor}


def same_kind(a: set[str], b: set[str]) -> bool:
    """Two groups' objects are one kind of thing: one names the other (垃圾, 生活垃圾) or both end in the same
    two-character head (生活垃圾, 餐厨垃圾). One duty item often lists unrelated matters (停车 and 地下管线 in
    one 城管 item); sharing the item alone does not make them one finding."""
    return any(x in y or y in x or (len(x) >= 2 and len(y) >= 2 and x[-2:] == y[-2:]) for x in a for y in b)


def evidence_text(u: Unit, by_item: dict[tuple, list[Unit]]) -> str:
    """The whole duty item the clause was cut from, so the evidence reads as the document has it."""
    sentences = [x.text for x in by_item.get(u.item_key, [])]
    return "。".join(dict.fromkeys(sentences)) if sentences else u.text


def finding(kind: str, pairs: list[Pair], corpus: Corpus, seg: Segmenter, by_item: dict[tuple, list[Unit]], model) -> Overlap:
    anchors: list[str] = []
    names: list[str] = []
    for p in sorted(pairs, key=lambda p: -p.score):
        if p.anchor not in anchors:
            anchors.append(p.anchor)
            names.append(p.candidate.topic or p.anchor)
    topic = "、".join(dict.fromkeys(names))
    best: dict[tuple, tuple[float, Unit]] = {}
    for p in pairs:
        for u in (p.a, p.b):
            key = u.item_key
            if key not in best or p.score > best[key][0]:
                best[key] = (p.score, u)
    ranked = sorted(best.values(), key=lambda su: (-su[0], su[1].department))
    evidence = [Evidence(u.department, u.unit, u.location.file, u.section, u.item, evidence_text(u, by_item)) for _, u in ranked]
    departments = sorted({u.department for _, u in ranked})
    units = sorted({u.unit for _, u in ranked if u.unit})
    top = max(pairs, key=lambda p: p.score)
    members = departments if kind == CROSS else sorted({member(u, kind) for _, u in ranked})
    settled = settlement(corpus, departments, anchors, seg) if kind == CROSS else None
    shared = "、".join(top.candidate.shared[:6])
    where = "个部门" if kind == CROSS else "个内设机构"
    why = (
        f"{len(members)}{where}的职责都指向“{topic}”：共同的对象和用语 {shared}；"
        f"共同的动作 {'、'.join(top.candidate.actions) or '无'}；判定为交叉的概率 {top.score:.2f}"
        f"（起决定作用的是：{model.explain(top.candidate.x)}）"
    )
    if top.semantic is not None:
        why += f"；语义接近程度 {top.semantic:.2f}（0 为随机两条职责的中位水平，1 为前 0.5%）"
    if settled:
        why += f"；{settled.department}的职责分工条款已作划分"
    return Overlap(
        id=stable_id(kind, anchors[0], members), kind=kind, topic=topic, departments=departments, units=units,
        score=round(top.score, 4), settled=settled is not None, settled_by=settled, evidence=evidence, why=why,
    )


def alignment(units: list[Unit], space: Space, config: OverlapConfig) -> list[AlignmentGap]:
    """Per department with a 清单: rows no 三定 clause covers, and 主要职责 items no row covers."""
    gaps: list[AlignmentGap] = []
    by_dept: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for i, u in enumerate(units):
        by_dept[u.department][LIST_SECTION if u.section == LIST_SECTION else "三定"].append(i)
    m = space.matrix
    for dept, groups in sorted(by_dept.items()):
        rows, duties = groups.get(LIST_SECTION, []), groups.get("三定", [])
        if not rows or not duties:
            continue
        sim = (m[rows] @ m[duties].T).toarray()
        # A row that names a known object is covered only by a duty that names it too.
        for r, i in enumerate(rows):
            if units[i].terms.objects:
                named = np.array([bool(set(units[i].terms.objects) & set(units[j].terms.objects)) for j in duties])
                sim[r, ~named] = 0.0
        seen: set[str] = set()
        for r, i in enumerate(rows):
            u = units[i]
            if u.text in seen:
                continue
            seen.add(u.text)
            j = int(sim[r].argmax())
            if sim[r, j] < config.align_min_score:
                gaps.append(AlignmentGap(dept, "清单事项无三定依据", u.location.file, u.item, u.text, units[duties[j]].text, round(float(sim[r, j]), 4)))
        item_best: dict[tuple, tuple[float, Unit, int]] = {}
        for c, i in enumerate(duties):
            u = units[i]
            if u.section != "主要职责" or m[i].nnz == 0:
                continue
            r = int(sim[:, c].argmax())
            score = float(sim[r, c])
            if u.item_key not in item_best or score > item_best[u.item_key][0]:
                item_best[u.item_key] = (score, u, rows[r])
        for score, u, r in item_best.values():
            if score < config.align_min_score:
                gaps.append(AlignmentGap(dept, "三定职责无清单事项", u.location.file, u.item, u.text, units[r].text, round(score, 4)))
    return gaps


def semantic_scale(vectors: np.ndarray, departments: list[str], samples: int = 4000, seed: int = 0) -> tuple[float, float]:
    """Where a backend's cosines sit for clauses of different departments taken at random: (median, 99.5th
    percentile). Backends differ wildly (e5's cosines crowd into 0.86–0.94), so each run calibrates itself."""
    rng = np.random.default_rng(seed)
    n = len(vectors)
    i, j = rng.integers(0, n, samples), rng.integers(0, n, samples)
    dept = np.array(departments)
    keep = dept[i] != dept[j]
    if keep.sum() < 20:
        return 0.0, 1.0
    cos = cosine_rows(vectors[i[keep]], vectors[j[keep]])
    lo, hi = float(np.median(cos)), float(np.percentile(cos, 99.5))
    return lo, max(hi, lo + 1e-6)


def proposals(space: Space, units: list[Unit], config: OverlapConfig, encoder) -> Iterator[tuple[int, int, float, float | None]]:
    """Lexical top-k neighbour pairs; with an encoder, a wider lexical net with each pair's meaning (never all pairs)."""
    if encoder is None:
        for i, j, s in neighbour_pairs(space, units, config.search()):
            yield i, j, s, None
        return
    pairs = list(neighbour_pairs(space, units, config.search(min(config.semantic_floor, config.candidate_min_score))))
    if not pairs:
        return
    vectors = encoder.encode([u.text for u in units])
    lo, hi = semantic_scale(vectors, [u.department for u in units])
    first, second, lexical = (np.array(column) for column in zip(*pairs))
    meaning = (cosine_rows(vectors[first], vectors[second]) - lo) / (hi - lo)
    for i, j, s, m in zip(first.tolist(), second.tolist(), lexical.tolist(), meaning.round(2).tolist()):
        yield i, j, s, m


@dataclass
class Government:
    """One government's units, their space and the candidate pairs the neighbour search proposes."""

    name: str
    units: list[Unit]
    space: Space
    candidates: list[Candidate]
    meanings: list[float | None]


def candidate_pairs(corpus: Corpus, config: OverlapConfig, seg: Segmenter, encoder=None) -> list[Government]:
    """Per government: every proposed pair described by its features (the pair model's input; the trainer's too)."""
    background = Background.shipped() if config.use_background else Background(0, {})
    all_units = collect_units(corpus, seg)
    place_of = governments(sorted({u.department for u in all_units}))
    by_place: dict[str, list[Unit]] = defaultdict(list)
    for u in all_units:
        by_place[place_of[u.department]].append(u)
    lexicon_objects = set(seg.lexicon.objects.values())
    heads = object_heads(lexicon_objects)
    out = []
    for place in sorted(by_place):
        units = by_place[place]
        space = build_space(units, config, lexicon_objects, background)
        induced = induced_objects(units, lexicon_objects)
        cands, meanings = [], []
        for i, j, s, meaning in proposals(space, units, config, encoder):
            c = describe(units[i], units[j], s, space, induced, heads, seg)
            if c is not None:
                cands.append(c)
                meanings.append(meaning)
        out.append(Government(place, units, space, cands, meanings))
    return out


def semantic_adjust(p: float, c: Candidate, meaning: float, threshold: float, config: OverlapConfig) -> float:
    """A look-alike sharing words but not meaning loses half; a paraphrase sharing several words is kept."""
    if p >= threshold:
        return p * (0.5 if meaning <= config.semantic_pushdown else 1.0)
    rescued = meaning >= config.semantic_rescue and len(c.shared) >= config.semantic_min_shared
    return threshold if rescued else p


def find_overlaps(
    corpus: Corpus, config: OverlapConfig | None = None, segmenter: Segmenter | None = None, encoder=None,
) -> OverlapReport:
    """Cross-department and internal overlaps, grouped into topics, plus the 三定↔清单 gaps.

    `encoder` (see `embed.get_encoder`) adds each candidate's meaning; None keeps it lexical.
    """
    config = config or OverlapConfig()
    seg = segmenter or default_segmenter()
    model = config.model or decide.load_default()
    return decide_all(candidate_pairs(corpus, config, seg, encoder), corpus, model, config, seg)


def decide_all(govs: list[Government], corpus: Corpus, model, config: OverlapConfig, seg: Segmenter) -> OverlapReport:
    """The model's decision on every government's candidates, grouped into findings (reusable by the trainer)."""
    overlaps: list[Overlap] = []
    gaps: list[AlignmentGap] = []
    for gov in govs:
        probs = model.predict_proba(np.array([c.x for c in gov.candidates])) if gov.candidates else []
        pairs = []
        for c, p, meaning in zip(gov.candidates, probs, gov.meanings):
            p = float(p)
            threshold = model.threshold_for(c.kind) if config.min_score is None else config.min_score
            if meaning is not None:
                p = semantic_adjust(p, c, meaning, threshold, config)
            if p >= threshold:
                pairs.append(Pair(c, p, meaning))
        overlaps.extend(group(pairs, corpus, seg, units_by_item(gov.units), model))
        gaps.extend(alignment(gov.units, gov.space, config))
    overlaps.sort(key=rank)
    return OverlapReport(overlaps, gaps)


def rank(f: Overlap) -> tuple:
    """Cross-department findings first, then internal ones (a department divides its own units' work), each by
    probability. A settled finding keeps its place and says it is settled: burying settled ones under every
    unsettled low-probability pair pushed well-founded overlaps out of the first 20, and putting internal ones
    between them made the first 20 of the list differ from the first 20 cross findings."""
    return f.kind != CROSS, -f.score, f.id
