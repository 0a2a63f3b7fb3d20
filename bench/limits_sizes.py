"""Figures behind parse.limits: the largest legitimate files tried, read through the limited readers.

Generates, in a temporary folder: a 50,000-row 清单 .xlsx (merged department cells, read whole as 清单
are), a 1,000,000-row 12345 export .csv and a 200,000-row one as .xlsx (both streamed), and the hostile
batch of tests/parse/hostile.py. Each file is read in a fresh process; prints size, time, peak RSS.

    PYTHONPATH=src:. python bench/limits_sizes.py [--rows-csv 1000000]
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

READ = """
import sys, time, resource
from pathlib import Path
from duty_analyzer.parse.errors import ParseError
from duty_analyzer.parse.registry import parse_file, sniff_kind
from duty_analyzer.parse.sources import detect_format, open_table
from duty_analyzer.parse.hotline import is_hotline_header, iter_hotline
path = Path(sys.argv[1])
start = time.monotonic()
try:
    if sys.argv[2] == "stream":
        n = sum(1 for _ in iter_hotline(open_table(path, detect_format(path), is_hotline_header, fill_merged=False)))
        what = f"{n} records streamed"
    else:
        parsed = parse_file(path)
        what = f"{len(parsed.list_items) or len(parsed.hotline) or len(parsed.duties)} rows parsed"
except ParseError as exc:
    what = "refused: " + exc.message[:60]
# VmHWM starts afresh at exec (ru_maxrss would inherit the bench process's own peak)
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(f"{time.monotonic() - start:.1f}|{peak // 1024}|{what}")
"""

DEPTS = ["市场监管局", "城管局", "住建局", "交通运输局", "生态环境局", "应急管理局", "卫生健康委", "农业农村局"]
TYPES = ["行政处罚", "行政许可", "行政检查", "行政强制", "其他职权"]
PLACES = ["东风街道", "城关镇", "白沙乡", "A3区", "新城小区", "滨江路"]
MATTERS = ["占道经营", "夜间施工噪声", "油烟扰民", "违章搭建", "共享单车乱停", "下水道堵塞", "路灯不亮", "垃圾清运不及时"]


def list_xlsx(path: Path, rows: int) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["云溪市权责清单（测试）"])
    ws.append(["序号", "部门", "事项名称", "子项", "职权类型", "设定依据", "责任事项", "承办机构"])
    rng = random.Random(0)
    block = rows // len(DEPTS)
    for i in range(rows):
        dept = DEPTS[min(i // block, len(DEPTS) - 1)]
        ws.append([i + 1, dept, f"对{rng.choice(MATTERS)}等行为的第{i}项{rng.choice(TYPES)}", "", rng.choice(TYPES),
                   f"《云溪市某管理条例》第{rng.randint(1, 90)}条", "受理、审查、决定、送达、事后监管", f"{dept}执法支队"])
    for d in range(len(DEPTS)):  # the department column merged per department, as real 清单 do
        ws.merge_cells(start_row=3 + d * block, start_column=2, end_row=2 + min((d + 1) * block, rows), end_column=2)
    wb.save(path)


def hotline_rows(rows: int):
    rng = random.Random(1)
    for i in range(rows):
        request = f"{rng.choice(PLACES)}{rng.choice(MATTERS)}，{'已经反映多次没有结果，' * rng.randint(0, 2)}请有关部门尽快处理。联系电话138{rng.randint(10000000, 99999999)}"
        yield [f"YX{2026000000 + i}", f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} 09:{rng.randint(0, 59):02d}",
               request, f"市{rng.choice(DEPTS)}；市{rng.choice(DEPTS)}", "不属于本单位职责；职责交叉", "城管类", "已办结"]


HOTLINE_HEADER = ["工单编号", "受理时间", "诉求内容", "退单部门", "退单理由", "分类", "状态"]


def hotline_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HOTLINE_HEADER)
        w.writerows(hotline_rows(rows))


def hotline_xlsx(path: Path, rows: int) -> None:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("工单")
    ws.append(HOTLINE_HEADER)
    for row in hotline_rows(rows):
        ws.append(row)
    wb.save(path)


def measure(path: Path, mode: str) -> str:
    out = subprocess.run([sys.executable, "-c", READ, str(path), mode], capture_output=True, text=True, timeout=1800)
    if out.returncode:
        return f"failed: {out.stderr[-300:]}"
    seconds, rss, what = out.stdout.strip().split("|", 2)
    return f"{path.stat().st_size / 2**20:8.1f} MB on disk | {seconds:>6} s | peak {rss:>5} MB | {what}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows-list", type=int, default=50_000)
    ap.add_argument("--rows-csv", type=int, default=1_000_000)
    ap.add_argument("--rows-xlsx", type=int, default=200_000)
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.parse import hostile

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cases = [
            (f"清单 .xlsx, {args.rows_list:,} rows (read whole, merged cells)", tmp / "清单.xlsx", lambda p: list_xlsx(p, args.rows_list), "parse"),
            (f"12345 .csv, {args.rows_csv:,} rows (streamed)", tmp / "工单.csv", lambda p: hotline_csv(p, args.rows_csv), "stream"),
            (f"12345 .xlsx, {args.rows_xlsx:,} rows (streamed)", tmp / "工单.xlsx", lambda p: hotline_xlsx(p, args.rows_xlsx), "stream"),
            ("hostile: cell at XFD1048576", tmp / "far.xlsx", hostile.far_cell_xlsx, "parse"),
            ("hostile: whole column merged", tmp / "merged.xlsx", hostile.merged_column_xlsx, "parse"),
            ("hostile: .docx zip bomb (64 MB inflated)", tmp / "bomb.docx", hostile.docx_bomb, "parse"),
            ("hostile: .xlsx zip bomb (64 MB inflated)", tmp / "bomb.xlsx", hostile.xlsx_bomb, "parse"),
            ("hostile: 200 MB text", tmp / "big.txt", hostile.sparse_text, "parse"),
            ("hostile: 1.5 MB cell", tmp / "cell.csv", lambda p: hostile.csv_with_cell(p, 1_500_000), "parse"),
        ]
        for label, path, make, mode in cases:
            start = time.monotonic()
            make(path)
            print(f"{label:<55} | {measure(path, mode)} | generated in {time.monotonic() - start:.0f} s", flush=True)
    print(f"bench peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")


if __name__ == "__main__":
    main()
