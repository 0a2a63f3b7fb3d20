"""The learned pair decision: logistic regressions over `pairs.FEATURES`, shipped in models/overlaps/.

Two of them, one per kind of pair: cross-department pairs, and pairs of two units of one department (internal).
What makes an internal overlap (two 股 of one bureau naming the same object, whatever the dictionary says) is
not what makes a cross one, and one model fitted on both let the cross pairs — eight times as many — decide the
internal weights (农村公路 between two units at lexical 0.62 came out at p 0.03). Each kind has its threshold.

Logistic regression because its output is a probability (checked for calibration leave-one-corpus-out,
see metadata.json) and its decision splits into per-feature contributions that `why` can name. It is fitted
with scikit-learn but shipped as four plain arrays (model.npz, read with pickles refused): loading runs no code
from the file and imports neither scikit-learn nor skops, which cost every command seconds of start-up."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..resources import model_dir
from .pairs import CROSS, FEATURE_NAMES, FEATURES, INTERNAL

MODEL_FILE, METADATA_FILE = "model.npz", "metadata.json"
FORMAT_VERSION = 3  # 3: a second set of arrays for internal pairs; 2: one set of plain arrays; 1 was a skops file
ARRAYS = ("mean", "scale", "coef", "intercept")
INTERNAL_PREFIX = "internal_"  # the internal model's arrays: internal_mean, internal_scale, …
INTERNAL_COLUMN = FEATURE_NAMES.index("internal")


class PairModelError(Exception):
    """A model directory that cannot be used (message in Chinese, names the file)."""


def default_model_dir() -> Path:
    return model_dir("overlaps")


def build_estimator(C: float = 1.0):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    return Pipeline([("scale", StandardScaler()), ("lr", LogisticRegression(C=C, max_iter=2000))])


@dataclass(frozen=True)
class LogisticScorer:
    """The fitted pipeline as arithmetic: p = sigmoid(((x - mean) / scale) · coef + intercept)."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    @classmethod
    def of(cls, pipeline) -> "LogisticScorer":
        scale, lr = pipeline.named_steps["scale"], pipeline.named_steps["lr"]
        return cls(scale.mean_.astype(float), np.where(scale.scale_ == 0, 1.0, scale.scale_).astype(float),
                   lr.coef_[0].astype(float), float(lr.intercept_[0]))

    def standardise(self, X: np.ndarray) -> np.ndarray:
        return (np.asarray(X, dtype=float) - self.mean) / self.scale

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        z = self.standardise(X) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))


def is_internal(X: np.ndarray) -> np.ndarray:
    """Which rows are pairs of two units of one department (the `internal` feature)."""
    return np.asarray(X, dtype=float)[:, INTERNAL_COLUMN] == 1.0


