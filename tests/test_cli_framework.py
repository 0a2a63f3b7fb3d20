"""The command frame as a user meets it: -h, --version, Chinese usage errors, help that renders, Ctrl-C."""

import pytest
from typer.testing import CliRunner

from duty_analyzer import __version__
from duty_analyzer.cli import app
from duty_analyzer.cli_framework import INTERRUPTED, translate_message

runner = CliRunner()


def test_version_and_short_help():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"duty-analyzer {__version__}"
    short, long = runner.invoke(app, ["analyze", "-h"]), runner.invoke(app, ["analyze", "--help"])
    assert short.exit_code == 0 and short.output == long.output
    assert "显示本帮助并退出" in short.output and "Show this message" not in short.output
    assert "用法：" in short.output and "选项" in short.output


def test_backend_help_keeps_bracketed_extras():
    result = runner.invoke(app, ["analyze", "-h"], terminal_width=200)
    assert "duty-analyzer[semantic]" in result.output and "[st]" in result.output


@pytest.mark.parametrize("args, expected", [
    (["analyze"], "缺少参数"),
    (["classify", "x.csv"], "缺少选项 '--text-column'"),
    (["analyze", "x", "--bogus"], "没有这个选项：--bogus"),
    (["overlaps", "x", "--top", "0"], "的取值无效：应大于或等于 1"),
    (["overlaps", "x", "--top", "abc"], "的取值无效：应为整数"),
    (["analyse"], "没有这个命令 'analyse'（您是不是要用 'analyze'？）"),
    (["analyze", "--out"], "选项 '--out' 后面需要给出取值"),
])
def test_usage_errors_are_chinese_and_exit_2(args, expected):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert expected in result.output
    for english in ("Missing", "No such", "Invalid value", "Usage:", "Try '", "Error:"):
        assert english not in result.output


def test_unknown_messages_pass_through_unchanged():
    assert translate_message("something new") == "something new"


def test_ctrl_c_prints_one_chinese_line_and_exits_130(monkeypatch, tmp_path):
    import duty_analyzer.pipeline as pipeline

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "analyze", interrupted)
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(tmp_path / "a.txt"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 130
    assert result.output.strip() == INTERRUPTED
    assert "Traceback" not in result.output


def test_wrong_text_column_lists_the_columns(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("编号,诉求内容,日期\n1,路灯不亮,2026-01-01\n", encoding="utf-8")
    result = runner.invoke(app, ["classify", str(table), "--text-column", "内容", "--out", str(tmp_path / "o.csv")])
    assert result.exit_code == 1
    assert "表中的列有：编号、诉求内容、日期" in result.output


def test_an_unexpected_error_is_one_chinese_line_not_a_traceback():
    from duty_analyzer.cli_framework import make_app

    broken = make_app("测试", "0")

    @broken.command()
    def run() -> None:
        raise RuntimeError("模型目录不完整")

    @broken.command()
    def other() -> None:  # two commands, so `run` is a subcommand as in the real app
        pass

    result = CliRunner().invoke(broken, ["run"])
    assert result.exit_code == 1
    assert "错误：模型目录不完整（RuntimeError）" in result.output and "Traceback" not in result.output
