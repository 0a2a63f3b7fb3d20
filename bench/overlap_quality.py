"""Overlap quality on every corpus with truth, by the team's scoring rule.

    .venv/bin/python bench/overlap_quality.py [--twins both|off|on] [--corpus NAME ...] [--loco] [--backend use]

Per corpus: planted overlaps in the top 20 and anywhere, look-alikes in the top 20, settled marked right
(of the planted overlaps found), internal overlaps found, precision of the top 20 (findings a planted or
incidental overlap explains), number of cross findings, and the planted overlaps missed from the top 20.
`--twins on` reads the clean sanding-src/ twins instead of the web/PDF-laid-out files, measuring the
engine apart from parsing; `both` (default) prints both. The shipped model (trained on all corpora) is
used; `--loco` instead fits the pair model on the other corpora for each corpus left out, and prints that
figure beside the one of a model fitted on all (the table in docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def run(corpora, config, encoder=None) -> list:
    from duty_analyzer.compare.evaluate import read_truth, score
    from duty_analyzer.overlaps import find_overlaps
    from duty_analyzer.parse import parse_paths

    rows = []
    for c in corpora:
        corpus = parse_paths(c.paths)
        start = time.perf_counter()
        report = find_overlaps(corpus, config, encoder=encoder)
        s = score(report, read_truth(c.truth, c.name))
        rows.append((s, time.perf_counter() - start))
    return rows


def loco_table(twins: bool, shared: Path) -> None:
    from duty_analyzer.compare.engine import OverlapConfig
    from duty_analyzer.compare.evaluate import dev_corpora
    from duty_analyzer.compare.train import choose_thresholds, evaluate, fit, loco, prepare

    config = OverlapConfig()
    parts = [prepare(d, config) for d in dev_corpora(ROOT, shared, twins)]
    held = loco(parts, config)  # each left-out corpus: model and threshold chosen on the others
    threshold, internal = choose_thresholds(parts, config)
    everything = fit(parts, threshold, internal_threshold=internal)
    chosen = ", ".join(f"{k} {v['threshold']}/{v['internal_threshold']}" for k, v in held.items())
    print(f"\n## leave-one-corpus-out, {'clean twins for laid-out files' if twins else 'files as shipped'} "
          f"(thresholds cross/internal chosen on the others: {chosen}; on all: {threshold}/{internal}); left out | trained on all")
    print("| corpus | planted in top 20 | anywhere | look-alikes in top 20 | settled right | internal | precision@20 | pair AUC |")
    print("|---|---|---|---|---|---|---|---|")
    for p in parts:
        a, b = held[p.corpus_name], evaluate(everything, p, config)
        cell = lambda k, d: f"{a[k]}{'/' + str(a[d]) if d else ''} \\| {b[k]}{'/' + str(b[d]) if d else ''}"  # noqa: E731
        print(f"| {p.corpus_name} | {cell('in_top', 'planted')} | {cell('anywhere', 'planted')} | {cell('lookalikes_top', '')} "
              f"| {cell('settled_right', 'settled_of')} | {cell('internal_found', 'internal_of')} | "
              f"{a['precision_top']} \\| {b['precision_top']} | {a.get('pair_auc')} |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--twins", choices=("both", "off", "on"), default="both")
    ap.add_argument("--corpus", nargs="*")
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--loco", action="store_true", help="leave-one-corpus-out figures of the pair model")
    ap.add_argument("--backend", default="tfidf", help="semantic backend for find_overlaps (tfidf: none)")
    args = ap.parse_args()
    if args.loco:
        for twins in {"both": (False, True), "off": (False,), "on": (True,)}[args.twins]:
            loco_table(twins, args.shared)
        return
    from duty_analyzer.compare.evaluate import HEADER, dev_corpora
    from duty_analyzer.overlaps import OverlapConfig

    config = OverlapConfig()
    encoder = None
    if args.backend != "tfidf":
        from duty_analyzer.embed import get_encoder

        encoder = get_encoder(args.backend)
    modes = {"both": (False, True), "off": (False,), "on": (True,)}[args.twins]
    for twins in modes:
        corpora = [c for c in dev_corpora(ROOT, args.shared, twins) if not args.corpus or c.name in args.corpus]
        if twins:
            corpora = [c for c in corpora if c.laid_out]
        print(f"\n## {'clean twins for laid-out files' if twins else 'files as shipped'}")
        print(HEADER + "  seconds")
        for s, seconds in run(corpora, config, encoder):
            print(s.row(), f" {seconds:.1f}s")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
