"""Does more labelled data lift the 泰迪杯 score? 5-fold on the 3,715 raw messages, with and without the
other messages of the 9,210-row set added to every training fold.

    .venv/bin/python bench/taidi_more_data.py [DATA_DIR]

The 9,210 set is already segmented with stop words removed and has no message ids, so its rows that are
the raw messages themselves are found by character-bigram cosine (every raw message has its copy at ≥ 0.43;
rows at ≥ 0.3 to any raw message are dropped) — no evaluated message, or its copy, is ever trained on.
Prints macro-F1 and time for both, with the tool's own pipeline (`classify.build_pipeline`).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from duty_analyzer.classify import build_pipeline

ROOT = Path(__file__).resolve().parents[1]
DUPLICATE = 0.3


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "taidi2020c"
    raw = pd.read_csv(data / "fujian2_raw_labeled_union.csv", dtype=str)
    full = pd.read_csv(data / "fujian2_tokenized_full_9210.csv", dtype=str).fillna("")
    joined = full["tokens"].str.replace(" ", "", regex=False).tolist()
    texts, labels = raw["text"].tolist(), raw["label"].to_numpy()
    bigrams = TfidfVectorizer(analyzer="char", ngram_range=(2, 2)).fit(joined + texts)
    closest = np.asarray((bigrams.transform(joined) @ bigrams.transform(texts).T).max(axis=1).todense()).ravel()
    keep = closest < DUPLICATE
    extra_texts, extra_labels = [t for t, k in zip(joined, keep) if k], full["label"][keep].tolist()
    print(f"raw messages: {len(texts)}; other messages added to training folds: {len(extra_texts)} "
          f"(dropped as copies or near-copies of raw ones: {int((~keep).sum())})")
    for name, more_t, more_y in [("raw only", [], []), ("raw + other messages", extra_texts, extra_labels)]:
        predicted = np.empty(len(texts), dtype=object)
        start = time.perf_counter()
        for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(texts, labels):
            model = build_pipeline().fit([texts[i] for i in train] + more_t, list(labels[train]) + more_y)
            predicted[test] = model.predict([texts[i] for i in test])
        seconds = time.perf_counter() - start
        per_class = f1_score(labels, predicted, average=None, labels=sorted(set(labels)))
        print(f"{name}: macro-F1 {f1_score(labels, predicted, average='macro'):.4f} ({seconds:.0f} s for 5 folds); "
              + ", ".join(f"{c} {f:.3f}" for c, f in zip(sorted(set(labels)), per_class)))


if __name__ == "__main__":
    main()
