"""Which departments a citizen's request belongs to: BM25 over 三定 clauses, aggregated per department.

Requests and clauses go through one tokenizer (`Tokenizer`: jieba-dictionary words by rjieba, long words also
as their character bigrams, stop words dropped). A request's terms are weighted by how informative they are in
citizens' messages (`Vocabulary.message_idf`: 咨询, 小区, 办理 weigh little) and expanded by a term-association
table learned from real messages and the government's replies (`Vocabulary.related`: 红绿灯 → 交警, 信号灯…), so
citizens' words reach the 三定's. Evidence a dispute record carries — the departments' 退单理由, written in the
三定's own language — joins the query. A department's score averages its best clauses, the word cosine against
its whole text and (weighted most) the character-bigram cosine against it. Scores are in [0, 1]; `Ranker.rank`
returns every department at or above the floor, best first, each with the clause that carried it, and fills
the list up to `min_shown` with the best departments under the floor, marked weak.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from itertools import chain

import numpy as np
from scipy import sparse

from ..model import Corpus
from .chargrams import CharTfidf

_KEEP = re.compile(r"^[\u4e00-\u9fff]{2,}$")
_CLAUSE = re.compile(r"(?<=[。；;！？])")
VOCABULARY_FILE = "data/hotline_terms.tsv"
NAME_SECTION = "名称"


@lru_cache(maxsize=1)
def _rjieba():
    import rjieba

    return rjieba


def cut(text: str) -> list[str]:
    """jieba-dictionary words (rjieba): the cut every hotline text goes through once."""
    return _rjieba().cut(text)


@dataclass
class Tokenizer:
    """The one tokenizer for requests, reasons and clauses."""

    stop: frozenset[str] = frozenset()
    # word → its tokens: texts repeat their words, so each distinct word is checked and split once
    _tokens: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __call__(self, text: str, words: list[str] | None = None) -> list[str]:
        out: list[str] = []
        known = self._tokens
        for w in (words if words is not None else cut(text)):
            got = known.get(w)
            if got is None:
                got = self.tokens_of(w)
                if len(known) > 200_000:
                    known.clear()
                known[w] = got
            out.extend(got)
        return out

    def tokens_of(self, word: str) -> tuple[str, ...]:
        """One word's tokens: nothing for a stop word or one that is not two Chinese characters or more; the
        word itself, then (three characters or more) its character bigrams that are not stop words."""
        if not _KEEP.match(word) or word in self.stop:
            return ()
        if len(word) < 3:
            return (word,)
        return (word, *(word[i:i + 2] for i in range(len(word) - 1) if word[i:i + 2] not in self.stop))


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
    weak: bool = False  # under the floor: shown only so that the list has its minimum length
    cover: float = 0.0  # how well the department's 三定 words cover the request (clauses + whole text, no
    # character view): the scale the owner floor and the dispute signals were calibrated on


class RankedList(list):
    """A request's ranked departments (`Ranked`), and `covered`: the departments whose cover reaches the floor,
    best cover first, at most `top` — what the words' view alone says owns the matter (owners, dispute
    signals), whatever the character view does to the order."""

    covered: tuple[tuple[str, float], ...] = ()


@dataclass
class Components:
    """A batch's per-department views (rows × departments), before `Ranker.combine`."""

    best: np.ndarray
    second: np.ndarray
    arg: np.ndarray  # the clause cited for the department
    whole: np.ndarray
    chars: np.ndarray
    mass: np.ndarray  # per row
    scores: np.ndarray  # rows × clauses, on the [0, 1] scale
    meaning: np.ndarray | None = None  # best duty clause by embedding cosine (only with an encoder)


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
    query_tf: float = 1.0  # a request term repeated n times weighs 1 + query_tf × ln n
    whole: float = 1.0  # weight of the cosine between the request and the department's whole text
    # Weight of the character-bigram cosine between the request (+ evidence) and the department's whole text:
    # it needs no word cut, so it reaches what the tokenizer splits differently (bench/tune_ranking.py).
    chars: float = 6.0
    # With an encoder (`Ranker(..., encoder=)`), for requests without 退单理由: how far the embedding view may
    # reorder the departments, in standard deviations of the row's scores per standard deviation of its cosines
    # (order only: the owners' `cover` never includes it). Chosen on the zero-shot tuning sets with e5-small
    # (bench/tune_ranking.py --encoder e5-small).
    meaning: float = 1.5


