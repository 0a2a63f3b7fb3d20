"""The review ledger, the workspace and the review loop, as staff use them."""

import shutil

import openpyxl
import pytest
from typer.testing import CliRunner

from duty_analyzer.cli import app
from duty_analyzer.workspace import reviewed_examples

from tests.conftest import SAMPLE

runner = CliRunner()


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("ledger")
    docs = root / "docs"
    shutil.copytree(SAMPLE, docs)
    out = root / "out"
    result = runner.invoke(app, ["analyze", str(docs), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return root, docs, out, root / "out.workspace.sqlite"


def _rows(path):
    ws = openpyxl.load_workbook(path)["问题台账"]
    header = [c.value for c in ws[1]]
    return ws, header, [dict(zip(header, [c.value for c in r])) for r in ws.iter_rows(min_row=2)]


def test_ledger_sheets_headers_and_validation(run):
    _, _, out, _ = run
    wb = openpyxl.load_workbook(out / "findings.xlsx")
    assert wb.sheetnames == ["问题台账", "职责交叉", "热线争议", "统计", "部门评分"]
    ws = wb["问题台账"]
    assert [c.value for c in ws[1]][:12] == ["编号", "问题类别", "问题描述", "涉及部门", "依据与证据", "来源", "置信度", "建议处置", "状态", "复核意见", "复核人", "复核日期"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    lists = {str(dv.sqref)[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert "已销号" in lists["I"] and "部门间职责边界不清" in lists["B"] and "纳入改革政策储备" in lists["H"]
    sources = {r["来源"] for r in _rows(out / "findings.xlsx")[2]}
    assert sources == {"职责交叉", "热线争议", "三定清单对照", "访谈记录", "编制数据筛查"}


def test_ledger_is_masked_and_cannot_run_formulas(run):
    _, _, out, _ = run
    wb = openpyxl.load_workbook(out / "findings.xlsx")
    text = "".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)
    assert "13975260418" not in text and "周启航" not in text
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
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
    overlap_id = ws.cell(overlap_row, 1).value

    result = runner.invoke(app, ["review", "import", str(edited), "--workspace", str(workspace)])
    assert result.exit_code == 0, result.output
    assert any(c == new_category for _, c in reviewed_examples(workspace))

    for f in (docs / "notes").glob("*座谈会*"):
        f.unlink()  # documents change between runs
    result = runner.invoke(app, ["analyze", str(docs), "--out", str(out)])
    assert result.exit_code == 0 and "已消失" in result.output
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
    result = runner.invoke(app, ["review", "import", str(bad), "--workspace", str(workspace)])
    assert result.exit_code == 1 and "第 3 行" in result.output and "差不多了" in result.output
    assert runner.invoke(app, ["review", "status", "--workspace", str(workspace)]).output == before
