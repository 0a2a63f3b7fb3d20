"""`analyze`: every stage over a folder of documents, writing results into an output folder."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .classify import ClassifierError, default_model_dir, load_default
from .extract import PROBLEM_HEADER, Problem, extract_problems, problem_row
from .hotline import HOTSPOT_HEADER, RECORD_HEADER, HotlineAnalysis, HotlineConfig, analyze_to_chunks, hotspot_row
from .model import Corpus
from .overlaps import OverlapConfig, OverlapReport, find_overlaps
from .parse import parse_paths
from .findings import collect
from .privacy import UNMASKED_NOTICE, mask_corpus, write_unmasked_notice
from .ledger import write_ledger
from .report import write_report
from .report_docx import write_docx
from .summary import Summary, summarize
from .names import short_name
from .staffing import Scorecard, load_scorecard, score_departments, score_table, screen, staffing_findings, workload_signals
from .staffing.render import add_scorecard_sheet, scorecard_docx, scorecard_section
from .workspace import default_path as default_workspace, export_meta, merge, run_transaction
from .tables import atomic_target, row_writer
from .progress import SILENT, Progress
from .outputs import Staging, checkpoint, mark_output, skipped_notes, staged_outputs


@dataclass
class AnalysisResult:
    corpus: Corpus
    overlaps: OverlapReport
    problems: list[Problem]
    summary: Summary
    outputs: list[Path]
    notes: list[str]
    scores: list = None  # staffing.DepartmentScore, best first


def write_json_atomic(path: Path, data: object) -> None:
    with atomic_target(path) as tmp:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


class NothingToAnalyze(Exception):
    """No document could be read: earlier outputs are left alone (the message and the files' errors are for the user)."""

    def __init__(self, message: str, corpus: Corpus):
        super().__init__(message)
        self.message, self.corpus = message, corpus


def analyze(
    paths: list[Path], out_dir: Path, overlap_config: OverlapConfig | None = None, workspace: Path | None = None,
    encoder=None, kind: str | None = None, scorecard: Scorecard | None = None, progress: Progress | None = None,
    mask: bool = True,
) -> AnalysisResult:
    """Every stage on a folder of documents. `encoder` (embed.get_encoder) adds meaning to the hotline links
    and picks the shipped classifier trained with it when there is one; overlaps stay lexical (measured better).
    `progress` hears each stage with its counts (progress.STAGES); paths may be str or Path.
    `mask=False` (--no-mask) writes personal data as it is and says so in OUT and in the notes.

    Outputs are written as a set (outputs.staged_outputs): a run killed at any moment leaves OUT with the
    previous or the new complete set, and the workspace commits only once the new set is complete."""
    progress = progress or SILENT
    paths = [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]
    out_dir, workspace = Path(out_dir), Path(workspace) if workspace else None
    skipped = skipped_notes(paths, out_dir)
    progress.stage("解析", "读取文件……")
    corpus = parse_paths(paths, kind)
    progress.stage("解析", f"文件 {len(corpus.files)} 个，失败 {len(corpus.failures)} 个")
    if not corpus.files:
        where = "、".join(map(str, paths))
        message = (f"{where}：没有一个文件解析成功" if corpus.errors else f"{where}：没有找到可分析的文件（.docx .pdf .txt .xlsx .xls .csv）")
        raise NothingToAnalyze(message + f"，未改动输出文件夹 {out_dir} 中原有的结果", corpus)
    workspace = workspace or default_workspace(out_dir)
    with staged_outputs(out_dir) as stage:
        result = analyze_into(corpus, stage, workspace, overlap_config, encoder, scorecard, progress, mask)
    checkpoint("swapped")
    result.outputs = [out_dir / p.name for p in result.outputs]
    result.notes[:0] = skipped
    return result


def analyze_into(corpus: Corpus, stage: Staging, workspace: Path, overlap_config: OverlapConfig | None = None,
                 encoder=None, scorecard: Scorecard | None = None, progress: Progress = SILENT,
                 mask: bool = True) -> AnalysisResult:
    """Every stage, writing into the staging folder; the workspace update commits after the set is complete."""
    out_dir = stage.dir
    mark_output(out_dir)  # a staging folder left by a killed run is skipped as input, like OUT itself
    parsed = out_dir / "parsed.json"
    write_json_atomic(parsed, (mask_corpus(corpus) if mask else corpus).to_dict())
    progress.stage("职责交叉", f"比对职责 {len(corpus.duties)} 条、清单事项 {len(corpus.list_items)} 项……")
    # Overlaps are decided lexically whatever the backend: the pair model is trained on lexical features, and
    # meaning (as a rescue rule or as a feature) ranked worse on every development corpus left out (benchmarks.md).
    overlaps = find_overlaps(corpus, overlap_config)
    progress.stage("职责交叉", f"找到 {len(overlaps.overlaps)} 项")
    overlaps_path = out_dir / "overlaps.json"
    write_json_atomic(overlaps_path, overlaps.to_dict(corpus.errors))
    outputs, notes = [parsed, overlaps_path], [] if mask else [UNMASKED_NOTICE]
    if encoder is not None:
        notes.append(f"职责交叉按词面判定模型筛查（{encoder.name} 只用于访谈记录和热线工单）")
    problems: list[Problem] = []
    if corpus.statements:
        progress.stage("访谈", f"陈述 {len(corpus.statements)} 段……")
        try:
            problems = extract_problems(corpus.statements, _statement_model(encoder, notes))
        except ClassifierError as exc:
            notes.append(f"未对访谈记录分类：{exc}")
        else:
            path = out_dir / "problems.csv"
            with row_writer(path, PROBLEM_HEADER) as writer:
                for p in problems:
                    writer.write(problem_row(p, mask))
            outputs.append(path)
            progress.stage("访谈", f"问题陈述 {len(problems)} 条")
    hotline = None
    if corpus.hotline:
        config = HotlineConfig(encoder=encoder, mask=mask)
        progress.stage("热线", f"工单 {len(corpus.hotline)} 条……")
        with progress.rows("热线", len(corpus.hotline)) as advance:
            hotline, written = write_hotline(corpus.hotline, corpus, overlaps, out_dir, config, progress=advance)
        outputs.extend(written)
    summary = summarize(corpus, overlaps, problems, hotline)
    card = scorecard or load_scorecard()
    findings = collect(overlaps, hotline, problems, mask, departments=[d.name for d in corpus.departments])
    findings += staffing_findings(screen(corpus, card.rules))
    checkpoint("staged-data")
    with run_transaction(workspace) as run:
        rows = merge(workspace, findings, run=run, shown=stage.shown)
        scores, sheets, sections, extras = score_rows(card, corpus, overlaps, rows, out_dir, outputs)
        ledger_path, report_path, docx_path = out_dir / "findings.xlsx", out_dir / "report.html", out_dir / "report.docx"
        progress.stage("台账", f"问题 {len(rows)} 项 → {ledger_path.name}")
        write_ledger(ledger_path, rows, overlaps, hotline, corpus.errors, export_meta(workspace, rows, out_dir, run.conn),
                     extra_sheets=sheets)
        progress.stage("报告", f"→ {report_path.name}、{docx_path.name}")
        write_report(report_path, rows, overlaps, hotline, errors=corpus.errors, sections=sections)
        write_docx(docx_path, rows, overlaps, hotline, errors=corpus.errors, extras=extras)
        outputs += [ledger_path, report_path, docx_path]
        notice = write_unmasked_notice(out_dir, mask)
        outputs += [notice] if notice and notice not in outputs else []
        mark_output(out_dir, outputs)
        checkpoint("staged-ledger")
        stage.complete(run.token)
        checkpoint("staged-complete")
    checkpoint("committed")
    summary.ledger = rows
    return AnalysisResult(corpus, overlaps, problems, summary, outputs, notes, scores)


SCORE_FILE = "scorecard.csv"


def score_rows(card: Scorecard, corpus: Corpus, overlaps: OverlapReport, rows, out_dir: Path, outputs: list[Path]):
    """Department scores from the ledger as reviewed (不予采纳 costs nothing, closed items are not open work),
    written to scorecard.csv; returns the scores and the ledger-sheet / report-section hooks."""
    if not corpus.departments:
        return [], (), (), ()
    current = [r for r in rows if r.presence != "已消失"]
    findings = [r.finding for r in current]
    statuses = {r.finding.id: r.status for r in current}
    open_ids = {i for i, s in statuses.items() if s not in ("不予采纳", "已销号")}
    settled_overlaps = {o.id for o in overlaps.overlaps if o.settled}
    settled = {f.id for f in findings if settled_overlaps.intersection(f.aliases) or f.id in settled_overlaps}
    scores = score_departments(card, workload_signals(corpus, findings, open_ids), findings, settled, statuses)
    header, table = score_table(card, scores, short_name)
    path = out_dir / SCORE_FILE
    with row_writer(path, header) as writer:
        for row in table:
            writer.write(row)
    outputs.append(path)
    return (scores, (lambda wb, ctx: add_scorecard_sheet(wb, card, scores),), (scorecard_section(card, scores),),
            (scorecard_docx(card, scores),))


def _statement_model(encoder, notes: list[str]):
    """The shipped model trained with the encoder's backend, else the lexical one (said in the notes)."""
    if encoder is None or not default_model_dir(encoder.name).exists():
        if encoder is not None:
            notes.append(f"没有与 {encoder.name} 配套的内置分类模型，访谈记录按词面模型分类")
        return load_default()
    return load_default(encoder.name)


def write_hotline(records, corpus: Corpus, overlaps: OverlapReport, out_dir: Path,
                  config: HotlineConfig | None = None, as_json: bool = False, progress=None) -> tuple[HotlineAnalysis, list[Path]]:
    """hotline_records and hotline_hotspots in OUTDIR; each file appears whole or not at all."""
    summary = HotlineAnalysis()
    mark_output(out_dir)
    suffix = ".jsonl" if as_json else ".csv"
    records_path, spots_path = out_dir / f"hotline_records{suffix}", out_dir / f"hotline_hotspots{suffix}"
    with row_writer(records_path, RECORD_HEADER, as_json) as writer:
        render = writer.renderer()
        for chunk, n in analyze_to_chunks(records, corpus, overlaps, config, summary=summary, render=render):
            if render:
                writer.write_text(chunk)
            else:
                writer.write_many(chunk)
            if progress:
                progress(n)
    with row_writer(spots_path, HOTSPOT_HEADER, as_json) as writer:
        for spot in summary.ranked():
            writer.write(hotspot_row(spot))
    notice = write_unmasked_notice(out_dir, (config or HotlineConfig()).mask)
    return summary, [records_path, spots_path] + ([notice] if notice else [])