def clauses_of(corpus: Corpus, names: bool = True) -> list[Clause]:
    """三定 items cut into sentences (a long item is several duties), plus 清单 rows (matter + responsibility);
    with `names`, each department's name as a clause too (replies name the unit: 城管, 交警…)."""
    out = []
    if names:
        from ..names import short_name

        for d in corpus.departments:
            out.append(Clause(d.name, NAME_SECTION, "", None, f"{d.name}（{short_name(d.name)}）", d.source_file))
    for d in corpus.duties:
        for sentence in _CLAUSE.split(d.text):
            if len(sentence) >= 6:
                out.append(Clause(d.department, d.section, d.label, d.unit, sentence, d.location.file))
    for row in corpus.list_items:
        text = f"{row.matter}{row.sub_item}：{row.responsibility}"
        out.append(Clause(row.department, "清单", row.matter, None, text[:300], row.location.file))
    return out


def standardised(x: np.ndarray) -> np.ndarray:
    """Each row minus its mean over its standard deviation (a constant row gives zeros): embedding cosines sit in
    a narrow band that differs by backend and text, so only their spread within a row is comparable."""
    centred = x - x.mean(axis=1, keepdims=True)
    spread = x.std(axis=1, keepdims=True)
    return np.divide(centred, spread, out=np.zeros_like(centred), where=spread > 1e-9)


def shown_order(total: np.ndarray, cover: np.ndarray, floor: float, min_shown: int, limit: int | None = None,
                by_score: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The departments a request's list shows, for a batch at once (rows × departments → (departments in shown
    order, how many each row shows, at most `limit`)). The words' cover decides: departments that reach the floor,
    by score, then the best of the rest (weak) up to `min_shown`; a department no term reaches is never shown.
    `by_score`: per row, whether the scores alone order every department some term reaches, those under the floor
    still weak — when an embedding view is in the scores it may vouch for a department whose clauses use other
    words than the request. Ties go by department index: the ranker's departments are sorted by name."""
    positive = total > 0
    strong = positive & (cover >= floor)
    if by_score is not None:
        strong = np.where(by_score[:, None], positive, strong)
    by_total = np.argsort(-total, axis=1, kind="stable")  # best score first, ties by department
    group = np.take_along_axis(np.where(strong, 0, np.where(positive, 1, 2)), by_total, axis=1)
    order = np.take_along_axis(by_total, np.argsort(group, axis=1, kind="stable"), axis=1)
    n_strong, n_weak = strong.sum(axis=1), (positive & ~strong).sum(axis=1)
    count = n_strong + np.minimum(n_weak, np.maximum(min_shown - n_strong, 0))
    return order, count if limit is None else np.minimum(count, limit)


