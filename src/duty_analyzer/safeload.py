"""Loading model files that cannot run code: skops archives checked against an exact allow-list.

Model folders are mailed between offices, so a `model.skops` is hostile until proven otherwise. skops
builds objects from a JSON schema and constructs only the types it is told to trust; everything beyond
skops's own safe defaults must be named here, by its full dotted name (no prefixes: `numpy.` alone
would admit `numpy.testing._private.utils.runstring`, which is `exec`).

`PROJECT_TYPES` is what the project's own pipelines contain beyond those defaults. Regenerate it after
adding an estimator to `classify.build_pipeline`: `python bench/model_types.py` trains each kind of
model `train` writes (tf-idf, a semantic backend with MeaningFeatures, custom labels) and prints the
union of `skops.io.get_untrusted_types` over them; tests/test_safeload.py fails when a shipped model
holds a type not listed.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

PROJECT_TYPES: frozenset[str] = frozenset({
    "duty_analyzer.classify.ChineseFeatures",
    "duty_analyzer.classify.MeaningFeatures",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
})

# A model archive is small (the shipped ones inflate to ~3 MB); anything far larger is refused unread.
MAX_INFLATED_BYTES = 512 * 1024 * 1024


class UnsafeModelError(Exception):
    """A model file that was not loaded: untrusted types, a broken archive, or a failed construction."""

    def __init__(self, path: Path, message: str, refused: tuple[str, ...] = ()):
        super().__init__(message)
        self.path = path
        self.message = message
        self.refused = refused


def _check_archive(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            inflated = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnsafeModelError(path, f"{path}：模型文件损坏或不是 skops 模型（{type(exc).__name__}）") from None
    if "schema.json" not in names:
        raise UnsafeModelError(path, f"{path}：不是 skops 模型文件（缺少 schema.json）")
    if inflated > MAX_INFLATED_BYTES:
        raise UnsafeModelError(path, f"{path}：模型文件解压后 {inflated / 2**20:.0f} MB，远大于正常模型，拒绝加载")


def untrusted_types(path: Path) -> list[str]:
    """Type names in the archive beyond skops's safe defaults (nothing is constructed)."""
    import skops.io as sio

    _check_archive(path)
    try:
        return sorted(sio.get_untrusted_types(file=path))
    except Exception as exc:
        raise UnsafeModelError(path, f"{path}：模型文件损坏，无法检查其中的类型（{type(exc).__name__}）") from None


def load_skops(path: Path, allowed: frozenset[str] = PROJECT_TYPES) -> object:
    """The object in a skops file, if every type it needs is skops-safe or exactly in `allowed`."""
    import skops.io as sio

    path = Path(path)
    found = untrusted_types(path)
    refused = tuple(t for t in found if t not in allowed)
    if refused:
        raise UnsafeModelError(
            path,
            f"{path}：模型文件含有不在白名单中的类型，已拒绝加载（未执行其中任何内容）：{'、'.join(refused)}。"
            "请只使用本工具 train 命令生成的模型",
            refused,
        )
    try:
        return sio.load(path, trusted=found)
    except Exception as exc:
        raise UnsafeModelError(path, f"{path}：模型无法加载（{type(exc).__name__}），请用本版本重新训练") from None
