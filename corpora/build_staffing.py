"""Build the sample city's staffing export (corpora/sample/staffing/*.xlsx) from corpora/sample-src/staffing/*.csv.

The CSV holds the two header rows as an export has them; the .xlsx adds what real exports look like: a title
row merged across the sheet, and each two-column group label (核定 / 实配) merged over its pair. The truth
(corpora/sample-src/truth/staffing.json) is copied into corpora/sample/truth.json under "staffing".
    .venv/bin/python corpora/build_staffing.py
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "sample-src"
OUT = HERE / "sample"


def write_staffing_xlsx(rows: list[list[str]], target: Path, title: str) -> None:
    import openpyxl
    from openpyxl.styles import Alignment, Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "编制使用情况"
    width = len(rows[0])
    ws.append([title] + [None] * (width - 1))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    group, sub = rows[0], rows[1]
    ws.append(group)
    ws.append([c or None for c in sub])
    col = 0
    while col < width:
        end = col
        while end + 1 < width and group[end + 1] == group[col] and sub[end + 1]:
            end += 1
        if end > col:
            ws.merge_cells(start_row=2, start_column=col + 1, end_row=2, end_column=end + 1)
        elif not sub[col]:
            ws.merge_cells(start_row=2, start_column=col + 1, end_row=3, end_column=col + 1)
        col = end + 1
    for cells in rows[2:]:
        ws.append([int(c) if c.isdigit() else (c or None) for c in cells])
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.properties.creator = "云溪市委编办"
    wb.save(str(target))


def build() -> None:
    truth = json.loads((SRC / "truth" / "staffing.json").read_text(encoding="utf-8"))
    for src in sorted((SRC / "staffing").glob("*.csv")):
        with src.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        write_staffing_xlsx(rows, OUT / "staffing" / f"{src.stem}.xlsx", "云溪市市直部门机构编制使用情况统计表（2026年3月）")
    path = OUT / "truth.json"
    whole = json.loads(path.read_text(encoding="utf-8"))
    whole["staffing"] = truth
    path.write_text(json.dumps(whole, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    build()
