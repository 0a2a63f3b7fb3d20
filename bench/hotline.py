"""Hotline analysis throughput and memory: `duty-analyzer hotline` on synthetic exports of 10k and 1M records.

    .venv/bin/python bench/hotline.py [--sizes 10000 1000000]

Records are stitched from the sample's 12345 requests (two requests per record, so texts are new) with
random bounce chains over the sample's departments, written as a GB18030 CSV like real exports. Each
size runs as its own process; peak memory is that process's high-water mark.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "corpora" / "sample-src" / "hotline" / "12345退单争议工单_2026.csv"
UNITS = ["市城管局", "住建局", "市公安局交警支队", "市场监管局", "商务局", "市生态环境局", "交通运输局", "农业农村局"]


def make_export(path: Path, n: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    requests = [r["诉求内容"] for r in csv.DictReader(SOURCE.open(encoding="utf-8"))]
    with path.open("w", encoding="gb18030", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["工单编号", "受理时间", "诉求内容", "首派单位", "退单单位", "退单理由", "最终承办单位"])
        for i in range(n):
            a, b = rng.sample(UNITS, 2)
            text = rng.choice(requests) + rng.choice(requests)[:60]
            w.writerow([f"S{i:08d}", f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d} 09:30:00", text,
                        a, f"{a}；{b}", "不属于我单位职责；建议转相关部门", b])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10000, 1000000])
    args = ap.parse_args()
    exe = Path(sys.executable).with_name("duty-analyzer")
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, {len(os.sched_getaffinity(0))} cores\n")
    print("| records | export size | wall clock (incl. start-up, parsing the sample 三定, model load) | records/s | peak RSS |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            export = Path(tmp) / f"export_{n}.csv"
            make_export(export, n)
            cmd = [str(exe), "hotline", str(export), "--sanding", str(ROOT / "corpora" / "sample"), "--out", str(Path(tmp) / f"out_{n}")]
            start = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - start
            if status != 0:
                raise SystemExit(f"hotline failed for {n} records")
            print(f"| {n:,} | {export.stat().st_size / 1e6:.0f} MB | {seconds:.1f} s | {n / seconds:,.0f} | {usage.ru_maxrss / 1024:.0f} MB |", flush=True)


if __name__ == "__main__":
    main()
