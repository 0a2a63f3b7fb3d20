"""`analyze`: every stage over a folder of documents, writing results into an output folder."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .classify import ClassifierError, default_model_dir, load_default
from .extract import PROBLEM_HEADER, Problem, extract_problems, problem_row
from .hotline import HOTSPOT_HEADER, RECORD_HEADER, HotlineAnalysis, HotlineConfig, analyze_to_rows, hotspot_row
from .model import Corpus
from .overlaps import OverlapConfig, OverlapReport, find_overlaps
from .parse import parse_paths
from .findings import collect
from .privacy import UNMASKED_NOTICE, mask_corpus, write_unmasked_notice
from .ledger import write_ledger
from .report import write_report
from .summary import Summary, summarize
from .workspace import default_path as default_workspace, merge
from .tables import atomic_target, row_writer


@dataclass
class AnalysisResult:
    corpus: Corpus
    overlaps: OverlapReport
    problems: list[Problem]
    summary: Summary
    outputs: list[Path]
    notes: list[str]


def write_json_atomic(path: Path, data: object) -> None:
    with atomic_target(path) as tmp:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def analyze(
    paths: list[Path], out_dir: Path, overlap_config: OverlapConfig | None = None, workspace: Path | None = None,
    encoder=None, mask: bool = True,
) -> AnalysisResult:
    """Every stage on a folder of documents. `encoder` (embed.get_encoder) adds meaning to the overlap
    search and the hotline links, and picks the shipped classifier trained with it when there is one.
    `mask=False` (--no-mask) writes personal data as it is and says so in OUT and in the notes."""
    corpus = parse_paths(paths)
    parsed = out_dir / "parsed.json"
    write_json_atomic(parsed, (mask_corpus(corpus) if mask else corpus).to_dict())
    overlaps = find_overlaps(corpus, overlap_config, encoder=encoder)
    overlaps_path = out_dir / "overlaps.json"
    write_json_atomic(overlaps_path, overlaps.to_dict(corpus.errors))
    outputs, notes = [parsed, overlaps_path], [] if mask else [UNMASKED_NOTICE]
    problems: list[Problem] = []
    if corpus.statements:
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
    hotline = None
    if corpus.hotline:
        try:
            clf = load_default()
        except ClassifierError as exc:
            notes.append(f"未分析热线工单：{exc}")
        else:
            config = HotlineConfig(encoder=encoder, mask=mask)
            hotline, written = write_hotline(corpus.hotline, corpus, overlaps, clf, out_dir, config)
            outputs.extend(written)
    summary = summarize(corpus, overlaps, problems, hotline)
    findings = collect(overlaps, hotline, problems, mask)
    rows = merge(workspace or default_workspace(out_dir), findings)
    ledger_path, report_path = out_dir / "findings.xlsx", out_dir / "report.html"
    write_ledger(ledger_path, rows, overlaps, hotline)
    write_report(report_path, rows, overlaps, hotline)
    outputs += [ledger_path, report_path]
    notice = write_unmasked_notice(out_dir, mask)
    outputs += [notice] if notice and notice not in outputs else []
    summary.ledger = rows
    return AnalysisResult(corpus, overlaps, problems, summary, outputs, notes)


def _statement_model(encoder, notes: list[str]):
    """The shipped model trained with the encoder's backend, else the lexical one (said in the notes)."""
    if encoder is None or not default_model_dir(encoder.name).exists():
        if encoder is not None:
            notes.append(f"没有与 {encoder.name} 配套的内置分类模型，访谈记录按词面模型分类")
        return load_default()
    return load_default(encoder.name)


def write_hotline(records, corpus: Corpus, overlaps: OverlapReport, clf, out_dir: Path,
                  config: HotlineConfig | None = None, as_json: bool = False, progress=None) -> tuple[HotlineAnalysis, list[Path]]:
    """hotline_records and hotline_hotspots in OUTDIR; each file appears whole or not at all."""
    summary = HotlineAnalysis()
    suffix = ".jsonl" if as_json else ".csv"
    records_path, spots_path = out_dir / f"hotline_records{suffix}", out_dir / f"hotline_hotspots{suffix}"
    with row_writer(records_path, RECORD_HEADER, as_json) as writer:
        for row in analyze_to_rows(records, corpus, overlaps, clf, config, summary=summary):
            writer.write(row)
            if progress:
                progress(1)
    with row_writer(spots_path, HOTSPOT_HEADER, as_json) as writer:
        for spot in summary.ranked():
            writer.write(hotspot_row(spot))
    notice = write_unmasked_notice(out_dir, (config or HotlineConfig()).mask)
    return summary, [records_path, spots_path] + ([notice] if notice else [])
