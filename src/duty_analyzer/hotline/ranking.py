"""Which departments a citizen's request belongs to: BM25 over 三定 clauses, aggregated per department.

Requests and clauses go through one tokenizer (`Tokenizer`: jieba-dictionary words by rjieba, long words also
as their character bigrams, stop words dropped). A request's terms are weighted by how informative they are in
citizens' messages (`Vocabulary.message_idf`: 咨询, 小区, 办理 weigh little) and expanded by a term-association
table learned from real messages and the government's replies (`Vocabulary.related`: 红绿灯 → 交警, 信号灯…), so
citizens' words reach the 三定's. Evidence a dispute record carries — the departments' 退单理由, written in the
三定's own language — joins the query at a lower weight. Scores are in [0, 1]; `Ranker.rank` returns every
department at or above the floor, best first, each with the clause that carried it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np
from scipy import sparse

from ..model import Corpus

_KEEP = re.compile(r"^[\u4e00-\u9fff]{2,}$")
_CLAUSE = re.compile(r"(?<=[。；;！？])")
VOCABULARY_FILE = "data/hotline_terms.tsv"


@lru_cache(maxsize=1)
def _rjieba():
    import rjieba

    return rjieba


@dataclass
class Tokenizer:
    """The one tokenizer for requests, reasons and clauses."""

    stop: frozenset[str] = frozenset()

    def __call__(self, text: str) -> list[str]:
        out = []
        for w in _rjieba().cut(text):
            if not _KEEP.match(w) or w in self.stop:
                continue
            out.append(w)
            if len(w) >= 3:
                out.extend(w[i:i + 2] for i in range(len(w) - 1) if w[i:i + 2] not in self.stop)
        return out


@dataclass
class Vocabulary:
    """What real messages teach about citizens' words (built by `vocabulary.build`, shipped as package data)."""

    message_idf: dict[str, float] = field(default_factory=dict)  # 0..1: 1 = as rare as a term can be
    related: dict[str, list[tuple[str, float]]] = field(default_factory=dict)  # term → (administrative term, weight)
    meta: dict[str, str] = field(default_factory=dict)

    @classmethod
    def shipped(cls) -> "Vocabulary":
        try:
            text = resources.files("duty_analyzer").joinpath(VOCABULARY_FILE).read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls()
        return cls.from_tsv(text)

    @classmethod
    def from_tsv(cls, text: str) -> "Vocabulary":
        vocab = cls()
        for line in text.splitlines():
            if line.startswith("#"):
                key, _, value = line[1:].strip().partition(":")
                if value:
                    vocab.meta[key.strip()] = value.strip()
                continue
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            term, idf = parts[0], float(parts[1])
            vocab.message_idf[term] = idf
            pairs = []
            for p in parts[2:]:
                other, _, w = p.rpartition(":")
                if other:
                    pairs.append((other, float(w)))
            if pairs:
                vocab.related[term] = pairs
        return vocab

    def to_tsv(self) -> str:
        lines = [f"# {k}: {v}" for k, v in self.meta.items()]
        for term in sorted(self.message_idf):
            rel = "\t".join(f"{o}:{w:.3f}" for o, w in self.related.get(term, []))
            lines.append(f"{term}\t{self.message_idf[term]:.3f}" + (f"\t{rel}" if rel else ""))
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Clause:
    department: str
    section: str
    item: str
    unit: str | None
    text: str
    file: str


@dataclass(frozen=True)
class Ranked:
    department: str
    score: float
    clause: Clause


@dataclass
class RankerConfig:
    """Chosen on the development corpora's records (final handling unit) and on 87 泰迪杯 messages routed to
    鹿鸣市's departments that are not in the 340-message evaluation set (docs/benchmarks.md, issue 17)."""

    k1: float = 1.2
    b: float = 0.75
    expansion: float = 1.0  # weight of an associated term relative to the term it came from
    evidence: float = 1.0  # weight of the 退单理由 terms relative to the request's
    unseen_idf: float = 0.8  # message idf of a term the vocabulary has not seen (most such terms are rare)
    second: float = 0.3  # weight of a department's second-best clause (two clauses on the matter beat one)
    whole: float = 1.0  # weight of the cosine between the request and the department's whole text


def clauses_of(corpus: Corpus) -> list[Clause]:
    """三定 items cut into sentences (a long item is several duties), plus 清单 rows (matter + responsibility)."""
    out = []
    for d in corpus.duties:
        for sentence in _CLAUSE.split(d.text):
            if len(sentence) >= 6:
                out.append(Clause(d.department, d.section, d.label, d.unit, sentence, d.location.file))
    for row in corpus.list_items:
        text = f"{row.matter}{row.sub_item}：{row.responsibility}"
        out.append(Clause(row.department, "清单", row.matter, None, text[:300], row.location.file))
    return out


