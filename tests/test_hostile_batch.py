"""A folder of hostile files beside a good one: each is named in Chinese, the good one is analysed, exit 1,
in bounded time and memory (measured on the analyze process)."""

import json
import os
import shutil
import subprocess
import sys

from tests.conftest import ROOT, SAMPLE
from tests.parse import hostile

MEASURE = """
import resource, subprocess, sys, time
start = time.monotonic()
r = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(r.returncode, time.monotonic() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.stderr.write(r.stdout + r.stderr)
"""


def test_hostile_files_are_each_refused_and_the_rest_is_analysed(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SAMPLE / "sanding" / "交通运输局三定规定.txt", docs)
    bad = {
        "远角单元格.xlsx": hostile.far_cell_xlsx,
        "整列合并.xlsx": hostile.merged_column_xlsx,
        "压缩炸弹.docx": hostile.docx_bomb,
        "压缩炸弹.xlsx": hostile.xlsx_bomb,
        "超大文本.txt": hostile.sparse_text,
        "超长单元格.csv": lambda p: hostile.csv_with_cell(p, 1_500_000),
    }
    for name, make in bad.items():
        make(docs / name)
    corrupt = hostile.xlsx(docs / "半截.xlsx", [hostile.HOTLINE_HEADER] + [["G1", "2026-01-02", "占道经营", "市城管局", "不属于"]] * 50)
    hostile.rewrite_member(corrupt, "xl/worksheets/sheet1.xml", lambda x: x[: len(x) // 2])
    bad["半截.xlsx"] = None
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-m", "duty_analyzer", "analyze", str(docs), "--out", str(tmp_path / "out")]
    r = subprocess.run([sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True, env=env, timeout=600)
    code, seconds, peak_kb = r.stdout.split()
    print(f"hostile batch through analyze: {float(seconds):.1f} s, peak RSS {int(peak_kb) // 1024} MB")
    output = r.stderr
    assert int(code) == 1, output
    assert float(seconds) < 90 and int(peak_kb) < 2 * 1024 * 1024, (seconds, peak_kb)
    assert "Traceback" not in output
    for name in bad:
        assert name in output, name
    data = json.loads((tmp_path / "out" / "parsed.json").read_text(encoding="utf-8"))
    assert [os.path.basename(f["path"]) for f in data["files"]] == ["交通运输局三定规定.txt"]
    assert len(data["errors"]) == len(bad)


def test_classify_stops_at_a_bad_row_with_a_message_and_no_partial_output(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from duty_analyzer.cli import app

    monkeypatch.setenv("DUTY_ANALYZER_LIMIT_CELL_CHARS", "1000")
    rows = ["text"] + [f"停车场职责不清第{i}条" for i in range(9000)]
    rows[8500] = "长" * 2000  # past the first batches, which forked workers have already classified
    (tmp_path / "in.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["classify", str(tmp_path / "in.csv"), "-c", "text", "--out", str(tmp_path / "out.csv")])
    assert result.exit_code == 1
    assert "第 8501 行" in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]
