"""Planted personal data still present anywhere under OUT after `analyze` and after `hotline`.

    PYTHONPATH=src .venv/bin/python bench/pii_leaks.py [--only luming wangchuan sample] [--no-mask]

For each corpus (../shared/eval-corpora/luming, ../shared/eval-corpora/wangchuan: whole folder; the
sample city corpora/sample) this runs `duty_analyzer.pipeline.analyze` and the `hotline` command into
fresh folders, then reads EVERY file written (csv/jsonl/json/html/txt as text, xlsx cell by cell with
openpyxl, docx paragraphs and tables, the sqlite workspace table by table) and looks for every planted
value. The team's rule: numbers are compared by their digits whatever the separators (a +86 / 0086
country code dropped; a landline also by its local part alone); plates, e-mails and WeChat/QQ ids ignoring
case, spaces and dots between characters; a bare surname with 先生/女士 (鲁先生) is allowed; 刘某 matches
only where not followed by another 某 (刘某某 is a masked full name).

Planted values: the `pii` column of hotline_truth.csv (split on `|`) for the two eval corpora; for the
sample, which has no PII truth file, the 诉求人 and 联系电话 columns of its hotline export and the named
interviewee (and phone) in the notes' header lines of corpora/sample-src/notes.

Also a kept-forms check: every date/time, document number, order number, article number, metro line,
amount and 12345 work-order id found in the input 诉求内容 must still be in that record's 诉求内容 in
hotline_records.csv (and the 工单编号 field unchanged).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

from duty_analyzer.privacy import luhn

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
if not SHARED.exists():
    SHARED = Path("/work/shared")
CORPORA = {
    "luming": SHARED / "eval-corpora" / "luming",
    "wangchuan": SHARED / "eval-corpora" / "wangchuan",
    "sample": ROOT / "corpora" / "sample",
    "heldout": ROOT / "tests" / "fixtures" / "heldout",
}
KINDS = ["name", "mobile", "landline", "ID", "bank card", "e-mail", "WeChat/QQ", "plate", "address"]
ALLOWED_NAME = re.compile(r"^(?:欧阳|司马|诸葛|上官|东方|[\u4e00-\u9fff])(?:先生|女士)$")
PLATE = re.compile(r"^[\u4e00-\u9fff][A-Za-z][\s·•.\-]?[A-Za-z0-9]{5,6}$")
ADDRESS = re.compile(r"[路街巷村组栋幢室单元苑园庭湾府岸楼号]|小区|花园")


def digits(s: str) -> str:
    return re.sub(r"\D", "", s)


def kind_of(value: str) -> str:
    v = value.strip()
    if "@" in v:
        return "e-mail"
    if PLATE.match(v):
        return "plate"
    d = digits(v)
    if re.fullmatch(r"[+\d\s\-－—()（）]+", v) and d:
        core = re.sub(r"^(?:0086|86)(?=1[3-9]\d{9}$)", "", d)
        if re.fullmatch(r"1[3-9]\d{9}", core):
            return "mobile"
        if len(d) in (15, 18) or (len(d) == 17 and v[-1] in "Xx"):
            return "ID"
        if 16 <= len(d) <= 19 and luhn(d):
            return "bank card"
        return "landline"
    if re.fullmatch(r"\d{17}[\dXx]|\d{15}", v):
        return "ID"
    if re.fullmatch(r"[A-Za-z0-9_\-.]+", v):
        return "WeChat/QQ"
    if ADDRESS.search(v) and not re.fullmatch(r"[\u4e00-\u9fff]{2,4}", v) or re.search(r"\d", v):
        return "address"
    return "name"


def planted_from_truth(folder: Path) -> list[tuple[str, str]]:
    out = []
    with (folder / "hotline_truth.csv").open(encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            out += [(row["工单编号"], v) for v in row["pii"].split("|") if v.strip()]
    return out


def planted_columns(export: Path) -> list[tuple[str, str]]:
    """诉求人 (unless 匿名/市民) and 联系电话 of every record: what a corpus without a PII truth file plants."""
    out = []
    with export.open(encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            for col in ("诉求人", "联系电话"):
                v = row.get(col, "").strip()
                if v and v not in ("匿名", "市民"):
                    out.append((row["工单编号"], v))
    return out


def planted_sample() -> list[tuple[str, str]]:
    out = []
    src = ROOT / "corpora" / "sample-src"
    with (src / "hotline" / "12345退单争议工单_2026.csv").open(encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            for col in ("诉求人", "联系电话"):
                v = row.get(col, "").strip()
                if v and v not in ("匿名", "市民"):
                    out.append((row["工单编号"], v))
    header = re.compile(r"^(?:访谈对象|访谈人|记录人|主持人)：.*?\s([\u4e00-\u9fff]{2,3})(?:（手机：([\d\-]+)）)?$")
    for path in sorted((src / "notes").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            m = header.match(line.strip())
            if m and "某" not in m.group(1):
                out.append((path.name, m.group(1)))
                if m.group(2):
                    out.append((path.name, m.group(2)))
    return out


# ------------------------------------------------------------------ reading every output file

def file_texts(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True)
        cells = [str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c is not None]
        wb.close()
        return "\n".join(cells)
    if suffix == ".docx":
        with zipfile.ZipFile(path) as z:
            xml = "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
        return re.sub(r"<[^>]+>", "", re.sub(r"</w:p>", "\n", xml))
    if suffix in (".sqlite", ".db") or path.name.endswith(".sqlite"):
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        parts = []
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'"):
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                parts += [str(v) for v in row if v is not None]
        conn.close()
        return "\n".join(parts)
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = raw.decode("utf-8", "replace")
    if suffix == ".json":  # \uXXXX escapes, if any writer used them
        try:
            text = json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            pass
    return text


DIGIT_RUN = re.compile(r"\d(?:[\d\s\-－—()（）+.·]*\d)?")


class Haystack:
    """One output file, prepared for the three ways of comparing."""

    def __init__(self, text: str):
        self.text = text
        self.runs = [digits(m.group()) for m in DIGIT_RUN.finditer(text)]
        self.squashed = re.sub(r"[\s·•\-－—.]", "", text).upper()

    def has(self, value: str, kind: str) -> bool:
        if kind in ("mobile", "landline", "ID", "bank card"):
            d = digits(value).upper()
            if kind == "mobile":
                d = d[-11:]
            needles = [d]
            if kind == "landline":
                m = re.match(r"^\s*[（(]?(0\d{2,3})[）)]?[\s\-]*(\d{7,8})\s*$", value)
                if m:
                    needles.append(m.group(2))
            if kind == "ID" and value[-1] in "Xx":
                return re.sub(r"[\s\-]", "", value).upper() in self.squashed
            return any(n in run for n in needles for run in self.runs)
        if kind in ("plate", "e-mail", "WeChat/QQ"):
            return re.sub(r"[\s·•\-－—.]", "", value).upper() in self.squashed
        if kind == "name" and value.endswith("某"):
            return re.search(re.escape(value) + r"(?!某)", self.text) is not None
        return value in self.text


def scan(out_dirs: list[Path], extra_files: list[Path], planted: list[tuple[str, str]]):
    files = [p for d in out_dirs for p in sorted(d.rglob("*")) if p.is_file()] + [p for p in extra_files if p.exists()]
    stacks = {p: Haystack(file_texts(p)) for p in files}
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    leaks = []
    for rec, value in planted:
        kind = kind_of(value)
        if kind == "name" and ALLOWED_NAME.match(value):
            continue
        per_kind[kind][1] += 1
        where = [p.name for p, h in stacks.items() if h.has(value, kind)]
        if where:
            per_kind[kind][0] += 1
            leaks.append((rec, kind, value, where))
    return per_kind, leaks, [p.name for p in files]


# ------------------------------------------------------------------ kept forms

KEPT = {
    "date/time": re.compile(r"\d{4}年\d{1,2}月(?:\d{1,2}[日号])?|\d{1,2}月\d{1,2}[日号]|\d{1,2}[:：]\d{2}|\d{4}-\d{2}-\d{2}"),
    "document number": re.compile(r"[〔\[（(]\d{4}[〕\]）)]\d+号"),
    "order number": re.compile(r"第\d+号令|\d+号令"),
    "article number": re.compile(r"第[\d一二三四五六七八九十百]+[条款项]"),
    "metro line": re.compile(r"地铁\d+号线|\d+号线"),
    "amount": re.compile(r"\d+(?:\.\d+)?(?:多|余)?(?:万元|元|块钱|块|万)"),
    "work-order id": re.compile(r"(?<![A-Za-z0-9])[A-Z]{1,4}\d{10,16}(?!\d)"),
}


def kept_forms(inputs: list[Path], records_csv: Path) -> dict[str, list[int]]:
    from duty_analyzer.parse.hotline import iter_hotline
    from duty_analyzer.parse.registry import iter_files
    from duty_analyzer.parse.sources import detect_format, open_table
    from duty_analyzer.parse.hotline import is_hotline_header

    raw = {}
    for path in iter_files(inputs):
        try:
            table = open_table(path, detect_format(path), is_hotline_header, fill_merged=False)
            for r in iter_hotline(table):
                raw[r.record_id] = r.request
        except Exception:  # not a hotline export
            continue
    masked = {}
    with records_csv.open(encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            masked[row["工单编号"]] = row["诉求内容"]
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for rid, text in raw.items():
        counts["work-order id field"][1] += 1
        counts["work-order id field"][0] += rid in masked
        out = masked.get(rid, "")
        for kind, pattern in KEPT.items():
            for m in pattern.finditer(text):
                counts[kind][1] += 1
                counts[kind][0] += m.group() in out
    return counts


def over_masking(folder: Path, records_csv: Path, planted: list[tuple[str, str]]):
    """Spans of the input 诉求内容 that masking changed but that overlap no planted value ("nothing else
    masked"): one (record id, raw span, masked span) per change."""
    import difflib

    raw = {}
    with (folder / "hotline.csv").open(encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            raw[row["工单编号"]] = row["诉求内容"]
    masked = {}
    with records_csv.open(encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            masked[row["工单编号"]] = row["诉求内容"]
    values = defaultdict(list)
    for rec, v in planted:
        values[rec].append(v)
    extra, changes = [], 0
    for rec, text in raw.items():
        spans = [(m.start(), m.end()) for v in values[rec] for m in re.finditer(re.escape(v), text)]
        ops = difflib.SequenceMatcher(None, text, masked.get(rec, ""), autojunk=False).get_opcodes()
        for op, a0, a1, b0, b1 in ops:
            if op == "equal":
                continue
            changes += 1
            if not any(a0 < e and s < max(a1, a0 + 1) for s, e in spans):
                extra.append((rec, text[max(0, a0 - 6):a1 + 2], masked[rec][max(0, b0 - 6):b1 + 2]))
    return changes, extra


def run_corpus(name: str, folder: Path, tmp: Path, no_mask: bool):
    from duty_analyzer.pipeline import analyze

    out = tmp / f"{name}-analyze"
    workspace = tmp / f"{name}-analyze.workspace.sqlite"
    if no_mask:
        analyze([folder], out, workspace=workspace, mask=False)
    else:
        analyze([folder], out, workspace=workspace)
    hot_out = tmp / f"{name}-hotline"
    if name == "heldout":
        records, sanding = [folder / "hotline_heldout.csv"], sorted(folder.glob("三定_*.txt"))
    else:
        records = [folder / "hotline.csv"] if (folder / "hotline.csv").exists() else [folder / "hotline"]
        sanding = [folder / "sanding"]
    cmd = [sys.executable, "-m", "duty_analyzer", "hotline", *map(str, records), "--sanding", *map(str, sanding), "--out", str(hot_out)]
    if no_mask:
        cmd.append("--no-mask")
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=900)
    planted = planted_sample() if name == "sample" else planted_columns(records[0]) if name == "heldout" \
        else planted_from_truth(folder)
    a_kind, a_leaks, a_files = scan([out], [workspace], planted)
    h_kind, h_leaks, _ = scan([hot_out], [], planted)
    kept = kept_forms(records, hot_out / "hotline_records.csv") if (hot_out / "hotline_records.csv").exists() else {}
    if name in ("luming", "wangchuan") and (hot_out / "hotline_records.csv").exists():
        changes, extra = over_masking(folder, hot_out / "hotline_records.csv", planted)
        kept["changes overlapping no planted value (of all changes)"] = [len(extra), changes]
        for rec, a, b in extra:
            print(f"  masked but not planted [{name}] {rec}: {a!r} → {b!r}", file=sys.stderr)
    return a_kind, a_leaks, a_files, h_kind, h_leaks, kept


def table(title: str, results: dict[str, dict[str, list[int]]]) -> None:
    print(f"\n{title}\n")
    names = list(results)
    print("| kind | " + " | ".join(f"{n} leaked/planted" for n in names) + " |")
    print("|---|" + "---|" * len(names))
    for kind in KINDS + ["total"]:
        cells = []
        for n in names:
            if kind == "total":
                a = sum(v[0] for v in results[n].values()), sum(v[1] for v in results[n].values())
            else:
                a = results[n].get(kind, [0, 0])
            cells.append(f"{a[0]}/{a[1]}" if a[1] else "–")
        print(f"| {kind} | " + " | ".join(cells) + " |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", nargs="+", default=list(CORPORA))
    ap.add_argument("--no-mask", action="store_true", help="measure the unmasked outputs (the leak ceiling)")
    ap.add_argument("--show", type=int, default=40, help="list up to N leaked values per corpus")
    args = ap.parse_args()
    analyze_res, hotline_res, kept_res = {}, {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.only:
            a_kind, a_leaks, files, h_kind, h_leaks, kept = run_corpus(name, CORPORA[name], Path(tmp), args.no_mask)
            analyze_res[name], hotline_res[name], kept_res[name] = a_kind, h_kind, kept
            print(f"{name}: scanned {len(files)} files under OUT + workspace: {', '.join(files)}", file=sys.stderr)
            for rec, kind, value, where in a_leaks[: args.show]:
                print(f"  leak [{name} analyze] {rec} {kind} {value!r} in {', '.join(sorted(set(where)))}", file=sys.stderr)
            for rec, kind, value, where in h_leaks[: args.show]:
                print(f"  leak [{name} hotline] {rec} {kind} {value!r} in {', '.join(sorted(set(where)))}", file=sys.stderr)
    table("Planted values found anywhere under OUT after `analyze` (workspace included)", analyze_res)
    table("Planted values found anywhere under OUT after `hotline`", hotline_res)
    print("\nKept forms: occurrences in the input 诉求内容 still present in hotline_records.csv (after `hotline`)\n")
    kinds = sorted({k for v in kept_res.values() for k in v})
    print("| form | " + " | ".join(f"{n} kept/found" for n in kept_res) + " |")
    print("|---|" + "---|" * len(kept_res))
    for k in kinds:
        print(f"| {k} | " + " | ".join(f"{v[k][0]}/{v[k][1]}" if k in v and v[k][1] else "–" for v in kept_res.values()) + " |")


if __name__ == "__main__":
    main()
