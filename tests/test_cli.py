"""The CLI as a user runs it: Chinese summary, parsed.json, exit codes, no tracebacks."""

import json
import re
import shutil

from typer.testing import CliRunner

from duty_analyzer.cli import app

from tests.conftest import FIXTURES, SAMPLE

runner = CliRunner()


def test_analyze_sample_writes_parsed_json_and_summary(tmp_path):
    result = runner.invoke(app, ["analyze", str(SAMPLE), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "部门（三定）14 个" in result.output
    assert "失败 0 个" in result.output
    data = json.loads((tmp_path / "parsed.json").read_text(encoding="utf-8"))
    assert {f["kind"] for f in data["files"]} == {"sanding", "list", "hotline", "interview", "staffing"}


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


def test_overlaps_json_shape_and_top(tmp_path):
    result = runner.invoke(app, ["overlaps", str(SAMPLE), "--json", "--top", "3"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"overlaps", "alignment", "errors"}
    assert len(data["overlaps"]) == 3
    first = data["overlaps"][0]
    assert set(first) == {"id", "kind", "topic", "departments", "units", "score", "settled", "settled_by", "evidence", "why"}
    assert set(first["evidence"][0]) == {"department", "unit", "file", "section", "item", "text"}
    scores = [o["score"] for o in data["overlaps"] if not o["settled"]]
    assert scores == sorted(scores, reverse=True)


def test_overlaps_table_is_chinese_and_min_score_applies():
    result = runner.invoke(app, ["overlaps", str(SAMPLE), "--top", "2"])
    assert result.exit_code == 0
    heads = [line for line in result.output.splitlines() if re.match(r"^\d+\. \[JC-", line)]
    assert [h.split(".")[0] for h in heads] == ["1", "2"] and all("部门间｜" in h for h in heads)
    assert "理由：" in result.output
    # the sample's four-department parking overlap is among the first few a reviewer reads
    assert "部门间｜停车" in runner.invoke(app, ["overlaps", str(SAMPLE), "--top", "5"]).output
    everything = json.loads(runner.invoke(app, ["overlaps", str(SAMPLE), "--json"]).output)["overlaps"]
    strict = json.loads(runner.invoke(app, ["overlaps", str(SAMPLE), "--min-score", "0.6", "--json"]).output)["overlaps"]
    assert 0 < len(strict) < len(everything)
    assert all(o["score"] >= 0.6 for o in strict)


def test_analyze_writes_overlaps_json(tmp_path):
    result = runner.invoke(app, ["analyze", str(SAMPLE), "--out", str(tmp_path)])
    assert "职责交叉" in result.output
    data = json.loads((tmp_path / "overlaps.json").read_text(encoding="utf-8"))
    assert data["overlaps"] and data["errors"] == []


def test_classify_csv_adds_columns_and_refuses_a_missing_column(tmp_path, write):
    src = write(tmp_path / "in.csv", "编号,问题\n1,小区门口违停交警和城管互相推诿\n2,单位核定编制二十名实际在岗只有十二人，缺编严重\n", "gbk")
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["classify", str(src), "--text-column", "问题", "--out", str(out)])
    assert result.exit_code == 0, result.output
    import csv

    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert list(rows[0]) == ["编号", "问题", "问题类别", "置信度", "次选类别", "次选置信度", "需复核"]
    assert rows[0]["问题类别"] == "部门间职责边界不清" and rows[1]["问题类别"] == "编制人员管理方面"
    result = runner.invoke(app, ["classify", str(src), "--text-column", "内容", "--out", str(out)])
    assert result.exit_code == 1 and "内容" in result.output and "Traceback" not in result.output


def test_classify_json_lines(tmp_path, write):
    src = write(tmp_path / "in.csv", "问题\n部门之间推诿扯皮\n")
    out = tmp_path / "out.jsonl"
    assert runner.invoke(app, ["classify", str(src), "-c", "问题", "-o", str(out), "--json"]).exit_code == 0
    record = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert record["问题"] == "部门之间推诿扯皮" and "问题类别" in record


def test_evaluate_prints_chinese_table():
    result = runner.invoke(app, ["evaluate", "--data", str(SAMPLE.parent / "problems" / "h6_questionnaires.csv"), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["macro_f1"] > 0.9 and len(data["confusion"]) == 10


def test_analyze_writes_masked_problems_csv(tmp_path):
    runner.invoke(app, ["analyze", str(SAMPLE), "--out", str(tmp_path)])
    text = (tmp_path / "problems.csv").read_text(encoding="utf-8-sig")
    assert "问题类别" in text and "13975260418" not in text and "周启航" not in text


def test_backend_option_refuses_unknown_names_and_missing_models(tmp_path, write):
    result = runner.invoke(app, ["overlaps", str(SAMPLE / "sanding"), "--backend", "bert"])
    assert result.exit_code == 1 and "未知的语义后端" in result.output and "e5-small" in result.output
    result = runner.invoke(app, ["overlaps", str(SAMPLE / "sanding"), "--backend", f"st:{tmp_path / 'none'}"])
    assert result.exit_code == 1 and "none" in result.output and "Traceback" not in result.output
    src = write(tmp_path / "in.csv", "问题\n部门之间推诿扯皮\n")
    result = runner.invoke(app, ["classify", str(src), "-c", "问题", "-o", str(tmp_path / "o.csv"), "--backend", "use"])
    assert result.exit_code == 1 and "train --backend use" in result.output


def test_kind_on_analyze_and_overlaps_and_warnings_do_not_fail_the_run(tmp_path, write):
    docs = tmp_path / "docs"
    docs.mkdir()
    write(docs / "摘录.txt", "第三条 溪南县测绘局的主要职责是：\n（一）负责测绘。\n（二）负责地图审核。\n")
    write(docs / "残页.txt", "第一条 测绘工作安排。\n")
    refused = runner.invoke(app, ["overlaps", str(docs)])
    assert refused.exit_code == 1 and "无法识别文档类型" in refused.output
    assert "1 个文件解析失败" in refused.output or "2 个文件解析失败" in refused.output
    forced = runner.invoke(app, ["overlaps", str(docs), "--kind", "sanding"])
    assert forced.exit_code == 0, forced.output  # 残页 is only a warning: it parsed, to nothing
    assert "警告" in forced.output and "残页.txt" in forced.output
    result = runner.invoke(app, ["analyze", str(docs), "--kind", "sanding", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "主要职责等条目 2 条" in result.output and "警告：" in result.output
    assert "未发现职责交叉；1 个文件没有解析出可用内容" in result.output
    wrong = runner.invoke(app, ["analyze", str(docs), "--kind", "三定", "--out", str(tmp_path / "o2")])
    assert wrong.exit_code != 0 and "未知的文档类型" in wrong.output


def test_loading_the_cli_leaves_the_heavy_stages_unloaded_so_classify_starts_fast():
    import subprocess
    import sys

    probe = ("import sys, duty_analyzer.cli; "
             "print(sorted(m for m in ('duty_analyzer.overlaps', 'duty_analyzer.pipeline', 'duty_analyzer.hotline', "
             "'duty_analyzer.workspace', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
