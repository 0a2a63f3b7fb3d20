"""The CLI as a user runs it: Chinese summary, parsed.json, exit codes, no tracebacks."""

import json
import shutil

from typer.testing import CliRunner

from duty_analyzer.cli import app

from conftest import FIXTURES, SAMPLE

runner = CliRunner()


def test_analyze_sample_writes_parsed_json_and_summary(tmp_path):
    result = runner.invoke(app, ["analyze", str(SAMPLE), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "部门（三定）14 个" in result.output
    assert "失败 0 个" in result.output
    data = json.loads((tmp_path / "parsed.json").read_text(encoding="utf-8"))
    assert {f["kind"] for f in data["files"]} == {"sanding", "list", "hotline", "interview"}


def test_analyze_reports_bad_files_and_exits_non_zero(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES / "bad", docs)
    shutil.copy(next((SAMPLE / "sanding").glob("*.txt")), docs)
    result = runner.invoke(app, ["analyze", str(docs), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "扫描件.pdf" in result.output and "OCR" in result.output
    assert "Traceback" not in result.output
    data = json.loads((tmp_path / "out" / "parsed.json").read_text(encoding="utf-8"))
    assert len(data["files"]) == 1 and len(data["errors"]) == 8


def test_parse_json_prints_the_model(tmp_path, write):
    path = write(tmp_path / "访谈.txt", "访谈记录\n问：有何问题？\n答：停车场职责交叉。\n")
    result = runner.invoke(app, ["parse", str(path), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["kind"] == "interview"
    assert data["statements"][0]["text"] == "停车场职责交叉。"


def test_parse_bad_file_and_missing_path(tmp_path):
    result = runner.invoke(app, ["parse", str(FIXTURES / "bad" / "加密的三定.pdf")])
    assert result.exit_code == 1 and "已加密" in result.output
    result = runner.invoke(app, ["analyze", str(tmp_path / "nope")])
    assert result.exit_code == 1 and "找不到路径" in result.output
