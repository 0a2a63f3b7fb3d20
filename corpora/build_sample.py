"""Build corpora/sample (the shipped .docx/.pdf/.xlsx/GBK files and truth.json) from corpora/sample-src.

The text sources are what people review; this script only changes their container:
    .venv/bin/pip install -e '.[build]' && .venv/bin/python corpora/build_sample.py
    (--truth-only rewrites truth.json alone, leaving the built documents as they are)
Output is deterministic apart from the timestamps Office and PDF writers embed.
"""

from __future__ import annotations

import csv
import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "sample-src"
OUT = HERE / "sample"
sys.path.insert(0, str(HERE.parent / "src"))

from duty_analyzer.names import short_name  # noqa: E402


def read_lines(path: Path) -> list[str]:
    return [l.rstrip() for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]


# ---------------------------------------------------------------- containers

def write_docx(lines: list[str], target: Path) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.size = Pt(12)
    for i, line in enumerate(lines):
        p = document.add_paragraph()
        run = p.add_run(line)
        if i == 0:
            run.bold = True
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            p.paragraph_format.first_line_indent = Pt(24)
    document.core_properties.author = "云溪市委编办"
    document.save(str(target))


PDF_FONT = "STSong-Light"


def _wrap(text: str, width: float, size: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    out, current = [], ""
    for ch in text:
        if stringWidth(current + ch, PDF_FONT, size) > width:
            out.append(current)
            current = ch
        else:
            current += ch
    if current:
        out.append(current)
    return out


def write_pdf(lines: list[str], target: Path) -> None:
    """A4 pages, body text wrapped at the margin as Word's PDF export does, page numbers in the footer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    width, height = A4
    left, right, top, bottom, size, leading = 72, 72, 72, 72, 12, 20
    c = canvas.Canvas(str(target), pagesize=A4, invariant=1)
    c.setAuthor("云溪市委编办")
    page = 1
    y = height - top

    def new_page() -> None:
        nonlocal page, y
        c.setFont(PDF_FONT, 10)
        c.drawCentredString(width / 2, bottom / 2, f"— {page} —")
        c.showPage()
        page += 1
        y = height - top

    for i, line in enumerate(lines):
        if i == 0:
            for part in _wrap(line, width - left - right, 16):
                c.setFont(PDF_FONT, 16)
                c.drawCentredString(width / 2, y, part)
                y -= 28
            y -= 8
            continue
        indent = 2 * size
        wrapped = _wrap(line, width - left - right - indent, size)
        first, rest = wrapped[0], "".join(wrapped[1:])
        parts = [(left + indent, first)] + [(left, p) for p in _wrap(rest, width - left - right, size)] if rest else [(left + indent, first)]
        for x, part in parts:
            if y < bottom:
                new_page()
            c.setFont(PDF_FONT, size)
            c.drawString(x, y, part)
            y -= leading
    c.setFont(PDF_FONT, 10)
    c.drawCentredString(width / 2, bottom / 2, f"— {page} —")
    c.save()


def write_text(lines: list[str], target: Path, encoding: str = "utf-8", traditional: bool = False) -> None:
    text = "\n".join(lines) + "\n"
    if traditional:
        import opencc

        text = opencc.OpenCC("s2t").convert(text)
    target.write_text(text, encoding=encoding)


def write_csv(rows: list[list[str]], target: Path, encoding: str) -> None:
    with target.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)


def write_list_xlsx(rows: list[list[str]], target: Path, title: str) -> None:
    """A 权责清单 as offices publish it: a merged title row, then the header, powers' cells merged over their sub-items."""
    import openpyxl
    from openpyxl.styles import Alignment, Font

    header, body = rows[0], rows[1:]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "权责清单"
    ws.append([title] + [None] * (len(header) - 1))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.append(header)
    first_data = 3
    for r in body:
        ws.append(r)
    # Merge runs of equal 序号 in the columns that describe the power, not the sub-item.
    merge_cols = [i for i, h in enumerate(header) if h in ("序号", "事项名称", "职权类型", "实施依据", "承办机构")]
    start = 0
    for end in range(1, len(body) + 1):
        if end == len(body) or body[end][0] != body[start][0]:
            if end - start > 1:
                for col in merge_cols:
                    if len({body[k][col] for k in range(start, end)}) == 1:
                        ws.merge_cells(
                            start_row=first_data + start, start_column=col + 1,
                            end_row=first_data + end - 1, end_column=col + 1,
                        )
            start = end
    for col, w in zip("ABCDEFGHI", (6, 24, 24, 10, 40, 40, 30, 14, 10)):
        ws.column_dimensions[col].width = w
    wb.save(str(target))


# ---------------------------------------------------------------- build

def build(truth_only: bool = False) -> None:
    plan = json.loads((SRC / "topics.json").read_text(encoding="utf-8"))
    if truth_only:
        old = json.loads((OUT / "truth.json").read_text(encoding="utf-8"))
        shipped = {d["source"]: d["file"] for d in old["departments"]}
        shipped.update({x["file"]: x["shipped"] for x in old["notes"]["files"] + old["lists"]})
        write_truth(merge_truth(plan, shipped))
        return
    if OUT.exists():
        shutil.rmtree(OUT)
    for sub in ("sanding", "lists", "hotline", "notes"):
        (OUT / sub).mkdir(parents=True)

    shipped: dict[str, str] = {}
    for dept_id, spec in plan["departments"].items():
        lines = read_lines(SRC / "sanding" / f"{dept_id}.txt")
        target = OUT / "sanding" / f"{short_name(spec['full_name'])}三定规定.{spec['format']}"
        if spec["format"] == "docx":
            write_docx(lines, target)
        elif spec["format"] == "pdf":
            write_pdf(lines, target)
        else:
            write_text(lines, target, spec.get("encoding", "utf-8"), spec.get("traditional", False))
        shipped[f"sanding/{dept_id}.txt"] = str(target.relative_to(OUT))

    lists = {}
    owners = {x["file"]: x["department"] for x in json.loads((SRC / "truth" / "lists.json").read_text(encoding="utf-8"))["lists"]}
    for src in sorted((SRC / "lists").glob("*.csv")):
        rows = list(csv.reader(src.open(encoding="utf-8", newline="")))
        if "权责清单" in src.stem:
            target = OUT / "lists" / f"{src.stem}.xlsx"
            write_list_xlsx(rows, target, f"{owners[f'lists/{src.name}']}权责清单（2026年版）")
        else:
            target = OUT / "lists" / src.name
            write_csv(rows, target, "gbk")
        lists[f"lists/{src.name}"] = str(target.relative_to(OUT))

    for src in sorted((SRC / "hotline").glob("*.csv")):
        if src.name == "topics.csv":
            continue
        rows = list(csv.reader(src.open(encoding="utf-8", newline="")))
        write_csv(rows, OUT / "hotline" / src.name, "gb18030")
        shipped[f"hotline/{src.name}"] = f"hotline/{src.name}"

    notes = sorted((SRC / "notes").glob("*.txt"))
    for i, src in enumerate(notes):
        lines = src.read_text(encoding="utf-8").splitlines()
        if i % 2 == 0:
            write_docx([l for l in lines if l.strip()], OUT / "notes" / f"{src.stem}.docx")
            shipped[f"notes/{src.name}"] = f"notes/{src.stem}.docx"
        else:
            shutil.copy(src, OUT / "notes" / src.name)
            shipped[f"notes/{src.name}"] = f"notes/{src.name}"

    shipped.update(lists)
    write_truth(merge_truth(plan, shipped))
    print(f"built {sum(1 for _ in OUT.rglob('*') if _.is_file())} files in {OUT}")


def write_truth(truth: dict) -> None:
    (OUT / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def merge_truth(plan: dict, shipped: dict[str, str]) -> dict:
    """One truth.json from the plan (topics, settled or not) and the authors' fragments (items, counts)."""
    fragments = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((SRC / "truth").glob("H*.json"))]
    depts = {d["id"]: d for f in fragments for d in f["departments"]}
    full = {k: v["full_name"] for k, v in plan["departments"].items()}
    for d in depts.values():
        d["file"] = shipped[d["source"]]
        d["format"] = plan["departments"][d["id"]]["format"]
    items = [i for f in fragments for i in f.get("overlap_items", [])]
    clauses = [c for f in fragments for c in f.get("division_clauses", [])]
    topics = []
    for tid, t in plan["topics"].items():
        topics.append({
            "id": tid,
            "object": t["object"],
            "departments": [full[d] for d in t["departments"]],
            "settled": bool(t["settled_by"]),
            "settled_by": [
                {"department": full[c["dept"]], "counterparts": c["counterparts"], "text": c["text"]}
                for c in clauses if tid in c.get("topics", [])
            ],
            "items": [dict(i, department=full[i["dept"]]) for i in items if i["topic"] == tid],
        })
    lookalikes = [
        {"id": lid, "departments": [full[d] for d in l["departments"]],
         "items": [dict(i, department=full[i["dept"]]) for f in fragments for i in f.get("lookalike_items", []) if i["pair"] == lid]}
        for lid, l in plan["lookalikes"].items()
    ]
    internal = [
        {"id": iid, "department": full[i["department"]], "units": i["units"],
         "items": [dict(x, department=full[x["dept"]]) for f in fragments for x in f.get("internal_items", []) if x["pair"] == iid]}
        for iid, i in plan["internal"].items()
    ]
    hotline_src = SRC / "hotline" / "topics.csv"
    hotline = [
        {"row": n, "id": r["工单编号"], "topic": r["topic"]}
        for n, r in enumerate(csv.DictReader(hotline_src.open(encoding="utf-8", newline="")), start=2)
    ]
    notes = json.loads((SRC / "truth" / "notes.json").read_text(encoding="utf-8"))
    for part in (notes["statements"], notes["files"]):
        for x in part:
            x["shipped"] = shipped[x["file"]]
    lists = json.loads((SRC / "truth" / "lists.json").read_text(encoding="utf-8"))["lists"]
    for x in lists:
        x["shipped"] = shipped[x["file"]]
    incidental = [
        {"object": x["object"], "departments": [full[d] for d in x["departments"]], "why": x["why"]}
        for x in plan.get("incidental", [])
    ]
    return {
        "city": "云溪市",
        "departments": sorted(depts.values(), key=lambda d: d["id"]),
        "division_clauses": [dict(c, department=full[c["dept"]]) for c in clauses],
        "topics": topics,
        "incidental_overlaps": incidental,
        "lookalikes": lookalikes,
        "internal_overlaps": internal,
        "hotline": {"file": "hotline/12345退单争议工单_2026.csv", "records": hotline},
        "notes": notes,
        "lists": lists,
        "staffing": json.loads((SRC / "truth" / "staffing.json").read_text(encoding="utf-8")),
    }


if __name__ == "__main__":
    build(truth_only="--truth-only" in sys.argv)
    if "--truth-only" not in sys.argv:
        import build_staffing

        build_staffing.build()
