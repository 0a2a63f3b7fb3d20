"""Parse-stage figures: the sample corpus end to end, and streaming a large hotline export.

    .venv/bin/python bench/bench_parse.py [--rows 200000]

Prints a Markdown block to paste into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import platform
import random
import resource
import tempfile
import time
from pathlib import Path

from duty_analyzer.parse import parse_paths
from duty_analyzer.parse.hotline import iter_hotline, is_hotline_header
from duty_analyzer.parse.sources import open_table

ROOT = Path(__file__).resolve().parents[1]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_export(path: Path, rows: int) -> None:
    rng = random.Random(0)
    units = ["市城管局", "市住建局", "市公安局交警支队", "市场监管局", "商务局", "市生态环境局"]
    with path.open("w", encoding="gb18030", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["工单编号", "受理时间", "诉求内容", "首派单位", "退单单位", "退单理由", "最终承办单位"])
        for i in range(rows):
            a, b = rng.sample(units, 2)
            w.writerow([
                f"YX2026{i:09d}", f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} 09:12:33",
                f"市民来电反映：某小区门口第{i}号停车场乱收费，占道经营严重，请相关部门处理。联系电话13800000000。",
                a, f"{a}；{b}", "不属于我单位职责；建议转相关部门", b,
            ])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=200_000)
    args = ap.parse_args()

    t = time.perf_counter()
    corpus = parse_paths([ROOT / "corpora" / "sample"])
    sample_s = time.perf_counter() - t
    sample_rss = peak_rss_mb()

    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "export.csv"
        make_export(export, args.rows)
        size_mb = export.stat().st_size / 1e6
        t = time.perf_counter()
        table = open_table(export, "csv", is_hotline_header)
        n = sum(1 for _ in iter_hotline(table))
        stream_s = time.perf_counter() - t
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
          f"{len(__import__('os').sched_getaffinity(0))} cores")
    print("| what | figure |")
    print("|---|---|")
    print(f"| parse corpora/sample ({len(corpus.files)} files, {len(corpus.duties)} duty items, "
          f"{len(corpus.hotline)} hotline records) | {sample_s:.2f} s, peak RSS {sample_rss:.0f} MB |")
    print(f"| stream a GB18030 hotline CSV, {n:,} rows ({size_mb:.0f} MB) | {stream_s:.1f} s "
          f"({n / stream_s:,.0f} rows/s), peak RSS {peak_rss_mb():.0f} MB |")


if __name__ == "__main__":
    main()
