"""The sample city's staffing export through `analyze` and `staffing`: every planted case, nothing else."""

import csv
import shutil

import openpyxl
import pytest
from typer.testing import CliRunner

from duty_analyzer.cli import app
from duty_analyzer.names import short_name

from tests.conftest import SAMPLE

runner = CliRunner()


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("staffing")
    for sub in ("sanding", "staffing"):
        shutil.copytree(SAMPLE / sub, root / "docs" / sub)
    result = runner.invoke(app, ["analyze", str(root / "docs"), "--out", str(root / "out")])
    assert result.exit_code == 0, result.output
    return root / "out"


def test_every_planted_case_is_a_ledger_finding_and_nothing_else(run, truth):
    ws = openpyxl.load_workbook(run / "findings.xlsx")["问题台账"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, [c.value for c in r])) for r in ws.iter_rows(min_row=2)]
    staffing = [r for r in rows if r["来源"] == "编制数据筛查"]
    cases = truth["staffing"]["cases"]
    assert len(staffing) == len(cases)
    for case in cases:
        hits = [r for r in staffing if r["问题类别"] == case["category"] and case["rule"] in r["问题描述"]
                and short_name(case["department"]) in r["涉及部门"]]
        assert len(hits) == 1, case
    assert all("实名制数据" in r["依据与证据"] for r in staffing)


def test_scorecard_sheet_csv_and_report_section(run):
    wb = openpyxl.load_workbook(run / "findings.xlsx")
    ws = wb["部门评分"]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["名次", "部门", "总分", "等级"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2, max_row=15)]
    assert len(rows) == 14 and all(r[3] in ("A", "B", "C") for r in rows)
    assert [r[2] for r in rows] == sorted((r[2] for r in rows), reverse=True)
    with (run / "scorecard.csv").open(encoding="utf-8-sig") as fh:
        assert len(list(csv.reader(fh))) == 15
    html = (run / "report.html").read_text(encoding="utf-8")
    assert "、部门评分</h2>" in html and 'data-chart="scorecard"' in html and "<title>" in html


def test_staffing_command_alone(tmp_path):
    out = tmp_path / "筛查.csv"
    result = runner.invoke(app, ["staffing", str(SAMPLE / "staffing"), "--sanding", str(SAMPLE / "sanding"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "编制数据筛查：发现 9 项问题" in result.output and out.exists()
    alone = runner.invoke(app, ["staffing", str(SAMPLE / "staffing")])
    assert alone.exit_code == 0 and "未提供三定规定" in alone.output


def test_staffing_command_without_an_export_fails_in_chinese(tmp_path):
    result = runner.invoke(app, ["staffing", str(SAMPLE / "notes")])
    assert result.exit_code == 1 and "没有读到机构编制实名制数据" in result.output
