"""Parse quality on documents as offices have them: laid-out copies vs their clean twins, and real web copies.

    PYTHONPATH=src .venv/bin/python bench/parse_quality.py [--shared ../shared]

1. For every laid-out 三定 in <shared>/eval-corpora/*/sanding/ that has a clean twin in sanding-src/, the
   主要职责 items, 内设机构 units and 职责分工 clauses of both (they must be equal), with the layout named.
2. For every file in <shared>/data/real-sanding/ (and extra/), the 主要职责 (and 职责调整) items read,
   against the counts SOURCE.md gives, and the department name, where it came from, and the rank.
Prints Markdown tables to paste into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

from duty_analyzer.parse import parse_file
from duty_analyzer.parse.layout import WRAP_SHARE, wrap_share
from duty_analyzer.parse.sources import read_text_document

ROOT = Path(__file__).resolve().parents[1]

# Counts of items present in each partial real text, as SOURCE.md describes them (the cut-off last item counts).
REAL_EXPECTED = {
    "国家林业和草原局.txt": ("国家林业和草原局", 4, 0),
    "自然资源部.txt": ("自然资源部", 4, 0),
    "生态环境部.txt": ("生态环境部", 3, 0),
    "国家市场监督管理总局.txt": ("国家市场监督管理总局", 4, 0),
    "国家矿山安全监察局.txt": ("国家矿山安全监察局", 8, 0),
    "extra/国家林业和草原局-繁体.txt": ("国家林业和草原局", 4, 0),
    "extra/环境保护部-2008.txt": ("环境保护部", 4, 5),
    "extra/国家食品药品监督管理局-2003.txt": ("国家食品药品监督管理局", 3, 3),
}


def counts(path: Path) -> tuple[int, int, int, str]:
    parsed = parse_file(path, "sanding")
    main = sum(d.section == "主要职责" for d in parsed.duties)
    units = len({d.unit for d in parsed.duties if d.section == "内设机构"})
    dept = parsed.departments[0].name if parsed.departments else ""
    return main, units, len(parsed.divisions), dept


def layout(path: Path) -> str:
    """A rough name for how a laid-out copy is broken, for the per-layout table."""
    raw = path.read_bytes()
    if path.suffix == ".docx":
        return "Word (.docx)"
    text = raw.decode("utf-8", errors="replace")
    lines = [l for l in text.splitlines() if l.strip()]
    if re.search(r"—\s*\d+\s*—", text):
        return "hard-wrapped + page furniture"
    if any(len(l) > 400 for l in lines):
        return "one-line web copy" + (" (U+3000 joins)" if "\u3000\u3000第" in text else " (U+00A0/space joins)" if "\xa0" in text or "    第" in text else "")
    if re.search(r"^第[一二三四五六七八九十]+条\s*$", text, re.M):
        return "第X条 alone on a line"
    return "other"


def twins(shared: Path) -> list[str]:
    rows = ["| corpus | file | layout | 主要职责 laid-out / twin | 内设机构 | 职责分工 | same |", "|---|---|---|---|---|---|---|"]
    by_layout: dict[str, list[int]] = {}
    for corpus in sorted((shared / "eval-corpora").iterdir()):
        src = corpus / "sanding-src"
        if not src.is_dir():
            continue
        for twin in sorted(src.iterdir()):
            laid = next((p for p in (corpus / "sanding").iterdir() if p.stem == twin.stem), None)
            if laid is None:
                continue
            a, b = counts(laid), counts(twin)
            same = a[:3] == b[:3]
            name = layout(laid)
            stat = by_layout.setdefault(name, [0, 0])
            stat[0] += same
            stat[1] += 1
            rows.append(
                f"| {corpus.name} | {laid.name} | {name} | {a[0]} / {b[0]} | {a[1]} / {b[1]} | {a[2]} / {b[2]} | {'yes' if same else 'NO'} |"
            )
    rows += ["", "| layout | files with identical counts |", "|---|---|"]
    rows += [f"| {k} | {v[0]} / {v[1]} |" for k, v in sorted(by_layout.items())]
    return rows


def real(shared: Path) -> list[str]:
    base = shared / "data" / "real-sanding"
    rows = [
        "| file | 主要职责 read / present | 职责调整 read / present | department | from | rank |",
        "|---|---|---|---|---|---|",
    ]
    total = [0, 0]
    for rel, (want_dept, want_main, want_shift) in REAL_EXPECTED.items():
        path = base / rel
        if not path.exists():
            continue
        parsed = parse_file(path, "sanding")
        main = sum(d.section == "主要职责" for d in parsed.duties)
        shift = sum(d.section == "职责调整" for d in parsed.duties)
        dept = parsed.departments[0] if parsed.departments else None
        source = "正文（第二条/设立句）" if any("取自正文" in n for n in parsed.notes) else \
            "文件名" if any("暂用文件名" in n for n in parsed.notes) else "标题"
        ok = dept is not None and dept.name == want_dept
        if "/" not in rel:
            total[0] += min(main, want_main)
            total[1] += want_main
        rows.append(
            f"| {rel} | {main} / {want_main} | {shift} / {want_shift} | {dept.name if dept else ''}{'' if ok else ' (expected ' + want_dept + ')'} "
            f"| {source} | {dept.level if dept else ''} |"
        )
    rows.append(f"\nTop-level real files: {total[0]} of {total[1]} 主要职责 items read.")
    return rows


def wrap_shares(shared: Path) -> list[str]:
    """The hard-wrap threshold must separate wrapped copies from paragraph-per-line files on every corpus."""
    groups = {
        "sample (corpora/sample/sanding)": sorted((ROOT / "corpora" / "sample" / "sanding").glob("*.txt")),
        "sample held-out (tests/fixtures/heldout)": sorted((ROOT / "tests" / "fixtures" / "heldout").glob("*.txt")),
        "luming sanding + twins": sorted((shared / "eval-corpora" / "luming").glob("sanding*/*.*")),
        "wangchuan sanding + twins": sorted((shared / "eval-corpora" / "wangchuan").glob("sanding*/*.txt")),
        "real-sanding (all)": sorted((shared / "data" / "real-sanding").rglob("*.txt")),
    }
    rows = [f"| corpus | files | max share, paragraph-per-line files | min share, hard-wrapped files (WRAP_SHARE = {WRAP_SHARE}) |",
            "|---|---|---|---|"]
    for name, paths in groups.items():
        flat, wrapped = [], []
        for path in paths:
            doc = read_text_document(path, "docx" if path.suffix == ".docx" else "txt")
            share = wrap_share(doc.raw)
            (wrapped if layout(path) == "hard-wrapped + page furniture" else flat).append(share)
        rows.append(f"| {name} | {len(paths)} | {max(flat, default=0):.2f} | {min(wrapped) if wrapped else float('nan'):.2f} |")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args()
    t = time.perf_counter()
    print("\n".join(twins(args.shared)))
    print()
    print("\n".join(real(args.shared)))
    print()
    print("\n".join(wrap_shares(args.shared)))
    print(f"\n({time.perf_counter() - t:.1f} s)")


if __name__ == "__main__":
    main()
