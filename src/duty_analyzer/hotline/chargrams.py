"""Character n-gram tf-idf rows for a fitted scikit-learn `TfidfVectorizer`, computed a batch at a time in numpy.

The ranking's character view and the 争议类别 model read every record through a char-analyzer vectorizer; its
`transform` slices each n-gram and counts it in Python dicts, which was most of their cost. `CharTfidf` turns a
batch's characters into code points, each unigram and bigram into one integer key, finds the keys in the sorted
vocabulary and counts them with scipy; then it applies scikit-learn's own steps (sublinear tf, × idf, l2 norm),
so the matrix is identical. A vectorizer configured otherwise (other analyzer, accents, binary counts…) goes
through its own `transform`.
"""

from __future__ import annotations

import re

import numpy as np
from scipy import sparse

_WHITE_SPACES = re.compile(r"\s\s+")  # scikit-learn's own normalisation before char n-grams
_SHIFT = 21  # code points are below 2**21: a bigram's key is (first + 1) << 21 | second, above every unigram's


def vocabulary(vectorizer) -> dict[str, int] | None:
    """The fitted vocabulary, or the one given to the constructor as a mapping (scikit-learn validates that one only
    inside `transform`); None for any other form."""
    fitted = getattr(vectorizer, "vocabulary_", None)
    if fitted is not None:
        return fitted
    given = vectorizer.get_params()["vocabulary"]
    return dict(given) if isinstance(given, dict) and sorted(given.values()) == list(range(len(given))) else None


def supported(vectorizer) -> bool:
    """Whether `CharTfidf` reproduces this vectorizer: char n-grams of length 1–2 over lowercased text, sublinear
    tf × idf, l2-normalised, float64."""
    p = vectorizer.get_params()
    low, high = p["ngram_range"]
    return (p["analyzer"] == "char" and p["input"] == "content" and p["preprocessor"] is None
            and p["strip_accents"] is None and p["lowercase"] and not p["binary"] and p["use_idf"]
            and p["sublinear_tf"] and p["norm"] == "l2" and p["dtype"] is np.float64 and 1 <= low <= high <= 2
            and vocabulary(vectorizer) is not None)


def gram_key(gram: str) -> int:
    """The integer key of a one- or two-character n-gram (-1 for any other length)."""
    if len(gram) == 1:
        return ord(gram)
    if len(gram) == 2:
        return (ord(gram[0]) + 1) << _SHIFT | ord(gram[1])
    return -1


def code_points(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The texts' characters as code points, after scikit-learn's preprocessing (lowercase, runs of white space
    as one space), and the row each character belongs to."""
    texts = [_WHITE_SPACES.sub(" ", t.lower()) for t in texts]
    codes = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    return codes, np.repeat(np.arange(len(texts), dtype=np.int64), lengths)


class CharTfidf:
    """`vectorizer.transform(texts)` for a fitted char-n-gram `TfidfVectorizer`, faster when `supported`."""

    def __init__(self, vectorizer):
        self.vectorizer = vectorizer
        self.fast = supported(vectorizer)
        if self.fast:
            vocab = vocabulary(vectorizer)
            self.low, self.high = vectorizer.get_params()["ngram_range"]
            self.width = len(vocab)
            keys = np.fromiter((gram_key(g) for g in vocab), dtype=np.int64, count=len(vocab))
            ids = np.fromiter(vocab.values(), dtype=np.int64, count=len(vocab))
            order = np.argsort(keys, kind="stable")
            self.keys, self.ids = keys[order], ids[order]
            self.idf = np.asarray(vectorizer.idf_)

    def counts(self, texts: list[str]) -> sparse.csr_matrix:
        """Rows × vocabulary n-gram counts (float64, canonical: sorted indices, no duplicates)."""
        codes, rows = code_points(texts)
        keys, key_rows = [], []
        if self.low == 1:
            keys.append(codes)
            key_rows.append(rows)
        if self.high >= 2 and len(codes) > 1:
            same = rows[:-1] == rows[1:]
            keys.append(((codes[:-1] + 1) << _SHIFT | codes[1:])[same])
            key_rows.append(rows[:-1][same])
        k = np.concatenate(keys) if keys else np.zeros(0, dtype=np.int64)
        r = np.concatenate(key_rows) if key_rows else np.zeros(0, dtype=np.int64)
        at = np.minimum(np.searchsorted(self.keys, k), max(len(self.keys) - 1, 0))
        known = self.keys[at] == k if len(self.keys) else np.zeros(len(k), dtype=bool)
        m = sparse.csr_matrix((np.ones(int(known.sum()), dtype=np.float64), (r[known], self.ids[at[known]])),
                              shape=(len(texts), self.width))
        m.sum_duplicates()
        return m

    def transform(self, texts: list[str]):
        if not self.fast or not texts:  # scikit-learn decides what an empty batch gives
            return self.vectorizer.transform(texts)
        from sklearn.preprocessing import normalize

        m = self.counts(texts)
        np.log(m.data, m.data)
        m.data += 1.0
        m.data *= self.idf[m.indices]
        return normalize(m, norm="l2", copy=False)
