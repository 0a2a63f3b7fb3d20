"""Write src/duty_analyzer/data/background_df.json: per word, how many sample departments use it.

    .venv/bin/python corpora/build_background.py

The overlap engine adds these counts to a user's corpus so that words every department writes weigh
little even when only two or three departments are compared.
"""

import json
from pathlib import Path

from duty_analyzer.match import background_from
from duty_analyzer.parse import parse_paths
from duty_analyzer.segment import default_segmenter

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "src" / "duty_analyzer" / "data" / "background_df.json"

if __name__ == "__main__":
    table = background_from(parse_paths([ROOT / "corpora" / "sample" / "sanding"]), default_segmenter())
    TARGET.write_text(json.dumps(table, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{TARGET}: {len(table['df'])} words from {table['departments']} departments")
