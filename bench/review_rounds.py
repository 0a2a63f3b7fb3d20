"""The review loop over assessment rounds on a whole corpus folder: the figures behind issue 18's "done when".

    PYTHONPATH=src python bench/review_rounds.py corpora/sample
    PYTHONPATH=src python bench/review_rounds.py ../shared/eval-corpora/luming

Copies the folder, analyses it, then plays the rounds: every current finding decided (one 不予采纳) and a
reviewer's own row added; an older copy of the ledger with one new edit imported; one department's 三定
removed (the department in most decided multi-department findings) and the folder analysed twice more.
Prints what a reviewer would check: rows without 涉及部门, cells an old ledger changed, decided findings that
came back as 新增, scope changes, the reviewer row after two runs, whether 不予采纳 stays out of the reports,
and that import without a workspace touches only the ledger's own workspace.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import tempfile
from collections import Counter
from pathlib import Path

import openpyxl

from duty_analyzer.ledger import read_review
from duty_analyzer.names import short_name
from duty_analyzer.pipeline import analyze
from duty_analyzer.workspace import import_review, locate


def state(ws: Path) -> dict[str, tuple]:
    with sqlite3.connect(ws) as conn:
        return {r[0]: r[1:] for r in conn.execute("SELECT id, status, comment, reviewer, source, presence, topic, departments FROM findings")}


def edit(src: Path, dest: Path, changes: dict[str, dict[str, str]], add: list[dict[str, str]] = ()) -> Path:
    wb = openpyxl.load_workbook(src)
    ws = wb["问题台账"]
    col = {c.value: c.column for c in ws[1]}
    for row in ws.iter_rows(min_row=2):
        for k, v in changes.get(row[col["编号"] - 1].value, {}).items():
            ws.cell(row[0].row, col[k]).value = v
    for values in add:
        r = ws.max_row + 1
        for k, v in values.items():
            ws.cell(r, col[k]).value = v
    wb.save(dest)
    return dest


def do_import(path: Path, force: bool = False):
    review = read_review(path)
    ws = locate(path, review.meta)
    return ws, import_review(ws, review.rows, str(path.resolve()), meta=review.meta, header=review.header, force=force)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", type=Path)
    args = ap.parse_args()
    root = Path(tempfile.mkdtemp())
    docs, out = root / "docs", root / "out"
    shutil.copytree(args.folder, docs)
    analyze([docs], out)
    shutil.copy(out / "findings.xlsx", root / "older.xlsx")
    review = read_review(out / "findings.xlsx")
    rows = review.rows
    print(f"findings: {len(rows)}; rows without 涉及部门: {sum(not r.get('涉及部门') for r in rows)}; interview rows by kind of "
          f"department: {dict(Counter('未点名' if r['涉及部门'].startswith('（') else '已识别' for r in rows if r['来源'] == '访谈记录'))}")
    ws = openpyxl.load_workbook(out / "findings.xlsx")["问题台账"]
    print(f"print setup: {ws.page_setup.orientation}, paper {ws.page_setup.paperSize}, fit {ws.page_setup.fitToWidth} wide × "
          f"{ws.page_setup.fitToHeight or 'any'} tall, titles {ws.print_title_rows}")

    # A second project beside it, to see that import without --workspace touches only the ledger's own.
    other_docs = root / "other"
    other_docs.mkdir()
    for f in sorted(docs.rglob("*.txt"))[:2]:
        shutil.copy(f, other_docs / f.name)
    analyze([other_docs], root / "out2")
    other = root / "out2.workspace.sqlite"
    other_before = state(other)

    # Round 1: everything but one row decided, one rejected, a reviewer's own row.
    multi = Counter(d for r in rows if r["来源"] == "职责交叉" and "、" in r["涉及部门"] for d in r["涉及部门"].split("、"))
    victim = multi.most_common(1)[0][0] if multi else ""
    rejected = next((r["编号"] for r in rows if r["来源"] == "职责交叉" and victim not in r["涉及部门"]), rows[0]["编号"])
    one = rows[-1]["编号"]  # left undecided in round 1; an older ledger edits it later
    decisions = {r["编号"]: {"状态": "已确认", "复核意见": "核实属实"} for r in rows if r["编号"] != one}
    decisions[rejected] = {"状态": "不予采纳", "复核意见": "不属于职责交叉"}
    own = {"问题描述": "现场走访发现社区网格员兼任多项检查任务", "问题类别": "基层管理体制机制不理顺"}
    ws_path, result = do_import(edit(out / "findings.xlsx", root / "round1.xlsx", decisions, [own]))
    print(f"round 1 import: {result.changed} cells, reviewer rows {len(result.added)}; workspace found: {ws_path.name}; "
          f"other project's workspace unchanged: {state(other) == other_before}")

    # An older copy of the ledger with one new edit.
    before = state(ws_path)
    _, result = do_import(edit(root / "older.xlsx", root / "older-edited.xlsx", {one: {"复核人": "钱某"}}))
    after = state(ws_path)
    print(f"older ledger with one new edit: {result.changed} cell(s) applied, findings changed {sum(after[k] != before[k] for k in after)}, "
          f"decisions reverted {sum(after[k][0] != before[k][0] for k in after)}")

    # Remove the victim's 三定 and analyse twice.
    removed = [f for f in docs.rglob("*") if f.is_file() and victim and f.suffix in (".txt", ".docx", ".pdf") and f.parent.name == "sanding"
               and (victim in f.stem or short_name(f.stem) == victim)]
    for f in removed:
        f.unlink()
    analyze([docs], out)
    s = state(ws_path)
    decided_topics = {v[5] for v in before.values() if v[0] != "待核实" and v[4] != "人工补充"}
    new = [k for k, v in s.items() if v[4] == "新增"]
    print(f"removed {', '.join(f.name for f in removed) or 'nothing'} ({victim}): 范围变化 {sum(v[4] == '范围变化' for v in s.values())}, "
          f"已消失 {sum(v[4] == '已消失' for v in s.values())}, 新增 {len(new)} (of which on a decided topic "
          f"{sum(s[k][5] in decided_topics for k in new)}, decided {sum(s[k][0] != '待核实' for k in new)})")
    analyze([docs], out)
    s = state(ws_path)
    manual = [v for v in s.values() if v[3] == "人工补充"]
    print(f"reviewer rows after two runs: {len(manual)} ({', '.join(v[4] for v in manual)})")
    page = (out / "report.html").read_text(encoding="utf-8")
    import docx

    d = docx.Document(out / "report.docx")
    text = "\n".join(p.text for p in d.paragraphs) + "\n".join(c.text for t in d.tables for r in t.rows for c in r.cells)
    print(f"不予采纳 finding {rejected} in report.html: {rejected in page}; in report.docx: {rejected in text}")
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