def best_covered(cover: np.ndarray, floor: float, limit: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the departments whose cover is positive and reaches the floor, best cover first (ties by
    department), and how many (at most `limit`)."""
    valid = (cover > 0) & (cover >= floor)
    order = np.argsort(np.where(valid, -cover, np.inf), axis=1, kind="stable")
    count = valid.sum(axis=1)
    return order, count if limit is None else np.minimum(count, limit)


class TokenTable:
    """Every token met so far as an id, with its expansion (`Ranker.expansion`) as a slice of two flat arrays, and
    every word met so far as its tokens' ids: a batch's queries are then assembled in numpy (`Ranker.batch_query`)
    instead of a dict per request. Cleared when it holds `limit` tokens or words, so a long run's memory stays flat."""

    def __init__(self, expansion: Callable[[str], tuple[tuple[int, float], ...]],
                 tokens_of: Callable[[str], tuple[str, ...]], limit: int = 200_000):
        self.expansion, self.tokens_of, self.limit = expansion, tokens_of, limit
        self.clear()

    def clear(self) -> None:
        self.ids: dict[str, int] = {}
        self.words: dict[str, bytes] = {}
        self.start, self.size = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        self.cols, self.weights = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        self._pending: list[tuple[tuple[int, float], ...]] = []

    def word_ids(self, word: str) -> bytes:
        """A word's token ids as int64 bytes: a text's ids are then one `bytes.join` (`row_ids`)."""
        got = self.words.get(word)
        if got is None:
            ids = []
            for t in self.tokens_of(word):
                i = self.ids.get(t)
                if i is None:
                    i = self.ids[t] = len(self.ids)
                    self._pending.append(self.expansion(t))
                ids.append(i)
            got = self.words[word] = np.array(ids, dtype=np.int64).tobytes()
        return got

    def row_ids(self, words: list[str]) -> bytes:
        """One text's token ids in order (repeats kept), as int64 bytes."""
        got = list(map(self.words.get, words))
        if None in got:
            got = [g if g is not None else self.word_ids(w) for g, w in zip(got, words)]
        return b"".join(got)

    def flush(self) -> None:
        """Append the expansions of the tokens met since the last flush to the flat arrays."""
        if not self._pending:
            return
        sizes = np.fromiter(map(len, self._pending), dtype=np.int64, count=len(self._pending))
        pairs = list(chain.from_iterable(self._pending))
        self.start = np.concatenate([self.start, len(self.cols) + np.cumsum(sizes) - sizes])
        self.size = np.concatenate([self.size, sizes])
        self.cols = np.concatenate([self.cols, np.fromiter((c for c, _ in pairs), dtype=np.int64, count=len(pairs))])
        self.weights = np.concatenate([self.weights,
                                       np.fromiter((w for _, w in pairs), dtype=np.float64, count=len(pairs))])
        self._pending = []


def first_max(rows: np.ndarray, cols: np.ndarray, weights: np.ndarray, width: int
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weighted (row, column) entries → one entry per (row, column): the highest weight, at the place of the
    column's first positive entry in its row — what filling a dict per row in the entries' order with "the highest
    weight wins" (`Ranker._terms_weights`) leaves, rows one after the other. The entries need not be grouped by
    row: only each row's own entries' order counts."""
    keep = np.flatnonzero(weights > 0)
    rows, cols, weights = rows[keep], cols[keep], weights[keep]
    if not len(rows):
        return rows, cols, weights
    key = rows * width + cols
    perm = np.argsort(key, kind="stable")
    key = key[perm]
    starts = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]]))
    best = np.maximum.reduceat(weights[perm], starts)
    first = perm[starts]
    order = np.argsort(rows[first] * len(rows) + first)
    at = first[order]
    return rows[at], cols[at], best[order]


class Ranker:
    """BM25 over clauses; a department's score is its best clause plus a little of its second best."""

    def __init__(self, clauses: list[Clause], tokenizer: Tokenizer, vocabulary: Vocabulary | None = None,
                 config: RankerConfig | None = None, encoder=None):
        self.clauses, self.tok = clauses, tokenizer
        self.encoder, self._clause_vectors = encoder, None
        self._expansion: dict[str, tuple[tuple[int, float], ...]] = {}
        self._evidence_cache: dict[str, dict[int, float]] = {}
        self._table = TokenTable(self.expansion, tokenizer.tokens_of)
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
        self.members = [np.flatnonzero(self.dept_of == d) for d in range(len(self.departments))]
        # The clause shown as 依据: a duty, never the department's name.
        self.duty_members = [m[[clauses[j].section != NAME_SECTION for j in m]] for m in self.members]
        # Whole departments as documents: sublinear tf × idf, unit length (long requests read like them).
        counts = sparse.csr_matrix((np.ones(len(self.dept_of)), (self.dept_of, np.arange(len(self.dept_of)))),
                                   shape=(len(self.departments), len(clauses))) @ (self.matrix > 0).astype(np.float32)
        whole = sparse.csr_matrix(counts)
        whole.data = (1 + np.log(whole.data)).astype(np.float32)
        whole = whole @ sparse.diags(self.idf)
        norms = np.sqrt(np.asarray(whole.multiply(whole).sum(axis=1)).ravel())
        self.whole_t = (sparse.diags(1 / np.maximum(norms, 1e-9)) @ whole).T.tocsr()
        self._chars, self._chars_t = None, None
        if self.config.chars:
            from sklearn.feature_extraction.text import TfidfVectorizer

            texts = ["\n".join(clauses[j].text for j in m) for m in self.members]
            self._chars = TfidfVectorizer(analyzer="char", ngram_range=(2, 2), sublinear_tf=True).fit(texts)
            self._chars_t = self._chars.transform(texts).T.tocsr()
            self._char_tfidf = CharTfidf(self._chars)

    def expansion(self, term: str) -> tuple[tuple[int, float], ...]:
        """(index column, weight) for a term: itself at its informativeness, its associated administrative
        terms at theirs × association × `expansion`; only columns the clauses use. Cached per term."""
        got = self._expansion.get(term)
        if got is None:
            cfg, vocab = self.config, self.vocab
            w = vocab.message_idf.get(term, cfg.unseen_idf)
            pairs = {}
            if term in self.terms:
                pairs[self.terms[term]] = w
            for other, a in vocab.related.get(term, ()):
                c = self.terms.get(other)
                if c is not None and w * cfg.expansion * a > pairs.get(c, 0.0):
                    pairs[c] = w * cfg.expansion * a
            got = self._expansion[term] = tuple(pairs.items())
            if len(self._expansion) > 500_000:
                self._expansion.clear()
        return got

    def _terms_weights(self, terms, scale: float, weights: dict[int, float]) -> dict[int, float]:
        """`terms`: a set, or a Counter when repeated terms weigh more (`query_tf`)."""
        tf = self.config.query_tf
        counted = bool(tf) and isinstance(terms, Counter)
        cached, get = self._expansion, weights.get
        for t in terms:
            # A term said once weighs `scale` exactly (1 + tf × ln 1 = 1), so most terms need neither the log nor,
            # at scale 1, the multiplications: the same floats, fewer operations.
            n = terms[t] if counted else 1
            factor = scale if n == 1 else scale * (1 + tf * math.log(n))
            pairs = cached.get(t)
            if pairs is None:
                pairs = self.expansion(t)
            if factor == 1.0:
                for c, w in pairs:
                    if w > get(c, 0.0):
                        weights[c] = w
                continue
            for c, w in pairs:
                w *= factor
                if w > get(c, 0.0):
                    weights[c] = w
        return weights

    def _evidence(self, evidence: str) -> dict[int, float]:
        """The bounce reasons' part of a query; exports repeat their reasons, so it is cached by text."""
        got = self._evidence_cache.get(evidence)
        if got is None:
            got = self._terms_weights(set(self.tok(evidence)), self.config.evidence, {})
            if len(self._evidence_cache) > 50_000:
                self._evidence_cache.clear()
            self._evidence_cache[evidence] = got
        return got

    def query(self, text: str, evidence: str = "", words: list[str] | None = None) -> dict[int, float]:
        """Term column → weight: the request's terms by message informativeness, their associated
        administrative terms, and the evidence's terms at a lower weight (the highest weight wins)."""
        weights = dict(self._evidence(evidence)) if evidence else {}
        toks = self.tok(text, words)
        return self._terms_weights(Counter(toks) if self.config.query_tf else set(toks), 1.0, weights)

    def batch_query(self, texts: list[str], evidence: list[str], words: list[list[str] | None]
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """`query_entries([query(t, e, w) ...])` for a batch with `query_tf`, assembled in numpy: the same entries in
        the same order with the same floats. Per request: its evidence's entries first, then each distinct token at
        its first occurrence, its expansion × (1 + query_tf × ln count) when it is said more than once."""
        table = self._table
        if len(table.ids) > table.limit or len(table.words) > table.limit:
            table.clear()
        per_row = [table.row_ids(ws if ws is not None else cut(t)) for t, ws in zip(texts, words)]
        table.flush()
        n = len(texts)
        lengths = np.fromiter(map(len, per_row), dtype=np.int64, count=n) // 8
        tok = np.frombuffer(b"".join(per_row), dtype=np.int64)
        tok_row = np.repeat(np.arange(n, dtype=np.int64), lengths)
        # Each request's distinct tokens, at their first occurrence, with how often they occur.
        _, first, count = np.unique(tok_row * max(len(table.ids), 1) + tok, return_index=True, return_counts=True)
        order = np.argsort(first, kind="stable")
        first, count = first[order], count[order]
        distinct, distinct_row = tok[first], tok_row[first]
        tf = self.config.query_tf
        factors = np.array([1.0] + [1.0 * (1 + tf * math.log(c)) for c in range(2, int(count.max(initial=1)) + 1)])
        sizes = table.size[distinct]
        at = np.repeat(table.start[distinct] - (np.cumsum(sizes) - sizes), sizes) + np.arange(int(sizes.sum()))
        weights = table.weights[at]
        repeated = np.repeat(count > 1, sizes)
        weights[repeated] *= np.repeat(factors[count - 1], sizes)[repeated]
        # The evidence's entries come first in their request.
        ev = [self._evidence(e) if e else {} for e in evidence]
        ev_sizes = np.fromiter(map(len, ev), dtype=np.int64, count=n)
        ev_total = int(ev_sizes.sum())
        rows = np.concatenate([np.repeat(np.arange(n, dtype=np.int64), ev_sizes), np.repeat(distinct_row, sizes)])
        cols = np.concatenate([np.fromiter(chain.from_iterable(ev), dtype=np.int64, count=ev_total), table.cols[at]])
        ws = np.concatenate([np.fromiter(chain.from_iterable(d.values() for d in ev), dtype=np.float64, count=ev_total),
                             weights])
        rows, cols, ws = first_max(rows, cols, ws, max(len(self.terms), 1))
        return self.query_arrays(rows, cols, ws.astype(np.float32), n)

    def rank(self, texts: list[str], evidence: list[str] | None = None, floor: float = 0.0,
             top: int | None = None, min_shown: int = 0) -> list[list[Ranked]]:
        return self.rank_with_clauses(texts, evidence, floor, top, min_shown=min_shown)[0]

    def components(self, texts: list[str], evidence: list[str] | None = None,
                   words: list[list[str]] | None = None) -> "Components":
        """The per-department views of a batch before they are combined (`combine`): best and second-best
        clause, the whole-department word cosine and character-bigram cosine, each request's score mass."""
        evidence = evidence or [""] * len(texts)
        words = words or [None] * len(texts)
        if self.config.query_tf:
            rows, cols, vals, mass_arr = self.batch_query(texts, evidence, words)
        else:
            queries = [self.query(t, e, w) for t, e, w in zip(texts, evidence, words)]
            rows, cols, vals, mass_arr = self.query_entries(queries)
        n, nd = len(texts), len(self.departments)
        if not len(self.terms) or not len(self.clauses):
            z = np.zeros((n, nd), dtype=np.float32)
            return Components(z, z, np.zeros((n, nd), dtype=np.int64), z, z, mass_arr,
                              np.zeros((n, len(self.clauses)), dtype=np.float32))
        q = sparse.csr_matrix((vals, (rows, cols)), shape=(n, len(self.terms)), dtype=np.float32)
        scores = (q @ self.matrix_t).toarray()
        scores_norm = np.minimum(scores / (np.maximum(mass_arr, 1e-9)[:, None]), 1.0)
        qn = np.sqrt(np.asarray(q.multiply(q).sum(axis=1)).ravel())
        whole = (sparse.diags(1 / np.maximum(qn, 1e-9)) @ q @ self.whole_t).toarray()
        # Per department (vectorised over the batch): best clause, its index, and the second best.
        rows_idx = np.arange(n)
        best = np.zeros((n, nd), dtype=np.float32)
        second = np.zeros((n, nd), dtype=np.float32)
        arg = np.zeros((n, nd), dtype=np.int64)
        for d, members in enumerate(self.members):
            seg = scores[:, members]
            j = seg.argmax(axis=1)
            best[:, d] = seg[rows_idx, j]
            arg[:, d] = members[j]
            if len(members) > 1:
                seg[rows_idx, j] = -np.inf
                second[:, d] = np.maximum(seg.max(axis=1), 0)
            duties = self.duty_members[d]
            if len(duties) and len(duties) < len(members):
                arg[:, d] = duties[scores[:, duties].argmax(axis=1)]
        chars = self.char_cosine(texts, evidence) if self.config.chars else np.zeros((n, nd), dtype=np.float32)
        meaning = None
        if self.encoder is not None:
            # Only requests without 退单理由: a reason is written in the 三定's own words and the lexical views read
            # it well; with reasons the embedding view cost the held-out hotline sets (docs/benchmarks.md).
            bare = [r for r, e in enumerate(evidence) if not e]
            meaning = np.zeros((n, nd), dtype=np.float32)
            if bare:
                meaning[bare] = self.meaning([texts[r] for r in bare])
        return Components(best, second, arg, whole, chars, mass_arr, scores_norm, meaning)

    def meaning(self, texts: list[str]) -> np.ndarray:
        """Rows × departments: each request's best embedding cosine with one of the department's duty clauses.
        Citizens' words the vocabulary never saw (剩饭剩菜 for 餐厨垃圾) still land near the clause that owns them.
        The clauses are encoded once per ranker; the encoder caches the requests (the matcher encodes them too)."""
        if self._clause_vectors is None:  # the duty clauses, department after department
            self._clause_vectors = self.encoder.encode([self.clauses[j].text for m in self.duty_members for j in m])
        sims = self.encoder.encode(texts) @ self._clause_vectors.T
        out = np.zeros((len(texts), len(self.departments)), dtype=np.float32)
        start = 0
        for d, members in enumerate(self.duty_members):
            if len(members):
                out[:, d] = sims[:, start:start + len(members)].max(axis=1)
            start += len(members)
        return out

    def query_entries(self, queries: list[dict[int, float]]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The batch's queries as (row, column, weight × idf) entries in the queries' order, and each query's
        mass: the score a clause would get if it held every query term once at average length, so that scores
        are comparable across requests of different length. Float32 throughout, each mass summed term by term
        in query order (a running sum, not numpy's pairwise one), as the scores were calibrated on."""
        lengths = np.fromiter((len(q) for q in queries), dtype=np.int64, count=len(queries))
        rows = np.repeat(np.arange(len(queries), dtype=np.int64), lengths)
        cols = np.fromiter((c for q in queries for c in q), dtype=np.int64, count=int(lengths.sum()))
        weights = np.fromiter((w for q in queries for w in q.values()), dtype=np.float32, count=len(cols))
        return self.query_arrays(rows, cols, weights, len(queries))

    def query_arrays(self, rows: np.ndarray, cols: np.ndarray, weights: np.ndarray, n: int
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """`query_entries` from the entries as arrays (rows ascending, each row's entries in query order)."""
        lengths = np.bincount(rows, minlength=n).astype(np.int64)
        vals = weights * self.idf[cols]
        padded = np.zeros((n, int(lengths.max(initial=0)) + 1), dtype=np.float32)
        padded[rows, np.arange(len(cols)) - np.repeat(np.cumsum(lengths) - lengths, lengths)] = vals
        mass = np.cumsum(padded, axis=1)[:, -1] * (self.config.k1 + 1) / (1 + self.config.k1)
        return rows, cols, vals, mass.astype(np.float32)

    def char_cosine(self, texts: list[str], evidence: list[str] | None = None) -> np.ndarray:
        """Cosine between each request (with its evidence) and each department's whole text over character
        bigrams, sublinear tf × idf (the departments' own idf): it needs no word cut, so it catches what the
        tokenizer splits differently."""
        evidence = evidence or [""] * len(texts)
        m = self._char_tfidf.transform([f"{t} {e}" if e else t for t, e in zip(texts, evidence)])
        return (m @ self._chars_t).toarray().astype(np.float32)

    def combine(self, c: "Components", config: "RankerConfig | None" = None) -> np.ndarray:
        """Department scores in [0, 1] (rows × departments) from the views: the clause part (best + `second` ×
        second best, over the request's mass), averaged with the whole-department cosines at their weights."""
        cfg = config or self.config
        mass_arr = np.maximum(c.mass, 1e-9)[:, None]
        total = (c.best + cfg.second * c.second) / (mass_arr * (1 + cfg.second))
        total = (total + cfg.whole * c.whole + cfg.chars * c.chars) / (1 + cfg.whole + cfg.chars)
        if c.meaning is not None and cfg.meaning:
            total = total + cfg.meaning * total.std(axis=1, keepdims=True) * standardised(c.meaning)
        total = np.clip(total, 0.0, 1.0)
        total[c.best <= 0] = 0
        total[c.mass <= 0] = 0
        return np.round(total, 4)

    def rank_with_clauses(self, texts: list[str], evidence: list[str] | None = None, floor: float = 0.0,
                          top: int | None = None, words: list[list[str]] | None = None,
                          min_shown: int = 0) -> tuple[list[list[Ranked]], np.ndarray]:
        """The ranking, and every clause's score for every text on the same [0, 1] scale (rows × clauses).
        `words`: the texts already `cut`, to cut each text once. The floor applies to `cover` (the words' view,
        whose scale it was calibrated on): departments under it are left out unless fewer than `min_shown` are
        above it; then the best of them by score fill the list up to `min_shown` after the others, marked `weak`
        (a department no term of the request reaches is never shown)."""
        comp = self.components(texts, evidence, words)
        total = self.combine(comp)
        cover = self.combine(comp, replace(self.config, chars=0.0, meaning=0.0)) \
            if self.config.chars or comp.meaning is not None else total
        names = self.departments
        # A Python-number floor at the scores' precision, as numpy compares it with them, so that a score equal to
        # it still reaches it.
        floor = float(floor) if isinstance(floor, np.generic) else float(cover.dtype.type(floor))
        meant = np.array([not (evidence and evidence[r]) for r in range(len(texts))]) \
            if comp.meaning is not None else None
        limit = max(top, min_shown) if top else None
        order, count = shown_order(total, cover, floor, min_shown, limit, by_score=meant)
        by_cover, n_covered = best_covered(cover, floor, top or None)
        width = int(max(count.max(initial=0), n_covered.max(initial=0)))
        shown, covered = order[:, :width], by_cover[:, :width]
        counts, n_covered = count.tolist(), n_covered.tolist()
        shown_l, tots, covs = shown.tolist(), np.take_along_axis(total, shown, axis=1).tolist(), \
            np.take_along_axis(cover, shown, axis=1).tolist()
        args = np.take_along_axis(comp.arg, shown, axis=1).tolist()
        covered_l, covered_v = covered.tolist(), np.take_along_axis(cover, covered, axis=1).tolist()
        out = []
        for r in range(len(texts)):
            if comp.mass[r] <= 0:
                out.append(RankedList())
                continue
            k = counts[r]
            row = RankedList(Ranked(names[d], t, self.clauses[a], c < floor, c)
                             for d, t, c, a in zip(shown_l[r][:k], tots[r], covs[r], args[r]))
            k = n_covered[r]
            row.covered = tuple(zip([names[d] for d in covered_l[r][:k]], covered_v[r][:k]))
            out.append(row)
        return out, comp.scores
