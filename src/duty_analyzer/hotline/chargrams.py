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


# A vocabulary over at most this many distinct characters has its bigrams in a dense table (2048² int32: 16 MB).
MAX_ALPHABET = 2048


def alphabet(vocab: dict[str, int]) -> set[str]:
    """The characters of a vocabulary's one- and two-character n-grams."""
    return {ch for gram in vocab if len(gram) <= 2 for ch in gram}


class GramTable:
    """A one- and two-character vocabulary as arrays indexed by code point: a batch's n-grams are then found by
    gathers, not by a binary search of each n-gram's key in the sorted keys (which was most of `counts`). Bigrams
    sit in an alphabet × alphabet table (alphabet: the vocabulary's characters), so it needs a small alphabet."""

    def __init__(self, vocab: dict[str, int]):
        chars = sorted(alphabet(vocab))
        self.size = len(chars)
        self.letter = np.full(max(map(ord, chars), default=0) + 1, -1, dtype=np.int64)  # code point → alphabet
        self.letter[[ord(ch) for ch in chars]] = np.arange(self.size)
        self.unigram = np.full(self.size, -1, dtype=np.int32)
        self.bigram = np.full(self.size * self.size, -1, dtype=np.int32)
        for gram, i in vocab.items():
            if len(gram) == 1:
                self.unigram[self.letter[ord(gram)]] = i
            elif len(gram) == 2:
                self.bigram[self.letter[ord(gram[0])] * self.size + self.letter[ord(gram[1])]] = i

    def find(self, codes: np.ndarray, rows: np.ndarray, low: int, high: int) -> tuple[np.ndarray, np.ndarray]:
        """(row, vocabulary id) of every n-gram of the texts (`code_points`) that the vocabulary holds."""
        top = len(self.letter) - 1
        letters = np.where(codes <= top, self.letter[np.minimum(codes, top)], -1)
        found_rows, found_ids = [], []
        if low == 1:
            ids = np.where(letters >= 0, self.unigram[np.maximum(letters, 0)], -1)
            found_rows.append(rows[ids >= 0])
            found_ids.append(ids[ids >= 0])
        if high >= 2 and len(codes) > 1:
            first, second = letters[:-1], letters[1:]
            pair = (rows[:-1] == rows[1:]) & (first >= 0) & (second >= 0)
            ids = np.where(pair, self.bigram[np.where(pair, first * self.size + second, 0)], -1)
            found_rows.append(rows[:-1][ids >= 0])
            found_ids.append(ids[ids >= 0])
        if not found_rows:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(found_rows), np.concatenate(found_ids).astype(np.int64)


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
            self.table = GramTable(vocab) if len(alphabet(vocab)) <= MAX_ALPHABET else None

    def counts(self, texts: list[str]) -> sparse.csr_matrix:
        """Rows × vocabulary n-gram counts (float64, canonical: sorted indices, no duplicates)."""
        codes, rows = code_points(texts)
        if self.table is not None:
            r, ids = self.table.find(codes, rows, self.low, self.high)
            m = sparse.csr_matrix((np.ones(len(r), dtype=np.float64), (r, ids)), shape=(len(texts), self.width))
            m.sum_duplicates()
            return m
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
