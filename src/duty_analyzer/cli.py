"""The `duty-analyzer` command: argument parsing and printing only; the work is in the library."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Optional

import typer

from .overlaps import OverlapConfig, find_overlaps
from .parse import KINDS, ParseError, parse_file, parse_paths
from .pipeline import analyze as run_analyze
from .summary import format_overlaps, format_summary

app = typer.Typer(
    help="编办职责分析工具：解析三定规定、权责清单、12345热线退单工单和访谈记录，筛查职责问题。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _main() -> None:
    """编办职责分析工具。"""


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"错误：{message}", err=True)
    raise typer.Exit(code)


def _require(paths: list[Path]) -> None:
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        _fail(f"找不到路径：{'、'.join(missing)}")


@app.command()
def analyze(
    paths: list[Path] = typer.Argument(..., help="要分析的文件或文件夹（可多个）"),
    out: Path = typer.Option(Path("out"), "--out", "-o", help="输出文件夹"),
) -> None:
    """分析一个文件夹中的全部文档，结果写入输出文件夹。"""
    _require(paths)
    try:
        result = run_analyze(paths, out)
    except OSError as exc:
        _fail(f"无法写入输出文件夹 {out}：{exc.strerror or exc}")
    typer.echo(format_summary(result.summary))
    for path in result.outputs:
        typer.echo(f"已写入：{path}")
    if result.summary.errors:
        raise typer.Exit(1)


@app.command()
def overlaps(
    paths: list[Path] = typer.Argument(..., help="三定、清单等文件或文件夹（可多个）"),
    top: Optional[int] = typer.Option(None, "--top", "-n", min=1, help="只显示得分最高的前 N 项"),
    min_score: float = typer.Option(OverlapConfig.min_score, "--min-score", "-s", min=0.0, max=1.0, help="最低相似度得分"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """查找部门之间、部门内设机构之间的职责交叉，附条款证据和职责分工情况。"""
    _require(paths)
    corpus = parse_paths(paths)
    report = find_overlaps(corpus, OverlapConfig(min_score=min_score)).top(top)
    if as_json:
        json.dump(report.to_dict(corpus.errors), sys.stdout, ensure_ascii=False, indent=1)
        typer.echo()
    else:
        typer.echo(format_overlaps(report))
        for err in corpus.errors:
            typer.echo(f"错误：{err.path}：{err.message}", err=True)
    if corpus.errors:
        raise typer.Exit(1)


@app.command()
def parse(
    file: Path = typer.Argument(..., help="要解析的单个文件"),
    kind: Optional[str] = typer.Option(None, "--kind", "-k", help=f"文档类型，不填则自动识别：{'、'.join(KINDS)}"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """解析单个文件并输出结构化结果。"""
    if not file.is_file():
        _fail(f"找不到文件：{file}")
    try:
        parsed = parse_file(file, kind)
    except ParseError as exc:
        _fail(f"{exc.path}：{exc.message}")
    except Exception as exc:  # never show a traceback to the user
        _fail(f"{file}：解析时发生意外错误（{type(exc).__name__}: {exc}）")
    if as_json:
        json.dump(asdict(parsed), sys.stdout, ensure_ascii=False, indent=1)
        typer.echo()
        return
    counts = {
        "部门": len(parsed.departments), "职责条目": len(parsed.duties), "职责分工": len(parsed.divisions),
        "清单事项": len(parsed.list_items), "热线工单": len(parsed.hotline), "访谈陈述": len(parsed.statements),
        "未识别段落": len(parsed.unrecognized),
    }
    typer.echo(f"{file}（{KINDS[parsed.kind].label}）：" + "，".join(f"{k} {v}" for k, v in counts.items() if v))
    for note in parsed.notes:
        typer.echo(f"提示：{note}")
