"""Compare two `analyze` output folders: the ledger (every sheet, every cell), problems.csv and
hotline_records.csv must be identical. Used by .ci/wheel_check to hold the wheel to the development install.

    python .ci/compare_outputs.py DEV_OUT WHEEL_OUT
"""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import load_workbook


# The hidden sheet that ties a ledger to its own workspace (id, revision, export time) differs by design.
RUN_SPECIFIC = {"台账信息"}


def sheets(path: Path) -> dict[str, list[tuple]]:
    book = load_workbook(path, read_only=True)
    try:
        return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets
                if ws.title not in RUN_SPECIFIC}
    finally:
        book.close()


def main(dev: Path, wheel: Path) -> int:
    problems = []
    a, b = sheets(dev / "findings.xlsx"), sheets(wheel / "findings.xlsx")
    if list(a) != list(b):
        problems.append(f"sheets differ: {list(a)} vs {list(b)}")
    for title in a:
        rows_a, rows_b = a[title], b.get(title, [])
        if rows_a != rows_b:
            diff = next((i for i, (x, y) in enumerate(zip(rows_a, rows_b)) if x != y), min(len(rows_a), len(rows_b)))
            problems.append(f"sheet {title}: {len(rows_a)} vs {len(rows_b)} rows, first difference at row {diff + 1}")
    for name in ("problems.csv", "hotline_records.csv", "hotline_hotspots.csv", "overlaps.json"):
        x, y = dev / name, wheel / name
        if x.exists() != y.exists() or (x.exists() and x.read_bytes() != y.read_bytes()):
            problems.append(f"{name} differs")
    ledger = a.get("问题台账", [])
    print(f"compared {dev} and {wheel}: {max(len(ledger) - 1, 0)} ledger rows, {len(a)} sheets")
    for p in problems:
        print("DIFFERENT:", p, file=sys.stderr)
    return 1 if problems or len(ledger) < 2 else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
