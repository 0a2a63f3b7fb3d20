"""Department-weighted sparse clause vectors and top-k neighbour search (never a dense n×n matrix).

Words are weighted by how few departments use them (department-level idf): a word every department
carries (安全生产, 党的建设, 交办的其他任务) weighs nothing, so boilerplate never matches."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
from scipy import sparse

from ..model import Corpus
from ..segment import Segmenter, Terms
from .units import Unit, collect_units

SUBWORD = "#"
LEARN_MIN_DEPARTMENTS = 5
NOUN_TAGS = ("n", "nz", "ng", "nt", "ns")


@dataclass
class WeightConfig:
    """How clause vectors are weighted and searched; OverlapConfig carries the same fields."""

    max_df_share: float = 0.5  # words in more departments than this share carry no weight at all
    object_boost: float = 2.0
    subword_weight: float = 0.3
    boilerplate_share: float = 0.6  # a clause whose words are mostly in most departments is boilerplate
    min_score: float = 0.2
    top_k: int = 15
    chunk: int = 2000


@dataclass
class Space:
    """Department-weighted sparse vectors of the units."""

    matrix: sparse.csr_matrix
    vocab: dict[str, int]
    idf: np.ndarray
    df_share: np.ndarray
    objects: set[str]
    departments: int = 0

    def share(self, term: str) -> float:
        """Share of this government's departments whose clauses use the term (1.0 when unweighted)."""
        c = self.vocab.get(term)
        return float(self.df_share[c]) if c is not None else 1.0

    def weight(self, term: str, object_boost: float = 2.0) -> float:
        c = self.vocab.get(term)
        if c is None:
            return 0.0
        return float(self.idf[c]) * (object_boost if term in self.objects else 1.0)


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


def features(terms: Terms) -> list[str]:
    """Words, plus the character bigrams of longer words (marked with #) so that 无照经营 meets 无照."""
    out = list(terms.content)
    for w in terms.words:
        if len(w) >= 3:
            out.extend(SUBWORD + w[i:i + 2] for i in range(len(w) - 1))
    return out


def background_from(corpus: Corpus, seg: Segmenter) -> dict:
    """The table `Background.shipped` reads, built from a reference corpus (the sample city)."""
    df: dict[str, set[str]] = defaultdict(set)
    units = collect_units(corpus, seg)
    for u in units:
        for t in features(u.terms):
            df[t].add(u.department)
    return {
        "departments": len({u.department for u in units}),
        "df": {t: len(ds) for t, ds in sorted(df.items()) if len(ds) >= 2},
    }


def is_boilerplate(terms: Terms, share: Callable[[str], float], config) -> bool:
    """Most of the clause's words are carried by most departments (本部门安全生产、保密和网络安全工作)
    and it names no object of the domain dictionary."""
    words = terms.content
    if len(words) < 3 or terms.objects:
        return False
    common = sum(1 for t in words if share(t) > config.max_df_share)
    return common / len(words) >= config.boilerplate_share


def is_object(term: str, lexicon_objects: set[str]) -> bool:
    """Objects of management are nouns: the domain dictionary's objects, or words jieba tags as nouns (or does not know)."""
    return term in lexicon_objects or is_noun(term)


@lru_cache(maxsize=200_000)
def is_noun(term: str) -> bool:
    import jieba.posseg

    tag = jieba.posseg.dt.word_tag_tab.get(term)
    return tag is None or tag in NOUN_TAGS


def build_space(units: list[Unit], config, lexicon_objects: set[str], background: Background) -> Space:
    """`config`: anything with WeightConfig's fields (WeightConfig, OverlapConfig)."""
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
    return Space(m.tocsr(), vocab, idf, np.array([share(t) for t in vocab]), lexicon_objects, len(departments))


def stable_keys(units: list[Unit]) -> np.ndarray:
    """A per-unit number that does not depend on where the unit sits in the list (file order, run), so that
    ties between equally similar neighbours are broken the same way however the corpus was read."""
    import hashlib

    return np.array([int.from_bytes(hashlib.blake2b(f"{u.department}\x1f{u.unit}\x1f{u.item}\x1f{u.text}".encode(),
                                                    digest_size=7).digest(), "big") for u in units], dtype=np.int64)


def neighbour_pairs(space: Space, units: list[Unit], config) -> Iterator[tuple[int, int, float]]:
    """(i, j, cosine), i < j, for every pair where one is among the other's top-k neighbours above
    `config.min_score` (of another department or another unit). Symmetric and order-free: the pairs proposed
    do not depend on the order the files were read in (ties broken by `stable_keys`)."""
    m = space.matrix
    mt = m.T.tocsc()
    dept = np.array([hash(u.department) for u in units])
    unit_of = np.array([hash((u.department, u.unit)) for u in units])
    keys = stable_keys(units)
    chosen: list[np.ndarray] = []  # per row: its top-k columns
    values: list[np.ndarray] = []
    for start in range(0, m.shape[0], config.chunk):
        block = (m[start:start + config.chunk] @ mt).tocsr()
        for r in range(block.shape[0]):
            i = start + r
            lo, hi = block.indptr[r], block.indptr[r + 1]
            cols, vals = block.indices[lo:hi], block.data[lo:hi]
            keep = (cols != i) & (vals >= config.min_score) & ((dept[cols] != dept[i]) | (unit_of[cols] != unit_of[i]))
            cols, vals = cols[keep], vals[keep]
            if len(cols) > config.top_k:
                order = np.lexsort((keys[cols], -vals))[: config.top_k]
                cols, vals = cols[order], vals[order]
            chosen.append(cols)
            values.append(vals)
    for i, (cols, vals) in enumerate(zip(chosen, values)):
        for j, s in zip(cols.tolist(), vals.tolist()):
            # each pair once: from its lower end, or from the higher end when the lower end did not choose it
            if j > i or i not in chosen[j]:
                yield min(i, j), max(i, j), float(s)
