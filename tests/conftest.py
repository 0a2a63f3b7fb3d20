import json
import os
import tempfile
from pathlib import Path

import pytest

# Embedding vectors cached on disk go to a throwaway folder, never to the developer's ~/.cache.
os.environ["DUTY_ANALYZER_CACHE"] = tempfile.mkdtemp(prefix="duty-analyzer-cache-")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpora" / "sample"
SAMPLE_SRC = ROOT / "corpora" / "sample-src"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def truth() -> dict:
    return json.loads((SAMPLE / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def sample_corpus():
    from duty_analyzer.parse import parse_paths

    return parse_paths([SAMPLE])


def write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def write():
    """Write text to a file in a given encoding and return its path."""
    return write_text
