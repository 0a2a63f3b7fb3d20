"""Each backend on each use, quality and speed in one run (issue 9's table).

    .venv/bin/python bench/semantic.py [--backends tfidf use e5-small] [--taidi]

- overlaps: planted topics found in the sample city (of 13), cross-department findings, findings no
  truth entry explains, and whether the held-out counties' paraphrased pair is found; clauses/s;
- classifier: 5-fold macro-F1 on the nine-category corpus, macro-F1 on the held-out statements (another
  author), and with --taidi 5-fold macro-F1 on 3,715 real 政务留言 (../shared/data/taidi2020c); texts/s;
- hotline: sample records linked to their planted topic's finding (of 180), linked to a wrong finding,
  unrelated records linked (of 44); records/s.
`tfidf` is the lexical engine alone (no encoder); the others add the named encoder to it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def overlaps_row(encoder, sample, heldout, truth, heldout_truth):
    from duty_analyzer.overlaps import CROSS, find_overlaps
    from tests.test_overlaps import _explained, _planted_match

    start = time.perf_counter()
    report = find_overlaps(sample, encoder=encoder)
    seconds = time.perf_counter() - start
    cross = [f for f in report.overlaps if f.kind == CROSS]
    planted = sum(any(_planted_match(f, t) for f in cross) for t in truth["topics"])
    unexplained = [f.topic for f in cross if not _explained(f, truth)]
    want = {(i["department"], i["label"]) for i in heldout_truth["overlap"]["items"]}
    found = any({(e.department, e.item) for e in f.evidence} >= want for f in find_overlaps(heldout, encoder=encoder).overlaps)
    units = sum(1 for d in sample.duties) + len(sample.list_items)
    return {"planted": planted, "cross": len(cross), "unexplained": len(unexplained), "heldout_pair": found,
            "seconds": round(seconds, 1), "items_per_s": round(units / seconds, 1)}


def classifier_row(backend, taidi: bool):
    import pandas as pd
    from sklearn.metrics import f1_score

    from duty_analyzer.classify import Classifier, Dataset, cross_validate, load_dataset

    corpus = load_dataset(sorted((ROOT / "corpora" / "problems").glob("*.csv")))
    start = time.perf_counter()
    cv = cross_validate(corpus, backend=backend)
    seconds = time.perf_counter() - start
    heldout = load_dataset([ROOT / "tests" / "fixtures" / "heldout" / "statements.csv"])
    model = Classifier.train(corpus, backend=backend)
    predicted = [p.label for p in model.predict(heldout.texts)]
    row = {"nine_cv": cv.macro_f1, "heldout": round(f1_score(heldout.labels, predicted, average="macro"), 4),
           "cv_seconds": round(seconds, 1)}
    if taidi:
        frame = pd.read_csv(ROOT.parent / "shared" / "data" / "taidi2020c" / "fujian2_raw_labeled_union.csv", dtype=str)
        data = Dataset(frame["text"].tolist(), frame["label"].tolist(), ["taidi"] * len(frame))
        start = time.perf_counter()
        row["taidi_cv"] = cross_validate(data, backend=backend).macro_f1
        row["taidi_seconds"] = round(time.perf_counter() - start, 1)
    return row


def hotline_row(encoder, sample, truth):
    from duty_analyzer.hotline import HotlineAnalysis, HotlineConfig, analyze_records
    from duty_analyzer.overlaps import find_overlaps
    from tests.test_overlaps import _planted_match

    overlaps = find_overlaps(sample)
    finding = {t["id"]: next(f.id for f in overlaps.overlaps if _planted_match(f, t)) for t in truth["topics"]}
    start = time.perf_counter()
    results = list(analyze_records(sample.hotline, sample, overlaps, HotlineConfig(encoder=encoder), summary=HotlineAnalysis()))
    seconds = time.perf_counter() - start
    pairs = list(zip(results, truth["hotline"]["records"]))
    right = sum(1 for r, e in pairs if e["topic"] != "none" and r.finding and r.finding.id == finding[e["topic"]])
    wrong = sum(1 for r, e in pairs if e["topic"] != "none" and r.finding and r.finding.id != finding[e["topic"]])
    stray = sum(1 for r, e in pairs if e["topic"] == "none" and r.finding)
    return {"right": right, "wrong": wrong, "unrelated_linked": stray, "records_per_s": round(len(results) / seconds, 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backends", nargs="+", default=["tfidf", "use", "e5-small"])
    parser.add_argument("--taidi", action="store_true", help="also 5-fold on the 3,715 real messages (slow with e5-small)")
    args = parser.parse_args()

    from duty_analyzer.embed import get_encoder
    from duty_analyzer.parse import parse_paths

    sample = parse_paths([ROOT / "corpora" / "sample"])
    truth = json.loads((ROOT / "corpora" / "sample" / "truth.json").read_text(encoding="utf-8"))
    folder = ROOT / "tests" / "fixtures" / "heldout"
    heldout = parse_paths(sorted(folder.glob("三定_*.txt")))
    heldout_truth = json.loads((folder / "heldout_truth.json").read_text(encoding="utf-8"))
    for backend in args.backends:
        encoder = None if backend == "tfidf" else get_encoder(backend)
        row = {"backend": backend}
        row["overlaps"] = overlaps_row(encoder, sample, heldout, truth, heldout_truth)
        row["hotline"] = hotline_row(encoder, sample, truth)
        row["classifier"] = classifier_row(backend, args.taidi)
        print(json.dumps(row, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
