"""Digest of what the parse stage makes of the sample corpus's 三定 and 清单 (with locations), to prove a
parser change leaves them as they were.

    PYTHONPATH=src python tests/parse/digest_sample.py > tests/fixtures/sample_parse_digest.json

Regenerate only when a change to the sample's parse is intended, and say so in the commit.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import asdict
from pathlib import Path

from duty_analyzer.parse import parse_paths

ROOT = Path(__file__).resolve().parents[2]
FIELDS = ("departments", "duties", "staffing", "divisions", "list_items", "hotline", "statements", "unrecognized")


def digest(root: Path = ROOT / "corpora" / "sample") -> dict[str, dict[str, str]]:
    corpus = parse_paths([root / "sanding", root / "lists"])
    out = {}
    for f in corpus.files:
        data = asdict(f)
        out[Path(f.path).relative_to(root).as_posix()] = {
            k: f"{len(data[k])}:" + hashlib.sha256(
                json.dumps(data[k], ensure_ascii=False, sort_keys=True).replace(str(root), "").encode()
            ).hexdigest()[:16]
            for k in FIELDS
        }
    out["errors"] = {e.path.replace(str(root), ""): e.message for e in corpus.errors}
    return out


if __name__ == "__main__":
    json.dump(digest(), sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
    print()
