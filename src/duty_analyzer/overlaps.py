"""Overlap engine: duties that two departments (or two units of one department) both claim.

How a finding comes about, so that each one can be explained:
1. Every 主要职责 item, 内设机构 duty and 清单 row is cut into clauses and read into canonical objects,
   actions and other content words (`segment.Segmenter`).
2. Words are weighted by how few departments use them (department-level idf): a word every department
   carries (安全生产, 党的建设, 交办的其他任务) weighs nothing, so boilerplate never matches.
3. Sparse clause vectors are compared in chunks, keeping each clause's top-k neighbours above a
   threshold; a pair counts only if it shares a rare *object* (the anchor) and an action class.
4. Pairs are grouped into one finding per anchor and connected departments (“一件事”), checked against
   职责分工 paragraphs that name both sides and the object, and ranked unsettled first.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from importlib import resources
from collections import defaultdict
from dataclasses import asdict, dataclass, replace

import numpy as np
from scipy import sparse

from .model import Corpus, Location
from .names import split_place
from .embed import cosine_rows
from .segment import Segmenter, Terms, clauses, default_segmenter

CROSS, INTERNAL = "cross", "internal"
LIST_SECTION = "清单"
COMPARED_SECTIONS = ("主要职责", "内设机构")
DEFAULT_ACTIONS = frozenset({"监管"})
# A clause scoped to the department's own sector (本系统安全生产和消防安全) claims nothing another department holds.
OWN_SCOPE = re.compile(r"本(?:部门|系统|行业|领域|单位|机关)")


@dataclass
class OverlapConfig:
    min_score: float = 0.2
    top_k: int = 15
    max_df_share: float = 0.5  # words in more departments than this share carry no weight at all
    anchor_max_df_share: float = 0.34  # an anchor object is claimed by at most this share of departments
    internal_anchor_max_df_share: float = 0.5
    object_boost: float = 2.0
    subword_weight: float = 0.3
    unknown_object_weight: float = 0.5  # an anchor outside the domain dictionary ranks below a known object
    boilerplate_share: float = 0.6  # a clause whose words are mostly in most departments is boilerplate
    list_weight: float = 0.85  # a 清单 row is weaker evidence than a 三定 clause
    align_min_score: float = 0.18
    chunk: int = 2000
    use_background: bool = True
    # With a semantic backend (similarity calibrated so that 0 is the median of random cross-department
    # clause pairs and 1 their 99.5th percentile): a lexical candidate down to `semantic_floor` is rescued
    # when its meaning is at least `semantic_rescue` close, and one whose meaning is no closer than
    # `semantic_pushdown` (a look-alike sharing words) loses half its score.
    semantic_floor: float = 0.05
    semantic_rescue: float = 0.8
    semantic_pushdown: float = 0.0
    semantic_min_shared: int = 3


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
class _Unit:
    """One comparable clause with where it came from."""

    department: str
    unit: str | None
    section: str
    item: str
    location: Location
    text: str
    item_key: tuple
    terms: Terms


# Support units every department has; their duties (文电、会务、后勤、行政复议) are never a 职责交叉 problem.
SUPPORT_UNIT_WORDS = ("办公室", "机关党委", "人事", "政治部", "离退休", "财务", "法规", "法制")
SUPPORT_MIN_SHARE = 0.4
_UNIT_SUFFIX = re.compile(r"(科|处|股|室|支队|大队|中心)$")


def support_unit_words(corpus: Corpus, seg: Segmenter) -> set[str]:
    """Words in unit names that most departments share (办公室, 法规…): learned, plus a short fallback list."""
    per_dept: dict[str, set[str]] = defaultdict(set)
    for d in corpus.duties:
        if d.unit:
            name = _UNIT_SUFFIX.sub("", re.sub(r"[（(].*?[）)]", "", d.unit))
            per_dept[d.department].update(
                t for t in seg.tokens(name)
                if len(t) >= 2 and t not in seg.lexicon.stop and t not in seg.lexicon.actions and not _UNIT_SUFFIX.search(t)
            )
    counts: dict[str, int] = defaultdict(int)
    for words in per_dept.values():
        for w in words:
            counts[w] += 1
    n = len(per_dept)
    learned = {w for w, c in counts.items() if n >= 5 and c / n >= SUPPORT_MIN_SHARE}
    return learned | set(SUPPORT_UNIT_WORDS)


def collect_units(corpus: Corpus, seg: Segmenter) -> list[_Unit]:
    units: list[_Unit] = []
    support = support_unit_words(corpus, seg)
    for d in corpus.duties:
        if d.section not in COMPARED_SECTIONS:
            continue
        if d.unit and any(w in d.unit for w in support):
            continue
        key = (d.department, d.location.file, d.section, d.unit, d.label, d.location.line, d.location.paragraph, d.location.page)
        for sentence in clauses(d.text):
            units.append(_Unit(d.department, d.unit, d.section, d.label, d.location, sentence, key, seg.terms(sentence)))
    for li in corpus.list_items:
        text = li.matter + (f"（{li.sub_item}）" if li.sub_item else "")
        item = f"第{li.location.row}行" if li.location.row else li.matter
        key = (li.department, li.location.file, li.location.sheet, li.location.row)
        units.append(_Unit(li.department, None, LIST_SECTION, item, li.location, text, key, seg.terms(text)))
    return units


@dataclass
class _Space:
    """Department-weighted sparse vectors of the units."""

    matrix: sparse.csr_matrix
    vocab: dict[str, int]
    idf: np.ndarray
    df_share: np.ndarray
    objects: set[str]


def is_boilerplate(terms: Terms, share: Callable[[str], float], config: OverlapConfig) -> bool:
    """Most of the clause's words are carried by most departments (本部门安全生产、保密和网络安全工作)
    and it names no object of the domain dictionary."""
    words = terms.content
    if len(words) < 3 or terms.objects:
        return False
    common = sum(1 for t in words if share(t) > config.max_df_share)
    return common / len(words) >= config.boilerplate_share


@dataclass(frozen=True)
class Background:
    """How many departments of a reference corpus use each word, so a corpus of two or three
    departments still knows that 负责、组织、安全生产 are words every department writes."""

    departments: int
    df: dict[str, int]

    @classmethod
    @lru_cache(maxsize=1)
    def shipped(cls) -> "Background":
        path = resources.files("duty_analyzer").joinpath("data/background_df.json")
        if not path.is_file():
            return cls(0, {})
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["departments"], data["df"])


def background_from(corpus: Corpus, seg: Segmenter) -> dict:
    """The table `Background.shipped` reads, built from a reference corpus (the sample city)."""
    df: dict[str, set[str]] = defaultdict(set)
    for u in collect_units(corpus, seg):
        for t in features(u.terms):
            df[t].add(u.department)
    return {
        "departments": len({u.department for u in collect_units(corpus, seg)}),
        "df": {t: len(ds) for t, ds in sorted(df.items()) if len(ds) >= 2},
    }


SUBWORD = "#"
LEARN_MIN_DEPARTMENTS = 5


def features(terms: Terms) -> list[str]:
    """Words, plus the character bigrams of longer words (marked with #) so that 无照经营 meets 无照."""
    out = list(terms.content)
    for w in terms.words:
        if len(w) >= 3:
            out.extend(SUBWORD + w[i:i + 2] for i in range(len(w) - 1))
    return out


def build_space(units: list[_Unit], config: OverlapConfig, lexicon_objects: set[str], background: Background) -> _Space:
    departments = {u.department for u in units}
    df: dict[str, set[str]] = defaultdict(set)
    unit_features = [features(u.terms) for u in units]
    for u, feats in zip(units, unit_features):
        for t in feats:
            df[t].add(u.department)
    n = len(departments) + background.departments

    def count(t: str) -> int:
        return len(df[t]) + background.df.get(t, 0)

    own = len(departments) if len(departments) >= LEARN_MIN_DEPARTMENTS else n

    def share(t: str) -> float:
        # Known objects keep the corpus's own count (the reference city claiming 停车 says nothing here);
        # a corpus of a few departments is too small to learn from, so its share is taken over both.
        return len(df[t]) / own if t in lexicon_objects else count(t) / n

    vocab = {t: i for i, t in enumerate(sorted(t for t in df if share(t) <= config.max_df_share))}
    counts = np.array([count(t) for t in vocab], dtype=float)
    idf = np.log((n + 1) / (counts + 1)) + (1.0 if n < 3 else 0.0)
    boost = np.array([
        config.object_boost if t in lexicon_objects else config.subword_weight if t[0] == SUBWORD else 1.0 for t in vocab
    ])
    rows, cols, vals = [], [], []
    for r, u in enumerate(units):
        if is_boilerplate(u.terms, share, config):
            continue
        tf: dict[int, int] = defaultdict(int)
        for t in unit_features[r]:
            if t in vocab:
                tf[vocab[t]] += 1
        for c, k in tf.items():
            rows.append(r)
            cols.append(c)
            vals.append((1 + math.log(k)) * idf[c] * boost[c])
    m = sparse.csr_matrix((vals, (rows, cols)), shape=(len(units), len(vocab)), dtype=np.float32)
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    m = sparse.diags(1 / norms) @ m
    return _Space(m.tocsr(), vocab, idf, np.array([share(t) for t in vocab]), lexicon_objects)


def neighbour_pairs(space: _Space, units: list[_Unit], config: OverlapConfig):
    """(i, j, cosine) for i < j among each unit's top-k neighbours; never a dense n×n matrix."""
    m = space.matrix
    mt = m.T.tocsc()
    dept = np.array([hash(u.department) for u in units])
    for start in range(0, m.shape[0], config.chunk):
        block = (m[start:start + config.chunk] @ mt).tocsr()
        for r in range(block.shape[0]):
            i = start + r
            lo, hi = block.indptr[r], block.indptr[r + 1]
            cols, vals = block.indices[lo:hi], block.data[lo:hi]
            keep = (cols > i) & (vals >= config.min_score)
            cols, vals = cols[keep], vals[keep]
            if len(cols) > config.top_k:
                top = np.argpartition(-vals, config.top_k)[: config.top_k]
                cols, vals = cols[top], vals[top]
            for j, s in zip(cols, vals):
                if dept[i] != dept[j] or units[i].unit != units[j].unit:
                    yield i, int(j), float(s)


@dataclass
class _Pair:
    a: _Unit
    b: _Unit
    score: float
    kind: str
    anchor: str
    shared: list[str]
    actions: list[str]
    semantic: float | None = None


def _judge(a: _Unit, b: _Unit, score: float, space: _Space, config: OverlapConfig) -> _Pair | None:
    if a.department == b.department:
        if a.section != "内设机构" or b.section != "内设机构" or a.unit == b.unit:
            return None
        kind = INTERNAL
    else:
        kind = CROSS
        if OWN_SCOPE.search(a.text) or OWN_SCOPE.search(b.text):
            return None
    actions = (a.terms.actions or DEFAULT_ACTIONS) & (b.terms.actions or DEFAULT_ACTIONS)
    if not actions:
        return None
    shared = set(a.terms.content) & set(b.terms.content) & space.vocab.keys()
    limit = config.internal_anchor_max_df_share if kind == INTERNAL else config.anchor_max_df_share
    anchors = [
        t for t in shared
        if space.df_share[space.vocab[t]] <= limit and is_object(t, space.objects)
        and not (kind == INTERNAL and t in a.department)
    ]
    if not anchors:
        return None
    weight = lambda t: space.idf[space.vocab[t]] * (config.object_boost if t in space.objects else 1.0)  # noqa: E731
    anchors.sort(key=lambda t: (t not in space.objects, -weight(t), t))
    if LIST_SECTION in (a.section, b.section):
        score *= config.list_weight
    if anchors[0] not in space.objects:
        score *= config.unknown_object_weight
    return _Pair(a, b, score, kind, anchors[0], sorted(shared, key=lambda t: -weight(t)), sorted(actions))


_NOUN_TAGS = ("n", "nz", "ng", "nt", "ns")


def is_object(term: str, lexicon_objects: set[str]) -> bool:
    """Objects of management are nouns: the domain dictionary's objects, or words jieba tags as nouns (or does not know)."""
    if term in lexicon_objects:
        return True
    import jieba.posseg

    tag = jieba.posseg.dt.word_tag_tab.get(term)
    return tag is None or tag in _NOUN_TAGS


def _stable_id(kind: str, topic: str, members: list[str]) -> str:
    digest = hashlib.sha1("|".join([kind, topic, *members]).encode("utf-8")).hexdigest()[:10]
    return f"{'JC' if kind == CROSS else 'NB'}-{digest}"


class _Components:
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


def _member(u: _Unit, kind: str) -> str:
    return u.department if kind == CROSS else f"{u.department}/{u.unit}"


def _settlement(corpus: Corpus, departments: list[str], objects: list[str], seg: Segmenter) -> Settlement | None:
    """A 职责分工 paragraph of one side that names another side and the shared object."""
    for clause in corpus.divisions:
        if clause.department not in departments:
            continue
        if not set(clause.counterparts) & (set(departments) - {clause.department}):
            continue
        if set(objects) & set(seg.terms(clause.text).content):
            return Settlement(clause.department, clause.label + clause.text, clause.location.file)
    return None


def _group(pairs: list[_Pair], corpus: Corpus, seg: Segmenter, by_item: dict[tuple, list[_Unit]]) -> list[Overlap]:
    """One finding per object and connected set of members; two such groups with the same members that
    rest on a common duty item are one matter under two names (外商投资、境外投资) and are merged."""
    by_topic: dict[tuple[str, str], list[_Pair]] = defaultdict(list)
    for p in pairs:
        by_topic[(p.kind, p.anchor)].append(p)
    groups: list[tuple[str, list[_Pair]]] = []
    for (kind, _), group in by_topic.items():
        comps = _Components()
        for p in group:
            comps.union(_member(p.a, kind), _member(p.b, kind))
        parts: dict[str, list[_Pair]] = defaultdict(list)
        for p in group:
            parts[comps.find(_member(p.a, kind))].append(p)
        groups.extend((kind, part) for part in parts.values())
    merged: list[tuple[str, frozenset, set, list[_Pair]]] = []
    for kind, part in sorted(groups, key=lambda g: -max(p.score for p in g[1])):
        members = frozenset(_member(u, kind) for p in part for u in (p.a, p.b))
        items = {u.item_key for p in part for u in (p.a, p.b)}
        for i, (k, m, its, ps) in enumerate(merged):
            if k == kind and m == members and its & items:
                merged[i] = (k, m, its | items, ps + part)
                break
        else:
            merged.append((kind, members, items, list(part)))
    findings = [_finding(kind, part, corpus, seg, by_item) for kind, _, _, part in merged]
    findings.sort(key=lambda f: (f.settled, -f.score, f.id))
    return findings


def _evidence_text(u: _Unit, anchors: list[str], by_item: dict[tuple, list[_Unit]]) -> str:
    """The sentences of the item that name the shared object, so the evidence reads whole."""
    sentences = [x.text for x in by_item.get(u.item_key, []) if set(anchors) & set(x.terms.content)]
    return "。".join(dict.fromkeys(sentences)) if sentences else u.text


def _finding(kind: str, pairs: list[_Pair], corpus: Corpus, seg: Segmenter, by_item: dict[tuple, list[_Unit]]) -> Overlap:
    anchors: list[str] = []
    for p in sorted(pairs, key=lambda p: -p.score):
        if p.anchor not in anchors:
            anchors.append(p.anchor)
    topic = "、".join(anchors)
    best: dict[tuple, tuple[float, _Unit]] = {}
    for p in pairs:
        for u in (p.a, p.b):
            key = u.item_key
            if key not in best or p.score > best[key][0]:
                best[key] = (p.score, u)
    ranked = sorted(best.values(), key=lambda su: (-su[0], su[1].department))
    evidence = [
        Evidence(u.department, u.unit, u.location.file, u.section, u.item, _evidence_text(u, anchors, by_item))
        for _, u in ranked
    ]
    departments = sorted({u.department for _, u in ranked})
    units = sorted({u.unit for _, u in ranked if u.unit})
    top = max(pairs, key=lambda p: p.score)
    members = departments if kind == CROSS else sorted({_member(u, kind) for _, u in ranked})
    settled = _settlement(corpus, departments, anchors, seg) if kind == CROSS else None
    shared = "、".join(top.shared[:6])
    where = "个部门" if kind == CROSS else "个内设机构"
    why = (
        f"{len(members)}{where}的职责都指向“{topic}”：共同的对象和用语 {shared}；"
        f"共同的动作 {'、'.join(top.actions)}；最高相似度 {top.score:.2f}"
    )
    if top.semantic is not None:
        why += f"；语义接近程度 {top.semantic:.2f}（0 为随机两条职责的中位水平，1 为前 0.5%）"
    if settled:
        why += f"；{settled.department}的职责分工条款已作划分"
    return Overlap(
        id=_stable_id(kind, anchors[0], members), kind=kind, topic=topic, departments=departments, units=units,
        score=round(top.score, 4), settled=settled is not None, settled_by=settled, evidence=evidence, why=why,
    )


def _alignment(units: list[_Unit], space: _Space, config: OverlapConfig) -> list[AlignmentGap]:
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
        item_best: dict[tuple, tuple[float, _Unit, int]] = {}
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


def jurisdiction(department: str) -> str:
    """云溪市 for 云溪市城市管理局: duties overlap within one government, never across cities or levels."""
    return split_place(department)[0]


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


def _candidates(space: _Space, units: list[_Unit], config: OverlapConfig, encoder) -> Iterator[tuple[int, int, float, float | None]]:
    """Lexical top-k neighbour pairs; with an encoder, a wider lexical net re-scored by meaning (never all pairs)."""
    if encoder is None:
        for i, j, s in neighbour_pairs(space, units, config):
            yield i, j, s, None
        return
    wide = replace(config, min_score=min(config.semantic_floor, config.min_score))
    pairs = list(neighbour_pairs(space, units, wide))
    if not pairs:
        return
    vectors = encoder.encode([u.text for u in units])
    lo, hi = semantic_scale(vectors, [u.department for u in units])
    first, second, lexical = (np.array(column) for column in zip(*pairs))
    meaning = (cosine_rows(vectors[first], vectors[second]) - lo) / (hi - lo)
    for i, j, s, m in zip(first.tolist(), second.tolist(), lexical.tolist(), meaning.round(2).tolist()):
        yield i, j, s, m


def semantic_score(pair: _Pair, meaning: float, config: OverlapConfig) -> float:
    """A judged pair's score once its meaning is known: look-alikes halved; a paraphrase rescued at the
    floor, when it also shares several words (one shared word such as 交通 is a theme, not a duty)."""
    if pair.score >= config.min_score:
        return pair.score * (0.5 if meaning <= config.semantic_pushdown else 1.0)
    rescued = meaning >= config.semantic_rescue and len(pair.shared) >= config.semantic_min_shared
    return config.min_score if rescued else 0.0


def find_overlaps(
    corpus: Corpus, config: OverlapConfig | None = None, segmenter: Segmenter | None = None, encoder=None,
) -> OverlapReport:
    """Cross-department and internal overlaps, grouped into topics, plus the 三定↔清单 gaps.

    `encoder` (see `embed.get_encoder`) re-scores the lexical candidates by meaning; None keeps it lexical.
    """
    config = config or OverlapConfig()
    seg = segmenter or default_segmenter()
    background = Background.shipped() if config.use_background else Background(0, {})
    by_place: dict[str, list[_Unit]] = defaultdict(list)
    for u in collect_units(corpus, seg):
        by_place[jurisdiction(u.department)].append(u)
    overlaps: list[Overlap] = []
    alignment: list[AlignmentGap] = []
    for place in sorted(by_place):
        units = by_place[place]
        space = build_space(units, config, set(seg.lexicon.objects.values()), background)
        pairs = []
        for i, j, s, meaning in _candidates(space, units, config, encoder):
            p = _judge(units[i], units[j], s, space, config)
            if p is not None and meaning is not None:
                p.score, p.semantic = semantic_score(p, meaning, config), meaning
            if p is not None and p.score >= config.min_score:
                pairs.append(p)
        by_item: dict[tuple, list[_Unit]] = defaultdict(list)
        for u in units:
            by_item[u.item_key].append(u)
        overlaps.extend(_group(pairs, corpus, seg, by_item))
        alignment.extend(_alignment(units, space, config))
    overlaps.sort(key=lambda f: (f.settled, -f.score, f.id))
    return OverlapReport(overlaps, alignment)
