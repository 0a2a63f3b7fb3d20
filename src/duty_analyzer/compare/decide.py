"""The learned pair decision: a logistic regression over `pairs.FEATURES`, shipped in models/overlaps/.

Logistic regression because its output is a probability (checked for calibration leave-one-corpus-out,
see metadata.json) and its decision splits into per-feature contributions that `why` can name."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..resources import model_dir
from .pairs import FEATURE_NAMES, FEATURES

MODEL_FILE, METADATA_FILE = "model.skops", "metadata.json"
FORMAT_VERSION = 1
# The exact types a shipped pair model may contain; a file holding anything else is refused unread.
ALLOWED_TYPES = frozenset({
    "sklearn.pipeline.Pipeline",
    "sklearn.preprocessing._data.StandardScaler",
    "sklearn.linear_model._logistic.LogisticRegression",
    "numpy.ndarray",
    "numpy.float64",
    "numpy.int64",
    "numpy.dtype",
    "builtins.dict",
    "builtins.list",
    "builtins.str",
    "builtins.tuple",
    "builtins.int",
    "builtins.float",
    "builtins.bool",
    "builtins.NoneType",
})


class PairModelError(Exception):
    """A model directory that cannot be used (message in Chinese, names the file)."""


def default_model_dir() -> Path:
    return model_dir("overlaps")


def build_estimator(C: float = 1.0):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    return Pipeline([("scale", StandardScaler()), ("lr", LogisticRegression(C=C, max_iter=2000))])


@dataclass
class PairModel:
    """fit/predict_proba over feature rows (columns in FEATURE_NAMES order); `threshold` is a probability."""

    estimator: object = None
    threshold: float = 0.5
    metadata: dict = field(default_factory=dict)

    def fit(self, X: np.ndarray, y: np.ndarray, C: float = 1.0) -> "PairModel":
        self.estimator = build_estimator(C).fit(X, y)
        return self

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        if len(X) == 0:
            return np.zeros(0)
        return self.estimator.predict_proba(np.asarray(X, dtype=float))[:, 1]

    def contributions(self, x: np.ndarray) -> list[tuple[str, float]]:
        """Each feature's push on the log-odds for one pair, largest first (standardised value × weight)."""
        scale, lr = self.estimator.named_steps["scale"], self.estimator.named_steps["lr"]
        z = (np.asarray(x, dtype=float) - scale.mean_) / np.where(scale.scale_ == 0, 1, scale.scale_)
        push = z * lr.coef_[0]
        order = np.argsort(-np.abs(push), kind="stable")  # ties keep feature order: same `why` every run
        return [(FEATURE_NAMES[k], float(push[k])) for k in order]

    def explain(self, x: np.ndarray, n: int = 3) -> str:
        """The features present in this pair that moved the decision most (↑ towards overlap, ↓ against)."""
        value = dict(zip(FEATURE_NAMES, np.asarray(x, dtype=float)))
        present = [(name, push) for name, push in self.contributions(x) if value[name] != 0]
        return "、".join(f"{FEATURES[name]}{'↑' if push > 0 else '↓'}" for name, push in present[:n])

    def save(self, directory: Path, metadata: dict) -> None:
        import skops.io as sio

        directory.mkdir(parents=True, exist_ok=True)
        tmp = directory / (MODEL_FILE + ".tmp")
        sio.dump(self.estimator, tmp)
        tmp.replace(directory / MODEL_FILE)
        meta = {"format_version": FORMAT_VERSION, "features": list(FEATURE_NAMES), "threshold": self.threshold, **metadata}
        (directory / METADATA_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def stored_types(path: Path) -> set[str]:
    """Every type a skops file would construct, read from its schema without building anything."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            schema = json.loads(z.read("schema.json"))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise PairModelError(f"{path}：不是可读的模型文件（{exc}）") from None
    found: set[str] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "__class__" in node and "__module__" in node:
                found.add(f"{node['__module__']}.{node['__class__']}")
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def load_estimator(path: Path):
    """skops load with an EXACT type allow-list (the one place to switch to the shared safe loader): every type
    in the file must be listed, whatever skops itself would trust."""
    import skops.io as sio

    unknown = stored_types(path) - ALLOWED_TYPES
    if unknown:
        raise PairModelError(f"{path}：模型文件含有不允许的类型（{'、'.join(sorted(unknown))}），拒绝加载")
    return sio.load(path, trusted=sorted(set(sio.get_untrusted_types(file=path)) & ALLOWED_TYPES))


def load(directory: Path) -> PairModel:
    meta_path, model_path = directory / METADATA_FILE, directory / MODEL_FILE
    if not meta_path.is_file() or not model_path.is_file():
        raise PairModelError(f"{directory}：不是交叉判定模型目录（需要 {MODEL_FILE} 和 {METADATA_FILE}）")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise PairModelError(f"{meta_path}：元数据无法读取（{exc}）") from None
    if meta.get("format_version") != FORMAT_VERSION or meta.get("features") != list(FEATURE_NAMES):
        raise PairModelError(f"{directory}：模型的特征与本工具不一致，请用 bench/train_overlap_model.py 重新训练")
    return PairModel(load_estimator(model_path), float(meta["threshold"]), meta)


@lru_cache(maxsize=1)
def load_default() -> PairModel:
    return load(default_model_dir())
