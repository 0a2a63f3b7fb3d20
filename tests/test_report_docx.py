"""report.docx: the Word report assessment rounds hand on — same content as report.html, masked."""

import docx
import pytest

from duty_analyzer.findings import Finding
from duty_analyzer.overlaps import OverlapReport
from duty_analyzer.report_docx import bar_png, cjk_font_path, write_docx
from duty_analyzer.workspace import LedgerRow

from tests.test_ledger import run  # noqa: F401  (shared analyze run)


def _text(path):
    d = docx.Document(path)
    return "\n".join(p.text for p in d.paragraphs) + "\n".join(c.text for t in d.tables for r in t.rows for c in r.cells)


def test_word_report_has_headings_findings_by_category_and_advice(run):  # noqa: F811
    _, _, out, _ = run
    d = docx.Document(out / "report.docx")
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:2] == ["一、主要发现", "二、问题分布"] and "三、问题分析" in headings and "四、意见建议" in headings
    assert {"需被评估单位整改", "需编办关注解决", "纳入改革政策储备"} <= set(headings)
    assert "部门间职责边界不清" in headings
    assert any(t.rows[0].cells[3].text == "依据与证据" for t in d.tables if len(t.columns) == 5)
    text = _text(out / "report.docx")
    assert "13975260418" not in text and "周启航" not in text
    assert abs(d.sections[0].page_width.cm - 21.0) < 0.1


@pytest.mark.skipif(cjk_font_path() is None, reason="no CJK font on this machine: charts are given as tables")
def test_charts_are_images_when_a_chinese_font_exists(run):  # noqa: F811
    _, _, out, _ = run
    d = docx.Document(out / "report.docx")
    assert len(d.inline_shapes) >= 3
    png = bar_png("按问题类别", [("工作职责未明确", 3), ("部门职能不理顺", 1)])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_rejected_finding_is_not_in_the_word_report(tmp_path):
    def row(fid, status):
        f = Finding(fid, "工作职责未明确", f"问题{fid}", ["甲局"], "证据", "访谈记录", 0.7, "需编办关注解决")
        return LedgerRow(f, status, "", "", "", "持续")

    write_docx(tmp_path / "r.docx", [row("KEEP-1", "待核实"), row("DROP-1", "不予采纳")], OverlapReport([], []), None)
    text = _text(tmp_path / "r.docx")
    assert "KEEP-1" in text and "DROP-1" not in text
