"""The `duty-analyzer` command: argument parsing and printing only; the work is in the library."""

from __future__ import annotations

import json
import sys
from collections import deque
from datetime import datetime
from dataclasses import asdict
from pathlib import Path
from typing import Optional

import typer

from .classify import (
    PREDICTION_COLUMNS, Classifier, ClassifierError, cross_validate, default_model_dir, load_dataset,
    load_default, prediction_cells, predict_stream, score,
)
from .embed import BACKENDS, LEXICAL, EmbeddingError, get_encoder
# The stages (parse, overlaps, hotline, pipeline, workspace…) are imported inside the commands that use them:
# loading the CLI costs ~0.35 s CPU instead of ~0.8 s, and a command loads only what it runs.
from .tables import count_rows, read_rows, row_writer
from .parse import KINDS, ParseError
from . import __version__
from .cli_framework import TerminalProgress, make_app, sub_app
from .resources import training_dir

PROBLEM_CORPUS = training_dir()

app = make_app("编办职责分析工具：解析三定规定、权责清单、12345热线退单工单和访谈记录，筛查职责问题。", __version__)


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"错误：{message}", err=True)
    raise typer.Exit(code)


def count_records(paths: list[Path]) -> int | None:
    """Rows in the given tables for a progress total (cheap: lines or sheet dimensions); None if unknown."""
    from .parse.registry import iter_files

    counts = [count_rows(p) for p in iter_files(paths)]
    return None if None in counts else sum(counts)


def _require(paths: list[Path]) -> None:
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        _fail(f"找不到路径：{'、'.join(missing)}")


BACKEND_HELP = f"相似度后端：{'、'.join(BACKENDS)}（默认 tfidf：只比词面，最快；其余需安装 duty-analyzer[semantic] 或 [st]）"


KIND_HELP = f"文档类型，不填则按内容自动识别：{'、'.join(KINDS)}（例如没有标题的三定规定可指定 sanding）"


def _kind(kind: Optional[str]) -> Optional[str]:
    if kind is not None and kind not in KINDS:
        _fail(f"未知的文档类型 {kind}（可选：{'、'.join(KINDS)}）")
    return kind


def _encoder(backend: str):
    """None for the lexical default; otherwise the loaded encoder, or a clear message and exit."""
    if backend == LEXICAL:
        return None
    try:
        return get_encoder(backend)
    except EmbeddingError as exc:
        _fail(str(exc))


@app.command()
def analyze(
    paths: list[Path] = typer.Argument(..., help="要分析的文件或文件夹（可多个）"),
    out: Path = typer.Option(Path("out"), "--out", "-o", help="输出文件夹"),
    workspace: Optional[Path] = typer.Option(None, "--workspace", "-w", help="工作区文件（默认：输出文件夹旁的 .workspace.sqlite）"),
    backend: str = typer.Option(LEXICAL, "--backend", "-b", help=BACKEND_HELP),
    kind: Optional[str] = typer.Option(None, "--kind", "-k", help=KIND_HELP),
    scorecard: Optional[Path] = typer.Option(None, "--scorecard", help="部门评分表（TOML，默认使用内置评分表；格式见 README）"),
    no_mask: bool = typer.Option(False, "--no-mask", help="不遮盖个人信息（仅供内部使用，输出中会注明）"),
) -> None:
    """分析一个文件夹中的全部文档，结果写入输出文件夹（问题台账 findings.xlsx、报告 report.html 等）。"""
    from .outputs import OutputError
    from .pipeline import NothingToAnalyze, analyze as run_analyze
    from .staffing.render import format_grades
    from .summary import format_summary
    from .workspace import WorkspaceError

    _require(paths)
    if any(p.resolve() == out.resolve() for p in paths):
        _fail(f"输出文件夹不能就是输入文件夹 {out}：请换一个 --out（放在输入文件夹里的输出文件夹会被自动跳过）")
    encoder = _encoder(backend)
    card = _scorecard(scorecard)
    try:
        result = run_analyze(paths, out, workspace=workspace, encoder=encoder, kind=_kind(kind), scorecard=card,
                             progress=TerminalProgress(), mask=not no_mask)
    except NothingToAnalyze as exc:
        for err in exc.corpus.errors:
            typer.echo(f"错误：{err.path}：{err.message}", err=True)
        _fail(exc.message)
    except (OutputError, WorkspaceError) as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"无法写入输出文件夹 {out}：{exc.strerror or exc}")
    except WorkspaceError as exc:
        _fail(str(exc))
    typer.echo(format_summary(result.summary))
    if result.scores:
        typer.echo(format_grades(result.scores))
    for note in result.notes:
        typer.echo(f"提示：{note}")
    for path in result.outputs:
        typer.echo(f"已写入：{path}")
    if any(not e.is_warning for e in result.summary.errors):
        raise typer.Exit(1)


