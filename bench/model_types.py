"""Print the type names (beyond skops's safe defaults) in every kind of model `train` writes.

The output is `safeload.PROJECT_TYPES`: run this after changing `classify.build_pipeline` and paste
the set if it changed. Trains tiny models: tf-idf, each installed semantic backend, custom labels.

    PYTHONPATH=src python bench/model_types.py
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import skops.io as sio

from duty_analyzer.classify import NINE_CATEGORIES, Classifier, Dataset
from duty_analyzer.embed import BACKENDS, LEXICAL, EmbeddingError, get_encoder
from duty_analyzer.safeload import PROJECT_TYPES


def tiny(labels, n=8, seed=0) -> Dataset:
    rng = random.Random(seed)
    words = ["停车场", "农贸市场", "审批", "监管", "执法", "编制", "协调", "流程", "街道", "职责"]
    texts, ys = [], []
    for y in labels:
        for i in range(n):
            texts.append(f"{y}{''.join(rng.choice(words) for _ in range(6))}{i}")
            ys.append(y)
    return Dataset(texts, ys, [f"f{i % 3}" for i in range(len(texts))])


def main() -> None:
    found: dict[str, set[str]] = {}
    runs = [("tfidf, nine categories", LEXICAL, list(NINE_CATEGORIES)), ("tfidf, custom labels", LEXICAL, ["交通运输", "教育文体", "卫生"])]
    for backend in BACKENDS:
        if backend != LEXICAL and not backend.startswith("st"):
            try:
                get_encoder(backend)
            except EmbeddingError as exc:
                print(f"skipped {backend}: {exc}")
                continue
            runs.append((f"{backend}, nine categories", backend, list(NINE_CATEGORIES)))
    with tempfile.TemporaryDirectory() as tmp:
        for name, backend, labels in runs:
            clf = Classifier.train(tiny(labels), backend=backend)
            target = Path(tmp) / name.replace(" ", "_").replace(",", "")
            clf.save(target)
            found[name] = set(sio.get_untrusted_types(file=target / "model.skops"))
            print(f"{name}: {sorted(found[name])}")
    union = set().union(*found.values())
    print("union:", sorted(union))
    print("PROJECT_TYPES matches" if union == set(PROJECT_TYPES) else f"PROJECT_TYPES differs: add {sorted(union - PROJECT_TYPES)}, unused {sorted(PROJECT_TYPES - union)}")


if __name__ == "__main__":
    main()