class Ranker:
    """BM25 over clauses; a department's score is its best clause plus a little of its second best."""

    def __init__(self, clauses: list[Clause], tokenizer: Tokenizer, vocabulary: Vocabulary | None = None,
                 config: RankerConfig | None = None):
        self.clauses, self.tok = clauses, tokenizer
        self.vocab = vocabulary or Vocabulary()
        self.config = config or RankerConfig()
        docs = [Counter(tokenizer(c.text)) for c in clauses]
        self.terms: dict[str, int] = {}
        rows, cols, vals = [], [], []
        lengths = np.array([sum(d.values()) for d in docs], dtype=np.float32)
        avg = float(lengths.mean()) if len(lengths) else 1.0
        k1, b = self.config.k1, self.config.b
        for i, d in enumerate(docs):
            norm = k1 * (1 - b + b * lengths[i] / max(avg, 1.0))
            for t, tf in d.items():
                j = self.terms.setdefault(t, len(self.terms))
                rows.append(i)
                cols.append(j)
                vals.append(tf * (k1 + 1) / (tf + norm))
        n = max(len(clauses), 1)
        self.matrix = sparse.csr_matrix((vals, (rows, cols)), shape=(len(clauses), len(self.terms)), dtype=np.float32)
        df = np.bincount(np.asarray(cols, dtype=np.int64), minlength=len(self.terms)) if cols else np.zeros(0)
        self.idf = np.log(1 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
        self.matrix_t = self.matrix.T.tocsr()
        self.departments = sorted({c.department for c in clauses})
        self.dept_of = np.array([self.departments.index(c.department) for c in clauses], dtype=np.int64)
        # Whole departments as documents: sublinear tf × idf, unit length (long requests read like them).
        counts = sparse.csr_matrix((np.ones(len(self.dept_of)), (self.dept_of, np.arange(len(self.dept_of)))),
                                   shape=(len(self.departments), len(clauses))) @ (self.matrix > 0).astype(np.float32)
        whole = sparse.csr_matrix(counts)
        whole.data = (1 + np.log(whole.data)).astype(np.float32)
        whole = whole @ sparse.diags(self.idf)
        norms = np.sqrt(np.asarray(whole.multiply(whole).sum(axis=1)).ravel())
        self.whole_t = (sparse.diags(1 / np.maximum(norms, 1e-9)) @ whole).T.tocsr()

    def query(self, text: str, evidence: str = "") -> dict[int, float]:
        """Term column → weight: the request's terms by message informativeness, their associated
        administrative terms, and the evidence's terms at a lower weight."""
        cfg, vocab = self.config, self.vocab
        weights: dict[str, float] = {}

        def add(term: str, w: float) -> None:
            if w > weights.get(term, 0.0):
                weights[term] = w

        for source, scale in ((text, 1.0), (evidence, cfg.evidence)):
            if not source:
                continue
            for t in set(self.tok(source)):
                w = scale * vocab.message_idf.get(t, cfg.unseen_idf)
                add(t, w)
                for other, a in vocab.related.get(t, ()):
                    add(other, w * cfg.expansion * a)
        return {self.terms[t]: w for t, w in weights.items() if t in self.terms}

    def rank(self, texts: list[str], evidence: list[str] | None = None, floor: float = 0.0,
             top: int | None = None) -> list[list[Ranked]]:
        evidence = evidence or [""] * len(texts)
        rows, cols, vals, mass = [], [], [], []
        for r, (text, ev) in enumerate(zip(texts, evidence)):
            q = self.query(text, ev)
            for c, w in q.items():
                rows.append(r)
                cols.append(c)
                vals.append(w * self.idf[c])
            # The score a clause would get if it held every query term once at average length: scores become
            # comparable across requests of different length.
            mass.append(sum(w * self.idf[c] for c, w in q.items()) * (self.config.k1 + 1) / (1 + self.config.k1))
        q = sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(self.terms)), dtype=np.float32)
        scores = (q @ self.matrix_t).toarray() if len(self.terms) else np.zeros((len(texts), 0))
        nd = len(self.departments)
        qn = np.sqrt(np.asarray(q.multiply(q).sum(axis=1)).ravel())
        whole = (sparse.diags(1 / np.maximum(qn, 1e-9)) @ q @ self.whole_t).toarray() if len(self.terms) else None
        out = []
        for r in range(len(texts)):
            s = scores[r]
            if not s.size or mass[r] <= 0:
                out.append([])
                continue
            order = np.argsort(-s, kind="stable")
            best: dict[int, tuple[float, int]] = {}
            second: dict[int, float] = {}
            for j in order:
                if s[j] <= 0:
                    break
                d = int(self.dept_of[j])
                if d not in best:
                    best[d] = (float(s[j]), int(j))
                elif d not in second:
                    second[d] = float(s[j])
                    if len(second) == nd:
                        break
            ranked = []
            for d, (score, j) in best.items():
                total = (score + self.config.second * second.get(d, 0.0)) / (mass[r] * (1 + self.config.second))
                total = (total + self.config.whole * float(whole[r, d])) / (1 + self.config.whole)
                ranked.append(Ranked(self.departments[d], round(min(total, 1.0), 4), self.clauses[j]))
            ranked.sort(key=lambda x: (-x.score, x.department))
            ranked = [x for x in ranked if x.score >= floor]
            out.append(ranked[:top] if top else ranked)
        return out