@dataclass
class PairModel:
    """fit/predict_proba over feature rows (columns in FEATURE_NAMES order); thresholds are probabilities.

    `internal_scorer` decides internal rows (None: the cross scorer decides every row, as when the training
    data hold no internal pair of each class); `internal_threshold` None means `threshold` for both kinds."""

    scorer: LogisticScorer | None = None
    threshold: float = 0.5
    metadata: dict = field(default_factory=dict)
    internal_scorer: LogisticScorer | None = None
    internal_threshold: float | None = None

    def fit(self, X: np.ndarray, y: np.ndarray, C: float = 1.0) -> "PairModel":
        X, y = np.asarray(X, dtype=float), np.asarray(y)
        inside = is_internal(X)
        self.internal_scorer = None
        if len(set(y[inside].tolist())) == 2 and len(set(y[~inside].tolist())) == 2:
            self.scorer = LogisticScorer.of(build_estimator(C).fit(X[~inside], y[~inside]))
            self.internal_scorer = LogisticScorer.of(build_estimator(C).fit(X[inside], y[inside]))
        else:
            self.scorer = LogisticScorer.of(build_estimator(C).fit(X, y))
        return self

    def threshold_for(self, kind: str) -> float:
        return self.internal_threshold if kind == INTERNAL and self.internal_threshold is not None else self.threshold

    def scorer_for(self, x: np.ndarray) -> LogisticScorer:
        inside = self.internal_scorer is not None and bool(is_internal(np.asarray(x)[None])[0])
        return self.internal_scorer if inside else self.scorer

    @property
    def weights(self) -> dict[str, float]:
        """Standardised weight per feature of the cross model (what metadata.json and the trainer print)."""
        return {n: float(w) for n, w in zip(FEATURE_NAMES, self.scorer.coef)}

    @property
    def internal_weights(self) -> dict[str, float]:
        sc = self.internal_scorer or self.scorer
        return {n: float(w) for n, w in zip(FEATURE_NAMES, sc.coef)}

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        if len(X) == 0:
            return np.zeros(0)
        X = np.asarray(X, dtype=float)
        p = self.scorer.predict_proba(X)
        if self.internal_scorer is not None:
            inside = is_internal(X)
            if inside.any():
                p[inside] = self.internal_scorer.predict_proba(X[inside])
        return p

    def kept(self, X: np.ndarray) -> np.ndarray:
        """Which rows reach their kind's threshold."""
        if len(X) == 0:
            return np.zeros(0, dtype=bool)
        limit = np.where(is_internal(X), self.threshold_for(INTERNAL), self.threshold_for(CROSS))
        return self.predict_proba(X) >= limit

    def contributions(self, x: np.ndarray) -> list[tuple[str, float]]:
        """Each feature's push on the log-odds for one pair, largest first (standardised value × weight)."""
        sc = self.scorer_for(x)
        push = sc.standardise(x) * sc.coef
        order = np.argsort(-np.abs(push), kind="stable")  # ties keep feature order: same `why` every run
        return [(FEATURE_NAMES[k], float(push[k])) for k in order]

    def explain(self, x: np.ndarray, n: int = 3) -> str:
        """The features present in this pair that moved the decision most (↑ towards overlap, ↓ against)."""
        value = dict(zip(FEATURE_NAMES, np.asarray(x, dtype=float)))
        present = [(name, push) for name, push in self.contributions(x) if value[name] != 0]
        return "、".join(f"{FEATURES[name]}{'↑' if push > 0 else '↓'}" for name, push in present[:n])

    def save(self, directory: Path, metadata: dict) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        tmp = directory / (MODEL_FILE + ".tmp.npz")
        arrays = arrays_of(self.scorer)
        if self.internal_scorer is not None:
            arrays |= {INTERNAL_PREFIX + k: v for k, v in arrays_of(self.internal_scorer).items()}
        np.savez(tmp, **arrays)
        tmp.replace(directory / MODEL_FILE)
        meta = {"format_version": FORMAT_VERSION, "features": list(FEATURE_NAMES), "threshold": self.threshold,
                "internal_threshold": self.internal_threshold, **metadata}
        (directory / METADATA_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def arrays_of(sc: LogisticScorer) -> dict[str, np.ndarray]:
    return {"mean": sc.mean, "scale": sc.scale, "coef": sc.coef, "intercept": np.array([sc.intercept])}


def load_scorer(path: Path, features: int, prefix: str = "") -> LogisticScorer | None:
    """The four arrays (under `prefix`), pickles refused (nothing in the file can run), each of the expected
    shape; None when the file holds no arrays under a non-empty prefix."""
    try:
        with np.load(path, allow_pickle=False) as z:
            if prefix and prefix + ARRAYS[0] not in z.files:
                return None
            arrays = {k: np.asarray(z[prefix + k], dtype=float) for k in ARRAYS}
    except (OSError, KeyError, ValueError, TypeError) as exc:
        raise PairModelError(f"{path}：不是可读的交叉判定模型文件（{exc}）") from None
    if any(arrays[k].shape != (features,) for k in ARRAYS[:3]) or arrays["intercept"].shape != (1,) \
            or not all(np.isfinite(a).all() for a in arrays.values()) or (arrays["scale"] == 0).any():
        raise PairModelError(f"{path}：模型数组的形状或取值不对，请重新训练")
    return LogisticScorer(arrays["mean"], arrays["scale"], arrays["coef"], float(arrays["intercept"][0]))


def load(directory: Path) -> PairModel:
    meta_path, model_path = directory / METADATA_FILE, directory / MODEL_FILE
    if not meta_path.is_file() or not model_path.is_file():
        raise PairModelError(f"{directory}：不是交叉判定模型目录（需要 {MODEL_FILE} 和 {METADATA_FILE}）")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise PairModelError(f"{meta_path}：元数据无法读取（{exc}）") from None
    if meta.get("format_version") != FORMAT_VERSION or meta.get("features") != list(FEATURE_NAMES):
        raise PairModelError(f"{directory}：模型的特征与本工具不一致，请用 python -m duty_analyzer.compare.train 重新训练")
    internal = meta.get("internal_threshold")
    return PairModel(load_scorer(model_path, len(FEATURE_NAMES)), float(meta["threshold"]), meta,
                     load_scorer(model_path, len(FEATURE_NAMES), INTERNAL_PREFIX), None if internal is None else float(internal))


@lru_cache(maxsize=1)
def load_default() -> PairModel:
    return load(default_model_dir())
