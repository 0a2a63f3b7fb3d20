"""OUT inside an input folder, or any folder the tool wrote, is never read back as input."""

import json
import shutil

from typer.testing import CliRunner

from duty_analyzer.cli import app
from duty_analyzer.outputs import MANIFEST
from duty_analyzer.parse import parse_paths

from tests.conftest import SAMPLE

runner = CliRunner()


def test_out_inside_the_input_folder_is_skipped_on_every_run(tmp_path):
    docs = tmp_path / "材料"
    shutil.copytree(SAMPLE, docs)
    counts = []
    for _ in range(2):
        result = runner.invoke(app, ["analyze", str(docs), "--out", str(docs / "out")])
        assert result.exit_code == 0, result.output
        data = json.loads((docs / "out" / "parsed.json").read_text(encoding="utf-8"))
        counts.append(sum(len(f["hotline"]) for f in data["files"]))
        assert f"已跳过 {docs / 'out'}" in result.output
    assert counts[0] == counts[1] > 0
    manifest = json.loads((docs / "out" / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["tool"] == "duty-analyzer" and "findings.xlsx" in manifest["files"]


def test_any_folder_with_the_manifest_is_skipped(tmp_path, write):
    write(tmp_path / "访谈.txt", "访谈记录\n问：有何问题？\n答：停车场职责交叉。\n")
    old = tmp_path / "旧结果" / "2025"
    old.mkdir(parents=True)
    write(old / "访谈副本.txt", "访谈记录\n问：有何问题？\n答：停车场职责交叉。\n")
    assert len(parse_paths([tmp_path]).files) == 2
    (old / MANIFEST).write_text("{}", encoding="utf-8")
    assert [f.path for f in parse_paths([tmp_path]).files] == [str(tmp_path / "访谈.txt")]


def test_out_equal_to_input_is_refused(tmp_path, write):
    write(tmp_path / "访谈.txt", "访谈记录\n问：有何问题？\n答：停车场职责交叉。\n")
    result = runner.invoke(app, ["analyze", str(tmp_path), "--out", str(tmp_path)])
    assert result.exit_code == 1 and "输出文件夹不能就是输入文件夹" in result.output
