"""Overlap quality on every corpus with truth, by the team's scoring rule.

    .venv/bin/python bench/overlap_quality.py [--twins both|off|on] [--model DIR] [--corpus NAME ...]

Per corpus: planted overlaps in the top 20 and anywhere, look-alikes in the top 20, settled marked right
(of the planted overlaps found), internal overlaps found, precision of the top 20 (findings a planted or
incidental overlap explains), number of cross findings, and the planted overlaps missed from the top 20.
`--twins on` reads the clean sanding-src/ twins instead of the web/PDF-laid-out files, measuring the
engine apart from parsing; `both` (default) prints both.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def run(corpora, config) -> list:
    from duty_analyzer.compare.evaluate import read_truth, score
    from duty_analyzer.overlaps import find_overlaps
    from duty_analyzer.parse import parse_paths

    rows = []
    for c in corpora:
        corpus = parse_paths(c.paths)
        start = time.perf_counter()
        report = find_overlaps(corpus, config)
        s = score(report, read_truth(c.truth, c.name))
        rows.append((s, time.perf_counter() - start))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--twins", choices=("both", "off", "on"), default="both")
    ap.add_argument("--corpus", nargs="*")
    ap.add_argument("--shared", type=Path, default=SHARED)
    args = ap.parse_args()
    from duty_analyzer.compare.evaluate import HEADER, dev_corpora
    from duty_analyzer.overlaps import OverlapConfig

    config = OverlapConfig()
    modes = {"both": (False, True), "off": (False,), "on": (True,)}[args.twins]
    for twins in modes:
        corpora = [c for c in dev_corpora(ROOT, args.shared, twins) if not args.corpus or c.name in args.corpus]
        if twins:
            corpora = [c for c in corpora if c.laid_out]
        print(f"\n## {'clean twins for laid-out files' if twins else 'files as shipped'}")
        print(HEADER + "  seconds")
        for s, seconds in run(corpora, config):
            print(s.row(), f" {seconds:.1f}s")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
