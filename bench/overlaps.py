"""Overlap engine at scale: synthetic corpora of 1k, 10k and 100k duty items built from the sample's vocabulary.

    .venv/bin/python bench/overlaps.py [--sizes 1000 10000 100000]

Each synthetic government copies the sample city's 14 departments; every duty text is a sample duty
with a fifth of its words swapped for other words of the same department, so texts are new (nothing
is served from the segmentation cache) while vocabulary and overlap structure stay realistic.
Prints time and peak memory per size (each size runs in a fresh process).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def synthetic_corpus(items: int, seed: int = 0, single: bool = False):
    from duty_analyzer.model import Corpus, Department, DutyItem, Location, ParsedFile
    from duty_analyzer.parse import parse_paths
    from duty_analyzer.segment import default_segmenter

    rng = random.Random(seed)
    sample = parse_paths([ROOT / "corpora" / "sample" / "sanding"])
    seg = default_segmenter()
    by_dept: dict[str, list] = {}
    for d in sample.duties:
        by_dept.setdefault(d.department, []).append(d)
    vocab = {name: [t for d in ds for t in seg.tokens(d.text) if len(t) >= 2] for name, ds in by_dept.items()}
    per_place = sum(len(ds) for ds in by_dept.values())
    corpus = Corpus()
    place = 0
    made = 0
    while made < items:
        place += 1
        city = "样例市" if single else f"样例{place}市"
        pf = ParsedFile(path=f"synthetic/{city}", kind="sanding")
        for name, ds in by_dept.items():
            full = city + name.removeprefix("云溪市")
            pf.departments.append(Department(full, full, "", pf.path))
            for d in ds:
                if made >= items:
                    break
                tokens = list(seg.tokens(d.text))
                for k in range(len(tokens)):
                    if len(tokens[k]) >= 2 and rng.random() < 0.2:
                        tokens[k] = rng.choice(vocab[name])
                pf.duties.append(DutyItem(full, d.section, d.label, "".join(tokens), Location(pf.path, line=made), d.unit))
                made += 1
        corpus.files.append(pf)
    return corpus, place, per_place


def run_one(items: int, single: bool) -> dict:
    from duty_analyzer.overlaps import find_overlaps
    from duty_analyzer.segment import default_segmenter

    from duty_analyzer.compare.decide import load_default

    default_segmenter()  # jieba's dictionary load is a fixed cost, reported apart
    load_default()  # so is loading the pair model (skops imports scikit-learn's estimators: ~5 s CPU)
    corpus, places, _ = synthetic_corpus(items, single=single)
    if single:
        places = 1
    start, cpu = time.perf_counter(), time.process_time()
    report = find_overlaps(corpus)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {
        "items": items, "governments": places, "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "overlaps": len(report.overlaps),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--single", action="store_true", help="all items in one government (a stress case)")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.single)))
        return
    print("| duty items | governments | find_overlaps time | CPU time | peak RSS | findings |")
    print("|---|---|---|---|---|---|")
    rows = []
    for n in args.sizes:
        cmd = [sys.executable, __file__, "--one", str(n)] + (["--single"] if args.single else [])
        out = subprocess.run(cmd, capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append(r)
        print(f"| {r['items']:,} | {r['governments']} | {r['seconds']} s | {r['cpu_seconds']} s | {r['peak_rss_mb']} MB "
              f"| {r['overlaps']:,} |", flush=True)
    if len(rows) >= 2:
        a, b = rows[0], rows[-1]
        import math

        slope = math.log(b["seconds"] / a["seconds"]) / math.log(b["items"] / a["items"])
        print(f"\ntime grows as items^{slope:.2f} between {a['items']:,} and {b['items']:,} items")


if __name__ == "__main__":
    main()
