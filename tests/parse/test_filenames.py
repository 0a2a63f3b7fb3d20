"""File names in GBK bytes (USB sticks, zip archives from Windows) are read and reported, decoded."""

import json
import os
import shutil
import sys

import pytest
from typer.testing import CliRunner

from duty_analyzer.cli import app
from duty_analyzer.parse.filenames import display_name

from tests.conftest import SAMPLE

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="bytes file names are a POSIX matter")
runner = CliRunner()


def gbk_file(folder, name: str, data: bytes) -> str:
    raw = os.path.join(os.fsencode(folder), name.encode("gbk"))
    with open(raw, "wb") as fh:
        fh.write(data)
    return os.fsdecode(raw)


def test_display_name_decodes_gbk_bytes(tmp_path):
    path = gbk_file(tmp_path, "公安局三定规定.txt", b"x")
    assert "\udc80" <= max(path) and display_name(path).endswith("公安局三定规定.txt")
    assert display_name(tmp_path / "普通.txt") == str(tmp_path / "普通.txt")


def test_analyze_reads_and_reports_gbk_named_files(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SAMPLE / "sanding" / "交通运输局三定规定.txt", docs)
    gbk_file(docs, "公安局三定规定.txt", (SAMPLE / "sanding" / "公安局三定规定.txt").read_bytes())
    gbk_file(docs, "损坏的清单.xlsx", b"PK\x03\x04 not really a zip")
    gbk_file(docs, "工单.csv", "工单编号,受理时间,诉求内容,退单部门,退单理由\nG1,2026-01-02,小区门口占道经营,市城管局,不属于本单位职责\n".encode("utf-8"))
    result = runner.invoke(app, ["analyze", str(docs), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output  # the broken file, named
    assert "Traceback" not in result.output
    assert "损坏的清单.xlsx" in result.output and "GBK" in result.output
    data = json.loads((tmp_path / "out" / "parsed.json").read_text(encoding="utf-8"))
    assert {os.path.basename(f["path"]) for f in data["files"]} == {"交通运输局三定规定.txt", "公安局三定规定.txt", "工单.csv"}
    records = (tmp_path / "out" / "hotline_records.csv").read_text(encoding="utf-8-sig")
    assert "工单.csv" in records


def test_hotline_streams_gbk_named_exports(tmp_path):
    sanding, calls = tmp_path / "sanding", tmp_path / "calls"
    sanding.mkdir()
    calls.mkdir()
    shutil.copy(SAMPLE / "sanding" / "交通运输局三定规定.txt", sanding)
    gbk_file(calls, "一月工单.csv", "工单编号,受理时间,诉求内容,退单部门,退单理由\nG1,2026-01-02,公交车班次太少,市交通运输局,不属于本单位职责\n".encode("utf-8"))
    gbk_file(calls, "坏的.xlsx", b"PK\x03\x04 broken")
    result = runner.invoke(app, ["hotline", str(calls), "--sanding", str(sanding), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "坏的.xlsx" in result.output
    assert "一月工单.csv" in (tmp_path / "out" / "hotline_records.csv").read_text(encoding="utf-8-sig")
