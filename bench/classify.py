"""Classification throughput, end to end from a CSV on disk to the output file, and the tokenizer choice.

    .venv/bin/python bench/classify.py [--sizes 10000 100000]

Synthetic hotline texts (~150 characters) are stitched from the sample corpus's 12345 records. Prints
jieba vs rjieba speed and token agreement, then records/s of `duty-analyzer classify` per size.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "corpora" / "sample-src" / "hotline" / "12345退单争议工单_2026.csv"


def synthetic_texts(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    pieces = [r["诉求内容"] for r in csv.DictReader(SOURCE.open(encoding="utf-8"))]
    out = []
    for i in range(n):
        text = ""
        while len(text) < 150:
            text += rng.choice(pieces)
        out.append(text[:150] + f"（工单{i}）")
    return out


def tokenizers(texts: list[str]) -> None:
    import jieba
    import rjieba

    jieba.setLogLevel(60)
    jieba.initialize()
    t = time.perf_counter()
    a = [jieba.lcut(x) for x in texts]
    tj = time.perf_counter() - t
    t = time.perf_counter()
    b = [rjieba.cut(x) for x in texts]
    tr = time.perf_counter() - t
    agree = sum(x == y for x, y in zip(a, b)) / len(texts)
    print(f"| jieba.lcut | {len(texts) / tj:,.0f} texts/s |")
    print(f"| rjieba.cut | {len(texts) / tr:,.0f} texts/s |")
    print(f"| identical token lists | {agree:.2%} of {len(texts):,} texts |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    args = ap.parse_args()
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, {len(os.sched_getaffinity(0))} cores\n")
    print("| tokenizer (10,000 texts of ~150 chars) | figure |\n|---|---|")
    tokenizers(synthetic_texts(10000, seed=1))
    print("\n| in-process prediction (model loaded, no file I/O) | records/s |\n|---|---|")
    from duty_analyzer.classify import load_default, predict_stream

    clf = load_default()
    texts = synthetic_texts(max(args.sizes))
    for workers in (1, 2):
        t = time.perf_counter()
        n = sum(1 for _ in predict_stream(clf, texts, workers=workers))
        print(f"| {n:,} texts, {workers} process{'es' if workers > 1 else ''} | {n / (time.perf_counter() - t):,.0f} |")
    print(f"\nload average {os.getloadavg()[0]:.1f}")
    print("\n| records | duty-analyzer classify, CSV → CSV (wall clock, incl. start-up and model load) | records/s | CPU (all processes) |\n|---|---|---|---|")
    exe = Path(sys.executable).with_name("duty-analyzer")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            src = Path(tmp) / f"in_{n}.csv"
            with src.open("w", encoding="utf-8", newline="") as fh:
                w = csv.writer(fh)
                w.writerow(["工单编号", "诉求内容"])
                w.writerows([f"B{i}", t] for i, t in enumerate(synthetic_texts(n)))
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            subprocess.run([str(exe), "classify", str(src), "--text-column", "诉求内容", "--out", str(Path(tmp) / f"out_{n}.csv")],
                           check=True, capture_output=True)
            s = time.perf_counter() - t
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
            print(f"| {n:,} | {s:.1f} s | {n / s:,.0f} | {cpu:.1f} s |", flush=True)


if __name__ == "__main__":
    main()
