"""The shipped problem classifier against a ten-line scikit-learn script, measured in the same run.

    .venv/bin/python bench/classify_vs_plain.py [--records 100000] [--cv] [--backend e5-small]

The plain script (`plain_pipeline`): rjieba words and character bigrams, tf-idf, LinearSVC, trained on the
same corpus (corpora/problems). Both are scored on statements nobody tuned to: tests/fixtures/heldout/
statements.csv, the development notes' truth (../shared/eval-corpora/*/notes_truth.csv) and the sample
city's interview sentences (its planted problems, every other sentence a non-problem), as macro-F1 over the
nine categories + 非问题. Then CPU time (this process only, time.process_time) to classify `--records`
synthetic ~150-character records in one process: the shipped model through `Classifier.predict` (label,
confidence, runner-up, 需复核), the plain script through `predict` (label only). With `--cv`, stratified
5-fold and leave-one-source-file-out cross-validation of both on the training corpus (same folds).
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))


def plain_pipeline():
    """The ten-line script a data scientist would write first."""
    import rjieba
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline, make_union
    from sklearn.svm import LinearSVC

    words = TfidfVectorizer(tokenizer=rjieba.cut, token_pattern=None, lowercase=False, sublinear_tf=True, min_df=2)
    chars = TfidfVectorizer(analyzer="char", ngram_range=(2, 2), sublinear_tf=True, min_df=2)
    return make_pipeline(make_union(words, chars), LinearSVC())


def heldout_sets() -> dict[str, tuple[list[str], list[str]]]:
    from statements_quality import NON_PROBLEM, corpora, same_sentence

    from duty_analyzer.extract import sentences
    from duty_analyzer.parse.registry import parse_paths

    rows = list(csv.DictReader((ROOT / "tests" / "fixtures" / "heldout" / "statements.csv").open(encoding="utf-8")))
    sets = {"heldout statements (西岭州)": ([r["text"] for r in rows], [r["category"] for r in rows])}
    for truth in corpora():
        pairs = list(truth.rows)
        if truth.others_are_non_problems:
            corpus = parse_paths([truth.notes], kind="interview")
            split = [s for st in corpus.statements for s in sentences(st.text)]
            pairs += [(s, NON_PROBLEM) for s in split if not any(same_sentence(s, t) for t, _ in truth.rows)]
        sets[f"{truth.name} notes"] = ([t for t, _ in pairs], [c for _, c in pairs])
    return sets


def macro_f1(y_true, y_pred) -> float:
    from duty_analyzer.classify import score

    return score(y_true, y_pred, sorted(set(y_true)), "").macro_f1


def cpu_seconds(predict, texts: list[str], batch: int = 4000) -> float:
    t = time.process_time()
    for i in range(0, len(texts), batch):
        predict(texts[i:i + batch])
    return time.process_time() - t


def cross_validation(data) -> None:
    from sklearn.model_selection import GroupKFold, StratifiedKFold, cross_val_predict

    from duty_analyzer.classify import build_pipeline

    schemes = {
        "stratified 5-fold": (StratifiedKFold(5, shuffle=True, random_state=0), None),
        f"leave-one-source-file-out ({len(set(data.groups))} files)": (GroupKFold(len(set(data.groups))), data.groups),
    }
    print("\n| cross-validation on the training corpus | shipped pipeline macro-F1 | plain script macro-F1 |\n|---|---|---|")
    for name, (cv, groups) in schemes.items():
        shipped = cross_val_predict(build_pipeline(), data.texts, data.labels, groups=groups, cv=cv)
        plain = cross_val_predict(plain_pipeline(), data.texts, data.labels, groups=groups, cv=cv)
        print(f"| {name} | {macro_f1(data.labels, list(shipped)):.3f} | {macro_f1(data.labels, list(plain)):.3f} |", flush=True)
    print("\n| left-out file | n | shipped macro-F1 / accuracy | plain macro-F1 / accuracy |\n|---|---|---|---|")
    for group in sorted(set(data.groups)):
        train = [i for i, g in enumerate(data.groups) if g != group]
        test = [i for i, g in enumerate(data.groups) if g == group]
        y_test = [data.labels[i] for i in test]
        figures = []
        for make in (build_pipeline, plain_pipeline):
            model = make().fit([data.texts[i] for i in train], [data.labels[i] for i in train])
            pred = list(model.predict([data.texts[i] for i in test]))
            accuracy = sum(a == b for a, b in zip(y_test, pred)) / len(test)
            figures.append(f"{macro_f1(y_test, pred):.3f} / {accuracy:.3f}" if len(set(y_test)) > 1 else f"— / {accuracy:.3f}")
        print(f"| {group} | {len(test)} | {figures[0]} | {figures[1]} |", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--cv", action="store_true", help="also 5-fold and leave-one-source-file-out on the training corpus")
    ap.add_argument("--backend", default="tfidf", help="also score the shipped model of this semantic backend (no timing)")
    args = ap.parse_args()
    warnings.filterwarnings("ignore", category=UserWarning)  # one-label folds in sklearn's metrics
    from classify import synthetic_texts

    from duty_analyzer.classify import load_dataset, load_default

    print(f"machine: {platform.machine()}, Python {platform.python_version()}, {len(os.sched_getaffinity(0))} cores, "
          f"load average {os.getloadavg()[0]:.1f}\n")
    data = load_dataset([ROOT / "corpora" / "problems"])
    shipped = load_default()
    t = time.perf_counter()
    plain = plain_pipeline().fit(data.texts, data.labels)
    print(f"training corpus: {len(data)} statements; plain script fit {time.perf_counter() - t:.1f} s\n")
    models = {"shipped (models/problems)": lambda x: [p.label for p in shipped.predict(x)], "plain script": lambda x: list(plain.predict(x))}
    if args.backend != "tfidf":
        semantic = load_default(args.backend)
        models[f"shipped {args.backend}"] = lambda x: [p.label for p in semantic.predict(x)]
    sets = heldout_sets()
    pooled_true = [y for _, ys in sets.values() for y in ys]
    print("| held-out set | n | " + " | ".join(models) + " |\n|---|---|" + "---|" * len(models))
    pooled = {name: [] for name in models}
    for set_name, (texts, labels) in sets.items():
        cells = []
        for name, predict in models.items():
            pred = predict(texts)
            pooled[name] += pred
            cells.append(f"{macro_f1(labels, pred):.3f}")
        print(f"| {set_name} | {len(texts)} | " + " | ".join(cells) + " |", flush=True)
    print(f"| **all held-out, pooled** | {len(pooled_true)} | " + " | ".join(f"**{macro_f1(pooled_true, p):.3f}**" for p in pooled.values()) + " |")

    texts = synthetic_texts(args.records)
    shipped_cpu = cpu_seconds(shipped.predict, texts)
    plain_cpu = cpu_seconds(plain.predict, texts)
    print(f"\n| {args.records:,} records of ~150 characters, one process | CPU s | records per CPU s |\n|---|---|---|")
    print(f"| shipped model (`Classifier.predict`: label, confidence, runner-up, 需复核) | {shipped_cpu:.1f} | {args.records / shipped_cpu:,.0f} |")
    print(f"| plain script (`predict`: label only) | {plain_cpu:.1f} | {args.records / plain_cpu:,.0f} |")
    print(f"| shipped / plain CPU | {shipped_cpu / plain_cpu:.2f}× | |")
    if args.cv:
        cross_validation(data)


if __name__ == "__main__":
    main()
