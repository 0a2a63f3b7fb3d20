"""The review ledger, the workspace and the review loop, as staff use them."""

import re
import shutil
import sqlite3

import openpyxl
import pytest
from typer.testing import CliRunner

from duty_analyzer.cli import app
from duty_analyzer.ledger import LEDGER_HEADER
from duty_analyzer.workspace import reviewed_examples

from tests.conftest import SAMPLE

runner = CliRunner()


def _analyze(docs, out):
    result = runner.invoke(app, ["analyze", str(docs), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("ledger")
    docs = root / "docs"
    shutil.copytree(SAMPLE, docs)
    out = root / "out"
    _analyze(docs, out)
    return root, docs, out, root / "out.workspace.sqlite"


def _rows(path):
    ws = openpyxl.load_workbook(path)["问题台账"]
    header = [c.value for c in ws[1]]
    return ws, header, [dict(zip(header, [c.value for c in r])) for r in ws.iter_rows(min_row=2)]


def _edit(src, dest, changes=None, add=(), drop_column=None):
    """Edit a ledger as a reviewer would: cells by 编号, new rows at the end, a deleted column."""
    wb = openpyxl.load_workbook(src)
    ws = wb["问题台账"]
    header = [c.value for c in ws[1]]
    col = {h: i + 1 for i, h in enumerate(header)}
    for row in ws.iter_rows(min_row=2):
        for column, value in (changes or {}).get(row[col["编号"] - 1].value, {}).items():
            ws.cell(row[0].row, col[column]).value = value
    for values in add:
        r = ws.max_row + 1
        for column, value in values.items():
            ws.cell(r, col[column]).value = value
    if drop_column:
        ws.delete_cols(col[drop_column])
    wb.save(dest)
    return dest


def _state(workspace):
    with sqlite3.connect(workspace) as conn:
        return {r[0]: r[1:] for r in conn.execute(
            "SELECT id, status, category, disposition, comment, reviewer, review_date, source, presence FROM findings")}


def _import(path, *extra):
    return runner.invoke(app, ["review", "import", str(path), *extra])


def test_ledger_sheets_headers_and_validation(run):
    _, _, out, _ = run
    wb = openpyxl.load_workbook(out / "findings.xlsx")
    assert wb.sheetnames[:5] == ["问题台账", "职责交叉", "热线争议", "统计", "说明"]
    meta = wb["台账信息"]
    assert meta.sheet_state == "hidden"
    recorded = {r[0]: r[1] for r in meta.iter_rows(values_only=True) if r[0]}
    assert recorded["工作区"] == "../out.workspace.sqlite"  # relative: no local folder names in the ledger
    assert not any(str(run[0]) in str(c.value) for row in meta.iter_rows() for c in row if c.value)
    ws = wb["问题台账"]
    assert [c.value for c in ws[1]] == LEDGER_HEADER
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    lists = {str(dv.sqref)[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert "已销号" in lists["J"] and "部门间职责边界不清" in lists["C"] and "纳入改革政策储备" in lists["I"]
    _, _, rows = _rows(out / "findings.xlsx")
    assert {r["来源"] for r in rows} == {"职责交叉", "热线争议", "三定清单对照", "访谈记录", "编制数据筛查"}
    assert [r["序号"] for r in rows] == list(range(1, len(rows) + 1))


def test_ledger_prints_a4_landscape_one_page_wide_with_header_on_every_page(run):
    _, _, out, _ = run
    wb = openpyxl.load_workbook(out / "findings.xlsx")
    for name in ("问题台账", "职责交叉", "热线争议", "统计", "说明"):
        ws = wb[name]
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.print_title_rows == "$1:$1"
        assert all(ws.column_dimensions[c].width >= 5 for c in "ABC"), name  # widths on every sheet
    ws = wb["问题台账"]
    col = {c.value: c.column_letter for c in ws[1]}
    heights = {r: ws.row_dimensions[r].height for r in range(2, ws.max_row + 1)}
    assert all(h and h >= 13 for h in heights.values())
    long_row = max(range(2, ws.max_row + 1), key=lambda r: len(str(ws[f"{col['依据与证据']}{r}"].value or "")))
    assert heights[long_row] > 3 * 13.5  # a long evidence cell gets a tall row, not one line
    assert ws[f"{col['置信度']}2"].number_format == "0%"


def test_every_row_names_its_departments_and_sources_are_short(run):
    _, docs, out, _ = run
    _, _, rows = _rows(out / "findings.xlsx")
    assert all(r["涉及部门"] for r in rows)
    interviews = [r for r in rows if r["来源"] == "访谈记录"]
    assert sum("住建局" in r["涉及部门"] for r in interviews) >= 5  # from the speaker's post and the file name
    text = "".join(str(r["依据与证据"]) for r in rows)
    assert str(docs) not in text and "corpora/sample" not in text
    assert max(len(str(r["依据与证据"])) for r in rows) < 800


def test_statistics_are_formulas_and_the_notes_sheet_explains_confidence(run):
    _, _, out, _ = run
    wb = openpyxl.load_workbook(out / "findings.xlsx")
    stats = wb["统计"]
    formulas = [c.value for row in stats.iter_rows(min_row=2, max_col=7) for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert formulas and all(f.startswith(("=COUNTIFS('问题台账'!", "=SUMPRODUCT(ISNUMBER(FIND(")) for f in formulas)
    notes = " ".join(str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value)
    for source in ("职责交叉", "三定清单对照", "热线争议", "访谈记录"):
        assert f"来源为“{source}”时" in notes


def test_ledger_is_masked_and_cannot_run_formulas(run):
    _, _, out, _ = run
    wb = openpyxl.load_workbook(out / "findings.xlsx")
    text = "".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)
    assert "13975260418" not in text and "周启航" not in text
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                if ws.title == "统计" and isinstance(c.value, str) and c.value.startswith(("=COUNTIFS(", "=SUMPRODUCT(")):
                    continue  # the tool's own counting formulas
                assert not (isinstance(c.value, str) and c.value[:1] in "=+-@"), c.value


def test_review_loop_keeps_decisions_across_runs(run):
    root, docs, out, workspace = run
    ws, header, rows = _rows(out / "findings.xlsx")
    col = {h: i + 1 for i, h in enumerate(header)}
    target = next(i for i, r in enumerate(rows, start=2) if r["来源"] == "访谈记录")
    overlap_row = next(i for i, r in enumerate(rows, start=2) if r["来源"] == "职责交叉")
    new_category = "工作职责未明确" if ws.cell(target, col["问题类别"]).value != "工作职责未明确" else "部门职能不理顺"
    ws.cell(target, col["问题类别"]).value = new_category
    ws.cell(overlap_row, col["状态"]).value = "已确认"
    ws.cell(overlap_row, col["复核意见"]).value = "属实，提交编委会"
    ws.cell(overlap_row, col["复核人"]).value = "李某"
    edited = root / "findings_edited.xlsx"
    ws.parent.save(edited)
    overlap_id = ws.cell(overlap_row, col["编号"]).value

    result = _import(edited, "--workspace", str(workspace))
    assert result.exit_code == 0, result.output
    assert any(c == new_category for _, c in reviewed_examples(workspace))

    for f in (docs / "notes").glob("*座谈会*"):
        f.unlink()  # documents change between runs
    result = _analyze(docs, out)
    assert "已消失" in result.output
    _, _, after = _rows(out / "findings.xlsx")
    kept = next(r for r in after if r["编号"] == overlap_id)
    assert (kept["状态"], kept["复核意见"], kept["复核人"]) == ("已确认", "属实，提交编委会", "李某")
    assert any(r["变化"] == "已消失" for r in after)

    status = runner.invoke(app, ["review", "status", "--workspace", str(workspace)])
    assert "已确认 1" in status.output and "销号进度" in status.output


def test_bad_review_file_is_refused_whole(run):
    root, _, out, workspace = run
    ws, header, _ = _rows(out / "findings.xlsx")
    col = {h: i + 1 for i, h in enumerate(header)}
    ws.cell(2, col["状态"]).value = "已确认"
    ws.cell(3, col["状态"]).value = "差不多了"
    bad = root / "bad.xlsx"
    ws.parent.save(bad)
    before = runner.invoke(app, ["review", "status", "--workspace", str(workspace)]).output
    result = _import(bad, "--workspace", str(workspace))
    assert result.exit_code == 1 and "第 3 行" in result.output and "差不多了" in result.output
    assert runner.invoke(app, ["review", "status", "--workspace", str(workspace)]).output == before


@pytest.fixture(scope="module")
def rounds(tmp_path_factory):
    """A fresh project for the review-round scenarios (they change documents and decisions)."""
    root = tmp_path_factory.mktemp("rounds")
    docs = root / "docs"
    shutil.copytree(SAMPLE, docs)
    out = root / "out"
    _analyze(docs, out)
    shutil.copy(out / "findings.xlsx", root / "older.xlsx")  # a copy handed out before any decision
    return root, docs, out, root / "out.workspace.sqlite"


def test_older_ledger_with_one_new_edit_changes_only_that_cell(rounds):
    root, _, out, workspace = rounds
    _, _, rows = _rows(out / "findings.xlsx")
    decided = [r["编号"] for r in rows if r["来源"] == "职责交叉"][:6]
    other = next(r["编号"] for r in rows if r["来源"] == "访谈记录")
    a = _edit(out / "findings.xlsx", root / "a.xlsx", {fid: {"状态": "已确认", "复核意见": "属实"} for fid in decided})
    assert _import(a).exit_code == 0
    before = _state(workspace)

    b = _edit(root / "older.xlsx", root / "b.xlsx", {other: {"复核意见": "需补充材料"}})
    result = _import(b)
    assert result.exit_code == 0 and "已导入 1 处修改" in result.output, result.output
    after = _state(workspace)
    changed = {fid for fid in after if after[fid] != before[fid]}
    assert changed == {other} and after[other][3] == "需补充材料"
    assert all(after[fid][0] == "已确认" and after[fid][3] == "属实" for fid in decided)

    # The older copy touching a row decided since it was exported is refused, naming the row …
    c = _edit(root / "older.xlsx", root / "c.xlsx", {decided[0]: {"状态": "不予采纳"}})
    result = _import(c)
    assert result.exit_code == 1 and decided[0] in result.output and "已由别人或另一份台账作出决定" in result.output
    assert _state(workspace) == after
    # … unless the reviewer insists.
    assert _import(c, "--force").exit_code == 0 and _state(workspace)[decided[0]][0] == "不予采纳"


def test_review_import_finds_its_own_workspace(rounds, tmp_path, monkeypatch):
    root, docs, out, workspace = rounds
    # A second, unrelated analysis with its own workspace; and a demo workspace in the working directory.
    other_docs = tmp_path / "other"
    other_docs.mkdir()
    for f in list((docs / "sanding").glob("*"))[:3]:
        shutil.copy(f, other_docs / f.name)
    _analyze(other_docs, tmp_path / "out2")
    other = tmp_path / "out2.workspace.sqlite"
    monkeypatch.chdir(tmp_path)
    other_before, own_before = _state(other), _state(workspace)

    _, _, rows = _rows(out / "findings.xlsx")
    fid = rows[-1]["编号"]
    edited = _edit(out / "findings.xlsx", root / "own.xlsx", {fid: {"复核人": "赵某"}})
    result = _import(edited)
    assert result.exit_code == 0 and str(workspace.name) in result.output, result.output
    assert _state(other) == other_before and not (tmp_path / "out" / "demo.workspace.sqlite").exists()
    assert _state(workspace)[fid][4] == "赵某"
    assert {k for k in _state(workspace) if _state(workspace)[k] != own_before[k]} == {fid}
    # A ledger from one project pointed at another project's workspace is refused.
    result = _import(edited, "--workspace", str(other))
    assert result.exit_code == 1 and "另一个工作区" in result.output


def test_reviewer_rows_self_made_ids_missing_columns_and_csv(rounds):
    root, _, out, workspace = rounds
    rows = [
        {"问题描述": "现场走访发现某街道垃圾分类督导无人负责", "问题类别": "工作职责未明确", "涉及部门": "城管局"},
        {"编号": "补-01", "问题描述": "检查中发现乡镇执法队伍人员借调严重", "问题类别": "编制人员管理方面"},
        {"编号": "补-02"},  # a self-made id with nothing else is an error, named by row
    ]
    bad = _edit(out / "findings.xlsx", root / "rows-bad.xlsx", add=rows)
    result = _import(bad)
    assert result.exit_code == 1 and "补-02" in result.output
    good = _edit(out / "findings.xlsx", root / "rows.xlsx", add=rows[:2])
    result = _import(good)
    assert result.exit_code == 0 and "新增人工补充的问题 2 项" in result.output, result.output
    manual = {fid: s for fid, s in _state(workspace).items() if s[6] == "人工补充"}
    assert len(manual) == 2 and "补-01" in manual
    assert _import(good).exit_code == 0 and len([s for s in _state(workspace).values() if s[6] == "人工补充"]) == 2  # no duplicates

    no_comment = _edit(out / "findings.xlsx", root / "nocomment.xlsx", drop_column="复核意见")
    result = _import(no_comment)
    assert result.exit_code == 0 and "缺少“复核意见”列" in result.output

    _, header, ledger_rows = _rows(out / "findings.xlsx")
    csv = root / "ledger.csv"
    fid = ledger_rows[1]["编号"]
    lines = [",".join(header)] + [",".join("" if r[h] is None else str(r[h]).replace(",", "，").replace("\n", " ") for h in header)
                                  for r in ledger_rows[:3]]
    lines[2] = lines[2].replace(",待核实,", ",整改中,")
    csv.write_text("\n".join(lines), encoding="utf-8-sig")
    result = _import(csv, "--workspace", str(workspace))
    assert result.exit_code == 0 and "没有导出时的记录" in result.output, result.output
    assert _state(workspace)[fid][0] == "整改中"
    bogus = root / "ledger.xls"
    bogus.write_bytes(b"not a spreadsheet")
    result = _import(bogus, "--workspace", str(workspace))
    assert result.exit_code == 1 and "无法作为 .xlsx 问题台账打开" in result.output and "Traceback" not in result.output


def test_decisions_survive_removing_a_department_and_reviewer_rows_survive_two_runs(rounds):
    root, docs, out, workspace = rounds
    _, _, rows = _rows(out / "findings.xlsx")
    parking = next(r for r in rows if r["来源"] == "职责交叉" and "自然资源规划局" in r["涉及部门"] and r["涉及部门"].count("、") >= 2)
    rejected = next(r for r in rows if r["来源"] == "职责交叉" and r["编号"] != parking["编号"] and "自然资源规划局" not in r["涉及部门"])
    decide = {r["编号"]: {"状态": "已确认", "复核意见": "核实"} for r in rows if r["变化"] != "已消失"}
    decide[rejected["编号"]] = {"状态": "不予采纳"}
    add = [{"问题描述": "座谈中反映夜间施工审批与噪声执法衔接不畅", "问题类别": "工作流程有待进一步优化"}]
    assert _import(_edit(out / "findings.xlsx", root / "all.xlsx", decide, add), "--force").exit_code == 0

    for f in (docs / "sanding").glob("自然资源规划局*"):
        f.unlink()
    _analyze(docs, out)
    _, _, after = _rows(out / "findings.xlsx")
    by_id = {r["编号"]: r for r in after}
    assert by_id[parking["编号"]]["变化"] == "范围变化" and by_id[parking["编号"]]["状态"] == "已确认"
    assert "自然资源规划局" not in by_id[parking["编号"]]["涉及部门"]
    decided_gone = {r["编号"] for r in after if r["变化"] == "已消失" and r["状态"] != "待核实"}
    new = [r for r in after if r["变化"] == "新增"]
    assert all(r["状态"] == "待核实" for r in new)
    # A finding that lost a department keeps its row; a new row may only be a matter not listed before (a pair the
    # smaller set of departments makes rarer can cross the threshold), never a listed one under a new number.
    def topic(r: dict) -> str:  # “对象” leads every generated description
        return r["问题描述"].split("”")[0]

    before = {topic(r) for r in rows if r["来源"] in ("职责交叉", "热线争议")}
    assert not [r for r in new if r["来源"] in ("职责交叉", "热线争议") and topic(r) in before], [r["问题描述"] for r in new]
    assert decided_gone.isdisjoint(r["编号"] for r in new)

    # 不予采纳 is left out of the report and the Word report after the next run.
    page = (out / "report.html").read_text(encoding="utf-8")
    assert rejected["编号"] not in page and "不予采纳的问题（1 项）" in page.replace("“不予采纳”", "不予采纳")
    import docx

    text = "\n".join(p.text for p in docx.Document(out / "report.docx").paragraphs)
    text += "\n".join(c.text for t in docx.Document(out / "report.docx").tables for row in t.rows for c in row.cells)
    assert rejected["编号"] not in text

    _analyze(docs, out)  # the second run after the reviewer added a row
    _, _, third = _rows(out / "findings.xlsx")
    manual = [r for r in third if r["来源"] == "人工补充" and "夜间施工" in r["问题描述"]]
    assert len(manual) == 1 and manual[0]["变化"] == "持续" and manual[0]["状态"] == "待核实"


def test_train_writes_the_shipped_model_only_when_asked(tmp_path):
    result = runner.invoke(app, ["train", "--data", str(tmp_path / "none.csv")])
    assert result.exit_code != 0 and "--out" in result.output


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-calc)")
def test_ledger_after_a_libreoffice_save_prints_and_imports(run, tmp_path):
    import subprocess

    _, _, out, workspace = run
    rows = _rows(out / "findings.xlsx")[2]
    live = [r for r in rows if r["变化"] != "已消失" and r["状态"] != "不予采纳"]
    edited = _edit(out / "findings.xlsx", tmp_path / "lo.xlsx", {rows[0]["编号"]: {"复核人": "钱某"}})
    # The statistics follow an edit made in the spreadsheet: one more rejected finding counts one less.
    also = _edit(out / "findings.xlsx", tmp_path / "rejected.xlsx", {live[0]["编号"]: {"状态": "不予采纳"}})
    env = {"HOME": str(tmp_path)}
    saved = tmp_path / "saved"
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "xlsx:Calc MS Excel 2007 XML",
                    "--outdir", str(saved), str(edited)], check=True, capture_output=True, timeout=180, env=env)
    result = _import(saved / "lo.xlsx", "--workspace", str(workspace))
    assert result.exit_code == 0 and "已导入 1 处修改" in result.output, result.output
    assert "没有导出时的记录" not in result.output  # the hidden export state survived the LibreOffice save
    wb = openpyxl.load_workbook(saved / "lo.xlsx", data_only=True)
    stats = list(wb["统计"].iter_rows(values_only=True))
    assert next(r for r in stats if r[0] == "合计")[2] == len(live)
    department = next(r for r in stats if r[0] == "涉及部门" and r[1] == "城管局")
    assert department[2] == sum("城管局" in str(r["涉及部门"]).split("、") for r in live)
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "xlsx:Calc MS Excel 2007 XML",
                    "--outdir", str(saved), str(also)], check=True, capture_output=True, timeout=180, env=env)
    stats = list(openpyxl.load_workbook(saved / "rejected.xlsx", data_only=True)["统计"].iter_rows(values_only=True))
    total = next(r for r in stats if r[0] == "合计")
    assert (total[2], total[6]) == (len(live) - 1, len(rows) - len(live) + 1 - sum(r["变化"] == "已消失" and r["状态"] != "不予采纳" for r in rows))

    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(out / "findings.xlsx")], check=True, capture_output=True, timeout=180, env=env)
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        info = subprocess.run(["pdfinfo", str(tmp_path / "findings.pdf")], capture_output=True, text=True).stdout
        assert "841.89 x 595.3" in info  # A4 landscape
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        ledger_pages = 0
        for p in range(1, pages + 1):
            text = subprocess.run([pdftotext, "-f", str(p), "-l", str(p), str(tmp_path / "findings.pdf"), "-"], capture_output=True, text=True).stdout
            if re.search(r"(JC|NB|RX|QD|FT)-[0-9a-f]{10}", text) and "置信度" in text:
                ledger_pages += 1
                assert "依据与证据" in text and "变化" in text  # header repeated, every column on the page
        assert ledger_pages >= 2
