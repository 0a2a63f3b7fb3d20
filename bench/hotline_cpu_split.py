"""Where the CPU of `duty-analyzer hotline` goes: the parent process (start-up, reading the export, writing rows)
against its forked workers (the analysis), on a synthetic export as bench/hotline.py writes it.

    PYTHONPATH=src .venv/bin/python bench/hotline_cpu_split.py [--records 20000]
"""

from __future__ import annotations

import argparse
import resource
import runpy
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hotline import ROOT, make_export  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", type=int, default=20000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "export.csv"
        make_export(export, args.records)
        sys.argv = ["duty-analyzer", "hotline", str(export), "--sanding", str(ROOT / "corpora" / "sample"),
                    "--out", str(Path(tmp) / "out")]
        start = time.perf_counter()
        try:
            runpy.run_module("duty_analyzer", run_name="__main__")
        except SystemExit:
            pass
        wall = time.perf_counter() - start
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"{args.records:,} records: wall {wall:.1f} s; parent CPU {own.ru_utime + own.ru_stime:.1f} s; "
          f"workers CPU {children.ru_utime + children.ru_stime:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
