"""Rebuild src/duty_analyzer/data/hotline_dispute_model.json (争议类别) from the development corpora.

    PYTHONPATH=src .venv/bin/python bench/build_dispute_model.py

Trains category.DisputeModel on every bounced record of ../shared/eval-corpora/{luming,wangchuan} with its
hotline_truth.csv category, the signals computed by the analyzer itself, plus the written dispute corpus
(corpora/disputes, chain-only signals) when present; settings by 5-fold CV (hotline_quality.fit_dispute). bench/hotline_quality.py reports the
same model fitted leave-one-corpus-out.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import hotline_quality as hq  # noqa: E402

from duty_analyzer.hotline import HotlineConfig  # noqa: E402
from duty_analyzer.hotline.category import MODEL_FILE  # noqa: E402


def main() -> None:
    rows, names, by_corpus = [], [], {}
    for name, (paths, truth) in hq.corpora(["luming", "wangchuan"]).items():
        by_corpus[name] = []
        hq.score_corpus(name, paths, truth, HotlineConfig(), by_corpus[name])
        rows += by_corpus[name]
        names.append(name)
    written = hq.dispute_corpus()
    model = hq.fit_dispute(rows, written)
    model.override, right = hq.choose_override(by_corpus)
    print("override chosen across corpora (right, each corpus predicted by a model fitted on the other): "
          + ", ".join(f"{o}: {n}" for o, n in right.items()))
    meta = {"what": "争议类别: logistic regression over dispute signals + character 1-2-gram tf-idf",
            "trained_on": " + ".join(names) + (f" + corpora/disputes ({len(written)} written records)" if written else ""),
            "records": str(len(rows) + len(written)), "settings": f"C {model.C}, class_weight {model.class_weight}, "
            f"signal_weight {model.signal_weight}, override {model.override} (C etc. by 5-fold CV within the development corpora; override across them)",
            "built": datetime.date.today().isoformat(), "script": "bench/build_dispute_model.py"}
    out = ROOT / "src" / "duty_analyzer" / MODEL_FILE
    out.write_text(model.to_json(meta), encoding="utf-8")
    print(f"{len(rows)} records, classes {model.classes_} → {out} ({out.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
