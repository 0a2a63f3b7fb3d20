"""Long work tells what it is doing: stage lines with counts, a bar with rows done out of a total."""

import io

from openpyxl import Workbook
from rich.console import Console
from typer.testing import CliRunner

from duty_analyzer.cli import app, count_records
from duty_analyzer.cli_framework import TerminalProgress
from duty_analyzer.progress import STAGES, Progress

from tests.conftest import SAMPLE


def test_analyze_prints_every_stage_with_counts(tmp_path):
    result = CliRunner().invoke(app, ["analyze", str(SAMPLE), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    for stage in STAGES:
        assert f"[{stage}]" in result.output
    assert "[热线] 工单 " in result.output and "[解析] 文件 " in result.output


def test_library_analyze_reports_stages_to_a_given_progress(tmp_path):
    from duty_analyzer.pipeline import analyze

    class Recorder(Progress):
        def __init__(self):
            self.stages, self.advanced, self.total = [], 0, None

        def stage(self, name, message):
            self.stages.append(name)

        def rows(self, label, total):
            self.total = total
            return super().rows(label, total)

    seen = Recorder()
    analyze([str(SAMPLE)], str(tmp_path / "out"), progress=seen)
    assert list(dict.fromkeys(seen.stages)) == list(STAGES)
    assert seen.total and seen.total > 100


def test_bar_shows_rows_done_out_of_total():
    buffer = io.StringIO()
    shown = TerminalProgress(Console(file=buffer, force_terminal=True, width=120))
    with shown.rows("热线", 1000) as advance:
        for _ in range(1000):
            advance(1)
    assert "1000/1000" in buffer.getvalue() and "条/秒" in buffer.getvalue()


def test_record_count_for_csv_and_xlsx(tmp_path):
    (tmp_path / "a.csv").write_text("编号,诉求内容\n1,甲\n2,乙\n", encoding="utf-8")
    book = Workbook()
    for row in (["编号", "诉求内容"], [1, "丙"], [2, "丁"], [3, "戊"]):
        book.active.append(row)
    book.save(tmp_path / "b.xlsx")
    assert count_records([tmp_path]) == 5
