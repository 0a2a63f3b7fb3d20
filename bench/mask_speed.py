"""What masking costs on the hotline hot path, measured in one process so other load cancels out.

    PYTHONPATH=src .venv/bin/python bench/mask_speed.py [--records 20000]

1. `mask_text` alone, today's and the one before issue 14 (read from git), on the synthetic records of bench/hotline.py (two sample requests stitched per
   record, the 诉求人 column given as the known name): records/s.
2. The hotline analysis itself (`hotline.analyze_to_rows`, one worker, the sample 三定) with masking on
   and off, alternated five times; the difference is what masking adds per record. Times are this process's CPU
   time (time.process_time), so that other jobs on the machine do not enter the figures.
3. With --end-to-end N [--baseline-src main-checkout/src]: `duty-analyzer hotline` on bench/hotline.py's
   synthetic export of N records, masked and with --no-mask (and main's code masked), alternated; CPU seconds
   of the whole run (the command and its forked workers, from wait4) and wall clock.
4. jieba's part-of-speech person tags (`posseg`, nr) on the same texts, for the decision whether to use
   them as a name signal on this path.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "corpora" / "sample-src" / "hotline" / "12345退单争议工单_2026.csv"


def make_records(n: int, seed: int = 0):
    from duty_analyzer.model import Bounce, HotlineRecord, Location

    rng = random.Random(seed)
    rows = list(csv.DictReader(SOURCE.open(encoding="utf-8")))
    units = ["市城管局", "住建局", "市公安局交警支队", "市场监管局", "商务局", "市生态环境局"]
    out = []
    for i in range(n):
        a, b = rng.sample(rows, 2)
        u1, u2 = rng.sample(units, 2)
        out.append(HotlineRecord(f"S{i:08d}", "2026-03-01 09:30:00", a["诉求内容"] + b["诉求内容"][:60], u1,
                                 [Bounce(u1, "不属于我单位职责")], u2, Location("x.csv", row=i + 2), {"诉求人": a["诉求人"]}))
    return out


def _mask_before_issue_14():
    """The masking function as it was before issue 14, straight from git (it imported only `re`)."""
    import subprocess
    import types

    try:
        src = subprocess.run(["git", "show", "f7af497:src/duty_analyzer/mask.py"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    module = types.ModuleType("mask_before_issue_14")
    exec(compile(src, "mask_before_issue_14.py", "exec"), module.__dict__)
    return module.mask_text


def end_to_end(n: int, baseline_src: str | None = None, rounds: int = 2) -> None:
    """The hotline command on n records: this branch masked and with --no-mask, and (baseline_src: the src/
    folder of a checkout of main) main masked; CPU seconds of the command and its workers from wait4."""
    import os
    import subprocess
    import tempfile

    sys.path.insert(0, str(ROOT / "bench"))
    from hotline import make_export

    exe = Path(sys.executable).with_name("duty-analyzer")
    arms = [("this branch, masked", str(ROOT / "src"), []), ("this branch, --no-mask", str(ROOT / "src"), ["--no-mask"])]
    if baseline_src:
        arms.insert(0, ("baseline, masked", baseline_src, []))
    cpu: dict[str, list[float]] = {a[0]: [] for a in arms}
    wall: dict[str, list[float]] = {a[0]: [] for a in arms}
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "export.csv"
        make_export(export, n)
        for _ in range(rounds):
            for label, src, extra in arms:
                cmd = [str(exe), "hotline", str(export), "--sanding", str(ROOT / "corpora" / "sample"), "--out", str(Path(tmp) / "out"), *extra]
                start = time.perf_counter()
                proc = subprocess.Popen(cmd, env=dict(os.environ, PYTHONPATH=src), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                _, status, usage = os.wait4(proc.pid, 0)
                if status:
                    raise SystemExit(f"hotline failed ({label})")
                wall[label].append(time.perf_counter() - start)
                cpu[label].append(usage.ru_utime + usage.ru_stime)
    for label in cpu:
        print(f"hotline command, {n:,} records, {label}: CPU {', '.join(f'{c:.1f}' for c in cpu[label])} s;"
              f" wall {', '.join(f'{w:.0f}' for w in wall[label])} s")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=20000)
    ap.add_argument("--end-to-end", type=int, default=0, help="also run the hotline command on N records, masked and not")
    ap.add_argument("--baseline-src", help="with --end-to-end: the src/ folder of a checkout of main, run masked too")
    args = ap.parse_args()
    if args.end_to_end:
        end_to_end(args.end_to_end, args.baseline_src)
    from duty_analyzer.hotline import HotlineConfig, analyze_to_rows
    from duty_analyzer.overlaps import find_overlaps
    from duty_analyzer.parse import parse_paths
    try:
        from duty_analyzer.privacy import mask_text, record_names
    except ImportError:  # the code before issue 14, for the "before" figure
        from duty_analyzer.mask import mask_text

        def record_names(extra):
            return [extra.get(k, "") for k in ("诉求人", "来电人", "姓名", "联系人")]

    records = make_records(args.records)
    texts = [(r.request, record_names(r.extra)) for r in records]
    arms = {"issue 14 (privacy.mask_text)": mask_text}
    before = _mask_before_issue_14()
    if before is not None:
        arms["before issue 14 (f7af497 mask.mask_text)"] = before
    best: dict[str, float] = {}
    for _ in range(5):
        for name, fn in arms.items():
            fn(*texts[0])
            start = time.process_time()
            for text, names in texts:
                fn(text, names)
            best[name] = min(best.get(name, 1e9), time.process_time() - start)
    for name, took in best.items():
        print(f"mask_text alone, {name}: {len(texts) / took:,.0f} records/s ({took / len(texts) * 1e6:.1f} µs per record, best of 5)")

    corpus = parse_paths([ROOT / "corpora" / "sample" / "sanding"])
    overlaps = find_overlaps(corpus)
    timings = {True: [], False: []}
    for _row in analyze_to_rows(records, corpus, overlaps, HotlineConfig(mask=False), workers=1):
        pass  # warm the segmenter's caches once, so that neither arm gets them cold
    for _ in range(5):
        for mask in (False, True):
            start = time.process_time()
            for _row in analyze_to_rows(records, corpus, overlaps, HotlineConfig(mask=mask), workers=1):
                pass
            timings[mask].append(time.process_time() - start)
    off, on = statistics.median(timings[False]), statistics.median(timings[True])
    print(f"hotline analysis, 1 worker, mask off: {len(records) / off:,.0f} records/s; mask on: {len(records) / on:,.0f} records/s;"
          f" masking adds {(on - off) / off:+.1%} ({(on - off) / len(records) * 1e6:.1f} µs per record);"
          f" runs (s): off {', '.join(f'{t:.2f}' for t in timings[False])}, on {', '.join(f'{t:.2f}' for t in timings[True])}")

    import jieba.posseg as pseg

    sample = [t for t, _ in texts[:2000]]
    list(pseg.cut(sample[0]))
    start = time.process_time()
    nr = sum(1 for t in sample for w in pseg.cut(t) if w.flag == "nr")
    took = time.process_time() - start
    print(f"jieba posseg: {len(sample) / took:,.0f} records/s ({took / len(sample) * 1e6:.0f} µs per record), {nr} nr tags in {len(sample)} records",
          file=sys.stdout)


if __name__ == "__main__":
    main()