STAFFING_HEADER = ["规则", "问题类别", "部门", "单位", "问题描述", "依据"]


def _scorecard(path: Path | None):
    from .staffing import ScorecardError, load_scorecard

    try:
        return load_scorecard(path)
    except ScorecardError as exc:
        _fail(str(exc))


@app.command()
def staffing(
    paths: list[Path] = typer.Argument(..., help="机构编制实名制数据导出表（.xlsx/.csv），可与三定文件或文件夹一起给出"),
    sanding: list[Path] = typer.Option([], "--sanding", "-s", help="三定文件或文件夹，用于核对核定编制和领导职数（可多次）"),
    scorecard: Optional[Path] = typer.Option(None, "--scorecard", help="筛查规则和评分表（TOML，默认使用内置设置）"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="把筛查结果写入此 CSV/XLSX 文件"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """筛查编制使用情况：超编、超职数配备、与三定不一致、长期空编、借调、编外人员、在编不在岗、擅自设立机构。"""
    from .names import short_name
    from .parse import parse_paths
    from .staffing import screen as screen_staffing
    from .staffing.render import format_screening

    _require(paths)
    card = _scorecard(scorecard)
    corpus = parse_paths([*paths, *sanding])
    if not corpus.staffing_records:
        for err in corpus.errors:
            typer.echo(f"错误：{err.path}：{err.message}", err=True)
        _fail("没有读到机构编制实名制数据（需要含“单位名称”“核定编制数”“实有人数”等列的表格）")
    issues = screen_staffing(corpus, card.rules)
    if as_json:
        json.dump([asdict(i) for i in issues], sys.stdout, ensure_ascii=False, indent=1)
        typer.echo()
    else:
        typer.echo(format_screening(issues))
        if not corpus.staffing:
            typer.echo("提示：未提供三定规定，只按导出表自身的核定数筛查（用 --sanding 指定三定文件夹可核对核定编制）")
    if out is not None:
        with row_writer(out, STAFFING_HEADER) as writer:
            for i in issues:
                writer.write([i.rule, i.category, short_name(i.department), i.unit, i.description, "\n".join(i.evidence)])
        typer.echo(f"已写入：{out}")
    for err in corpus.errors:
        typer.echo(f"错误：{err.path}：{err.message}", err=True)
    if corpus.failures:
        raise typer.Exit(1)


@app.command()
def overlaps(
    paths: list[Path] = typer.Argument(..., help="三定、清单等文件或文件夹（可多个）"),
    top: Optional[int] = typer.Option(None, "--top", "-n", min=1, help="只显示得分最高的前 N 项"),
    min_score: Optional[float] = typer.Option(
        None, "--min-score", "-s", min=0.0, max=1.0, help="最低判定概率（判定为职责交叉的概率，默认用模型自带的阈值）",
    ),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
    backend: str = typer.Option(LEXICAL, "--backend", "-b", help=BACKEND_HELP),
    kind: Optional[str] = typer.Option(None, "--kind", "-k", help=KIND_HELP),
) -> None:
    """查找部门之间、部门内设机构之间的职责交叉，附条款证据和职责分工情况。"""
    from .overlaps import OverlapConfig, find_overlaps
    from .parse import parse_paths
    from .summary import format_overlaps

    _require(paths)
    encoder = _encoder(backend)
    corpus = parse_paths(paths, _kind(kind))
    report = find_overlaps(corpus, OverlapConfig(min_score=min_score), encoder=encoder).top(top)
    if as_json:
        json.dump(report.to_dict(corpus.errors), sys.stdout, ensure_ascii=False, indent=1)
        typer.echo()
    else:
        typer.echo(format_overlaps(report, corpus.errors))
        for err in corpus.errors:
            typer.echo(f"{'警告' if err.is_warning else '错误'}：{err.path}：{err.message}", err=True)
    if corpus.failures:
        raise typer.Exit(1)


@app.command()
def parse(
    file: Path = typer.Argument(..., help="要解析的单个文件"),
    kind: Optional[str] = typer.Option(None, "--kind", "-k", help=f"文档类型，不填则自动识别：{'、'.join(KINDS)}"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """解析单个文件并输出结构化结果。"""
    from .parse import parse_file

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


def _model(model: Optional[Path], backend: str = LEXICAL) -> Classifier:
    """The given model directory, or the shipped one that goes with the backend; a model trained with
    another backend than the one asked for is refused rather than silently used."""
    try:
        clf = Classifier.load(model) if model else load_default(backend)
    except ClassifierError as exc:
        _fail(str(exc))
    if backend != LEXICAL and clf.metadata.backend != backend:
        _fail(f"{model}：模型使用 {clf.metadata.backend} 训练，与 --backend {backend} 不一致")
    return clf


@app.command()
def train(
    data: Optional[list[Path]] = typer.Option(None, "--data", "-d", help="训练数据 CSV/XLSX 或文件夹（默认：内置问题语料）"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="模型输出目录（必填；只有明确写 --out models/problems 或加 --replace-shipped 才覆盖内置模型）"),
    replace_shipped: bool = typer.Option(False, "--replace-shipped", help="保存到随工具发布的内置模型目录（覆盖内置模型）"),
    text_column: str = typer.Option("text", "--text-column", help="文本所在的列"),
    label_column: str = typer.Option("category", "--label-column", help="类别所在的列"),
    folds: int = typer.Option(5, "--folds", min=2, help="交叉验证折数"),
    with_reviews: bool = typer.Option(False, "--with-reviews", help="加入工作区中复核人员改正过类别的问题"),
    workspace: Path = typer.Option(Path("out/demo.workspace.sqlite"), "--workspace", "-w", help="与 --with-reviews 一起使用的工作区文件"),
    backend: str = typer.Option(LEXICAL, "--backend", "-b", help=BACKEND_HELP + "；非 tfidf 时在词面特征旁加入句向量特征"),
) -> None:
    """训练问题分类模型，先做交叉验证并打印各类别得分，再用全部数据训练并保存。"""
    from .summary import format_evaluation
    from .workspace import reviewed_examples

    shipped = default_model_dir(backend)
    if out is None and not replace_shipped:
        _fail("请用 --out 指定模型输出目录（例如 --out 我的模型）；要覆盖内置模型请写 --out models/problems 或加 --replace-shipped")
    custom = bool(data)
    try:
        dataset = load_dataset(data or [PROBLEM_CORPUS], text_column, label_column)
        if with_reviews:
            extra = reviewed_examples(workspace)
            dataset.texts += [t for t, _ in extra]
            dataset.labels += [c for _, c in extra]
            dataset.groups += ["复核"] * len(extra)
            typer.echo(f"加入复核改正的样本 {len(extra)} 条（{workspace}）")
        _encoder(backend)
        evaluation = cross_validate(dataset, folds=folds, backend=backend)
        clf = Classifier.train(dataset, cv=evaluation.to_dict(), label_column="预测类别" if custom else "问题类别", backend=backend)
    except ClassifierError as exc:
        _fail(str(exc))
    target = out or shipped
    try:
        clf.save(target)
    except OSError as exc:
        _fail(f"无法写入模型目录 {target}：{exc.strerror or exc}")
    typer.echo(format_evaluation(evaluation))
    typer.echo(f"已训练 {len(dataset)} 条样本、{len(clf.metadata.labels)} 个类别，模型已保存到 {target}")


@app.command()
def evaluate(
    data: Optional[Path] = typer.Option(None, "--data", "-d", help="带标注的 CSV/XLSX；不填则在训练语料上交叉验证"),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="模型目录（默认：内置模型）"),
    text_column: str = typer.Option("text", "--text-column", help="文本所在的列"),
    label_column: str = typer.Option("category", "--label-column", help="类别所在的列"),
    by_source: bool = typer.Option(False, "--by-source", help="交叉验证时按来源文件分组（每折的作者都没见过）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
    backend: str = typer.Option(LEXICAL, "--backend", "-b", help=BACKEND_HELP + "；交叉验证时使用，或选择与之配套的内置模型"),
) -> None:
    """评估分类效果：各类别精确率、召回率、F1，宏平均 F1 和混淆矩阵。"""
    from .summary import format_evaluation

    try:
        if data is None:
            _encoder(backend)
            evaluation = cross_validate(load_dataset([PROBLEM_CORPUS], text_column, label_column), by_group=by_source, backend=backend)
        else:
            clf = _model(model, backend)
            dataset = load_dataset([data], text_column, label_column)
            predicted = [p.label for p in clf.predict(dataset.texts)]
            labels = clf.metadata.labels + sorted(set(dataset.labels) - set(clf.metadata.labels))
            evaluation = score(dataset.labels, predicted, labels, f"模型在 {data} 上的得分")
    except ClassifierError as exc:
        _fail(str(exc))
    if as_json:
        typer.echo(json.dumps(evaluation.to_dict(), ensure_ascii=False, indent=1))
    else:
        typer.echo(format_evaluation(evaluation))


@app.command()
def classify(
    input: Path = typer.Argument(..., help="输入表格 .csv 或 .xlsx"),
    text_column: str = typer.Option(..., "--text-column", "-c", help="要分类的文本所在的列"),
    out: Path = typer.Option(..., "--out", "-o", help="输出文件 .csv、.xlsx（或 .jsonl）"),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="模型目录（默认：内置九类问题模型）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON lines"),
    backend: str = typer.Option(LEXICAL, "--backend", "-b", help=BACKEND_HELP + "；不指定 --model 时选择与之配套的内置模型"),
) -> None:
    """批量分类：在输入表格后面加上类别、置信度、次选类别、次选置信度、需复核。"""
    _require([input])
    clf = _model(model, backend)
    try:
        table = read_rows(input, text_column)
    except ParseError as exc:
        _fail(f"{exc.path}：{exc.message}")
    column = table.header.index(text_column)
    header = table.header + [clf.metadata.label_column, *PREDICTION_COLUMNS]
    rows: deque[list[str]] = deque()
    n = 0
    skipped: list[int] = []  # record numbers (from 1) of empty or one-character texts

    def texts():
        for row in table.rows:
            rows.append(row)
            yield row[column]

    total = count_rows(input)
    try:
        with row_writer(out, header, as_json) as writer, TerminalProgress().rows("分类", total) as advance:
            done: list[list[object]] = []
            for prediction in predict_stream(clf, texts()):
                if prediction.note:
                    skipped.append(n + len(done) + 1)
                done.append(rows.popleft() + prediction_cells(prediction))
                if len(done) == 1000:
                    writer.write_many(done)
                    advance(len(done))
                    n += len(done)
                    done = []
            writer.write_many(done)
            n += len(done)
    except ParseError as exc:
        _fail(f"{exc.path}：{exc.message}")
    except OSError as exc:
        _fail(f"无法写入 {out}：{exc.strerror or exc}")
    typer.echo(f"已分类 {n - len(skipped)} 条，结果写入 {out}", err=True)
    if skipped:
        shown = "、".join(map(str, skipped[:20])) + ("……" if len(skipped) > 20 else "")
        typer.echo(f"提示：{input} 中有 {len(skipped)} 行文本为空或只有一个字，未分类（第 {shown} 条记录，“需复核”列注明原因）", err=True)


@app.command()
def extract(
    notes: list[Path] = typer.Argument(..., help="访谈记录文件或文件夹"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="写入 .csv/.xlsx（默认打印）"),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="模型目录（默认：内置模型）"),
    no_mask: bool = typer.Option(False, "--no-mask", help="不遮盖个人信息（仅供内部使用）"),
    backend: str = typer.Option(LEXICAL, "--backend", "-b", help=BACKEND_HELP + "；不指定 --model 时选择与之配套的内置模型（e5-small 对访谈记录更准，见 docs/benchmarks.md）"),
) -> None:
    """从访谈记录中拆出问题陈述，去掉非问题，其余分到九类问题。"""
    from .extract import PROBLEM_HEADER, extract_problems, problem_row, unclassified_statements, where
    from .parse import parse_paths

    _require(notes)
    corpus = parse_paths(notes, kind="interview")
    problems = extract_problems(corpus.statements, _model(model, backend))
    rows = [problem_row(p, mask=not no_mask) for p in problems]
    for st, note in unclassified_statements(corpus.statements):
        typer.echo(f"提示：{st.source_file} {where(st.location)}：陈述{note}", err=True)
    if out:
        with row_writer(out, PROBLEM_HEADER) as writer:
            for row in rows:
                writer.write(row)
        typer.echo(f"找到问题陈述 {len(rows)} 条，已写入 {out}")
    else:
        for row in rows:
            typer.echo(f"{row[0]} {row[1]}｜{row[5]}（{row[6]:.2f}{'，需复核' if row[9] == '是' else ''}）｜{row[4]}")
        typer.echo(f"共找到问题陈述 {len(rows)} 条（访谈陈述 {len(corpus.statements)} 段）")
    for err in corpus.errors:
        typer.echo(f"{'警告' if err.is_warning else '错误'}：{err.path}：{err.message}", err=True)
    if corpus.failures:
        raise typer.Exit(1)


def _date(value: Optional[str], option: str):
    if not value:
        return None
    from .parse.hotline import normalize_time

    try:
        return datetime.fromisoformat(normalize_time(value))
    except ValueError:
        _fail(f"{option} 的日期无法识别：{value}（例如 2026-03-01）")


@app.command()
def hotline(
    records: list[Path] = typer.Argument(..., help="12345 工单导出文件（.csv/.xlsx）或文件夹"),
    sanding: list[Path] = typer.Option(..., "--sanding", "-s", help="三定规定、清单所在的文件或文件夹（可多次指定）"),
    out: Path = typer.Option(..., "--out", "-o", help="输出文件夹"),
    since: Optional[str] = typer.Option(None, "--since", help="只分析此日期及以后受理的工单"),
    until: Optional[str] = typer.Option(None, "--until", help="只分析此日期及以前受理的工单"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON lines（hotline_records.jsonl、hotline_hotspots.jsonl）"),
    no_mask: bool = typer.Option(False, "--no-mask", help="不遮盖个人信息（仅供内部使用）"),
    backend: str = typer.Option(LEXICAL, "--backend", "-b", help=BACKEND_HELP + "；用于把未点名对象的诉求关联到语义最接近的条款，并按语义调整无退单理由诉求的建议承办部门顺序（单进程，较慢；职责交叉仍按词面判定）"),
) -> None:
    """逐条分析 12345 退单争议工单：争议类别、关联的职责交叉事项、建议承办部门及三定依据、流转；并汇总热点。"""
    from .hotline import HotlineConfig
    from .overlaps import find_overlaps
    from .parse import parse_paths
    from .parse.filenames import relabelled
    from .parse.hotline import is_hotline_header, iter_hotline
    from .parse.sources import detect_format, open_table
    from .pipeline import write_hotline

    _require(records + sanding)
    encoder = _encoder(backend)
    config = HotlineConfig(since=_date(since, "--since"), until=_date(until, "--until"), mask=not no_mask, encoder=encoder)
    shown = TerminalProgress()
    shown.stage("解析", "读取三定规定和清单……")
    corpus = parse_paths(sanding)
    shown.stage("职责交叉", f"比对职责 {len(corpus.duties)} 条、清单事项 {len(corpus.list_items)} 项……")
    overlaps = find_overlaps(corpus)  # lexical whatever the backend (see pipeline.analyze_into)
    errors = list(corpus.failures)  # warnings (a 三定 with no duties) do not fail the run

    def stream():
        from .parse.registry import iter_files

        for path in iter_files(records):
            try:
                fmt = detect_format(path)
                table = open_table(path, fmt, is_hotline_header, fill_merged=False)
                yield from relabelled(iter_hotline(table), path)
            except ParseError as exc:
                errors.append(exc)
                typer.echo(f"错误：{exc.path}：{exc.message}", err=True)

    total = count_records(records)
    shown.stage("热线", f"工单约 {total} 条……" if total is not None else "逐条分析工单……")
    with shown.rows("热线", total) as advance:
        try:
            summary, written = write_hotline(stream(), corpus, overlaps, out, config, as_json, progress=advance)
        except OSError as exc:
            _fail(f"无法写入 {out}：{exc.strerror or exc}")
    typer.echo(f"已分析工单 {summary.records} 条（时间范围外跳过 {summary.skipped} 条），关联到职责交叉事项 {summary.linked} 条")
    for spot in summary.ranked()[:10]:
        typer.echo(f"  · {spot.topic}：{spot.records} 条，退单部门 {len(spot.bounced)} 个｜{spot.verdict}")
    if no_mask:
        typer.echo("注意：输出未遮盖个人信息，仅供内部使用，不得外传。")
    for path in written:
        typer.echo(f"已写入：{path}")
    if errors:
        raise typer.Exit(1)


review = sub_app("复核：导入人员在问题台账中的修改，查看销号进度。")
app.add_typer(review, name="review")


@review.command("import")
def review_import(
    ledger_file: Path = typer.Argument(..., help="人员修改过的 findings.xlsx（或另存的 .csv）"),
    workspace: Optional[Path] = typer.Option(None, "--workspace", "-w", help="工作区文件（默认：台账中记录的、生成它的工作区）"),
    force: bool = typer.Option(False, "--force", help="导出台账之后别处已作出决定的行，也用本台账的取值覆盖"),
) -> None:
    """导入问题台账中的状态、问题类别、建议处置和复核意见，以及新增的问题行；只导入导出后改动过的单元格，有任何无效取值则一条都不导入。"""
    from .ledger import read_review
    from .workspace import WorkspaceError, import_review, locate as locate_workspace

    _require([ledger_file])
    try:
        review_file = read_review(ledger_file)
    except ValueError as exc:
        _fail(str(exc))
    if workspace is None:
        workspace = locate_workspace(ledger_file, review_file.meta)
        if workspace is None:
            where = f"（台账记录的工作区：{review_file.meta.workspace}）" if review_file.meta else ""
            _fail(f"找不到 {ledger_file} 所属的工作区{where}，请用 --workspace 指定")
    elif not workspace.exists():
        _fail(f"找不到工作区 {workspace}，请先运行 analyze 或用 --workspace 指定")
    try:
        result = import_review(workspace, review_file.rows, str(ledger_file.resolve()), meta=review_file.meta,
                               header=review_file.header, force=force)
    except WorkspaceError as exc:
        _fail(str(exc))
    for note in result.notes:
        typer.echo(f"提示：{note}")
    added = f"，新增人工补充的问题 {len(result.added)} 项" if result.added else ""
    typer.echo(f"已导入 {result.changed} 处修改{added}到 {workspace}")


@review.command("status")
def review_status(
    workspace: Path = typer.Option(Path("out/demo.workspace.sqlite"), "--workspace", "-w", help="工作区文件"),
) -> None:
    """按状态和问题类别统计问题数量（销号进度）。"""
    from .workspace import WorkspaceError, status_counts

    if not workspace.exists():
        _fail(f"找不到工作区 {workspace}")
    try:
        by_status, by_category = status_counts(workspace)
    except WorkspaceError as exc:
        _fail(str(exc))
    total = sum(by_status.values())
    typer.echo(f"问题共 {total} 项：" + "，".join(f"{k} {v}" for k, v in by_status.items()))
    done = by_status.get("已销号", 0)
    typer.echo(f"销号进度：{done}/{total}（{done / total:.0%}）" if total else "销号进度：无问题")
    for category, counts in sorted(by_category.items()):
        typer.echo(f"  {category}：" + "，".join(f"{k} {v}" for k, v in counts.items() if v))
