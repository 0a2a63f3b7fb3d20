"""report.html: one offline file whose charts a browser draws, that prints on A4 and tells the story."""

import re
import shutil
import subprocess

import pytest

from duty_analyzer.findings import Finding
from duty_analyzer.model import FileError
from duty_analyzer.overlaps import OverlapReport
from duty_analyzer.report import build_content, render
from duty_analyzer.workspace import LedgerRow

from tests.test_ledger import run  # noqa: F401  (shared analyze run)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _row(fid, category, status="待核实", departments=("甲局",), disposition="需编办关注解决", source="职责交叉"):
    f = Finding(fid, category, f"{fid} 的问题描述", list(departments), f"{fid} 的证据〔甲局三定.docx〕", source, 0.8, disposition)
    return LedgerRow(f, status, "", "", "", "持续")


def test_report_is_self_contained(run):  # noqa: F811
    _, _, out, _ = run
    page = (out / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"(src|href)\s*=\s*['\"]?(https?:)?//", page)
    assert page.count("<svg class=\"chart\"") == 6  # 5 + the scorecard
    assert "职责交叉矩阵" in page and "13975260418" not in page


def test_charts_have_axes_values_and_tooltips_and_the_page_prints_on_a4(run):  # noqa: F811
    _, _, out, _ = run
    page = (out / "report.html").read_text(encoding="utf-8")
    timeline = page[page.index('data-chart="hotline-timeline"'):]
    timeline = timeline[: timeline.index("</svg>")]
    assert "工单数" in timeline and timeline.count('class="small axis"') > 5 and "<title>" in timeline
    assert 'class="value"' in timeline or 'class="small value"' in timeline
    assert page.count("<title>") > 50  # every bar, matrix cell and point has one
    assert "@page{size:A4" in page and "break-after:avoid" in page and "break-inside:avoid" in page


def test_report_tells_the_story_from_the_data(run):  # noqa: F811
    _, _, out, _ = run
    page = (out / "report.html").read_text(encoding="utf-8")
    for heading in ("主要发现", "问题分布", "问题分析", "意见建议", "需被评估单位整改", "需编办关注解决", "纳入改革政策储备"):
        assert heading in page
    assert "热点集中在" in page and "部门间职责交叉" in page and "涉及问题较多的部门" in page


def test_rejected_findings_are_left_out_of_lists_and_totals():
    rows = [_row("A-1", "工作职责未明确"), _row("A-2", "工作职责未明确", "不予采纳"), _row("A-3", "部门职能不理顺", departments=("乙局",))]
    content = build_content(rows, OverlapReport([], []), None)
    assert content.rejected == 1 and len(content.rows) == 2
    assert dict(content.by_category) == {"工作职责未明确": 1, "部门职能不理顺": 1}
    assert dict(content.cards)["问题总数"] == 2
    page = render(rows, OverlapReport([], []), None)
    assert "A-2" not in page and "A-1" in page and "A-3" in page


def test_failed_files_and_warnings_head_the_report():
    errors = [FileError("/home/user/材料/坏文件.docx", "文件已损坏"), FileError("空三定.txt", "未识别到主要职责条目", "warning")]
    page = render([_row("A-1", "工作职责未明确")], OverlapReport([], []), None, errors=errors)
    head = page[: page.index("主要发现")]
    assert "失败 1 个，提示 1 个" in head and "坏文件.docx" in head and "空三定.txt" in head and "/home/user" not in head


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (CI installs it: .ci/run)")
def test_headless_chromium_draws_every_chart(run, tmp_path):  # noqa: F811
    _, _, out, _ = run
    dom = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", f"--user-data-dir={tmp_path}", "--virtual-time-budget=3000",
         "--dump-dom", (out / "report.html").as_uri()],
        capture_output=True, text=True, timeout=120,
    ).stdout
    assert 'data-charts-drawn="6/6"' in dom
