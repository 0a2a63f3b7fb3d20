"""The learned pair decision: a logistic regression over `pairs.FEATURES`, shipped in models/overlaps/.

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
from .pairs import FEATURE_NAMES, FEATURES

MODEL_FILE, METADATA_FILE = "model.npz", "metadata.json"
FORMAT_VERSION = 2  # 2: plain arrays (standardisation + weights); 1 was a skops file
ARRAYS = ("mean", "scale", "coef", "intercept")


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


@dataclass
class PairModel:
    """fit/predict_proba over feature rows (columns in FEATURE_NAMES order); `threshold` is a probability."""

    scorer: LogisticScorer | None = None
    threshold: float = 0.5
    metadata: dict = field(default_factory=dict)

    def fit(self, X: np.ndarray, y: np.ndarray, C: float = 1.0) -> "PairModel":
        self.scorer = LogisticScorer.of(build_estimator(C).fit(X, y))
        return self

    @property
    def weights(self) -> dict[str, float]:
        """Standardised weight per feature (what metadata.json and the trainer print)."""
        return {n: float(w) for n, w in zip(FEATURE_NAMES, self.scorer.coef)}

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        if len(X) == 0:
            return np.zeros(0)
        return self.scorer.predict_proba(X)

    def contributions(self, x: np.ndarray) -> list[tuple[str, float]]:
        """Each feature's push on the log-odds for one pair, largest first (standardised value × weight)."""
        push = self.scorer.standardise(x) * self.scorer.coef
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
        sc = self.scorer
        np.savez(tmp, mean=sc.mean, scale=sc.scale, coef=sc.coef, intercept=np.array([sc.intercept]))
        tmp.replace(directory / MODEL_FILE)
        meta = {"format_version": FORMAT_VERSION, "features": list(FEATURE_NAMES), "threshold": self.threshold, **metadata}
        (directory / METADATA_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def load_scorer(path: Path, features: int) -> LogisticScorer:
    """The four arrays, pickles refused (nothing in the file can run), each of the expected shape."""
    try:
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: np.asarray(z[k], dtype=float) for k in ARRAYS}
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
    return PairModel(load_scorer(model_path, len(FEATURE_NAMES)), float(meta["threshold"]), meta)


@lru_cache(maxsize=1)
def load_default() -> PairModel:
    return load(default_model_dir())
