"""Where the shipped files are: one place, through importlib.resources, so a wheel, an editable install and a
source checkout all find the same models, training corpus and dictionaries.

The data packages are mapped in pyproject.toml (package-dir) onto the repo folders, which stay where they are:
`duty_analyzer.models` is models/, `duty_analyzer.training` is corpora/problems/, `duty_analyzer` data/ is
src/duty_analyzer/data/.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

MODELS = "duty_analyzer.models"
TRAINING = "duty_analyzer.training"
TRAINING_SUFFIXES = (".csv", ".xlsx")
# Where each data package lives in a source checkout (mirrors [tool.setuptools.package-dir]).
CHECKOUT_DIRS = {MODELS: "models", TRAINING: "corpora/problems"}


def source_checkout() -> Path | None:
    """The repo root when this code runs from a checkout's src/ (PYTHONPATH=src or an editable install)."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").is_file() and (root / "src" / "duty_analyzer").is_dir() else None


def _folder(package: str) -> Path:
    """A data package as a real folder. Run from a checkout, the checkout's own folder wins, so that
    PYTHONPATH=src in one worktree never reads another install's models; installed, importlib.resources."""
    root = source_checkout()
    if root is not None and package in CHECKOUT_DIRS and (root / CHECKOUT_DIRS[package]).is_dir():
        return root / CHECKOUT_DIRS[package]
    return Path(str(resources.files(package)))


def models_root() -> Path:
    """The folder holding every shipped model folder (problems/, problems-e5-small/, overlaps/ …)."""
    return _folder(MODELS)


def model_dir(name: str) -> Path:
    """The shipped model folder `name` (it may not exist: callers say so in their own words)."""
    return models_root() / name


def training_dir() -> Path:
    """The shipped labelled problem corpus (the default data of `train` and `evaluate`)."""
    return _folder(TRAINING)


def training_files() -> list[Path]:
    """The corpus files of training_dir(), sorted."""
    return sorted(f for f in training_dir().iterdir() if f.suffix.lower() in TRAINING_SUFFIXES)


def data_file(name: str) -> Path:
    """A file shipped in duty_analyzer/data (dictionaries, background tables)."""
    return _folder("duty_analyzer") / "data" / name
